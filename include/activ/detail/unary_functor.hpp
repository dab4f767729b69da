// The shape every activ activation functor shares.
//
// A functor derives from UnaryFunctor<Self> and defines `template <class Packet> Packet
// packetOp(const Packet&) const`. UnaryFunctor supplies the scalar operator(), which runs that
// same packetOp on a broadcast packet and takes lane 0, so Eigen's scalar path (loop tails,
// strided access, unaligned heads) and its vectorized path perform identical arithmetic.
#pragma once

#include "activ/detail/packet_math.hpp"

namespace activ {
namespace detail {

template <class Self>
struct UnaryFunctor {
  template <class Scalar>
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& x) const {
    static_assert(is_supported_scalar_v<Scalar>,
                  "activ activations are defined for float and double");
    return via_packet(x, [this](const auto& p) { return static_cast<const Self&>(*this).packetOp(p); });
  }
};

/// PacketAccess for the functor_traits of every activ functor: the kernels use division,
/// comparisons, blends and abs on both float and double packets.
inline constexpr bool kPacketAccess =
    bool(ei::packet_traits<float>::HasDiv) && bool(ei::packet_traits<double>::HasDiv) &&
    bool(ei::packet_traits<float>::HasAbs) && bool(ei::packet_traits<double>::HasAbs);

/// Approximate cost of one evaluation, in Eigen's units (an add or a multiply is 1).
/// Counts the arithmetic of the float kernel with the division taken as Eigen does (DivCost).
template <int Ops>
inline constexpr int kCost = Ops + Eigen::internal::scalar_div_cost<float, true>::value;

}  // namespace detail
}  // namespace activ
