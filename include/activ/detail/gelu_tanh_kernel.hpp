// The tanh-form GELU, 0.5*x*(1 + tanh(u)), u = sqrt(2/pi)*(x + 0.044715*x^3), computed as
//   x * sigmoid(z),   z = 2u = c1*x + c3*x^3,   c1 = 2*sqrt(2/pi), c3 = 0.044715*c1,
// which is the same function without the cancellation of 1 + tanh(u) for x << 0.
//
// In the tail the result is ~x*e^z with |z| up to ~110 (float) or ~760 (double), so z is needed
// to an absolute error far below one ULP of 1: z is carried as a double word. c1 and c3 are
// split into hi + lo constants; z = x*(c1 + c3*x^2) with x^2 exact, the sum c1 + c3*x^2 by
// TwoSum, and the final product by two_product. Past |x| = kMaxArg the result is x or 0 in the
// working precision (z beyond the logistic kernel's range), so x is clamped there for z.
#pragma once

#include "activ/detail/double_word.hpp"
#include "activ/detail/logistic_kernel.hpp"

namespace activ {
namespace detail {

template <class Scalar>
struct GeluTanhConstants;

template <>
struct GeluTanhConstants<float> {
  static constexpr float kC1Hi = 0x1.988454p+0f, kC1Lo = -0x1.857936p-25f;
  static constexpr float kC3Hi = 0x1.2444f2p-4f, kC3Lo = 0x1.49b16ap-29f;
  static constexpr float kMaxArg = 12.0f;  // z(12) = 142 > every relevant |z|
};

template <>
struct GeluTanhConstants<double> {
  static constexpr double kC1Hi = 0x1.9884533d43651p+0, kC1Lo = -0x1.cbc0d30ebfd15p-54;
  static constexpr double kC3Hi = 0x1.2444f2a4d8b4bp-4, kC3Lo = -0x1.6c843a29d1c70p-61;
  static constexpr double kMaxArg = 25.0;  // z(25) = 1155 > every relevant |z|
};

template <class Packet>
EIGEN_STRONG_INLINE Packet gelu_tanh(const Packet& x) {
  using C = GeluTanhConstants<scalar_of<Packet>>;
  const Packet xc = clamp_symmetric(x, C::kMaxArg);

  // w = c1 + c3*x^2 as a double word
  const DoubleWord<Packet> x2 = two_product(xc, xc);
  const DoubleWord<Packet> c3x2 = two_product(set1<Packet>(C::kC3Hi), x2.hi);
  const DoubleWord<Packet> w = two_sum(set1<Packet>(C::kC1Hi), c3x2.hi);
  Packet w_lo = ei::padd(w.lo, ei::padd(c3x2.lo, set1<Packet>(C::kC1Lo)));
  w_lo = madd(set1<Packet>(C::kC3Lo), x2.hi, w_lo);
  w_lo = madd(set1<Packet>(C::kC3Hi), x2.lo, w_lo);

  // z = x*w as a double word
  const DoubleWord<Packet> z = two_product(xc, w.hi);
  return v_times_sigmoid(x, xc, z.hi, madd(xc, w_lo, z.lo));
}

}  // namespace detail
}  // namespace activ
