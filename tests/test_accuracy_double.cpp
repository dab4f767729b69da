// docs/design.md §4, float64: every function is within 2 ULP of MPFR (160 bits, rounded to double)
// on more than 10^6 inputs covering every binade of both signs and the tails down to underflow, and
// on 10^5 inputs in each range where an intermediate of its formula underflows or overflows while
// the result is a finite nonzero number, through the packet path and through the scalar functor.
// The MPFR values are computed once and cached (support/reference_cache.hpp) so that the three ISA
// variants share them.
#include "support/accuracy.hpp"
#include "support/extreme_ranges.hpp"
#include "support/function_lists.hpp"
#include "support/isa_guard.hpp"
#include "support/reference_cache.hpp"
#include "support/sampling.hpp"

#include <gtest/gtest.h>

#include <mpfr.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <vector>

namespace activ_test {
namespace {

const std::vector<double>& inputs() {
  static const std::vector<double> sample = double_sample();
  return sample;
}

TEST(DoubleSample, HoldsAMillionInputsFromEveryBinadeOfBothSignsAndTheTails) {
  const auto& xs = inputs();
  EXPECT_GE(xs.size(), std::size_t(1000000));
  std::set<std::uint64_t> strata;  // sign and biased exponent
  for (double x : xs) strata.insert(bits_of(x) >> 52);
  // 2047 finite binades (the subnormals one of them) and the inf/NaN exponent, both signs.
  EXPECT_EQ(strata.size(), 2u * 2048u);
  // The underflow tails: gelu near -38.5, sigmoid near -745, silu near -751, swish(β=0.5) -1500.
  auto count_in = [&](double lo, double hi) {
    return std::count_if(xs.begin(), xs.end(), [=](double x) { return x > lo && x < hi; });
  };
  EXPECT_GE(count_in(-40, -36), 8000);
  EXPECT_GE(count_in(-760, -740), 1500);
  EXPECT_GE(count_in(-1600, -1400), 15000);
}

// MPFR's values for the double sample, computed once and then read from the cache. Both tiers of
// a function share them: the cache is keyed by the precise function's name.
template <class Fn>
std::vector<double> references() {
  return cached_references(precise_of_t<Fn>::name(), inputs(),
                           [](double x) { return Fn::template reference<double>(x); });
}

// The ranges where an intermediate of Fn's formula underflows or overflows while the result is a
// finite nonzero number, derived from the formula in support/extreme_ranges.hpp (its comment
// gives the derivation). In short, with e^z the formula's exponential:
//   x < 0: from where the result rounds to 0 to where e^z and the result are both normal again
//          (e^z is subnormal while x*e^z is normal first: gelu_tanh [-21.18, -21.15], silu
//          [-714.97, -708.40], swish(2) [-357.1, -354.2]; then the results are subnormal);
//   x > 0: the mirror of that range, where the formula's small term (x - result) underflows;
//   x > 0: where x^2 (gelu), x^3 (gelu_tanh) or beta*x (swish, beta > 1) overflows.
// 10^5 inputs in each (support/extreme_ranges.hpp, kPerExtremeRange); the MPFR references of
// all of them take about 4 s of CPU, once: cached.
template <class Fn>
const std::vector<double>& extreme_inputs() {
  static const std::vector<double> sample = extreme_sample<Fn, double>();
  return sample;
}

template <class Fn>
std::vector<double> extreme_references() {
  return cached_references(precise_of_t<Fn>::name() + "_extreme", extreme_inputs<Fn>(),
                           [](double x) { return Fn::template reference<double>(x); });
}

template <class Fn>
void expect_references() {
  EXPECT_EQ(references<Fn>().size(), inputs().size()) << Fn::name();
  EXPECT_EQ(extreme_references<Fn>().size(), extreme_inputs<Fn>().size()) << Fn::name();
}

template <class... Fns>
void compute_references(FunctionList<Fns...>) {
  (expect_references<Fns>(), ...);
}

// Fills the cache for every function. Run alone first (--gtest_filter=MpfrReferenceCache.*, e.g.
// as a CTest fixture), it spares the ISA variants the minute of MPFR work, even when they run
// in parallel.
TEST(MpfrReferenceCache, HoldsEveryFunction) {
  if (reference_cache_dir().empty()) GTEST_SKIP() << "ACTIV_TEST_CACHE_DIR is empty: no cache";
  compute_references(AccuracyFunctionList{});
}

template <class Fn>
class DoubleAccuracy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { references_ = references<Fn>(); }
  static void TearDownTestSuite() { std::vector<double>().swap(references_); }
  static inline std::vector<double> references_;
};
TYPED_TEST_SUITE(DoubleAccuracy, AccuracyFunctions, FunctionName);

TYPED_TEST(DoubleAccuracy, PacketPathWithinTierBoundOfMpfr) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " double packet", inputs(), packet_path_results<Fn>(inputs()),
                      this->references_, bound_of<Fn, double>());
}

TYPED_TEST(DoubleAccuracy, ScalarPathWithinTierBoundOfMpfr) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " double scalar", inputs(), scalar_path_results<Fn>(inputs()),
                      this->references_, bound_of<Fn, double>());
}

template <class Fn>
class DoubleExtremeRanges : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { references_ = extreme_references<Fn>(); }
  static void TearDownTestSuite() { std::vector<double>().swap(references_); }
  static inline std::vector<double> references_;
};
TYPED_TEST_SUITE(DoubleExtremeRanges, AccuracyFunctions, FunctionName);

