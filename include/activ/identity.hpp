// activ::Identity — the gate of the bilinear GLU.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/unary_functor.hpp"

namespace activ {

/// Identity: identity(x) = x.
///
/// Lane types:     float, double, Eigen::bfloat16, Eigen::half
/// Max error:      0 ULP (exact)
/// Special values: every value, NaN and infinities included, passes through
/// Cost:           float 0, double 0
struct Identity : detail::UnaryFunctor<Identity> {
  static constexpr bool kExact = true;  // exact results (detail/math/product16.hpp)
  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    return x;
  }
};

/// identity'(x) = 1 for every x, NaN and infinities included (the bilinear GLU's gate gradient is
/// dy * value whatever the gate).
///
/// Lane types:     float, double, Eigen::bfloat16, Eigen::half
/// Max error:      0 ULP (exact)
struct IdentityDerivative : detail::UnaryFunctor<IdentityDerivative> {
  static constexpr bool kExact = true;  // exact results (detail/math/product16.hpp)
  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet&) const {
    return detail::set1<Packet>(detail::scalar_of<Packet>(1));
  }
};
/// The derivative of Identity (for the GLU backward passes).
constexpr IdentityDerivative derivative_of(const Identity&) { return {}; }

}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::Identity> : activ::detail::unary_traits<0, 0, 0> {};
template <>
struct Eigen::internal::functor_traits<activ::IdentityDerivative>
    : activ::detail::unary_traits<0, 0, 0> {};
