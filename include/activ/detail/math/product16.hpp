// value·F(x) rounded once to a 16-bit lane type, correctly: the product that a GLU forms
// (value·Gate(gate)), and every backward pass (dy·f'(x), dy·Gate(g), (dy·V(v))·Gate'(g)).
//
// The float part multiplies F's float result by the value and flags the lanes whose error the
// bound kMaxUlp may not cover: F(x) below the smallest normal float (its relative error unbounded
// there; not for an exact F such as relu or the identity, whose 0 is exact) and any the caller
// flags (a value that was not formed exactly). The double part forms the same product as a double
// word from F's double evaluation. apply16 (storage16.hpp) rounds the float product where it can
// and takes the double one for the flagged lanes and those near a 16-bit midpoint.
#pragma once

#include <cmath>
#include <limits>
#include <type_traits>

#include "activ/detail/math/packet.hpp"
#include "activ/detail/math/storage16.hpp"

namespace activ {
namespace detail {

/// Whether a functor's float and double results are exact (F::kExact: relu, the identity and
/// their derivatives); false for a functor that does not say.
template <class F, class = void>
struct is_exact_functor : std::false_type {};
template <class F>
struct is_exact_functor<F, std::void_t<decltype(F::kExact)>> : std::bool_constant<F::kExact> {};

template <class F, class = void>
struct has_float_kernel : std::false_type {};
template <class F>
struct has_float_kernel<F, std::void_t<decltype(std::declval<const F&>().float_kernel())>>
    : std::true_type {};

template <class F, class = void>
struct has_exact16 : std::false_type {};
template <class F>
struct has_exact16<F, std::void_t<decltype(std::declval<const F&>().exact16())>> : std::true_type {
};

/// F on a float packet as 16-bit lanes evaluate it: its float_kernel() (activ's functors; a
/// derivative's is the precise kernel in both tiers), or its packetOp (a user-defined functor).
template <class F, class PacketF>
EIGEN_STRONG_INLINE Float16Result<PacketF> float_result16(const F& f, const PacketF& x) {
  if constexpr (has_float_kernel<F>::value) {
    return f.float_kernel()(x);
  } else {
    return within_bound(f.packetOp(x));
  }
}

/// The float part: value·F(x) from F's float result f_x, flagged where f_x is below the smallest
/// normal float (unless F is exact) and where `unsure` is set.
template <class F, class PacketF>
EIGEN_STRONG_INLINE Float16Result<PacketF> product16(const PacketF& value,
                                                     const Float16Result<PacketF>& f_x,
                                                     const PacketF& unsure) {
  PacketF flagged = ei::por(unsure, f_x.outside_bound);
  if constexpr (!is_exact_functor<F>::value) {
    const PacketF tiny = ei::pset1<PacketF>(std::numeric_limits<float>::min());
    flagged = ei::por(flagged, ei::pcmp_lt(ei::pabs(f_x.value), tiny));
  }
  return {mul(value, f_x.value), flagged};
}

/// The double part: value·F(x) as a double word, value exact in double, F(x) from F's exact16()
/// (activ's functors) or its scalar operator() on a double (a user-defined functor).
template <class F>
DoubleWord16 product16_exact(const F& f, double value, double x) {
  DoubleWord16 f_x{0.0, 0.0};
  if constexpr (has_exact16<F>::value) {
    f_x = f.exact16()(x);
  } else {
    f_x.hi = static_cast<double>(f(x));
  }
  const double hi = value * f_x.hi;
  double lo = value * f_x.lo;
  // Only lo's sign matters where it is this small: keep it from underflowing to 0.
  if (lo == 0 && f_x.lo != 0 && value != 0) {
    const double tiny = std::numeric_limits<double>::denorm_min();
    lo = (value > 0) == (f_x.lo > 0) ? tiny : -tiny;
  }
  return DoubleWord16{hi, std::fma(value, f_x.hi, -hi) + lo};
}

/// Where a product of two 16-bit values formed in float, nonzero and finite in exact arithmetic,
/// is not exact: below the smallest normal float or beyond the largest (bfloat16 spans float's
/// exponent range; half never gets there). 0 and infinities of zero or infinite factors are exact.
template <class PacketF>
EIGEN_STRONG_INLINE PacketF product_inexact16(const PacketF& a, const PacketF& b,
                                              const PacketF& product) {
  const PacketF inf = ei::pset1<PacketF>(std::numeric_limits<float>::infinity());
  const PacketF zero = ei::pzero(product);
  const PacketF abs_product = ei::pabs(product);
  const PacketF finite_factors =
      ei::pand(ei::pcmp_lt(ei::pabs(a), inf), ei::pcmp_lt(ei::pabs(b), inf));
  const PacketF nonzero_factors =
      ei::pand(ei::pcmp_lt(zero, ei::pabs(a)), ei::pcmp_lt(zero, ei::pabs(b)));
  const PacketF out_of_range =
      ei::por(ei::pcmp_lt(abs_product, ei::pset1<PacketF>(std::numeric_limits<float>::min())),
              ei::pcmp_eq(abs_product, inf));
  return ei::pand(ei::pand(finite_factors, nonzero_factors), out_of_range);
}

}  // namespace detail
}  // namespace activ
