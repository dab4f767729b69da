// Bit-space ULP distance (docs/design.md §4): the error unit of every accuracy promise.
//
// The bits of a float are mapped onto an integer that is monotone in the value, so the distance
// between two results is the number of representable values between them: subnormals count in
// subnormal steps, +0 and -0 are the same point, and the largest finite value is one step from
// infinity. NaN is not a point on that line and is handled explicitly.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>

namespace activ_test {

// The unsigned integer type with the width of T.
template <class T>
using UIntOf = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <class T>
UIntOf<T> bits_of(T x) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>);
  UIntOf<T> u;
  std::memcpy(&u, &x, sizeof u);
  return u;
}

template <class T>
T from_bits(UIntOf<T> u) {
  T x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

// Position of x on the ordered line of representable values: ..., -denorm_min -> -1,
// ±0 -> 0, denorm_min -> 1, ..., +inf -> the largest position. Not meaningful for NaN.
template <class T>
std::int64_t ordered(T x) {
  const UIntOf<T> u = bits_of(x);
  const UIntOf<T> sign = UIntOf<T>(1) << (8 * sizeof(T) - 1);
  const auto magnitude = static_cast<std::int64_t>(u & ~sign);
  return (u & sign) ? -magnitude : magnitude;
}

// Returned when exactly one of the two values is NaN: larger than any bound.
inline constexpr std::uint64_t kNanMismatch = std::numeric_limits<std::uint64_t>::max();

// Number of ULPs between a and b; 0 when both are NaN, kNanMismatch when one is.
template <class T>
std::uint64_t ulp_distance(T a, T b) {
  const bool a_nan = std::isnan(a), b_nan = std::isnan(b);
  if (a_nan || b_nan) return (a_nan && b_nan) ? 0 : kNanMismatch;
  // Unsigned difference: |ordered(a) - ordered(b)| < 2^64 never overflows.
  const auto oa = static_cast<std::uint64_t>(ordered(a));
  const auto ob = static_cast<std::uint64_t>(ordered(b));
  return ordered(a) >= ordered(b) ? oa - ob : ob - oa;
}

// The same value: the same bits, or NaN on both sides (IEEE leaves NaN payloads open).
template <class T>
bool same_result(T a, T b) {
  return bits_of(a) == bits_of(b) || (std::isnan(a) && std::isnan(b));
}

// The determinism promise of docs/design.md §5: the same bits, NaN payload and sign included.
template <class T>
bool bit_identical(T a, T b) {
  return bits_of(a) == bits_of(b);
}

// "0x1.8p+1 (3) [bits 0x40400000]": the value in hex and decimal, and its bits (which tell NaN
// payloads and signed zeros apart), for test messages.
template <class T>
std::string show(T x) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%a (%.*g) [bits 0x%llx]", double(x),
                std::is_same_v<T, float> ? 9 : 17, double(x),
                static_cast<unsigned long long>(bits_of(x)));
  return buf;
}

}  // namespace activ_test
