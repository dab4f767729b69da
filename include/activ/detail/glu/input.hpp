// The extension point between the GLU variants and the kinds of input they accept.
//
// glu_input<X> is specialized once per family of Eigen objects: dense matrices and arrays
// (glu_dense.hpp) and, when <activ/tensor.hpp> is included, tensors (glu_tensor.hpp). A
// specialization provides
//   split(fn, functor, h, layout)   the fused forms: cut h's last dimension into the value and
//                                   gate sub-expressions the layout names and feed both to
//                                   functor (a GLU<...>) through the family's binaryExpr
//   pair(fn, functor, value, gate)  the two-input form
//   assign(fn, dst, xpr)            into(): check dst's shape, then evaluate xpr into it
// where fn is the public name used in error messages. That is the whole of the layout logic;
// the functor is the same for every layout and every family.
#pragma once

#include <type_traits>

namespace activ {
namespace detail {

template <class X, class Enable = void>
struct glu_input {
  static constexpr bool value = false;
};

template <class X>
inline constexpr bool is_glu_input_v = glu_input<X>::value;

}  // namespace detail
}  // namespace activ
