// The public API of the fast tier (docs/design.md §2): activ::fast::gelu, gelu_tanh, sigmoid,
// silu and swish take every dense kind and return a lazy expression of the same kind, whose
// elements are the functor's (and those of Eigen's unaryExpr with it); they work on tensors; the
// exact functions are the same objects in both tiers; the fast GLU variants take every form.
// Accuracy, special values, determinism and the floating-point environments of the fast tier are
// in the suites that run over support/functions.hpp's lists (Fast<...>), and the GLU variants'
// in test_glu and test_glu_layouts (support/glu_cases.hpp).
#include <activ/activ.hpp>
#include <activ/tensor.hpp>

#include "support/api.hpp"
#include "support/functions.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <type_traits>

namespace activ_test {
namespace {

// Descriptors whose apply is the fast tier's free function (Fast<Fn>::apply is unaryExpr).
template <class Fn, class Apply>
struct FastFreeFunction : Fast<Fn> {
  template <class X>
  static auto apply(const X& x) {
    return Apply{}(x);
  }
};
struct CallGelu {
  template <class X>
  auto operator()(const X& x) const {
    return activ::fast::gelu(x);
  }
};
struct CallGeluTanh {
  template <class X>
  auto operator()(const X& x) const {
    return activ::fast::gelu_tanh(x);
  }
};
struct CallSigmoid {
  template <class X>
  auto operator()(const X& x) const {
    return activ::fast::sigmoid(x);
  }
};
struct CallSilu {
  template <class X>
  auto operator()(const X& x) const {
    return activ::fast::silu(x);
  }
};
struct CallSwish {
  template <class X>
  auto operator()(const X& x) const {
    return activ::fast::swish(x, 1.702);
  }
};

template <class Fn>
void expect_both_precisions() {
  expect_free_function_on_every_dense_kind<Fn, float>();
  expect_free_function_on_every_dense_kind<Fn, double>();
}

TEST(FastTier, FreeFunctionsTakeEveryDenseKind) {
  expect_both_precisions<FastFreeFunction<GeluFn, CallGelu>>();
  expect_both_precisions<FastFreeFunction<GeluTanhFn, CallGeluTanh>>();
  expect_both_precisions<FastFreeFunction<SigmoidFn, CallSigmoid>>();
  expect_both_precisions<FastFreeFunction<SiluFn, CallSilu>>();
  expect_both_precisions<FastFreeFunction<SwishFn<1702>, CallSwish>>();
}

TEST(FastTier, FunctorsAreTheTierOfTheirTemplate) {
  static_assert(std::is_same_v<activ::fast::Gelu, activ::BasicGelu<activ::Tier::fast>>);
  static_assert(std::is_same_v<activ::Gelu, activ::BasicGelu<activ::Tier::precise>>);
  static_assert(!std::is_same_v<activ::fast::Sigmoid, activ::Sigmoid>);
  // relu, reglu and bilinear are exact: the same entities in both tiers.
  static_assert(std::is_same_v<activ::fast::Relu, activ::Relu>);
  EXPECT_EQ(&activ::fast::reglu, &activ::reglu);
  EXPECT_EQ(&activ::fast::bilinear, &activ::bilinear);
}

TEST(FastTier, WorksOnTensors) {
  Eigen::Tensor<float, 2> t(3, 5);
  t.setRandom();
  t = t * 20.0f - 10.0f;
  const Eigen::Tensor<float, 2> g = activ::fast::gelu(t), s = activ::fast::swish(t, 0.5);
  const activ::fast::Gelu gelu;
  const activ::fast::Swish swish{0.5};
  for (Eigen::Index i = 0; i < 3; ++i) {
    for (Eigen::Index j = 0; j < 5; ++j) {
      EXPECT_TRUE(same_result(g(i, j), gelu(t(i, j))));
      EXPECT_TRUE(same_result(s(i, j), swish(t(i, j))));
    }
  }
}

// The fast GLU variants are the GLU of the fast gates, value * Gate(gate) bit for bit, in every
// form, and .into() writes the same values.
TEST(FastTier, GluVariantsAreValueTimesTheFastGate) {
  Eigen::MatrixXf h = Eigen::MatrixXf::Random(7, 24) * 8.0f;
  const Eigen::MatrixXf value = h.leftCols(12), gate = h.rightCols(12);
  const activ::fast::Gelu gelu;
  const activ::fast::Silu silu;
  const Eigen::MatrixXf geglu = activ::fast::geglu(h), swiglu = activ::fast::swiglu(h);
  Eigen::MatrixXf into(7, 12);
  activ::fast::geglu.into(into, value, gate);
  for (Eigen::Index i = 0; i < 7; ++i) {
    for (Eigen::Index j = 0; j < 12; ++j) {
      EXPECT_TRUE(same_result(geglu(i, j), value(i, j) * gelu(gate(i, j))));
      EXPECT_TRUE(same_result(swiglu(i, j), value(i, j) * silu(gate(i, j))));
      EXPECT_TRUE(same_result(into(i, j), geglu(i, j)));
    }
  }
  EXPECT_THROW((void)activ::fast::swiglu_oai(h, 1.702, -1.0), std::invalid_argument);
  try {
    (void)activ::fast::geglu(Eigen::MatrixXf(2, 3));
    ADD_FAILURE() << "odd width accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("activ::fast::geglu"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace activ_test
