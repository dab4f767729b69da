// The floating-point environments a caller may run activ in: the rounding mode (fesetround) and,
// on x86, the MXCSR flags FTZ (flush-to-zero: subnormal results become ±0) and DAZ
// (denormals-are-zero: subnormal operands read as ±0), which -ffast-math and many inference
// runtimes turn on. ScopedFpEnvironment switches to one and restores the previous one on exit.
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

namespace activ_test {

struct FpEnvironment {
  const char* name;
  int rounding;  // FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO
  bool ftz;      // MXCSR bit 15
  bool daz;      // MXCSR bit 6

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

// Whether this platform can set `env` (FTZ/DAZ need x86's MXCSR).
inline bool can_set(const FpEnvironment& env) { return ACTIV_TEST_HAVE_MXCSR || !env.flushes(); }

// Sets `env` for the lifetime of the object; restores the previous rounding mode and MXCSR.
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
    ok_ = std::fesetround(env.rounding) == 0;
    compiler_barrier();
  }
  ~ScopedFpEnvironment() {
    compiler_barrier();
    std::fesetround(rounding_);
#if ACTIV_TEST_HAVE_MXCSR
    _mm_setcsr(mxcsr_);
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
  int rounding_;
  bool ok_ = false;
};

}  // namespace activ_test
