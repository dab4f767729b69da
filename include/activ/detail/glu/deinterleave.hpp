// Every other column of a row-major buffer, as an Eigen nullary expression with packet access.
//
// In a row-major [rows, 2d] buffer the interleaved layout puts gate and value side by side
// (g0 v0 g1 v1 ...), so each half has inner stride 2. A strided Map of it is correct but Eigen
// reads strided Maps one scalar at a time, and then never calls the gate's packetOp either.
// This view gives Eigen a packetOp: lanes j..j+P-1 of the half are read from the 2P source
// elements starting at column 2j, by two packet loads and a de-interleave where the ISA has a
// cheap one, by a strided gather elsewhere. The reads never go past column 2j+2P-1 <= 2d-1, so
// the packet path touches nothing outside the row. Both halves are this one view (lane 0 =
// even columns, lane 1 = odd columns); the GLU functor that consumes them does not know.
#pragma once

#include "activ/detail/math/packet.hpp"

namespace activ {
namespace detail {

namespace ei = Eigen::internal;

/// Lanes `lane`, `lane`+2, ... of the 2P contiguous scalars at p.
template <class Packet, class Scalar>
EIGEN_STRONG_INLINE Packet glu_deinterleave(const Scalar* p, Eigen::Index lane) {
  return ei::pgather<Scalar, Packet>(p + lane, 2);
}

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_SSE2)
template <>
EIGEN_STRONG_INLINE ei::Packet4f glu_deinterleave<ei::Packet4f, float>(const float* p,
                                                                       Eigen::Index lane) {
  const __m128 a = _mm_loadu_ps(p), b = _mm_loadu_ps(p + 4);
  return lane ? _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1))
              : _mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
}
template <>
EIGEN_STRONG_INLINE ei::Packet2d glu_deinterleave<ei::Packet2d, double>(const double* p,
                                                                        Eigen::Index lane) {
  const __m128d a = _mm_loadu_pd(p), b = _mm_loadu_pd(p + 2);
  return lane ? _mm_unpackhi_pd(a, b) : _mm_unpacklo_pd(a, b);
}
#endif

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX)
// Swap the middle 128-bit halves first ([a_lo b_lo], [a_hi b_hi]), then an in-lane shuffle
// leaves the even (or odd) elements in order. Plain AVX, no cross-lane permute needed.
template <>
EIGEN_STRONG_INLINE ei::Packet8f glu_deinterleave<ei::Packet8f, float>(const float* p,
                                                                       Eigen::Index lane) {
  const __m256 a = _mm256_loadu_ps(p), b = _mm256_loadu_ps(p + 8);
  const __m256 lo = _mm256_permute2f128_ps(a, b, 0x20), hi = _mm256_permute2f128_ps(a, b, 0x31);
  return lane ? _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1))
              : _mm256_shuffle_ps(lo, hi, _MM_SHUFFLE(2, 0, 2, 0));
}
template <>
EIGEN_STRONG_INLINE ei::Packet4d glu_deinterleave<ei::Packet4d, double>(const double* p,
                                                                        Eigen::Index lane) {
  const __m256d a = _mm256_loadu_pd(p), b = _mm256_loadu_pd(p + 4);
  const __m256d lo = _mm256_permute2f128_pd(a, b, 0x20), hi = _mm256_permute2f128_pd(a, b, 0x31);
  return lane ? _mm256_unpackhi_pd(lo, hi) : _mm256_unpacklo_pd(lo, hi);
}
#endif

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX512)
template <>
EIGEN_STRONG_INLINE ei::Packet16f glu_deinterleave<ei::Packet16f, float>(const float* p,
                                                                         Eigen::Index lane) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  const __m512i index = _mm512_add_epi32(even, _mm512_set1_epi32(static_cast<int>(lane)));
  return _mm512_permutex2var_ps(_mm512_loadu_ps(p), index, _mm512_loadu_ps(p + 16));
}
template <>
EIGEN_STRONG_INLINE ei::Packet8d glu_deinterleave<ei::Packet8d, double>(const double* p,
                                                                        Eigen::Index lane) {
  const __m512i even = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
  const __m512i index = _mm512_add_epi64(even, _mm512_set1_epi64(lane));
  return _mm512_permutex2var_pd(_mm512_loadu_pd(p), index, _mm512_loadu_pd(p + 8));
}
#endif

#if ACTIV_NATIVE_NEON64
// ld2: one load that de-interleaves.
template <>
EIGEN_STRONG_INLINE ei::Packet4f glu_deinterleave<ei::Packet4f, float>(const float* p,
                                                                       Eigen::Index lane) {
  const float32x4x2_t v = vld2q_f32(p);
  return lane ? v.val[1] : v.val[0];
}
template <>
EIGEN_STRONG_INLINE ei::Packet2d glu_deinterleave<ei::Packet2d, double>(const double* p,
                                                                        Eigen::Index lane) {
  const float64x2x2_t v = vld2q_f64(p);
  return lane ? v.val[1] : v.val[0];
}
#endif

/// Nullary functor: element (i, j) is source(i, 2j + lane) of a row-major source with the given
/// strides. kUnitInner: the source's columns are adjacent (inner stride 1 at compile time).
template <class Scalar, bool kUnitInner>
struct glu_every_other_column {
  const Scalar* data;   // source(0, 0)
  Eigen::Index outer;   // distance between source rows
  Eigen::Index inner;   // distance between source columns
  Eigen::Index lane;    // 0: columns 0, 2, 4, ... 1: columns 1, 3, 5, ...

  EIGEN_STRONG_INLINE Scalar operator()(Eigen::Index i, Eigen::Index j) const {
    return data[i * outer + (2 * j + lane) * inner];
  }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(Eigen::Index i, Eigen::Index j) const {
    const Scalar* p = data + i * outer + 2 * j * inner;
    if constexpr (kUnitInner) {
      return glu_deinterleave<Packet>(p, lane);
    } else {
      return ei::pgather<Scalar, Packet>(p + lane * inner, 2 * inner);
    }
  }
};

}  // namespace detail
}  // namespace activ

template <class Scalar, bool kUnitInner>
struct Eigen::internal::functor_traits<activ::detail::glu_every_other_column<Scalar, kUnitInner>> {
  enum { Cost = 2, PacketAccess = true, IsRepeatable = true };
};
