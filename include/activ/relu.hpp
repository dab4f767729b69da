// activ::relu — max(x, 0), the gate of ReGLU.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/derivative.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// ReLU: relu(x) = max(x, 0).
///
/// Lane types:     float, double, Eigen::bfloat16, Eigen::half
/// Max error:      0 ULP (exact) on the whole real line
/// Special values: NaN -> NaN (as PyTorch), +inf -> +inf, -inf -> +0, +-0 -> +0
/// Cost:           float 2, double 2 (Eigen's units: a compare and a blend)
struct Relu : detail::UnaryFunctor<Relu> {
  static constexpr bool kExact = true;  // exact results (detail/math/product16.hpp)
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

/// relu'(x): 1 for x > 0, 0 for x <= 0 (0 at x = 0, PyTorch's convention).
///
/// Lane types:     float, double, Eigen::bfloat16, Eigen::half
/// Max error:      0 ULP (exact)
/// Special values: NaN -> the same NaN, +inf -> 1, -inf -> +0, +-0 -> +0
struct ReluDerivative : detail::UnaryFunctor<ReluDerivative> {
  static constexpr bool kExact = true;  // exact results (detail/math/product16.hpp)
  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    const Packet zero = Eigen::internal::pzero(x);
    const Packet one = detail::set1<Packet>(detail::scalar_of<Packet>(1));
    return detail::nan_passthrough(x, detail::select_le(x, zero, zero, one));
  }
};
/// relu'(x) as a lazy expression, and relu_backward(dy, x) = dy * relu'(x).
ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(relu, ReluDerivative, "activ::relu")
/// The derivative of Relu (for the GLU backward passes).
constexpr ReluDerivative derivative_of(const Relu&) { return {}; }

}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::Relu> : activ::detail::unary_traits<2, 2, 0> {};

template <>
struct Eigen::internal::functor_traits<activ::ReluDerivative>
    : activ::detail::unary_traits<3, 3, 0> {};
