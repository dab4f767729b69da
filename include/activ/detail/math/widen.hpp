// Converting a float packet to double packets and back.
//
// Kernels that must round a product of several computed factors only once (float gelu) run in
// double on the widened lanes: every intermediate error is then ~2^-50, far below a float ULP,
// and the final narrowing is the single rounding (subnormal float results included).
// Eigen has no portable split of a packet into halves, so the split is one small primitive per
// ISA where it pays (SSE2, AVX, AVX-512, aarch64 NEON), and a generic fallback through memory for
// every other packet type Eigen provides. Both convert each lane exactly (float -> double) and
// round each lane once in the current rounding mode (double -> float): the same results.
#pragma once

#include "activ/detail/math/packet.hpp"

namespace activ {
namespace detail {

// The shape of a float packet's native conversion: none (the generic fallback), the whole packet
// into one double packet (widen / narrow), or its two halves into two (widen_low / widen_high /
// narrow(lo, hi)). Declared by overloads on a pointer tag rather than a class template: GCC warns
// about (and drops) the vector attributes of __m128 & co. used as template arguments.
enum class Widening { kGeneric, kWhole, kHalves };
template <class PacketF>
constexpr Widening native_widening(const PacketF*) {
  return Widening::kGeneric;
}

constexpr Widening native_widening(const float*) { return Widening::kWhole; }
EIGEN_STRONG_INLINE double widen(float x) { return x; }
EIGEN_STRONG_INLINE float narrow(double x) { return static_cast<float>(x); }

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_SSE2)
constexpr Widening native_widening(const ei::Packet4f*) { return Widening::kHalves; }
EIGEN_STRONG_INLINE ei::Packet2d widen_low(const ei::Packet4f& x) { return _mm_cvtps_pd(x); }
EIGEN_STRONG_INLINE ei::Packet2d widen_high(const ei::Packet4f& x) {
  return _mm_cvtps_pd(_mm_movehl_ps(x, x));
}
EIGEN_STRONG_INLINE ei::Packet4f narrow(const ei::Packet2d& lo, const ei::Packet2d& hi) {
  return _mm_movelh_ps(_mm_cvtpd_ps(lo), _mm_cvtpd_ps(hi));
}
#endif

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX)
constexpr Widening native_widening(const ei::Packet8f*) { return Widening::kHalves; }
EIGEN_STRONG_INLINE ei::Packet4d widen_low(const ei::Packet8f& x) {
  return _mm256_cvtps_pd(_mm256_castps256_ps128(x));
}
EIGEN_STRONG_INLINE ei::Packet4d widen_high(const ei::Packet8f& x) {
  return _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1));
}
EIGEN_STRONG_INLINE ei::Packet8f narrow(const ei::Packet4d& lo, const ei::Packet4d& hi) {
  return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(lo)), _mm256_cvtpd_ps(hi), 1);
}
#endif

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX512)
// Zero-masked forms with a full mask: the same instructions, without GCC 12's
// -Wmaybe-uninitialized false positives on the unmasked intrinsics.
template <int Half>
EIGEN_STRONG_INLINE ei::Packet8d widen_half(const ei::Packet16f& x) {
  const __m256d half = _mm512_maskz_extractf64x4_pd(__mmask8(0xF), _mm512_castps_pd(x), Half);
  return _mm512_maskz_cvtps_pd(__mmask8(0xFF), _mm256_castpd_ps(half));
}
constexpr Widening native_widening(const ei::Packet16f*) { return Widening::kHalves; }
EIGEN_STRONG_INLINE ei::Packet8d widen_low(const ei::Packet16f& x) { return widen_half<0>(x); }
EIGEN_STRONG_INLINE ei::Packet8d widen_high(const ei::Packet16f& x) { return widen_half<1>(x); }
EIGEN_STRONG_INLINE ei::Packet16f narrow(const ei::Packet8d& lo, const ei::Packet8d& hi) {
  const __m256d low = _mm256_castps_pd(_mm512_maskz_cvtpd_ps(__mmask8(0xFF), lo));
  const __m256d high = _mm256_castps_pd(_mm512_maskz_cvtpd_ps(__mmask8(0xFF), hi));
  const __m512d low_only = _mm512_maskz_broadcast_f64x4(__mmask8(0x0F), low);
  return _mm512_castpd_ps(_mm512_mask_broadcast_f64x4(low_only, __mmask8(0xF0), high));
}
#endif

