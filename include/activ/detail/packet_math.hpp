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
#include <limits>
#include <type_traits>

namespace activ {
namespace detail {

namespace ei = Eigen::internal;

template <class Packet>
using scalar_of = typename ei::unpacket_traits<Packet>::type;

/// True when multiply-add is fused (one rounding) in the packet arithmetic of this build.
/// Eigen's packet pmadd is fused exactly when EIGEN_VECTORIZE_FMA is set; plain scalars
/// (EIGEN_DONT_VECTORIZE builds) use std::fma when the target has FMA.
#if defined(EIGEN_VECTORIZE_FMA) || defined(__FMA__)
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

/// Horner evaluation of c[0] + c[1]*x + ... + c[N-1]*x^(N-1).
template <class Packet, class Scalar, std::size_t N>
EIGEN_STRONG_INLINE Packet horner(const Packet& x, const Scalar (&c)[N]) {
  static_assert(N >= 2, "a polynomial needs at least two coefficients");
  Packet r = set1<Packet>(c[N - 1]);
  for (std::size_t i = N - 1; i-- > 0;) r = madd(r, x, set1<Packet>(c[i]));
  return r;
}

/// An unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
template <class Packet>
struct DoubleWord {
  Packet hi;
  Packet lo;
};

/// Error-free product: hi + lo == a*b exactly (barring underflow and overflow).
/// With FMA the error is one fused operation; without it, Dekker's split (Veltkamp constant
/// 2^ceil(p/2) + 1) cuts a and b into halves whose partial products are all exact.
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> two_product(const Packet& a, const Packet& b) {
  const Packet hi = ei::pmul(a, b);
  if constexpr (kFusedMultiplyAdd) {
    return {hi, madd(a, b, ei::pnegate(hi))};
  } else {
    using Scalar = scalar_of<Packet>;
    constexpr Scalar kSplit = std::is_same_v<Scalar, float> ? Scalar(4097) : Scalar(134217729);
    const auto split = [&](const Packet& v, Packet& v_hi, Packet& v_lo) {
      const Packet t = ei::pmul(set1<Packet>(kSplit), v);
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

/// Lane-wise a < b ? a : b that keeps a NaN in `a` (x86 min instructions would drop it).
template <class Packet>
EIGEN_STRONG_INLINE Packet min_keep_nan(const Packet& a, const Packet& b) {
  return ei::pselect(ei::pcmp_lt(b, a), b, a);
}

/// Lane-wise a > b ? a : b that keeps a NaN in `a`.
template <class Packet>
EIGEN_STRONG_INLINE Packet max_keep_nan(const Packet& a, const Packet& b) {
  return ei::pselect(ei::pcmp_lt(a, b), b, a);
}

/// m * 2^k for integral-valued k, rounded once (correct into the subnormal range).
/// Generic path: Eigen's pldexp, which splits 2^k into factors that are each normal.
template <class Packet>
EIGEN_STRONG_INLINE Packet scale_by_pow2(const Packet& m, const Packet& k) {
  return ei::pldexp(m, k);
}

#if defined(EIGEN_VECTORIZE_AVX512)
// AVX-512 has the operation itself: vscalefps/pd computes m * 2^floor(k) with one rounding.
template <>
EIGEN_STRONG_INLINE ei::Packet16f scale_by_pow2(const ei::Packet16f& m, const ei::Packet16f& k) {
  return _mm512_scalef_ps(m, k);
}
template <>
EIGEN_STRONG_INLINE ei::Packet8d scale_by_pow2(const ei::Packet8d& m, const ei::Packet8d& k) {
  return _mm512_scalef_pd(m, k);
}
#endif

/// Runs a packet kernel on one scalar: broadcast, evaluate, take lane 0. The scalar path of every
/// functor goes through this, so it performs exactly the arithmetic of the vectorized path.
template <class Scalar, class Kernel>
EIGEN_STRONG_INLINE Scalar via_packet(const Scalar& x, const Kernel& kernel) {
  using Packet = typename ei::packet_traits<Scalar>::type;
  return ei::pfirst(kernel(ei::pset1<Packet>(x)));
}

template <class Scalar>
inline constexpr bool is_supported_scalar_v =
    std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double>;

}  // namespace detail
}  // namespace activ
