// The specs of the named GLU variants: what glu_variant<Spec> (variant.hpp) needs to know of a
// variant besides its input forms: its name, its default order, and how its parameters (none,
// swiglu's beta, swiglu_oai's alpha and limit) build its GLU functor. The functor types come
// from the public layer (GLU<Gate, ValueOp> and the gates), as template arguments.
#pragma once

#include <string>

#include "activ/detail/glu/check.hpp"
#include "activ/detail/glu/layout.hpp"

namespace activ {
namespace detail {

/// A variant whose functor has no parameters: geglu, geglu_tanh, reglu, glu, bilinear, and the
/// user-defined ones of make_glu.
template <class Functor, glu_order DefaultOrder = glu_order::value_first>
struct glu_fixed_spec {
  static constexpr glu_order default_order = DefaultOrder;
  const char* name;
  Functor fixed{};
  constexpr Functor functor() const { return fixed; }
};

/// swiglu: no beta, the Silu gate; an explicit beta, the Swish gate (the same values at 1).
template <class SiluFunctor, class SwishFunctor>
struct swiglu_spec {
  static constexpr glu_order default_order = glu_order::value_first;
  const char* name;
  constexpr SiluFunctor functor() const { return {}; }
  SwishFunctor functor(double beta) const {
    return SwishFunctor{decltype(SwishFunctor::gate)(beta)};
  }
};

/// swiglu_oai: alpha and limit (GPT-OSS's defaults), the limit checked.
template <class Functor>
struct swiglu_oai_spec {
  static constexpr glu_order default_order = glu_order::interleaved;
  const char* name;
  Functor functor(double alpha = 1.702, double limit = 7.0) const {
    if (!(limit >= 0)) {
      glu_fail(std::string(name) + ": limit is " + glu_number(limit) +
               "; it must be a number >= 0");
    }
    using Gate = decltype(Functor::gate);
    using Value = decltype(Functor::value_op);
    return Functor{Gate{alpha, limit}, Value{limit}};
  }
};

}  // namespace detail
}  // namespace activ
