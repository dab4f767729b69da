// Degenerate shapes: empty inputs (0 elements, 0x0, 0x2, 3x0: d = 0), one row, 1x2, a very wide
// row (1 x 2·10^6), and index arithmetic past 2^31 elements, for the element-wise functions,
// every GLU layout, the two-input form, into(), the half views and the tensor forms.
//
// The defined results: an empty input gives an empty result of the right shape (rows kept, width
// halved) and touches no memory; an odd width is an error even with no rows; elements pair up
// by index however far apart they are in memory. Values are checked against exact products
// (bilinear, reglu: value * gate and value * max(gate, 0) are one rounding) and against the GLU
// functor's scalar value at the right (value, gate) pair.
#define EIGEN_USE_THREADS
#include <activ/activ.hpp>
#include <activ/tensor.hpp>

#include "support/errors.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

namespace activ_test {
namespace {

using Eigen::Dynamic;
using Eigen::Index;
using Eigen::MatrixXf;
using RowMatrixXf = Eigen::Matrix<float, Dynamic, Dynamic, Eigen::RowMajor>;

// Index arithmetic is 64-bit: Eigen::Index is std::ptrdiff_t, and the GLU code (glu_dense.hpp,
// glu_views.hpp, glu_deinterleave.hpp, glu_tensor.hpp) computes every offset in Eigen::Index.
static_assert(sizeof(Index) == 8, "Eigen::Index must be 64-bit for the huge-stride tests");
static_assert(std::is_same_v<decltype(std::declval<MatrixXf>().outerStride()), Index>);

// ---- empty inputs -------------------------------------------------------------------------

template <class T>
void element_wise_empty() {
  using ArrayX = Eigen::Array<T, Dynamic, 1>;
  using MatrixX = Eigen::Matrix<T, Dynamic, Dynamic>;
  using RowMatrixX = Eigen::Matrix<T, Dynamic, Dynamic, Eigen::RowMajor>;
  const auto check = [](const auto& in) {
    using Plain = typename std::decay_t<decltype(in)>::PlainObject;
    const Plain outs[] = {activ::gelu(in), activ::gelu_tanh(in),  activ::sigmoid(in),
                          activ::silu(in), activ::swish(in, 1.5), activ::relu(in)};
    for (const Plain& out : outs) {
      EXPECT_EQ(out.rows(), in.rows());
      EXPECT_EQ(out.cols(), in.cols());
    }
  };
  check(ArrayX());
  check(MatrixX(0, 0));
  check(MatrixX(0, 5));
  check(MatrixX(5, 0));
  check(RowMatrixX(0, 3));
  check(Eigen::Map<const ArrayX>(nullptr, 0));  // no storage at all
  const MatrixX m = MatrixX::Ones(4, 4);
  check(m.block(1, 1, 0, 3));
  // In place on an empty Map.
  Eigen::Map<ArrayX> empty(nullptr, 0);
  empty = activ::gelu(empty);
  EXPECT_EQ(empty.size(), 0);
}

TEST(EmptyInputs, ElementWiseFloat) { element_wise_empty<float>(); }
TEST(EmptyInputs, ElementWiseDouble) { element_wise_empty<double>(); }

// Every variant, every layout, on a column-major and a row-major input of shape rows x 2d.
template <class In>
void expect_glu_shape(const In& h, Index rows, Index d, const std::string& what) {
  const auto check = [&](const auto& xpr, const char* form) {
    const MatrixXf out = xpr;
    EXPECT_EQ(out.rows(), rows) << what << " " << form;
    EXPECT_EQ(out.cols(), d) << what << " " << form;
  };
  check(activ::geglu(h), "geglu");
  check(activ::geglu(h, activ::gate_first), "geglu gate_first");
  check(activ::geglu(h, activ::interleaved), "geglu interleaved");
  check(activ::geglu_tanh(h, activ::interleaved), "geglu_tanh interleaved");
  check(activ::swiglu(h, activ::gate_first, 1.702), "swiglu gate_first");
  check(activ::reglu(h), "reglu");
  check(activ::glu(h, activ::interleaved), "glu interleaved");
  check(activ::bilinear(h, activ::gate_first), "bilinear gate_first");
  check(activ::swiglu_oai(h), "swiglu_oai (interleaved)");
  check(activ::swiglu_oai(h, activ::value_first), "swiglu_oai value_first");
  check(activ::geglu(h.array() * 2.0f, activ::interleaved), "expression interleaved");
}

TEST(EmptyInputs, GluEveryLayoutGivesAnEmptyResultOfTheRightShape) {
  for (const auto& [rows, cols] : {std::pair<Index, Index>{0, 0}, {0, 2}, {0, 8}, {3, 0}, {1, 0}}) {
    const std::string what = std::to_string(rows) + "x" + std::to_string(cols);
    expect_glu_shape(MatrixXf(rows, cols), rows, cols / 2, what + " col-major");
    expect_glu_shape(RowMatrixXf(rows, cols), rows, cols / 2, what + " row-major");
    expect_glu_shape(Eigen::Map<const MatrixXf>(nullptr, rows, cols), rows, cols / 2,
                     what + " Map");
    expect_glu_shape(Eigen::Map<const RowMatrixXf>(nullptr, rows, cols), rows, cols / 2,
                     what + " row-major Map");
  }
  // A fixed-size empty width: Matrix<float, 3, 0> gives 3 x 0 (compile-time d = 0).
  const Eigen::Matrix<float, 3, 0> fixed;
  const auto out = activ::geglu(fixed, activ::interleaved);
  static_assert(decltype(out)::ColsAtCompileTime == 0);
  EXPECT_EQ(MatrixXf(out).rows(), 3);
}

TEST(EmptyInputs, TwoInputFormIntoAndHalfViews) {
  const MatrixXf none(3, 0), rows_none(0, 4);
  EXPECT_EQ(MatrixXf(activ::geglu(none, none)).rows(), 3);
  EXPECT_EQ(MatrixXf(activ::swiglu(rows_none, rows_none, 0.5)).cols(), 4);
  EXPECT_EQ(MatrixXf(activ::bilinear(MatrixXf(0, 0), MatrixXf(0, 0))).size(), 0);

  // into(): an empty destination of the right shape, even one without storage.
  Eigen::Map<MatrixXf> empty_out(nullptr, 3, 0);
  activ::geglu.into(empty_out, MatrixXf(3, 0), activ::interleaved);
  activ::reglu.into(empty_out, none, none);
  MatrixXf zero_rows(0, 1);
  activ::glu.into(zero_rows, MatrixXf(0, 2), activ::gate_first);
  EXPECT_EQ(zero_rows.cols(), 1);

  // In place into an empty value half.
  MatrixXf h(3, 0);
  activ::value_half(h, activ::interleaved) = activ::geglu(h, activ::interleaved);
  activ::value_half(h) = activ::geglu(h);
  EXPECT_EQ(activ::gate_half(h, activ::gate_first).cols(), 0);
  RowMatrixXf hr(0, 6);
  activ::value_half(hr, activ::interleaved) = activ::swiglu(hr, activ::interleaved);
  EXPECT_EQ(activ::value_half(hr, activ::interleaved).cols(), 3);
}

TEST(EmptyInputs, ErrorsStillApply) {
  expect_error(
      [] { (void)activ::geglu(MatrixXf(0, 3)); },
      "activ::geglu: input has 3 columns (shape 0x3); the last dimension must be even (2*d)");
  expect_error(
      [] { (void)activ::glu(MatrixXf(2, 1), activ::interleaved); },
      "activ::glu: input has 1 columns (shape 2x1); the last dimension must be even (2*d)");
  expect_error(
      [] { (void)activ::reglu(MatrixXf(0, 3), MatrixXf(3, 0)); },
      "activ::reglu: value is 0x3 but gate is 3x0; the two inputs must have the same shape");
  expect_error(
      [] { (void)activ::bilinear(MatrixXf(0, 0), MatrixXf(0, 1)); },
      "activ::bilinear: value is 0x0 but gate is 0x1; the two inputs must have the same shape");
  MatrixXf out(0, 2);
  expect_error([&] { activ::geglu.into(out, MatrixXf(0, 2)); },
               "activ::geglu: destination is 0x2 but the result is 0x1; into() writes in place and "
               "never resizes");
  expect_error(
      [] { (void)activ::value_half(MatrixXf(0, 5)); },
      "activ::value_half: input has 5 columns (shape 0x5); the last dimension must be even (2*d)");
}

TEST(EmptyInputs, Tensors) {
  const auto check = [](const auto& t, const auto& want_dims, const char* what) {
    using Out = Eigen::Tensor<float, std::decay_t<decltype(t)>::NumDimensions,
                              std::decay_t<decltype(t)>::Layout>;
    const Out forms[] = {activ::geglu(t), activ::geglu(t, activ::gate_first),
                         activ::geglu(t, activ::interleaved), activ::swiglu_oai(t),
                         activ::bilinear(t, activ::interleaved)};
    for (const Out& out : forms) {
      for (int k = 0; k < Out::NumDimensions; ++k)
        EXPECT_EQ(out.dimension(k), want_dims[std::size_t(k)]) << what << " dimension " << k;
    }
  };
  check(Eigen::Tensor<float, 3>(0, 4, 6), Eigen::array<Index, 3>{0, 4, 3}, "[0, 4, 6]");
  check(Eigen::Tensor<float, 3>(2, 3, 0), Eigen::array<Index, 3>{2, 3, 0}, "[2, 3, 0]");
  check(Eigen::Tensor<float, 3, Eigen::RowMajor>(2, 0, 4), Eigen::array<Index, 3>{2, 0, 2},
        "row-major [2, 0, 4]");
  check(Eigen::Tensor<float, 1>(0), Eigen::array<Index, 1>{0}, "[0]");
  check(Eigen::TensorMap<const Eigen::Tensor<float, 2>>(nullptr, 5, 0),
        Eigen::array<Index, 2>{5, 0}, "TensorMap [5, 0]");

  // Two-input, into(), the thread pool, and the errors, on empty tensors.
  const Eigen::Tensor<float, 2> a(0, 3), b(3, 0);
  Eigen::Tensor<float, 2> out = activ::swiglu(a, a);
  EXPECT_EQ(out.dimension(0), 0);
  EXPECT_EQ(out.dimension(1), 3);
  Eigen::Tensor<float, 2> into_out(4, 0);
  activ::geglu.into(into_out, Eigen::Tensor<float, 2>(4, 0), activ::interleaved);
  Eigen::ThreadPool pool(2);
  const Eigen::ThreadPoolDevice device(&pool, 2);
  Eigen::Tensor<float, 3> pooled(0, 2, 5);
  pooled.device(device) = activ::geglu(Eigen::Tensor<float, 3>(0, 2, 10), activ::interleaved);
  EXPECT_EQ(pooled.size(), 0);
  expect_error(
      [&] { (void)activ::geglu(a, b); },
      "activ::geglu: value is [0, 3] but gate is [3, 0]; the two inputs must have the same shape");
  expect_error([&] { (void)activ::geglu(Eigen::Tensor<float, 2>(0, 3)); },
               "activ::geglu: input has 3 elements in its last dimension (shape [0, 3]); the last "
               "dimension must be even (2*d)");
}

// ---- one row, 1x2, a very wide row --------------------------------------------------------

// The input h = [v_0 .. v_{d-1} | g_0 .. g_{d-1}] in the layout, from value(j) and gate(j).
template <class Matrix, class Value, class Gate>
Matrix fused(Index rows, Index d, int layout, Value value, Gate gate) {
  Matrix h(rows, 2 * d);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < d; ++j) {
      const Index vj = layout == 0 ? j : layout == 1 ? d + j : 2 * j + 1;
      const Index gj = layout == 0 ? d + j : layout == 1 ? j : 2 * j;
      h(i, vj) = value(i, j);
      h(i, gj) = gate(i, j);
    }
  }
  return h;
}

