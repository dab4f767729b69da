// Packet primitives shared by every activ kernel: the generic definitions.
//
// With the double-word module (double_word.hpp) and the widening (widen.hpp), this is the only
// layer that touches Eigen::internal's packet API directly. Everything here is
// generic over the packet type (Packet4f ... Packet16f, Packet2d ... Packet8d, and plain float /
// double when Eigen does not vectorize), so a kernel written on top of it runs the same arithmetic
// on every lane of every packet width: that is what makes activ's results independent of where an
// element sits in an array.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

// Native and generic primitives. Each primitive below is a function template written on Eigen's
// packet API: the generic path, taken by every packet type Eigen provides (VSX, 32-bit NEON,
// ZVector, WebAssembly SIMD, MSA, and plain scalars). Where an instruction set has a better
// instruction for one, the file of that instruction set under arch/ specializes the template for
// its packet types (`template <>`, Eigen's idiom): arch/sse.hpp, arch/avx.hpp, arch/avx512.hpp,
// arch/neon.hpp, arch/scalar.hpp for plain float and double, and arch/vsx.hpp (a guard against
// a lane-crossing fault of Eigen 3.4's VSX pldexp). Defining
// ACTIV_GENERIC_PACKET_PATH before including activ turns the native specializations off, so that
// the generic path can be built and tested on x86 too.
#if defined(ACTIV_GENERIC_PACKET_PATH)
#define ACTIV_NATIVE_PACKETS 0
#else
#define ACTIV_NATIVE_PACKETS 1
#endif
// aarch64 NEON: the only NEON with double packets (Eigen's Packet2d).
#if ACTIV_NATIVE_PACKETS && defined(EIGEN_VECTORIZE_NEON) && EIGEN_ARCH_ARM64 && \
    !EIGEN_APPLE_DOUBLE_NEON_BUG
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
#if defined(EIGEN_VECTORIZE_FMA) || defined(__FMA__) || defined(__ARM_FEATURE_FMA) || \
    defined(__VSX__)
inline constexpr bool kFusedMultiplyAdd = true;
#else
inline constexpr bool kFusedMultiplyAdd = false;
#endif

template <class Packet>
EIGEN_STRONG_INLINE Packet set1(scalar_of<Packet> value) {
  return ei::pset1<Packet>(value);
}

/// a*b, rounded once (into the subnormals where it lands there): Eigen's pmul, except where an
/// instruction set's pmul may flush subnormal products (arch/vsx.hpp).
template <class Packet>
EIGEN_STRONG_INLINE Packet mul(const Packet& a, const Packet& b) {
  return ei::pmul(a, b);
}

