// activ/swish.hpp: activ::swish(x, β) = x·σ(βx) with β converted to the scalar type, and
// activ::silu(x) = swish(x, 1) (docs/design.md §1), with their functors activ::Swish{β} and activ::Silu.
#include <activ/swish.hpp>  // first: the header stands on its own

#include "support/api.hpp"
#include "support/functions.hpp"
#include "support/isa_guard.hpp"
#include "support/sampling.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>

#include <vector>

namespace activ_test {
namespace {

TEST(Swish, TakesEveryDenseKindAndReturnsALazyExpressionOfTheSameKind) {
  expect_free_function_on_every_dense_kind<SiluFn, float>();
  expect_free_function_on_every_dense_kind<SiluFn, double>();
  expect_free_function_on_every_dense_kind<SwishFn<1702>, float>();
  expect_free_function_on_every_dense_kind<SwishFn<1702>, double>();
}

// x·σ(βx), MPFR at 200 bits.
TEST(Swish, MatchesClosedForms) {
  expect_closed_form<SiluFn>(1.0, "0.73105857863000487925115924");
  expect_closed_form<SiluFn>(-1.0, "-0.26894142136999512074884076");
  expect_closed_form<SiluFn>(2.0, "1.7615941559557648881194583");
  expect_closed_form<SiluFn>(-20.0, "-4.1223072363804071628617243e-08");
  expect_closed_form<SiluFn>(-100.0, "-3.7200759760208359629596958e-42");  // subnormal float
  expect_closed_form<SwishFn<2000>>(1.0, "0.88079707797788244405972914");  // σ(2)
  expect_closed_form<SwishFn<500>>(2.0, "1.46211715726000975850231848");   // 2·σ(1)
}

// Silu is Swish with β = 1, and Swish's β defaults to 1: the same arithmetic, the same bits.
TEST(Swish, SiluIsSwishWithBetaOne) {
  for (double v : hard_values<double>()) {
    const float xf = float(v);
    EXPECT_TRUE(same_result(activ::Silu{}(xf), activ::Swish{1.0}(xf))) << show(xf);
    EXPECT_TRUE(same_result(activ::Silu{}(xf), activ::Swish{}(xf))) << show(xf);
    EXPECT_TRUE(same_result(activ::Silu{}(v), activ::Swish{1.0}(v))) << show(v);
  }
  const Eigen::ArrayXf x = Eigen::ArrayXf::LinSpaced(1001, -30.0f, 30.0f);
  const Eigen::ArrayXf silu = activ::silu(x), swish = activ::swish(x, 1.0);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    EXPECT_TRUE(same_result(silu(i), swish(i))) << show(x(i));
}

// For float, β is float(β) before anything else: β = 1.702 and β = float(1.702) are the same swish.
TEST(Swish, BetaIsConvertedToTheScalarTypeFirst) {
  const double beta = 1.702;
  const double beta_as_float = double(float(beta));
  ASSERT_NE(beta, beta_as_float);
  const Eigen::ArrayXf x = Eigen::ArrayXf::LinSpaced(2001, -60.0f, 60.0f);
  const Eigen::ArrayXf a = activ::swish(x, beta), b = activ::swish(x, beta_as_float);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    EXPECT_TRUE(same_result(a(i), b(i))) << show(x(i));
    EXPECT_TRUE(same_result(activ::Swish{beta}(x(i)), activ::Swish{beta_as_float}(x(i))));
  }
}

TEST(Swish, FloatWithin1UlpOfTheDefinitionInDouble) {
  expect_float_agrees_with_double_libm<SiluFn>(-110.0, 30.0, 200001);
  expect_float_agrees_with_double_libm<SwishFn<500>>(-220.0, 30.0, 200001);
  expect_float_agrees_with_double_libm<SwishFn<1702>>(-70.0, 30.0, 200001);
  expect_float_agrees_with_double_libm<SwishFn<2000>>(-60.0, 30.0, 200001);
}

TEST(Swish, DoubleWithin2UlpOfTheDefinitionInLongDouble) {
  expect_double_agrees_with_long_double_libm<SiluFn>(-40.0, 40.0, 200001);
  expect_double_agrees_with_long_double_libm<SwishFn<500>>(-40.0, 40.0, 200001);
  expect_double_agrees_with_long_double_libm<SwishFn<1702>>(-40.0, 40.0, 200001);
  expect_double_agrees_with_long_double_libm<SwishFn<2000>>(-40.0, 40.0, 200001);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