// variant(h) in layout 0 (value_first), 1 (gate_first) or 2 (interleaved), evaluated into a
// matrix of h's storage order (so that Eigen vectorizes along the rows of a row-major input; a
// column-major destination with one row would take the scalar path).
template <class Variant, class Matrix>
typename Matrix::PlainObject in_layout(const Variant& variant, int layout, const Matrix& h) {
  if (layout == 0) return variant(h, activ::value_first);
  if (layout == 1) return variant(h, activ::gate_first);
  return variant(h, activ::interleaved);
}

template <class Matrix>
typename Matrix::PlainObject apply(int layout, const Matrix& h) {
  return in_layout(activ::bilinear, layout, h);
}

TEST(SmallShapes, OneRowAndOneByTwo) {
  const auto value = [](Index i, Index j) { return float(3 * i + j + 1); };
  const auto gate = [](Index i, Index j) { return 0.5f + float(i) - float(j) * 0.25f; };
  for (int layout = 0; layout < 3; ++layout) {
    for (Index d : {1, 2, 3, 7, 16, 17, 33}) {
      const MatrixXf h = fused<MatrixXf>(1, d, layout, value, gate);
      const MatrixXf col = apply(layout, h);
      const RowMatrixXf row = apply(layout, RowMatrixXf(h));
      ASSERT_EQ(col.rows(), 1);
      ASSERT_EQ(col.cols(), d);
      for (Index j = 0; j < d; ++j) {
        EXPECT_EQ(col(0, j), value(0, j) * gate(0, j)) << "layout " << layout << " d " << d;
        EXPECT_EQ(row(0, j), value(0, j) * gate(0, j)) << "row-major, layout " << layout;
      }
    }
  }
  // 1x2 as fixed-size objects: Matrix<float, 1, 2>, Array, and a row of a bigger matrix.
  const Eigen::Matrix<float, 1, 2> m(3.0f, -2.0f);
  const Eigen::Matrix<float, 1, 1> vf = activ::reglu(m);
  EXPECT_EQ(vf(0), 0.0f);  // 3 * max(-2, 0)
  EXPECT_EQ((Eigen::Matrix<float, 1, 1>(activ::bilinear(m, activ::gate_first))(0)), -6.0f);
  EXPECT_EQ((Eigen::Matrix<float, 1, 1>(activ::bilinear(m, activ::interleaved))(0)), -6.0f);
  const Eigen::Array<double, 1, 2> a(2.0, 4.0);
  EXPECT_EQ((Eigen::Array<double, 1, 1>(activ::reglu(a))(0)), 8.0);
  const MatrixXf big = MatrixXf::Constant(5, 2, 2.0f);
  EXPECT_EQ(MatrixXf(activ::bilinear(big.row(3)))(0, 0), 4.0f);
  // One element per half: the functor's value at that pair, every variant.
  const Eigen::RowVector2f one(1.5f, -0.75f);
  EXPECT_TRUE(
      bit_identical(MatrixXf(activ::geglu(one))(0, 0), activ::geglu.functor()(1.5f, -0.75f)));
  EXPECT_TRUE(bit_identical(MatrixXf(activ::swiglu_oai(one))(0, 0),
                            activ::swiglu_oai.functor()(-0.75f, 1.5f)));  // interleaved: gate first
}

