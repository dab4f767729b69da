// The derivatives and backward passes: activ::gelu_derivative, gelu_tanh_derivative,
// sigmoid_derivative, silu_derivative, swish_derivative, relu_derivative, the functors
// GeluDerivative, ..., SwishBetaDerivative (∂swish/∂β), ReluDerivative, the backward functions
// f_backward(dy, x) = dy ⊗ f'(x) and swish_backward_beta, and their twins in activ::fast.
//
//  1. float accuracy, both tiers, against long double closed forms rounded to float
//     (support/derivative_reference.hpp; MPFR at rounding ties), on ~4·10^5 inputs: every binade
//     of both signs, [-16, 16], the tails where f' underflows, and around each zero of f' (uniform in ±0.01, and log-uniform in
//     the distance from 2^-16 to 2^-5 on both sides, where the error is largest near the edge);
//  2. float64 accuracy, both tiers, against MPFR at 256 bits (cached, support/reference_cache.hpp)
//     on support/sampling.hpp's double_sample(), around each zero of f', and on 10^5 inputs in
//     each range where an intermediate underflows while f' is a nonzero number;
//     within kZeroRadius<T> of a zero x0 of f' the error is absolute, in ULPs of
//     min(|f'(x0 - r)|, |f'(x0 + r)|), r = kZeroRadius<T>, elsewhere in ULPs of the result;
//  3. the special values of the derivatives, exactly, through the packet and the scalar path;
//  4. the packet path equals the scalar path bit for bit, whatever the position of an element;
//  5. backward = dy * f'(x) bit for bit on every dense kind; a dy of another shape throws;
//  6. gradient checks: backward against central differences of activ's forward functions;
//  7. Eigen::bfloat16 and Eigen::half: every input gives MPFR's value correctly rounded, and the
//     backward functions MPFR's dy·f'(x) correctly rounded (dy from x's bits, reaching the
//     subnormals for bfloat16).
// The bounds are in one table below (kBound*). Built with ACTIV_TEST_EMULATED (cross builds run
// under qemu, where MPFR and long double are ~50x slower) or with AddressSanitizer (which looks for
// memory errors, not rounding ones: the sample's size adds nothing there) the samples are much
// smaller, still covering every binade, tail and zero.
#include <activ/activ.hpp>
#include <activ/tensor.hpp>

#include "support/derivative_reference.hpp"
#include "support/derivatives.hpp"
#include "support/errors.hpp"
#include "support/isa_guard.hpp"
#include "support/parallel.hpp"
#include "support/reference_cache.hpp"
#include "support/sampling.hpp"
#include "support/sanitizers.hpp"
#include "support/storage16.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#ifndef ACTIV_TEST_EMULATED
#define ACTIV_TEST_EMULATED 0
#endif

namespace activ_test {
namespace {

inline constexpr bool kSmallSamples = ACTIV_TEST_EMULATED != 0 || ACTIV_TEST_SANITIZED != 0;

using Eigen::Dynamic;
using Eigen::Index;

using G = Derivative;
using AllDerivatives =
    ::testing::Types<D<G::gelu>, D<G::gelu_tanh>, D<G::sigmoid>, D<G::silu>, D<G::swish, 500>,
                     D<G::swish, 1702>, D<G::swish, 2000>, D<G::swish_beta, 500>,
                     D<G::swish_beta, 1702>, D<G::swish_beta, 2000>, D<G::relu>, FastD<G::gelu>,
                     FastD<G::gelu_tanh>, FastD<G::sigmoid>, FastD<G::silu>, FastD<G::swish, 500>,
                     FastD<G::swish, 1702>, FastD<G::swish, 2000>, FastD<G::swish_beta, 500>,
                     FastD<G::swish_beta, 1702>, FastD<G::swish_beta, 2000>>;

struct DerivativeName {
  template <class Dn>
  static std::string GetName(int) {
    return Dn::test_name();
  }
};

// ---------------------------------------------------------------------------------------------
// Measurement: ULP distance outside the zero neighbourhood, absolute error in its units inside.

template <class T>
std::string hexval(T x) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%a (%.*g)", double(x), std::is_same_v<T, float> ? 9 : 17,
                double(x));
  return buf;
}

template <class T>
struct Measurement {
  std::uint64_t max_ulp = 0;  // outside the zero neighbourhood
  T worst_x{}, worst_got{}, worst_want{};
  long double max_units = 0;  // inside it: |got - want| / unit
  T worst_zero_x{};
  std::size_t near_zero = 0, over = 0;
  std::vector<std::string> first_over;

  std::string summary(const std::optional<ZeroNeighbourhood>& zero) const {
    std::string s =
        "max " + (max_ulp == kNanMismatch ? std::string("NaN-mismatch") : std::to_string(max_ulp)) +
        " ULP";
    if (max_ulp > 0) {
      s += " at x = " + hexval(worst_x) + " (got " + hexval(worst_got) + ", want " +
           hexval(worst_want) + ")";
    }
    if (zero) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "; within 2^%d of the zero %.12Lg (%zu inputs): max %.3Lg",
                    std::ilogb(zero->radius), zero->x0, near_zero, max_units);
      s += buf;
      s += " units of " + hexval(static_cast<T>(zero->unit));
      if (max_units > 0) s += " at x = " + hexval(worst_zero_x);
    }
    return s;
  }
};

template <class T>
Measurement<T> measure(const std::vector<T>& xs, const std::vector<T>& got,
                       const std::vector<T>& want, std::uint64_t bound,
                       const std::optional<ZeroNeighbourhood>& zero) {
  Measurement<T> m;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const T x = xs[i];
    bool bad;
    std::string err;
    if (zero && zero->contains(x) && !std::isnan(got[i])) {
      ++m.near_zero;
      const long double units =
          std::fabs(static_cast<long double>(got[i]) - static_cast<long double>(want[i])) /
          zero->unit;
      if (units > m.max_units) {
        m.max_units = units;
        m.worst_zero_x = x;
      }
      bad = units > static_cast<long double>(bound);
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.3Lg units of the zero neighbourhood", units);
      err = buf;
    } else {
      const std::uint64_t d = ulp_distance(got[i], want[i]);
      if (d > m.max_ulp) {
        m.max_ulp = d;
        m.worst_x = x;
        m.worst_got = got[i];
        m.worst_want = want[i];
      }
      bad = d > bound;
      err = d == kNanMismatch ? "NaN mismatch" : std::to_string(d) + " ULP";
    }
    if (bad && ++m.over <= 8) {
      m.first_over.push_back("x = " + show(x) + ": got " + show(got[i]) + ", want " +
                             show(want[i]) + " (" + err + ")");
    }
  }
  return m;
}

// Prints the measurement (the engineer reads the measured maxima here) and fails over the bound.
template <class T>
void expect_within(const std::string& what, const std::vector<T>& xs, const std::vector<T>& got,
                   const std::vector<T>& want, std::uint64_t bound,
                   const std::optional<ZeroNeighbourhood>& zero) {
  ASSERT_EQ(got.size(), xs.size());
  ASSERT_EQ(want.size(), xs.size());
  const Measurement<T> m = measure(xs, got, want, bound, zero);
  std::printf("[measured] %-44s %zu inputs: %s\n", what.c_str(), xs.size(),
              m.summary(zero).c_str());
  std::fflush(stdout);
  std::string first;
  for (const auto& s : m.first_over) first += "\n  " + s;
  EXPECT_EQ(m.over, 0u) << what << ": " << m.over << " inputs over " << bound << " ULP; "
                        << m.summary(zero) << first;
}

