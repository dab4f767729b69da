// activ::relu — max(x, 0), the gate of ReGLU.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/unary_functor.hpp"

namespace activ {

/// ReLU: relu(x) = max(x, 0). Exact (0 ULP). relu(NaN) = NaN (as PyTorch), relu(-0) = +0,
/// relu(-inf) = +0, relu(+inf) = +inf.
struct Relu : detail::UnaryFunctor<Relu> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    const Packet zero = Eigen::internal::pzero(x);
    return detail::select_le(x, zero, zero, x);
  }
};

/// Element-wise ReLU of any Eigen dense expression, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto relu(const Eigen::DenseBase<Derived>& x) {
  return detail::unary_expr(x.derived(), Relu{});
}

/// The same on an Eigen::Tensor or tensor expression, as a lazy tensor expression
/// (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto relu(const Eigen::TensorBase<T, Access>& x) {
  return detail::tensor_unary_expr(x, Relu{});
}

}  // namespace activ

namespace Eigen {
namespace internal {
template <>
struct functor_traits<activ::Relu> {
  enum { Cost = 2, PacketAccess = activ::detail::kPacketAccess };
};
}  // namespace internal
}  // namespace Eigen