// 1 x (2·10^6) floats: the packet body, the tail and the layouts at a width far beyond any cache.
TEST(SmallShapes, OneVeryWideRow) {
  constexpr Index d = 1'000'000;
  const auto value = [](Index, Index j) { return float(j % 1000) * 0.125f - 60.0f; };
  const auto gate = [](Index, Index j) { return float((j * 7) % 4096) / 256.0f - 8.0f; };
  const activ::GLU<activ::Gelu> geglu;
  for (int layout = 0; layout < 3; ++layout) {
    const RowMatrixXf h = fused<RowMatrixXf>(1, d, layout, value, gate);
    const MatrixXf hc = h;
    const RowMatrixXf exact = apply(layout, h);
    const RowMatrixXf g = in_layout(activ::geglu, layout, h);
    const MatrixXf gc = in_layout(activ::geglu, layout, hc);
    ASSERT_EQ(exact.cols(), d);
    ASSERT_EQ(g.cols(), d);
    std::size_t bad = 0;
    for (Index j = 0; j < d; ++j) {
      const float v = value(0, j), w = gate(0, j);
      bad += exact(0, j) != v * w;
      bad += !bit_identical(g(0, j), geglu(v, w));
      bad += !bit_identical(gc(0, j), geglu(v, w));
    }
    EXPECT_EQ(bad, 0u) << "layout " << layout;
  }
}

