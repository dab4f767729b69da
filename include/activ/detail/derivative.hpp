// The shape of every derivative and backward function: f'(x) as a lazy expression of a unary
// derivative functor, and dy * f'(x) (PyTorch's grad_output first) as a lazy binary expression,
// with dy's shape checked when the expression is built.
#pragma once

#include <Eigen/Core>

#include <string>

#include "activ/detail/glu/check.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {
namespace detail {

/// The derivative functor of both tiers for a kernel of the form Kernel::apply<T>(x) (the
/// derivatives of activ's functions, in their own headers): NaN in, the same NaN out. Kernel
/// also gives the functor_traits costs (kCostFloat, kCostDouble).
template <class Kernel, Tier T>
struct BasicDerivative : UnaryFunctor<BasicDerivative<Kernel, T>> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    return nan_passthrough(x, Kernel::template apply<T>(x));
  }
  /// 16-bit lanes take the precise kernel in both tiers: its float result is within 1 ULP, so
  /// that the rounding to 16 bits is correct for every input at the cost of few double
  /// re-evaluations (unary_functor.hpp).
  auto float_kernel() const {
    return [](const auto& p) {
      return within_bound(nan_passthrough(p, Kernel::template apply<Tier::precise>(p)));
    };
  }
};

/// dy * Derivative(x), the product rounded once (float, double; 16-bit lanes: the derivative
/// rounded to the 16-bit type, then the product).
template <class Derivative>
struct Backward {
  Derivative derivative{};

  template <class Scalar>
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& dy, const Scalar& x) const {
    return dy * derivative(x);
  }
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& dy, const Packet& x) const {
    return ei::pmul(dy, derivative.packetOp(x));
  }
};

/// dy.binaryExpr(x, Backward{f}) after checking that dy has x's shape; `fn` names the function
/// in the message.
template <class DY, class X, class Derivative>
EIGEN_STRONG_INLINE auto backward_expr(const char* fn, const DY& dy, const X& x,
                                       const Derivative& f) {
  static_assert(std::is_same_v<typename DY::Scalar, typename X::Scalar>,
                "activ: dy and x must have the same scalar type");
  if constexpr (check_scalar<std::remove_cv_t<typename X::Scalar>>()) {
    if (dy.rows() != x.rows() || dy.cols() != x.cols()) {
      glu_fail(std::string(fn) + ": dy is " + glu_shape(dy.rows(), dy.cols()) + " but x is " +
               glu_shape(x.rows(), x.cols()) + "; dy must have x's shape");
    }
    return dy.binaryExpr(x, Backward<Derivative>{f});
  } else {
    return x;
  }
}

/// Defines name_derivative(x) and name_backward(dy, x) of a derivative functor in the enclosing
/// namespace; `qualified` is the public name used in error messages ("activ::gelu").
#define ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(name, Functor, qualified)                         \
  ACTIV_DETAIL_ELEMENTWISE_FUNCTION(name##_derivative, Functor)                             \
  template <class DY, class X>                                                              \
  EIGEN_STRONG_INLINE auto name##_backward(const Eigen::DenseBase<DY>& dy,                  \
                                           const Eigen::DenseBase<X>& x) {                  \
    return ::activ::detail::backward_expr(qualified "_backward", dy.derived(), x.derived(), \
                                          Functor{});                                       \
  }

}  // namespace detail
}  // namespace activ

template <class Derivative>
struct Eigen::internal::functor_traits<activ::detail::Backward<Derivative>> {
  enum {
    Cost = int(functor_traits<Derivative>::Cost) + 1,
    PacketAccess = bool(functor_traits<Derivative>::PacketAccess)
  };
};

template <class Kernel, activ::Tier T>
struct Eigen::internal::functor_traits<activ::detail::BasicDerivative<Kernel, T>>
    : activ::detail::unary_traits<Kernel::kCostFloat, Kernel::kCostDouble> {};
