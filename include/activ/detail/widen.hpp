// Converting a float packet to two double packets and back.
//
// Kernels that must round a product of several computed factors only once (float gelu) run in
// double on the widened halves: every intermediate error is then ~2^-50, far below a float ULP,
// and the final narrowing is the single rounding (subnormal float results included).
// Eigen has no portable split of a packet into halves, so this is one small primitive per ISA.
#pragma once

#include "activ/detail/packet_math.hpp"

namespace activ {
namespace detail {

// widen_low / widen_high: the halves of a float packet as double packets; narrow: back to float,
// rounding each lane once. Overloads rather than a class template: GCC warns about (and drops)
// the vector attributes of __m128 & co. used as template arguments.
EIGEN_STRONG_INLINE double widen_low(float x) { return x; }
EIGEN_STRONG_INLINE float narrow(double lo, double /*unused*/) { return static_cast<float>(lo); }

#if defined(EIGEN_VECTORIZE_SSE2)
EIGEN_STRONG_INLINE ei::Packet2d widen_low(const ei::Packet4f& x) { return _mm_cvtps_pd(x); }
EIGEN_STRONG_INLINE ei::Packet2d widen_high(const ei::Packet4f& x) {
  return _mm_cvtps_pd(_mm_movehl_ps(x, x));
}
EIGEN_STRONG_INLINE ei::Packet4f narrow(const ei::Packet2d& lo, const ei::Packet2d& hi) {
  return _mm_movelh_ps(_mm_cvtpd_ps(lo), _mm_cvtpd_ps(hi));
}
#endif

#if defined(EIGEN_VECTORIZE_AVX)
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

#if defined(EIGEN_VECTORIZE_AVX512)
// Zero-masked forms with a full mask: the same instructions, without GCC 12's
// -Wmaybe-uninitialized false positives on the unmasked intrinsics.
template <int Half>
EIGEN_STRONG_INLINE ei::Packet8d widen_half(const ei::Packet16f& x) {
  const __m256d half = _mm512_maskz_extractf64x4_pd(__mmask8(0xF), _mm512_castps_pd(x), Half);
  return _mm512_maskz_cvtps_pd(__mmask8(0xFF), _mm256_castpd_ps(half));
}
EIGEN_STRONG_INLINE ei::Packet8d widen_low(const ei::Packet16f& x) { return widen_half<0>(x); }
EIGEN_STRONG_INLINE ei::Packet8d widen_high(const ei::Packet16f& x) { return widen_half<1>(x); }
EIGEN_STRONG_INLINE ei::Packet16f narrow(const ei::Packet8d& lo, const ei::Packet8d& hi) {
  const __m256d low = _mm256_castps_pd(_mm512_maskz_cvtpd_ps(__mmask8(0xFF), lo));
  const __m256d high = _mm256_castps_pd(_mm512_maskz_cvtpd_ps(__mmask8(0xFF), hi));
  const __m512d low_only = _mm512_maskz_broadcast_f64x4(__mmask8(0x0F), low);
  return _mm512_castpd_ps(_mm512_mask_broadcast_f64x4(low_only, __mmask8(0xF0), high));
}
#endif

/// Applies a double kernel to both halves of a float packet and rounds the results once.
template <class PacketF, class Kernel>
EIGEN_STRONG_INLINE PacketF apply_widened(const PacketF& x, const Kernel& kernel) {
  if constexpr (std::is_floating_point_v<PacketF>) {
    return narrow(kernel(widen_low(x)), 0.0);
  } else {
    return narrow(kernel(widen_low(x)), kernel(widen_high(x)));
  }
}

/// The precision split of activ's kernels: float packets run `for_float` in double on their
/// widened halves and round once (apply_widened); double packets run `for_double` directly.
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
