// The gate and value transforms of GPT-OSS's clamped SwiGLU (activ::swiglu_oai).
//
// Reference (openai/gpt-oss, torch model.py):
//   x_glu, x_linear = x[..., ::2], x[..., 1::2]
//   x_glu = x_glu.clamp(min=None, max=limit)
//   x_linear = x_linear.clamp(min=-limit, max=limit)
//   out_glu = x_glu * torch.sigmoid(alpha * x_glu)
//   return out_glu * (x_linear + 1)
// so Gate(g) = swish(min(g, limit), alpha) and Value(v) = clamp(v, -limit, limit) + 1, and
// GLU<oai_gate, oai_value> computes Value(v) * Gate(g), the same product in the same order.
// alpha and limit are converted to the scalar type first (PyTorch multiplies by a Python float
// in the tensor's dtype), rounded to nearest in every rounding mode (parameter_to), once, when the
// functor is built. A NaN input stays NaN, as torch.clamp propagates it.
#pragma once

#include <limits>

#include "activ/detail/math/logistic.hpp"
#include "activ/detail/math/parameter.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {
namespace detail {

// UnaryFunctor supplies the scalar operator(): this packetOp on one broadcast lane. alpha and
// limit are rounded to each lane type once, here, when the functor is built. The gate's swish is
// the tier's.
template <Tier T>
struct oai_gate : UnaryFunctor<oai_gate<T>> {
  Parameter alpha{1.702};
  Parameter limit{7.0};

  oai_gate() = default;
  oai_gate(double alpha_, double limit_) : alpha(alpha_), limit(limit_) {}

  /// For 16-bit lanes (unary_functor.hpp): the precise tier's double evaluation at
  /// min(g, limit), with no limit of its own, so that it is swish(., alpha) there, whose symmetry
  /// (x + f(-x)) and quadratic term (alpha·x²/4) exact_in_double uses; the parameters as the float
  /// kernel uses them.
  static constexpr Reflection kReflection = Reflection::x_plus;
  double quadratic_coefficient() const { return alpha.value / 4; }
  auto exact16() const {
    return [alpha_ = double(alpha.as_float), limit_ = double(limit.as_float)](double g) {
      const oai_gate<Tier::precise> swish(alpha_, std::numeric_limits<double>::infinity());
      return exact_in_double(swish, g < limit_ || g != g ? g : limit_);
    };
  }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& g) const {
    const Packet clamped = min_keep_nan(g, set1<Packet>(limit.in<scalar_of<Packet>>()));
    return nan_passthrough(clamped, swish<T>(clamped, alpha));
  }

  /// Where the gradient passes the clamp: g <= limit, as PyTorch's clamp backward (the clamp
  /// point itself passes it; a NaN does not). Float and double packets.
  template <class Packet>
  EIGEN_STRONG_INLINE Packet gradient_mask(const Packet& g) const {
    return ei::pcmp_le(g, set1<Packet>(limit.in<scalar_of<Packet>>()));
  }
};

struct oai_value : UnaryFunctor<oai_value> {
  Parameter limit{7.0};

  oai_value() = default;
  explicit oai_value(double limit_) : limit(limit_) {}

  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& v) const {
    using Scalar = scalar_of<Packet>;
    const Packet bound = set1<Packet>(limit.in<Scalar>());
    const Packet clamped = min_keep_nan(max_keep_nan(v, negate(bound)), bound);
    return ei::padd(clamped, set1<Packet>(Scalar(1)));
  }

  /// Where the gradient passes the clamp: -limit <= v <= limit (both ends included, NaN not).
  template <class Packet>
  EIGEN_STRONG_INLINE Packet gradient_mask(const Packet& v) const {
    const Packet bound = set1<Packet>(limit.in<scalar_of<Packet>>());
    return ei::pand(ei::pcmp_le(negate(bound), v), ei::pcmp_le(v, bound));
  }
};

}  // namespace detail
}  // namespace activ

// The gate: a clamp (2) and swish's kernel of the tier (activ/swish.hpp's costs).
template <activ::Tier T>
struct Eigen::internal::functor_traits<activ::detail::oai_gate<T>>
    : activ::detail::unary_traits<T == activ::Tier::fast ? 28 + 2 : 22 + 2,
                                  T == activ::Tier::fast ? 38 + 2 : 70 + 2> {};

template <>
struct Eigen::internal::functor_traits<activ::detail::oai_value>
    : activ::detail::unary_traits<3, 3, false> {};