#if ACTIV_NATIVE_NEON64
// fcvtl / fcvtl2 and fcvtn / fcvtn2. Packet2f (Eigen's half of Packet4f, and the packet the
// scalar path uses) widens whole into one Packet2d.
constexpr Widening native_widening(const ei::Packet4f*) { return Widening::kHalves; }
EIGEN_STRONG_INLINE ei::Packet2d widen_low(const ei::Packet4f& x) { return vcvt_f64_f32(vget_low_f32(x)); }
EIGEN_STRONG_INLINE ei::Packet2d widen_high(const ei::Packet4f& x) { return vcvt_high_f64_f32(x); }
EIGEN_STRONG_INLINE ei::Packet4f narrow(const ei::Packet2d& lo, const ei::Packet2d& hi) {
  return vcvt_high_f32_f64(vcvt_f32_f64(lo), hi);
}
constexpr Widening native_widening(const ei::Packet2f*) { return Widening::kWhole; }
EIGEN_STRONG_INLINE ei::Packet2d widen(const ei::Packet2f& x) { return vcvt_f64_f32(x); }
EIGEN_STRONG_INLINE ei::Packet2f narrow(const ei::Packet2d& x) { return vcvt_f32_f64(x); }
#endif

// (GCC warns that the vector attributes of __m128 & co. are dropped from template arguments;
// they only select a specialization here, as everywhere in Eigen, which silences it likewise.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif
/// The widest double packet of the family of PacketD with at most N lanes (following Eigen's
/// `half` links): a plain double where Eigen does not vectorize double (32-bit NEON, MSA, ...).
template <class PacketD, int N, bool Fits = (ei::unpacket_traits<PacketD>::size <= N)>
struct double_packet_at_most {
  using type = typename double_packet_at_most<typename ei::unpacket_traits<PacketD>::half, N>::type;
};
template <class PacketD, int N>
struct double_packet_at_most<PacketD, N, true> {
  using type = PacketD;
};

/// Generic fallback of apply_widened: the float lanes go to memory, are converted one by one,
/// and the kernel runs on as many double packets as the lanes fill.
template <class PacketF, class Kernel>
EIGEN_STRONG_INLINE PacketF apply_widened_generic(const PacketF& x, const Kernel& kernel) {
  constexpr int kLanes = ei::unpacket_traits<PacketF>::size;
  using PacketD = typename double_packet_at_most<typename ei::packet_traits<double>::type, kLanes>::type;
  constexpr int kStep = ei::unpacket_traits<PacketD>::size;
  static_assert(kLanes % kStep == 0, "the double packets must tile the float packet");
  float lanes[kLanes];
  double wide[kLanes];
  ei::pstoreu(lanes, x);
  for (int i = 0; i < kLanes; ++i) wide[i] = lanes[i];
  for (int i = 0; i < kLanes; i += kStep) ei::pstoreu(wide + i, kernel(ei::ploadu<PacketD>(wide + i)));
  for (int i = 0; i < kLanes; ++i) lanes[i] = static_cast<float>(wide[i]);
  return ei::ploadu<PacketF>(lanes);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// Applies a double kernel to the lanes of a float packet widened to double, and rounds the
/// results once.
template <class PacketF, class Kernel>
EIGEN_STRONG_INLINE PacketF apply_widened(const PacketF& x, const Kernel& kernel) {
  constexpr Widening kShape = native_widening(static_cast<const PacketF*>(nullptr));
  if constexpr (kShape == Widening::kWhole) {
    return narrow(kernel(widen(x)));
  } else if constexpr (kShape == Widening::kHalves) {
    return narrow(kernel(widen_low(x)), kernel(widen_high(x)));
  } else {
    return apply_widened_generic(x, kernel);
  }
}

/// The precision split of activ's kernels: float packets run `for_float` in double on their
/// widened lanes and round once (apply_widened); double packets run `for_double` directly.
template <class Packet, class ForFloat, class ForDouble>
EIGEN_STRONG_INLINE Packet float_in_double_else(const Packet& x, const ForFloat& for_float,
                                                const ForDouble& for_double) {
  if constexpr (std::is_same_v<scalar_of<Packet>, float>) {
    return apply_widened(x, for_float);
  } else {
    return for_double(x);
  }
}

}  // namespace detail
}  // namespace activ
