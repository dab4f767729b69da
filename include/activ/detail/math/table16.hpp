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
// A product of 16-bit values with such a function (a GLU's value·Gate(gate), a backward pass's
// dy·f'(x)) is formed in float from f's float result, which a second table holds for every 16-bit
// input: 256 KiB of the precise float kernel's results, read by one gather of floats per packet
// (factor_gather16) in place of the kernel, the same values bit for bit.
//
// The tables are computed in the default floating-point environment (round to nearest, no
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
#include "activ/detail/math/tier.hpp"

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

/// A table computed on first use by Fill, in the default floating-point environment (thread-safe:
/// a function-local static per Fill).
template <class Table, void (*Fill)(Table&)>
const Table& computed_once() {
  static const Table* const table = [] {
    static Table storage;
    const DefaultFpEnvironment environment;
    Fill(storage);
    return &storage;
  }();
  return *table;
}

/// Fills `table` with F's 16-bit results in S16, through apply16 on S16's packets (or one lane at
/// a time where Eigen has none).
template <int kMaxUlp, class S16, class F>
void fill_table16(Table16& table) {
  const F f{};
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

/// F's table for S16, computed on first use.
template <int kMaxUlp, class S16, class F>
const std::uint16_t* table16() {
  return computed_once<Table16, fill_table16<kMaxUlp, S16, F>>().bits;
}

/// Whether a functor's 16-bit lanes read a table: a function without parameters (an empty
/// functor: one table serves every instance) whose results are not exact already (relu is
/// cheaper computed).
template <class F>
inline constexpr bool has_table16_v = std::is_empty_v<F> && !is_exact_functor<F>::value;

/// The float bound, in ULPs, of a functor's kernel, which the rounding of 16-bit results relies
/// on (storage16.hpp): 1 for the precise tier and for the exact functors, 4 for the fast tier.
template <class F>
struct float_max_ulp : std::integral_constant<int, 1> {};
template <template <Tier> class F, Tier T>
struct float_max_ulp<F<T>> : std::integral_constant<int, T == Tier::fast ? 4 : 1> {};

/// The functor whose tables a functor's 16-bit lanes read: its double evaluator's, the precise
/// tier's, as both tiers round every 16-bit result correctly, to the same value.
template <class F>
using table_key_t = std::decay_t<decltype(std::declval<const F&>().double_evaluator())>;

template <class F, class = void>
struct has_factor_table16 : std::false_type {};
template <class F>
struct has_factor_table16<F, std::void_t<table_key_t<F>>>
    : std::bool_constant<has_table16_v<table_key_t<F>>> {};
/// Whether a 16-bit product reads F's float results from a factor table: an activ functor (it has
/// a double evaluator) whose precise tier has 16-bit tables.
template <class F>
inline constexpr bool has_factor_table16_v = has_factor_table16<F>::value;

// (GCC warns that the vector attributes of __m512 & co. are dropped from template arguments
// (float packets); they only select a specialization, as everywhere in Eigen.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wignored-attributes"
#endif
/// The float bound of F's results as a 16-bit product uses them (factor16): the precise tier's
/// where they come from a factor table.
template <class F>
constexpr int factor_max_ulp16() {
  if constexpr (has_factor_table16_v<F>) {
    return float_max_ulp<table_key_t<F>>::value;
  } else {
    return float_max_ulp<F>::value;
  }
}

/// The float results of a 16-bit function for every input bit pattern.
struct FactorTable16 {
  EIGEN_ALIGN_MAX float values[65536];
};

/// Fills `table` with F's float kernel on every S16 input widened to float.
template <class S16, class F>
void fill_factor_table16(FactorTable16& table) {
  const F f{};
  using PacketF = typename ei::packet_traits<float>::type;
  constexpr int kSize = ei::unpacket_traits<PacketF>::size;
  EIGEN_ALIGN_MAX float in[kSize];
  for (int base = 0; base < 65536; base += kSize) {
    for (int i = 0; i < kSize; ++i) {
      in[i] =
          static_cast<float>(Eigen::numext::bit_cast<S16>(static_cast<std::uint16_t>(base + i)));
    }
    ei::pstore(table.values + base, f.float_kernel()(ei::pload<PacketF>(in)).value);
  }
}

/// F's factor table for S16, computed on first use.
template <class S16, class F>
const float* factor_table16() {
  return computed_once<FactorTable16, fill_factor_table16<S16, F>>().values;
}

/// F(x) in float for float lanes x that hold S16 values, as a 16-bit product uses it
/// (product16.hpp): read from F's factor table where it has one (a NaN lane: x itself, as every
/// activ kernel returns it), F's float kernel otherwise.
template <class S16, class F, class PacketF>
EIGEN_STRONG_INLINE Float16Result<PacketF> factor16(const F& f, const PacketF& x) {
  if constexpr (has_factor_table16_v<F>) {
    const PacketF looked_up =
        factor_gather16<S16, PacketF>::lookup(factor_table16<S16, table_key_t<F>>(), x);
    return within_bound(ei::pselect(ei::pcmp_eq(x, x), looked_up, x));
  } else {
    return float_result16(f, x);
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

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
