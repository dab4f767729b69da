// <activ/glu.hpp>, bad input (docs/design.md §2): an odd last dimension, two inputs of different
// shapes, a destination of the wrong shape and an invalid variant parameter each throw
// std::invalid_argument when the expression is built (or before into() writes), with a message
// that names the function and the shapes. Never a truncation or an out-of-bounds access.
// (A fixed-size odd width, e.g. Matrix<float, 3, 7>, is a compile-time error instead.)
#include <activ/glu.hpp>

#include "support/errors.hpp"
#include "support/isa_guard.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace activ_test {
namespace {

using Eigen::MatrixXf;

const std::string kOddTail = " (shape 3x7); the last dimension must be even (2*d)";

// Every variant, every fused form: the check runs when the expression is built, before any
// assignment (the expression is discarded unevaluated).
template <class Variant>
void expect_odd_width_rejected(const Variant& f, const std::string& name) {
  const MatrixXf h = MatrixXf::Ones(3, 7);
  const std::string message = name + ": input has 7 columns" + kOddTail;
  expect_error([&] { (void)f(h); }, message);
  expect_error([&] { (void)f(h, activ::value_first); }, message);
  expect_error([&] { (void)f(h, activ::gate_first); }, message);
  expect_error([&] { (void)f(h, activ::interleaved); }, message);
  const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> hr = h;
  expect_error([&] { (void)f(hr, activ::interleaved); }, message);
  expect_error([&] { (void)f(h.array() + 1.0f, activ::interleaved); }, message);
}

TEST(GluErrors, OddWidthInEveryVariantAndLayout) {
  expect_odd_width_rejected(activ::geglu, "activ::geglu");
  expect_odd_width_rejected(activ::geglu_tanh, "activ::geglu_tanh");
  expect_odd_width_rejected(activ::swiglu, "activ::swiglu");
  expect_odd_width_rejected(activ::reglu, "activ::reglu");
  expect_odd_width_rejected(activ::glu, "activ::glu");
  expect_odd_width_rejected(activ::bilinear, "activ::bilinear");
  expect_odd_width_rejected(activ::swiglu_oai, "activ::swiglu_oai");
}

TEST(GluErrors, OddWidthWithVariantParameters) {
  const MatrixXf h = MatrixXf::Ones(3, 7);
  expect_error([&] { (void)activ::swiglu(h, 1.5); },
               "activ::swiglu: input has 7 columns" + kOddTail);
  expect_error([&] { (void)activ::swiglu(h, activ::interleaved, 1.5); },
               "activ::swiglu: input has 7 columns" + kOddTail);
  expect_error([&] { (void)activ::swiglu_oai(h, 1.702, 7.0); },
               "activ::swiglu_oai: input has 7 columns" + kOddTail);
}

TEST(GluErrors, OddWidthOfBlocksMapsAndRowVectors) {
  MatrixXf big = MatrixXf::Ones(4, 9);
  expect_error(
      [&] { (void)activ::geglu(big.block(1, 1, 2, 5)); },
      "activ::geglu: input has 5 columns (shape 2x5); the last dimension must be even (2*d)");
  const Eigen::Map<const MatrixXf> map(big.data(), 4, 9);
  expect_error(
      [&] { (void)activ::geglu(map, activ::interleaved); },
      "activ::geglu: input has 9 columns (shape 4x9); the last dimension must be even (2*d)");
}

// A 1-D input (a vector, of either orientation) is split along its length, which must be even.
// A matrix with one column at run time is 2-D: its last dimension is that column.
TEST(GluErrors, OddLengthOfOneDimensionalInputs) {
  const std::string tail = "; the last dimension must be even (2*d)";
  const Eigen::RowVectorXf row = Eigen::RowVectorXf::Ones(3);
  expect_error([&] { (void)activ::glu(row); },
               "activ::glu: input has 3 elements (shape 1x3)" + tail);
  const Eigen::ArrayXf array = Eigen::ArrayXf::Ones(7);
  const Eigen::VectorXd vector = Eigen::VectorXd::Ones(5);
  expect_error([&] { (void)activ::geglu(array); },
               "activ::geglu: input has 7 elements (shape 7x1)" + tail);
  expect_error([&] { (void)activ::geglu(array, activ::gate_first); },
               "activ::geglu: input has 7 elements (shape 7x1)" + tail);
  expect_error([&] { (void)activ::swiglu_oai(array); },
               "activ::swiglu_oai: input has 7 elements (shape 7x1)" + tail);
  expect_error([&] { (void)activ::swiglu(vector, activ::interleaved, 0.5); },
               "activ::swiglu: input has 5 elements (shape 5x1)" + tail);
  expect_error([&] { (void)activ::reglu(vector.head(3)); },
               "activ::reglu: input has 3 elements (shape 3x1)" + tail);
  Eigen::ArrayXf out(3);
  expect_error([&] { activ::glu.into(out, array); },
               "activ::glu: input has 7 elements (shape 7x1)" + tail);
  expect_error([&] { activ::glu.into(out, Eigen::ArrayXf::Ones(8)); },
               "activ::glu: destination is 3x1 but the result is 4x1; into() writes in place and "
               "never resizes");
  expect_error(
      [&] { (void)activ::bilinear(array.head(3), array.head(4)); },
      "activ::bilinear: value is 3x1 but gate is 4x1; the two inputs must have the same shape");
  Eigen::ArrayXf writable = array;
  expect_error([&] { (void)activ::value_half(writable); },
               "activ::value_half: input has 7 elements (shape 7x1)" + tail);
  expect_error([&] { (void)activ::geglu(MatrixXf::Ones(8, 1)); },
               "activ::geglu: input has 1 columns (shape 8x1)" + tail);
}

TEST(GluErrors, EmptyWidthIsEvenAndGivesAnEmptyResult) {
  const MatrixXf h(3, 0);
  const MatrixXf out = activ::geglu(h, activ::interleaved);
  EXPECT_EQ(out.rows(), 3);
  EXPECT_EQ(out.cols(), 0);
}

TEST(GluErrors, TwoInputsOfDifferentShapes) {
  const MatrixXf value = MatrixXf::Ones(3, 4);
  expect_error(
      [&] { (void)activ::geglu(value, MatrixXf::Ones(3, 5)); },
      "activ::geglu: value is 3x4 but gate is 3x5; the two inputs must have the same shape");
  expect_error(
      [&] { (void)activ::swiglu(value, MatrixXf::Ones(2, 4), 1.5); },
      "activ::swiglu: value is 3x4 but gate is 2x4; the two inputs must have the same shape");
  expect_error(
      [&] { (void)activ::swiglu_oai(value, value.transpose()); },
      "activ::swiglu_oai: value is 3x4 but gate is 4x3; the two inputs must have the same shape");
  expect_error(
      [&] { (void)activ::bilinear(value.leftCols(1), value); },
      "activ::bilinear: value is 3x1 but gate is 3x4; the two inputs must have the same shape");
}

TEST(GluErrors, DestinationOfTheWrongShapeIsNeitherResizedNorWritten) {
  const MatrixXf h = MatrixXf::Ones(3, 8);
  MatrixXf out = MatrixXf::Constant(3, 5, 42.0f);  // resizable, but into() never resizes
  expect_error([&] { activ::geglu.into(out, h); },
               "activ::geglu: destination is 3x5 but the result is 3x4; into() writes in place and "
               "never resizes");
  EXPECT_EQ(out.cols(), 5);
  EXPECT_TRUE((out.array() == 42.0f).all());

  float buffer[12];
  Eigen::Map<MatrixXf> map(buffer, 4, 3);
  expect_error([&] { activ::glu.into(map, h, activ::interleaved); },
               "activ::glu: destination is 4x3 but the result is 3x4; into() writes in place and "
               "never resizes");
  MatrixXf big = MatrixXf::Zero(5, 5);
  expect_error([&] { activ::swiglu.into(big.topLeftCorner(3, 3), h, 0.5); },
               "activ::swiglu: destination is 3x3 but the result is 3x4; into() writes in place "
               "and never resizes");
  expect_error([&] { activ::reglu.into(big.topLeftCorner(3, 3), h.leftCols(4), h.rightCols(4)); },
               "activ::reglu: destination is 3x3 but the result is 3x4; into() writes in place and "
               "never resizes");
  EXPECT_TRUE(big.isZero(0));
  // The input's own error comes first.
  expect_error([&] { activ::geglu.into(out, MatrixXf::Ones(3, 7)); },
               "activ::geglu: input has 7 columns" + kOddTail);
}

TEST(GluErrors, SwigluOaiLimitMustBeANonNegativeNumber) {
  const MatrixXf h = MatrixXf::Ones(3, 8);
  expect_error([&] { (void)activ::swiglu_oai(h, 1.702, -1.0); },
               "activ::swiglu_oai: limit is -1; it must be a number >= 0");
  expect_error(
      [&] {
        (void)activ::swiglu_oai(h, activ::value_first, 1.702,
                                std::numeric_limits<double>::quiet_NaN());
      },
      "activ::swiglu_oai: limit is nan; it must be a number >= 0");
  // An infinite limit is no clamp at all: GPT-OSS's formula without the clamps.
  EXPECT_NO_THROW((void)activ::swiglu_oai(h, 1.702, std::numeric_limits<double>::infinity()));
}

TEST(GluErrors, HalfViewsCheckTheirWidth) {
  MatrixXf h = MatrixXf::Ones(2, 5);
  expect_error(
      [&] { (void)activ::value_half(h, activ::interleaved); },
      "activ::value_half: input has 5 columns (shape 2x5); the last dimension must be even (2*d)");
  expect_error(
      [&] { (void)activ::gate_half(h); },
      "activ::gate_half: input has 5 columns (shape 2x5); the last dimension must be even (2*d)");
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
