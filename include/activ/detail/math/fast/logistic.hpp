// The fast tier's v * sigmoid(z): sigmoid, silu, swish and the tanh-form GELU in the lane type's
// own arithmetic (float lanes in float, double lanes in double), within 4 ULP.
//
// Method: t = e^-|z| = m * 2^k (exp_parts, k <= 0), and
//   sigmoid(z) = 1 / (1 + t)              for z >= 0,
//   sigmoid(z) = (m / (1 + t)) * 2^k      for z <  0,
// so v * sigmoid(z) is v / (1 + t), or (v*m / (1 + t)) * 2^k with the power of two applied last
// (Pow2Scale): one rounding where the result is subnormal (sigmoid(-100), silu(-95) in float),
// and none of the intermediates underflows first. Errors, in ULP of the result: m (polynomial
// and reduction) ~1, 1 + t 0.5, v*m 0.5, the division 0.5; the final scaling is exact or the
// one rounding of a subnormal result. z = z_hi + z_lo: swish's beta*x and gelu_tanh's argument
// are double words, because e^z amplifies an absolute error of z into a relative one (|z| ~ 100
// would cost ~100 ULP rounded); sigmoid and silu pass z alone.
#pragma once

#include <limits>

#include "activ/detail/math/exp.hpp"

namespace activ {
namespace detail {

template <class Scalar>
struct FastLogisticConstants {
  // Beyond |z| = kMaxArg, e^-|z| times any finite v is below half the smallest subnormal
  // (float: 2^128 * e^-200 < 2^-150; double: 2^1024 * e^-1500 < 2^-1075).
  static constexpr Scalar kMaxArg = std::is_same_v<Scalar, float> ? Scalar(200) : Scalar(1500);
};

/// v * sigmoid(z) given e^-|z| = e.mantissa * 2^e.exponent (the method above). Where z < 0,
/// `tail_v()` stands in for v: v itself or any value that agrees with v wherever e^-|z| is a
/// normal number, with |tail_v| <= max/2 so that v*m stays finite (silu: x clamped from below to
/// -max/2, so x = -inf gives -0, not NaN; gelu_tanh: its clamped x, whose z was computed from it).
template <class Packet, class TailV>
EIGEN_STRONG_INLINE Packet fast_v_times_sigmoid_from_exp(const Packet& v, const Packet& z,
                                                         const ExpParts<Packet>& e,
                                                         const TailV& tail_v) {
  const Packet zero = ei::pzero(z);
  const Packet one = set1<Packet>(scalar_of<Packet>(1));
  const Pow2Scale<Packet> scale(e.exponent);
  const Packet denominator = ei::padd(one, scale.small_term(e.mantissa));
  const Packet numerator = select_lt(z, zero, mul(tail_v(), e.mantissa), v);
  const Packet quotient = ei::pdiv(numerator, denominator);
  return select_lt(z, zero, scale.apply(quotient, ei::pcmp_lt(z, zero)), quotient);
}

/// -|z| clamped to [-kMaxArg, 0]: the argument of e^-|z|.
template <class Packet>
EIGEN_STRONG_INLINE Packet minus_abs_clamped(const Packet& z) {
  using Scalar = scalar_of<Packet>;
  const Packet minus_abs = ei::por(z, set1<Packet>(Scalar(-0.0)));  // the sign bit set
  return ei::pmax(minus_abs, set1<Packet>(-FastLogisticConstants<Scalar>::kMaxArg));
}

/// The finite stand-in for v = x (silu, swish) where z < 0: x clamped from below to -max/2.
template <class Packet>
EIGEN_STRONG_INLINE Packet tail_stand_in(const Packet& x) {
  using Scalar = scalar_of<Packet>;
  return ei::pmax(x, set1<Packet>(-std::numeric_limits<Scalar>::max() / 2));
}

/// v * sigmoid(z_hi + z_lo), |z_lo| <= ulp(z_hi)/2, in the lane type's arithmetic. NaN lanes give
/// a NaN of unspecified payload (callers use nan_passthrough); tail_v as above.
template <class Packet, class TailV>
EIGEN_STRONG_INLINE Packet fast_v_times_sigmoid(const Packet& v, const Packet& z_hi,
                                                const Packet& z_lo, const TailV& tail_v) {
  const Packet zero = ei::pzero(z_hi);
  const Packet max_arg = set1<Packet>(FastLogisticConstants<scalar_of<Packet>>::kMaxArg);
  // e^-|z| = m * 2^k; the low word only matters while |z| is in range (and is NaN for z = inf).
  const Packet abs_hi = ei::pabs(z_hi);
  const Packet negative_lo = select_lt(z_hi, zero, z_lo, negate(z_lo));  // the sign of -|z|
  const Packet arg_lo = select_lt(abs_hi, max_arg, negative_lo, zero);
  const ExpParts<Packet> e = exp_parts(minus_abs_clamped(z_hi), arg_lo);
  return fast_v_times_sigmoid_from_exp(v, z_hi, e, tail_v);
}

/// v * sigmoid(z) for a single-word z.
template <class Packet, class TailV>
EIGEN_STRONG_INLINE Packet fast_v_times_sigmoid(const Packet& v, const Packet& z,
                                                const TailV& tail_v) {
  const ExpParts<Packet> e = exp_parts(minus_abs_clamped(z));
  return fast_v_times_sigmoid_from_exp(v, z, e, tail_v);
}

}  // namespace detail
}  // namespace activ
