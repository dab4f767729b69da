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
// in the tensor's dtype), rounded to nearest in every rounding mode (parameter_to). A NaN input stays NaN, as torch.clamp propagates it.
#pragma once

#include <Eigen/Core>

#include "activ/detail/math/packet.hpp"
#include "activ/detail/unary_functor.hpp"
#include "activ/swish.hpp"

namespace activ {
namespace detail {

// UnaryFunctor supplies the scalar operator(): this packetOp on one broadcast lane.
struct oai_gate : UnaryFunctor<oai_gate> {
  double alpha = 1.702;
  double limit = 7.0;

  constexpr oai_gate() = default;
  constexpr oai_gate(double alpha_, double limit_) : alpha(alpha_), limit(limit_) {}

  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& g) const {
    using Scalar = scalar_of<Packet>;
    const Packet clamped = min_keep_nan(g, set1<Packet>(parameter_to<Scalar>(limit)));
    return Swish{alpha}.packetOp(clamped);
  }
};

struct oai_value : UnaryFunctor<oai_value> {
  double limit = 7.0;

  constexpr oai_value() = default;
  constexpr explicit oai_value(double limit_) : limit(limit_) {}

  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& v) const {
    using Scalar = scalar_of<Packet>;
    const Packet bound = set1<Packet>(parameter_to<Scalar>(limit));
    const Packet clamped = min_keep_nan(max_keep_nan(v, ei::pnegate(bound)), bound);
    return ei::padd(clamped, set1<Packet>(Scalar(1)));
  }
};

}  // namespace detail
}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::detail::oai_gate> {
  enum {
    Cost = functor_traits<activ::Swish>::Cost + 2,
    PacketAccess = functor_traits<activ::Swish>::PacketAccess
  };
};

template <>
struct Eigen::internal::functor_traits<activ::detail::oai_value> {
  enum { Cost = 3, PacketAccess = true };
};
