// activ::value_first, gate_first, interleaved — the layouts of a fused GLU input [.., 2d].
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/glu/layout.hpp"

namespace activ {

/// [value | gate]: value = first half of the last dimension, gate = second half. The default;
/// PyTorch's F.glu and diffusers' GEGLU (`hidden, gate = h.chunk(2, -1)`).
struct value_first_t {
  explicit constexpr value_first_t() = default;
  static constexpr detail::glu_order order = detail::glu_order::value_first;
};
/// [gate | value]: ggml's default order, Phi-3's fused gate_up_proj.
struct gate_first_t {
  explicit constexpr gate_first_t() = default;
  static constexpr detail::glu_order order = detail::glu_order::gate_first;
};
/// g0 v0 g1 v1 ...: gate at even positions, value at odd ones (GPT-OSS: x[..., ::2], x[..., 1::2]).
struct interleaved_t {
  explicit constexpr interleaved_t() = default;
  static constexpr detail::glu_order order = detail::glu_order::interleaved;
};

inline constexpr value_first_t value_first{};
inline constexpr gate_first_t gate_first{};
inline constexpr interleaved_t interleaved{};

}  // namespace activ
