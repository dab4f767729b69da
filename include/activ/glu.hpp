// The GLU family (Shazeer 2020, "GLU Variants Improve Transformer"): out = value ⊗ Gate(gate).
//
// A fused projection of width 2d holds value and gate in its last dimension (the columns of an
// Eigen matrix or array, whatever its storage order; the last index of a tensor with
// <activ/tensor.hpp>). Every variant below takes four forms and returns a lazy Eigen expression
// of width d (nothing is computed until it is assigned; see below for inputs with a product):
//
//   activ::geglu(h)                      value = h.leftCols(d), gate = h.rightCols(d)
//   activ::geglu(h, activ::gate_first)   gate = h.leftCols(d), value = h.rightCols(d)
//   activ::geglu(h, activ::interleaved)  gate = columns 0, 2, 4, ..., value = columns 1, 3, 5, ...
//   activ::geglu(value, gate)            two inputs of equal shape (the unfused xV and xW)
//   activ::geglu.into(out, <any form>)   evaluates into existing storage (see below)
//   activ::geglu.functor()               the GLU functor: activ::GLU<activ::Gelu>
//
// A 1-D input (an Array or Vector of length 2d, or a segment of one) is split along its length
// into a result of length d, as PyTorch splits a 1-D tensor; a row vector along its columns,
// which is the same thing.
// h may be any dense Eigen object or expression (Matrix, Array, Map with or without strides,
// Block, Ref, `x * W + bias` ...). Layouts and variants share one implementation: the layout
// picks two sub-expressions, GLU<Gate> combines them, Eigen's packet path runs the gate's
// packetOp. PyTorch equivalents:
//   activ::glu(h)         == torch.nn.functional.glu(h, -1)   (first half * sigmoid(second half))
//   activ::geglu(h)       == `a, g = h.chunk(2, -1); a * F.gelu(g)`            (diffusers GEGLU)
//   activ::geglu_tanh(h)  == the same with F.gelu(g, approximate="tanh")
//   activ::swiglu(h, gate_first) == Phi-3's `gate, up = h.chunk(2, -1); up * F.silu(gate)`
// LLaMA-style unfused projections: activ::swiglu(x * W_up, x * W_gate). A fused input that
// contains a matrix product, activ::geglu(x * W) or activ::geglu((x * W).rowwise() + b), is
// evaluated once when the expression is built, into a buffer the expression owns (left lazy,
// Eigen would compute the product once per half); every other input stays lazy.
// Like any Eigen expression, the result refers to its inputs: do not keep it (`auto e = ...`)
// beyond the lifetime of a temporary matrix it was built from.
//
// Writing into existing storage:
//   out = activ::geglu(h);               Eigen's rules: a plain `out` is resized, a Map/Block
//                                        must already have the right size (eigen_assert)
//   activ::geglu.into(out, h, ...);      checks out's shape (std::invalid_argument), never resizes
//   h.leftCols(d) = activ::geglu(h);     in place into the value half: safe, since output (i, j)
//                                        reads only value (i, j) and its gate. For other layouts
//                                        use activ::value_half(h, layout) as the destination.
//
// Errors: an odd number of columns (or an odd length), two inputs of different shapes, or a
// destination of the wrong shape throw std::invalid_argument naming the function and the shapes,
// when the expression is built (abort with the message when exceptions are disabled). A
// fixed-size odd width is a compile-time error.
//
// Accuracy: float and double results are within 3 ULP of value·Gate(gate) computed exactly and
// rounded once, whenever Gate(gate) is 0 or a normal number of the scalar type (the product adds
// one rounding to the gate's own error). Where Gate(gate) underflows (nonzero, below the smallest
// normal number) the gate carries an absolute error of up to 2 subnormal ULPs, which the product
// scales by |value|: the same holds for value * gate(x) in any framework. reglu and bilinear are
// exact products. IEEE products apply: 0 · Gate(+inf) is NaN for the gates that tend to infinity
// (geglu, geglu_tanh, swiglu, reglu, bilinear), as in PyTorch.
// Results are bit-identical across layouts, storage orders, strides, offsets and sizes, and
// between the fused and two-input forms.
//
// Speed: one pass over memory, vectorized through the gate's packetOp in every layout. The
// interleaved layout is fastest on row-major storage (PyTorch's memory order): a column-major
// interleaved input is vectorized down each column, so with few rows (a single token) most of
// it runs the scalar path; store such weights' outputs row-major, or permute the weights to
// value_first once.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include <Eigen/Core>

#include <string>
#include <type_traits>

