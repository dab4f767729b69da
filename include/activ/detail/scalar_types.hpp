// The scalar types activ computes in, in one place: the trait the functors and free functions
// check, and the list their error message prints. To add a type, extend both.
#pragma once

#include <Eigen/Core>

#include <type_traits>

#define ACTIV_DETAIL_SUPPORTED_SCALARS "float, double, Eigen::bfloat16 and Eigen::half"

namespace activ {
namespace detail {

template <class Scalar>
inline constexpr bool is_supported_scalar_v =
    std::is_same_v<Scalar, float> || std::is_same_v<Scalar, double> ||
    std::is_same_v<Scalar, Eigen::bfloat16> || std::is_same_v<Scalar, Eigen::half>;

/// Fails the compilation with one clear message unless Scalar is supported, and returns whether
/// it is. Callers branch on the result with `if constexpr`, so that an unsupported type stops
/// here and instantiates nothing that would add errors of its own after this one.
template <class Scalar>
constexpr bool check_scalar() {
  static_assert(is_supported_scalar_v<Scalar>,
                "activ: unsupported scalar type; activ computes in " ACTIV_DETAIL_SUPPORTED_SCALARS
                " (cast the input first, e.g. x.cast<float>())");
  return is_supported_scalar_v<Scalar>;
}

}  // namespace detail
}  // namespace activ
