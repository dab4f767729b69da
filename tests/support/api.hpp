// Shared checks of the per-header tests (tests/test_<function>.cpp), docs/design.md §2: the free function
// takes any dense expression — Array or Matrix, either storage order, Map, Block, fixed or dynamic
// size, float or double — and returns a lazy expression of the same kind (a Matrix gives a matrix
// expression) whose every element is the functor's scalar value; values agree with the independent
// references; hand-checked closed forms hold.
#pragma once

#include "support/accuracy.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>

#include <cstdlib>
#include <limits>
#include <string>
#include <type_traits>

namespace activ_test {

template <class Expr>
constexpr bool kIsArrayExpression = std::is_base_of_v<Eigen::ArrayBase<Expr>, Expr>;
template <class Expr>
constexpr bool kIsMatrixExpression = std::is_base_of_v<Eigen::MatrixBase<Expr>, Expr>;

// result(i, j) is bit for bit f(input(i, j)) (NaN: any NaN), and the shapes agree.
template <class Result, class Input, class F>
void expect_elementwise(const Result& result, const Input& input, const F& f,
                        const std::string& kind) {
  ASSERT_EQ(result.rows(), input.rows()) << kind;
  ASSERT_EQ(result.cols(), input.cols()) << kind;
  for (Eigen::Index i = 0; i < input.rows(); ++i) {
    for (Eigen::Index j = 0; j < input.cols(); ++j) {
      const auto want = f(typename Input::Scalar(input(i, j)));
      EXPECT_TRUE(same_result(result(i, j), want))
          << kind << " at (" << i << ", " << j << "): x = " << show(input(i, j)) << ", got "
          << show(result(i, j)) << ", scalar functor " << show(want);
    }
  }
}

// The result kind (array or matrix expression, scalar type, storage order) follows the input, and
// the values are the functor's, for every kind of dense input.
template <class Fn, class T>
void expect_free_function_on_every_dense_kind() {
  using Eigen::Dynamic;
  using ArrayX = Eigen::Array<T, Dynamic, 1>;
  using ColMajor = Eigen::Matrix<T, Dynamic, Dynamic, Eigen::ColMajor>;
  using RowMajor = Eigen::Matrix<T, Dynamic, Dynamic, Eigen::RowMajor>;
  const auto f = Fn::functor();

  const ArrayX a = ArrayX::LinSpaced(29, T(-7), T(7));
  using OnArray = decltype(Fn::apply(a));
  static_assert(kIsArrayExpression<OnArray> && std::is_same_v<typename OnArray::Scalar, T>);
  expect_elementwise(ArrayX(Fn::apply(a)), a, f, "Array");
  expect_elementwise(ArrayX(Fn::apply(a * T(3) - T(1))), ArrayX(a * T(3) - T(1)), f,
                     "Array expression");

  ColMajor m(5, 7);
  for (Eigen::Index k = 0; k < m.size(); ++k) m(k) = T(-8) + T(k) * T(0.47);
  using OnMatrix = decltype(Fn::apply(m));
  static_assert(kIsMatrixExpression<OnMatrix> && std::is_same_v<typename OnMatrix::Scalar, T>);
  expect_elementwise(ColMajor(Fn::apply(m)), m, f, "column-major Matrix");
  expect_elementwise(ColMajor(Fn::apply(m.transpose())), ColMajor(m.transpose()), f,
                     "transposed Matrix");

  const RowMajor r = m;
  using OnRowMajor = decltype(Fn::apply(r));
  static_assert(kIsMatrixExpression<OnRowMajor> && (int(OnRowMajor::Flags) & Eigen::RowMajorBit));
  expect_elementwise(RowMajor(Fn::apply(r)), r, f, "row-major Matrix");

  using StridedMap = Eigen::Map<const ColMajor, Eigen::Unaligned, Eigen::OuterStride<>>;
  const StridedMap map(m.data() + 1, 3, 7, Eigen::OuterStride<>(5));
  static_assert(kIsMatrixExpression<decltype(Fn::apply(map))>);
  expect_elementwise(ColMajor(Fn::apply(map)), ColMajor(map), f, "Map with OuterStride");
  const Eigen::Map<const ArrayX> array_map(a.data() + 3, 20);
  static_assert(kIsArrayExpression<decltype(Fn::apply(array_map))>);
  expect_elementwise(ArrayX(Fn::apply(array_map)), ArrayX(array_map), f, "Map of an Array");

  expect_elementwise(ColMajor(Fn::apply(m.block(1, 2, 3, 4))), ColMajor(m.block(1, 2, 3, 4)), f,
                     "Block");
  expect_elementwise(ColMajor(Fn::apply(m.col(3))), ColMajor(m.col(3)), f, "column");
  expect_elementwise(RowMajor(Fn::apply(r.row(2))), RowMajor(r.row(2)), f, "row of a row-major");

  const Eigen::Matrix<T, 4, 1> v(T(-2.5), T(-0.5), T(0.25), T(3));
  using OnFixed = decltype(Fn::apply(v));
  static_assert(kIsMatrixExpression<OnFixed> && OnFixed::RowsAtCompileTime == 4);
  expect_elementwise(Eigen::Matrix<T, 4, 1>(Fn::apply(v)), v, f, "fixed-size vector");

  // The same functor through Eigen's own unaryExpr.
  expect_elementwise(ArrayX(a.unaryExpr(f)), a, f, "unaryExpr");
}

// float: within kMaxUlpFloat of the function in double with libm, on n points of [lo, hi] (the
// double value rounded once; MPFR is not linked into these tests).
template <class Fn>
void expect_float_agrees_with_double_libm(double lo, double hi, int n) {
  Eigen::ArrayXf x(n);
  for (int i = 0; i < n; ++i) x(i) = float(lo + (hi - lo) * i / (n - 1));
  const Eigen::ArrayXf y = Fn::apply(x);
  for (int i = 0; i < n; ++i) {
    const float want = static_cast<float>(Fn::template libm<float>(double(x(i))));
    ASSERT_LE(ulp_distance(y(i), want), kMaxUlpFloat)
        << Fn::name() << "(" << show(x(i)) << ") = " << show(y(i)) << ", want " << show(want);
  }
}

// double: within kMaxUlpDouble of the function in x87 long double with libm (64-bit significand:
// on [-10, 10] its error is a few hundredths of a double ULP; docs/design.md §4 allows long double where
// it suffices). Skipped where long double is not wider than double.
template <class Fn>
void expect_double_agrees_with_long_double_libm(double lo, double hi, int n) {
  if (std::numeric_limits<long double>::digits < 64)
    GTEST_SKIP() << "long double is not wider than double";
  Eigen::ArrayXd x(n);
  for (int i = 0; i < n; ++i) x(i) = lo + (hi - lo) * i / (n - 1);
  const Eigen::ArrayXd y = Fn::apply(x);
  for (int i = 0; i < n; ++i) {
    const double want =
        static_cast<double>(Fn::template libm<double>(static_cast<long double>(x(i))));
    ASSERT_LE(ulp_distance(y(i), want), kMaxUlpDouble)
        << Fn::name() << "(" << show(x(i)) << ") = " << show(y(i)) << ", want " << show(want);
  }
}

// f(x) for a float-representable x, in float and double, through the packet path (an element of a
// 19-element array) and the scalar functor, is within the bound of `value`, a decimal of the exact
// result (MPFR at 200 bits, or a table), read with the correctly rounding strtof/strtod.
template <class Fn>
void expect_closed_form(double x, const char* value) {
  auto check = [&](auto zero, auto exact) {
    using T = decltype(zero);
    using ArrayX = Eigen::Array<T, Eigen::Dynamic, 1>;
    const T packet = ArrayX(Fn::apply(ArrayX::Constant(19, T(x))))(2);
    const T scalar = Fn::functor()(T(x));
    EXPECT_LE(ulp_distance(packet, exact), max_ulp<T>())
        << Fn::name() << "(" << x << ") = " << show(packet) << ", exact " << value;
    EXPECT_LE(ulp_distance(scalar, exact), max_ulp<T>())
        << Fn::name() << "(" << x << ") = " << show(scalar) << " (scalar), exact " << value;
  };
  ASSERT_EQ(double(float(x)), x);
  check(0.0f, std::strtof(value, nullptr));
  check(0.0, std::strtod(value, nullptr));
}

}  // namespace activ_test
