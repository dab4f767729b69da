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
  template <class Packet>
  EIGEN_STRONG_INLINE Packet kernel(const Packet& x) const {
    return x;
  }
};

}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::Identity> : activ::detail::unary_traits<0, 0, 0> {};
