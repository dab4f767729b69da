// activ/relu.hpp: activ::relu(x) = max(x, 0) (docs/design.md §1), exact, NaN staying NaN as in PyTorch,
// and its functor activ::Relu.
#include <activ/relu.hpp>  // first: the header stands on its own

#include "support/api.hpp"
#include "support/functions.hpp"
#include "support/isa_guard.hpp"
#include "support/sampling.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>

#include <vector>

namespace activ_test {
namespace {

TEST(Relu, TakesEveryDenseKindAndReturnsALazyExpressionOfTheSameKind) {
  expect_free_function_on_every_dense_kind<ReluFn, float>();
  expect_free_function_on_every_dense_kind<ReluFn, double>();
}

// max(x, 0) is exact: every result is the reference, bit for bit (zeros of either sign equal).
template <class T>
void expect_exact_on_hard_values() {
  const std::vector<T> values = hard_values<T>();
  const Eigen::Array<T, Eigen::Dynamic, 1> x = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>(
      values.data(), Eigen::Index(values.size()));
  const Eigen::Array<T, Eigen::Dynamic, 1> y = activ::relu(x);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const T want = ReluFn::reference(x(i));
    EXPECT_EQ(ulp_distance(y(i), want), 0u) << "relu(" << show(x(i)) << ") = " << show(y(i));
    EXPECT_EQ(ulp_distance(activ::Relu{}(x(i)), want), 0u) << "scalar relu(" << show(x(i)) << ")";
  }
}

TEST(Relu, IsExactlyMaxOfXAndZero) {
  expect_exact_on_hard_values<float>();
  expect_exact_on_hard_values<double>();
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
