// POWER VSX: guards, not faster instructions. They apply with ACTIV_GENERIC_PACKET_PATH too: they
// fix the generic path on these packet types.
//
// scale_by_pow2 (m * 2^k rounded once) does not use Eigen 3.4's pldexp here, for either packet:
// - Packet2d: a NaN exponent in one lane changes the other lane's result (pldexp({1, 1},
//   {1, NaN}) gives {1, 1}, not {2, NaN}), and under FE_DOWNWARD pldexp(0.7, -2164) gives -0
//   (double sigmoid(-inf) came out -0 in both paths; seen with GCC 12 under qemu-ppc64le).
// - Packet4f: Eigen multiplies float packets with vec_madd (pmul is a*b + -0), which GCC may emit
//   as the AltiVec vmaddfp. Linux runs processes in the vector unit's non-Java mode
//   (VSCR[NJ] = 1), where that instruction flushes subnormal results to zero (the VSX
//   instructions do not): fast::silu(-0x1.8379aep-126) gave -0 in a packet that also held -100
//   (that lane sends the whole packet through scale_by_pow2), where the scalar path gives
//   -0x1.8379bp-127.
// Here each lane is scaled with std::ldexp in double and rounded once to the lane type: exact in
// double for every float m, one rounding for double m, in the current rounding mode; k is clamped
// to ±2200, beyond which every result is ±0 or ±inf anyway, and NaN k reads as 0. It runs on
// every packet of the precise double kernels and on the fast tier's packets that have a lane
// whose 2^k is subnormal.
//
// For the same reason activ's float products and multiply-adds (mul, madd) are written so that
// they can only be VSX instructions: a * b on the vector type is xvmulsp (AltiVec has no
// multiply), and the multiply-add is xvmaddasp in inline assembly, where the compiler cannot pick
// vmaddfp. Eigen's own float code keeps vmaddfp, whose subnormal results flush under NJ = 1.
//
// Signed zeros: Eigen's pmul is a*b + -0 for double too, and its pnegate is 0 - a, so under
// FE_DOWNWARD pmul(+0, 1) is -0, and pnegate(+0) is +0 in round-to-nearest (gelu(+0) came out
// -0 under FE_DOWNWARD). activ's mul is a * b (xvmuldp) and its negate flips the sign bit, for
// both packet types, as on x86 and NEON.
#pragma once

#include <algorithm>
#include <cmath>

// packet.hpp declares the templates specialized here, and includes this file at its end.
#include "activ/detail/math/packet.hpp"

#if defined(EIGEN_VECTORIZE_VSX)

namespace activ {
namespace detail {

/// k with its NaN lanes replaced by 0.
EIGEN_STRONG_INLINE ei::Packet2d exponent_without_nan(const ei::Packet2d& k) {
  return select_eq(k, k, k, ei::pzero(k));
}

/// m * 2^k, each lane by std::ldexp in double (above).
template <class Packet>
EIGEN_STRONG_INLINE Packet scale_by_pow2_lanewise(const Packet& m, const Packet& k) {
  using Scalar = scalar_of<Packet>;
  constexpr int kSize = ei::unpacket_traits<Packet>::size;
  EIGEN_ALIGN16 Scalar mantissa[kSize], exponent[kSize];
  ei::pstore(mantissa, m);
  ei::pstore(exponent, k);
  for (int i = 0; i < kSize; ++i) {
    const Scalar e =
        exponent[i] == exponent[i] ? std::clamp(exponent[i], Scalar(-2200), Scalar(2200)) : 0;
    mantissa[i] =
        static_cast<Scalar>(std::ldexp(static_cast<double>(mantissa[i]), static_cast<int>(e)));
  }
  return ei::pload<Packet>(mantissa);
}

template <>
EIGEN_STRONG_INLINE ei::Packet2d scale_by_pow2<ei::Packet2d>(const ei::Packet2d& m,
                                                             const ei::Packet2d& k) {
  return scale_by_pow2_lanewise(m, k);
}

template <>
EIGEN_STRONG_INLINE ei::Packet4f scale_by_pow2<ei::Packet4f>(const ei::Packet4f& m,
                                                             const ei::Packet4f& k) {
  return scale_by_pow2_lanewise(m, k);
}

template <>
EIGEN_STRONG_INLINE ei::Packet4f mul<ei::Packet4f>(const ei::Packet4f& a, const ei::Packet4f& b) {
  return a * b;
}

template <>
EIGEN_STRONG_INLINE ei::Packet2d mul<ei::Packet2d>(const ei::Packet2d& a, const ei::Packet2d& b) {
  return a * b;
}

template <>
EIGEN_STRONG_INLINE ei::Packet4f negate<ei::Packet4f>(const ei::Packet4f& a) {
  return ei::pxor(a, set1<ei::Packet4f>(-0.0f));
}

template <>
EIGEN_STRONG_INLINE ei::Packet2d negate<ei::Packet2d>(const ei::Packet2d& a) {
  return ei::pxor(a, set1<ei::Packet2d>(-0.0));
}

template <>
EIGEN_STRONG_INLINE ei::Packet4f madd<ei::Packet4f>(const ei::Packet4f& a, const ei::Packet4f& b,
                                                    const ei::Packet4f& c) {
  ei::Packet4f r = c;
  __asm__("xvmaddasp %x0, %x1, %x2" : "+wa"(r) : "wa"(a), "wa"(b));
  return r;
}

/// 2^k for normal 2^k: the shift of pow2_from_biased's comment (generic: pldexp, whose float
/// multiplications are vmaddfp).
template <>
EIGEN_STRONG_INLINE ei::Packet4f pow2_from_biased<ei::Packet4f>(const ei::Packet4f& s) {
  return ei::preinterpret<ei::Packet4f>(
      ei::plogical_shift_left<23>(ei::preinterpret<ei::Packet4i>(s)));
}

/// 2^k normal: pldexp's results are right there; only the NaN guard is needed.
template <>
EIGEN_STRONG_INLINE ei::Packet2d pow2_from_biased<ei::Packet2d>(const ei::Packet2d& s) {
  return ei::pldexp(set1<ei::Packet2d>(1.0),
                    exponent_without_nan(ei::psub(s, set1<ei::Packet2d>(0x1.8p52 + 1023))));
}

}  // namespace detail
}  // namespace activ

#endif
