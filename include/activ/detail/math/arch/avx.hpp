// AVX / AVX2 specializations of the primitives of packet.hpp (Packet8f, Packet4d).
#pragma once

// packet.hpp declares the templates specialized here, and includes this file at its end.
#include "activ/detail/math/packet.hpp"

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX)

// (GCC warns that the vector attributes of __m256 & co. are dropped from template arguments;
// they only select a specialization here, as everywhere in Eigen, which silences it likewise.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

namespace activ {
namespace detail {

template <>
EIGEN_STRONG_INLINE ei::Packet4d round_to_nearest<ei::Packet4d>(const ei::Packet4d& t) {
  return _mm256_round_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
template <>
EIGEN_STRONG_INLINE ei::Packet8f round_to_nearest<ei::Packet8f>(const ei::Packet8f& t) {
  return _mm256_round_ps(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

#if defined(EIGEN_VECTORIZE_AVX2)
template <>
EIGEN_STRONG_INLINE ei::Packet4d pow2_from_biased<ei::Packet4d>(const ei::Packet4d& s) {
  return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(s), 52));
}
template <>
EIGEN_STRONG_INLINE ei::Packet8f pow2_from_biased<ei::Packet8f>(const ei::Packet8f& s) {
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(s), 23));
}
#else
// AVX1: no 256-bit integer shift; the two SSE2 halves (arch/sse.hpp)
template <>
EIGEN_STRONG_INLINE ei::Packet4d pow2_from_biased<ei::Packet4d>(const ei::Packet4d& s) {
  const __m128d lo = pow2_from_biased(ei::Packet2d(_mm256_castpd256_pd128(s)));
  const __m128d hi = pow2_from_biased(ei::Packet2d(_mm256_extractf128_pd(s, 1)));
  return _mm256_insertf128_pd(_mm256_castpd128_pd256(lo), hi, 1);
}
template <>
EIGEN_STRONG_INLINE ei::Packet8f pow2_from_biased<ei::Packet8f>(const ei::Packet8f& s) {
  const __m128 lo = pow2_from_biased(ei::Packet4f(_mm256_castps256_ps128(s)));
  const __m128 hi = pow2_from_biased(ei::Packet4f(_mm256_extractf128_ps(s, 1)));
  return _mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1);
}
#endif

// 16-bit lanes, narrowing to nearest even whatever the rounding mode: bfloat16 by Eigen's integer
// rounding; half by F16C's vcvtph2ps / vcvtps2ph where the target has it (Eigen 3.4 would take
// its software conversion under GCC, arch/avx512.hpp says why), else Eigen's software one.
template <>
struct widening16<ei::Packet8bf> {
  static constexpr Widening kind = Widening::kWhole;
  static EIGEN_STRONG_INLINE ei::Packet8f widen(const ei::Packet8bf& x) { return ei::Bf16ToF32(x); }
  static EIGEN_STRONG_INLINE ei::Packet8bf narrow(const ei::Packet8f& x) {
    return ei::F32ToBf16(x);
  }
};
template <>
struct widening16<ei::Packet8h> {
  static constexpr Widening kind = Widening::kWhole;
  static EIGEN_STRONG_INLINE ei::Packet8f widen(const ei::Packet8h& x) {
#if defined(__F16C__)
    return _mm256_cvtph_ps(x);
#else
    return ei::half2float(x);
#endif
  }
  static EIGEN_STRONG_INLINE ei::Packet8h narrow(const ei::Packet8f& x) {
#if defined(__F16C__)
    return _mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
#else
    return ei::float2half(x);
#endif
  }
};

#if defined(EIGEN_VECTORIZE_AVX2)
// An 8-lane table lookup: the lanes zero-extended to 32-bit indices, one 32-bit gather at byte
// offset 2·index (its upper half is the next entry, masked off), packed back to 16 bits.
inline __m128i gather16_avx2(const std::uint16_t* table, const __m128i& x) {
  const __m256i index = _mm256_cvtepu16_epi32(x);
  const __m256i words =
      _mm256_and_si256(_mm256_i32gather_epi32(reinterpret_cast<const int*>(table), index, 2),
                       _mm256_set1_epi32(0xFFFF));
  return _mm_packus_epi32(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
}
template <>
struct table_gather16<ei::Packet8bf>
    : native_table_gather16<ei::Packet8bf, __m128i, gather16_avx2> {};
template <>
struct table_gather16<ei::Packet8h> : native_table_gather16<ei::Packet8h, __m128i, gather16_avx2> {
};

// Float lookups of widened 16-bit lanes, as on AVX-512 (half needs F16C to narrow back).
template <>
struct factor_gather16<Eigen::bfloat16, ei::Packet8f> {
  static EIGEN_STRONG_INLINE ei::Packet8f lookup(const float* table, const ei::Packet8f& x) {
    return _mm256_i32gather_ps(table, _mm256_srli_epi32(_mm256_castps_si256(x), 16), 4);
  }
};
#if defined(__F16C__)
template <>
struct factor_gather16<Eigen::half, ei::Packet8f> {
  static EIGEN_STRONG_INLINE ei::Packet8f lookup(const float* table, const ei::Packet8f& x) {
    const __m128i bits = _mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    return _mm256_i32gather_ps(table, _mm256_cvtepu16_epi32(bits), 4);
  }
};
#endif
#endif

template <>
struct widening<ei::Packet8f> {
  static constexpr Widening kind = Widening::kHalves;
  static EIGEN_STRONG_INLINE ei::Packet4d widen_low(const ei::Packet8f& x) {
    return _mm256_cvtps_pd(_mm256_castps256_ps128(x));
  }
  static EIGEN_STRONG_INLINE ei::Packet4d widen_high(const ei::Packet8f& x) {
    return _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1));
  }
  static EIGEN_STRONG_INLINE ei::Packet8f narrow(const ei::Packet4d& lo, const ei::Packet4d& hi) {
    return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(lo)), _mm256_cvtpd_ps(hi),
                                1);
  }
};

// Swap the middle 128-bit halves first ([a_lo b_lo], [a_hi b_hi]), then an in-lane shuffle
// leaves the even (or odd) elements in order. Plain AVX, no cross-lane permute needed.
template <>
EIGEN_STRONG_INLINE ei::Packet8f load_every_other<ei::Packet8f, float>(const float* p,
                                                                       Eigen::Index lane) {
  const __m256 a = _mm256_loadu_ps(p), b = _mm256_loadu_ps(p + 8);
  const __m256 lo = _mm256_permute2f128_ps(a, b, 0x20), hi = _mm256_permute2f128_ps(a, b, 0x31);
  return lane ? _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1))
              : _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0));
}
template <>
EIGEN_STRONG_INLINE ei::Packet4d load_every_other<ei::Packet4d, double>(const double* p,
                                                                        Eigen::Index lane) {
  const __m256d a = _mm256_loadu_pd(p), b = _mm256_loadu_pd(p + 4);
  const __m256d lo = _mm256_permute2f128_pd(a, b, 0x20), hi = _mm256_permute2f128_pd(a, b, 0x31);
  return lane ? _mm256_unpackhi_pd(lo, hi) : _mm256_unpacklo_pd(lo, hi);
}

}  // namespace detail
}  // namespace activ

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif
