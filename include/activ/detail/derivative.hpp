// The shape of every derivative and backward function: f'(x) as a lazy expression of a unary
// derivative functor, and dy * f'(x) (PyTorch's grad_output first) as a lazy binary expression,
// with dy's shape checked when the expression is built.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <limits>
#include <string>

#include "activ/detail/glu/check.hpp"
#include "activ/detail/math/product16.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {
namespace detail {

/// Below this |x| (for swish', |beta x|) a derivative's double evaluation for 16-bit lanes is its
/// series at 0, f'(0) + f''(0)·x (+ the next term), as a double word: double alone rounds f'(x) to
/// f'(0) there (1/2, or 1/4 for sigmoid'), and a product with 16-bit values can make that a 16-bit
/// midpoint, where the dropped term decides the rounding. The terms after it are below 2^-40 of
/// the one kept.
inline constexpr double kSeriesBound16 = 0x1p-20;

/// hi + lo as a double word, lo kept of its sign (as a stand-in below anything that matters)
/// where it underflows: only its sign can matter then.
inline DoubleWord16 series16(double hi, double lo, bool lo_negative) {
  if (lo == 0) lo = (lo_negative ? -1 : 1) * std::numeric_limits<double>::denorm_min();
  return {hi, lo};
}

/// The derivative functor of both tiers for a kernel of the form Kernel::apply<T>(x) (the
/// derivatives of activ's functions, in their own headers): NaN in, the same NaN out. Kernel
/// also gives the functor_traits costs (kCostFloat, kCostDouble), and for the 16-bit lanes'
/// double evaluation its reflection (kReflection) and series_at_zero(x).
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
  /// ... and their double evaluation: f'(x) = 1 - f'(-x) beyond x = 1 (Kernel::kReflection; the
  /// tail is positive), the series at 0 near 0 (derivative_series16).
  static constexpr Reflection kReflection = Kernel::kReflection;
  static constexpr double kTailSign = 1.0;
  /// Both tiers' 16-bit lanes are the precise tier's (one table serves both).
  BasicDerivative<Kernel, Tier::precise> double_evaluator() const { return {}; }
  auto exact16() const {
    return [](double x) {
      if (x != 0 && std::fabs(x) < kSeriesBound16) return Kernel::series_at_zero(x);
      return exact_in_double(BasicDerivative<Kernel, Tier::precise>{}, x);
    };
  }
};

/// dy * Derivative(x), the product rounded once: float and double in the lane type; 16-bit lanes
/// form it in float from the precise derivative and round it once, correctly
/// (detail/math/product16.hpp), as a GLU rounds value·Gate(gate).
template <class Derivative>
struct Backward {
  Derivative derivative{};

  template <class Scalar>
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& dy, const Scalar& x) const {
    if constexpr (is_storage16_v<Scalar>) {
      return apply16_scalar<kMaxUlp16>(float_kernel<Scalar>(), exact16(), dy, x);
    } else {
      return dy * derivative(x);
    }
  }
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& dy, const Packet& x) const {
    if constexpr (is_storage16_v<scalar_of<Packet>>) {
      return apply16<kMaxUlp16>(float_kernel<scalar_of<Packet>>(), exact16(), dy, x);
    } else {
      return mul(dy, derivative.packetOp(x));
    }
  }

 private:
  // The float product's bound: the derivative's, and one rounding of the product.
  static constexpr int kMaxUlp16 = factor_max_ulp16<Derivative>() + 1;

  template <class S16>
  auto float_kernel() const {
    return [this](const auto& dy, const auto& x) {
      return product16<Derivative>(dy, factor16<S16>(derivative, x), ei::pzero(dy));
    };
  }
  auto exact16() const {
    return [this](double dy, double x) { return product16_exact(derivative, dy, x); };
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

/// The same for Eigen::Tensor expressions (with <activ/tensor.hpp>): dy must have x's extents, its
/// scalar type, rank and layout; a lazy tensor expression.
template <class DY, int AccessDY, class X, int AccessX, class Derivative>
EIGEN_STRONG_INLINE auto tensor_backward_expr(const char* fn,
                                              const Eigen::TensorBase<DY, AccessDY>& dy_base,
                                              const Eigen::TensorBase<X, AccessX>& x_base,
                                              const Derivative& f) {
  static_assert(tensor_support_v<X>, ACTIV_DETAIL_TENSOR_NEEDS_HEADER);
  const X& x = static_cast<const X&>(x_base);
  if constexpr (tensor_support_v<X>) {
    const DY& dy = static_cast<const DY&>(dy_base);
    static_assert(std::is_same_v<typename DY::Scalar, typename X::Scalar>,
                  "activ: dy and x must have the same scalar type");
    static_assert(int(ei::traits<DY>::NumDimensions) == int(ei::traits<X>::NumDimensions),
                  "activ: dy and x must have the same rank");
    static_assert(int(ei::traits<DY>::Layout) == int(ei::traits<X>::Layout),
                  "activ: dy and x must have the same layout (RowMajor or ColMajor)");
    if constexpr (check_scalar<std::remove_cv_t<typename X::Scalar>>()) {
      const auto dy_extents = tensor_support<DY>::extents(dy);
      const auto x_extents = tensor_support<X>::extents(x);
      bool same = true;
      for (std::size_t i = 0; i < std::size_t(x_extents.size()); ++i) {
        same = same && dy_extents[i] == x_extents[i];
      }
      if (!same) {
        glu_fail(std::string(fn) + ": dy is " + glu_shape(dy_extents) + " but x is " +
                 glu_shape(x_extents) + "; dy must have x's shape");
      }
      return dy.binaryExpr(x, Backward<Derivative>{f});
    } else {
      return x;
    }
  } else {
    return x;
  }
}

/// Defines name_derivative(x) and name_backward(dy, x) of a derivative functor in the enclosing
/// namespace, each on dense and on tensor expressions; `qualified` is the public name used in
/// error messages ("activ::gelu").
#define ACTIV_DETAIL_DERIVATIVE_FUNCTIONS(name, Functor, qualified)                         \
  ACTIV_DETAIL_ELEMENTWISE_FUNCTION(name##_derivative, Functor)                             \
  template <class DY, class X>                                                              \
  EIGEN_STRONG_INLINE auto name##_backward(const Eigen::DenseBase<DY>& dy,                  \
                                           const Eigen::DenseBase<X>& x) {                  \
    return ::activ::detail::backward_expr(qualified "_backward", dy.derived(), x.derived(), \
                                          Functor{});                                       \
  }                                                                                         \
  template <class DY, int AccessDY, class X, int AccessX>                                   \
  EIGEN_STRONG_INLINE auto name##_backward(const Eigen::TensorBase<DY, AccessDY>& dy,       \
                                           const Eigen::TensorBase<X, AccessX>& x) {        \
    return ::activ::detail::tensor_backward_expr(qualified "_backward", dy, x, Functor{});  \
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
