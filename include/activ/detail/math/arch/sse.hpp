// SSE2 / SSE4.1 specializations of the primitives of packet.hpp (Packet4f, Packet2d).
#pragma once

// packet.hpp declares the templates specialized here, and includes this file at its end.
#include "activ/detail/math/packet.hpp"

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_SSE2)

// (GCC warns that the vector attributes of __m128 & co. are dropped from template arguments;
// they only select a specialization here, as everywhere in Eigen, which silences it likewise.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

namespace activ {
namespace detail {

#if defined(EIGEN_VECTORIZE_SSE4_1)
template <>
EIGEN_STRONG_INLINE ei::Packet2d round_to_nearest<ei::Packet2d>(const ei::Packet2d& t) {
  return _mm_round_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
template <>
EIGEN_STRONG_INLINE ei::Packet4f round_to_nearest<ei::Packet4f>(const ei::Packet4f& t) {
  return _mm_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
#else
template <>
EIGEN_STRONG_INLINE ei::Packet2d round_to_nearest<ei::Packet2d>(const ei::Packet2d& t) {
  const __m128d half = _mm_or_pd(_mm_and_pd(t, _mm_set1_pd(-0.0)), _mm_set1_pd(0.5));
  return _mm_cvtepi32_pd(_mm_cvttpd_epi32(_mm_add_pd(t, half)));
}
template <>
EIGEN_STRONG_INLINE ei::Packet4f round_to_nearest<ei::Packet4f>(const ei::Packet4f& t) {
  const __m128 half = _mm_or_ps(_mm_and_ps(t, _mm_set1_ps(-0.0f)), _mm_set1_ps(0.5f));
  return _mm_cvtepi32_ps(_mm_cvttps_epi32(_mm_add_ps(t, half)));
}
#endif

template <>
EIGEN_STRONG_INLINE ei::Packet2d pow2_from_biased<ei::Packet2d>(const ei::Packet2d& s) {
  return _mm_castsi128_pd(_mm_slli_epi64(_mm_castpd_si128(s), 52));
}
template <>
EIGEN_STRONG_INLINE ei::Packet4f pow2_from_biased<ei::Packet4f>(const ei::Packet4f& s) {
  return _mm_castsi128_ps(_mm_slli_epi32(_mm_castps_si128(s), 23));
}

template <>
struct widening<ei::Packet4f> {
  static constexpr Widening kind = Widening::kHalves;
  static EIGEN_STRONG_INLINE ei::Packet2d widen_low(const ei::Packet4f& x) {
    return _mm_cvtps_pd(x);
  }
  static EIGEN_STRONG_INLINE ei::Packet2d widen_high(const ei::Packet4f& x) {
    return _mm_cvtps_pd(_mm_movehl_ps(x, x));
  }
  static EIGEN_STRONG_INLINE ei::Packet4f narrow(const ei::Packet2d& lo, const ei::Packet2d& hi) {
    return _mm_movelh_ps(_mm_cvtpd_ps(lo), _mm_cvtpd_ps(hi));
  }
};

template <>
EIGEN_STRONG_INLINE ei::Packet4f load_every_other<ei::Packet4f, float>(const float* p,
                                                                       Eigen::Index lane) {
  const __m128 a = _mm_loadu_ps(p), b = _mm_loadu_ps(p + 4);
  return lane ? _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1))
              : _mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
}
template <>
EIGEN_STRONG_INLINE ei::Packet2d load_every_other<ei::Packet2d, double>(const double* p,
                                                                        Eigen::Index lane) {
  const __m128d a = _mm_loadu_pd(p), b = _mm_loadu_pd(p + 2);
  return lane ? _mm_unpackhi_pd(a, b) : _mm_unpacklo_pd(a, b);
}

}  // namespace detail
}  // namespace activ

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif
