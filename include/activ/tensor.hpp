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
// The element-wise activations are added for tensors too: activ::gelu(t), gelu_tanh, sigmoid,
// silu, swish(t, beta), relu, each t.unaryExpr(functor). For the thread pool, define
// EIGEN_USE_THREADS before including this header (Eigen's requirement, not activ's).
// Errors are those of the dense forms, with shapes printed as [d0, d1, ...].
// Each half is a slice of the input expression, and Eigen evaluates an expensive sub-expression
// (a contraction, a convolution, .eval()) once per slice: assign such an input to a Tensor
// first, e.g. `h = x.contract(W, dims); out = activ::geglu(h);`.
#pragma once

#include <unsupported/Eigen/CXX11/Tensor>

#include "activ/detail/glu_tensor.hpp"
#include "activ/gelu.hpp"
#include "activ/gelu_tanh.hpp"
#include "activ/glu.hpp"
#include "activ/relu.hpp"
#include "activ/sigmoid.hpp"
#include "activ/swish.hpp"

namespace activ {

template <class T>
auto gelu(const Eigen::TensorBase<T, Eigen::ReadOnlyAccessors>& x) {
  return x.unaryExpr(Gelu{});
}
template <class T>
auto gelu_tanh(const Eigen::TensorBase<T, Eigen::ReadOnlyAccessors>& x) {
  return x.unaryExpr(GeluTanh{});
}
template <class T>
auto sigmoid(const Eigen::TensorBase<T, Eigen::ReadOnlyAccessors>& x) {
  return x.unaryExpr(Sigmoid{});
}
template <class T>
auto silu(const Eigen::TensorBase<T, Eigen::ReadOnlyAccessors>& x) {
  return x.unaryExpr(Silu{});
}
template <class T>
auto swish(const Eigen::TensorBase<T, Eigen::ReadOnlyAccessors>& x, double beta) {
  return x.unaryExpr(Swish{beta});
}
template <class T>
auto relu(const Eigen::TensorBase<T, Eigen::ReadOnlyAccessors>& x) {
  return x.unaryExpr(Relu{});
}

}  // namespace activ
