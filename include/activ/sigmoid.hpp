// activ::sigmoid — the logistic function.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/math/logistic.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// Logistic sigmoid: sigmoid(x) = 1 / (1 + e^-x). The left tail keeps full relative accuracy
/// (sigmoid(-100) = 3.7e-44, a float subnormal).
///
/// Lane types:     float, double
/// Max error:      float 1 ULP (all 2^32 inputs checked), double 2 ULP; on the whole real line,
///                 subnormal results in subnormal ULPs
/// Special values: NaN -> the same NaN, +inf -> 1, -inf -> +0, +-0 -> 1/2, subnormal x -> 1/2
/// Cost:           float 20, double 60 (Eigen's units)
struct Sigmoid : detail::UnaryFunctor<Sigmoid> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    return detail::nan_passthrough(x, detail::sigmoid(x));
  }
};

/// Element-wise sigmoid of any Eigen dense expression, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto sigmoid(const Eigen::DenseBase<Derived>& x) {
  return detail::unary_expr(x.derived(), Sigmoid{});
}

/// The same on an Eigen::Tensor expression (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto sigmoid(const Eigen::TensorBase<T, Access>& x) {
  return detail::tensor_unary_expr(x, Sigmoid{});
}

}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::Sigmoid> : activ::detail::unary_traits<20, 60> {};
