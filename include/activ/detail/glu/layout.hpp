// The three layout tags of the fused GLU input, and the trait that recognizes them.
#pragma once

#include <type_traits>

namespace activ {

/// [value | gate]: value = first half of the last dimension, gate = second half. The default;
/// PyTorch's F.glu and diffusers' GEGLU (`hidden, gate = h.chunk(2, -1)`).
struct value_first_t {
  explicit constexpr value_first_t() = default;
};
/// [gate | value]: ggml's default order, Phi-3's fused gate_up_proj.
struct gate_first_t {
  explicit constexpr gate_first_t() = default;
};
/// g0 v0 g1 v1 ...: gate at even positions, value at odd ones (GPT-OSS: x[..., ::2], x[..., 1::2]).
struct interleaved_t {
  explicit constexpr interleaved_t() = default;
};

inline constexpr value_first_t value_first{};
inline constexpr gate_first_t gate_first{};
inline constexpr interleaved_t interleaved{};

namespace detail {
template <class T>
inline constexpr bool is_glu_layout_v = std::is_same_v<T, value_first_t> ||
                                        std::is_same_v<T, gate_first_t> ||
                                        std::is_same_v<T, interleaved_t>;
}  // namespace detail

}  // namespace activ
