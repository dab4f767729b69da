// activ::swish — x * sigmoid(beta * x). (Includes activ::silu, the beta = 1 case.)
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/math/logistic.hpp"
#include "activ/detail/unary_functor.hpp"
#include "activ/silu.hpp"

namespace activ {

/// Swish (Ramachandran et al.): swish(x; beta) = x * sigmoid(beta * x). beta is rounded to each
/// lane type once, when the functor is built (to nearest in every rounding mode); the bound is
/// relative to that value. beta * x is formed exactly, so large |beta * x| costs no accuracy.
///
/// Lane types:     float, double
/// Max error:      float 1 ULP (all 2^32 inputs checked at beta = 0.5, 1.702, 2), double 2 ULP;
///                 on the whole real line for beta > 0, subnormal results in subnormal ULPs
/// Special values: (beta > 0) NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0,
///                 subnormal x -> ~x/2
/// Cost:           float 22, double 70 (Eigen's units)
struct Swish : detail::UnaryFunctor<Swish> {
  detail::Parameter beta{1.0};

  Swish() = default;
  explicit Swish(double beta_) : beta(beta_) {}

  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    return detail::nan_passthrough(x, detail::swish(x, beta));
  }
};

/// Element-wise swish with parameter beta, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto swish(const Eigen::DenseBase<Derived>& x, double beta) {
  return detail::unary_expr(x.derived(), Swish{beta});
}

/// The same on an Eigen::Tensor expression (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto swish(const Eigen::TensorBase<T, Access>& x, double beta) {
  return detail::tensor_unary_expr(x, Swish{beta});
}

}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::Swish> : activ::detail::unary_traits<22, 70> {};
