// The floating-point environments a caller may run activ in: the rounding mode (fesetround) and
// the flushing of subnormal numbers, which -ffast-math and many inference runtimes turn on: on
// x86, the MXCSR flags FTZ (flush-to-zero: subnormal results become ±0) and DAZ
// (denormals-are-zero: subnormal operands read as ±0), separately; on aarch64, FPCR.FZ, which does
// both at once (the analogue of FTZ + DAZ; there is no aarch64 mode with only one of them).
// ScopedFpEnvironment switches to one and restores the previous one on exit.
//
// Compilers assume the default environment unless told otherwise: code run under another mode
// must be compiled with -frounding-math (GCC, Clang) and read its inputs from memory, so that no
// result is folded at compile time or moved across the switch. The switch and the restore are
// also compiler barriers (asm with a memory clobber) for the same reason.
#pragma once

#include <cfenv>
#include <string>

#if defined(__SSE2__) || defined(_M_X64)
#include <xmmintrin.h>
#define ACTIV_TEST_HAVE_MXCSR 1
#else
#define ACTIV_TEST_HAVE_MXCSR 0
#endif
#if defined(__aarch64__) && defined(__GNUC__)
#include <cstdint>
#define ACTIV_TEST_HAVE_FPCR 1
#else
#define ACTIV_TEST_HAVE_FPCR 0
#endif

namespace activ_test {

struct FpEnvironment {
  const char* name;
  int rounding;  // FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO
  bool ftz;      // MXCSR bit 15 (aarch64: FPCR.FZ, with daz)
  bool daz;      // MXCSR bit 6 (aarch64: FPCR.FZ, with ftz)

  bool flushes() const { return ftz || daz; }
  bool directed() const { return rounding != FE_TONEAREST; }
};

// The default environment and every non-default one that the tests run.
inline const FpEnvironment kDefaultEnvironment{"default", FE_TONEAREST, false, false};
inline const FpEnvironment kNonDefaultEnvironments[] = {
    {"ftz_daz", FE_TONEAREST, true, true},   {"ftz", FE_TONEAREST, true, false},
    {"daz", FE_TONEAREST, false, true},      {"upward", FE_UPWARD, false, false},
    {"downward", FE_DOWNWARD, false, false}, {"towardzero", FE_TOWARDZERO, false, false},
};

inline void compiler_barrier() {
#if defined(__GNUC__)
  __asm__ __volatile__("" ::: "memory");
#endif
}

#if ACTIV_TEST_HAVE_FPCR
constexpr std::uint64_t kFpcrFz = std::uint64_t(1) << 24;  // FPCR.FZ: flush inputs and results
inline std::uint64_t get_fpcr() {
  std::uint64_t fpcr;
  __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
  return fpcr;
}
inline void set_fpcr(std::uint64_t fpcr) { __asm__ __volatile__("msr fpcr, %0" : : "r"(fpcr)); }
#endif

// Why this platform cannot set `env`, or nullptr when it can: x86 sets FTZ and DAZ separately,
// aarch64 only both together, other targets neither (as far as these tests know).
inline const char* cannot_set(const FpEnvironment& env) {
  if (!env.flushes() || ACTIV_TEST_HAVE_MXCSR) return nullptr;
  if (ACTIV_TEST_HAVE_FPCR) {
    return env.ftz && env.daz ? nullptr
                              : "aarch64's FPCR.FZ flushes subnormal operands and results "
                                "together: no mode flushes only one of them";
  }
  return "flushing subnormals is set through x86's MXCSR or aarch64's FPCR here";
}
inline bool can_set(const FpEnvironment& env) { return cannot_set(env) == nullptr; }

// Sets `env` for the lifetime of the object; restores the previous rounding mode and MXCSR or
// FPCR. `env` must be one that can_set accepts.
class ScopedFpEnvironment {
 public:
  explicit ScopedFpEnvironment(const FpEnvironment& env) : rounding_(std::fegetround()) {
#if ACTIV_TEST_HAVE_MXCSR
    mxcsr_ = _mm_getcsr();
    unsigned csr = mxcsr_ & ~(kFtz | kDaz);
    if (env.ftz) csr |= kFtz;
    if (env.daz) csr |= kDaz;
    _mm_setcsr(csr);
#endif
#if ACTIV_TEST_HAVE_FPCR
    fpcr_ = get_fpcr();
    set_fpcr(env.flushes() ? fpcr_ | kFpcrFz : fpcr_ & ~kFpcrFz);
#endif
    ok_ = std::fesetround(env.rounding) == 0;
    compiler_barrier();
  }
  ~ScopedFpEnvironment() {
    compiler_barrier();
    std::fesetround(rounding_);
#if ACTIV_TEST_HAVE_MXCSR
    _mm_setcsr(mxcsr_);
#endif
#if ACTIV_TEST_HAVE_FPCR
    set_fpcr(fpcr_);
#endif
    compiler_barrier();
  }
  ScopedFpEnvironment(const ScopedFpEnvironment&) = delete;
  ScopedFpEnvironment& operator=(const ScopedFpEnvironment&) = delete;

  bool ok() const { return ok_; }

 private:
#if ACTIV_TEST_HAVE_MXCSR
  static constexpr unsigned kFtz = 1u << 15, kDaz = 1u << 6;
  unsigned mxcsr_ = 0;
#endif
#if ACTIV_TEST_HAVE_FPCR
  std::uint64_t fpcr_ = 0;
#endif
  int rounding_;
  bool ok_ = false;
};

}  // namespace activ_test
