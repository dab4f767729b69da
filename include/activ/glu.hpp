// The GLU family (Shazeer 2020, "GLU Variants Improve Transformer"): out = value ⊗ Gate(gate),
// value and gate the two halves of the last dimension of a fused input h [.., 2d] in a layout
// (activ/layout.hpp), or two inputs of equal shape. Every variant takes the forms
//   f(h), f(h, layout), f(value, gate), f.into(out, <any form>), f.functor()
// and returns a lazy Eigen expression of width d. docs/glu.md is the guide: forms, layouts,
// PyTorch equivalents, inputs with a matrix product, in-place use, errors, accuracy, speed.
//
// Accuracy: float and double results are within 3 ULP of value·Gate(gate) computed exactly and
// rounded once, whenever Gate(gate) is 0 or a normal number of the scalar type; reglu and
// bilinear are exact products. Eigen::bfloat16 and Eigen::half results are value·Gate(gate)
// correctly rounded to the 16-bit type, the product formed in float (both tiers). Results are
// bit-identical across layouts, storage orders, strides, offsets and sizes, and between the fused
// and two-input forms.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include <Eigen/Core>

#include <cmath>
#include <limits>
#include <type_traits>

#include "activ/detail/glu/backward.hpp"
#include "activ/detail/glu/dense.hpp"
#include "activ/detail/glu/oai.hpp"
#include "activ/detail/glu/spec.hpp"
#include "activ/detail/glu/variant.hpp"
#include "activ/detail/glu/views.hpp"
#include "activ/detail/math/product16.hpp"
#include "activ/gelu.hpp"
#include "activ/gelu_tanh.hpp"
#include "activ/identity.hpp"
#include "activ/layout.hpp"
#include "activ/relu.hpp"
#include "activ/sigmoid.hpp"
#include "activ/silu.hpp"
#include "activ/swish.hpp"

namespace activ {

/// The generic GLU functor: (value, gate) -> ValueOp(value) * Gate(gate), for use with Eigen's
/// binaryExpr. Gate (and ValueOp) follow the functor concept of the element-wise activations:
/// a scalar operator(), a packetOp, and an Eigen::internal::functor_traits specialization;
/// without PacketAccess there, Eigen runs the GLU one scalar at a time. ValueOp is the identity
/// for every variant except swiglu_oai.
///
/// With 16-bit lanes (Eigen::bfloat16, Eigen::half), value and gate are widened to float, the
/// product is formed in float and rounded once to 16 bits, correctly (detail/math/storage16.hpp):
/// the gate is never rounded to 16 bits on its own.
template <class Gate, class ValueOp = Identity>
struct GLU {
  Gate gate{};
  ValueOp value_op{};

  template <class Scalar>
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& v, const Scalar& g) const {
    if constexpr (detail::is_storage16_v<Scalar>) {
      return detail::apply16_scalar<kMaxUlp16>(float_kernel<Scalar>(), exact16(), v, g);
    } else {
      return value_op(v) * gate(g);
    }
  }
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& v, const Packet& g) const {
    if constexpr (detail::is_storage16_v<detail::scalar_of<Packet>>) {
      return detail::apply16<kMaxUlp16>(float_kernel<detail::scalar_of<Packet>>(), exact16(), v, g);
    } else {
      return Eigen::internal::pmul(value_op.packetOp(v), gate.packetOp(g));
    }
  }

 private:
  // The float product's bound: the gate's, one rounding of the product, one of the value.
  static constexpr int kMaxUlp16 = detail::factor_max_ulp16<Gate>() + 2;

  // The product in float and again in double (detail/math/product16.hpp), the value transform as
  // float computes it (it is part of the function, like PyTorch's x_linear + 1).
  template <class S16>
  auto float_kernel() const {
    return [this](const auto& v, const auto& g) {
      return detail::product16<Gate>(value_op.packetOp(v), detail::factor16<S16>(gate, g),
                                     Eigen::internal::pzero(v));
    };
  }
  auto exact16() const {
    return [this](double v, double g) {
      return detail::product16_exact(gate, static_cast<double>(value_op(static_cast<float>(v))), g);
    };
  }
};

/// GeGLU: value * gelu(gate), the exact (erf) GELU.  Max error: 3 ULP (see above).
inline constexpr detail::glu_variant<detail::glu_fixed_spec<GLU<Gelu>>> geglu{{"activ::geglu"}};

/// GeGLU with the tanh approximation of GELU.  Max error: 3 ULP.
inline constexpr detail::glu_variant<detail::glu_fixed_spec<GLU<GeluTanh>>> geglu_tanh{
    {"activ::geglu_tanh"}};

/// SwiGLU: value * swish(gate, beta); swiglu(h) (beta = 1) is value * silu(gate). beta is the
/// last argument of every form: swiglu(h, beta), swiglu(h, layout, beta), swiglu(v, g, beta).
/// Max error: 3 ULP.
inline constexpr detail::glu_variant<detail::swiglu_spec<GLU<Silu>, GLU<Swish>>> swiglu{
    {"activ::swiglu"}};

/// ReGLU: value * max(gate, 0). Exact.
inline constexpr detail::glu_variant<detail::glu_fixed_spec<GLU<Relu>>> reglu{{"activ::reglu"}};

/// GLU with a sigmoid gate, torch.nn.functional.glu(h, -1): value * sigmoid(gate).
/// Max error: 3 ULP.
inline constexpr detail::glu_variant<detail::glu_fixed_spec<GLU<Sigmoid>>> glu{{"activ::glu"}};

/// Bilinear GLU: value * gate. Exact (one rounding).
inline constexpr detail::glu_variant<detail::glu_fixed_spec<GLU<Identity>>> bilinear{
    {"activ::bilinear"}};

/// GPT-OSS's clamped SwiGLU, interleaved by default (gate at even columns, value at odd ones):
///   gate  = min(gate, limit)                      (clamped from above only)
///   value = clamp(value, -limit, limit)
///   out   = gate * sigmoid(alpha * gate) * (value + 1)
/// evaluated as (gate * sigmoid(alpha * gate)) * (value + 1), with alpha and limit rounded to
/// the scalar type. Defaults alpha = 1.702, limit = 7 (GPT-OSS's values); a negative or NaN
/// limit throws std::invalid_argument. Forms: swiglu_oai(h, alpha, limit),
/// swiglu_oai(h, layout, alpha, limit), swiglu_oai(value, gate, alpha, limit), with alpha and
/// limit optional. Note the "+ 1" on the value and the one-sided gate clamp: other frameworks'
/// "clamped SwiGLU"s differ on both. Max error: 3 ULP, as for swiglu.
inline constexpr detail::glu_variant<
    detail::swiglu_oai_spec<GLU<detail::oai_gate<Tier::precise>, detail::oai_value>>>
    swiglu_oai{{"activ::swiglu_oai"}};

namespace detail {
/// swiglu_oai's gate derivative: swish'(g; alpha) (the clamp's mask is the gate's gradient_mask).
template <Tier T>
BasicSwishDerivative<T> derivative_of(const oai_gate<T>& f) {
  return BasicSwishDerivative<T>(f.alpha.value);
}
}  // namespace detail

/// The backward passes of the GLU variants: for out = V(v)·Gate(g),
///   dvalue = dy·Gate(g)·V'(v),  dgate = (dy·V(v))·Gate'(g),
/// V the identity except for swiglu_oai. Forms (parameters last, as in the forward pass):
///   auto dh = activ::geglu_backward(dy, h[, layout]);      // h's shape, evaluated
///   activ::geglu_backward.into(dh, dy, h[, layout]);       // into existing storage
///   auto [dvalue, dgate] = activ::geglu_backward(dy, value, gate);  // lazy
/// dy has the forward output's shape; dh must have h's and share no memory with dy or h.
/// swiglu_oai_backward follows PyTorch's autograd through GPT-OSS's clamps: the gradient is +0
/// where a clamp is active (g > limit for the gate, |v| > limit for the value, NaN inputs) and
/// passes at the clamp points themselves.
/// Max error: dvalue as the forward GLU (3 ULP of dy·Gate(g); it is the forward product with dy
/// in the value's place); dgate 6 ULP of (dy·V(v))·Gate'(g), absolute near a zero of Gate' as
/// for the derivatives (docs/design.md §4); 16-bit lanes: computed in float, each result rounded
/// once.
inline constexpr detail::glu_backward_variant<detail::glu_fixed_spec<GLU<Gelu>>> geglu_backward{
    {"activ::geglu_backward"}};
inline constexpr detail::glu_backward_variant<detail::glu_fixed_spec<GLU<GeluTanh>>>
    geglu_tanh_backward{{"activ::geglu_tanh_backward"}};
inline constexpr detail::glu_backward_variant<detail::swiglu_spec<GLU<Silu>, GLU<Swish>>>
    swiglu_backward{{"activ::swiglu_backward"}};
inline constexpr detail::glu_backward_variant<detail::glu_fixed_spec<GLU<Relu>>> reglu_backward{
    {"activ::reglu_backward"}};
inline constexpr detail::glu_backward_variant<detail::glu_fixed_spec<GLU<Sigmoid>>> glu_backward{
    {"activ::glu_backward"}};
inline constexpr detail::glu_backward_variant<detail::glu_fixed_spec<GLU<Identity>>>
    bilinear_backward{{"activ::bilinear_backward"}};
inline constexpr detail::glu_backward_variant<
    detail::swiglu_oai_spec<GLU<detail::oai_gate<Tier::precise>, detail::oai_value>>>
    swiglu_oai_backward{{"activ::swiglu_oai_backward"}};