// ---- index arithmetic beyond 2^31 ---------------------------------------------------------
//
// A Map with an outer stride of 2^31 + 7 over a mapping that reserves the whole span but touches
// only the few elements the Map names: indices pass 2^31 (and 2^32 where the interleaved view
// doubles the stride) while the process writes a few pages. The span is reserved with mmap
// (MAP_NORESERVE: address space only; the kernel supplies the touched pages). Where the system
// refuses such a mapping (vm.overcommit_memory = 2), the test is skipped.

constexpr Index kHugeStride = (Index(1) << 31) + 7;

class Reservation {
 public:
  explicit Reservation(std::size_t floats) : bytes_(floats * sizeof(float)) {
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    data_ = p == MAP_FAILED ? nullptr : static_cast<float*>(p);
  }
  ~Reservation() {
    if (data_) munmap(data_, bytes_);
  }
  Reservation(const Reservation&) = delete;
  Reservation& operator=(const Reservation&) = delete;
  float* data() const { return data_; }

 private:
  std::size_t bytes_;
  float* data_;
};

#define ACTIV_RESERVE(name, floats) \
  Reservation name(floats);         \
  if (!name.data()) GTEST_SKIP() << "cannot reserve " << (floats) << " floats of address space"

TEST(HugeIndices, ColumnMajorOuterStridePast2To31) {
  // 3 rows, 4 columns (d = 2), columns 2^31 + 7 floats apart: column 3 starts at 3·(2^31 + 7).
  constexpr Index rows = 3, cols = 4;
  ACTIV_RESERVE(buffer, std::size_t((cols - 1) * kHugeStride + rows));
  using Strided = Eigen::Map<MatrixXf, Eigen::Unaligned, Eigen::OuterStride<>>;
  Strided h(buffer.data(), rows, cols, Eigen::OuterStride<>(kHugeStride));
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) h(i, j) = float(10 * i + j + 1);
  // Element (i, j) really lives at offset i + j·(2^31 + 7).
  EXPECT_EQ(buffer.data()[std::size_t(2 + 3 * kHugeStride)], 24.0f);

  const auto hv = [&](Index i, Index j) { return float(10 * i + j + 1); };
  const MatrixXf vf = activ::bilinear(h), gf = activ::bilinear(h, activ::gate_first),
                 il = activ::reglu(h, activ::interleaved),
                 two = activ::bilinear(h.col(0), h.col(3));
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < 2; ++j) {
      EXPECT_EQ(vf(i, j), hv(i, j) * hv(i, j + 2));  // value cols 0, 1; gate 2, 3
      EXPECT_EQ(gf(i, j), hv(i, j + 2) * hv(i, j));
      EXPECT_EQ(il(i, j), hv(i, 2 * j + 1) * hv(i, 2 * j));  // stride 2·(2^31 + 7) > 2^32
    }
    EXPECT_EQ(two(i, 0), hv(i, 0) * hv(i, 3));
  }
  const MatrixXf g = activ::geglu(h, activ::interleaved);
  EXPECT_TRUE(bit_identical(g(2, 1), activ::geglu.functor()(hv(2, 3), hv(2, 2))));

  // In place into the value half (a strided Map), and into() a strided destination.
  activ::value_half(h, activ::interleaved) = activ::bilinear(h, activ::interleaved);
  EXPECT_EQ(h(1, 3), hv(1, 3) * hv(1, 2));
  EXPECT_EQ(h(1, 1), hv(1, 1) * hv(1, 0));
  Strided out(buffer.data() + 1, 2, 2, Eigen::OuterStride<>(kHugeStride));
  activ::reglu.into(out, MatrixXf::Constant(2, 4, 3.0f));
  EXPECT_EQ(buffer.data()[std::size_t(1 + kHugeStride)], 9.0f);
}

