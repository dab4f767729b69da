// The three orders of value and gate in a fused GLU input, as the GLU layer sees them: the public
// layout tags (activ/layout.hpp) each name one, and everything below the public API works on
// the order alone.
#pragma once

#include <type_traits>

namespace activ {
namespace detail {

/// value_first: [value | gate]; gate_first: [gate | value]; interleaved: g0 v0 g1 v1 ...
enum class glu_order { value_first, gate_first, interleaved };

/// An order as a type, for overloads on it.
template <glu_order Order>
struct glu_order_tag {
  static constexpr glu_order order = Order;
};

/// True for a layout tag: a type with a static `order` of type glu_order.
template <class T, class = void>
struct is_glu_layout : std::false_type {};
template <class T>
struct is_glu_layout<T, std::enable_if_t<std::is_same_v<decltype(T::order), const glu_order>>>
    : std::true_type {};
template <class T>
inline constexpr bool is_glu_layout_v = is_glu_layout<T>::value;

}  // namespace detail
}  // namespace activ
