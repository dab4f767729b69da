// e^(hi + lo) split into a mantissa and a power of two, for arguments given as a double word.
//
// Method: k = round(hi / ln 2), r = (hi - k*ln2) + lo, e^(hi+lo) = e^r * 2^k with |r| <= ln2/2.
// ln 2 is split Cody-Waite style into ln2_hi (few significant bits, so k*ln2_hi is exact without
// FMA) and ln2_lo. e^r is a minimax polynomial 1 + r + c2 r^2 + ... fitted with Sollya's
// fpminimax in the working precision's coefficients on [-1.01 ln2/2, 1.01 ln2/2] (the margin
// covers k rounded off by one in builds without FMA):
//   float : degree 6, relative error 3.5e-9  (0.03 ULP)
//   double: degree 11, relative error 4.3e-18 (0.04 ULP)
// The power of two is returned separately: callers multiply everything else into the mantissa
// first and scale once at the end (scale_by_pow2), so a subnormal result is rounded exactly once.
// The low word `lo` is what keeps e^(-x^2/2) accurate for large x: rounding the argument alone
// would cost |arg| * 2^-24 relative error (~100 ULP at x = -14).
#pragma once

#include "activ/detail/double_word.hpp"

namespace activ {
namespace detail {

template <class Scalar>
struct ExpConstants;

template <>
struct ExpConstants<float> {
  static constexpr float kLog2e = 0x1.715476p0f;
  static constexpr float kLn2Hi = 0x1.63p-1f;  // 9 significant bits
  static constexpr float kLn2Lo = -0x1.bd0106p-13f;
  static constexpr float kRoundShift = 0x1.8p23f;  // adding it rounds to an integer
  static constexpr float kPoly[] = {1.0f,           1.0f,           0x1.fffffap-2f, 0x1.55548ap-3f,
                                    0x1.555a12p-5f, 0x1.123f7cp-7f, 0x1.696e4ep-10f};
};

template <>
struct ExpConstants<double> {
  static constexpr double kLog2e = 0x1.71547652b82fep0;
  static constexpr double kLn2Hi = 0x1.62e42ffp-1;  // 33 significant bits
  static constexpr double kLn2Lo = -0x1.718432a1b0e26p-35;
  static constexpr double kRoundShift = 0x1.8p52;
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
EIGEN_STRONG_INLINE ReducedArgument<Packet> reduce_exp_argument(const Packet& hi, const Packet& lo) {
  using C = ExpConstants<scalar_of<Packet>>;
  const Packet shift = set1<Packet>(C::kRoundShift);
  const Packet k = ei::psub(madd(hi, set1<Packet>(C::kLog2e), shift), shift);
  const Packet r_hi = madd(k, set1<Packet>(-C::kLn2Hi), hi);  // exact
  return {k, {r_hi, madd(k, set1<Packet>(-C::kLn2Lo), lo)}};
}

/// e^(hi + lo) = mantissa * 2^exponent. Requires |lo| <= ulp(hi) and |hi| < 2^20; callers clamp.
template <class Packet>
EIGEN_STRONG_INLINE ExpParts<Packet> exp_parts(const Packet& hi, const Packet& lo) {
  using C = ExpConstants<scalar_of<Packet>>;
  const ReducedArgument<Packet> a = reduce_exp_argument(hi, lo);
  return {horner(ei::padd(a.r.hi, a.r.lo), C::kPoly), a.k};
}

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
  const Packet tail = madd(ei::pmul(r.hi, r.hi), horner_from<2>(r.hi, C::kPoly), r.lo);
  const DoubleWord<Packet> t = fast_two_sum(r.hi, tail);
  const DoubleWord<Packet> m = fast_two_sum(set1<Packet>(scalar_of<Packet>(1)), t.hi);
  return {{m.hi, ei::padd(m.lo, t.lo)}, a.k};
}

}  // namespace detail
}  // namespace activ
