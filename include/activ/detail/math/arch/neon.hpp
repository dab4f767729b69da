// aarch64 NEON specializations of the primitives of packet.hpp (Packet4f, Packet2f, Packet2d):
// frintn, fcvtl / fcvtl2 and fcvtn / fcvtn2, ld2.
#pragma once

// packet.hpp declares the templates specialized here, and includes this file at its end.
#include "activ/detail/math/packet.hpp"

#if ACTIV_NATIVE_NEON64

// (GCC warns that the vector attributes of float32x4_t & co. are dropped from template
// arguments; they only select a specialization here, as everywhere in Eigen.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

namespace activ {
namespace detail {

template <>
EIGEN_STRONG_INLINE ei::Packet2d round_to_nearest<ei::Packet2d>(const ei::Packet2d& t) {
  return vrndnq_f64(t);
}

template <>
EIGEN_STRONG_INLINE ei::Packet4f round_to_nearest<ei::Packet4f>(const ei::Packet4f& t) {
  return vrndnq_f32(t);
}

template <>
EIGEN_STRONG_INLINE ei::Packet2d pow2_from_biased<ei::Packet2d>(const ei::Packet2d& s) {
  return vreinterpretq_f64_u64(vshlq_n_u64(vreinterpretq_u64_f64(s), 52));
}
template <>
EIGEN_STRONG_INLINE ei::Packet4f pow2_from_biased<ei::Packet4f>(const ei::Packet4f& s) {
  return vreinterpretq_f32_u32(vshlq_n_u32(vreinterpretq_u32_f32(s), 23));
}

template <>
struct widening<ei::Packet4f> {
  static constexpr Widening kind = Widening::kHalves;
  static EIGEN_STRONG_INLINE ei::Packet2d widen_low(const ei::Packet4f& x) {
    return vcvt_f64_f32(vget_low_f32(x));
  }
  static EIGEN_STRONG_INLINE ei::Packet2d widen_high(const ei::Packet4f& x) {
    return vcvt_high_f64_f32(x);
  }
  static EIGEN_STRONG_INLINE ei::Packet4f narrow(const ei::Packet2d& lo, const ei::Packet2d& hi) {
    return vcvt_high_f32_f64(vcvt_f32_f64(lo), hi);
  }
};
// Packet2f (Eigen's half of Packet4f, and the packet the scalar path uses) widens whole.
template <>
struct widening<ei::Packet2f> {
  static constexpr Widening kind = Widening::kWhole;
  static EIGEN_STRONG_INLINE ei::Packet2d widen(const ei::Packet2f& x) { return vcvt_f64_f32(x); }
  static EIGEN_STRONG_INLINE ei::Packet2f narrow(const ei::Packet2d& x) { return vcvt_f32_f64(x); }
};

template <>
EIGEN_STRONG_INLINE ei::Packet4f load_every_other<ei::Packet4f, float>(const float* p,
                                                                       Eigen::Index lane) {
  const float32x4x2_t v = vld2q_f32(p);
  return lane ? v.val[1] : v.val[0];
}
template <>
EIGEN_STRONG_INLINE ei::Packet2d load_every_other<ei::Packet2d, double>(const double* p,
                                                                        Eigen::Index lane) {
  const float64x2x2_t v = vld2q_f64(p);
  return lane ? v.val[1] : v.val[0];
}

// bfloat16 lanes (Eigen's Packet4bf): Eigen's conversions, narrowing by integer rounding to
// nearest even (whatever the rounding mode).
template <>
struct widening16<ei::Packet4bf> {
  static constexpr Widening kind = Widening::kWhole;
  static EIGEN_STRONG_INLINE ei::Packet4f widen(const ei::Packet4bf& x) { return ei::Bf16ToF32(x); }
  static EIGEN_STRONG_INLINE ei::Packet4bf narrow(const ei::Packet4f& x) {
    return ei::F32ToBf16(x);
  }
};

}  // namespace detail
}  // namespace activ

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif
