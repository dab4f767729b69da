// docs/design.md §4, float64: every function is within 2 ULP of MPFR (160 bits, rounded to double) on more
// than 10^6 inputs covering every binade of both signs and the tails down to underflow, through
// the packet path and through the scalar functor. The MPFR values are computed once and cached
// (support/reference_cache.hpp) so that the three ISA variants share them.
#include "support/accuracy.hpp"
#include "support/function_lists.hpp"
#include "support/isa_guard.hpp"
#include "support/reference_cache.hpp"
#include "support/sampling.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

// MPFR's values for the double sample, computed once and then read from the cache.
template <class Fn>
std::vector<double> references() {
  return cached_references(Fn::name(), inputs(),
                           [](double x) { return Fn::template reference<double>(x); });
}

template <class Fn>
void expect_references() {
  EXPECT_EQ(references<Fn>().size(), inputs().size()) << Fn::name();
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

TYPED_TEST(DoubleAccuracy, PacketPathWithin2UlpOfMpfr) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " double packet", inputs(), packet_path_results<Fn>(inputs()),
                      this->references_);
}

TYPED_TEST(DoubleAccuracy, ScalarPathWithin2UlpOfMpfr) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " double scalar", inputs(), scalar_path_results<Fn>(inputs()),
                      this->references_);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
