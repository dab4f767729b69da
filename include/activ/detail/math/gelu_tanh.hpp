// The tanh-form GELU, 0.5*x*(1 + tanh(u)), u = sqrt(2/pi)*(x + 0.044715*x^3), computed as
//   x * sigmoid(z),   z = 2u = c1*x + c3*x^3,   c1 = 2*sqrt(2/pi), c3 = 0.044715*c1,
// which is the same function without the cancellation of 1 + tanh(u) for x << 0.
// 0.044715 is the double nearest to it, 0.044714999999999997804..., as PyTorch, JAX and every
// other framework write and evaluate the constant, so that a reference built from the literal
// agrees with activ. The left tail is ill-conditioned in that coefficient (the result is ~x*e^z,
// z ~ c3*x^3, so it moves by ~|c3*x^3| times the coefficient's relative change): the decimal
// 0.044715, 2.2e-18 larger, gives results ~20 ULP away at x = -10 and ~300 ULP near x = -21.1.
// c3 = 0.044715*c1 is that double times c1, as a double word; its high word is the same for
// either reading, so float results do not depend on the choice.
//
// Float results: in double on the widened packet (v_times_sigmoid_for_float), z = x*(c1 + c3*x^2)
// with relative error ~2^-52, i.e. an absolute error below 2^-44 for every relevant |z| < 200.
//
// Double results (both tiers; float lanes take the float kernel above in both tiers): in the
// tail the result is ~x*e^z with |z| up to ~760, so z is needed to an absolute error far below
// one ULP of 1: z is carried as a double word (gelu_tanh_argument). c1 and c3 are split into
// hi + lo doubles; z = x*(c1 + c3*x^2) with x^2 exact, the sum c1 + c3*x^2 by TwoSum, and the
// final product by two_product. Past |x| = kMaxArg the result is x or 0 (z beyond the logistic
// kernels' range), so x is clamped there for z.
#pragma once

#include "activ/detail/math/double_word.hpp"
#include "activ/detail/math/fast/logistic.hpp"
#include "activ/detail/math/logistic.hpp"
#include "activ/detail/math/tier.hpp"

