// Packet primitives shared by every activ kernel.
//
// This is the only layer that touches Eigen::internal's packet API directly. Everything here is
// generic over the packet type (Packet4f ... Packet16f, Packet2d ... Packet8d, and plain float /
// double when Eigen does not vectorize), so a kernel written on top of it runs the same arithmetic
// on every lane of every packet width: that is what makes activ's results independent of where an
// element sits in an array.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

// Native and generic primitives. Where an instruction set has a better instruction for one of the
// primitives below (SSE2/AVX/AVX-512 on x86, NEON on aarch64), an overload for its packet types
// uses it; every other packet type Eigen provides (VSX, 32-bit NEON, ZVector, WebAssembly SIMD,
// MSA, and plain scalars) takes a generic fallback written on Eigen's packet API. Defining
// ACTIV_GENERIC_PACKET_PATH before including activ turns the native overloads off, so that the
// generic path can be built and tested on x86 too.
#if defined(ACTIV_GENERIC_PACKET_PATH)
#define ACTIV_NATIVE_PACKETS 0
#else
#define ACTIV_NATIVE_PACKETS 1
#endif
// aarch64 NEON: the only NEON with double packets (Eigen's Packet2d).
#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_NEON) && EIGEN_ARCH_ARM64 && !EIGEN_APPLE_DOUBLE_NEON_BUG
#define ACTIV_NATIVE_NEON64 1
#else
#define ACTIV_NATIVE_NEON64 0
#endif

