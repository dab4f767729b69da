// The function lists of support/functions.hpp as GoogleTest type lists, with readable names:
// "FloatAccuracy/gelu.…", "SpecialValues/gelu_double.…".
#pragma once

#include "support/functions.hpp"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

namespace activ_test {

// A (function, scalar) pair for suites that run over both precisions.
template <class FnT, class ScalarT>
struct FunctionAt {
  using Fn = FnT;
  using Scalar = ScalarT;
};

template <class List>
struct GTestTypes;
template <class... Fns>
struct GTestTypes<FunctionList<Fns...>> {
  using Each = ::testing::Types<Fns...>;
  using AtBothPrecisions = ::testing::Types<FunctionAt<Fns, float>..., FunctionAt<Fns, double>...>;
};

using AccuracyFunctions = GTestTypes<AccuracyFunctionList>::Each;
using AllFunctionsAtBothPrecisions = GTestTypes<AllFunctionList>::AtBothPrecisions;
using PathFunctionsAtBothPrecisions = GTestTypes<PathFunctionList>::AtBothPrecisions;

struct FunctionName {
  template <class Fn>
  static std::string GetName(int) {
    return Fn::name();
  }
};

struct FunctionAndScalarName {
  template <class P>
  static std::string GetName(int) {
    return P::Fn::name() + (std::is_same_v<typename P::Scalar, float> ? "_float" : "_double");
  }
};

}  // namespace activ_test
