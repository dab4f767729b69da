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

// Evaluated in the tanh form of the definition with MPFR at 200 bits (the references use the
// σ form: the two agreeing is part of the check).
TEST(GeluTanh, MatchesClosedForms) {
  expect_closed_form<GeluTanhFn>(1.0, "0.84119199060827670478199578");
  expect_closed_form<GeluTanhFn>(-1.0, "-0.15880800939172329521800422");
  expect_closed_form<GeluTanhFn>(3.0, "2.9963626079182269811621835");
  expect_closed_form<GeluTanhFn>(-3.0, "-3.6373920817730188378164661e-03");
  // The tail where ½·x·(1 + tanh u) cancels.
  expect_closed_form<GeluTanhFn>(-10.0, "-1.2040923482098059936592516e-37");
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
