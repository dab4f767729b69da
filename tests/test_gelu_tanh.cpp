// activ/gelu_tanh.hpp: activ::gelu_tanh(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), the tanh
// approximation of GELU (docs/design.md §1), and its functor activ::GeluTanh.
#include <activ/gelu_tanh.hpp>  // first: the header stands on its own

#include "support/api.hpp"
#include "support/functions.hpp"
#include "support/isa_guard.hpp"

#include <gtest/gtest.h>

namespace activ_test {
namespace {

TEST(GeluTanh, TakesEveryDenseKindAndReturnsALazyExpressionOfTheSameKind) {
  expect_free_function_on_every_dense_kind<GeluTanhFn, float>();
  expect_free_function_on_every_dense_kind<GeluTanhFn, double>();
}

// Evaluated in the tanh form of the definition with MPFR at 1000 bits, the cubic coefficient being
// the double nearest 0.044715 (the references use the σ form: the two agreeing is part of the
// check). At -10 the decimal coefficient would give a result 20 double ULP away.
TEST(GeluTanh, MatchesClosedForms) {
  expect_closed_form<GeluTanhFn>(1.0, "0.841191990608276704313857551");
  expect_closed_form<GeluTanhFn>(-1.0, "-0.158808009391723295686142449");
  expect_closed_form<GeluTanhFn>(3.0, "2.99636260791822698081844077");
  expect_closed_form<GeluTanhFn>(-3.0, "-3.63739208177301918155923389e-03");
  // The tail where ½·x·(1 + tanh u) cancels.
  expect_closed_form<GeluTanhFn>(-10.0, "-1.20409234820981021321151705e-37");
}

TEST(GeluTanh, FloatWithin1UlpOfTheDefinitionInDouble) {
  expect_float_agrees_with_double_libm<GeluTanhFn>(-20.0, 20.0, 200001);
}

TEST(GeluTanh, DoubleWithin2UlpOfTheDefinitionInLongDouble) {
  expect_double_agrees_with_long_double_libm<GeluTanhFn>(-10.0, 10.0, 200001);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
