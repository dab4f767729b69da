// activ::gelu — the exact GELU, x * Phi(x), Phi the standard normal CDF.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/math/gelu.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// GELU (Hendrycks & Gimpel), exact erf form: gelu(x) = x * Phi(x) = 0.5 * x * erfc(-x / sqrt 2).
///
/// Lane types: float, double (Eigen packets of either).
/// Max error: 1 ULP for float (all 2^32 inputs checked), 2 ULP for double, on the whole real
/// line, subnormal results in subnormal ULPs. The negative tail is computed without cancellation: gelu(-10) = -7.6e-23 to full
/// precision, and results stay normal down to x ~ -13 (float) / -37.5 (double).
/// Special values: gelu(NaN) = the same NaN, gelu(+inf) = +inf, gelu(-inf) = -0, gelu(+-0) = +-0,
/// gelu(subnormal x) ~ x/2 with the sign kept.
struct Gelu : detail::UnaryFunctor<Gelu> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    return detail::nan_passthrough(x, detail::gelu(x));
  }
};

/// Element-wise GELU of any Eigen dense expression (Array or Matrix, Map, Block, either storage
/// order), as a lazy expression: `activ::gelu(x.array() + b)` evaluates in one pass.
template <class Derived>
EIGEN_STRONG_INLINE auto gelu(const Eigen::DenseBase<Derived>& x) {
  return detail::unary_expr(x.derived(), Gelu{});
}

/// The same on an Eigen::Tensor or tensor expression, as a lazy tensor expression
/// (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto gelu(const Eigen::TensorBase<T, Access>& x) {
  return detail::tensor_unary_expr(x, Gelu{});
}

}  // namespace activ

namespace Eigen {
namespace internal {
template <>
struct functor_traits<activ::Gelu> {
  enum { Cost = activ::detail::kCost<30>, PacketAccess = activ::detail::kPacketAccess };
};
}  // namespace internal
}  // namespace Eigen
