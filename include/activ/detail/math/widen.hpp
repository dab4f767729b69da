// Converting a float packet to double packets and back.
//
// Kernels that must round a product of several computed factors only once (float gelu) run in
// double on the widened lanes: every intermediate error is then ~2^-50, far below a float ULP,
// and the final narrowing is the single rounding (subnormal float results included).
// Eigen has no portable split of a packet into halves, so the split is one small primitive per
// ISA where it pays (the widening<PacketF> specializations under arch/: SSE2, AVX, AVX-512,
// aarch64 NEON), and a generic fallback through memory for every other packet type Eigen
// provides. Both convert each lane exactly (float -> double) and
// round each lane once in the current rounding mode (double -> float): the same results.
#pragma once

#include "activ/detail/math/packet.hpp"

namespace activ {
namespace detail {

// (GCC warns that the vector attributes of __m128 & co. are dropped from template arguments;
// they only select a specialization here, as everywhere in Eigen, which silences it likewise.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif
/// The widest double packet of the family of PacketD with at most N lanes (following Eigen's
/// `half` links): a plain double where Eigen does not vectorize double (32-bit NEON, MSA, ...).
template <class PacketD, int N, bool Fits = (ei::unpacket_traits<PacketD>::size <= N)>
struct double_packet_at_most {
  using type = typename double_packet_at_most<typename ei::unpacket_traits<PacketD>::half, N>::type;
};
template <class PacketD, int N>
struct double_packet_at_most<PacketD, N, true> {
  using type = PacketD;
};

/// Generic fallback of apply_widened: the float lanes go to memory, are converted one by one,
/// and the kernel runs on as many double packets as the lanes fill.
template <class PacketF, class Kernel>
EIGEN_STRONG_INLINE PacketF apply_widened_generic(const PacketF& x, const Kernel& kernel) {
  constexpr int kLanes = ei::unpacket_traits<PacketF>::size;
  using PacketD =
      typename double_packet_at_most<typename ei::packet_traits<double>::type, kLanes>::type;
  constexpr int kStep = ei::unpacket_traits<PacketD>::size;
  static_assert(kLanes % kStep == 0, "the double packets must tile the float packet");
  float lanes[kLanes];
  double wide[kLanes];
  ei::pstoreu(lanes, x);
  for (int i = 0; i < kLanes; ++i) wide[i] = lanes[i];
  for (int i = 0; i < kLanes; i += kStep)
    ei::pstoreu(wide + i, kernel(ei::ploadu<PacketD>(wide + i)));
  for (int i = 0; i < kLanes; ++i) lanes[i] = static_cast<float>(wide[i]);
  return ei::ploadu<PacketF>(lanes);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// Applies a double kernel to the lanes of a float packet widened to double, and rounds the
/// results once.
template <class PacketF, class Kernel>
EIGEN_STRONG_INLINE PacketF apply_widened(const PacketF& x, const Kernel& kernel) {
  using W = widening<PacketF>;
  if constexpr (W::kind == Widening::kWhole) {
    return W::narrow(kernel(W::widen(x)));
  } else if constexpr (W::kind == Widening::kHalves) {
    return W::narrow(kernel(W::widen_low(x)), kernel(W::widen_high(x)));
  } else {
    return apply_widened_generic(x, kernel);
  }
}

/// The precision split of activ's kernels: float packets run `for_float` in double on their
/// widened lanes and round once (apply_widened); double packets run `for_double` directly.
template <class Packet, class ForFloat, class ForDouble>
EIGEN_STRONG_INLINE Packet float_in_double_else(const Packet& x, const ForFloat& for_float,
                                                const ForDouble& for_double) {
  if constexpr (std::is_same_v<scalar_of<Packet>, float>) {
    return apply_widened(x, for_float);
  } else {
    return for_double(x);
  }
}

}  // namespace detail
}  // namespace activ
