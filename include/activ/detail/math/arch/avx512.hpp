// AVX-512 specializations of the primitives of packet.hpp (Packet16f, Packet8d).
// Comparisons yield k-masks that the blends take directly (Eigen 3.4's pcmp/pselect convert them
// to a vector and back); vscalefps/pd is scale_by_pow2 in one instruction. The zero-masked forms
// with a full mask are the same instructions as the unmasked ones, without GCC 12's
// -Wmaybe-uninitialized false positives on those.
#pragma once

// packet.hpp declares the templates specialized here, and includes this file at its end.
#include "activ/detail/math/packet.hpp"

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX512)

// (GCC warns that the vector attributes of __m512 & co. are dropped from template arguments;
// they only select a specialization here, as everywhere in Eigen, which silences it likewise.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif

namespace activ {
namespace detail {

template <>
EIGEN_STRONG_INLINE ei::Packet16f select_lt<ei::Packet16f>(const ei::Packet16f& a,
                                                           const ei::Packet16f& b,
                                                           const ei::Packet16f& x,
                                                           const ei::Packet16f& y) {
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ), y, x);
}
template <>
EIGEN_STRONG_INLINE ei::Packet16f select_le<ei::Packet16f>(const ei::Packet16f& a,
                                                           const ei::Packet16f& b,
                                                           const ei::Packet16f& x,
                                                           const ei::Packet16f& y) {
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_LE_OQ), y, x);
}
template <>
EIGEN_STRONG_INLINE ei::Packet16f select_eq<ei::Packet16f>(const ei::Packet16f& a,
                                                           const ei::Packet16f& b,
                                                           const ei::Packet16f& x,
                                                           const ei::Packet16f& y) {
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ), y, x);
}
template <>
EIGEN_STRONG_INLINE ei::Packet8d select_lt<ei::Packet8d>(const ei::Packet8d& a,
                                                         const ei::Packet8d& b,
                                                         const ei::Packet8d& x,
                                                         const ei::Packet8d& y) {
  return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(a, b, _CMP_LT_OQ), y, x);
}
template <>
EIGEN_STRONG_INLINE ei::Packet8d select_le<ei::Packet8d>(const ei::Packet8d& a,
                                                         const ei::Packet8d& b,
                                                         const ei::Packet8d& x,
                                                         const ei::Packet8d& y) {
  return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(a, b, _CMP_LE_OQ), y, x);
}
template <>
EIGEN_STRONG_INLINE ei::Packet8d select_eq<ei::Packet8d>(const ei::Packet8d& a,
                                                         const ei::Packet8d& b,
                                                         const ei::Packet8d& x,
                                                         const ei::Packet8d& y) {
  return _mm512_mask_blend_pd(_mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ), y, x);
}

template <>
EIGEN_STRONG_INLINE ei::Packet16f scale_by_pow2<ei::Packet16f>(const ei::Packet16f& m,
                                                               const ei::Packet16f& k) {
  return _mm512_maskz_scalef_ps(__mmask16(0xFFFF), m, k);
}
template <>
EIGEN_STRONG_INLINE ei::Packet8d scale_by_pow2<ei::Packet8d>(const ei::Packet8d& m,
                                                             const ei::Packet8d& k) {
  return _mm512_maskz_scalef_pd(__mmask8(0xFF), m, k);
}

template <>
struct has_native_scale<ei::Packet16f> : std::true_type {};
template <>
struct has_native_scale<ei::Packet8d> : std::true_type {};

template <>
EIGEN_STRONG_INLINE ei::Packet8d round_to_nearest<ei::Packet8d>(const ei::Packet8d& t) {
  return _mm512_maskz_roundscale_pd(__mmask8(0xFF), t,
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

template <>
EIGEN_STRONG_INLINE ei::Packet16f round_to_nearest<ei::Packet16f>(const ei::Packet16f& t) {
  return _mm512_maskz_roundscale_ps(__mmask16(0xFFFF), t,
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

template <>
EIGEN_STRONG_INLINE ei::Packet8d pow2_from_biased<ei::Packet8d>(const ei::Packet8d& s) {
  return _mm512_castsi512_pd(_mm512_maskz_slli_epi64(__mmask8(0xFF), _mm512_castpd_si512(s), 52));
}
template <>
EIGEN_STRONG_INLINE ei::Packet16f pow2_from_biased<ei::Packet16f>(const ei::Packet16f& s) {
  return _mm512_castsi512_ps(
      _mm512_maskz_slli_epi32(__mmask16(0xFFFF), _mm512_castps_si512(s), 23));
}

// 16-bit lanes, narrowing to nearest even whatever the rounding mode: bfloat16 by Eigen's integer
// rounding; half by AVX-512F's vcvtph2ps / vcvtps2ph directly, because Eigen 3.4 takes its
// software conversion under GCC (its EIGEN_HAS_FP16_C test needs EIGEN_COMP_CLANG undefined,
// and Macros.h always defines it), ten times slower than the whole kernel.
template <>
struct widening16<ei::Packet16bf> {
  static constexpr Widening kind = Widening::kWhole;
  static EIGEN_STRONG_INLINE ei::Packet16f widen(const ei::Packet16bf& x) {
    return ei::Bf16ToF32(x);
  }
  // Not Eigen's F32ToBf16: where the target has AVX512-BF16 (Zen 4 and later, Sapphire Rapids:
  // what -march=native gives there), that is vcvtneps2bf16, which flushes subnormal inputs and
  // results to zero whatever MXCSR says. To nearest even on the bits instead: add 0x7FFF and the
  // lowest kept bit, keep the upper half; a NaN stays a NaN (quieted, its sign and the top of its
  // payload kept).
  static EIGEN_STRONG_INLINE ei::Packet16bf narrow(const ei::Packet16f& x) {
    const __m512i bits = _mm512_castps_si512(x);
    const __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
    __m512i rounded = _mm512_srli_epi32(
        _mm512_add_epi32(bits, _mm512_add_epi32(odd, _mm512_set1_epi32(0x7FFF))), 16);
    const __mmask16 nan = _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q);
    rounded = _mm512_mask_mov_epi32(
        rounded, nan, _mm512_or_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(0x7FC0)));
    return _mm512_cvtepi32_epi16(rounded);
  }
};
template <>
struct widening16<ei::Packet16h> {
  static constexpr Widening kind = Widening::kWhole;
  static EIGEN_STRONG_INLINE ei::Packet16f widen(const ei::Packet16h& x) {
    return _mm512_cvtph_ps(x);
  }
  static EIGEN_STRONG_INLINE ei::Packet16h narrow(const ei::Packet16f& x) {
    return _mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  }
};

// A 16-lane table lookup: the lanes zero-extended to 32-bit indices, one 32-bit gather at byte
// offset 2·index (its upper half is the next entry), the low halves narrowed back.
inline __m256i gather16_avx512(const std::uint16_t* table, const __m256i& x) {
  const __m512i index = _mm512_cvtepu16_epi32(x);
  return _mm512_cvtepi32_epi16(_mm512_i32gather_epi32(index, table, 2));
}
template <>
struct table_gather16<ei::Packet16bf>
    : native_table_gather16<ei::Packet16bf, __m256i, gather16_avx512> {};
template <>
struct table_gather16<ei::Packet16h>
    : native_table_gather16<ei::Packet16h, __m256i, gather16_avx512> {};

// Float lookups of widened 16-bit lanes: the indices are the bfloat16 bit patterns (each lane's
// upper half) or the half ones (the lanes narrowed back, exactly), then one gather of floats.
template <>
struct factor_gather16<Eigen::bfloat16, ei::Packet16f> {
  static EIGEN_STRONG_INLINE ei::Packet16f lookup(const float* table, const ei::Packet16f& x) {
    return _mm512_i32gather_ps(_mm512_srli_epi32(_mm512_castps_si512(x), 16), table, 4);
  }
};
template <>
struct factor_gather16<Eigen::half, ei::Packet16f> {
  static EIGEN_STRONG_INLINE ei::Packet16f lookup(const float* table, const ei::Packet16f& x) {
    const __m256i bits = _mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    return _mm512_i32gather_ps(_mm512_cvtepu16_epi32(bits), table, 4);
  }
};

template <>
struct widening<ei::Packet16f> {
  static constexpr Widening kind = Widening::kHalves;
  template <int Half>
  static EIGEN_STRONG_INLINE ei::Packet8d widen_half(const ei::Packet16f& x) {
    const __m256d half = _mm512_maskz_extractf64x4_pd(__mmask8(0xF), _mm512_castps_pd(x), Half);
    return _mm512_maskz_cvtps_pd(__mmask8(0xFF), _mm256_castpd_ps(half));
  }
  static EIGEN_STRONG_INLINE ei::Packet8d widen_low(const ei::Packet16f& x) {
    return widen_half<0>(x);
  }
  static EIGEN_STRONG_INLINE ei::Packet8d widen_high(const ei::Packet16f& x) {
    return widen_half<1>(x);
  }
  static EIGEN_STRONG_INLINE ei::Packet16f narrow(const ei::Packet8d& lo, const ei::Packet8d& hi) {
    const __m256d low = _mm256_castps_pd(_mm512_maskz_cvtpd_ps(__mmask8(0xFF), lo));
    const __m256d high = _mm256_castps_pd(_mm512_maskz_cvtpd_ps(__mmask8(0xFF), hi));
    const __m512d low_only = _mm512_maskz_broadcast_f64x4(__mmask8(0x0F), low);
    return _mm512_castpd_ps(_mm512_mask_broadcast_f64x4(low_only, __mmask8(0xF0), high));
  }
};

template <>
EIGEN_STRONG_INLINE ei::Packet16f load_every_other<ei::Packet16f, float>(const float* p,
                                                                         Eigen::Index lane) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i index = _mm512_add_epi32(even, _mm512_set1_epi32(static_cast<int>(lane)));
  return _mm512_permutex2var_ps(_mm512_loadu_ps(p), index, _mm512_loadu_ps(p + 16));
}
template <>
EIGEN_STRONG_INLINE ei::Packet8d load_every_other<ei::Packet8d, double>(const double* p,
                                                                        Eigen::Index lane) {
  const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
  const __m512i index = _mm512_add_epi64(even, _mm512_set1_epi64(lane));
  return _mm512_permutex2var_pd(_mm512_loadu_pd(p), index, _mm512_loadu_pd(p + 8));
}

}  // namespace detail
}  // namespace activ

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#endif
