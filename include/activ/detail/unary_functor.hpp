// The shape every activ activation functor shares.
//
// A functor derives from UnaryFunctor<Self> and defines `template <class Packet> Packet
// packetOp(const Packet&) const`. UnaryFunctor supplies the scalar operator(), which runs that
// same packetOp on a broadcast packet and takes lane 0, so Eigen's scalar path (loop tails,
// strided access, unaligned heads) and its vectorized path perform identical arithmetic.
#pragma once

#include "activ/detail/math/packet.hpp"
#include "activ/detail/scalar_types.hpp"
#include "activ/detail/tensor_support.hpp"

namespace activ {
namespace detail {

template <class Self>
struct UnaryFunctor {
  template <class Scalar>
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& x) const {
    if constexpr (check_scalar<Scalar>()) {
      const Self& self = static_cast<const Self&>(*this);
      return via_packet(x, [&self](const auto& p) { return self.packetOp(p); });
    } else {
      return x;
    }
  }
};

/// The body of every element-wise free function: x.unaryExpr(f), a lazy expression, for a
/// supported scalar type. For any other, check_scalar's message is the only error: x itself is
/// returned, so neither the kernels nor the caller's assignment add errors after it.
template <class X, class F>
EIGEN_STRONG_INLINE auto unary_expr(const X& x, const F& f) {
  if constexpr (check_scalar<std::remove_cv_t<typename X::Scalar>>()) {  // (TensorMap<const>)
    return x.unaryExpr(f);
  } else {
    return x;
  }
}

/// The same for an Eigen::Tensor, which needs <activ/tensor.hpp>: without it, one message that
/// says so (the tensor itself is returned, as above).
template <class T, int Access, class F>
EIGEN_STRONG_INLINE auto tensor_unary_expr(const Eigen::TensorBase<T, Access>& x, const F& f) {
  static_assert(tensor_support_v<T>, ACTIV_DETAIL_TENSOR_NEEDS_HEADER);
  if constexpr (tensor_support_v<T>) {
    return unary_expr(static_cast<const T&>(x), f);
  } else {
    return static_cast<const T&>(x);
  }
}

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
