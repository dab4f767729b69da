// x * Phi(x), Phi the standard normal CDF, without the cancellation of 0.5*x*(1 + erf(x/sqrt2)).
//
// Method. With a = |x| and q(a) = Phi(-a) = 0.5*erfc(a/sqrt2):
//   q(a) = e^(-a^2/2) * R(a),   R(a) = 0.5*erfcx(a/sqrt2)  (smooth: 1/2 at 0, ~1/(a sqrt(2 pi)))
//   gelu(x) = x*q(a) for x <= 0,  x - x*q(a) for x > 0.
// The negative side never subtracts, so the tail keeps full relative accuracy down to underflow
// (float: x ~ -14.1, double: x ~ -38.5). a^2 is formed exactly as a double word (two_product)
// and both words feed the exponential: rounding x/sqrt2 or a^2 first costs ~100 ULP at x = -10.
//
// R is evaluated in Laplace's continued-fraction shape  R = Q(a) / (2a*Q(a) + P(a)):
// 1/R(a) - 2a is smooth and grows only like 0.51a, and in this form the rounding errors of Q
// cancel between numerator and denominator, while those of P are damped by P/(2aQ + P).
// P and Q are relative-error minimax fits of that shape (Sanathanan-Koerner linearisation
// with Lawson reweighting, in mpmath), on a in [0, kMaxArg]:
//   float : deg P = 5, deg Q = 4, relative fit error 5.9e-9
//   double: deg P = 11, deg Q = 10, relative fit error 9.2e-19
// Past kMaxArg the result is 0 (x < 0) or x (x > 0) in the working precision; a is clamped
// there, which also keeps -inf from turning into -inf * 0.
#pragma once

#include "activ/detail/exp_kernel.hpp"

namespace activ {
namespace detail {

template <class Scalar>
struct GeluConstants;

template <>
struct GeluConstants<float> {
  static constexpr float kMaxArg = 14.5f;
  static constexpr float kP[] = {0x1.000000p+1f,  0x1.595540p+0f,  0x1.4dbc98p-1f,
                                 0x1.a5e462p-3f,  0x1.516362p-5f,  0x1.115420p-8f};
  static constexpr float kQ[] = {0x1.000000p+0f, 0x1.c0d0dep-1f, 0x1.774492p-2f, 0x1.4cdeb2p-4f,
                                 0x1.0dc4a2p-7f};
};

template <>
struct GeluConstants<double> {
  static constexpr double kMaxArg = 38.7;
  static constexpr double kP[] = {
      0x1.0000000000000p+1,  0x1.740f3dc05c2efp+1, 0x1.2920b5efbb08ap+1, 0x1.489e9482e2f93p+0,
      0x1.0f9304b55fd32p-1,  0x1.58a9de20bd577p-3, 0x1.51d0f9706dc1ap-5, 0x1.fb315955cbfc2p-8,
      0x1.1ce4fd50e868bp-10, 0x1.c8ce99d5f2b76p-14, 0x1.d9587c1f3a64cp-18, 0x1.e69657de82253p-23};
  static constexpr double kQ[] = {
      0x1.0000000000000p+0,  0x1.a7cd1421ba7c6p+0, 0x1.5bcf52d2a17a8p+0, 0x1.6db0bd17c822cp-1,
      0x1.0e3472be7f9f0p-2,  0x1.23e26125f421fp-4, 0x1.d2355883bbf9cp-7, 0x1.10237b7127e08p-9,
      0x1.be30a3eb8be86p-13, 0x1.d3271e898c93ep-17, 0x1.e038a0b5fc3d7p-22};
};

template <class Packet>
EIGEN_STRONG_INLINE Packet gelu(const Packet& x) {
  using C = GeluConstants<scalar_of<Packet>>;
  const Packet zero = ei::pzero(x);
  const Packet limit = set1<Packet>(C::kMaxArg);
  const Packet signed_a = max_keep_nan(min_keep_nan(x, limit), ei::pnegate(limit));  // keeps -0
  const Packet a = ei::pabs(signed_a);

  const DoubleWord<Packet> a2 = two_product(a, a);
  const Packet minus_half = set1<Packet>(scalar_of<Packet>(-0.5));
  const ExpParts<Packet> e = exp_parts(ei::pmul(a2.hi, minus_half), ei::pmul(a2.lo, minus_half));

  const Packet q = horner(a, C::kQ);
  const Packet d = madd(ei::padd(a, a), q, horner(a, C::kP));
  const Packet numerator = ei::pmul(ei::pmul(signed_a, e.mantissa), q);
  const Packet x_q = scale_by_pow2(ei::pdiv(numerator, d), e.exponent);  // x * Phi(-|x|)
  // x <= 0 (so that -0 maps to -0): x*Phi(x) = x*q. x > 0: x*Phi(x) = x - x*q.
  return ei::pselect(ei::pcmp_le(x, zero), x_q, ei::psub(x, x_q));
}

}  // namespace detail
}  // namespace activ
