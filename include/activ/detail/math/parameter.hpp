// The parameters of activ's functions (swish's beta, swiglu_oai's alpha and limit): given as a
// double, rounded to each lane type once, when the functor is built.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "activ/detail/math/packet.hpp"

namespace activ {
namespace detail {

/// A double parameter (swish's beta, swiglu_oai's alpha and limit) in the lane type, rounded to
/// nearest (ties to even) whatever the current rounding mode: the conversion instruction rounds
/// in the current mode, and under FE_DOWNWARD float(1.702) would be the float below, which moves
/// swish's far tail by ~100 ULP. For a double whose float is normal, the rounding is done on the
/// bits (the 29 dropped significand bits, with the carry into the exponent), after which the
/// conversion is exact; other values (subnormal, overflowing, inf, NaN) convert as usual.
template <class Scalar>
EIGEN_STRONG_INLINE Scalar parameter_to(double v) {
  if constexpr (std::is_same_v<Scalar, float>) {
    const double magnitude = std::fabs(v);
    if (magnitude >= double(std::numeric_limits<float>::min()) &&
        magnitude <= double(std::numeric_limits<float>::max())) {
      std::uint64_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      constexpr int kDropped = 52 - 23;
      bits += (std::uint64_t(1) << (kDropped - 1)) - 1 + ((bits >> kDropped) & 1);
      bits &= ~((std::uint64_t(1) << kDropped) - 1);
      std::memcpy(&v, &bits, sizeof bits);
    }
    return static_cast<float>(v);
  } else {
    return v;
  }
}

/// A parameter as given, and rounded to float once (parameter_to): the functors that hold one
/// build it at construction, so that no evaluation converts it again.
struct Parameter {
  double value;
  float as_float;

  explicit Parameter(double v) : value(v), as_float(parameter_to<float>(v)) {}

  /// The parameter in the lane type Scalar.
  template <class Scalar>
  EIGEN_STRONG_INLINE Scalar in() const {
    if constexpr (std::is_same_v<Scalar, float>) {
      return as_float;
    } else {
      return value;
    }
  }
};

}  // namespace detail
}  // namespace activ