/// The fast tier of the GLU family (within 5 ULP of the exact product where the precise variants
/// are within 3; docs/design.md §4): the same forms, layouts and errors, with the fast gates.
/// reglu and bilinear are exact in both tiers: the same objects.
namespace fast {
inline constexpr detail::glu_variant<detail::glu_fixed_spec<GLU<fast::Gelu>>> geglu{
    {"activ::fast::geglu"}};
inline constexpr detail::glu_variant<detail::glu_fixed_spec<GLU<fast::GeluTanh>>> geglu_tanh{
    {"activ::fast::geglu_tanh"}};
inline constexpr detail::glu_variant<detail::swiglu_spec<GLU<fast::Silu>, GLU<fast::Swish>>> swiglu{
    {"activ::fast::swiglu"}};
inline constexpr detail::glu_variant<detail::glu_fixed_spec<GLU<fast::Sigmoid>>> glu{
    {"activ::fast::glu"}};
inline constexpr detail::glu_variant<
    detail::swiglu_oai_spec<GLU<detail::oai_gate<Tier::fast>, detail::oai_value>>>
    swiglu_oai{{"activ::fast::swiglu_oai"}};
inline constexpr detail::glu_backward_variant<detail::glu_fixed_spec<GLU<fast::Gelu>>>
    geglu_backward{{"activ::fast::geglu_backward"}};
inline constexpr detail::glu_backward_variant<detail::glu_fixed_spec<GLU<fast::GeluTanh>>>
    geglu_tanh_backward{{"activ::fast::geglu_tanh_backward"}};
inline constexpr detail::glu_backward_variant<
    detail::swiglu_spec<GLU<fast::Silu>, GLU<fast::Swish>>>
    swiglu_backward{{"activ::fast::swiglu_backward"}};
inline constexpr detail::glu_backward_variant<detail::glu_fixed_spec<GLU<fast::Sigmoid>>>
    glu_backward{{"activ::fast::glu_backward"}};
inline constexpr detail::glu_backward_variant<
    detail::swiglu_oai_spec<GLU<detail::oai_gate<Tier::fast>, detail::oai_value>>>
    swiglu_oai_backward{{"activ::fast::swiglu_oai_backward"}};
using activ::bilinear;
using activ::bilinear_backward;
using activ::reglu;
using activ::reglu_backward;
using activ::Relu;
using activ::relu;
}  // namespace fast

/// A GLU variant for a user-defined gate functor (see docs/glu.md, "Adding a gate"):
///   inline constexpr auto mishglu = activ::make_glu(Mish{}, "mylib::mishglu");
///   mishglu(h); mishglu(h, activ::interleaved); mishglu(value, gate); mishglu.into(out, h);
/// `name` is what error messages call the function.
template <class Gate>
constexpr detail::glu_variant<detail::glu_fixed_spec<GLU<Gate>>> make_glu(Gate gate,
                                                                          const char* name) {
  return {{name, GLU<Gate>{gate}}};
}

/// The backward pass of a make_glu variant: the gate needs a derivative, derivative_of(gate)
/// found by argument-dependent lookup (a function in the gate's namespace returning a functor):
///   inline constexpr auto mishglu_backward = activ::make_glu_backward(Mish{}, "mylib::...");
template <class Gate>
constexpr detail::glu_backward_variant<detail::glu_fixed_spec<GLU<Gate>>> make_glu_backward(
    Gate gate, const char* name) {
  return {{name, GLU<Gate>{gate}}};
}

/// Writable view of the value half of h in the given layout (default value_first): the
/// destination for in-place evaluation, e.g.
///   activ::value_half(h, activ::interleaved) = activ::geglu(h, activ::interleaved);
/// A Block for value_first / gate_first; for interleaved a strided Map, which needs storage.
template <class D, class Layout = value_first_t,
          std::enable_if_t<std::is_base_of_v<Eigen::DenseBase<std::decay_t<D>>, std::decay_t<D>>,
                           int> = 0>
auto value_half(D&& h, Layout layout = Layout{}) {
  return detail::glu_half_view("activ::value_half", h, layout, detail::glu_half::value);
}

/// Writable view of the gate half of h, as value_half.
template <class D, class Layout = value_first_t,
          std::enable_if_t<std::is_base_of_v<Eigen::DenseBase<std::decay_t<D>>, std::decay_t<D>>,
                           int> = 0>
auto gate_half(D&& h, Layout layout = Layout{}) {
  return detail::glu_half_view("activ::gate_half", h, layout, detail::glu_half::gate);
}

}  // namespace activ

template <class Gate, class ValueOp>
struct Eigen::internal::functor_traits<activ::GLU<Gate, ValueOp>> {
  enum {
    // (int: arithmetic between two different enumeration types is deprecated in C++20.)
    Cost = int(functor_traits<Gate>::Cost) + int(functor_traits<ValueOp>::Cost) + 1,
    PacketAccess =
        bool(functor_traits<Gate>::PacketAccess) && bool(functor_traits<ValueOp>::PacketAccess)
  };
};
