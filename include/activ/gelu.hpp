// activ::gelu — the exact GELU, x * Phi(x), Phi the standard normal CDF; activ::fast::gelu.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/derivative.hpp"
#include "activ/detail/math/gelu.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// GELU (Hendrycks & Gimpel), erf form: gelu(x) = x * Phi(x) = 0.5 * x * erfc(-x / sqrt 2).
/// The negative tail has full relative accuracy (gelu(-10) = -7.6e-23); results stay normal
/// down to x ~ -13 (float) / -37.5 (double).
///
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once,
///                 correctly: all 65 536 inputs of each checked, both tiers)
/// Max error:      Tier::precise: float 1 ULP (all 2^32 inputs checked), double 2 ULP;
///                 Tier::fast: float 4 ULP (all 2^32 inputs checked), double 4 ULP;
///                 on the whole real line, subnormal results in subnormal ULPs
/// Special values: NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0, subnormal x -> ~x/2
/// Cost:           precise float 30, double 150 (double runs in double-word arithmetic);
///                 fast float 40, double 60 (Eigen's units)
template <Tier T>
struct BasicGelu : detail::UnaryFunctor<BasicGelu<T>> {
  /// For 16-bit lanes (unary_functor.hpp): gelu(x) = x + gelu(-x) (Phi(x) + Phi(-x) = 1), and
  /// gelu(x) = x/2 + x²/sqrt(2 pi) + O(x⁴).
  static constexpr detail::Reflection kReflection = detail::Reflection::x_plus;
  BasicGelu<Tier::precise> double_evaluator() const { return {}; }
  static constexpr double quadratic_coefficient() { return 0.39894228040143268; }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    return detail::nan_passthrough(x, detail::gelu<T>(x));
  }
};

using Gelu = BasicGelu<Tier::precise>;
/// Element-wise GELU of any Eigen dense or Tensor expression, as a lazy expression.
ACTIV_DETAIL_ELEMENTWISE_FUNCTION(gelu, Gelu)

namespace fast {
using Gelu = BasicGelu<Tier::fast>;
/// activ::gelu's fast tier (within 4 ULP).
ACTIV_DETAIL_ELEMENTWISE_FUNCTION(gelu, Gelu)
}  // namespace fast

namespace detail {
struct GeluDerivativeKernel {
  static constexpr int kCostFloat = 60, kCostDouble = 400;
  // gelu'(x) = 1 - gelu'(-x); near 0, 1/2 + sqrt(2/pi)·x - O(x^3).
  static constexpr Reflection kReflection = Reflection::one_minus;
  static DoubleWord16 series_at_zero(double x) { return {0.5, 0.79788456080286536 * x}; }
  template <Tier T, class Packet>
  static EIGEN_STRONG_INLINE Packet apply(const Packet& x) {
    return gelu_derivative(x);
  }
};
}  // namespace detail

/// gelu'(x) = Phi(x) + x phi(x), without the cancellation of 0.5 (1 + erf) + x phi: the left
/// tail keeps full relative accuracy (gelu'(-10) = -7.6184e-22).
/// Special values: NaN -> the same NaN, +inf -> 1, -inf -> -0, +-0 -> 1/2
///
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once)
/// Max error:      4 ULP (fast tier: 8), float and double; within 2^-9 (float), 2^-7 (double)
///                 of a zero of f', absolute: 4 (8) ULP of f' there (docs/design.md §4)
template <Tier T>
using BasicGeluDerivative = detail::BasicDerivative<detail::GeluDerivativeKernel, T>;

using GeluDerivative = BasicGeluDerivative<Tier::precise>;
/// The derivative of a Gelu of either tier (the GLU backward passes find it by this name).
template <Tier T>
constexpr BasicGeluDerivative<T> derivative_of(const BasicGelu<T>&) {
  return {};
}
/// gelu'(x) as a lazy expression, and gelu_backward(dy, x) = dy * gelu'(x).
ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(gelu, GeluDerivative, "activ::gelu")

namespace fast {
using GeluDerivative = BasicGeluDerivative<Tier::fast>;
ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(gelu, GeluDerivative, "activ::fast::gelu")
}  // namespace fast

}  // namespace activ

template <activ::Tier T>
struct Eigen::internal::functor_traits<activ::BasicGelu<T>>
    : activ::detail::unary_traits<T == activ::Tier::fast ? 40 : 30,
                                  T == activ::Tier::fast ? 60 : 150> {};
