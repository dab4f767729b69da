// docs/design.md §4, float32: every function is within 1 ULP (kMaxUlpFloat; the contract says 2) of
// the function evaluated in double with libm and rounded to float, on a stratified sample of more
// than 2^24 inputs and on 10^5 inputs in each range where an intermediate of its formula, evaluated
// in float, would underflow or overflow while the result is a finite nonzero float (the exhaustive
// 2^32 sweep is tests/sweep/activ_sweep.cpp), through the packet path and through the scalar
// functor.
#include "support/accuracy.hpp"
#include "support/extreme_ranges.hpp"
#include "support/function_lists.hpp"
#include "support/isa_guard.hpp"
#include "support/parallel.hpp"
#include "support/sampling.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>
#include <vector>

namespace activ_test {
namespace {

const std::vector<float>& inputs() {
  static const std::vector<float> sample = float_sample();
  return sample;
}

TEST(FloatSample, HoldsAtLeast2To24InputsFromEveryBinadeOfBothSigns) {
  const auto& xs = inputs();
  EXPECT_GE(xs.size(), std::size_t(1) << 24);
  std::set<std::uint32_t> strata;  // sign and biased exponent
  std::size_t dense = 0;
  for (float x : xs) {
    strata.insert(bits_of(x) >> 23);
    dense += (x >= -16.0f && x <= 16.0f);
  }
  // 255 finite binades (the subnormals one of them) and the inf/NaN exponent, both signs.
  EXPECT_EQ(strata.size(), 2u * 256u);
  EXPECT_GE(dense, std::size_t(1) << 23);
}

template <class Fn>
class FloatAccuracy : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto& xs = inputs();
    references_.resize(xs.size());
    parallel_for(xs.size(), [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i)
        references_[i] = Fn::template reference<float>(xs[i]);
    });
  }
  static void TearDownTestSuite() { std::vector<float>().swap(references_); }
  static inline std::vector<float> references_;
};
TYPED_TEST_SUITE(FloatAccuracy, AccuracyFunctions, FunctionName);

TYPED_TEST(FloatAccuracy, PacketPathWithinTierBoundOfDoubleLibm) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " float packet", inputs(), packet_path_results<Fn>(inputs()),
                      this->references_, bound_of<Fn, float>());
}

TYPED_TEST(FloatAccuracy, ScalarPathWithinTierBoundOfDoubleLibm) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " float scalar", inputs(), scalar_path_results<Fn>(inputs()),
                      this->references_, bound_of<Fn, float>());
}

// The float ranges of support/extreme_ranges.hpp (derivation there), with m = 2^-126 and results
// below 2^-150 rounding to 0: x < 0 from where the result rounds to 0 to where e^z and the result
// are normal again (e^z subnormal with a normal result first: gelu_tanh [-10.10, -10.00], silu
// [-91.86, -87.34]); its mirror for x > 0; and x^2 (gelu, x > 1.8e19), x^3 (gelu_tanh, x > 7.0e12)
// and beta*x (swish, beta > 1) overflowing float. The kernels compute float results in double,
// where none of these happen, so these inputs check the rounding of tiny and huge results once.
template <class Fn>
class FloatExtremeRanges : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    inputs_ = extreme_sample<Fn, float>();
    references_.resize(inputs_.size());
    parallel_for(inputs_.size(), [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i)
        references_[i] = Fn::template reference<float>(inputs_[i]);
    });
  }
  static void TearDownTestSuite() {
    std::vector<float>().swap(inputs_);
    std::vector<float>().swap(references_);
  }
  static inline std::vector<float> inputs_, references_;
};
TYPED_TEST_SUITE(FloatExtremeRanges, AccuracyFunctions, FunctionName);

TYPED_TEST(FloatExtremeRanges, EachRangeHoldsAtLeast1e5Inputs) {
  using Fn = TypeParam;
  const auto& xs = this->inputs_;
  for (const InputRange& r : extreme_ranges<Fn, float>()) {
    const auto n = std::count_if(xs.begin(), xs.end(),
                                 [&](float x) { return double(x) >= r.lo && double(x) <= r.hi; });
    std::printf("%-12s [%.9g, %.9g] %s: %td inputs\n", Fn::name().c_str(), r.lo, r.hi,
                r.what.c_str(), n);
    EXPECT_GE(n, 100000) << Fn::name() << " " << r.what;
  }
}

TYPED_TEST(FloatExtremeRanges, PacketPathWithinTierBoundOfDoubleLibm) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " float extremes packet", this->inputs_,
                      packet_path_results<Fn>(this->inputs_), this->references_,
                      bound_of<Fn, float>());
}

TYPED_TEST(FloatExtremeRanges, ScalarPathWithinTierBoundOfDoubleLibm) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " float extremes scalar", this->inputs_,
                      scalar_path_results<Fn>(this->inputs_), this->references_,
                      bound_of<Fn, float>());
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
