// activ::swish and activ::silu — x * sigmoid(beta * x).
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/detail/math/logistic.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// Swish (Ramachandran et al.): swish(x; beta) = x * sigmoid(beta * x). beta is a runtime
/// parameter, converted to the scalar type of the input before use (so a float array computes
/// with float(beta), rounded to nearest in every rounding mode; the accuracy bound is relative
/// to that value). beta*x is formed exactly
/// (in double for float lanes, as a double word for double lanes), so large |beta*x| costs no
/// accuracy.
///
/// Lane types: float, double.
/// Max error: 1 ULP for float (all 2^32 inputs checked at beta = 0.5, 1.702, 2), 2 ULP for
/// double, on the whole real line for beta > 0 (subnormal results in subnormal ULPs).
/// Special values (beta > 0): NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0,
/// subnormal x -> ~x/2.
struct Swish : detail::UnaryFunctor<Swish> {
  double beta = 1.0;

  constexpr Swish() = default;
  constexpr explicit Swish(double beta_) : beta(beta_) {}

  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    // beta is rounded to the lane type once; beta*x is then exact in double for float lanes,
    // and carried as a double word for double lanes.
    const detail::scalar_of<Packet> b = detail::parameter_to<detail::scalar_of<Packet>>(beta);
    const auto in_double = [b](const auto& w) {
      const auto bw = detail::set1<std::decay_t<decltype(w)>>(double(b));
      return detail::v_times_sigmoid_in_double(w, Eigen::internal::pmul(bw, w));
    };
    const auto native = [b](const auto& v) {
      const auto z = detail::two_product(detail::set1<std::decay_t<decltype(v)>>(b), v);
      return detail::v_times_sigmoid(v, detail::finite_clamp(v), z.hi, z.lo);
    };
    return detail::nan_passthrough(x, detail::float_in_double_else(x, in_double, native));
  }
};

/// SiLU (sigmoid-weighted linear unit): silu(x) = x * sigmoid(x), i.e. swish with beta = 1.
/// PyTorch's F.silu.
///
/// Lane types: float, double.
/// Max error: 1 ULP for float (all 2^32 inputs checked), 2 ULP for double, on the whole real
/// line (subnormal results in subnormal ULPs).
/// Special values: NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0, subnormal x -> ~x/2.
struct Silu : detail::UnaryFunctor<Silu> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    const auto in_double = [](const auto& w) { return detail::v_times_sigmoid_in_double(w, w); };
    const auto native = [](const auto& v) {
      return detail::v_times_sigmoid(v, detail::finite_clamp(v), v, Eigen::internal::pzero(v));
    };
    return detail::nan_passthrough(x, detail::float_in_double_else(x, in_double, native));
  }
};

/// Element-wise swish with parameter beta, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto swish(const Eigen::DenseBase<Derived>& x, double beta) {
  return detail::unary_expr(x.derived(), Swish{beta});
}

/// The same on an Eigen::Tensor or tensor expression, as a lazy tensor expression
/// (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto swish(const Eigen::TensorBase<T, Access>& x, double beta) {
  return detail::tensor_unary_expr(x, Swish{beta});
}

/// Element-wise SiLU, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto silu(const Eigen::DenseBase<Derived>& x) {
  return detail::unary_expr(x.derived(), Silu{});
}

/// The same on an Eigen::Tensor or tensor expression, as a lazy tensor expression
/// (needs #include <activ/tensor.hpp>).
template <class T, int Access>
EIGEN_STRONG_INLINE auto silu(const Eigen::TensorBase<T, Access>& x) {
  return detail::tensor_unary_expr(x, Silu{});
}

}  // namespace activ

namespace Eigen {
namespace internal {
template <>
struct functor_traits<activ::Swish> {
  enum { Cost = activ::detail::kCost<22>, PacketAccess = activ::detail::kPacketAccess };
};
template <>
struct functor_traits<activ::Silu> {
  enum { Cost = activ::detail::kCost<20>, PacketAccess = activ::detail::kPacketAccess };
};
}  // namespace internal
}  // namespace Eigen
