// Shared pieces of the libFuzzer targets (tests/fuzz/fuzz_*.cpp): a byte reader that decodes the
// fuzzer's input, failure reporting (print, then abort: libFuzzer saves the input as a crash),
// exact-size heap buffers (so that AddressSanitizer reports a read one past the end), a bounded
// cache for the slow MPFR references, and the check of the documented error messages.
#pragma once

#include "support/isa_guard.hpp"
#include "support/ulp.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

// Coverage. What these targets run is branch-free SIMD kernels inside Eigen's loops: edge
// coverage of it says nothing about the values, while the loop counters of hundreds of template
// instantiations gave libFuzzer ~370 000 counters, a corpus that grew by thousands of inputs a
// minute and most of the run time spent in libFuzzer's own bookkeeping. So the compiler
// instruments only activ's own out-of-line functions (coverage_allowlist.txt; Eigen, the
// standard library and this checking code, and everything inlined into it, are not), and the
// targets report what matters as features of their own, through libFuzzer's extra counters
// (feature()): the configuration reached (function, type, container, layout, form, destination,
// error) and the class of each value (NaN, ±inf, ±0, subnormal, sign and binade). The corpus
// then keeps about one input per configuration and value class.
namespace activ_fuzz {

inline constexpr std::size_t kFeatures = std::size_t(1) << 14;

// libFuzzer reads this section after every input (and clears it before the next): each nonzero
// byte is a feature. One array per translation unit (fuzz_glu has two): libFuzzer reads them all.
__attribute__((used,
               section("__libfuzzer_extra_counters"))) static std::uint8_t g_features[kFeatures];

// Feature `index` in a space of its own: space k owns the indices [k * 2048, (k + 1) * 2048).
inline void feature(std::size_t space, std::size_t index) {
  g_features[(space * 2048 + index % 2048) % kFeatures] = 1;
}

// The class of a value, for feature(): NaN, ±inf, ±0, ±subnormal, and for normal numbers the
// sign and the binade, binades below 2^-20 and above 2^12 lumped together (73 classes).
template <class T>
std::size_t value_class(T x) {
  if (x != x) return 0;
  const std::size_t sign = std::signbit(x) ? 1 : 0;
  switch (std::fpclassify(x)) {
    case FP_INFINITE: return 1 + sign;
    case FP_ZERO: return 3 + sign;
    case FP_SUBNORMAL: return 5 + sign;
    default: break;
  }
  const int e = std::ilogb(x);
  const int binade = e < -20 ? -20 : e > 12 ? 12 : e;  // 33 classes
  return 7 + sign * 33 + std::size_t(binade + 20);
}

using activ_test::bits_of;
using activ_test::from_bits;
using activ_test::UIntOf;

// Reads the input front to back; past the end every read gives zeros, so every input decodes.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }

  // n bytes, little-endian.
  std::uint64_t bytes(int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= std::uint64_t(byte()) << (8 * i);
    return v;
  }

  std::size_t remaining() const { return pos_ < size_ ? size_ - pos_ : 0; }

  // A float or double from its bit pattern, little-endian.
  template <class T>
  T scalar() {
    return from_bits<T>(static_cast<UIntOf<T>>(bytes(int(sizeof(T)))));
  }