/// -a, the sign bit flipped (so -(+0) = -0 in every rounding mode): Eigen's pnegate, except where
/// an instruction set's pnegate is a subtraction from 0 (arch/vsx.hpp).
template <class Packet>
EIGEN_STRONG_INLINE Packet negate(const Packet& a) {
  return ei::pnegate(a);
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

/// Lane-wise selections on an ordered comparison: (a < b ? x : y), (a <= b ? x : y),
/// (a == b ? x : y); false where a or b is NaN, as Eigen's pcmp_*. Kernels select through these
/// rather than pcmp + pselect: on AVX-512 the comparison yields a k-mask that the blend takes
/// directly, where Eigen 3.4's pcmp/pselect convert it to a vector and back (two instructions).
template <class Packet>
EIGEN_STRONG_INLINE Packet select_lt(const Packet& a, const Packet& b, const Packet& x,
                                     const Packet& y) {
  return ei::pselect(ei::pcmp_lt(a, b), x, y);
}
template <class Packet>
EIGEN_STRONG_INLINE Packet select_le(const Packet& a, const Packet& b, const Packet& x,
                                     const Packet& y) {
  return ei::pselect(ei::pcmp_le(a, b), x, y);
}
template <class Packet>
EIGEN_STRONG_INLINE Packet select_eq(const Packet& a, const Packet& b, const Packet& x,
                                     const Packet& y) {
  return ei::pselect(ei::pcmp_eq(a, b), x, y);
}

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
  return max_keep_nan(min_keep_nan(x, l), negate(l));
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
/// Generic path: Eigen's pldexp, which splits 2^k into factors that are each normal. AVX-512 has
/// the operation itself (vscalefps/pd: m * 2^floor(k), one rounding).
template <class Packet>
EIGEN_STRONG_INLINE Packet scale_by_pow2(const Packet& m, const Packet& k) {
  return ei::pldexp(m, k);
}

/// Whether scale_by_pow2 is one instruction for Packet (AVX-512's vscalefps/pd). Where it is,
/// kernels scale every lane with it; elsewhere they multiply by 2^k built from k's bits (pow2)
/// and take scale_by_pow2 only in packets that have a lane where 2^k is subnormal. Both round
/// m * 2^k once, so the two give the same bits.
template <class Packet>
struct has_native_scale : std::false_type {};

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
  using Scalar = scalar_of<Packet>;
  // 1.5 * 2^(p-1): adding it leaves no fraction bits (p the significand's precision).
  const Packet shift =
      set1<Packet>(Scalar(1.5) * Scalar(1ull << (std::numeric_limits<Scalar>::digits - 1)));
  const Packet k0 = ei::psub(ei::padd(t, shift), shift);
  const Packet d = ei::psub(t, k0);
  const Packet half = set1<Packet>(0.5), one = set1<Packet>(1.0), zero = ei::pzero(t);
  const Packet up = ei::pselect(ei::pcmp_lt(half, d), one, zero);
  const Packet down = ei::pselect(ei::pcmp_lt(d, negate(half)), one, zero);
  return ei::psub(ei::padd(k0, up), down);
}
/// The constants of pow2_from_biased for a lane type with p-bit significands and exponent bias B:
/// kBiasedShift = 1.5 * 2^(p-1) + B (double: 1.5*2^52 + 1023, float: 1.5*2^23 + 127).
template <class Scalar>
struct BiasedExponent {
  static constexpr int kMantissaBits = std::numeric_limits<Scalar>::digits - 1;
  static constexpr Scalar kBiasedShift = Scalar(1.5) * Scalar(1ull << kMantissaBits) +
                                         Scalar(std::numeric_limits<Scalar>::max_exponent - 1);
};

/// 2^k from s whose significand holds the biased exponent: s = 1.5*2^(p-1) + (B + k) for an
/// integer k with 2^k a normal number (adding the constant to an integral k is exact in every
/// mode). Shifting s's bits left by p-1 moves B + k into the exponent field and everything else
/// out: the bits of 2^k. One integer shift instead of scale_by_pow2, for powers of two known to
/// be normal, where exact rounding into the subnormals is not needed.
template <class Packet>
EIGEN_STRONG_INLINE Packet pow2_from_biased(const Packet& s) {
  using Scalar = scalar_of<Packet>;
  return ei::pldexp(set1<Packet>(Scalar(1)),
                    ei::psub(s, set1<Packet>(BiasedExponent<Scalar>::kBiasedShift)));
}

/// 2^k for an integral-valued k (in the floating-point type) with 2^k normal.
template <class Packet>
EIGEN_STRONG_INLINE Packet pow2(const Packet& k) {
  return pow2_from_biased(
      ei::padd(k, set1<Packet>(BiasedExponent<scalar_of<Packet>>::kBiasedShift)));
}

/// Lanes `lane`, `lane`+2, ... of the 2P contiguous scalars at p (lane 0 or 1): the even or the
/// odd elements of two packets' worth of memory. Generic path: a strided gather.
template <class Packet, class Scalar>
EIGEN_STRONG_INLINE Packet load_every_other(const Scalar* p, Eigen::Index lane) {
  return ei::pgather<Scalar, Packet>(p + lane, 2);
}

