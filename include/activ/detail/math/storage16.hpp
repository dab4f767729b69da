// 16-bit lane types (Eigen::bfloat16, Eigen::half): computed in float, rounded once to 16 bits,
// correctly.
//
// A function of 16-bit inputs is evaluated by the float kernel of its functor on the inputs
// widened to float (exact), and the float result r is rounded to the nearest 16-bit value. That
// is the correctly rounded result unless the exact value and r straddle a 16-bit midpoint: r is
// within kMaxUlp float ULPs of the exact value (the kernel's bound), so only lanes within that
// many floats of a midpoint can misround (may_misround16, a test of r's low bits). Those lanes,
// one in a few thousand, are evaluated again in double and rounded from there (round_exact), which
// settles every 16-bit input: the exhaustive tests check all 65 536 of each type.
//
// The packet path widens a 16-bit packet to one float packet where the instruction set converts
// natively (widening16, specialized under arch/), and otherwise runs each lane through the scalar
// path. Both paths take the same float result and the same decisions, lane by lane, so they give
// the same bits.
#pragma once

#include "activ/detail/math/packet.hpp"
#include "activ/detail/math/scalar_path.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

namespace activ {
namespace detail {

template <class T>
inline constexpr bool is_storage16_v =
    std::is_same_v<T, Eigen::bfloat16> || std::is_same_v<T, Eigen::half>;

/// A value as hi + lo, |lo| far below an ULP of hi (lo is 0 unless hi alone is not enough).
struct DoubleWord16 {
  double hi;
  double lo;
};

/// The symmetry of a function that its double evaluation uses where f(x) is close to a simple
/// number (exact_in_double): f(x) = x + f(-x) for the x·g(x) activations with g(x) + g(-x) = 1
/// (gelu, gelu_tanh, silu, swish), f(x) = 1 - f(-x) for sigmoid and for those activations'
/// derivatives (f'(x) + f'(-x) = 1).
enum class Reflection { none, x_plus, one_minus };

/// f(x) as a DoubleWord16, for a functor f whose scalar operator() takes double. Two places lose
/// what decides a 16-bit rounding, because f(x) there is within 2^-53 of a number a product of
/// 16-bit values can hit exactly (a 16-bit midpoint, in a GLU):
///  - x > 1, where g(x) rounds to 1 in double (gelu beyond 8.3, silu beyond 37): f(x) = x + f(-x),
///    f(-x) the small tail the kernels compute with full relative accuracy, summed exactly (x·g
///    then the nearest double, the tail in lo);
///  - x so small that g(x) rounds to exactly 1/2 (a subnormal bfloat16): f(x) = x/2 + c·x² + ...,
///    c = f.quadratic_coefficient(), carried in lo.
template <class F>
DoubleWord16 exact_in_double(const F& f, double x) {
  if constexpr (F::kReflection != Reflection::none) {
    if (x > 1) {
      const double base = F::kReflection == Reflection::x_plus ? x : 1.0;
      double tail = F::kReflection == Reflection::x_plus ? f(-x) : -f(-x);
      // Of the sign F::kTailSign for every x > 1 (negative for the activations, positive for their
      // derivatives); where it underflows double (silu beyond x = 745), a stand-in of that sign
      // below anything that matters.
      if (tail == 0 && x == x) tail = F::kTailSign * std::numeric_limits<double>::denorm_min();
      const double hi = base + tail;  // |tail| < base: Fast2Sum's error term is exact
      return {hi, tail - (hi - base)};
    }
  }
  const double value = f(x);
  return {value, x != 0 && value == 0.5 * x ? f.quadratic_coefficient() * x * x : 0.0};
}

/// The S16 nearest hi + lo (ties to even, in every rounding mode): rounded to odd at float
/// precision first (truncated toward zero, the last bit set if anything was dropped), then to
/// nearest even by Eigen's conversion. Rounding to odd with at least two more bits than the target
/// and then to nearest is one correct rounding (Boldo and Melquiond, 2008); float has 16 more bits
/// than bfloat16 and 13 more than half, at every exponent they share.
template <class S16>
S16 round_exact(const DoubleWord16& v) {
  if (!(std::fabs(v.hi) <= double(std::numeric_limits<float>::max()))) {
    return S16(static_cast<float>(v.hi));  // NaN; beyond float (and beyond S16: inf)
  }
  float f = static_cast<float>(v.hi);  // within an ULP, in any rounding mode
  // The sign of f - (hi + lo): f - hi is exact (f and hi are within a factor 2), and where it is
  // not 0 it outweighs lo.
  const double over = (double(f) - v.hi) - v.lo;
  const double value_sign = v.hi != 0 ? v.hi : v.lo;
  if (over != 0 && (over > 0) == (value_sign > 0)) f = std::nextafter(f, 0.0f);  // truncate
  if (over != 0) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    bits |= 1;  // sticky: the value lies strictly between f and the next float away from 0
    std::memcpy(&f, &bits, sizeof bits);
  }
  return S16(f);
}

/// The S16 NaN a float NaN r narrows to by dropping bits (sign, quiet bit and the top of the
/// payload): a NaN that a GLU's product carries from one of its inputs comes back as that input.
template <class S16>
S16 narrow_nan(float r) {
  std::uint32_t bits;
  std::memcpy(&bits, &r, sizeof bits);
  std::uint16_t out;
  if constexpr (std::is_same_v<S16, Eigen::bfloat16>) {
    out = static_cast<std::uint16_t>(bits >> 16);
    if ((out & 0x7F) == 0) out |= 0x40;  // a payload only in the dropped bits: keep it a NaN
  } else {
    const std::uint32_t payload = (bits >> 13) & 0x3FF;
    out =
        static_cast<std::uint16_t>(((bits >> 16) & 0x8000) | 0x7C00 | (payload ? payload : 0x200));
  }
  return Eigen::numext::bit_cast<S16>(out);
}

/// The lanes of a float result r, within kMaxUlp float ULPs of the exact value, whose rounding to
/// S16 may differ from the exact value's, and the NaN lanes (all ones there). S16's midpoints in
/// its normal range are the floats whose low kDropped bits (16 for bfloat16, 13 for half: the bits
/// float has beyond S16) are 100…0, and a midpoint between r and the exact value is at most kMaxUlp
/// floats from r (midpoints lie thousands of floats from a power of 2, where the ULP changes), so
/// the lanes whose low bits lie within kMaxUlp + 1 of 100…0 are flagged. bfloat16 shares float's
/// exponent range, subnormals included. Half's subnormals (|r| below 2^-14) are multiples of 2^-24:
/// |r| + 2^-14 (rounded, monotonic, one more ULP at most) puts them, and their midpoints, on the
/// grid of half's normals in [2^-14, 2^-13). The scalar form is the same test.
template <class S16, int kMaxUlp, class PacketF>
EIGEN_STRONG_INLINE PacketF may_misround16(const PacketF& r) {
  static_assert(kMaxUlp >= 0 && kMaxUlp <= 7, "the reach stays far below S16's half ULP");
  constexpr bool kHalf = std::is_same_v<S16, Eigen::half>;
  constexpr int kDropped = kHalf ? 13 : 16;
  constexpr std::uint32_t kLowMask = (1u << kDropped) - 1;
  constexpr float kMidpoint = float(1u << (kDropped - 1));
  constexpr float kReach = float(kMaxUlp + 1);
  constexpr float kHalfMinNormal = 0x1p-14f;
  if constexpr (std::is_floating_point_v<PacketF>) {
    float a = std::fabs(r);
    if (kHalf && a < kHalfMinNormal) a += kHalfMinNormal;
    std::uint32_t bits;
    std::memcpy(&bits, &a, sizeof bits);
    const bool flagged = std::isnan(r) || std::fabs(float(bits & kLowMask) - kMidpoint) <= kReach;
    const std::uint32_t mask = flagged ? 0xFFFFFFFFu : 0u;
    float out;
    std::memcpy(&out, &mask, sizeof out);
    return out;
  } else {
    using PacketI = typename ei::unpacket_traits<PacketF>::integer_packet;
    PacketF a = ei::pabs(r);
    if constexpr (kHalf) {
      const PacketF min_normal = set1<PacketF>(kHalfMinNormal);
      a = ei::pselect(ei::pcmp_lt(a, min_normal), ei::padd(a, min_normal), a);
    }
    const PacketI low =
        ei::pand(ei::preinterpret<PacketI>(a), ei::pset1<PacketI>(static_cast<int>(kLowMask)));
    const PacketF distance =
        ei::pabs(ei::psub(ei::pcast<PacketI, PacketF>(low), set1<PacketF>(kMidpoint)));
    const PacketF nan =
        ei::pcmp_lt_or_nan(r, set1<PacketF>(-std::numeric_limits<float>::infinity()));
    return ei::por(ei::pcmp_le(distance, set1<PacketF>(kReach)), nan);
  }
}

/// Whether a mask lane (all ones or all zeros) is set.
inline bool lane_set(float mask) {
  std::uint32_t bits;
  std::memcpy(&bits, &mask, sizeof bits);
  return bits != 0;
}

/// What a float kernel of a 16-bit function returns: its result, and the lanes where kMaxUlp does
/// not bound its error (all ones; a GLU's gate that underflows float), which take the double
/// evaluation as well.
template <class PacketF>
struct Float16Result {
  PacketF value;
  PacketF outside_bound;
};
/// A result whose bound holds in every lane (the element-wise functions).
template <class PacketF>
EIGEN_STRONG_INLINE Float16Result<PacketF> within_bound(const PacketF& value) {
  return {value, ei::pzero(value)};
}

/// The S16 result of one lane: r, the float kernel's result, rounded to S16 unless it may
/// misround or is outside the bound; there exact() (a DoubleWord16: the same function in double)
/// rounded correctly. A NaN r carries an input's NaN (narrow_nan), except in a lane outside the
/// bound whose exact value is a number: an infinite float product of finite 16-bit values times
/// an exact 0, whose exact value is 0.
template <class S16, int kMaxUlp, class Exact>
S16 finish16(float r, bool outside_bound, const Exact& exact) {
  if (outside_bound) {
    const DoubleWord16 e = exact();
    return std::isnan(r) && std::isnan(e.hi) ? narrow_nan<S16>(r) : round_exact<S16>(e);
  }
  if (std::isnan(r)) return narrow_nan<S16>(r);
  if (!lane_set(may_misround16<S16, kMaxUlp>(r))) {
    return S16(r);
  }
  return round_exact<S16>(exact());
}

/// The scalar path of a 16-bit function: one value (or two: a GLU's value and gate) through the
/// float kernel on the narrowest float packet, then finish16. Float(float packets...) returns a
/// Float16Result, Exact(double...) a DoubleWord16, the same function in double.
template <int kMaxUlp, class S16, class Float, class Exact, class... More>
EIGEN_STRONG_INLINE S16 apply16_scalar(const Float& float_kernel, const Exact& exact, const S16& x,
                                       const More&... more) {
  // A function of one input returns a NaN input itself, bit for bit (F16C's widening would quiet
  // a signaling NaN on the packet path).
  if constexpr (sizeof...(more) == 0) {
    if (Eigen::numext::isnan(x)) return x;
  }
  using PacketF = narrowest_packet_of<float>;
  const auto r = float_kernel(ei::pset1<PacketF>(static_cast<float>(x)),
                              ei::pset1<PacketF>(static_cast<float>(more))...);
  return finish16<S16, kMaxUlp>(ei::pfirst(r.value), lane_set(ei::pfirst(r.outside_bound)), [&] {
    return exact(static_cast<double>(x), static_cast<double>(more)...);
  });
}

/// exact(lane i of each input, as doubles) and apply16_scalar on lane i, for apply16.
template <class Exact, class S16, std::size_t kInputs, int kSize, std::size_t... I>
EIGEN_STRONG_INLINE DoubleWord16 exact_at_lane(const Exact& exact, const S16 (&in)[kInputs][kSize],
                                               int i, std::index_sequence<I...>) {
  return exact(static_cast<double>(in[I][i])...);
}
template <int kMaxUlp, class Float, class Exact, class S16, std::size_t kInputs, int kSize,
          std::size_t... I>
EIGEN_STRONG_INLINE S16 scalar_at_lane(const Float& float_kernel, const Exact& exact,
                                       const S16 (&in)[kInputs][kSize], int i,
                                       std::index_sequence<I...>) {
  return apply16_scalar<kMaxUlp>(float_kernel, exact, in[I][i]...);
}

/// The packet path: with a native conversion, the float kernel on the widened packet, narrowed,
/// and the lanes that may misround (rare) again one at a time through finish16, which decides as
/// may_misround did; without one, each lane through apply16_scalar. One input (activations), two
/// (a GLU, dy·f'(x)) or three (a GLU's gradients).
template <int kMaxUlp, class Packet16, class Float, class Exact, class... Packets16>
EIGEN_STRONG_INLINE Packet16 apply16(const Float& float_kernel, const Exact& exact,
                                     const Packet16& x, const Packets16&... more) {
  using S16 = scalar_of<Packet16>;
  constexpr int kSize = ei::unpacket_traits<Packet16>::size;
  using W = widening16<Packet16>;
  constexpr std::size_t kInputs = 1 + sizeof...(more);
  using Lanes = std::make_index_sequence<kInputs>;
  const Packet16 inputs[kInputs] = {x, more...};
  EIGEN_ALIGN_MAX S16 in[kInputs][kSize], out[kSize];
  if constexpr (W::kind == Widening::kWhole) {
    const auto r = float_kernel(W::widen(x), W::widen(more)...);
    const Packet16 rounded = W::narrow(r.value);
    const auto flags = ei::por(r.outside_bound, may_misround16<S16, kMaxUlp>(r.value));
    if (!ei::predux_any(flags)) return rounded;
    EIGEN_ALIGN_MAX float results[kSize], outside[kSize], flag[kSize];
    ei::pstore(out, rounded);
    ei::pstore(results, r.value);
    ei::pstore(outside, r.outside_bound);
    ei::pstore(flag, flags);
    for (std::size_t k = 0; k < kInputs; ++k) ei::pstore(in[k], inputs[k]);
    for (int i = 0; i < kSize; ++i) {
      if (!lane_set(flag[i])) continue;
      if (kInputs == 1 && Eigen::numext::isnan(in[0][i])) {  // as apply16_scalar
        out[i] = in[0][i];
        continue;
      }
      out[i] = finish16<S16, kMaxUlp>(results[i], lane_set(outside[i]),
                                      [&] { return exact_at_lane(exact, in, i, Lanes{}); });
    }
  } else {
    for (std::size_t k = 0; k < kInputs; ++k) ei::pstore(in[k], inputs[k]);
    for (int i = 0; i < kSize; ++i) {
      out[i] = scalar_at_lane<kMaxUlp>(float_kernel, exact, in, i, Lanes{});
    }
  }
  return ei::pload<Packet16>(out);
}

}  // namespace detail
}  // namespace activ
