// activ::sigmoid — the logistic function; activ::fast::sigmoid, its fast tier.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/derivative.hpp"
#include "activ/detail/math/logistic.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// Logistic sigmoid: sigmoid(x) = 1 / (1 + e^-x). The left tail keeps full relative accuracy
/// (sigmoid(-100) = 3.7e-44, a float subnormal).
///
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once,
///                 correctly: all 65 536 inputs of each checked, both tiers)
/// Max error:      Tier::precise: float 1 ULP (all 2^32 inputs checked), double 2 ULP;
///                 Tier::fast: float 4 ULP (all 2^32 inputs checked), double 4 ULP;
///                 on the whole real line, subnormal results in subnormal ULPs
/// Special values: NaN -> the same NaN, +inf -> 1, -inf -> +0, +-0 -> 1/2, subnormal x -> 1/2
/// Cost:           precise float 20, double 60; fast float 25, double 35 (Eigen's units)
template <Tier T>
struct BasicSigmoid : detail::UnaryFunctor<BasicSigmoid<T>> {
  /// For 16-bit lanes (unary_functor.hpp): sigmoid(x) = 1 - sigmoid(-x).
  static constexpr detail::Reflection kReflection = detail::Reflection::one_minus;
  BasicSigmoid<Tier::precise> double_evaluator() const { return {}; }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    return detail::nan_passthrough(x, detail::sigmoid<T>(x));
  }
};

using Sigmoid = BasicSigmoid<Tier::precise>;
/// Element-wise sigmoid of any Eigen dense or Tensor expression, as a lazy expression.
ACTIV_DETAIL_ELEMENTWISE_FUNCTION(sigmoid, Sigmoid)

namespace fast {
using Sigmoid = BasicSigmoid<Tier::fast>;
/// activ::sigmoid's fast tier (within 4 ULP).
ACTIV_DETAIL_ELEMENTWISE_FUNCTION(sigmoid, Sigmoid)
}  // namespace fast

namespace detail {
struct SigmoidDerivativeKernel {
  static constexpr int kCostFloat = 40, kCostDouble = 200;
  // sigmoid' is even and tends to 0 on both sides: no reflection; near 0, 1/4 - x^2/16 + O(x^4).
  static constexpr Reflection kReflection = Reflection::none;
  static DoubleWord16 series_at_zero(double x) { return {0.25, -x * x / 16}; }
  template <Tier T, class Packet>
  static EIGEN_STRONG_INLINE Packet apply(const Packet& x) {
    return sigmoid_derivative<T>(x);
  }
};
}  // namespace detail

/// sigmoid'(x) = sigmoid(x) sigmoid(-x), computed as e^-|x| / (1 + e^-|x|)^2 (no 1 - sigmoid).
/// Special values: NaN -> the same NaN, +-inf -> +0, +-0 -> 1/4
///
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once)
/// Max error:      4 ULP (fast tier: 8), float and double, on the whole real line
template <Tier T>
using BasicSigmoidDerivative = detail::BasicDerivative<detail::SigmoidDerivativeKernel, T>;

using SigmoidDerivative = BasicSigmoidDerivative<Tier::precise>;
/// The derivative of a Sigmoid of either tier (the GLU backward passes find it by this name).
template <Tier T>
constexpr BasicSigmoidDerivative<T> derivative_of(const BasicSigmoid<T>&) {
  return {};
}
/// sigmoid'(x) as a lazy expression, and sigmoid_backward(dy, x) = dy * sigmoid'(x).
ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(sigmoid, SigmoidDerivative, "activ::sigmoid")

namespace fast {
using SigmoidDerivative = BasicSigmoidDerivative<Tier::fast>;
ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(sigmoid, SigmoidDerivative, "activ::fast::sigmoid")
}  // namespace fast

}  // namespace activ

template <activ::Tier T>
struct Eigen::internal::functor_traits<activ::BasicSigmoid<T>>
    : activ::detail::unary_traits<T == activ::Tier::fast ? 25 : 20,
                                  T == activ::Tier::fast ? 35 : 60> {};
