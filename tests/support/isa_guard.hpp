// Instruction-set guard for the test variants (docs/design.md §4: the bounds hold for the x86-64
// baseline, AVX2 + FMA and AVX-512). The build defines ACTIV_TEST_ISA as "baseline", "avx2",
// "avx512", "avx512bf16" (AVX-512 with AVX512-BF16, for the 16-bit tests) or "generic" (activ's
// generic packet path forced, on AVX2 + FMA) on x86-64, "neon" and
// "scalar" (-DEIGEN_DONT_VECTORIZE: no packets, every FMA the compiler contracts) on aarch64,
// "vsx" on ppc64le, with matching compiler flags. This header
//  - refuses to compile when the flags do not match the name (a mislabelled variant would test
//    the wrong instruction set and still pass), and
//  - gives main() (run_tests_for_isa), which returns 77 (CTest SKIP_RETURN_CODE) without running
//    a test when the running CPU lacks the level.
// Without ACTIV_TEST_ISA it only runs the tests. Every test program's main() calls it.
#pragma once

#include <gtest/gtest.h>
#include <Eigen/Core>

#include <cstdio>
#include <cstdlib>

namespace activ_test {

constexpr bool same_string(const char* a, const char* b) {
  return *a == *b && (*a == '\0' || same_string(a + 1, b + 1));
}

#ifdef ACTIV_TEST_ISA
inline constexpr const char* kTestIsa = ACTIV_TEST_ISA;

inline constexpr bool kCompiledForAvx2 =
#if defined(__AVX2__) && defined(__FMA__)
    true;
#else
    false;
#endif
inline constexpr bool kCompiledForAvx512 =
#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(__AVX512VL__) && \
    defined(__AVX512BW__) && defined(__AVX2__) && defined(__FMA__)
    true;
#else
    false;
#endif
inline constexpr bool kCompiledWithAvxOrFma =
#if defined(__AVX__) || defined(__FMA__)
    true;
#else
    false;
#endif
inline constexpr bool kGenericPacketPath =
#if defined(ACTIV_GENERIC_PACKET_PATH)
    true;
#else
    false;
#endif
inline constexpr bool kCompiledForNeon64 =
#if defined(__aarch64__) && defined(EIGEN_VECTORIZE_NEON)
    true;
#else
    false;
#endif
inline constexpr bool kEigenVectorizes =
#if defined(EIGEN_VECTORIZE)
    true;
#else
    false;
#endif
inline constexpr bool kCompiledForVsx =
#if defined(__powerpc64__) && defined(EIGEN_VECTORIZE_VSX)
    true;
#else
    false;
#endif

static_assert(same_string(kTestIsa, "baseline") || same_string(kTestIsa, "avx2") ||
                  same_string(kTestIsa, "avx512") || same_string(kTestIsa, "avx512bf16") ||
                  same_string(kTestIsa, "generic") || same_string(kTestIsa, "neon") ||
                  same_string(kTestIsa, "scalar") || same_string(kTestIsa, "vsx"),
              "ACTIV_TEST_ISA must be \"baseline\", \"avx2\", \"avx512\", \"avx512bf16\", "
              "\"generic\", \"neon\", "
              "\"scalar\" or \"vsx\"");
static_assert(same_string(kTestIsa, "generic") == kGenericPacketPath,
              "ACTIV_GENERIC_PACKET_PATH is defined for the generic variant, and only there");
static_assert(!same_string(kTestIsa, "generic") || (kCompiledForAvx2 && !kCompiledForAvx512),
              "the generic variant must be built with -mavx2 -mfma and without AVX-512");
static_assert(!same_string(kTestIsa, "neon") || kCompiledForNeon64,
              "the neon variant is aarch64 with Eigen's NEON packets");
static_assert(same_string(kTestIsa, "scalar") == !kEigenVectorizes,
              "the scalar variant is built with -DEIGEN_DONT_VECTORIZE, and only it");
static_assert(!same_string(kTestIsa, "vsx") || kCompiledForVsx,
              "the vsx variant is ppc64le with Eigen's VSX packets");
static_assert(!same_string(kTestIsa, "baseline") || !kCompiledWithAvxOrFma,
              "the baseline variant must be built without -mavx/-mfma/-march");
static_assert(!same_string(kTestIsa, "avx2") || (kCompiledForAvx2 && !kCompiledForAvx512),
              "the avx2 variant must be built with -mavx2 -mfma and without AVX-512");
static_assert(!same_string(kTestIsa, "avx512") || kCompiledForAvx512,
              "the avx512 variant needs -mavx512f -mavx512dq -mavx512vl -mavx512bw -mavx2 -mfma");
inline constexpr bool kCompiledForAvx512Bf16 =
#if defined(__AVX512BF16__)
    kCompiledForAvx512;
#else
    false;
#endif
static_assert(same_string(kTestIsa, "avx512bf16") == kCompiledForAvx512Bf16,
              "the avx512bf16 variant is the avx512 one plus -mavx512bf16, and only it has that");

// The first feature of the variant's level that the running CPU lacks, or nullptr.
inline const char* missing_cpu_feature() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (same_string(kTestIsa, "baseline")) return nullptr;
  if (!__builtin_cpu_supports("avx2")) return "avx2";
  if (!__builtin_cpu_supports("fma")) return "fma";
  if (same_string(kTestIsa, "avx2") || same_string(kTestIsa, "generic")) return nullptr;
  if (!__builtin_cpu_supports("avx512f")) return "avx512f";
  if (!__builtin_cpu_supports("avx512dq")) return "avx512dq";
  if (!__builtin_cpu_supports("avx512vl")) return "avx512vl";
  if (!__builtin_cpu_supports("avx512bw")) return "avx512bw";
  if (same_string(kTestIsa, "avx512bf16") && !__builtin_cpu_supports("avx512bf16")) {
    return "avx512bf16";
  }
  return nullptr;
#else  // the other levels are the target's defaults
  return nullptr;
#endif
}

#else
inline constexpr const char* kTestIsa = "default";
inline const char* missing_cpu_feature() { return nullptr; }
#endif

// main() of every test program: runs the tests, or returns 77 (CTest SKIP_RETURN_CODE) when the
// CPU lacks the variant's instruction set. A program that defines main() this way may still be
// linked with the static gtest_main: the linker then takes nothing from it.
inline int run_tests_for_isa(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (const char* missing = missing_cpu_feature()) {
    std::printf("SKIPPED: built for ISA level \"%s\", this CPU lacks %s\n", kTestIsa, missing);
    return 77;
  }
  std::printf("ISA level \"%s\"; Eigen uses %s\n", kTestIsa, Eigen::SimdInstructionSetsInUse());
  return RUN_ALL_TESTS();
}

}  // namespace activ_test
