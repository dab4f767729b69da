// activ/gelu.hpp: activ::gelu(x) = x·Φ(x) = ½·x·erfc(−x/√2), the exact GELU (docs/design.md §1), and its
// functor activ::Gelu.
#include <activ/gelu.hpp>  // first: the header stands on its own

#include "support/api.hpp"
#include "support/functions.hpp"
#include "support/isa_guard.hpp"

#include <gtest/gtest.h>

namespace activ_test {
namespace {

TEST(Gelu, TakesEveryDenseKindAndReturnsALazyExpressionOfTheSameKind) {
  expect_free_function_on_every_dense_kind<GeluFn, float>();
  expect_free_function_on_every_dense_kind<GeluFn, double>();
}

// x·Φ(x). Φ(1) = 0.841344746068542948585… as in any normal table; the digits are MPFR's at 200
// bits.
TEST(Gelu, MatchesClosedForms) {
  expect_closed_form<GeluFn>(1.0, "0.84134474606854294858523255");
  expect_closed_form<GeluFn>(-1.0, "-0.15865525393145705141476745");
  expect_closed_form<GeluFn>(2.0, "1.9544997361036415855994347");
  expect_closed_form<GeluFn>(-3.0, "-4.0496940948902835799554443e-03");
  // The tail where ½·x·(1 + erf(x/√2)) cancels to zero or to the wrong sign.
  expect_closed_form<GeluFn>(-10.0, "-7.6198530241605260659733433e-23");
  expect_closed_form<GeluFn>(-13.0, "-7.9523137194148435869577727e-38");
}

TEST(Gelu, FloatWithin1UlpOfErfcInDouble) {
  expect_float_agrees_with_double_libm<GeluFn>(-20.0, 20.0, 200001);
}

TEST(Gelu, DoubleWithin2UlpOfErfcInLongDouble) {
  expect_double_agrees_with_long_double_libm<GeluFn>(-10.0, 10.0, 200001);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
