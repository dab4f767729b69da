// The shape every activ activation functor shares.
//
// A functor derives from UnaryFunctor<Self> and defines `template <class Packet> Packet
// packetOp(const Packet&) const`. UnaryFunctor supplies the scalar operator(), which runs that
// same packetOp on a broadcast packet and takes lane 0, so Eigen's scalar path (loop tails,
// strided access, unaligned heads) and its vectorized path perform identical arithmetic.
#pragma once

#include "activ/detail/math/scalar_path.hpp"
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

/// Defines the free function `name` of an element-wise functor in the enclosing namespace: on any
/// Eigen dense expression and on an Eigen::Tensor expression, a lazy expression of the same kind.
/// (A macro because each tier's namespace has the same pair of overloads.)
#define ACTIV_DETAIL_ELEMENTWISE_FUNCTION(name, Functor)                 \
  template <class Derived>                                               \
  EIGEN_STRONG_INLINE auto name(const Eigen::DenseBase<Derived>& x) {    \
    return ::activ::detail::unary_expr(x.derived(), Functor{});          \
  }                                                                      \
  template <class T, int Access>                                         \
  EIGEN_STRONG_INLINE auto name(const Eigen::TensorBase<T, Access>& x) { \
    return ::activ::detail::tensor_unary_expr(x, Functor{});             \
  }

/// PacketAccess for the functor_traits of every activ functor: the kernels use division,
/// comparisons, blends and abs on both float and double packets.
inline constexpr bool kPacketAccess =
    bool(ei::packet_traits<float>::HasDiv) && bool(ei::packet_traits<double>::HasDiv) &&
    bool(ei::packet_traits<float>::HasAbs) && bool(ei::packet_traits<double>::HasAbs);

/// The functor_traits of an activ functor. Costs are in Eigen's units (an add or a multiply is
/// 1), counting the arithmetic of the kernel for each lane type, plus Eigen's DivCost when the
/// kernel divides. Eigen's functor_traits has one Cost for a functor, and activ's functors take
/// float and double alike: Cost is the float one (the cheaper, so that Eigen never keeps a double
/// expression lazy that it would keep for float), CostFloat and CostDouble give both.
template <int FloatOps, int DoubleOps, bool Divides = true>
struct unary_traits {
  enum {
    CostFloat = FloatOps + (Divides ? int(ei::scalar_div_cost<float, true>::value) : 0),
    CostDouble = DoubleOps + (Divides ? int(ei::scalar_div_cost<double, true>::value) : 0),
    Cost = CostFloat,
    PacketAccess = kPacketAccess
  };
};

}  // namespace detail
}  // namespace activ
