// activ/sigmoid.hpp: activ::sigmoid(x) = 1/(1 + e^−x) (docs/design.md §1) and its functor activ::Sigmoid.
#include <activ/sigmoid.hpp>  // first: the header stands on its own

#include "support/api.hpp"
#include "support/functions.hpp"
#include "support/isa_guard.hpp"

#include <gtest/gtest.h>

namespace activ_test {
namespace {

TEST(Sigmoid, TakesEveryDenseKindAndReturnsALazyExpressionOfTheSameKind) {
  expect_free_function_on_every_dense_kind<SigmoidFn, float>();
  expect_free_function_on_every_dense_kind<SigmoidFn, double>();
}

// 1/(1 + e^−x), MPFR at 200 bits; σ(0) = ½ exactly.
TEST(Sigmoid, MatchesClosedForms) {
  expect_closed_form<SigmoidFn>(0.0, "0.5");
  expect_closed_form<SigmoidFn>(1.0, "0.73105857863000487925115924");
  expect_closed_form<SigmoidFn>(-1.0, "0.26894142136999512074884076");
  expect_closed_form<SigmoidFn>(2.0, "0.88079707797788244405972914");
  expect_closed_form<SigmoidFn>(-20.0, "2.0611536181902035814308621e-09");
  // A subnormal float result: counted in subnormal ULPs.
  expect_closed_form<SigmoidFn>(-100.0, "3.7200759760208359629596958e-44");
}

TEST(Sigmoid, FloatWithin1UlpOfExpInDouble) {
  expect_float_agrees_with_double_libm<SigmoidFn>(-110.0, 30.0, 200001);
}

TEST(Sigmoid, DoubleWithin2UlpOfExpInLongDouble) {
  expect_double_agrees_with_long_double_libm<SigmoidFn>(-40.0, 40.0, 200001);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