/// How a float packet converts to double packets natively (widen.hpp): not at all (kGeneric: the
/// generic fallback through memory), the whole packet into one double packet (kWhole: static
/// widen / narrow), or its two halves into two (kHalves: static widen_low / widen_high /
/// narrow(lo, hi)). Specialized per instruction set under arch/.
enum class Widening { kGeneric, kWhole, kHalves };
template <class PacketF>
struct widening {
  static constexpr Widening kind = Widening::kGeneric;
};

/// How a 16-bit packet (Eigen::bfloat16, Eigen::half lanes) converts to a float packet natively
/// (storage16.hpp): not at all (kGeneric: each lane takes the scalar path) or the whole packet
/// into one float packet of as many lanes (kWhole: static widen / narrow, narrow rounding to
/// nearest even in every rounding mode). Specialized per instruction set under arch/.
template <class Packet16>
struct widening16 {
  static constexpr Widening kind = Widening::kGeneric;
};

/// A 16-bit packet's lanes looked up in a table of 16-bit bit patterns indexed by the lanes' bit
/// patterns (table16.hpp; the table has one entry more than indices). Generic: one load per lane
/// through memory. Specialized per instruction set under arch/ where a gather pays.
template <class Packet16>
struct table_gather16 {
  static EIGEN_STRONG_INLINE Packet16 lookup(const std::uint16_t* table, const Packet16& x) {
    using S16 = scalar_of<Packet16>;
    constexpr int kSize = ei::unpacket_traits<Packet16>::size;
    EIGEN_ALIGN_MAX S16 lanes[kSize];
    ei::pstore(lanes, x);
    for (S16& lane : lanes) {
      lane = Eigen::numext::bit_cast<S16>(table[Eigen::numext::bit_cast<std::uint16_t>(lane)]);
    }
    return ei::pload<Packet16>(lanes);
  }
};
/// Float lanes that hold S16 values (16-bit inputs widened to float) looked up in a table of 65 536
/// floats indexed by the S16 bit patterns of the lanes (table16.hpp's factor tables). A NaN lane
/// reads some NaN input's entry: the caller blends its own. Generic: one load per lane through
/// memory. Specialized per instruction set under arch/ where a gather pays.
template <class S16, class PacketF>
struct factor_gather16 {
  static EIGEN_STRONG_INLINE PacketF lookup(const float* table, const PacketF& x) {
    if constexpr (std::is_floating_point_v<PacketF>) {
      return table[Eigen::numext::bit_cast<std::uint16_t>(S16(x))];
    } else {
      constexpr int kSize = ei::unpacket_traits<PacketF>::size;
      EIGEN_ALIGN_MAX float lanes[kSize];
      ei::pstore(lanes, x);
      for (float& lane : lanes) lane = table[Eigen::numext::bit_cast<std::uint16_t>(S16(lane))];
      return ei::pload<PacketF>(lanes);
    }
  }
};

/// The table_gather16 of a packet type whose register an instruction-set function gathers into
/// (arch/: both 16-bit types of a width share it).
template <class Packet16, class Register, Register (*Gather)(const std::uint16_t*, const Register&)>
struct native_table_gather16 {
  static EIGEN_STRONG_INLINE Packet16 lookup(const std::uint16_t* table, const Packet16& x) {
    return Gather(table, x);
  }
};

}  // namespace detail
}  // namespace activ

// The native specializations of the primitives above (in this order: AVX1's pow2_from_biased
// uses SSE2's).
#include "activ/detail/math/arch/avx.hpp"
#include "activ/detail/math/arch/avx512.hpp"
#include "activ/detail/math/arch/neon.hpp"
#include "activ/detail/math/arch/scalar.hpp"
#include "activ/detail/math/arch/sse.hpp"
#include "activ/detail/math/arch/vsx.hpp"