  // Up to max_count values of T from the rest of the input (whole values only).
  template <class T>
  std::vector<T> pool(std::size_t max_count) {
    std::vector<T> out;
    while (out.size() < max_count && remaining() >= sizeof(T)) out.push_back(scalar<T>());
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

using activ_test::show;  // "0x1.8p+1 (3) [bits 0x40400000]"

// Reports a broken promise and aborts; libFuzzer then writes the input to crash-<sha1>.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "\n*** activ fuzz failure: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// check(ok, [&] { return "what went wrong"; }): the message is built only on failure (building
// strings for every check would dominate the run time).
template <class Message>
void check(bool ok, const Message& message) {
  if (!ok) fail(message());
}

// Scalar T's name for messages.
template <class T>
const char* type_name() {
  return std::is_same_v<T, float> ? "float" : "double";
}

// A heap buffer of exactly n elements (no slack): AddressSanitizer flags any access outside it.
template <class T>
class ExactBuffer {
 public:
  explicit ExactBuffer(std::size_t n) : n_(n), p_(new T[n]) {}
  T* data() { return p_.get(); }
  const T* data() const { return p_.get(); }
  std::size_t size() const { return n_; }
  T& operator[](std::size_t i) { return p_[i]; }
  const T& operator[](std::size_t i) const { return p_[i]; }

 private:
  std::size_t n_;
  std::unique_ptr<T[]> p_;
};

// Fills the buffer slots outside a view: a quiet NaN with a recognizable payload, which the
// checks would see if a kernel read it.
template <class T>
T sentinel() {
  return from_bits<T>(std::is_same_v<T, float> ? UIntOf<T>(0x7fc05a5au)
                                               : UIntOf<T>(0x7ff800005a5a5a5aull));
}

// The number of elements a strided view spans from its buffer's start: `offset`, then
// outer_count x inner_count elements `outer` and `inner` apart (0 for an empty view).
inline std::size_t span(std::ptrdiff_t offset, std::ptrdiff_t outer_count, std::ptrdiff_t outer,
                        std::ptrdiff_t inner_count, std::ptrdiff_t inner) {
  if (outer_count == 0 || inner_count == 0) return std::size_t(offset);
  return std::size_t(offset + (outer_count - 1) * outer + (inner_count - 1) * inner + 1);
}

// A direct-mapped cache of reference values keyed by (a tag, x's bits): the fuzzer re-executes
// the same values over and over, and one MPFR evaluation costs tens of microseconds. Bounded
// size, so long campaigns do not grow.
template <class Value>
class ReferenceCache {
 public:
  template <class Compute>
  Value get(std::uint64_t tag, std::uint64_t key1, std::uint64_t key2, Compute compute) {
    std::uint64_t h =
        tag * 0x9E3779B97F4A7C15ULL ^ key1 * 0xC2B2AE3D27D4EB4FULL ^ key2 * 0x165667B19E3779F9ULL;
    h ^= h >> 29;
    Slot& s = slots_[h & (kSlots - 1)];
    if (!(s.used && s.tag == tag && s.key1 == key1 && s.key2 == key2)) {
      s.value = compute();
      s.tag = tag;
      s.key1 = key1;
      s.key2 = key2;
      s.used = true;
    }
    return s.value;
  }

 private:
  static constexpr std::size_t kSlots = std::size_t(1) << 16;
  struct Slot {
    std::uint64_t tag = 0, key1 = 0, key2 = 0;
    Value value{};
    bool used = false;
  };
  std::vector<Slot> slots_ = std::vector<Slot>(kSlots);
};

// Runs build(), which must throw std::invalid_argument with one of `messages` (exactly, as the
// error tests compare them). Returns normally if it did; aborts otherwise.
template <class Build>
void expect_invalid_argument(Build build, const std::vector<std::string>& messages,
                             const std::string& context) {
  std::string got;
  try {
    build();
  } catch (const std::invalid_argument& e) {
    got = e.what();
    for (const std::string& m : messages) {
      if (got == m) return;
    }
    std::string want;
    for (const std::string& m : messages) want += "\n    \"" + m + "\"";
    fail(context + ": std::invalid_argument with message\n    \"" + got + "\"\n  expected one of" +
         want);
  } catch (const std::exception& e) {
    fail(context + ": an exception other than std::invalid_argument: " + e.what());
  } catch (...) {
    fail(context + ": an exception other than std::invalid_argument");
  }
  fail(context + ": no exception; expected \"" + messages.front() + "\"");
}

}  // namespace activ_fuzz

// Every target skips, exit status 77, on a CPU without its ISA level. Defined by the target's
// first translation unit; a further one (fuzz_glu_fast.cpp) defines ACTIV_FUZZ_SECONDARY_UNIT.
#ifndef ACTIV_FUZZ_SECONDARY_UNIT
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* missing = activ_test::missing_cpu_feature()) {
    std::printf("SKIPPED: built for ISA level \"%s\", this CPU lacks %s\n", activ_test::kTestIsa,
                missing);
    std::exit(77);
  }
  return 0;
}
#endif
