// The exponential kernels.
//
// exp_for_float: e^y in double arithmetic for the float kernels, which compute in double and
// round to float once (see its comment).
//
// exp_parts / exp_parts_dw: e^(hi + lo) split into a mantissa and a power of two, for arguments
// given as a double word: double for the precise double kernels (exp_parts_dw), float or double
// for the fast tier (exp_parts, in the lane type's own arithmetic).
//
// Method: k = round_to_nearest(hi / ln 2) (in every rounding mode), r = (hi - k*ln2) + lo,
// e^(hi+lo) = e^r * 2^k with |r| <= ln2/2.
// ln 2 is split Cody-Waite style into ln2_hi (few significant bits, so k*ln2_hi is exact without
// FMA) and ln2_lo. e^r is a minimax polynomial 1 + r + c2 r^2 + ... on [-1.01 ln2/2, 1.01 ln2/2]
// (the margin covers k rounded off by one in builds without FMA):
//   double: fitted with Sollya's fpminimax in double coefficients, degree 11, relative error
//           4.3e-18 (0.04 ULP);
//   float:  1 + r + r^2 P(r), P the Chebyshev fit (mpmath.chebyfit) of (e^r - 1 - r)/r^2 on
//           [-1.02 ln2/2, 1.02 ln2/2], rounded to float: degree 6, relative error 1.1e-8
//           (0.19 ULP) before the evaluation's own roundings.
// The power of two is returned separately: callers multiply everything else into the mantissa
// first and scale once at the end (scale_by_pow2), so a subnormal result is rounded exactly once.
// The low word `lo` is what keeps e^(-x^2/2) accurate for large x: rounding the argument alone
// would cost |arg| * 2^-53 relative error (~360 ULP at x = -38).
#pragma once

#include <limits>

#include "activ/detail/math/double_word.hpp"

namespace activ {
namespace detail {

template <class Scalar>
struct ExpConstants;

template <>
struct ExpConstants<double> {
  static constexpr double kLog2e = 0x1.71547652b82fep0;
  static constexpr double kLn2Hi = 0x1.62e42ffp-1;  // 33 significant bits
  static constexpr double kLn2Lo = -0x1.718432a1b0e26p-35;
  static constexpr double kPoly[] = {1.0,
                                     1.0,
                                     0x1.000000000000bp-1,
                                     0x1.55555555554f5p-3,
                                     0x1.555555555007p-5,
                                     0x1.1111111128792p-7,
                                     0x1.6c16c185ec859p-10,
                                     0x1.a01a0129149c2p-13,
                                     0x1.a019953c73e0fp-16,
                                     0x1.71df21f8e634ep-19,
                                     0x1.28b1f22b3d584p-22,
                                     0x1.ad8e8edd255a1p-26};
};

template <>
struct ExpConstants<float> {
  static constexpr float kLog2e = 0x1.715476p0f;
  static constexpr float kLn2Hi = 0x1.62e4p-1f;  // 15 significant bits: k*kLn2Hi exact, |k| < 512
  static constexpr float kLn2Lo = 0x1.7f7d1cp-20f;
  static constexpr float kPoly[] = {1.0f,           1.0f,           0x1.0p-1f,      0x1.5554d4p-3f,
                                    0x1.555514p-5f, 0x1.121582p-7f, 0x1.6d1b1cp-10f};
};

template <class Packet>
struct ExpParts {
  Packet mantissa;  // e^r, in [0.70, 1.42]
  Packet exponent;  // k, an integer held in the floating-point type
};

/// k = round(hi / ln2) and the reduced argument r = hi + lo - k*ln2 as a double word.
template <class Packet>
struct ReducedArgument {
  Packet k;
  DoubleWord<Packet> r;
};

template <class Packet>
EIGEN_STRONG_INLINE ReducedArgument<Packet> reduce_exp_argument(const Packet& hi,
                                                                const Packet& lo) {
  using C = ExpConstants<scalar_of<Packet>>;
  const Packet k = round_to_nearest(mul(hi, set1<Packet>(C::kLog2e)));
  const Packet r_hi = madd(k, set1<Packet>(-C::kLn2Hi), hi);  // exact
  return {k, {r_hi, madd(k, set1<Packet>(-C::kLn2Lo), lo)}};
}

/// e^(hi + lo) = mantissa * 2^exponent, float or double. Requires |lo| <= ulp(hi) and
/// |hi / ln2| < 2^20 (double), < 512 (float); callers clamp.
template <class Packet>
EIGEN_STRONG_INLINE ExpParts<Packet> exp_parts(const Packet& hi, const Packet& lo) {
  using C = ExpConstants<scalar_of<Packet>>;
  const ReducedArgument<Packet> a = reduce_exp_argument(hi, lo);
  return {horner(ei::padd(a.r.hi, a.r.lo), C::kPoly), a.k};
}

/// e^y = mantissa * 2^exponent for a single-word y: exp_parts(y, 0) without the low word's
/// additions (r = (y - k*ln2_hi) - k*ln2_lo).
template <class Packet>
EIGEN_STRONG_INLINE ExpParts<Packet> exp_parts(const Packet& y) {
  using C = ExpConstants<scalar_of<Packet>>;
  const Packet k = round_to_nearest(mul(y, set1<Packet>(C::kLog2e)));
  const Packet r = madd(k, set1<Packet>(-C::kLn2Lo), madd(k, set1<Packet>(-C::kLn2Hi), y));
  return {horner(r, C::kPoly), k};
}

/// Multiplication by 2^k for the fast tier's kernels, k integral-valued and <= 0, each product
/// rounded once. With a native scale_by_pow2 (has_native_scale) every lane takes it; otherwise
/// 2^k is built from k's bits where it is normal, and scale_by_pow2 runs only for packets with
/// a lane that needs it. The two give the same bits.
template <class Packet>
class Pow2Scale {
 public:
  EIGEN_STRONG_INLINE explicit Pow2Scale(const Packet& k)
      : k_(k), min_exponent_(set1<Packet>(kMinNormalExponent)) {
    if constexpr (!has_native_scale<Packet>::value) p_ = pow2(ei::pmax(k, min_exponent_));
  }

