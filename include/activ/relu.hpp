// activ::relu — max(x, 0), the gate of ReGLU.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/unary_functor.hpp"

namespace activ {

/// ReLU: relu(x) = max(x, 0).
///
/// Lane types:     float, double, Eigen::bfloat16, Eigen::half
/// Max error:      0 ULP (exact) on the whole real line
/// Special values: NaN -> NaN (as PyTorch), +inf -> +inf, -inf -> +0, +-0 -> +0
/// Cost:           float 2, double 2 (Eigen's units: a compare and a blend)
struct Relu : detail::UnaryFunctor<Relu> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    const Packet zero = Eigen::internal::pzero(x);
    return detail::select_le(x, zero, zero, x);
  }
};

/// Element-wise ReLU of any Eigen dense expression, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto relu(const Eigen::DenseBase<Derived>& x) {
  return detail::unary_expr(x.derived(), Relu{});
}

/// The same on an Eigen::Tensor expression (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto relu(const Eigen::TensorBase<T, Access>& x) {
  return detail::tensor_unary_expr(x, Relu{});
}

}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::Relu> : activ::detail::unary_traits<2, 2, 0> {};