TEST(HugeIndices, RowMajorOuterStridePast2To32) {
  // 3 rows of 2d = 40 floats, rows 2^31 + 7 apart: row 2 starts past 2^32. The interleaved
  // row-major view (glu_every_other_column) de-interleaves packets within each row.
  constexpr Index rows = 3, d = 20;
  ACTIV_RESERVE(buffer, std::size_t((rows - 1) * kHugeStride + 2 * d));
  using Strided = Eigen::Map<const RowMatrixXf, Eigen::Unaligned, Eigen::OuterStride<>>;
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < 2 * d; ++j) buffer.data()[i * kHugeStride + j] = float(i * 100 + j);
  const Strided h(buffer.data(), rows, 2 * d, Eigen::OuterStride<>(kHugeStride));
  const auto hv = [](Index i, Index j) { return float(i * 100 + j); };
  const RowMatrixXf il = activ::bilinear(h, activ::interleaved), vf = activ::bilinear(h);
  const RowMatrixXf g = activ::geglu(h, activ::interleaved);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < d; ++j) {
      EXPECT_EQ(il(i, j), hv(i, 2 * j + 1) * hv(i, 2 * j)) << i << ", " << j;
      EXPECT_EQ(vf(i, j), hv(i, j) * hv(i, j + d)) << i << ", " << j;
      EXPECT_TRUE(bit_identical(g(i, j), activ::geglu.functor()(hv(i, 2 * j + 1), hv(i, 2 * j))));
    }
  }
  // Rows as the inner dimension: a column-major Map with inner stride 2^31 + 7 (rows apart).
  using InnerStrided =
      Eigen::Map<const MatrixXf, Eigen::Unaligned, Eigen::Stride<Dynamic, Dynamic>>;
  const InnerStrided t(buffer.data(), rows, 2 * d, Eigen::Stride<Dynamic, Dynamic>(1, kHugeStride));
  EXPECT_TRUE(RowMatrixXf(activ::bilinear(t, activ::interleaved)) == il);
}

