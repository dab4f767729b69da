// activ::swish — x * sigmoid(beta * x); activ::fast::swish. (Includes activ::silu, beta = 1.)
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
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once,
///                 correctly: all 65 536 inputs of each checked, both tiers)
/// Max error:      Tier::precise: float 1 ULP (all 2^32 inputs checked at beta = 0.5, 1.702, 2),
///                 double 2 ULP; Tier::fast: float 4 ULP (the same sweep), double 4 ULP;
///                 on the whole real line for beta > 0, subnormal results in subnormal ULPs
/// Special values: (beta > 0) NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0,
///                 subnormal x -> ~x/2
/// Cost:           precise float 22, double 70; fast float 28, double 38 (Eigen's units)
template <Tier T>
struct BasicSwish : detail::UnaryFunctor<BasicSwish<T>> {
  detail::Parameter beta{1.0};

  BasicSwish() = default;
  explicit BasicSwish(double beta_) : beta(beta_) {}

  /// For 16-bit lanes (unary_functor.hpp): the precise tier with beta as the float kernel uses
  /// it, swish(x) = x + swish(-x), and swish(x) = x/2 + beta·x²/4 + O(x⁴).
  static constexpr detail::Reflection kReflection = detail::Reflection::x_plus;
  BasicSwish<Tier::precise> double_evaluator() const {
    return BasicSwish<Tier::precise>(double(beta.as_float));
  }
  double quadratic_coefficient() const { return beta.value / 4; }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    return detail::nan_passthrough(x, detail::swish<T>(x, beta));
  }
};

using Swish = BasicSwish<Tier::precise>;

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

namespace fast {
using Swish = BasicSwish<Tier::fast>;

/// activ::swish's fast tier (within 4 ULP), on a dense expression ...
template <class Derived>
EIGEN_STRONG_INLINE auto swish(const Eigen::DenseBase<Derived>& x, double beta) {
  return detail::unary_expr(x.derived(), Swish{beta});
}

/// ... and on an Eigen::Tensor expression.
template <class T, int Access>
EIGEN_STRONG_INLINE auto swish(const Eigen::TensorBase<T, Access>& x, double beta) {
  return detail::tensor_unary_expr(x, Swish{beta});
}
}  // namespace fast

}  // namespace activ

template <activ::Tier T>
struct Eigen::internal::functor_traits<activ::BasicSwish<T>>
    : activ::detail::unary_traits<T == activ::Tier::fast ? 28 : 22,
                                  T == activ::Tier::fast ? 38 : 70> {};
