// activ::gelu — the exact GELU, x * Phi(x), Phi the standard normal CDF.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/math/gelu.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// GELU (Hendrycks & Gimpel), erf form: gelu(x) = x * Phi(x) = 0.5 * x * erfc(-x / sqrt 2).
/// The negative tail has full relative accuracy (gelu(-10) = -7.6e-23); results stay normal
/// down to x ~ -13 (float) / -37.5 (double).
///
/// Lane types:     float, double
/// Max error:      float 1 ULP (all 2^32 inputs checked), double 2 ULP; on the whole real line,
///                 subnormal results in subnormal ULPs
/// Special values: NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0, subnormal x -> ~x/2
/// Cost:           float 30, double 150 (Eigen's units; double runs in double-word arithmetic)
struct Gelu : detail::UnaryFunctor<Gelu> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    return detail::nan_passthrough(x, detail::gelu(x));
  }
};

/// Element-wise GELU of any Eigen dense expression (Array or Matrix, Map, Block, either storage
/// order), as a lazy expression: `activ::gelu(x.array() + b)` evaluates in one pass.
template <class Derived>
EIGEN_STRONG_INLINE auto gelu(const Eigen::DenseBase<Derived>& x) {
  return detail::unary_expr(x.derived(), Gelu{});
}

/// The same on an Eigen::Tensor expression (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto gelu(const Eigen::TensorBase<T, Access>& x) {
  return detail::tensor_unary_expr(x, Gelu{});
}

}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::Gelu> : activ::detail::unary_traits<30, 150> {};
