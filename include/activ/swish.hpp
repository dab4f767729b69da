// activ::swish and activ::silu — x * sigmoid(beta * x).
#pragma once

#include "activ/detail/logistic_kernel.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {

/// Swish (Ramachandran et al.): swish(x; beta) = x * sigmoid(beta * x). beta is a runtime
/// parameter, converted to the scalar type of the input before use (so a float array computes
/// with float(beta); the accuracy bound is relative to that value). beta*x is formed exactly
/// (two_product), so large |beta*x| costs no accuracy.
///
/// Lane types: float, double.
/// Max error: 2 ULP on the whole real line for beta > 0 (subnormal results in subnormal ULPs).
/// Special values (beta > 0): NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0,
/// subnormal x -> ~x/2.
struct Swish : detail::UnaryFunctor<Swish> {
  double beta = 1.0;

  constexpr Swish() = default;
  constexpr explicit Swish(double beta_) : beta(beta_) {}

  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    using Scalar = detail::scalar_of<Packet>;
    const detail::DoubleWord<Packet> z =
        detail::two_product(detail::set1<Packet>(static_cast<Scalar>(beta)), x);
    return detail::nan_passthrough(x, detail::v_times_sigmoid(x, detail::finite_clamp(x), z.hi, z.lo));
  }
};

/// SiLU (sigmoid-weighted linear unit): silu(x) = x * sigmoid(x), i.e. swish with beta = 1.
/// PyTorch's F.silu.
///
/// Lane types: float, double.
/// Max error: 2 ULP on the whole real line (subnormal results in subnormal ULPs).
/// Special values: NaN -> the same NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0, subnormal x -> ~x/2.
struct Silu : detail::UnaryFunctor<Silu> {
  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& x) const {
    return detail::nan_passthrough(
        x, detail::v_times_sigmoid(x, detail::finite_clamp(x), x, Eigen::internal::pzero(x)));
  }
};

/// Element-wise swish with parameter beta, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto swish(const Eigen::DenseBase<Derived>& x, double beta) {
  return x.derived().unaryExpr(Swish{beta});
}

/// Element-wise SiLU, as a lazy expression.
template <class Derived>
EIGEN_STRONG_INLINE auto silu(const Eigen::DenseBase<Derived>& x) {
  return x.derived().unaryExpr(Silu{});
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
