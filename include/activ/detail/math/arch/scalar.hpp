// The primitives of packet.hpp on plain float and double: the "packets" of builds where Eigen
// does not vectorize a type (EIGEN_DONT_VECTORIZE, 32-bit NEON's double, ...).
#pragma once

// packet.hpp declares the templates specialized here, and includes this file at its end.
#include "activ/detail/math/packet.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace activ {
namespace detail {

template <>
EIGEN_STRONG_INLINE double round_to_nearest<double>(const double& t) {
  return std::trunc(t + std::copysign(0.5, t));
}
template <>
EIGEN_STRONG_INLINE float round_to_nearest<float>(const float& t) {
  return std::trunc(t + std::copysign(0.5f, t));
}

/// The scalar pow2_from_biased: the bits of s shifted left by the significand's width.
template <class Scalar, class Bits>
EIGEN_STRONG_INLINE Scalar pow2_from_biased_bits(const Scalar& s) {
  Bits bits;
  std::memcpy(&bits, &s, sizeof bits);
  bits <<= BiasedExponent<Scalar>::kMantissaBits;
  Scalar r;
  std::memcpy(&r, &bits, sizeof bits);
  return r;
}
template <>
EIGEN_STRONG_INLINE double pow2_from_biased<double>(const double& s) {
  return pow2_from_biased_bits<double, std::uint64_t>(s);
}
template <>
EIGEN_STRONG_INLINE float pow2_from_biased<float>(const float& s) {
  return pow2_from_biased_bits<float, std::uint32_t>(s);
}

template <>
struct widening<float> {
  static constexpr Widening kind = Widening::kWhole;
  static EIGEN_STRONG_INLINE double widen(float x) { return x; }
  static EIGEN_STRONG_INLINE float narrow(double x) { return static_cast<float>(x); }
};

}  // namespace detail
}  // namespace activ