namespace activ {
namespace detail {

namespace ei = Eigen::internal;

template <class Packet>
using scalar_of = typename ei::unpacket_traits<Packet>::type;

/// True when multiply-add is fused (one rounding) in the packet arithmetic of this build.
/// Eigen's packet pmadd is fused exactly when EIGEN_VECTORIZE_FMA is set (x86), when
/// __ARM_FEATURE_FMA is (NEON: every aarch64 target, and 32-bit ARM with VFPv4) and with VSX
/// (POWER); plain scalars (EIGEN_DONT_VECTORIZE builds) use std::fma when the target has FMA.
/// Elsewhere it is false, and the unfused path below stays exact even where the compiler
/// contracts a*b + c into an FMA of its own (keep_rounded).
#if defined(EIGEN_VECTORIZE_FMA) || defined(__FMA__) || defined(__ARM_FEATURE_FMA) || defined(__VSX__)
inline constexpr bool kFusedMultiplyAdd = true;
#else
inline constexpr bool kFusedMultiplyAdd = false;
#endif

template <class Packet>
EIGEN_STRONG_INLINE Packet set1(scalar_of<Packet> value) {
  return ei::pset1<Packet>(value);
}

/// a*b + c, fused exactly when kFusedMultiplyAdd is true, for every packet width.
template <class Packet>
EIGEN_STRONG_INLINE Packet madd(const Packet& a, const Packet& b, const Packet& c) {
  if constexpr (std::is_floating_point_v<Packet>) {
    if constexpr (kFusedMultiplyAdd) {
      return std::fma(a, b, c);
    } else {
      return a * b + c;
    }
  } else {
    return ei::pmadd(a, b, c);
  }
}

/// Horner evaluation of c[First] + c[First+1]*x + ... + c[N-1]*x^(N-1-First).
template <std::size_t First, class Packet, class Scalar, std::size_t N>
EIGEN_STRONG_INLINE Packet horner_from(const Packet& x, const Scalar (&c)[N]) {
  static_assert(N >= First + 2, "a polynomial needs at least two coefficients");
  Packet r = set1<Packet>(c[N - 1]);
  for (std::size_t i = N - 1; i-- > First;) r = madd(r, x, set1<Packet>(c[i]));
  return r;
}

/// Horner evaluation of c[0] + c[1]*x + ... + c[N-1]*x^(N-1).
template <class Packet, class Scalar, std::size_t N>
EIGEN_STRONG_INLINE Packet horner(const Packet& x, const Scalar (&c)[N]) {
  return horner_from<0>(x, c);
}

/// An unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
template <class Packet>
struct DoubleWord {
  Packet hi;
  Packet lo;
};

/// Hides v's computation from the optimizer, so that a product stored in v cannot be fused
/// into a later addition. GCC contracts a*b + c into an FMA by default (-ffp-contract=fast, even
/// in ISO mode), which would silently break the error-free transformations below: two_sum of a
/// product that the compiler turned into an unrounded FMA term is no longer exact. Emits no
/// instruction.
template <class T>
EIGEN_STRONG_INLINE void keep_rounded(T& v) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  if constexpr (sizeof(T) == 64) {
    __asm__("" : "+v"(v));
  } else {
    __asm__("" : "+x"(v));
  }
#elif defined(__GNUC__) && defined(__aarch64__)
  __asm__("" : "+w"(v));
#elif defined(__GNUC__) && defined(__VSX__)
  __asm__("" : "+wa"(v));
#elif defined(__GNUC__) && !defined(__clang__)
  __asm__("" : "+m"(v));  // any other GCC target: through memory, which rounds as well
#else
  (void)v;  // Clang and other compilers do not contract across statements by default
#endif
}

/// Error-free product: hi + lo == a*b exactly (barring underflow and overflow).
/// With FMA the error is one fused operation; without it, Dekker's split (Veltkamp constant
/// 2^ceil(p/2) + 1) cuts a and b into halves whose partial products are all exact.
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> two_product(const Packet& a, const Packet& b) {
  Packet hi = ei::pmul(a, b);
  keep_rounded(hi);
  if constexpr (kFusedMultiplyAdd) {
    return {hi, madd(a, b, ei::pnegate(hi))};
  } else {
    using Scalar = scalar_of<Packet>;
    constexpr Scalar kSplit = std::is_same_v<Scalar, float> ? Scalar(4097) : Scalar(134217729);
    const auto split = [&](const Packet& v, Packet& v_hi, Packet& v_lo) {
      // t must be rounded before t - v: a target with FMA hardware would otherwise fuse them.
      // (The products of halves below are exact, so fusing those changes nothing.)
      Packet t = ei::pmul(set1<Packet>(kSplit), v);
      keep_rounded(t);
      v_hi = ei::psub(t, ei::psub(t, v));
      v_lo = ei::psub(v, v_hi);
    };
    Packet a_hi, a_lo, b_hi, b_lo;
    split(a, a_hi, a_lo);
    split(b, b_hi, b_lo);
    Packet err = ei::psub(ei::pmul(a_hi, b_hi), hi);
    err = ei::padd(err, ei::pmul(a_hi, b_lo));
    err = ei::padd(err, ei::pmul(a_lo, b_hi));
    return {hi, ei::padd(err, ei::pmul(a_lo, b_lo))};
  }
}

/// Lane-wise selections on an ordered comparison: (a < b ? x : y), (a <= b ? x : y),
/// (a == b ? x : y); false where a or b is NaN, as Eigen's pcmp_*. Kernels select through these
/// rather than pcmp + pselect: on AVX-512 the comparison yields a k-mask that the blend takes
/// directly, where Eigen 3.4's pcmp/pselect convert it to a vector and back (two instructions).
template <class Packet>
EIGEN_STRONG_INLINE Packet select_lt(const Packet& a, const Packet& b, const Packet& x, const Packet& y) {
  return ei::pselect(ei::pcmp_lt(a, b), x, y);
}
template <class Packet>
EIGEN_STRONG_INLINE Packet select_le(const Packet& a, const Packet& b, const Packet& x, const Packet& y) {
  return ei::pselect(ei::pcmp_le(a, b), x, y);
}
template <class Packet>
EIGEN_STRONG_INLINE Packet select_eq(const Packet& a, const Packet& b, const Packet& x, const Packet& y) {
  return ei::pselect(ei::pcmp_eq(a, b), x, y);
}

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX512)
#define ACTIV_KMASK_SELECT(name, Packet, cmp, blend, predicate)                               \
  EIGEN_STRONG_INLINE ei::Packet name(const ei::Packet& a, const ei::Packet& b, const ei::Packet& x, \
                                      const ei::Packet& y) {                                  \
    return blend(cmp(a, b, predicate), y, x);                                                 \
  }
