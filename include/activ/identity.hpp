// activ::Identity — the gate of the bilinear GLU.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/unary_functor.hpp"

namespace activ {

/// Identity: identity(x) = x. Exact; every value, NaN and infinities included, passes through.
struct Identity : detail::UnaryFunctor<Identity> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    return x;
  }
};

}  // namespace activ

namespace Eigen {
namespace internal {
template <>
struct functor_traits<activ::Identity> {
  enum { Cost = 0, PacketAccess = activ::detail::kPacketAccess };
};
}  // namespace internal
}  // namespace Eigen