TEST(HugeIndices, TensorStridedViewPast2To32) {
  // A rank-2 row-major TensorMap of 3 x 2·(2^31 + 7), strided by 2^31 + 7 in the last dimension:
  // a 3 x 2 view whose elements are 2^31 + 7 apart and rows 2^32 + 14 apart. (Eigen 3.4's
  // TensorStriding computes the strided extent in float, ceil(float(width) / stride): with a
  // width of 2^31 + 8 that gives 1, not 2, so the width is twice the stride.)
  constexpr Index rows = 3, width = 2 * kHugeStride;
  ACTIV_RESERVE(buffer, std::size_t(rows * width));
  for (Index i = 0; i < rows; ++i) {
    buffer.data()[i * width] = float(i + 2);                // value
    buffer.data()[i * width + kHugeStride] = float(i - 4);  // gate
  }
  const Eigen::TensorMap<const Eigen::Tensor<float, 2, Eigen::RowMajor>> big(buffer.data(), rows,
                                                                             width);
  const auto view = big.stride(Eigen::array<Index, 2>{1, kHugeStride});
  const Eigen::Tensor<float, 2, Eigen::RowMajor> out = activ::bilinear(view);
  const Eigen::Tensor<float, 2, Eigen::RowMajor> gated = activ::reglu(view, activ::gate_first);
  ASSERT_EQ(out.dimension(1), 1);
  for (Index i = 0; i < rows; ++i) {
    EXPECT_EQ(out(i, 0), float(i + 2) * float(i - 4));
    EXPECT_EQ(gated(i, 0), float(i - 4) * float(i + 2 > 0 ? i + 2 : 0));
  }
}

}  // namespace
}  // namespace activ_test
