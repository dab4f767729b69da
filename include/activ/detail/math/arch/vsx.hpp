// POWER VSX (Packet2d): a guard, not a faster instruction. With Eigen 3.4's pldexp for Packet2d, a
// NaN exponent in one lane changes the other lane's result (pldexp({1, 1}, {1, NaN}) gives
// {1, 1}, not {2, NaN}; seen with GCC 12 under qemu-ppc64le). NaN exponents come from NaN inputs,
// whose lanes the kernels replace anyway, so they are set to 0 before pldexp and every lane
// depends on its own input only. Applies with ACTIV_GENERIC_PACKET_PATH too: it is a fix of the
// generic path on this packet type, written on Eigen's packet API.
#pragma once

// packet.hpp declares the templates specialized here, and includes this file at its end.
#include "activ/detail/math/packet.hpp"

#if defined(EIGEN_VECTORIZE_VSX)

namespace activ {
namespace detail {

/// k with its NaN lanes replaced by 0.
EIGEN_STRONG_INLINE ei::Packet2d exponent_without_nan(const ei::Packet2d& k) {
  return select_eq(k, k, k, ei::pzero(k));
}

template <>
EIGEN_STRONG_INLINE ei::Packet2d scale_by_pow2<ei::Packet2d>(const ei::Packet2d& m,
                                                             const ei::Packet2d& k) {
  return ei::pldexp(m, exponent_without_nan(k));
}

template <>
EIGEN_STRONG_INLINE ei::Packet2d pow2_from_biased<ei::Packet2d>(const ei::Packet2d& s) {
  return ei::pldexp(set1<ei::Packet2d>(1.0),
                    exponent_without_nan(ei::psub(s, set1<ei::Packet2d>(0x1.8p52 + 1023))));
}

}  // namespace detail
}  // namespace activ

#endif
