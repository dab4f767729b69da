// activ::swish — x * sigmoid(beta * x); activ::fast::swish. (Includes activ::silu, beta = 1.)
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/derivative.hpp"
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

/// swish'(x; beta) = sigmoid(beta x) (1 + beta x sigmoid(-beta x)) (kPlusSigmoid), and the
/// derivative in beta, x^2 sigmoid(beta x) sigmoid(-beta x) (kTimesSquare), for a learnable beta.
/// beta is rounded to each lane type once, as for swish.
///
/// Lane types:     float, double; Eigen::bfloat16, Eigen::half (computed in float, rounded once)
/// Max error:      4 ULP (fast tier: 8), float and double; within 2^-9 (float), 2^-7 (double)
///                 of a zero of f', absolute: 4 (8) ULP of f' there (docs/design.md §4)
/// Special values: (beta > 0) NaN -> the same NaN; swish': +inf -> 1, -inf -> -0, +-0 -> 1/2;
///                 d/dbeta: +-inf -> +0, +-0 -> +0
template <Tier T, detail::LogisticDerivative D>
struct BasicSwishDerivativeOf : detail::UnaryFunctor<BasicSwishDerivativeOf<T, D>> {
  detail::Parameter beta{1.0};

  BasicSwishDerivativeOf() = default;
  explicit BasicSwishDerivativeOf(double beta_) : beta(beta_) {}

  /// For 16-bit lanes: the double evaluation with beta as the float kernel uses it.
  BasicSwishDerivativeOf double_evaluator() const {
    return BasicSwishDerivativeOf(double(beta.as_float));
  }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    return detail::nan_passthrough(x, detail::swish_derivative<T, D>(x, beta));
  }
  /// 16-bit lanes: the precise kernel in both tiers (see detail::BasicDerivative) ...
  auto float_kernel() const {
    return [this](const auto& p) {
      return detail::within_bound(
          detail::nan_passthrough(p, detail::swish_derivative<Tier::precise, D>(p, beta)));
    };
  }
  /// ... and in double, beta as float: swish' = 1 - swish'(-x) beyond x = 1, and near 0 (b = beta
  /// x) the series 1/2 + b/2 + O(b^3), d/dbeta = x^2 (1/4 - b^2/16 + O(b^4)).
  static constexpr detail::Reflection kReflection = D == detail::LogisticDerivative::kPlusSigmoid
                                                        ? detail::Reflection::one_minus
                                                        : detail::Reflection::none;
  static constexpr double kTailSign = 1.0;
  auto exact16() const {
    return [f = double_evaluator()](double x) {
      const double b = double(f.beta.as_float) * x;
      if (x != 0 && std::fabs(b) < detail::kSeriesBound16) {
        if constexpr (D == detail::LogisticDerivative::kPlusSigmoid) {
          return detail::DoubleWord16{0.5, 0.5 * b};
        } else {
          return detail::series16(x * x / 4, -(x * x) * (b * b) / 16, true);
        }
      }
      return detail::exact_in_double(f, x);
    };
  }
};
template <Tier T>
using BasicSwishDerivative = BasicSwishDerivativeOf<T, detail::LogisticDerivative::kPlusSigmoid>;
template <Tier T>
using BasicSwishBetaDerivative =
    BasicSwishDerivativeOf<T, detail::LogisticDerivative::kTimesSquare>;

namespace detail {
/// swish_derivative, swish_backward and swish_backward_beta of one tier's functors.
#define ACTIV_DETAIL_SWISH_DERIVATIVE_FUNCTIONS(Derivative, BetaDerivative, qualified)            \
  template <class Derived>                                                                        \
  EIGEN_STRONG_INLINE auto swish_derivative(const Eigen::DenseBase<Derived>& x, double beta) {    \
    return ::activ::detail::unary_expr(x.derived(), Derivative{beta});                            \
  }                                                                                               \
  template <class T, int Access>                                                                  \
  EIGEN_STRONG_INLINE auto swish_derivative(const Eigen::TensorBase<T, Access>& x, double beta) { \
    return ::activ::detail::tensor_unary_expr(x, Derivative{beta});                               \
  }                                                                                               \
  template <class DY, class X>                                                                    \
  EIGEN_STRONG_INLINE auto swish_backward(const Eigen::DenseBase<DY>& dy,                         \
                                          const Eigen::DenseBase<X>& x, double beta) {            \
    return ::activ::detail::backward_expr(qualified "_backward", dy.derived(), x.derived(),       \
                                          Derivative{beta});                                      \
  }                                                                                               \
  template <class DY, class X>                                                                    \
  EIGEN_STRONG_INLINE auto swish_backward_beta(const Eigen::DenseBase<DY>& dy,                    \
                                               const Eigen::DenseBase<X>& x, double beta) {       \
    return ::activ::detail::backward_expr(qualified "_backward_beta", dy.derived(), x.derived(),  \
                                          BetaDerivative{beta});                                  \
  }                                                                                               \
  template <class DY, int AccessDY, class X, int AccessX>                                         \
  EIGEN_STRONG_INLINE auto swish_backward(const Eigen::TensorBase<DY, AccessDY>& dy,              \
                                          const Eigen::TensorBase<X, AccessX>& x, double beta) {  \
    return ::activ::detail::tensor_backward_expr(qualified "_backward", dy, x, Derivative{beta}); \
  }                                                                                               \
  template <class DY, int AccessDY, class X, int AccessX>                                         \
  EIGEN_STRONG_INLINE auto swish_backward_beta(const Eigen::TensorBase<DY, AccessDY>& dy,         \
                                               const Eigen::TensorBase<X, AccessX>& x,            \
                                               double beta) {                                     \
    return ::activ::detail::tensor_backward_expr(qualified "_backward_beta", dy, x,               \
                                                 BetaDerivative{beta});                           \
  }
}  // namespace detail

using SwishDerivative = BasicSwishDerivative<Tier::precise>;
/// The derivative of a Swish{beta} of either tier, with its beta (for the GLU backward passes).
template <Tier T>
BasicSwishDerivative<T> derivative_of(const BasicSwish<T>& f) {
  return BasicSwishDerivative<T>(f.beta.value);
}
using SwishBetaDerivative = BasicSwishBetaDerivative<Tier::precise>;
/// swish'(x; beta) lazily; swish_backward(dy, x, beta) = dy * swish'(x; beta);
/// swish_backward_beta(dy, x, beta) = dy * d swish / d beta (the caller reduces it).
ACTIV_DETAIL_SWISH_DERIVATIVE_FUNCTIONS(SwishDerivative, SwishBetaDerivative, "activ::swish")

namespace fast {
using SwishDerivative = BasicSwishDerivative<Tier::fast>;
using SwishBetaDerivative = BasicSwishBetaDerivative<Tier::fast>;
ACTIV_DETAIL_SWISH_DERIVATIVE_FUNCTIONS(SwishDerivative, SwishBetaDerivative, "activ::fast::swish")
}  // namespace fast

}  // namespace activ

template <activ::Tier T>
struct Eigen::internal::functor_traits<activ::BasicSwish<T>>
    : activ::detail::unary_traits<T == activ::Tier::fast ? 28 : 22,
                                  T == activ::Tier::fast ? 38 : 70> {};

template <activ::Tier T, activ::detail::LogisticDerivative D>
struct Eigen::internal::functor_traits<activ::BasicSwishDerivativeOf<T, D>>
    : activ::detail::unary_traits<45, 220> {};
