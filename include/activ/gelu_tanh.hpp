// activ::gelu_tanh — the tanh approximation of GELU used by GPT-2, BERT and others;
// activ::fast::gelu_tanh, its fast tier.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/derivative.hpp"
#include "activ/detail/math/gelu_tanh.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// GELU, tanh form (PyTorch's F.gelu(x, approximate="tanh")):
/// gelu_tanh(x) = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))), computed as the
/// identical x * sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)), which neither cancels for x << 0 nor
/// overflows in x^3. 0.044715 is the double nearest to it, as frameworks evaluate the literal.
///
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once,
///                 correctly: all 65 536 inputs of each checked, both tiers)
/// Max error:      Tier::precise: float 1 ULP (all 2^32 inputs checked), double 2 ULP;
///                 Tier::fast: float the precise tier's kernel (it is the faster one for
///                 float lanes), double 4 ULP;
///                 on the whole real line, subnormal results in subnormal ULPs
/// Special values: NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0, subnormal x -> ~x/2
/// Cost:           precise float 40, double 155; fast float 40, double 55 (Eigen's units)
template <Tier T>
struct BasicGeluTanh : detail::UnaryFunctor<BasicGeluTanh<T>> {
  /// For 16-bit lanes (unary_functor.hpp): f(x) = x + f(-x) (tanh is odd), and
  /// f(x) = x/2 + x²·sqrt(2/pi)/2 + O(x⁴).
  static constexpr detail::Reflection kReflection = detail::Reflection::x_plus;
  BasicGeluTanh<Tier::precise> double_evaluator() const { return {}; }
  static constexpr double quadratic_coefficient() { return 0.39894228040143268; }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    return detail::nan_passthrough(x, detail::gelu_tanh<T>(x));
  }
};

using GeluTanh = BasicGeluTanh<Tier::precise>;
/// Element-wise tanh-form GELU of any Eigen dense or Tensor expression, as a lazy expression.
ACTIV_DETAIL_ELEMENTWISE_FUNCTION(gelu_tanh, GeluTanh)

namespace fast {
using GeluTanh = BasicGeluTanh<Tier::fast>;
/// activ::gelu_tanh's fast tier (within 4 ULP).
ACTIV_DETAIL_ELEMENTWISE_FUNCTION(gelu_tanh, GeluTanh)
}  // namespace fast

namespace detail {
struct GeluTanhDerivativeKernel {
  static constexpr int kCostFloat = 50, kCostDouble = 250;
  // gelu_tanh'(x) = 1 - gelu_tanh'(-x); near 0, 1/2 + sqrt(2/pi)·x + O(x^3), as gelu'.
  static constexpr Reflection kReflection = Reflection::one_minus;
  static DoubleWord16 series_at_zero(double x) { return {0.5, 0.79788456080286536 * x}; }
  template <Tier T, class Packet>
  static EIGEN_STRONG_INLINE Packet apply(const Packet& x) {
    return gelu_tanh_derivative(x);
  }
};
}  // namespace detail

/// gelu_tanh'(x) = sigmoid(z) (1 + x z' sigmoid(-z)), z = 2 sqrt(2/pi) (x + 0.044715 x^3).
/// Special values: NaN -> the same NaN, +inf -> 1, -inf -> -0, +-0 -> 1/2
///
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once)
/// Max error:      4 ULP (fast tier: 8), float and double; within 2^-9 (float), 2^-7 (double)
///                 of a zero of f', absolute: 4 (8) ULP of f' there (docs/design.md §4)
template <Tier T>
using BasicGeluTanhDerivative = detail::BasicDerivative<detail::GeluTanhDerivativeKernel, T>;

using GeluTanhDerivative = BasicGeluTanhDerivative<Tier::precise>;
/// The derivative of a GeluTanh of either tier (the GLU backward passes find it by this name).
template <Tier T>
constexpr BasicGeluTanhDerivative<T> derivative_of(const BasicGeluTanh<T>&) {
  return {};
}
/// gelu_tanh'(x) as a lazy expression, and gelu_tanh_backward(dy, x) = dy * gelu_tanh'(x).
ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(gelu_tanh, GeluTanhDerivative, "activ::gelu_tanh")

namespace fast {
using GeluTanhDerivative = BasicGeluTanhDerivative<Tier::fast>;
ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(gelu_tanh, GeluTanhDerivative, "activ::fast::gelu_tanh")
}  // namespace fast

}  // namespace activ

template <activ::Tier T>
struct Eigen::internal::functor_traits<activ::BasicGeluTanh<T>>
    : activ::detail::unary_traits<40, T == activ::Tier::fast ? 55 : 155> {};