namespace activ {
namespace detail {

/// c1 and c3 as hi + lo double words.
template <class Scalar>
struct GeluTanhConstants;
template <>
struct GeluTanhConstants<double> {
  static constexpr double kC1Hi = 0x1.9884533d43651p+0, kC1Lo = -0x1.cbc0d30ebfd15p-54;
  static constexpr double kC3Hi = 0x1.2444f2a4d8b4bp-4, kC3Lo = -0x1.3023b0e5fbc6ep-58;
  static constexpr double kC3x3Hi = 0x1.b6676bf7450f0p-3, kC3x3Lo = 0x1.be53b53832ad3p-60;  // 3*c3
  static constexpr double kMaxArg = 25.0;  // z(25) = 1155 > every relevant |z|
};
/// Float results of the precise tier, on a double packet holding float values.
template <class PacketD>
EIGEN_STRONG_INLINE PacketD gelu_tanh_for_float(const PacketD& x) {
  using C = GeluTanhConstants<double>;
  const PacketD w = madd(set1<PacketD>(C::kC3Hi), mul(x, x), set1<PacketD>(C::kC1Hi));
  return v_times_sigmoid_for_float(x, mul(x, w));
}

/// x*(c1 + c*x^2) as a double word, for xc = x clamped to +-kMaxArg (double lanes): gelu_tanh's
/// z (c = c3) and its derivative's w = x*z' (c = 3*c3).
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> x_times_c1_plus_cx2(const Packet& xc, double c_hi,
                                                           double c_lo) {
  using C = GeluTanhConstants<scalar_of<Packet>>;
  // w = c1 + c*x^2 as a double word
  const DoubleWord<Packet> x2 = two_product(xc, xc);
  const DoubleWord<Packet> cx2 = two_product(set1<Packet>(c_hi), x2.hi);
  const DoubleWord<Packet> w = two_sum(set1<Packet>(C::kC1Hi), cx2.hi);
  Packet w_lo = ei::padd(w.lo, ei::padd(cx2.lo, set1<Packet>(C::kC1Lo)));
  w_lo = madd(set1<Packet>(c_lo), x2.hi, w_lo);
  w_lo = madd(set1<Packet>(c_hi), x2.lo, w_lo);

  // x*w as a double word
  const DoubleWord<Packet> z = two_product(xc, w.hi);
  return {z.hi, madd(xc, w_lo, z.lo)};
}

/// z = c1*xc + c3*xc^3 as a double word, for xc = x clamped to +-kMaxArg (double lanes).
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> gelu_tanh_argument(const Packet& xc) {
  using C = GeluTanhConstants<scalar_of<Packet>>;
  return x_times_c1_plus_cx2(xc, C::kC3Hi, C::kC3Lo);
}

/// Double results of the precise tier.
template <class Packet>
EIGEN_STRONG_INLINE Packet gelu_tanh_for_double(const Packet& x) {
  const Packet xc = clamp_symmetric(x, GeluTanhConstants<double>::kMaxArg);
  const DoubleWord<Packet> z = gelu_tanh_argument(xc);
  return v_times_sigmoid_for_double(x, xc, z.hi, z.lo);
}

/// Both tiers. Float lanes take the precise kernel in both: computed in double, z needs no double
/// word, and it ran faster than the float-arithmetic one (whose z is a double word costing ~17
/// operations) with AVX-512, AVX2 and SSE2 alike, within 1 ULP instead of 3.
template <Tier T, class Packet>
EIGEN_STRONG_INLINE Packet gelu_tanh(const Packet& x) {
  if constexpr (T == Tier::fast && !std::is_same_v<scalar_of<Packet>, float>) {
    const Packet xc = clamp_symmetric(x, GeluTanhConstants<scalar_of<Packet>>::kMaxArg);
    const DoubleWord<Packet> z = gelu_tanh_argument(xc);
    return fast_v_times_sigmoid(x, z.hi, z.lo, [&xc] { return xc; });
  } else {
    return float_in_double_else(
        x, [](const auto& wide) { return gelu_tanh_for_float(wide); },
        [](const auto& v) { return gelu_tanh_for_double(v); });
  }
}

/// gelu_tanh'(x) = sigmoid(z) (1 + w sigmoid(-z)), w = x z' = c1 x + 3 c3 x^3 (logistic.hpp's
/// kPlusSigmoid), both tiers. Float lanes: z and w in double; double lanes: both as double words
/// of x clamped to +-kMaxArg, where the result is already its limit (1 or -0).
template <class Packet>
EIGEN_STRONG_INLINE Packet gelu_tanh_derivative(const Packet& x) {
  using C = GeluTanhConstants<double>;
  return float_in_double_else(
      x,
      [](const auto& v) {
        using PacketD = std::decay_t<decltype(v)>;
        const PacketD x2 = mul(v, v);
        const PacketD z = mul(v, madd(set1<PacketD>(C::kC3Hi), x2, set1<PacketD>(C::kC1Hi)));
        const PacketD w = mul(v, madd(set1<PacketD>(C::kC3x3Hi), x2, set1<PacketD>(C::kC1Hi)));
        return logistic_derivative_for_float<LogisticDerivative::kPlusSigmoid>(z, w);
      },
      [](const auto& v) {
        const auto xc = clamp_symmetric(v, C::kMaxArg);
        const auto z = gelu_tanh_argument(xc);
        return logistic_derivative_for_double<LogisticDerivative::kPlusSigmoid>(
            z.hi, z.lo, x_times_c1_plus_cx2(xc, C::kC3x3Hi, C::kC3x3Lo));
      });
}

}  // namespace detail
}  // namespace activ