TYPED_TEST(DoubleExtremeRanges, EachRangeHoldsAtLeast1e5Inputs) {
  using Fn = TypeParam;
  const auto& xs = extreme_inputs<Fn>();
  for (const InputRange& r : extreme_ranges<Fn, double>()) {
    const auto n =
        std::count_if(xs.begin(), xs.end(), [&](double x) { return x >= r.lo && x <= r.hi; });
    std::printf("%-12s [%.17g, %.17g] %s: %td inputs\n", Fn::name().c_str(), r.lo, r.hi,
                r.what.c_str(), n);
    EXPECT_GE(n, 100000) << Fn::name() << " " << r.what;
  }
}

TYPED_TEST(DoubleExtremeRanges, PacketPathWithinTierBoundOfMpfr) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " double extremes packet", extreme_inputs<Fn>(),
                      packet_path_results<Fn>(extreme_inputs<Fn>()), this->references_,
                      bound_of<Fn, double>());
}

TYPED_TEST(DoubleExtremeRanges, ScalarPathWithinTierBoundOfMpfr) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " double extremes scalar", extreme_inputs<Fn>(),
                      scalar_path_results<Fn>(extreme_inputs<Fn>()), this->references_,
                      bound_of<Fn, double>());
}

// gelu_tanh's cubic coefficient is the double nearest to 0.044715 (0.044714999999999997804...),
// as frameworks evaluate the literal, not the decimal 0.044715. The left tail is ill-conditioned
// in that coefficient: the result is ~x*e^z with z ~ 2*sqrt(2/pi)*0.044715*x^3, so a relative
// change d of the coefficient moves the result by ~|z|*d relative, and the two readings differ by
// ~20 ULP at x = -10 and ~300 ULP at x = -21.14. A kernel built on the decimal (as activ once
// was) returns -7.1163109557628989e-307 at x = -21.141298549457105, 298 ULP from the value with
// the double, -7.1163109557631345e-307 (MPFR at 400 bits through x/(1 + e^-z), both readings).
double gelu_tanh_with_decimal_coefficient(double x) {
  mpfr_t t, u;
  mpfr_inits2(kMpfrPrecision, t, u, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_str(u, "0.044715", 10, MPFR_RNDN);  // the decimal, to kMpfrPrecision bits
  mpfr_mul_d(t, u, x, MPFR_RNDN);
  mpfr_mul_d(t, t, x, MPFR_RNDN);
  mpfr_mul_d(t, t, x, MPFR_RNDN);
  mpfr_add_d(t, t, x, MPFR_RNDN);
  mpfr_const_pi(u, MPFR_RNDN);
  mpfr_ui_div(u, 2, u, MPFR_RNDN);
  mpfr_sqrt(u, u, MPFR_RNDN);
  mpfr_mul(t, t, u, MPFR_RNDN);
  mpfr_mul_2ui(t, t, 1, MPFR_RNDN);  // z
  mpfr_exp(u, t, MPFR_RNDN);         // e^z (z < 0 here)
  mpfr_add_ui(t, u, 1, MPFR_RNDN);
  mpfr_div(u, u, t, MPFR_RNDN);
  mpfr_mul_d(u, u, x, MPFR_RNDN);
  const double r = mpfr_get_d(u, MPFR_RNDN);
  mpfr_clears(t, u, static_cast<mpfr_ptr>(nullptr));
  return r;
}

TEST(GeluTanhDefinition, CubicCoefficientIsTheDoubleNearest0p044715) {
  const double x0 = -21.141298549457105;
  EXPECT_EQ(GeluTanhFn::reference<double>(x0), -7.1163109557631345e-307);
  EXPECT_LE(ulp_distance(activ::GeluTanh{}(x0), -7.1163109557631345e-307), kMaxUlpDouble);
  for (double x : {-10.0, -15.0, -20.0, -21.0, x0}) {
    const double got = activ::GeluTanh{}(x);
    const double want = GeluTanhFn::reference<double>(x);
    const double decimal = gelu_tanh_with_decimal_coefficient(x);
    EXPECT_LE(ulp_distance(got, want), kMaxUlpDouble) << show(x);
    // The two readings are far apart here: this test tells them apart.
    EXPECT_GE(ulp_distance(want, decimal), std::uint64_t(15)) << show(x);
  }
}

// [-22, -20.5], where the result is normal and its e^z is near or below the subnormal range, and
// where the two readings of the coefficient differ by hundreds of ULP: 10^5 evenly spaced inputs.
TEST(GeluTanhDefinition, DenseLeftTailWithin2UlpOfMpfr) {
  constexpr int n = 100000;
  std::vector<double> xs(n);
  for (int k = 0; k < n; ++k) xs[std::size_t(k)] = -22.0 + 1.5 * k / (n - 1);
  std::vector<double> want(xs.size());
  std::transform(xs.begin(), xs.end(), want.begin(),
                 [](double x) { return GeluTanhFn::reference<double>(x); });
  expect_within_bound("gelu_tanh double [-22, -20.5] packet", xs,
                      packet_path_results<GeluTanhFn>(xs), want);
  expect_within_bound("gelu_tanh double [-22, -20.5] scalar", xs,
                      scalar_path_results<GeluTanhFn>(xs), want);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
