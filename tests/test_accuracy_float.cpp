// docs/design.md §4, float32: every function is within 1 ULP (kMaxUlpFloat) of the
// function evaluated in double with libm and rounded to float, on a stratified sample of more than 2^24 inputs (the exhaustive 2^32 sweep
// is tests/sweep/activ_sweep.cpp), through the packet path and through the scalar functor.
#include "support/accuracy.hpp"
#include "support/function_lists.hpp"
#include "support/isa_guard.hpp"
#include "support/parallel.hpp"
#include "support/sampling.hpp"

#include <gtest/gtest.h>

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

TYPED_TEST(FloatAccuracy, PacketPathWithin1UlpOfDoubleLibm) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " float packet", inputs(), packet_path_results<Fn>(inputs()),
                      this->references_);
}

TYPED_TEST(FloatAccuracy, ScalarPathWithin1UlpOfDoubleLibm) {
  using Fn = TypeParam;
  expect_within_bound(Fn::name() + " float scalar", inputs(), scalar_path_results<Fn>(inputs()),
                      this->references_);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
