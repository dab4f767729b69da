// activ::silu — x * sigmoid(x), swish with beta = 1 (PyTorch's F.silu); activ::fast::silu.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/derivative.hpp"
#include "activ/detail/math/logistic.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// SiLU (sigmoid-weighted linear unit): silu(x) = x * sigmoid(x); the same values as
/// swish(x, 1).
///
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once,
///                 correctly: all 65 536 inputs of each checked, both tiers)
/// Max error:      Tier::precise: float 1 ULP (all 2^32 inputs checked), double 2 ULP;
///                 Tier::fast: float 4 ULP (all 2^32 inputs checked), double 4 ULP;
///                 on the whole real line, subnormal results in subnormal ULPs
/// Special values: NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0, subnormal x -> ~x/2
/// Cost:           precise float 20, double 65; fast float 26, double 36 (Eigen's units)
template <Tier T>
struct BasicSilu : detail::UnaryFunctor<BasicSilu<T>> {
  /// For 16-bit lanes (unary_functor.hpp): silu(x) = x + silu(-x) (sigmoid(x) + sigmoid(-x) =
  /// 1), and silu(x) = x/2 + x²/4 + O(x⁴).
  static constexpr detail::Reflection kReflection = detail::Reflection::x_plus;
  BasicSilu<Tier::precise> double_evaluator() const { return {}; }
  static constexpr double quadratic_coefficient() { return 0.25; }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    return detail::nan_passthrough(x, detail::silu<T>(x));
  }
};

using Silu = BasicSilu<Tier::precise>;
/// Element-wise SiLU of any Eigen dense or Tensor expression, as a lazy expression.
ACTIV_DETAIL_ELEMENTWISE_FUNCTION(silu, Silu)

namespace fast {
using Silu = BasicSilu<Tier::fast>;
/// activ::silu's fast tier (within 4 ULP).
ACTIV_DETAIL_ELEMENTWISE_FUNCTION(silu, Silu)
}  // namespace fast

namespace detail {
struct SiluDerivativeKernel {
  static constexpr int kCostFloat = 45, kCostDouble = 220;
  // silu'(x) = 1 - silu'(-x); near 0, 1/2 + x/2 + O(x^3).
  static constexpr Reflection kReflection = Reflection::one_minus;
  static DoubleWord16 series_at_zero(double x) { return {0.5, 0.5 * x}; }
  template <Tier T, class Packet>
  static EIGEN_STRONG_INLINE Packet apply(const Packet& x) {
    return swish_derivative<T, LogisticDerivative::kPlusSigmoid>(x, Parameter(1.0));
  }
};
}  // namespace detail

/// silu'(x) = sigmoid(x) (1 + x sigmoid(-x)).
/// Special values: NaN -> the same NaN, +inf -> 1, -inf -> -0, +-0 -> 1/2
///
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once)
/// Max error:      4 ULP (fast tier: 8), float and double; within 2^-9 (float), 2^-7 (double)
///                 of a zero of f', absolute: 4 (8) ULP of f' there (docs/design.md §4)
template <Tier T>
using BasicSiluDerivative = detail::BasicDerivative<detail::SiluDerivativeKernel, T>;

using SiluDerivative = BasicSiluDerivative<Tier::precise>;
/// The derivative of a Silu of either tier (the GLU backward passes find it by this name).
template <Tier T>
constexpr BasicSiluDerivative<T> derivative_of(const BasicSilu<T>&) {
  return {};
}
/// silu'(x) as a lazy expression, and silu_backward(dy, x) = dy * silu'(x).
ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(silu, SiluDerivative, "activ::silu")

namespace fast {
using SiluDerivative = BasicSiluDerivative<Tier::fast>;
ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(silu, SiluDerivative, "activ::fast::silu")
}  // namespace fast

}  // namespace activ

template <activ::Tier T>
struct Eigen::internal::functor_traits<activ::BasicSilu<T>>
    : activ::detail::unary_traits<T == activ::Tier::fast ? 26 : 20,
                                  T == activ::Tier::fast ? 36 : 65> {};
