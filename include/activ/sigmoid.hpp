// activ::sigmoid — the logistic function.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/math/logistic.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// Logistic sigmoid: sigmoid(x) = 1 / (1 + e^-x). The left tail keeps full relative accuracy
/// (sigmoid(-100) = 3.7e-44, a float subnormal): float lanes compute in double and round once,
/// double lanes use e^x / (1 + e^x) for x < 0.
///
/// Lane types: float, double.
/// Max error: 1 ULP for float (all 2^32 inputs checked), 2 ULP for double, on the whole real
/// line (subnormal results in subnormal ULPs).
/// Special values: NaN -> the same NaN, +inf -> 1, -inf -> +0, +-0 -> 1/2, subnormal x -> 1/2.
struct Sigmoid : detail::UnaryFunctor<Sigmoid> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    const auto in_double = [](const auto& w) {
      return detail::v_times_sigmoid_in_double(detail::set1<std::decay_t<decltype(w)>>(1.0), w);
    };
    const auto native = [](const auto& v) {
      const auto one = detail::set1<std::decay_t<decltype(v)>>(1.0);
      return detail::v_times_sigmoid(one, one, v, Eigen::internal::pzero(v));
    };
    return detail::nan_passthrough(x, detail::float_in_double_else(x, in_double, native));
  }
};

/// Element-wise sigmoid of any Eigen dense expression, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto sigmoid(const Eigen::DenseBase<Derived>& x) {
  return detail::unary_expr(x.derived(), Sigmoid{});
}

/// The same on an Eigen::Tensor or tensor expression, as a lazy tensor expression
/// (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto sigmoid(const Eigen::TensorBase<T, Access>& x) {
  return detail::tensor_unary_expr(x, Sigmoid{});
}

}  // namespace activ

namespace Eigen {
namespace internal {
template <>
struct functor_traits<activ::Sigmoid> {
  enum { Cost = activ::detail::kCost<20>, PacketAccess = activ::detail::kPacketAccess };
};
}  // namespace internal
}  // namespace Eigen