template <class Dn, class T>
std::vector<T> packet_results(const std::vector<T>& xs) {
  using Column = Eigen::Array<T, Dynamic, 1>;
  std::vector<T> out(xs.size());
  Eigen::Map<Column>(out.data(), Index(out.size())) =
      Dn::derivative(Eigen::Map<const Column>(xs.data(), Index(xs.size())));
  return out;
}

template <class Dn, class T>
std::vector<T> scalar_results(const std::vector<T>& xs) {
  const auto f = Dn::functor();
  std::vector<T> out(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) out[i] = f(xs[i]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// References (nothing from activ)

// f' correctly rounded to float: the long double closed form, rounded once, MPFR at ties.
template <class Dn>
float float_reference(float x) {
  const double beta = Dn::template beta_at<float>();
  if (!std::isfinite(x)) return static_cast<float>(derivative_limit(Dn::kKind, x));
  const long double v = ld::derivative(Dn::kKind, x, beta);
  return round_to_float(double(v),
                        [&] { return mpfr_derivatives().value<float>(Dn::kKind, x, beta); });
}

template <class Dn>
double mpfr_double_reference(double x) {
  return mpfr_derivatives().value<double>(Dn::kKind, x, Dn::template beta_at<double>());
}

// ---------------------------------------------------------------------------------------------
// The samples

// ~4·10^5 floats (small samples: ~3·10^4): every binade of both signs, [-16, 16], the tails of both
// signs out to where every f' tested has underflowed (gelu' near -14.5, gelu_tanh' -10.3,
// sigmoid' ±104, silu' -108.5, swish' β=0.5 -217, ∂swish/∂β β=0.5 ±230), denser where the
// results turn subnormal, and around every zero of f' with the 64 floats nearest it on
// each side.
const std::vector<float>& float_inputs() {
  static const std::vector<float> sample = [] {
    const std::size_t s = kSmallSamples ? 16 : 1;  // the small samples' divisor
    std::mt19937_64 rng(0xde71f10aULL);
    std::vector<float> out = edge_values<float>();
    append_binades(out, 128 / s, rng);
    append_dense<float>(out, -16.0, 16.0, (std::size_t(1) << 17) / s, rng);
    append_dense<float>(out, -240.0, -16.0, (std::size_t(1) << 15) / s, rng);
    append_dense<float>(out, 16.0, 240.0, (std::size_t(1) << 15) / s, rng);
    append_dense<float>(out, -15.0, -13.5, (std::size_t(1) << 14) / s, rng);    // gelu'
    append_dense<float>(out, -11.0, -9.5, (std::size_t(1) << 14) / s, rng);     // gelu_tanh'
    append_dense<float>(out, -112.0, -100.0, (std::size_t(1) << 14) / s, rng);  // sigmoid', silu'
    append_dense<float>(out, -232.0, -200.0, (std::size_t(1) << 14) / s, rng);  // swish' β=0.5
    for (long double x0 : all_zeros<float>())
      append_zero_neighbourhood<float>(out, x0, (std::size_t(1) << 14) / s, 64, rng);
    return out;
  }();
  return sample;
}

// support/sampling.hpp's double_sample() (small samples: every k-th of it, ~2·10^4 inputs) and
// around every zero of f' with the 64 doubles nearest it on each side.
const std::vector<double>& double_inputs() {
  static const std::vector<double> sample = [] {
    std::vector<double> out;
    const std::vector<double> all = double_sample();
    if (kSmallSamples) {
      const std::size_t stride = all.size() / 20000 + 1;
      for (std::size_t i = 0; i < all.size(); i += stride) out.push_back(all[i]);
      for (double x : edge_values<double>()) out.push_back(x);
    } else {
      out = all;
    }
    std::mt19937_64 rng(0xde71f64ULL);
    for (long double x0 : all_zeros<double>())
      append_zero_neighbourhood<double>(out, x0, kSmallSamples ? 256 : 4096, 64, rng);
    return out;
  }();
  return sample;
}

// The ranges where an intermediate of f' underflows while f' is a nonzero double (on x < 0:
// e^x, e^(-x²/2) or e^z is subnormal, or f' itself is): gelu' [-38.7, -36], gelu_tanh'
// [-21.3, -20.8], sigmoid' and silu' [-750, -700], swish' [-750/β, -700/β]; sigmoid' and
// ∂swish/∂β are even, so their mirror images too; ∂swish/∂β = x²·σσ reaches zero later,
// [-770/β, -700/β].
struct Range {
  double lo, hi;
};
inline std::vector<Range> double_extreme_ranges(Derivative d, double beta) {
  switch (d) {
    case Derivative::gelu: return {{-38.7, -36.0}};
    case Derivative::gelu_tanh: return {{-21.3, -20.8}};
    case Derivative::sigmoid: return {{-750.0, -700.0}, {700.0, 750.0}};
    case Derivative::silu: return {{-750.0, -700.0}};
    case Derivative::swish: return {{-750.0 / beta, -700.0 / beta}};
    case Derivative::swish_beta: return {{-770.0 / beta, -700.0 / beta}, {700 / beta, 770 / beta}};
    case Derivative::relu: return {};
  }
  return {};
}

inline constexpr std::size_t kPerExtremeRange = kSmallSamples ? 2000 : 100000;

template <class Dn>
const std::vector<double>& double_extreme_inputs() {
  static const std::vector<double> sample = [] {
    std::mt19937_64 rng(0xe7e3ULL + std::uint64_t(Dn::kKind));
    std::vector<double> out;
    for (const Range& r : double_extreme_ranges(Dn::kKind, Dn::kBeta))
      append_dense<double>(out, r.lo, r.hi, kPerExtremeRange, rng);
    return out;
  }();
  return sample;
}

// ---------------------------------------------------------------------------------------------
// The MPFR references, cached (support/reference_cache.hpp) under "derivative-<function>...":
// both tiers and every ISA variant share them. The names change ("derivative2-") when a formula
// of support/derivative_reference.hpp does: the cache key covers the inputs, not the formulas.

// The float sample's every 16th input, for checking the long double closed forms.
const std::vector<float>& float_check_inputs() {
  static const std::vector<float> xs = [] {
    std::vector<float> out;
    const auto& all = float_inputs();
    for (std::size_t i = 0; i < all.size(); i += 16) out.push_back(all[i]);
    return out;
  }();
  return xs;
}

template <class Precise>
std::vector<float> float_check_references() {
  return cached_references("derivative-float-" + Precise::base_name(), float_check_inputs(),
                           [](float x) {
                             return mpfr_derivatives().value<float>(
                                 Precise::kKind, x, Precise::template beta_at<float>());
                           });
}

template <class Precise>
std::vector<double> double_references() {
  return cached_references("derivative-" + Precise::base_name(), double_inputs(),
                           mpfr_double_reference<Precise>);
}

template <class Precise>
std::vector<double> double_extreme_references() {
  return cached_references("derivative-" + Precise::base_name() + "-extreme",
                           double_extreme_inputs<Precise>(), mpfr_double_reference<Precise>);
}

// Every bit pattern of T (small samples: every 32nd, and the special values).
template <class T>
const std::vector<T>& inputs16() {
  static const std::vector<T> xs = [] {
    std::vector<T> out;
    const std::uint32_t step = kSmallSamples ? 32 : 1;
    for (std::uint32_t b = 0; b < 65536; b += step) out.push_back(from_bits16<T>(b));
    if (kSmallSamples) {
      const float inf = std::numeric_limits<float>::infinity();
      for (float v : {inf, -inf, 0.0f, -0.0f, 1.0f, -1.0f}) out.push_back(T(v));
    }
    return out;
  }();
  return xs;
}

// MPFR's value correctly rounded to T (MpfrReference::rounded16), NaN: the input itself.
template <class Precise, class T>
std::vector<T> references16() {
  return cached_references(
      "derivative16-" + Precise::base_name() + "-" + type_name16<T>(), inputs16<T>(), [](T x) {
        if (Eigen::numext::isnan(x)) return x;
        return mpfr_derivatives().value<T>(Precise::kKind, double(static_cast<float>(x)),
                                           Precise::template beta_at<T>());
      });
}

// The backward functions on 16-bit lanes: dy·f'(x) formed in float and rounded once, correctly
// (not dy times f'(x) rounded to 16 bits first). dy comes from x's bits: ±(1 + m/128)·2^e, exact
// in both types, e in [-10, 10]; for every 8th bfloat16 input e in [-120, 120], where the product
// reaches the subnormals.
template <class T>
T dy_for16(T x) {
  std::uint32_t h = std::uint32_t(bits16(x)) * 2654435761u;  // Knuth's multiplicative hash
  h ^= h >> 15;
  const int m = int(h & 127);
  const bool wide = std::is_same_v<T, Eigen::bfloat16> && ((h >> 7) & 7) == 0;
  const int e = wide ? int((h >> 10) % 241) - 120 : int((h >> 10) % 21) - 10;
  const float dy = std::ldexp(1.0f + float(m) / 128.0f, e);
  return T((h >> 31) ? -dy : dy);
}

// dy·f'(x) in MPFR, rounded once to T (the calling thread's factor register).
template <class Precise, class T>
T backward_reference16(T x) {
  struct Factor {
    mpfr_t f;
    Factor() { mpfr_init2(f, 64); }
    ~Factor() { mpfr_clear(f); }
  };
  thread_local Factor factor;
  mpfr_set_d(factor.f, double(static_cast<float>(dy_for16(x))), MPFR_RNDN);
  return mpfr_derivatives().scaled<T>(Precise::kKind, double(static_cast<float>(x)),
                                      Precise::template beta_at<T>(), factor.f);
}

// The finite and infinite 16-bit inputs of the backward test, and their references (cached).
template <class T>
const std::vector<T>& backward_inputs16() {
  static const std::vector<T> xs = [] {
    std::vector<T> out;
    for (T x : inputs16<T>()) {
      if (!Eigen::numext::isnan(x)) out.push_back(x);
    }
    return out;
  }();
  return xs;
}
template <class Precise, class T>
std::vector<T> backward_references16() {
  return cached_references("backward16-" + Precise::base_name() + "-" + type_name16<T>(),
                           backward_inputs16<T>(), backward_reference16<Precise, T>);
}

// ---------------------------------------------------------------------------------------------
// 0. The references themselves

// The precise descriptors, one per function.
using PreciseList =
    std::tuple<D<G::gelu>, D<G::gelu_tanh>, D<G::sigmoid>, D<G::silu>, D<G::swish, 500>,
               D<G::swish, 1702>, D<G::swish, 2000>, D<G::swish_beta, 500>, D<G::swish_beta, 1702>,
               D<G::swish_beta, 2000>, D<G::relu>>;

template <class F, std::size_t... I>
void for_each_precise_impl(F&& f, std::index_sequence<I...>) {
  (f(std::tuple_element_t<I, PreciseList>{}), ...);
}
template <class F>
void for_each_precise(F&& f) {
  for_each_precise_impl(f, std::make_index_sequence<std::tuple_size_v<PreciseList>>{});
}

// Fills the cache with every MPFR reference of this file (about a minute of CPU, once). Run alone
// first (--gtest_filter=DerivativeReferenceCache.*, the CTest fixture test_derivatives_reference),
// it spares the ISA variants the work, even when they run in parallel.
TEST(DerivativeReferenceCache, HoldsEveryFunction) {
  if (reference_cache_dir().empty()) GTEST_SKIP() << "ACTIV_TEST_CACHE_DIR is empty: no cache";
  for_each_precise([&](auto dn) {
    using Dn = decltype(dn);
    EXPECT_EQ(float_check_references<Dn>().size(), float_check_inputs().size());
    EXPECT_EQ(double_references<Dn>().size(), double_inputs().size());
    EXPECT_EQ(double_extreme_references<Dn>().size(), double_extreme_inputs<Dn>().size());
    EXPECT_EQ((references16<Dn, Eigen::bfloat16>().size()), inputs16<Eigen::bfloat16>().size());
    EXPECT_EQ((references16<Dn, Eigen::half>().size()), inputs16<Eigen::half>().size());
    EXPECT_EQ((backward_references16<Dn, Eigen::bfloat16>().size()),
              backward_inputs16<Eigen::bfloat16>().size());
    EXPECT_EQ((backward_references16<Dn, Eigen::half>().size()),
              backward_inputs16<Eigen::half>().size());
  });
}

// The long double closed forms (the float references) agree with MPFR to the last bit of a
// float, on every 16th input of the float sample outside the zero neighbourhoods (cached: MPFR's
// erfc is slow), and within an ULP of the neighbourhood's unit inside.
TEST(DerivativeReferences, LongDoubleClosedFormsRoundLikeMpfr) {
  const auto& xs = float_check_inputs();
  for_each_precise([&](auto dn) {
    using Dn = decltype(dn);
    const std::vector<float> mpfr = float_check_references<Dn>();
    std::vector<float> closed(xs.size());
    for (std::size_t i = 0; i < xs.size(); ++i) closed[i] = float_reference<Dn>(xs[i]);
    expect_within(Dn::label() + " float reference vs MPFR", xs, closed, mpfr, 0,
                  zero_neighbourhood<Dn, float>());
  });
}

// Each closed form is the derivative of the forward reference of support/reference.hpp (ref::,
// in long double), by a fourth-order central difference, on [-8, 8].
TEST(DerivativeReferences, ClosedFormsAreTheDerivativesOfTheForwardReferences) {
  for_each_precise([&](auto dn) {
    using Dn = decltype(dn);
    const long double beta = Dn::kBeta;
    for (int k = -160; k <= 160; ++k) {
      const long double x = k / 20.0L + 0.0123L;
      const bool wrt_beta = Dn::kKind == Derivative::swish_beta;
      const long double at = wrt_beta ? beta : x;
      const long double h = 0x1p-14L * std::max(1.0L, std::fabs(at));
      auto F = [&](long double v) {
        return wrt_beta ? ld::forward(Dn::kKind, x, v) : ld::forward(Dn::kKind, v, beta);
      };
      const long double fd =
          (8 * (F(at + h) - F(at - h)) - (F(at + 2 * h) - F(at - 2 * h))) / (12 * h);
      const long double want = ld::derivative(Dn::kKind, x, beta);
      EXPECT_NEAR(double(fd), double(want), 1e-9 * (1 + std::fabs(double(want))))
          << Dn::label() << " at x = " << double(x);
    }
  });
}

// Each zero is a sign change of the MPFR derivative, and MPFR's value at the nearest double is
// within a few ULPs of x0 times the slope of zero; the zeros are printed.
TEST(DerivativeReferences, ZerosOfTheDerivativesAreSignChanges) {
  for_each_precise([&](auto dn) {
    using Dn = decltype(dn);
    const auto z = zero_neighbourhood<Dn, double>();
    if (!z) return;
    const double beta = Dn::template beta_at<double>();
    auto mpfr = [&](long double x) {
      return mpfr_derivatives().value<double>(Dn::kKind, double(x), beta);
    };
    EXPECT_LT(mpfr(z->x0 - z->radius), 0) << Dn::label();
    EXPECT_GT(mpfr(z->x0 + z->radius), 0) << Dn::label();
    EXPECT_LT(std::fabs(mpfr(z->x0)), 1e-15) << Dn::label();
    const auto zf = zero_neighbourhood<Dn, float>();
    std::printf("[zero] %-28s x0 = %.17Lg (float beta: %.9Lg); unit double %La, float %La\n",
                Dn::label().c_str(), z->x0, zf->x0, z->unit, zf->unit);
  });
  // The known locations (rounded): gelu' -0.7518, gelu_tanh' -0.75, silu' -1.27846.
  EXPECT_NEAR(double(*zero_of(Derivative::gelu, 1)), -0.7518, 1e-3);
  EXPECT_NEAR(double(*zero_of(Derivative::gelu_tanh, 1)), -0.75, 1e-2);
  EXPECT_NEAR(double(*zero_of(Derivative::silu, 1)), -1.27846, 1e-5);
}

TEST(DerivativeSamples, FloatSampleCoversEveryBinadeTailsAndZeros) {
  const auto& xs = float_inputs();
  std::printf("float sample: %zu inputs\n", xs.size());
  std::vector<bool> strata(512);
  for (float x : xs) strata[bits_of(x) >> 23] = true;
  EXPECT_EQ(std::count(strata.begin(), strata.end(), true), 512);
  auto count_in = [&](float lo, float hi) {
    return std::count_if(xs.begin(), xs.end(), [=](float x) { return x >= lo && x <= hi; });
  };
  const std::ptrdiff_t n = kSmallSamples ? 50 : 1000;
  EXPECT_GE(count_in(-14.8f, -14.2f), n);    // gelu' underflows
  EXPECT_GE(count_in(-110.f, -104.f), n);    // sigmoid', silu'
  EXPECT_GE(count_in(-222.f, -215.f), n);    // swish' β = 0.5
  EXPECT_GE(count_in(225.f, 235.f), n / 4);  // ∂swish/∂β β = 0.5, x > 0
  for (long double x0 : all_zeros<float>()) {
    EXPECT_GE(count_in(float(x0 - kZeroRadius<float>), float(x0 + kZeroRadius<float>)), 2 * n);
  }
}

TEST(DerivativeSamples, DoubleSampleCoversEveryBinadeAndZeros) {
  const auto& xs = double_inputs();
  std::printf("double sample: %zu inputs\n", xs.size());
  if (!kSmallSamples) {
    EXPECT_GE(xs.size(), std::size_t(1000000));
    std::vector<bool> strata(4096);
    for (double x : xs) strata[bits_of(x) >> 52] = true;
    EXPECT_EQ(std::count(strata.begin(), strata.end(), true), 4096);
  }
  for (long double x0 : all_zeros<double>()) {
    EXPECT_GE(std::count_if(xs.begin(), xs.end(),
                            [&](double x) { return std::fabs(x - x0) <= kZeroRadius<double>; }),
              kSmallSamples ? 50 : 800);
  }
}

// ---------------------------------------------------------------------------------------------
// 1. float accuracy

// The float references of a function, shared by both tiers.
template <class Precise>
const std::vector<float>& float_references() {
  static const std::vector<float> r = [] {
    const auto& xs = float_inputs();
    std::vector<float> out(xs.size());
    parallel_for(xs.size(), [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) out[i] = float_reference<Precise>(xs[i]);
    });
    return out;
  }();
  return r;
}

template <class Dn>
class FloatAccuracy : public ::testing::Test {};
TYPED_TEST_SUITE(FloatAccuracy, AllDerivatives, DerivativeName);

TYPED_TEST(FloatAccuracy, PacketPath) {
  using Dn = TypeParam;
  const auto& xs = float_inputs();
  expect_within(Dn::label() + " float packet", xs, packet_results<Dn>(xs),
                float_references<typename Dn::Precise>(), derivative_bound<Dn, float>(),
                zero_neighbourhood<Dn, float>());
}

TYPED_TEST(FloatAccuracy, ScalarPath) {
  using Dn = TypeParam;
  const auto& xs = float_inputs();
  expect_within(Dn::label() + " float scalar", xs, scalar_results<Dn>(xs),
                float_references<typename Dn::Precise>(), derivative_bound<Dn, float>(),
                zero_neighbourhood<Dn, float>());
}

// ---------------------------------------------------------------------------------------------
// 2. float64 accuracy

template <class Dn>
class DoubleAccuracy : public ::testing::Test {
 protected:
  using Precise = typename Dn::Precise;
  static void SetUpTestSuite() {
    references_ = double_references<Precise>();
    extreme_references_ = double_extreme_references<Precise>();
  }
  static void TearDownTestSuite() {
    std::vector<double>().swap(references_);
    std::vector<double>().swap(extreme_references_);
  }
  static inline std::vector<double> references_, extreme_references_;
};
TYPED_TEST_SUITE(DoubleAccuracy, AllDerivatives, DerivativeName);

TYPED_TEST(DoubleAccuracy, PacketPath) {
  using Dn = TypeParam;
  const auto& xs = double_inputs();
  expect_within(Dn::label() + " double packet", xs, packet_results<Dn>(xs), this->references_,
                derivative_bound<Dn, double>(), zero_neighbourhood<Dn, double>());
}

TYPED_TEST(DoubleAccuracy, ScalarPath) {
  using Dn = TypeParam;
  const auto& xs = double_inputs();
  expect_within(Dn::label() + " double scalar", xs, scalar_results<Dn>(xs), this->references_,
                derivative_bound<Dn, double>(), zero_neighbourhood<Dn, double>());
}

TYPED_TEST(DoubleAccuracy, ExtremeRangesPacketPath) {
  using Dn = TypeParam;
  const auto& xs = double_extreme_inputs<typename Dn::Precise>();
  if (xs.empty()) GTEST_SKIP() << "no intermediate underflows";
  expect_within(Dn::label() + " double extremes packet", xs, packet_results<Dn>(xs),
                this->extreme_references_, derivative_bound<Dn, double>(), std::nullopt);
}

TYPED_TEST(DoubleAccuracy, ExtremeRangesScalarPath) {
  using Dn = TypeParam;
  const auto& xs = double_extreme_inputs<typename Dn::Precise>();
  if (xs.empty()) GTEST_SKIP() << "no intermediate underflows";
  expect_within(Dn::label() + " double extremes scalar", xs, scalar_results<Dn>(xs),
                this->extreme_references_, derivative_bound<Dn, double>(), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// 3. special values

template <class T>
std::string bits_text(T x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a [bits 0x%llx]", double(x),
                static_cast<unsigned long long>(bits_of(x)));
  return buf;
}

template <class T>
std::vector<T> special_inputs() {
  using L = std::numeric_limits<T>;
  using U = UIntOf<T>;
  const U quiet = bits_of(L::quiet_NaN());
  return {L::quiet_NaN(),
          -L::quiet_NaN(),
          from_bits<T>(quiet | 0x15),  // a payload
          L::signaling_NaN(),
          L::infinity(),
          -L::infinity(),
          T(0.0),
          T(-0.0)};
}

// The table: NaN → the same NaN; ±inf → the limits; ±0 → f'(0).
template <class Dn, class T>
T expected_special(T x) {
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return static_cast<T>(derivative_limit(Dn::kKind, double(x)));
  switch (Dn::kKind) {
    case Derivative::sigmoid: return T(0.25);
    case Derivative::swish_beta:
    case Derivative::relu: return T(0.0);
    default: return T(0.5);
  }
}

template <class Dn, class T>
::testing::AssertionResult meets_table(T x, T got) {
  const T want = expected_special<Dn, T>(x);
  if (bits_of(got) == bits_of(want)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << Dn::label() << "(" << bits_text(x)
                                       << ") = " << bits_text(got) << ", want " << bits_text(want);
}

template <class Dn, class T>
void expect_special_values_scalar() {
  const auto f = Dn::functor();
  for (T x : special_inputs<T>()) EXPECT_TRUE((meets_table<Dn, T>(x, f(x))));
}

// 67 elements: whole packets of every width followed by a scalar tail; the special value at
// every position among ordinary ones, and an array of nothing else.
template <class Dn, class T>
void expect_special_values_packet() {
  using Column = Eigen::Array<T, Dynamic, 1>;
  constexpr Index kSize = 67;
  const T ordinary = T(1.25);
  const Column ordinary_out = Dn::derivative(Column::Constant(kSize, ordinary));
  for (T x : special_inputs<T>()) {
    for (Index pos = 0; pos < kSize; ++pos) {
      Column in = Column::Constant(kSize, ordinary);
      in(pos) = x;
      const Column out = Dn::derivative(in);
      EXPECT_TRUE((meets_table<Dn, T>(x, out(pos)))) << "at position " << pos;
      for (Index i = 0; i < kSize; ++i) {
        if (i == pos) continue;
        ASSERT_TRUE(bit_identical(out(i), ordinary_out(i)))
            << Dn::label() << ": the ordinary element " << i << " changed to " << bits_text(out(i))
            << " next to " << bits_text(x) << " at " << pos;
      }
    }
    const Column out = Dn::derivative(Column::Constant(kSize, x));
    for (Index i = 0; i < kSize; ++i) {
      EXPECT_TRUE((meets_table<Dn, T>(x, out(i)))) << "in an array of copies, at " << i;
    }
  }
}

template <class Dn>
class SpecialValues : public ::testing::Test {};
TYPED_TEST_SUITE(SpecialValues, AllDerivatives, DerivativeName);

TYPED_TEST(SpecialValues, FloatScalarPath) { expect_special_values_scalar<TypeParam, float>(); }
TYPED_TEST(SpecialValues, DoubleScalarPath) { expect_special_values_scalar<TypeParam, double>(); }
TYPED_TEST(SpecialValues, FloatPacketPath) { expect_special_values_packet<TypeParam, float>(); }
TYPED_TEST(SpecialValues, DoublePacketPath) { expect_special_values_packet<TypeParam, double>(); }

// ---------------------------------------------------------------------------------------------
// 4. packet path == scalar path

template <class Dn, class T>
void expect_packet_equals_scalar() {
  using Column = Eigen::Array<T, Dynamic, 1>;
  const std::vector<T> hv = hard_values<T>();
  const Column x = Eigen::Map<const Column>(hv.data(), Index(hv.size()));
  const Column packet = Dn::derivative(x);
  const Column unary = x.unaryExpr(Dn::functor());
  const auto f = Dn::functor();
  int wrong = 0;
  for (Index i = 0; i < x.size(); ++i) {
    const T scalar = f(x(i));
    if ((!bit_identical(packet(i), scalar) || !bit_identical(unary(i), scalar)) && ++wrong <= 8) {
      ADD_FAILURE() << Dn::label() << "(" << bits_text(x(i)) << "): free function "
                    << bits_text(packet(i)) << ", unaryExpr " << bits_text(unary(i))
                    << ", scalar functor " << bits_text(scalar);
    }
  }
  EXPECT_EQ(wrong, 0) << Dn::label() << ": inputs where the paths differ";
  // The same input gives the same bits at every offset (aligned or not, body or tail).
  for (Index off = 0; off <= 16; ++off) {
    const Column seg = Dn::derivative(x.segment(off, x.size() - off));
    for (Index i = 0; i < seg.size(); ++i) {
      ASSERT_TRUE(bit_identical(seg(i), packet(off + i)))
          << Dn::label() << "(" << bits_text(x(off + i)) << ") at offset " << off << ": "
          << bits_text(seg(i)) << ", at position " << off + i << ": " << bits_text(packet(off + i));
    }
  }
}

template <class Dn>
class PacketPath : public ::testing::Test {};
TYPED_TEST_SUITE(PacketPath, AllDerivatives, DerivativeName);

TYPED_TEST(PacketPath, FloatEqualsScalarPathAtEveryOffset) {
  expect_packet_equals_scalar<TypeParam, float>();
}
TYPED_TEST(PacketPath, DoubleEqualsScalarPathAtEveryOffset) {
  expect_packet_equals_scalar<TypeParam, double>();
}

// ---------------------------------------------------------------------------------------------
// 5. backward = dy * f'(x), bit for bit, on every dense kind

// got and want have x's shape and, element by element, the same bits (NaN: both NaN, whose
// payload depends on the operand order of the product).
template <class Dn, class Got, class Want, class X>
void expect_same_elements(const Got& got, const Want& want, const X& x, const char* kind) {
  ASSERT_EQ(got.rows(), x.rows()) << Dn::label() << " " << kind;
  ASSERT_EQ(got.cols(), x.cols()) << Dn::label() << " " << kind;
  ASSERT_EQ(want.rows(), x.rows());
  ASSERT_EQ(want.cols(), x.cols());
  int wrong = 0;
  for (Index j = 0; j < x.cols(); ++j) {
    for (Index i = 0; i < x.rows(); ++i) {
      if (!same_result(got(i, j), want(i, j)) && ++wrong <= 5) {
        ADD_FAILURE() << Dn::backward_name() << " on " << kind << " at (" << i << ", " << j
                      << "): x = " << bits_text(x(i, j)) << ", got " << bits_text(got(i, j))
                      << ", dy * derivative " << bits_text(want(i, j));
      }
    }
  }
  EXPECT_EQ(wrong, 0) << Dn::backward_name() << " on " << kind;
}

template <class Dn, class T>
void expect_backward_is_the_product() {
  using A = Eigen::Array<T, Dynamic, Dynamic>;
  using Column = Eigen::Array<T, Dynamic, 1>;
  using ColM = Eigen::Matrix<T, Dynamic, Dynamic>;
  using RowM = Eigen::Matrix<T, Dynamic, Dynamic, Eigen::RowMajor>;
  const std::vector<T> hv = hard_values<T>();
  std::mt19937_64 rng(0xbac4ULL);
  auto uniform = [&](double lo, double hi) {
    return T(lo + (hi - lo) * (double(rng() >> 11) * 0x1p-53));
  };
  constexpr Index rows = 29, cols = 37;
  A x(rows, cols), dy(rows, cols);
  for (Index k = 0; k < x.size(); ++k) {
    x(k) = hv[std::size_t(k) % hv.size()];
    dy(k) = uniform(-4, 4);
  }
  // dy's special values: 0, ±inf, NaN (inf times a zero derivative is NaN on both sides)
  dy(3) = T(0);
  dy(7) = T(-0.0);
  dy(11) = std::numeric_limits<T>::infinity();
  dy(12) = -std::numeric_limits<T>::infinity();
  dy(13) = std::numeric_limits<T>::quiet_NaN();

  {  // one-dimensional arrays
    const Column xc = Eigen::Map<const Column>(hv.data(), Index(hv.size()));
    Column dyc(xc.size());
    for (Index k = 0; k < dyc.size(); ++k) dyc(k) = dy(k % dy.size());
    const Column got = Dn::backward(dyc, xc);
    const Column want = (dyc * Dn::derivative(xc)).eval();
    expect_same_elements<Dn>(got, want, xc, "ArrayX");
  }
  {  // two-dimensional arrays
    const A got = Dn::backward(dy, x);
    const A want = (dy * Dn::derivative(x)).eval();
    expect_same_elements<Dn>(got, want, x, "ArrayXX");
  }
  {  // column-major matrices, as arrays
    const ColM xm = x.matrix(), dym = dy.matrix();
    const A got = Dn::backward(dym.array(), xm.array());
    const A want = (dym.array() * Dn::derivative(xm.array())).eval();
    expect_same_elements<Dn>(got, want, x, "column-major Matrix");
  }
  {  // row-major matrices, as arrays
    const RowM xm = x.matrix(), dym = dy.matrix();
    const A got = Dn::backward(dym.array(), xm.array());
    const A want = (dym.array() * Dn::derivative(xm.array())).eval();
    expect_same_elements<Dn>(got, want, x, "row-major Matrix");
  }
  {  // blocks of larger arrays, at different offsets
    A xb = A::Constant(rows + 5, cols + 4, T(0.5)), dyb = A::Constant(rows + 3, cols + 6, T(2));
    xb.block(3, 1, rows, cols) = x;
    dyb.block(1, 5, rows, cols) = dy;
    const auto xv = xb.block(3, 1, rows, cols);
    const auto dyv = dyb.block(1, 5, rows, cols);
    const A got = Dn::backward(dyv, xv);
    const A want = (dyv * Dn::derivative(xv)).eval();
    expect_same_elements<Dn>(got, want, x, "Block");
    const A mixed = Dn::backward(dy, xv);  // an Array and a Block
    const A mixed_want = (dy * Dn::derivative(xv)).eval();
    expect_same_elements<Dn>(mixed, mixed_want, x, "Array and Block");
  }
  {  // Maps: contiguous and with an outer stride
    std::vector<T> xs(std::size_t((rows + 3) * cols)), dys(xs.size());
    for (Index j = 0; j < cols; ++j) {
      for (Index i = 0; i < rows; ++i) {
        xs[std::size_t(j * (rows + 3) + i)] = x(i, j);
        dys[std::size_t(j * rows + i)] = dy(i, j);
      }
    }
    const Eigen::Map<const A> dym(dys.data(), rows, cols);
    const Eigen::Map<const A, 0, Eigen::OuterStride<>> xm(xs.data(), rows, cols,
                                                          Eigen::OuterStride<>(rows + 3));
    const A got = Dn::backward(dym, xm);
    const A want = (dym * Dn::derivative(xm)).eval();
    expect_same_elements<Dn>(got, want, x, "Map (x with an outer stride)");
  }
  {  // fixed size
    Eigen::Array<T, 4, 5> xf, dyf;
    for (Index k = 0; k < 20; ++k) {
      xf(k) = x(k + 40);
      dyf(k) = dy(k + 40);
    }
    const Eigen::Array<T, 4, 5> got = Dn::backward(dyf, xf);
    const Eigen::Array<T, 4, 5> want = (dyf * Dn::derivative(xf)).eval();
    expect_same_elements<Dn>(got, want, xf, "fixed-size Array");
  }
}

template <class Dn>
class Backward : public ::testing::Test {};
TYPED_TEST_SUITE(Backward, AllDerivatives, DerivativeName);

TYPED_TEST(Backward, FloatIsDyTimesDerivativeBitForBit) {
  expect_backward_is_the_product<TypeParam, float>();
}
TYPED_TEST(Backward, DoubleIsDyTimesDerivativeBitForBit) {
  expect_backward_is_the_product<TypeParam, double>();
}

TYPED_TEST(Backward, ShapeMismatchThrows) {
  using Dn = TypeParam;
  const std::string name = Dn::backward_name();
  const std::string tail = "; dy must have x's shape";
  const Eigen::ArrayXXf dy43 = Eigen::ArrayXXf::Ones(4, 3), x34 = Eigen::ArrayXXf::Ones(3, 4);
  expect_error(
      [&] {
        const Eigen::ArrayXXf r = Dn::backward(dy43, x34);
        (void)r;
      },
      name + ": dy is 4x3 but x is 3x4" + tail);
  const Eigen::ArrayXd dy5 = Eigen::ArrayXd::Ones(5), x7 = Eigen::ArrayXd::Ones(7);
  expect_error(
      [&] {
        const Eigen::ArrayXd r = Dn::backward(dy5, x7);
        (void)r;
      },
      name + ": dy is 5x1 but x is 7x1" + tail);
  // Two empty shapes that differ are still different shapes.
  const Eigen::ArrayXXd e03(0, 3), e30(3, 0);
  expect_error(
      [&] {
        const Eigen::ArrayXXd r = Dn::backward(e03, e30);
        (void)r;
      },
      name + ": dy is 0x3 but x is 3x0" + tail);
  // A row-major matrix's shape is rows x cols as well.
  const Eigen::Matrix<float, Dynamic, Dynamic, Eigen::RowMajor> rm = Eigen::MatrixXf::Ones(2, 6);
  const Eigen::MatrixXf cm = Eigen::MatrixXf::Ones(6, 2);
  expect_error(
      [&] {
        const Eigen::ArrayXXf r = Dn::backward(rm.array(), cm.array());
        (void)r;
      },
      name + ": dy is 2x6 but x is 6x2" + tail);
}

TYPED_TEST(Backward, EmptyInputs) {
  using Dn = TypeParam;
  const Eigen::ArrayXf e(0);
  const Eigen::ArrayXf r = Dn::backward(e, e);
  EXPECT_EQ(r.size(), 0);
  const Eigen::ArrayXXd e05(0, 5), e50(5, 0);
  const Eigen::ArrayXXd r05 = Dn::backward(e05, e05), r50 = Dn::backward(e50, e50);
  EXPECT_EQ(r05.rows(), 0);
  EXPECT_EQ(r05.cols(), 5);
  EXPECT_EQ(r50.rows(), 5);
  EXPECT_EQ(r50.cols(), 0);
  const Eigen::ArrayXXf d = Dn::derivative(Eigen::ArrayXXf(0, 3));
  EXPECT_EQ(d.cols(), 3);
}

TYPED_TEST(Backward, NanInEitherInputGivesNan) {
  using Dn = TypeParam;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Eigen::ArrayXf x = Eigen::ArrayXf::LinSpaced(33, -3.0f, 3.0f), dy = Eigen::ArrayXf::Ones(33);
  x(5) = nan;
  dy(20) = nan;
  const Eigen::ArrayXf r = Dn::backward(dy, x);
  EXPECT_TRUE(std::isnan(r(5))) << Dn::backward_name();
  EXPECT_TRUE(std::isnan(r(20))) << Dn::backward_name();
}

// ---------------------------------------------------------------------------------------------
// 6. gradient checks against central differences of the forward functions

// The fourth-order central difference of F at `at`, step h (a power of two).
template <class R, class F>
R central_difference(F f, R at, R h) {
  return (8 * (f(at + h) - f(at - h)) - (f(at + 2 * h) - f(at - 2 * h))) / (12 * h);
}

// Backward on random shapes up to 17x33 (x in [-6, 6], dy in [-2, 2]) against dy times the
// central difference of: activ's forward in double (float and double inputs), and the long
// double closed forms of the forward functions (double inputs). Tolerance: relative 1e-6 (float)
// or 1e-9 (double), plus 1e-8 resp. 1e-12 of |dy| (near a zero of f').
template <class Dn, class T>
void expect_gradient_check() {
  using A = Eigen::Array<T, Dynamic, Dynamic>;
  std::mt19937_64 rng(0x96adULL + sizeof(T));
  auto uniform = [&](double lo, double hi) {
    return lo + (hi - lo) * (double(rng() >> 11) * 0x1p-53);
  };
  const double rel = std::is_same_v<T, float> ? 1e-6 : 1e-9;
  const double abs = std::is_same_v<T, float> ? 1e-8 : 1e-12;
  const bool wrt_beta = Dn::kKind == Derivative::swish_beta;
  const double beta = Dn::template beta_at<T>();
  int wrong = 0, checked = 0;
  for (int shape = 0; shape < 6; ++shape) {
    const Index rows = 1 + Index(rng() % 17), cols = 1 + Index(rng() % 33);
    A x(rows, cols), dy(rows, cols);
    for (Index k = 0; k < x.size(); ++k) {
      x(k) = T(uniform(-6, 6));
      dy(k) = T(uniform(-2, 2));
    }
    const A got = Dn::backward(dy, x);
    ASSERT_EQ(got.rows(), rows);
    ASSERT_EQ(got.cols(), cols);
    for (Index k = 0; k < x.size(); ++k) {
      const double xv = double(x(k));
      const double at = wrt_beta ? beta : xv;
      const double h = std::ldexp(1.0, std::ilogb(std::max(1.0, std::fabs(at))) - 12);
      if (Dn::kKind == Derivative::relu && std::fabs(xv) <= 4 * h) continue;  // the kink
      auto forward = [&](double v) { return wrt_beta ? Dn::forward(xv, v) : Dn::forward(v, beta); };
      const double fd_activ = central_difference(forward, at, h);
      // The forward's own rounding (within 4 ULP, 2^-50 relative) in the difference quotient:
      // (8·2 + 2)·2^-50·|F|/(12h) < 2^-49·|F|/h.
      const double noise =
          0x1p-49 * std::max(std::fabs(forward(at - 2 * h)), std::fabs(forward(at + 2 * h))) / h;
      std::vector<std::pair<const char*, double>> fds = {{"activ's forward in double", fd_activ}};
      if constexpr (std::is_same_v<T, double>) {
        const long double fd_ld = central_difference(
            [&](long double v) {
              return wrt_beta ? ld::forward(Dn::kKind, xv, v) : ld::forward(Dn::kKind, v, beta);
            },
            static_cast<long double>(at), static_cast<long double>(h));
        fds.push_back({"the long double forward", double(fd_ld)});
      }
      for (const auto& [what, fd] : fds) {
        const double want = double(dy(k)) * fd;
        const double tol = rel * std::fabs(want) + (abs + noise) * std::fabs(double(dy(k)));
        ++checked;
        if (!(std::fabs(double(got(k)) - want) <= tol) && ++wrong <= 5) {
          ADD_FAILURE() << Dn::backward_name() << " at x = " << show(x(k))
                        << ", dy = " << show(dy(k)) << " (shape " << rows << "x" << cols
                        << "): " << show(got(k)) << ", dy times the central difference of " << what
                        << ": " << want << " (tolerance " << tol << ")";
        }
      }
    }
  }
  EXPECT_EQ(wrong, 0) << Dn::backward_name() << ": " << wrong << " of " << checked;
  EXPECT_GT(checked, 100);
}

template <class Dn>
class GradientCheck : public ::testing::Test {};
TYPED_TEST_SUITE(GradientCheck, AllDerivatives, DerivativeName);

TYPED_TEST(GradientCheck, FloatAgainstCentralDifferences) {
  expect_gradient_check<TypeParam, float>();
}
TYPED_TEST(GradientCheck, DoubleAgainstCentralDifferences) {
  expect_gradient_check<TypeParam, double>();
}

// ---------------------------------------------------------------------------------------------
// 7. 16-bit lane types: every input correctly rounded

template <class Dn, class T>
void expect_correctly_rounded16() {
  using Column = Eigen::Array<T, Dynamic, 1>;
  const std::vector<T>& xs = inputs16<T>();
  const std::vector<T> want = references16<typename Dn::Precise, T>();
  const Column x = Eigen::Map<const Column>(xs.data(), Index(xs.size()));
  const Column packet = Dn::derivative(x);
  const auto f = Dn::functor();
  int wrong = 0, zero_sign = 0, path = 0;
  std::string first;
  for (Index i = 0; i < x.size(); ++i) {
    const T scalar = f(x(i));
    if (bits16(scalar) != bits16(packet(i)) && ++path <= 5) {
      ADD_FAILURE() << Dn::label() << "<" << type_name16<T>() << ">(" << show16(x(i))
                    << "): packet path " << show16(packet(i)) << ", scalar path " << show16(scalar);
    }
    // Bit for bit: NaN with its payload, zeros with their sign (a negative result that rounds to
    // zero is -0).
    const T w = want[std::size_t(i)];
    if (bits16(packet(i)) != bits16(w)) {
      const bool only_sign = (bits16(packet(i)) | bits16(w)) == 0x8000;
      zero_sign += only_sign;
      if (++wrong <= 10) {
        first += "\n  x = " + show16(x(i)) + ": got " + show16(packet(i)) + ", correctly rounded " +
                 show16(w) + (only_sign ? " (the sign of zero)" : "");
      }
    }
  }
  std::printf("[measured] %-44s %zu inputs: %d not correctly rounded (%d of them a zero's sign)\n",
              (Dn::label() + " " + type_name16<T>()).c_str(), xs.size(), wrong, zero_sign);
  EXPECT_EQ(wrong, 0) << Dn::label() << "<" << type_name16<T>() << ">: " << wrong
                      << " inputs not correctly rounded (" << zero_sign
                      << " of them only in the sign of a zero); the first:" << first;
  EXPECT_EQ(path, 0) << Dn::label() << "<" << type_name16<T>()
                     << ">: packet and scalar paths differ";
}

template <class Dn>
class Storage16 : public ::testing::Test {};
TYPED_TEST_SUITE(Storage16, AllDerivatives, DerivativeName);

TYPED_TEST(Storage16, BFloat16CorrectlyRounded) {
  expect_correctly_rounded16<TypeParam, Eigen::bfloat16>();
}
TYPED_TEST(Storage16, HalfCorrectlyRounded) {
  expect_correctly_rounded16<TypeParam, Eigen::half>();
}

template <class Dn, class T>
void expect_backward_correctly_rounded16() {
  using Column = Eigen::Array<T, Dynamic, 1>;
  const std::vector<T>& xs = backward_inputs16<T>();
  const std::vector<T> want = backward_references16<typename Dn::Precise, T>();
  const Index n = Index(xs.size());
  const Column x = Eigen::Map<const Column>(xs.data(), n);
  Column dy(n);
  for (Index i = 0; i < n; ++i) dy(i) = dy_for16(x(i));
  const Column packet = Dn::backward(dy, x);
  int wrong = 0, path = 0;
  std::string first;
  for (Index i = 0; i < n; ++i) {
    const Column one = Dn::backward(dy.segment(i, 1), x.segment(i, 1));  // the scalar path
    if (bits16(one(0)) != bits16(packet(i)) && ++path <= 5) {
      ADD_FAILURE() << Dn::backward_name() << "<" << type_name16<T>() << ">(dy = " << show16(dy(i))
                    << ", x = " << show16(x(i)) << "): packet path " << show16(packet(i))
                    << ", scalar path " << show16(one(0));
    }
    const T w = want[std::size_t(i)];
    if (bits16(packet(i)) != bits16(w) && ++wrong <= 10) {
      first += "\n  dy = " + show16(dy(i)) + ", x = " + show16(x(i)) + ": got " +
               show16(packet(i)) + ", correctly rounded " + show16(w);
    }
  }
  std::printf("[measured] %-44s %td pairs: %d not correctly rounded\n",
              (Dn::backward_name() + " " + type_name16<T>()).c_str(), n, wrong);
  EXPECT_EQ(wrong, 0) << Dn::backward_name() << "<" << type_name16<T>() << ">: " << wrong
                      << " products not correctly rounded; the first:" << first;
  EXPECT_EQ(path, 0) << Dn::backward_name() << "<" << type_name16<T>()
                     << ">: packet and scalar paths differ";
}

TYPED_TEST(Storage16, BFloat16BackwardCorrectlyRounded) {
  expect_backward_correctly_rounded16<TypeParam, Eigen::bfloat16>();
}
TYPED_TEST(Storage16, HalfBackwardCorrectlyRounded) {
  expect_backward_correctly_rounded16<TypeParam, Eigen::half>();
}

// ---------------------------------------------------------------------------------------------
// Eigen::Tensor: the free functions take tensors (with <activ/tensor.hpp>) and give the
// functor's values; the backward functions check dy's extents.

TEST(DerivativeTensor, FreeFunctionsOnTensors) {
  Eigen::Tensor<float, 2> t(3, 5), dy(3, 5);
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 5; ++j) {
      t(i, j) = -2.0f + 0.3f * float(i) + 0.55f * float(j);
      dy(i, j) = 0.5f - 0.25f * float(j);
    }
  }
  const Eigen::Tensor<float, 2> g = activ::gelu_derivative(t);
  const Eigen::Tensor<float, 2> s = activ::fast::swish_derivative(t, 1.702);
  const Eigen::Tensor<float, 2> r = activ::relu_derivative(t);
  const activ::GeluDerivative gd;
  const activ::fast::SwishDerivative sd{1.702};
  const activ::ReluDerivative rd;
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 5; ++j) {
      EXPECT_TRUE(bit_identical(g(i, j), gd(t(i, j))));
      EXPECT_TRUE(bit_identical(s(i, j), sd(t(i, j))));
      EXPECT_TRUE(bit_identical(r(i, j), rd(t(i, j))));
    }
  }
  // The backward functions: dy * f'(x) per element, the functor's bits; a tensor expression
  // (x * 2) and a TensorMap as inputs; dy of other extents throws with both shapes.
  const Eigen::Tensor<float, 2> gb = activ::gelu_backward(dy, t);
  const Eigen::Tensor<float, 2> sb = activ::fast::swish_backward(dy, t * 2.0f, 1.702);
  const Eigen::Tensor<float, 2> bb = activ::swish_backward_beta(dy, t, 0.5);
  const Eigen::TensorMap<const Eigen::Tensor<float, 2>> tm(t.data(), 3, 5);
  const Eigen::Tensor<float, 2> rb = activ::relu_backward(dy, tm);
  const activ::SwishBetaDerivative bd{0.5};
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 5; ++j) {
      EXPECT_TRUE(bit_identical(gb(i, j), dy(i, j) * gd(t(i, j))));
      EXPECT_TRUE(bit_identical(sb(i, j), dy(i, j) * sd(t(i, j) * 2.0f)));
      EXPECT_TRUE(bit_identical(bb(i, j), dy(i, j) * bd(t(i, j))));
      EXPECT_TRUE(bit_identical(rb(i, j), dy(i, j) * rd(t(i, j))));
    }
  }
  const Eigen::Tensor<float, 2> dy53(5, 3);
  expect_error(
      [&] {
        const Eigen::Tensor<float, 2> r = activ::gelu_backward(dy53, t);
        (void)r;
      },
      "activ::gelu_backward: dy is [5, 3] but x is [3, 5]; dy must have x's shape");
  expect_error(
      [&] {
        const Eigen::Tensor<float, 2> r = activ::fast::swish_backward_beta(dy53, t, 1.0);
        (void)r;
      },
      "activ::fast::swish_backward_beta: dy is [5, 3] but x is [3, 5]; dy must have x's shape");
}

// bfloat16 tensors: the backward product rounded once, as on dense arrays.
TEST(DerivativeTensor, BackwardOnBFloat16Tensors) {
  using B = Eigen::bfloat16;
  Eigen::Tensor<B, 1> x(64), dy(64);
  Eigen::Array<B, Eigen::Dynamic, 1> xa(64), dya(64);
  for (Index i = 0; i < 64; ++i) {
    x(i) = xa(i) = B(-4.0f + 0.125f * float(i));
    dy(i) = dya(i) = B(1.0f + 0.0625f * float(i % 7));
  }
  const Eigen::Tensor<B, 1> got = activ::silu_backward(dy, x);
  const Eigen::Array<B, Eigen::Dynamic, 1> want = activ::silu_backward(dya, xa);
  for (Index i = 0; i < 64; ++i) EXPECT_EQ(bits16(got(i)), bits16(want(i))) << i;
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