ACTIV_KMASK_SELECT(select_lt, Packet16f, _mm512_cmp_ps_mask, _mm512_mask_blend_ps, _CMP_LT_OQ)
ACTIV_KMASK_SELECT(select_le, Packet16f, _mm512_cmp_ps_mask, _mm512_mask_blend_ps, _CMP_LE_OQ)
ACTIV_KMASK_SELECT(select_eq, Packet16f, _mm512_cmp_ps_mask, _mm512_mask_blend_ps, _CMP_EQ_OQ)
ACTIV_KMASK_SELECT(select_lt, Packet8d, _mm512_cmp_pd_mask, _mm512_mask_blend_pd, _CMP_LT_OQ)
ACTIV_KMASK_SELECT(select_le, Packet8d, _mm512_cmp_pd_mask, _mm512_mask_blend_pd, _CMP_LE_OQ)
ACTIV_KMASK_SELECT(select_eq, Packet8d, _mm512_cmp_pd_mask, _mm512_mask_blend_pd, _CMP_EQ_OQ)
#undef ACTIV_KMASK_SELECT
#endif

/// Lane-wise a < b ? a : b that keeps a NaN in `a` (x86 min instructions would drop it).
template <class Packet>
EIGEN_STRONG_INLINE Packet min_keep_nan(const Packet& a, const Packet& b) {
  return select_lt(b, a, b, a);
}

/// Lane-wise a > b ? a : b that keeps a NaN in `a`.
template <class Packet>
EIGEN_STRONG_INLINE Packet max_keep_nan(const Packet& a, const Packet& b) {
  return select_lt(a, b, b, a);
}

/// x clamped to [-limit, limit]; keeps NaN and the sign of zero.
template <class Packet>
EIGEN_STRONG_INLINE Packet clamp_symmetric(const Packet& x, scalar_of<Packet> limit) {
  const Packet l = set1<Packet>(limit);
  return max_keep_nan(min_keep_nan(x, l), ei::pnegate(l));
}

/// x clamped to the finite range, NaN kept: stands in for x where x * (something that
/// underflows to 0) must give a signed zero rather than inf * 0 = NaN.
template <class Packet>
EIGEN_STRONG_INLINE Packet finite_clamp(const Packet& x) {
  return clamp_symmetric(x, std::numeric_limits<scalar_of<Packet>>::max());
}

/// `result` where x is a number, x itself where x is NaN: a NaN input comes back bit for bit
/// (payload and sign), whichever instructions a packet width used on the way.
template <class Packet>
EIGEN_STRONG_INLINE Packet nan_passthrough(const Packet& x, const Packet& result) {
  return select_eq(x, x, result, x);
}

/// m * 2^k for integral-valued k, rounded once (correct into the subnormal range).
/// Generic path: Eigen's pldexp, which splits 2^k into factors that are each normal.
template <class Packet>
EIGEN_STRONG_INLINE Packet scale_by_pow2(const Packet& m, const Packet& k) {
  return ei::pldexp(m, k);
}

#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX512)
// AVX-512 has the operation itself: vscalefps/pd computes m * 2^floor(k) with one rounding.
// (Overloads, preferred over the template for these exact types. The zero-masked forms with a
// full mask are the same instruction; GCC 12's unmasked intrinsics trip -Wmaybe-uninitialized.)
EIGEN_STRONG_INLINE ei::Packet16f scale_by_pow2(const ei::Packet16f& m, const ei::Packet16f& k) {
  return _mm512_maskz_scalef_ps(__mmask16(0xFFFF), m, k);
}
EIGEN_STRONG_INLINE ei::Packet8d scale_by_pow2(const ei::Packet8d& m, const ei::Packet8d& k) {
  return _mm512_maskz_scalef_pd(__mmask8(0xFF), m, k);
}
#endif

