// 16-bit lanes of a function without parameters: its 65 536 results, read from a table.
//
// A function of one bfloat16 or half input has 65 536 inputs, so its correctly rounded results
// (storage16.hpp: the float kernel, the double evaluation where the float result may misround)
// fit a table of 128 KiB. It is computed once per process, on first use, by that same path, and
// every later evaluation reads it: one gather per packet where the instruction set has one
// (table_gather16, specialized under arch/), one load per lane elsewhere. The results are the
// ones the computation gives, bit for bit, scalar and packet paths alike, at a few times the
// speed of the float kernel.
//
// The table is computed in the default floating-point environment (round to nearest, no
// flush-to-zero, no denormals-are-zero), whatever the caller's, which is restored afterwards with
// its exception flags: so 16-bit results are correctly rounded in every environment, and the
// first call's environment cannot leave its mark on later ones.
#pragma once

#include <cfenv>
#include <cstdint>
#include <type_traits>

#include "activ/detail/math/packet.hpp"
#include "activ/detail/math/product16.hpp"
#include "activ/detail/math/storage16.hpp"

namespace activ {
namespace detail {

/// One entry per 16-bit input, and one more: a 32-bit gather at the last index reads two.
inline constexpr int kTable16Entries = 65536 + 1;

/// Sets the default floating-point environment for its lifetime and restores the caller's,
/// exception flags included.
class DefaultFpEnvironment {
 public:
  DefaultFpEnvironment() {
    std::fegetenv(&saved_);
    std::fesetenv(FE_DFL_ENV);
  }
  ~DefaultFpEnvironment() { std::fesetenv(&saved_); }
  DefaultFpEnvironment(const DefaultFpEnvironment&) = delete;
  DefaultFpEnvironment& operator=(const DefaultFpEnvironment&) = delete;

 private:
  std::fenv_t saved_;
};

/// The results of a 16-bit function for every input bit pattern, as bit patterns.
struct Table16 {
  std::uint16_t bits[kTable16Entries];
};

/// Fills `table` with F's 16-bit results in S16, through apply16 on S16's packets (or one lane at
/// a time where Eigen has none).
template <int kMaxUlp, class S16, class F>
void fill_table16(const F& f, Table16& table) {
  const DefaultFpEnvironment environment;
  using Packet16 = typename ei::packet_traits<S16>::type;
  constexpr int kSize = ei::unpacket_traits<Packet16>::size;
  EIGEN_ALIGN_MAX S16 in[kSize], out[kSize];
  for (int base = 0; base < 65536; base += kSize) {
    for (int i = 0; i < kSize; ++i) {
      in[i] = Eigen::numext::bit_cast<S16>(static_cast<std::uint16_t>(base + i));
    }
    if constexpr (kSize > 1) {
      ei::pstore(out, apply16<kMaxUlp>(f.float_kernel(), f.exact16(), ei::pload<Packet16>(in)));
    } else {
      out[0] = apply16_scalar<kMaxUlp>(f.float_kernel(), f.exact16(), in[0]);
    }
    for (int i = 0; i < kSize; ++i) {
      table.bits[base + i] = Eigen::numext::bit_cast<std::uint16_t>(out[i]);
    }
  }
  table.bits[65536] = 0;
}

/// F's table for S16, computed on first use (thread-safe: a function-local static).
template <int kMaxUlp, class S16, class F>
const std::uint16_t* table16() {
  static const Table16* const table = [] {
    static Table16 storage;
    fill_table16<kMaxUlp, S16>(F{}, storage);
    return &storage;
  }();
  return table->bits;
}

/// Whether a functor's 16-bit lanes read a table: a function without parameters (an empty
/// functor: one table serves every instance) whose results are not exact already (relu is
/// cheaper computed).
template <class F>
inline constexpr bool has_table16_v = std::is_empty_v<F> && !is_exact_functor<F>::value;

/// x looked up in F's table: one lane, or a packet of 16-bit lanes.
template <int kMaxUlp, class F, class X>
EIGEN_STRONG_INLINE X lookup16(const X& x) {
  if constexpr (is_storage16_v<X>) {
    const std::uint16_t* table = table16<kMaxUlp, X, F>();
    return Eigen::numext::bit_cast<X>(table[Eigen::numext::bit_cast<std::uint16_t>(x)]);
  } else {
    return table_gather16<X>::lookup(table16<kMaxUlp, scalar_of<X>, F>(), x);
  }
}

}  // namespace detail
}  // namespace activ
