// v * sigmoid(z) for z given as a double word, without cancellation and without overflow.
//
// Method: t = e^(-|z|) = m * 2^k (k <= 0) never overflows, and
//   sigmoid(z) = 1 / (1 + t)   for z >= 0,
//   sigmoid(z) = t / (1 + t)   for z <  0   (the form 1 - 1/(1+e^-z) would cancel).
// The numerator v*m is formed before the power of two is applied, so a subnormal result (silu
// near -100, sigmoid near -90) is rounded once, in scale_by_pow2. sigmoid, silu, swish and the
// tanh-form GELU are all this one kernel with a different v and z.
#pragma once

#include "activ/detail/exp_kernel.hpp"

namespace activ {
namespace detail {

template <class Scalar>
struct LogisticLimits;

// Beyond |z| = kMaxArg, e^-|z| times any finite v is below half the smallest subnormal, so
// clamping |z| there changes no result (float: 2^128 * e^-200 < 2^-150; double likewise).
template <>
struct LogisticLimits<float> {
  static constexpr float kMaxArg = 200.0f;
};
template <>
struct LogisticLimits<double> {
  static constexpr double kMaxArg = 1500.0;
};

/// v * sigmoid(z_hi + z_lo).
/// `v_neg` is the value used for v where z < 0; it must be finite (callers pass v clamped to
/// the finite range) so that -inf * e^-|z| cannot turn into NaN. NaN in v or z_hi gives NaN.
template <class Packet>
EIGEN_STRONG_INLINE Packet v_times_sigmoid(const Packet& v, const Packet& v_neg, const Packet& z_hi,
                                           const Packet& z_lo) {
  using Scalar = scalar_of<Packet>;
  const Packet zero = ei::pzero(z_hi);
  const Packet one = set1<Packet>(Scalar(1));
  const Packet max_arg = set1<Packet>(LogisticLimits<Scalar>::kMaxArg);

  const Packet negative = ei::pcmp_lt(z_hi, zero);
  const Packet abs_hi = ei::pabs(z_hi);
  // The low word only matters while |z| is in range; past it (or for z = inf, where the
  // two-product's low word is NaN) it is dropped.
  const Packet in_range = ei::pcmp_lt(abs_hi, max_arg);
  const Packet abs_lo = ei::pand(in_range, ei::pselect(negative, ei::pnegate(z_lo), z_lo));
  const Packet arg_hi = ei::pnegate(min_keep_nan(abs_hi, max_arg));

  const ExpParts<Packet> t = exp_parts(arg_hi, ei::pnegate(abs_lo));
  const Packet e_minus_abs_z = scale_by_pow2(t.mantissa, t.exponent);
  const Packet denominator = ei::padd(one, e_minus_abs_z);
  // 1 + t rounds; its error is recovered exactly (Fast2Sum: 1 >= t) and removed from the quotient
  // below, to first order: q*(1 - lo/den), with 1/den in [0.5, 1] taken from the chord
  // 1.5 - den/2 (12% off at worst, plenty for a correction that is below one ULP).
  const Packet denominator_lo = ei::padd(ei::psub(one, denominator), e_minus_abs_z);
  // v * m with m <= 1.42 could overflow for |v| near the largest finite value; v * (m/2) cannot.
  // (m/2 is exact; a v small enough for v * m/2 to round early has a subnormal result anyway.)
  const Packet half_m = ei::pmul(t.mantissa, set1<Packet>(Scalar(0.5)));
  const Packet numerator = ei::pselect(negative, ei::pmul(v_neg, half_m), v);
  const Packet exponent = ei::pselect(negative, ei::padd(t.exponent, one), zero);
  const Packet quotient = ei::pdiv(scale_by_pow2(numerator, exponent), denominator);
  const Packet inv_den = madd(set1<Packet>(Scalar(-0.5)), denominator, set1<Packet>(Scalar(1.5)));
  const Packet corrected = madd(ei::pnegate(quotient), ei::pmul(denominator_lo, inv_den), quotient);
  // Where 1 + t was exact there is nothing to correct, and that covers every zero and infinite
  // result (t = 1 for v = +-0; t underflows to 0 for |z| at the clamp): the plain quotient keeps
  // -0 and inf, which the multiply-add would turn into +0 and NaN.
  return ei::pselect(ei::pcmp_eq(denominator_lo, zero), quotient, corrected);
}

/// v clamped to the finite range [-max, max], NaN kept.
template <class Packet>
EIGEN_STRONG_INLINE Packet finite_clamp(const Packet& v) {
  using Scalar = scalar_of<Packet>;
  const Packet big = set1<Packet>(std::numeric_limits<Scalar>::max());
  return max_keep_nan(min_keep_nan(v, big), ei::pnegate(big));
}

}  // namespace detail
}  // namespace activ
