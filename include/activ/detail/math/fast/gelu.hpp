// The fast tier's gelu, x * Phi(x), in the lane type's own arithmetic, within 4 ULP.
//
// The method of the precise kernel (math/gelu.hpp) without its extra precision: with a = |x|,
//   q(a) = Phi(-a) = e^(-a^2/2) * R(a),   gelu(x) = x*q(a) for x <= 0, x*(1 - q(a)) for x > 0,
// so the negative tail keeps its relative accuracy down to underflow. a^2 is carried exactly
// (two_product) into the exponential's reduced argument: rounded, it would cost |a^2/2| * 2^-24
// relative error (~6 ULP at a = 13). e^(-a^2/2) = m * 2^k, and for x <= 0 the result is
// (x*m*R) * 2^k with the power of two applied last, as in fast/logistic.hpp (one rounding of a
// subnormal result, either path). Errors in ULP: m ~1, R's fit and evaluation ~1.5, the two
// products 1.
//
// R(a) = erfcx(a/sqrt2)/2 on [0, kMaxArg] is the precise double kernel's shape
// R = Q / (2a*Q + P) (Laplace's continued fraction for Mills' ratio): in the tail the denominator
// is ~2a*Q, so Q's rounding errors cancel and P's are damped by P's share (< 0.2); near a = 0
// the constant terms dominate both Horner sums. In float the plain R = P/Q of the precise
// float kernel loses 5.4 ULP to Horner's roundings near a = 13. Q(0) = 3/4 rather than 1
// keeps Q and the denominator (1.5 at a = 0) away from just above a power of two, where a
// rounding costs twice as much against R just below 1/2.
//   float:  deg Q = 4, deg P = 5, fitted for relative error on [0, 14.5] (linearised least
//           squares with Lawson reweighting, mpmath, 300 Chebyshev nodes): 6.2e-9, with the
//           coefficients rounded to float 1.0e-8 (0.17 ULP);
//   double: the precise double kernel's fit, deg 11/10 (9.2e-19), in plain Horner.
#pragma once

#include "activ/detail/math/double_word.hpp"
#include "activ/detail/math/exp.hpp"
#include "activ/detail/math/fast/logistic.hpp"
#include "activ/detail/math/gelu_constants.hpp"

namespace activ {
namespace detail {

template <class Scalar>
struct FastGeluConstants;

template <>
struct FastGeluConstants<float> {
  // Past a = 14.5, |x|*q(a) < 2^-150: the float result is 0 or x.
  static constexpr float kMaxArg = 14.5f;
  // R = Q / (2a*Q + P), Q(0) = 3/4: see the file comment.
  static constexpr float kQ[] = {0x1.8p-1f, 0x1.5014e0p-1f, 0x1.18a000p-2f, 0x1.f0fbfap-5f,
                                 0x1.91ac7ap-8f};
  static constexpr float kP[] = {0x1.8p+0f,      0x1.027826p+0f, 0x1.f3621ap-2f,
                                 0x1.3b5752p-3f, 0x1.f7bbf4p-6f, 0x1.96f976p-9f};
  // |x| < kSmall: Phi(x) = 1/2 + x*U(x^2), U the Chebyshev fit (mpmath.chebyfit) of
  // (Phi(sqrt t) - 1/2)/sqrt t on t in [0, 0.0632], deg 2, 4.7e-8 with float coefficients
  // (damped to < 0.25 of that in Phi).
  static constexpr float kSmall = 0.25f;
  static constexpr float kU[] = {0x1.988452p-2f, -0x1.105574p-4f, 0x1.4327a6p-7f};
};

template <>
struct FastGeluConstants<double> {
  static constexpr double kMaxArg = GeluDoubleConstants::kMaxArg;
};

/// R(a) = erfcx(a/sqrt2)/2 for a >= 0.
template <class Packet>
EIGEN_STRONG_INLINE Packet fast_gelu_r(const Packet& a) {
  using Scalar = scalar_of<Packet>;
  using C = std::conditional_t<std::is_same_v<Scalar, float>, FastGeluConstants<float>,
                               GeluDoubleConstants>;
  const Packet q = horner(a, C::kQ);
  return ei::pdiv(q, madd(ei::padd(a, a), q, horner(a, C::kP)));
}

/// gelu(x); NaN lanes give a NaN of unspecified payload (callers use nan_passthrough).
template <class Packet>
EIGEN_STRONG_INLINE Packet fast_gelu(const Packet& x) {
  using Scalar = scalar_of<Packet>;
  const Packet zero = ei::pzero(x);
  const Packet one = set1<Packet>(Scalar(1));
  const Packet max_arg = set1<Packet>(FastGeluConstants<Scalar>::kMaxArg);
  const Packet a = ei::pmin(ei::pabs(x), max_arg);
  const DoubleWord<Packet> a2 = two_product(a, a);
  const Packet minus_half = set1<Packet>(Scalar(-0.5));
  const ExpParts<Packet> e = exp_parts(mul(a2.hi, minus_half), mul(a2.lo, minus_half));
  const Packet m_r = mul(e.mantissa, fast_gelu_r(a));  // q(a) = m_r * 2^k
  const Pow2Scale<Packet> scale(e.exponent);
  const Packet positive = mul(x, ei::psub(one, scale.small_term(m_r)));
  // x <= 0: (x*m*R) * 2^k; x = -inf stands in as -kMaxArg (-0 then, not -inf * 0).
  const Packet x_m_r = mul(ei::pmax(x, negate(max_arg)), m_r);
  const Packet result = select_le(x, zero, scale.apply(x_m_r, ei::pcmp_le(x, zero)), positive);
  if constexpr (std::is_same_v<Scalar, float>) {
    // Near 0, q = m*R sits just below 1/2 after four roundings near powers of two (up to 4 ULP
    // of q); the series form rounds twice.
    using C = FastGeluConstants<float>;
    const Packet phi = madd(x, horner(mul(x, x), C::kU), set1<Packet>(0.5f));
    return select_lt(a, set1<Packet>(C::kSmall), mul(x, phi), result);
  } else {
    return result;
  }
}

}  // namespace detail
}  // namespace activ