/// A double parameter (swish's beta, swiglu_oai's alpha and limit) in the lane type, rounded to
/// nearest (ties to even) whatever the current rounding mode: the conversion instruction rounds
/// in the current mode, and under FE_DOWNWARD float(1.702) would be the float below, which moves
/// swish's far tail by ~100 ULP. For a double whose float is normal, the rounding is done on the
/// bits (the 29 dropped significand bits, with the carry into the exponent), after which the
/// conversion is exact; other values (subnormal, overflowing, inf, NaN) convert as usual.
template <class Scalar>
EIGEN_STRONG_INLINE Scalar parameter_to(double v) {
  if constexpr (std::is_same_v<Scalar, float>) {
    const double magnitude = std::fabs(v);
    if (magnitude >= double(std::numeric_limits<float>::min()) &&
        magnitude <= double(std::numeric_limits<float>::max())) {
      std::uint64_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      constexpr int kDropped = 52 - 23;
      bits += (std::uint64_t(1) << (kDropped - 1)) - 1 + ((bits >> kDropped) & 1);
      bits &= ~((std::uint64_t(1) << kDropped) - 1);
      std::memcpy(&v, &bits, sizeof bits);
    }
    return static_cast<float>(v);
  } else {
    return v;
  }
}

/// The integer nearest to t (|t| < 2^31), whatever the current rounding mode. The usual
/// t + 1.5*2^52 - 1.5*2^52 rounds in the current mode: under FE_DOWNWARD it floors, and an
/// exponential's reduced argument leaves the interval its polynomial was fitted on (hundreds of
/// ULP). SSE4.1 and later round with an explicit mode, as does NEON (frintn); SSE2 truncates
/// t + copysign(1/2, t). (Halfway cases may go either way: callers' fits have a margin for
/// |t - k| slightly above 1/2.)
/// Generic path: the shift gives an integer k0 within 1 of t in any mode, and d = t - k0 is
/// exact (Sterbenz for |t| >= 1; k0 in {-1, 0, 1} below); k0 is moved by one where |d| > 1/2.
/// In round-to-nearest mode no lane moves: the result is the shift's, ties to even.
template <class Packet>
EIGEN_STRONG_INLINE Packet round_to_nearest(const Packet& t) {
  const Packet shift = set1<Packet>(0x1.8p52);
  const Packet k0 = ei::psub(ei::padd(t, shift), shift);
  const Packet d = ei::psub(t, k0);
  const Packet half = set1<Packet>(0.5), one = set1<Packet>(1.0), zero = ei::pzero(t);
  const Packet up = ei::pselect(ei::pcmp_lt(half, d), one, zero);
  const Packet down = ei::pselect(ei::pcmp_lt(d, ei::pnegate(half)), one, zero);
  return ei::psub(ei::padd(k0, up), down);
}
EIGEN_STRONG_INLINE double round_to_nearest(double t) { return std::trunc(t + std::copysign(0.5, t)); }
#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_SSE4_1)
EIGEN_STRONG_INLINE ei::Packet2d round_to_nearest(const ei::Packet2d& t) {
  return _mm_round_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
#elif ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_SSE2)
EIGEN_STRONG_INLINE ei::Packet2d round_to_nearest(const ei::Packet2d& t) {
  const __m128d half = _mm_or_pd(_mm_and_pd(t, _mm_set1_pd(-0.0)), _mm_set1_pd(0.5));
  return _mm_cvtepi32_pd(_mm_cvttpd_epi32(_mm_add_pd(t, half)));
}
#endif
#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX)
EIGEN_STRONG_INLINE ei::Packet4d round_to_nearest(const ei::Packet4d& t) {
  return _mm256_round_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
#endif
#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX512)
EIGEN_STRONG_INLINE ei::Packet8d round_to_nearest(const ei::Packet8d& t) {
  return _mm512_maskz_roundscale_pd(__mmask8(0xFF), t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
#endif
#if ACTIV_NATIVE_NEON64
EIGEN_STRONG_INLINE ei::Packet2d round_to_nearest(const ei::Packet2d& t) { return vrndnq_f64(t); }
#endif

/// 2^k from a double s whose significand holds the biased exponent: s = 1.5*2^52 + (1023 + k)
/// for an integer k, |k| < 1023 (adding the constant to an integral k is exact in every mode). Shifting s's bits
/// left by 52 moves 1023 + k into the exponent field and everything else out: the bits of 2^k.
/// One integer shift instead of scale_by_pow2, for results known to be normal doubles (the
/// double arithmetic of float kernels), where exact rounding into the subnormals is not needed.
template <class Packet>  // packets of other architectures
EIGEN_STRONG_INLINE Packet pow2_from_biased(const Packet& s) {
  return ei::pldexp(set1<Packet>(1.0), ei::psub(s, set1<Packet>(0x1.8p52 + 1023)));
}
EIGEN_STRONG_INLINE double pow2_from_biased(double s) {
  std::uint64_t bits;
  std::memcpy(&bits, &s, sizeof bits);
  bits <<= 52;
  std::memcpy(&s, &bits, sizeof bits);
  return s;
}
#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_SSE2)
EIGEN_STRONG_INLINE ei::Packet2d pow2_from_biased(const ei::Packet2d& s) {
  return _mm_castsi128_pd(_mm_slli_epi64(_mm_castpd_si128(s), 52));
}
#endif
#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX2)
EIGEN_STRONG_INLINE ei::Packet4d pow2_from_biased(const ei::Packet4d& s) {
  return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(s), 52));
}
#elif ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX)
EIGEN_STRONG_INLINE ei::Packet4d pow2_from_biased(const ei::Packet4d& s) {  // AVX1: no 256-bit integer shift
  const __m128d lo = pow2_from_biased(ei::Packet2d(_mm256_castpd256_pd128(s)));
  const __m128d hi = pow2_from_biased(ei::Packet2d(_mm256_extractf128_pd(s, 1)));
  return _mm256_insertf128_pd(_mm256_castpd128_pd256(lo), hi, 1);
}
#endif
#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_AVX512)
EIGEN_STRONG_INLINE ei::Packet8d pow2_from_biased(const ei::Packet8d& s) {
  return _mm512_castsi512_pd(_mm512_maskz_slli_epi64(__mmask8(0xFF), _mm512_castpd_si512(s), 52));
}
#endif
#if ACTIV_NATIVE_NEON64
EIGEN_STRONG_INLINE ei::Packet2d pow2_from_biased(const ei::Packet2d& s) {
  return vreinterpretq_f64_u64(vshlq_n_u64(vreinterpretq_u64_f64(s), 52));
}
#endif

// (GCC warns that the vector attributes of __m128 & co. are dropped from template arguments;
// they only select a specialization here, as everywhere in Eigen, which silences it likewise.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif
/// The narrowest packet of a packet family (Packet16f -> Packet8f -> Packet4f), following
/// Eigen's `half` links to their fixed point.
template <class Packet, class Half = typename ei::unpacket_traits<Packet>::half>
struct narrowest_packet {
  using type = typename narrowest_packet<Half>::type;
};
template <class Packet>
struct narrowest_packet<Packet, Packet> {
  using type = Packet;
};

/// Runs a packet kernel on one scalar: broadcast, evaluate, take lane 0. The scalar path of every
/// functor goes through this, so it performs exactly the arithmetic of the vectorized path: every
/// packet width of a build uses the same operations per lane (fused or unfused multiply-add alike,
/// and a correctly rounded 2^k scaling), so the narrowest packet, the cheapest, is used.
template <class Scalar, class Kernel>
EIGEN_STRONG_INLINE Scalar via_packet(const Scalar& x, const Kernel& kernel) {
  using Packet = typename narrowest_packet<typename ei::packet_traits<Scalar>::type>::type;
  return ei::pfirst(kernel(ei::pset1<Packet>(x)));
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace detail
}  // namespace activ
