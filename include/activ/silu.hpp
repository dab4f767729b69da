// activ::silu — x * sigmoid(x), swish with beta = 1 (PyTorch's F.silu).
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/math/logistic.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// SiLU (sigmoid-weighted linear unit): silu(x) = x * sigmoid(x); the same values as
/// swish(x, 1).
///
/// Lane types:     float, double
/// Max error:      float 1 ULP (all 2^32 inputs checked), double 2 ULP; on the whole real line,
///                 subnormal results in subnormal ULPs
/// Special values: NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0, subnormal x -> ~x/2
/// Cost:           float 20, double 65 (Eigen's units)
struct Silu : detail::UnaryFunctor<Silu> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    return detail::nan_passthrough(x, detail::silu(x));
  }
};

/// Element-wise SiLU of any Eigen dense expression, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto silu(const Eigen::DenseBase<Derived>& x) {
  return detail::unary_expr(x.derived(), Silu{});
}

/// The same on an Eigen::Tensor expression (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto silu(const Eigen::TensorBase<T, Access>& x) {
  return detail::tensor_unary_expr(x, Silu{});
}

}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::Silu> : activ::detail::unary_traits<20, 65> {};
