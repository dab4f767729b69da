// docs/design.md §3, special values, for every function, float and double, through the packet path (the
// value at every position of an array long enough to vectorize, including the scalar tail, and an
// array holding nothing else) and through the functor's scalar operator():
//
//   input        gelu, gelu_tanh, swish/silu    sigmoid    relu
//   NaN          NaN                            NaN        NaN
//   +inf         +inf                           1          +inf
//   -inf         -0 (sign bit set)              +0         +0
//   ±0           ±0 (sign kept)                 1/2        0
//   subnormal x  ≈ x/2, sign kept               1/2        max(x, 0)
#include "support/accuracy.hpp"
#include "support/function_lists.hpp"
#include "support/isa_guard.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>
#include <activ/activ.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace activ_test {
namespace {

template <class Fn>
constexpr bool kIsSigmoid = std::is_same_v<precise_of_t<Fn>, SigmoidFn>;
template <class Fn>
constexpr bool kIsRelu = std::is_same_v<Fn, ReluFn>;

template <class T>
std::string bits_text(T x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a [bits 0x%llx]", double(x), (unsigned long long)bits_of(x));
  return buf;
}

// Whether `got` is what docs/design.md §3 prescribes for Fn at the special input x.
template <class Fn, class T>
::testing::AssertionResult meets_table(T x, T got) {
  using L = std::numeric_limits<T>;
  auto exactly = [&](T want) -> ::testing::AssertionResult {
    if (bits_of(got) == bits_of(want)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << Fn::name() << "(" << bits_text(x) << ") = " << bits_text(got) << ", want "
           << bits_text(want);
  };
  auto fail = [&](const char* want) {
    return ::testing::AssertionFailure()
           << Fn::name() << "(" << bits_text(x) << ") = " << bits_text(got) << ", want " << want;
  };
  if (std::isnan(x)) return std::isnan(got) ? ::testing::AssertionSuccess() : fail("NaN");
  if (x == L::infinity()) return exactly(kIsSigmoid<Fn> ? T(1) : L::infinity());
  if (x == -L::infinity()) return exactly(kIsSigmoid<Fn> || kIsRelu<Fn> ? T(+0.0) : T(-0.0));
  if (kIsSigmoid<Fn>) return exactly(T(0.5));  // ±0 and subnormals: 1/2 + x/4 rounds to 1/2
  if (kIsRelu<Fn>) {
    if (x > 0) return exactly(x);
    return got == T(0) ? ::testing::AssertionSuccess() : fail("0");  // relu(-0): either zero
  }
  if (x == T(0)) return exactly(x);  // ±0, sign kept
  // Subnormal: x·(1/2 + O(x)) rounds to x/2 or to a neighbour of it (x/2 itself may be a tie);
  // the sign is kept (−denorm_min may give −0).
  const T half = x / 2;
  if (std::signbit(got) != std::signbit(x) || ulp_distance(got, half) > bound_of<Fn, T>()) {
    return fail(("≈ x/2 = " + bits_text(half) + " with the sign of x").c_str());
  }
  return ::testing::AssertionSuccess();
}

template <class T>
std::vector<T> special_inputs() {
  using L = std::numeric_limits<T>;
  return {L::quiet_NaN(),
          -L::quiet_NaN(),
          L::signaling_NaN(),
          L::infinity(),
          -L::infinity(),
          T(0.0),
          T(-0.0),
          L::denorm_min(),
          -L::denorm_min(),
          2 * L::denorm_min(),
          -3 * L::denorm_min(),
          L::min() / 3,
          -L::min() / 3,
          L::min() - L::denorm_min(),
          -(L::min() - L::denorm_min())};
}

template <class P>
class SpecialValues : public ::testing::Test {};
TYPED_TEST_SUITE(SpecialValues, AllFunctionsAtBothPrecisions, FunctionAndScalarName);

TYPED_TEST(SpecialValues, ScalarPathFollowsDesignTable) {
  using Fn = typename TypeParam::Fn;
  using T = typename TypeParam::Scalar;
  const auto f = Fn::functor();
  for (T x : special_inputs<T>()) EXPECT_TRUE((meets_table<Fn, T>(x, f(x))));
}

// 67 elements: whole packets of every ISA level (4, 8 or 16 floats) followed by a scalar tail.
TYPED_TEST(SpecialValues, PacketPathFollowsDesignTableAtEveryPosition) {
  using Fn = typename TypeParam::Fn;
  using T = typename TypeParam::Scalar;
  using Column = Eigen::Array<T, Eigen::Dynamic, 1>;
  constexpr Eigen::Index kSize = 67;
  const T ordinary = T(-0.75);
  const T ordinary_result = Fn::functor()(ordinary);
  for (T x : special_inputs<T>()) {
    for (Eigen::Index pos = 0; pos < kSize; ++pos) {
      Column in = Column::Constant(kSize, ordinary);
      in(pos) = x;
      const Column out = Fn::apply(in);
      EXPECT_TRUE((meets_table<Fn, T>(x, out(pos)))) << "at position " << pos << " of " << kSize;
      for (Eigen::Index i = 0; i < kSize; ++i) {
        if (i == pos) continue;
        ASSERT_TRUE(same_result(out(i), ordinary_result))
            << Fn::name() << ": the ordinary element " << i << " changed to " << bits_text(out(i))
            << " next to " << bits_text(x) << " at " << pos << " (want "
            << bits_text(ordinary_result) << ")";
      }
    }
    const Column out = Fn::apply(Column::Constant(kSize, x));  // every lane special
    for (Eigen::Index i = 0; i < kSize; ++i) {
      EXPECT_TRUE((meets_table<Fn, T>(x, out(i))))
          << "in an array of " << kSize << " copies, at " << i;
    }
  }
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
