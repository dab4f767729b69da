// The fast tier's v * sigmoid(z): sigmoid, silu, swish and the tanh-form GELU in the lane type's
// own arithmetic (float lanes in float, double lanes in double), within 4 ULP.
//
// Method: t = e^-|z| = m * 2^k (exp_parts, k <= 0), and
//   sigmoid(z) = 1 / (1 + t)             for z >= 0,
//   sigmoid(z) = (m / (1 + t)) * 2^k     for z <  0,
// so v * sigmoid(z) is v / (1 + t), or (v*m / (1 + t)) * 2^k with the power of two applied last:
// one rounding where the result is subnormal (sigmoid(-100), silu(-95) in float), and none of
// the intermediates underflows first. Errors, in ULP of the result: m (polynomial and reduction)
// ~1, 1 + t 0.5, v*m 0.5, the division 0.5; the final scaling is exact or the one rounding of a
// subnormal result. z = z_hi + z_lo: swish's beta*x and gelu_tanh's argument are double words,
// because e^z amplifies an absolute error of z into a relative one (|z| ~ 100 would cost ~100
// ULP rounded).
//
// 2^k. While k >= the smallest normal exponent, 2^k is built from k's bits (pow2) and one
// multiplication applies it. Lanes of z < 0 beyond it (|z| > ~87 float, ~708 double) are
// recomputed with scale_by_pow2, only in packets that have such a lane (predux_any); every lane
// takes the same arithmetic in either case, so a result does not depend on its neighbours.
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
  // The smallest k for which 2^k is normal.
  static constexpr Scalar kMinNormalExponent =
      Scalar(std::numeric_limits<Scalar>::min_exponent - 1);
};

/// v * sigmoid(z_hi + z_lo), |z_lo| <= ulp(z_hi)/2, in the lane type's arithmetic. NaN lanes give
/// a NaN of unspecified payload (callers use nan_passthrough). `tail_v()` gives the finite value
/// that stands in for v in the lanes where z < 0 and e^z is subnormal: v clamped to the finite
/// range (v = -inf gives -0, not NaN), or gelu_tanh's clamped x, whose z was computed from it.
template <class Packet, class TailV>
EIGEN_STRONG_INLINE Packet fast_v_times_sigmoid(const Packet& v, const Packet& z_hi,
                                                const Packet& z_lo, const TailV& tail_v) {
  using Scalar = scalar_of<Packet>;
  using C = FastLogisticConstants<Scalar>;
  const Packet zero = ei::pzero(z_hi);
  const Packet one = set1<Packet>(Scalar(1));
  const Packet max_arg = set1<Packet>(C::kMaxArg);

  // e^-|z| = m * 2^k; the low word only matters while |z| is in range (and is NaN for z = inf).
  const Packet abs_hi = ei::pabs(z_hi);
  const Packet negative_lo = select_lt(z_hi, zero, z_lo, ei::pnegate(z_lo));  // the sign of -|z|
  const Packet arg_lo = select_lt(abs_hi, max_arg, negative_lo, zero);
  const ExpParts<Packet> e = exp_parts(ei::pnegate(ei::pmin(abs_hi, max_arg)), arg_lo);

  const Packet min_exponent = set1<Packet>(C::kMinNormalExponent);
  const Packet subnormal_pow2 = ei::pcmp_lt(e.exponent, min_exponent);
  // 2^k where it is normal, else 0: then 1 + t = 1 exactly, in every rounding mode.
  const Packet p = ei::pandnot(pow2(ei::pmax(e.exponent, min_exponent)), subnormal_pow2);
  const Packet denominator = ei::padd(one, ei::pmul(e.mantissa, p));
  const Packet negative = ei::pcmp_lt(z_hi, zero);
  const Packet numerator = ei::pselect(negative, ei::pmul(v, e.mantissa), v);
  const Packet result = ei::pmul(ei::pdiv(numerator, denominator), ei::pselect(negative, p, one));
  const Packet tiny = ei::pand(negative, subnormal_pow2);
  if (!ei::predux_any(tiny)) return result;
  // The lanes whose 2^k is subnormal (there, 1 + t = 1): (v * m/2) * 2^(k+1), scaled exactly.
  // m/2 keeps v*m finite for |v| up to the largest finite value.
  const Packet v_half_m = ei::pmul(tail_v(), ei::pmul(e.mantissa, set1<Packet>(Scalar(0.5))));
  return ei::pselect(tiny, scale_by_pow2(v_half_m, ei::padd(e.exponent, one)), result);
}

}  // namespace detail
}  // namespace activ