  /// m * 2^k where 2^k is normal, else 0, for m ~ 1: a term that 1 + term or 1 - term must then
  /// ignore exactly, in every rounding mode (1 + 2^-140 is 1 + ulp rounded upward).
  EIGEN_STRONG_INLINE Packet small_term(const Packet& m) const {
    const Packet zero = ei::pzero(m);
    if constexpr (has_native_scale<Packet>::value) {
      return select_lt(k_, min_exponent_, zero, scale_by_pow2(m, k_));
    } else {
      return select_lt(k_, min_exponent_, zero, mul(m, p_));
    }
  }

  /// m * 2^k where 2^k is normal; where it is not, m * 2^-126 (float) or m * 2^-1022 (double),
  /// which is larger: for a low-order term that only refines a sum far larger than it.
  EIGEN_STRONG_INLINE Packet refinement_term(const Packet& m) const {
    if constexpr (has_native_scale<Packet>::value) {
      return scale_by_pow2(m, k_);
    } else {
      return mul(m, p_);
    }
  }

  /// q * 2^k rounded once (into the subnormals where it lands there), in the lanes where `used`
  /// is set; the others are unspecified.
  EIGEN_STRONG_INLINE Packet apply(const Packet& q, const Packet& used) const {
    if constexpr (has_native_scale<Packet>::value) {
      EIGEN_UNUSED_VARIABLE(used);
      return scale_by_pow2(q, k_);
    } else {
      const Packet needs_exact = ei::pand(used, ei::pcmp_lt(k_, min_exponent_));
      return ei::predux_any(needs_exact) ? scale_by_pow2(q, k_) : mul(q, p_);
    }
  }

 private:
  using Scalar = scalar_of<Packet>;
  // The smallest k for which 2^k is normal.
  static constexpr Scalar kMinNormalExponent =
      Scalar(std::numeric_limits<Scalar>::min_exponent - 1);
  Packet k_, min_exponent_, p_{};
};

template <class Packet>
struct ExpPartsDW {
  DoubleWord<Packet> mantissa;
  Packet exponent;
};

/// e^(hi + lo) with the mantissa as a double word (relative error ~0.1 u instead of ~1 u), for
/// kernels whose result multiplies e^x by other computed factors. Same requirements as exp_parts.
/// e^r = 1 + r + r^2 * S(r): the leading 1 + r is added exactly, so only the small tail
/// r^2 * S(r) (and the rounding of r itself, carried in dr) is subject to rounding.
template <class Packet>
EIGEN_STRONG_INLINE ExpPartsDW<Packet> exp_parts_dw(const Packet& hi, const Packet& lo) {
  using C = ExpConstants<scalar_of<Packet>>;
  const ReducedArgument<Packet> a = reduce_exp_argument(hi, lo);
  const DoubleWord<Packet> r = two_sum(a.r.hi, a.r.lo);
  const Packet tail = madd(mul(r.hi, r.hi), horner_from<2>(r.hi, C::kPoly), r.lo);
  const DoubleWord<Packet> t = fast_two_sum(r.hi, tail);
  const DoubleWord<Packet> m = fast_two_sum(set1<Packet>(1.0), t.hi);
  return {{m.hi, ei::padd(m.lo, t.lo)}, a.k};
}

/// e^y in double arithmetic, for kernels that compute float results in double (widen.hpp) and
/// round once at the end: there, a relative error far below a float ULP is enough, and the
/// cheapest path to it is a degree-6 polynomial and a single-constant reduction.
///   k = round_to_nearest(y / ln2) (in every rounding mode), r = y - k*ln2 with |r| <= ln2/2
///   (ln2 as one double: |k| <= 1023 keeps the reduction error below 2^-43), e^r = minimax
///   polynomial fitted with Sollya's fpminimax (double coefficients, relative error,
///   [-1.01 ln2/2, 1.01 ln2/2]): 3.9e-9 = 2^-27.9, 0.07 float ULP. 2^k is built from k's bits
///   (pow2).
/// Max error: 3.9e-9 relative for |y| <= 700 (results normal doubles). NaN gives NaN.
struct ExpForFloatConstants {
  static constexpr double kLog2e = 0x1.71547652b82fep0;
  static constexpr double kLn2 = 0x1.62e42fefa39efp-1;
  static constexpr double kPoly[] = {1.0,
                                     1.0,
                                     0x1.fffff7d3a28dep-2,
                                     0x1.55548664cd121p-3,
                                     0x1.555ba11cca084p-5,
                                     0x1.12418a4826afdp-7,
                                     0x1.68620789b476p-10};
};

template <class PacketD>
EIGEN_STRONG_INLINE PacketD exp_for_float(const PacketD& y) {
  using C = ExpForFloatConstants;
  const PacketD k = round_to_nearest(mul(y, set1<PacketD>(C::kLog2e)));
  const PacketD r = madd(k, set1<PacketD>(-C::kLn2), y);
  return mul(horner(r, C::kPoly), pow2(k));
}

}  // namespace detail
}  // namespace activ
