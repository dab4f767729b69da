// The scalar path of every functor: one scalar evaluated by the packet kernel itself.
#pragma once

#include "activ/detail/math/packet.hpp"

namespace activ {
namespace detail {

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

/// The narrowest packet of Scalar's packet family: the packet of the scalar path.
template <class Scalar>
using narrowest_packet_of =
    typename narrowest_packet<typename ei::packet_traits<Scalar>::type>::type;

/// Runs a packet kernel on one scalar: broadcast, evaluate, take lane 0. The scalar path of every
/// functor goes through this, so it performs exactly the arithmetic of the vectorized path: every
/// packet width of a build uses the same operations per lane (fused or unfused multiply-add alike,
/// and a correctly rounded 2^k scaling), so the narrowest packet, the cheapest, is used.
template <class Scalar, class Kernel>
EIGEN_STRONG_INLINE Scalar via_packet(const Scalar& x, const Kernel& kernel) {
  using Packet = narrowest_packet_of<Scalar>;
  return ei::pfirst(kernel(ei::pset1<Packet>(x)));
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace detail
}  // namespace activ
