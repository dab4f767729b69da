// x * Phi(x), Phi the standard normal CDF, without the cancellation of 0.5*x*(1 + erf(x/sqrt2)).
//
// Method. With a = |x| and q(a) = Phi(-a) = 0.5*erfc(a/sqrt2):
//   q(a) = e^(-a^2/2) * R(a),   R(a) = 0.5*erfcx(a/sqrt2)  (smooth: 1/2 at 0, ~1/(a sqrt(2 pi)))
//   gelu(x) = x*q(a) for x <= 0,  x - x*q(a) for x > 0.
// The negative side never subtracts, so the tail keeps full relative accuracy down to underflow
// (float: x ~ -14.1, double: x ~ -38.5). Past kMaxArg the result is 0 (x < 0) or x (x > 0) in
// the working precision; x is clamped there, which also keeps -inf * 0 from happening.
//
// Why two precisions of arithmetic. The result multiplies three computed factors, x, e^y and
// R(a), and R is itself a quotient of two polynomials: in the working precision that is ~8
// roundings, up to ~5 ULP. A 2 ULP bound needs the intermediate errors far below one rounding:
//  - float: the whole kernel runs in double on the widened packet (widen.hpp) and rounds once
//    at the end. The intermediate error is below 6.1e-9 relative (e^y 3.9e-9, R's fit 2.2e-9,
//    roundings 2^-52), so results are within 0.6 ULP; subnormal float results rounded once.
//  - double: a^2, e^y, R and the products are carried as double words (double_word.hpp).
//
// R's fits are relative-error minimax rationals (Sanathanan-Koerner linearisation with Lawson
// reweighting in mpmath / numpy), on a in [0, kMaxArg]:
//   float (in double arithmetic): R = P/Q, deg 5/5, relative fit error 2.2e-9 (0.04 float ULP).
//   double: R = Q / (2a*Q + P) (the shape of Laplace's continued fraction for Mills' ratio, in
//           which 1/R - 2a grows only like 0.51a), deg P = 11, deg Q = 10, fit error 9.2e-19.
#pragma once

#include <iterator>

#include "activ/detail/math/double_word.hpp"
#include "activ/detail/math/exp.hpp"
#include "activ/detail/math/fast/gelu.hpp"
#include "activ/detail/math/gelu_constants.hpp"
#include "activ/detail/math/tier.hpp"
#include "activ/detail/math/widen.hpp"

