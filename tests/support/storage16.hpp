// Helpers for the 16-bit lane types (Eigen::bfloat16, Eigen::half): their bits, their names, a
// printable form, and every bit pattern of a type in order.
#pragma once

#include <Eigen/Core>

#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>

namespace activ_test {

template <class T>
std::uint16_t bits16(T x) {
  return Eigen::numext::bit_cast<std::uint16_t>(x);
}

template <class T>
T from_bits16(std::uint32_t b) {
  return Eigen::numext::bit_cast<T>(static_cast<std::uint16_t>(b));
}

template <class T>
const char* type_name16() {
  return std::is_same_v<T, Eigen::bfloat16> ? "bfloat16" : "half";
}

// "value (0xbits)", the value printed through float.
template <class T>
std::string show16(T x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g (0x%04x)", double(static_cast<float>(x)), bits16(x));
  return buf;
}

// Every bit pattern of T, in order.
template <class T>
Eigen::Array<T, Eigen::Dynamic, 1> all_values16() {
  Eigen::Array<T, Eigen::Dynamic, 1> x(65536);
  for (std::uint32_t b = 0; b < 65536; ++b) x[b] = from_bits16<T>(b);
  return x;
}

}  // namespace activ_test
