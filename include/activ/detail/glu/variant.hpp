// glu_variant<Spec>: the one template behind every named GLU (activ::geglu, activ::swiglu, ...).
//
// A named variant is a constexpr object of this type, so `activ::geglu(h)` reads like a function
// call while all four forms and into() are written once, here:
//   f(h, params...)               h's default layout (Spec::default_order)
//   f(h, layout, params...)       layout = activ::value_first | gate_first | interleaved
//   f(value, gate, params...)     two inputs of equal shape
//   f.into(dst, <any form>)       evaluate into existing storage, checking dst's shape
//   f.functor(params...)          the GLU functor itself (scalar operator(), packetOp)
// params... are the variant's own parameters (swiglu's beta, swiglu_oai's alpha and limit),
// forwarded to Spec::functor, which builds the GLU functor. A Spec provides
//   default_order (a glu_order);  const char* name;  functor(params...) -> the GLU functor.
// The layout tags (activ::value_first_t, ...) reach this layer as their glu_order only.
// Which kind of input (dense, tensor) is handled by glu_input<X> (glu_input.hpp).
// An input of an unsupported scalar type, or a tensor without <activ/tensor.hpp>, stops at one
// static_assert that says so; the input itself is then returned, so that nothing instantiated
// after the message (the kernels, the caller's assignment) adds errors of its own.
#pragma once

#include <type_traits>
#include <utility>

#include "activ/detail/glu/input.hpp"
#include "activ/detail/glu/layout.hpp"
#include "activ/detail/scalar_types.hpp"
#include "activ/detail/tensor_support.hpp"

namespace activ {
namespace detail {

template <class Spec, class Void, class... Params>
struct glu_spec_accepts : std::false_type {};
template <class Spec, class... Params>
struct glu_spec_accepts<
    Spec,
    std::void_t<decltype(std::declval<const Spec&>().functor(std::declval<const Params&>()...))>,
    Params...> : std::true_type {};

template <class Spec, class... Params>
inline constexpr bool glu_spec_accepts_v = glu_spec_accepts<Spec, void, Params...>::value;

/// The scalar type of a GLU input, dense or tensor (a TensorMap's may be const).
template <class X>
using glu_scalar_t = std::remove_cv_t<typename X::Scalar>;

template <class Spec>
struct glu_variant {
  Spec spec;

  /// The GLU functor the variant applies, e.g. for one (value, gate) pair:
  /// activ::swiglu.functor(0.5)(v, g), or for a binaryExpr of one's own.
  template <class... Params, std::enable_if_t<glu_spec_accepts_v<Spec, Params...>, int> = 0>
  auto functor(const Params&... params) const {
    return spec.functor(params...);
  }

  /// The name error messages use, e.g. "activ::geglu".
  constexpr const char* name() const { return spec.name; }

  /// f(h, params...): h split in the variant's default layout.
  template <class H, class... Params,
            std::enable_if_t<is_glu_input_v<H> && glu_spec_accepts_v<Spec, Params...>, int> = 0>
  auto operator()(const H& h, const Params&... params) const {
    if constexpr (check_scalar<glu_scalar_t<H>>()) {
      return glu_input<H>::split(spec.name, spec.functor(params...), h,
                                 glu_order_tag<Spec::default_order>{});
    } else {
      return h;
    }
  }

  /// f(h, layout, params...)
  template <class H, class Layout, class... Params,
            std::enable_if_t<is_glu_input_v<H> && is_glu_layout_v<Layout> &&
                                 glu_spec_accepts_v<Spec, Params...>,
                             int> = 0>
  auto operator()(const H& h, Layout, const Params&... params) const {
    if constexpr (check_scalar<glu_scalar_t<H>>()) {
      return glu_input<H>::split(spec.name, spec.functor(params...), h,
                                 glu_order_tag<Layout::order>{});
    } else {
      return h;
    }
  }

  /// f(value, gate, params...)
  template <
      class V, class G, class... Params,
      std::enable_if_t<
          is_glu_input_v<V> && is_glu_input_v<G> && glu_spec_accepts_v<Spec, Params...>, int> = 0>
  auto operator()(const V& value, const G& gate, const Params&... params) const {
    if constexpr (check_scalar<glu_scalar_t<V>>()) {
      return glu_input<V>::pair(spec.name, spec.functor(params...), value, gate);
    } else {
      return value;
    }
  }

  /// Any form on an Eigen::Tensor when <activ/tensor.hpp> is not included: one message that
  /// asks for it.
  template <class T, int Access, class... Args, std::enable_if_t<!tensor_support_v<T>, int> = 0>
  const T& operator()(const Eigen::TensorBase<T, Access>& h, const Args&...) const {
    static_assert(tensor_support_v<T>, ACTIV_DETAIL_TENSOR_NEEDS_HEADER);
    return static_cast<const T&>(h);
  }

  /// f.into(dst, args...): dst = f(args...), with dst's shape checked first. dst is written in
  /// place (a Map, a Block, a Tensor, a plain object of the right size) and never resized.
  /// In-place use is supported when dst is exactly the value half of the input (each output
  /// element reads only its own value and gate); any other overlap is undefined.
  template <
      class Dst, class... Args,
      class Xpr = decltype(std::declval<const glu_variant&>()(std::declval<const Args&>()...))>
  void into(Dst&& dst, const Args&... args) const {
    const Xpr xpr = (*this)(args...);
    if constexpr (is_glu_input_v<Xpr>) {  // (not after one of the static_asserts above)
      glu_input<Xpr>::assign(spec.name, dst, xpr);
    }
  }
};

}  // namespace detail
}  // namespace activ
