// Opt-in Eigen::Tensor support (pulls in <unsupported/Eigen/CXX11/Tensor>).
//
// With this header, every GLU variant of <activ/glu.hpp> also accepts rank-N tensors (Tensor,
// TensorMap, TensorFixedSize, TensorRef or a tensor expression, RowMajor or ColMajor) and splits
// their LAST dimension (index rank-1), which must be even, in any of the three layouts:
//
//   Eigen::Tensor<float, 3> h(batch, tokens, 2 * d), out(batch, tokens, d);
//   out = activ::geglu(h);                                 // [.., :d] * gelu([.., d:])
//   out.device(pool_device) = activ::swiglu_oai(h);        // on Eigen's thread pool
//   activ::geglu.into(out, h, activ::gate_first);          // out's shape checked, no resize
//   out = activ::swiglu(value, gate);                      // two tensors of equal shape
//
// The element-wise activations work on tensors too: activ::gelu(t), gelu_tanh, sigmoid, silu,
// swish(t, beta), relu, each t.unaryExpr(functor), their derivatives (activ::gelu_derivative(t))
// and backward functions (activ::gelu_backward(dy, t), dy.binaryExpr(t, ...), dy of t's extents)
// (declared with the dense ones; without this header they fail with a message that asks for it). For the thread pool, define
// EIGEN_USE_THREADS before including this header (Eigen's requirement, not activ's).
// Errors are those of the dense forms, with shapes printed as [d0, d1, ...].
// Each half is a slice of the input expression, and Eigen evaluates an expensive sub-expression
// (a contraction, a convolution, .eval()) once per slice: assign such an input to a Tensor
// first, e.g. `h = x.contract(W, dims); out = activ::geglu(h);`.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include <unsupported/Eigen/CXX11/Tensor>

#include "activ/detail/glu/tensor.hpp"
#include "activ/gelu.hpp"
#include "activ/gelu_tanh.hpp"
#include "activ/glu.hpp"
#include "activ/relu.hpp"
#include "activ/sigmoid.hpp"
#include "activ/silu.hpp"
#include "activ/swish.hpp"

namespace activ {
namespace detail {
// With this header, the tensor overloads of the element-wise functions (declared beside the
// dense ones, e.g. activ::gelu in gelu.hpp) and of the GLU variants accept every tensor.
template <class T>
struct tensor_support<T, void> : std::true_type {
  /// The extents of a tensor object or expression (for the shape checks declared without the
  /// Tensor module, e.g. the backward functions').
  static auto extents(const T& t) { return tensor_extents(t); }
};
}  // namespace detail
}  // namespace activ