namespace activ {
namespace detail {

/// gelu from |x|*q(|x|) = hi + lo. x <= 0: x*Phi(x) = -|x|*q, the sign taken from x itself (the
/// double-word steps do not keep the sign of a zero). x > 0: x*Phi(x) = x - x*q.
template <class Packet>
EIGEN_STRONG_INLINE Packet gelu_from_abs_x_q(const Packet& x, const Packet& hi, const Packet& lo) {
  // |hi|: rounding downward, an exact zero |x|*q comes out as -0, and gelu(+-0) must be +-0.
  const Packet negative =
      ei::pxor(ei::pabs(hi), ei::pand(x, set1<Packet>(scalar_of<Packet>(-0.0))));
  const Packet positive = ei::psub(ei::psub(x, hi), lo);
  return select_le(x, ei::pzero(x), negative, positive);
}

/// Float results, evaluated on a double packet holding float values. Phi(x) = q for x < 0 and
/// 1 - q for x >= 0 (no cancellation in double: 1 - q >= 1/2), and gelu = x * Phi(x), which also
/// keeps the sign of zero. Past kMaxArg, q is below 2^-150 / 14.5: a = |x| is clamped there,
/// and x = -inf stands in as -kMaxArg (gelu(-inf) = -kMaxArg * q = -0 in float, not -inf * 0).
/// NaN lanes give a NaN of unspecified payload (callers use nan_passthrough).
template <class PacketD>
EIGEN_STRONG_INLINE PacketD gelu_for_float(const PacketD& x) {
  using C = GeluFloatConstants;
  const PacketD max_arg = set1<PacketD>(C::kMaxArg);
  const PacketD a = ei::pmin(ei::pabs(x), max_arg);
  // a has 24 significant bits, so a*a and -a*a/2 are exact in double.
  const PacketD e = exp_for_float(mul(mul(a, a), set1<PacketD>(-0.5)));
  const PacketD q = mul(e, ei::pdiv(horner(a, C::kP), horner(a, C::kQ)));
  const PacketD phi = select_lt(x, ei::pzero(x), q, ei::psub(set1<PacketD>(1.0), q));
  return mul(ei::pmax(x, negate(max_arg)), phi);
}

/// Double results, in double-word arithmetic.
template <class Packet>
EIGEN_STRONG_INLINE Packet gelu_for_double(const Packet& x) {
  using C = GeluDoubleConstants;
  const Packet xc = clamp_symmetric(x, C::kMaxArg);
  const Packet a = ei::pabs(xc);
  const DoubleWord<Packet> a2 = two_product(a, a);
  const Packet minus_half = set1<Packet>(-0.5);
  const ExpPartsDW<Packet> e = exp_parts_dw(mul(a2.hi, minus_half), mul(a2.lo, minus_half));

  const DoubleWord<Packet> q = dw_horner<C::kExactSteps>(a, C::kQ);
  const DoubleWord<Packet> d =
      dw_add(dw_mul(q, ei::padd(a, a)), dw_horner<C::kExactSteps>(a, C::kP));
  const DoubleWord<Packet> n = dw_mul(dw_mul(e.mantissa, a), q);
  const DoubleWord<Packet> a_q = dw_div(n, d);  // a * q(a) * 2^-k
  // Scaling the low word separately is exact unless it underflows, where it no longer matters.
  // The scaled words are kept rounded: GCC would otherwise contract the last multiplication of
  // Eigen's generic pldexp into x - hi - lo, and the scalar path (pldexp) and the AVX-512 packet
  // path (vscalefpd) would differ under directed rounding.
  Packet hi = scale_by_pow2(a_q.hi, e.exponent), lo = scale_by_pow2(a_q.lo, e.exponent);
  keep_rounded(hi);
  keep_rounded(lo);
  return gelu_from_abs_x_q(x, hi, lo);
}

/// 1/sqrt(2 pi) = c1/4 of gelu_tanh, as a double word.
struct GeluDerivativeConstants {
  static constexpr double kInvSqrt2PiHi = 0x1.9884533d43651p-2,
                          kInvSqrt2PiLo = -0x1.cbc0d30ebfd15p-56;
  static constexpr double kMaxArgForFloat = 15.0;  // gelu'(-15) = -8e-49: -0 in float
};

// gelu'(x) = Phi(x) + x phi(x). With a = |x|, E = e^(-a^2/2) and D = R(a) - a/sqrt(2 pi)
// (R of gelu above: Phi(-a) = E R(a), phi(a) = E/sqrt(2 pi)):
//   gelu'(x) = E D          for x <= 0,
//   gelu'(x) = 1 - E D      for x >  0,
// The only subtraction that cancels is D near its zero a ~ 0.7518, the zero of gelu' itself:
// R is evaluated to ~1e-19 absolute there (the double fit Q/(2aQ + P), in double words for
// double results), so the absolute error stays far below an ULP of the results around it.

/// Float results, in double on the widened lanes: the double fit of R in plain double (relative
/// error ~1e-16), E from the double exponential.
template <class PacketD>
EIGEN_STRONG_INLINE PacketD gelu_derivative_for_float(const PacketD& x) {
  using C = GeluDoubleConstants;
  using K = GeluDerivativeConstants;
  const PacketD a = ei::pmin(ei::pabs(x), set1<PacketD>(K::kMaxArgForFloat));
  const ExpParts<PacketD> e = exp_parts(mul(mul(a, a), set1<PacketD>(-0.5)));
  const PacketD q = horner(a, C::kQ);
  const PacketD r = ei::pdiv(q, madd(ei::padd(a, a), q, horner(a, C::kP)));
  const PacketD d = madd(a, set1<PacketD>(-K::kInvSqrt2PiHi), r);
  const PacketD ed = mul(mul(e.mantissa, pow2(e.exponent)), d);
  return select_le(x, ei::pzero(x), ed, ei::psub(set1<PacketD>(1.0), ed));
}

/// Double results, in double words (every Horner step of P and Q too: their rounding errors
/// would reach D unreduced at its zero).
template <class Packet>
EIGEN_STRONG_INLINE Packet gelu_derivative_for_double(const Packet& x) {
  using C = GeluDoubleConstants;
  using K = GeluDerivativeConstants;
  const Packet a = ei::pabs(clamp_symmetric(x, C::kMaxArg));
  const DoubleWord<Packet> a2 = two_product(a, a);
  const Packet minus_half = set1<Packet>(-0.5);
  const ExpPartsDW<Packet> e = exp_parts_dw(mul(a2.hi, minus_half), mul(a2.lo, minus_half));
  const DoubleWord<Packet> q = dw_horner<std::size(C::kQ) - 2>(a, C::kQ);
  const DoubleWord<Packet> p = dw_horner<std::size(C::kP) - 2>(a, C::kP);
  const DoubleWord<Packet> r = dw_div(q, dw_add(dw_mul(q, ei::padd(a, a)), p));
  DoubleWord<Packet> a_phi = two_product(a, set1<Packet>(-K::kInvSqrt2PiHi));
  a_phi.lo = madd(a, set1<Packet>(-K::kInvSqrt2PiLo), a_phi.lo);
  const DoubleWord<Packet> ed = dw_mul(e.mantissa, dw_add(r, a_phi));
  Packet hi = scale_by_pow2(ed.hi, e.exponent), lo = scale_by_pow2(ed.lo, e.exponent);
  keep_rounded(hi);
  keep_rounded(lo);
  const DoubleWord<Packet> one_minus = two_sum(set1<Packet>(1.0), negate(hi));
  const Packet positive = ei::padd(one_minus.hi, ei::psub(one_minus.lo, lo));
  return select_le(x, ei::pzero(x), scale_by_pow2(ei::padd(ed.hi, ed.lo), e.exponent), positive);
}

/// gelu' of both tiers (the precise kernel: within the fast tier's bound).
template <class Packet>
EIGEN_STRONG_INLINE Packet gelu_derivative(const Packet& x) {
  return float_in_double_else(
      x, [](const auto& wide) { return gelu_derivative_for_float(wide); },
      [](const auto& v) { return gelu_derivative_for_double(v); });
}

/// gelu of either tier (the fast one: fast/gelu.hpp).
template <Tier T, class Packet>
EIGEN_STRONG_INLINE Packet gelu(const Packet& x) {
  if constexpr (T == Tier::fast) {
    return fast_gelu(x);
  } else {
    return float_in_double_else(
        x, [](const auto& wide) { return gelu_for_float(wide); },
        [](const auto& v) { return gelu_for_double(v); });
  }
}

}  // namespace detail
}  // namespace activ
