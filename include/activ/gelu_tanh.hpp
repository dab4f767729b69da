// activ::gelu_tanh — the tanh approximation of GELU used by GPT-2, BERT and others.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/math/gelu_tanh.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// GELU, tanh form (PyTorch's F.gelu(x, approximate="tanh")):
/// gelu_tanh(x) = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))), computed as the
/// identical x * sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3)), which neither cancels for x << 0 nor
/// overflows in x^3. 0.044715 is the double nearest to it, as frameworks evaluate the literal.
///
/// Lane types:     float, double
/// Max error:      float 1 ULP (all 2^32 inputs checked), double 2 ULP; on the whole real line,
///                 subnormal results in subnormal ULPs
/// Special values: NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0, subnormal x -> ~x/2
/// Cost:           float 40, double 155 (Eigen's units)
struct GeluTanh : detail::UnaryFunctor<GeluTanh> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    return detail::nan_passthrough(x, detail::gelu_tanh(x));
  }
};

/// Element-wise tanh-form GELU of any Eigen dense expression, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto gelu_tanh(const Eigen::DenseBase<Derived>& x) {
  return detail::unary_expr(x.derived(), GeluTanh{});
}

/// The same on an Eigen::Tensor expression (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto gelu_tanh(const Eigen::TensorBase<T, Access>& x) {
  return detail::tensor_unary_expr(x, GeluTanh{});
}

}  // namespace activ

template <>
struct Eigen::internal::functor_traits<activ::GeluTanh> : activ::detail::unary_traits<40, 155> {};