#include "activ/detail/glu/check.hpp"
#include "activ/detail/glu/dense.hpp"
#include "activ/detail/glu/layout.hpp"
#include "activ/detail/glu/oai.hpp"
#include "activ/detail/glu/variant.hpp"
#include "activ/detail/glu/views.hpp"
#include "activ/gelu.hpp"
#include "activ/gelu_tanh.hpp"
#include "activ/identity.hpp"
#include "activ/relu.hpp"
#include "activ/sigmoid.hpp"
#include "activ/swish.hpp"

namespace activ {

/// The generic GLU functor: (value, gate) -> ValueOp(value) * Gate(gate), for use with Eigen's
/// binaryExpr. Gate (and ValueOp) follow the functor concept of the element-wise activations:
/// a scalar operator(), a packetOp, and an Eigen::internal::functor_traits specialization;
/// without PacketAccess there, Eigen runs the GLU one scalar at a time. ValueOp is the identity
/// for every variant except swiglu_oai.
template <class Gate, class ValueOp = Identity>
struct GLU {
  Gate gate{};
  ValueOp value_op{};

  template <class Scalar>
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& v, const Scalar& g) const {
    return value_op(v) * gate(g);
  }
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& v, const Packet& g) const {
    return Eigen::internal::pmul(value_op.packetOp(v), gate.packetOp(g));
  }
};

namespace detail {

/// A variant whose functor has no parameters: geglu, geglu_tanh, reglu, glu, bilinear, and
/// the user-defined ones of make_glu.
template <class Gate, class Layout = value_first_t>
struct glu_fixed_spec {
  using default_layout = Layout;
  const char* name;
  Gate gate{};
  constexpr GLU<Gate> functor() const { return GLU<Gate>{gate}; }
};

struct swiglu_spec {
  using default_layout = value_first_t;
  const char* name;
  // No beta: the Silu gate. An explicit beta: Swish{beta}, the same values at beta = 1.
  constexpr GLU<Silu> functor() const { return {}; }
  GLU<Swish> functor(double beta) const { return GLU<Swish>{Swish{beta}}; }
};

struct swiglu_oai_spec {
  using default_layout = interleaved_t;
  const char* name;
  GLU<oai_gate, oai_value> functor(double alpha = 1.702, double limit = 7.0) const {
    if (!(limit >= 0)) {
      glu_fail(std::string(name) + ": limit is " + glu_number(limit) +
               "; it must be a number >= 0");
    }
    return GLU<oai_gate, oai_value>{oai_gate{alpha, limit}, oai_value{limit}};
  }
};

}  // namespace detail

/// GeGLU: value * gelu(gate), the exact (erf) GELU.  Max error: 3 ULP (see above).
inline constexpr detail::glu_variant<detail::glu_fixed_spec<Gelu>> geglu{{"activ::geglu"}};

/// GeGLU with the tanh approximation of GELU.  Max error: 3 ULP.
inline constexpr detail::glu_variant<detail::glu_fixed_spec<GeluTanh>> geglu_tanh{
    {"activ::geglu_tanh"}};

/// SwiGLU: value * swish(gate, beta); swiglu(h) (beta = 1) is value * silu(gate). beta is the
/// last argument of every form: swiglu(h, beta), swiglu(h, layout, beta), swiglu(v, g, beta).
/// Max error: 3 ULP.
inline constexpr detail::glu_variant<detail::swiglu_spec> swiglu{{"activ::swiglu"}};

/// ReGLU: value * max(gate, 0). Exact.
inline constexpr detail::glu_variant<detail::glu_fixed_spec<Relu>> reglu{{"activ::reglu"}};

/// GLU with a sigmoid gate, torch.nn.functional.glu(h, -1): value * sigmoid(gate).
/// Max error: 3 ULP.
inline constexpr detail::glu_variant<detail::glu_fixed_spec<Sigmoid>> glu{{"activ::glu"}};

/// Bilinear GLU: value * gate. Exact (one rounding).
inline constexpr detail::glu_variant<detail::glu_fixed_spec<Identity>> bilinear{
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
inline constexpr detail::glu_variant<detail::swiglu_oai_spec> swiglu_oai{{"activ::swiglu_oai"}};

/// A GLU variant for a user-defined gate functor (see docs/glu.md, "Adding a gate"):
///   inline constexpr auto mishglu = activ::make_glu(Mish{}, "mylib::mishglu");
///   mishglu(h); mishglu(h, activ::interleaved); mishglu(value, gate); mishglu.into(out, h);
/// `name` is what error messages call the function.
template <class Gate>
constexpr detail::glu_variant<detail::glu_fixed_spec<Gate>> make_glu(Gate gate, const char* name) {
  return {{name, gate}};
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
