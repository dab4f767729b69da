// Argument checks of the GLU family: odd last dimension, mismatched two-input shapes, a
// destination of the wrong shape. They run when an expression is built (or before `into`
// writes), never inside the evaluation loop.
//
// A failed check throws std::invalid_argument whose message names the function and the shapes.
// Built without exceptions, it prints the same message to stderr and aborts. That path is kept
// under NDEBUG too: the alternative is an out-of-bounds read, not a cheaper correct program.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace activ {
namespace detail {

[[noreturn]] inline void glu_fail(const std::string& message) {
#if defined(__cpp_exceptions)
  throw std::invalid_argument(message);
#else
  std::fputs(message.c_str(), stderr);
  std::fputc('\n', stderr);
  std::abort();
#endif
}

/// A parameter value as a message shows it: "-1", "0.5", "nan".
inline std::string glu_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

/// "3x7" for a matrix, "[2, 3, 7]" for a tensor (any container of extents with size()/[]).
inline std::string glu_shape(long long rows, long long cols) {
  return std::to_string(rows) + "x" + std::to_string(cols);
}

template <class Extents>
std::string glu_shape(const Extents& extents) {
  std::string s = "[";
  for (std::size_t i = 0; i < static_cast<std::size_t>(extents.size()); ++i) {
    if (i) s += ", ";
    s += std::to_string(static_cast<long long>(extents[i]));
  }
  return s + "]";
}

/// The fused forms: the last dimension holds value and gate, so it must be even.
/// `unit` names what the last dimension counts ("columns", "elements").
[[noreturn]] inline void glu_fail_odd(const char* fn, long long last, const std::string& shape,
                                      const char* unit) {
  glu_fail(std::string(fn) + ": input has " + std::to_string(last) + " " + unit + " (shape " +
           shape + "); the last dimension must be even (2*d)");
}

/// The two-input form: value and gate pair up element by element.
[[noreturn]] inline void glu_fail_mismatch(const char* fn, const std::string& value_shape,
                                           const std::string& gate_shape) {
  glu_fail(std::string(fn) + ": value is " + value_shape + " but gate is " + gate_shape +
           "; the two inputs must have the same shape");
}

/// `into`: the destination is written in place, never resized.
[[noreturn]] inline void glu_fail_destination(const char* fn, const std::string& destination_shape,
                                              const std::string& result_shape) {
  glu_fail(std::string(fn) + ": destination is " + destination_shape + " but the result is " +
           result_shape + "; into() writes in place and never resizes");
}

}  // namespace detail
}  // namespace activ
