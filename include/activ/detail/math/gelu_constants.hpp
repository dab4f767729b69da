// The fitted constants of gelu's R(a) = erfcx(a/sqrt2)/2 (the method and the fits: gelu.hpp),
// shared by the precise kernel (gelu.hpp) and the fast one (fast/gelu.hpp).
#pragma once

#include <cstddef>

#include "activ/detail/math/packet.hpp"

namespace activ {
namespace detail {

struct GeluFloatConstants {  // used in double arithmetic for float results
  static constexpr double kMaxArg = 14.5;
  static constexpr double kP[] = {0x1.00000009389ffp-1, 0x1.ae237be9baac9p-2,
                                  0x1.5cb4396f4e47cp-3, 0x1.2a092b6977a7ap-5,
                                  0x1.cc619929377bdp-9, -0x1.462e0f4fd1040p-28};
  static constexpr double kQ[] = {0x1.0000000000000p+0, 0x1.a353ea500e1c8p+0, 0x1.25c02b7ad0895p+0,
                                  0x1.bdb965e5980f3p-2, 0x1.759d623c05644p-4, 0x1.207a1952f5286p-7};
};

struct GeluDoubleConstants {
  static constexpr double kMaxArg = 38.7;
  // Double-word Horner steps (dw_horner) of P and Q: the rest is plain Horner, whose errors reach
  // R damped (R = 1/(2a + P/Q), and P/Q is < 0.2 of the denominator in the tail) or, near a = 0,
  // are small against the exact low-order steps. Each step costs ~1 ns per element (AMD Zen 5,
  // AVX-512), and measured against MPFR on 10^6 random inputs in [-38.7, -2] (the worst range):
  //   with FMA:    1 step: 42 inputs at 2 ULP, none above (3.1 ns per element; 4 steps: 6.3 ns)
  //   without FMA: 2 steps: 398 at 2 ULP, none above (1 step: 955 at 2 ULP; 4 steps: 48)
  static constexpr std::size_t kExactSteps = kFusedMultiplyAdd ? 1 : 2;
  static constexpr double kP[] = {
      0x1.0000000000000p+1,  0x1.740f3dc05c2efp+1,  0x1.2920b5efbb08ap+1,  0x1.489e9482e2f93p+0,
      0x1.0f9304b55fd32p-1,  0x1.58a9de20bd577p-3,  0x1.51d0f9706dc1ap-5,  0x1.fb315955cbfc2p-8,
      0x1.1ce4fd50e868bp-10, 0x1.c8ce99d5f2b76p-14, 0x1.d9587c1f3a64cp-18, 0x1.e69657de82253p-23};
  static constexpr double kQ[] = {
      0x1.0000000000000p+0,  0x1.a7cd1421ba7c6p+0,  0x1.5bcf52d2a17a8p+0, 0x1.6db0bd17c822cp-1,
      0x1.0e3472be7f9f0p-2,  0x1.23e26125f421fp-4,  0x1.d2355883bbf9cp-7, 0x1.10237b7127e08p-9,
      0x1.be30a3eb8be86p-13, 0x1.d3271e898c93ep-17, 0x1.e038a0b5fc3d7p-22};
};

}  // namespace detail
}  // namespace activ
