// <activ/glu.hpp>, layouts (docs/design.md §1):
//  - hand-derived values pin each layout down, in PyTorch's, ggml's and GPT-OSS's conventions;
//  - results are bit-identical across layouts, storage orders, strides, offsets and sizes, and
//    between the fused and two-input forms, the packet and the scalar paths;
//  - writing into preallocated storage allocates nothing; in place into the value half is safe.
//
// EIGEN_RUNTIME_NO_MALLOC lets a test forbid heap allocation while an expression is evaluated.
#define EIGEN_RUNTIME_NO_MALLOC
#include <activ/glu.hpp>

#include "support/isa_guard.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace activ_test {
namespace {

using Eigen::Dynamic;
using Eigen::Index;
template <class T>
using Mat = Eigen::Matrix<T, Dynamic, Dynamic>;
template <class T>
using RowMat = Eigen::Matrix<T, Dynamic, Dynamic, Eigen::RowMajor>;

// ---------------------------------------------------------------------------------------------
// Hand-derived values. Φ is the standard normal CDF, so gelu(x) = x·Φ(x); σ is the logistic
// function; gelu_tanh(x) = x·T(x) with T(x) = ½(1 + tanh(√(2/π)(x + 0.044715x³))). Constants
// to 25 digits (mpmath at 30 digits: ncdf, 1/(1 + e^−x), the tanh formula).
constexpr double kPhi[] = {0, 0.8413447460685429485852325, 0.9772498680518207927997174,
                           0.9986501019683699054733482, 0.9999683287581668800787462};
constexpr double kSigma[] = {0.5, 0.7310585786300048792511592, 0.8807970779778824440597291,
                             0.9525741268224332191211518, 0.9820137900379084419732069};
constexpr double kTanhFactor[] = {0.5, 0.8411919906082767047819958, 0.9772988470438875093905207,
                                  0.9987875359727423270540612, 0.9999824385129519068275455};
constexpr double kSigma1702 = 0.8457957659328212957071068;        // σ(1.702)
constexpr double kSigma1702Times7 = 0.9999933040433310283034305;  // σ(11.914)

double gelu_of(int x) { return x * kPhi[x]; }
double silu_of(int x) { return x * kSigma[x]; }
double gelu_tanh_of(int x) { return x * kTanhFactor[x]; }

template <class T>
void expect_row(const char* what, const Mat<T>& got, std::initializer_list<double> want) {
  ASSERT_EQ(got.rows(), 1) << what;
  ASSERT_EQ(got.cols(), Index(want.size())) << what;
  Index j = 0;
  for (double w : want) {
    EXPECT_LE(ulp_distance(got(0, j), static_cast<T>(w)), 3u)
        << what << " element " << j << ": got " << double(got(0, j)) << ", want " << w;
    ++j;
  }
}

template <class T>
void check_hand_derived() {
  Mat<T> h(1, 4);
  h << 1, 2, 3, 4;
  // torch: a, g = h.chunk(2, -1); a * F.gelu(g)   (diffusers GEGLU)
  expect_row<T>("geglu value_first", activ::geglu(h), {1 * gelu_of(3), 2 * gelu_of(4)});
  expect_row<T>("geglu explicit value_first", activ::geglu(h, activ::value_first),
                {1 * gelu_of(3), 2 * gelu_of(4)});
  // ggml's default / Phi-3: g, a = h.chunk(2, -1)
  expect_row<T>("geglu gate_first", activ::geglu(h, activ::gate_first),
                {3 * gelu_of(1), 4 * gelu_of(2)});
  // GPT-OSS: g = h[..., ::2], a = h[..., 1::2]
  expect_row<T>("geglu interleaved", activ::geglu(h, activ::interleaved),
                {2 * gelu_of(1), 4 * gelu_of(3)});
  expect_row<T>("geglu two-input", activ::geglu(h.leftCols(2), h.rightCols(2)),
                {1 * gelu_of(3), 2 * gelu_of(4)});

  expect_row<T>("geglu_tanh value_first", activ::geglu_tanh(h),
                {1 * gelu_tanh_of(3), 2 * gelu_tanh_of(4)});
  expect_row<T>("geglu_tanh gate_first", activ::geglu_tanh(h, activ::gate_first),
                {3 * gelu_tanh_of(1), 4 * gelu_tanh_of(2)});
  expect_row<T>("geglu_tanh interleaved", activ::geglu_tanh(h, activ::interleaved),
                {2 * gelu_tanh_of(1), 4 * gelu_tanh_of(3)});

  // torch.nn.functional.glu(h, -1) = first half * sigmoid(second half)
  expect_row<T>("glu value_first (F.glu)", activ::glu(h), {1 * kSigma[3], 2 * kSigma[4]});
  expect_row<T>("glu gate_first", activ::glu(h, activ::gate_first), {3 * kSigma[1], 4 * kSigma[2]});
  expect_row<T>("glu interleaved", activ::glu(h, activ::interleaved),
                {2 * kSigma[1], 4 * kSigma[3]});

  // Phi-3: gate, up = h.chunk(2, -1); up * silu(gate)
  expect_row<T>("swiglu value_first", activ::swiglu(h), {1 * silu_of(3), 2 * silu_of(4)});
  expect_row<T>("swiglu gate_first (Phi-3)", activ::swiglu(h, activ::gate_first),
                {3 * silu_of(1), 4 * silu_of(2)});
  expect_row<T>("swiglu interleaved", activ::swiglu(h, activ::interleaved),
                {2 * silu_of(1), 4 * silu_of(3)});
  expect_row<T>("swiglu beta=0 is value * gate/2", activ::swiglu(h, 0.0), {1 * 1.5, 2 * 2.0});

  expect_row<T>("bilinear value_first", activ::bilinear(h), {3, 8});
  expect_row<T>("bilinear interleaved", activ::bilinear(h, activ::interleaved), {2, 12});

  Mat<T> s(1, 4);
  s << 1, -2, -3, 4;
  expect_row<T>("reglu value_first", activ::reglu(s), {0, -8});  // 1·relu(−3), −2·relu(4)
  expect_row<T>("reglu gate_first", activ::reglu(s, activ::gate_first),
                {-3, 0});  // −3·relu(1), 4·relu(−2)
  expect_row<T>("reglu interleaved", activ::reglu(s, activ::interleaved),
                {-2, 0});  // −2·relu(1), 4·relu(−3)

  // GPT-OSS swiglu(x, alpha=1.702, limit=7): interleaved [g0 v0 g1 v1] = [1 2 8 −9]:
  // g = (1, min(8, 7) = 7), v = (2, clamp(−9) = −7); out = g·σ(1.702 g)·(v + 1).
  Mat<T> x(1, 4);
  x << 1, 2, 8, -9;
  expect_row<T>("swiglu_oai (interleaved default)", activ::swiglu_oai(x),
                {1 * kSigma1702 * 3, 7 * kSigma1702Times7 * -6});
  expect_row<T>("swiglu_oai explicit interleaved",
                activ::swiglu_oai(x, activ::interleaved, 1.702, 7.0),
                {1 * kSigma1702 * 3, 7 * kSigma1702Times7 * -6});
  // value_first: v = (1, 2), g = (min(8, 7), −9)... with limit 100: g = (8, −9) unclamped is
  // not hand-friendly, so use alpha = 0: σ(0) = ½, out = g/2·(v + 1).
  expect_row<T>("swiglu_oai value_first alpha=0",
                activ::swiglu_oai(x, activ::value_first, 0.0, 7.0),
                {7 * 0.5 * 2, -9 * 0.5 * 3});  // g = (min(8,7), −9), v = (1, 2)
  expect_row<T>(
      "swiglu_oai gate_first alpha=0", activ::swiglu_oai(x, activ::gate_first, 0.0, 1.5),
      {1 * 0.5 * (1.5 + 1), 1.5 * 0.5 * (-1.5 + 1)});  // g = (1, min(2, 1.5)), v = (8→1.5, −9→−1.5)

  // Several rows, both storage orders: the last dimension is the columns, row by row.
  Mat<T> m(2, 4);
  m << 1, 2, 3, 4, 4, 3, 2, 1;
  const RowMat<T> r = m;
  for (const Mat<T>& got :
       {Mat<T>(activ::geglu(m, activ::interleaved)), Mat<T>(activ::geglu(r, activ::interleaved))}) {
    EXPECT_LE(ulp_distance(got(0, 0), T(2 * gelu_of(1))), 3u);
    EXPECT_LE(ulp_distance(got(0, 1), T(4 * gelu_of(3))), 3u);
    EXPECT_LE(ulp_distance(got(1, 0), T(3 * gelu_of(4))), 3u);
    EXPECT_LE(ulp_distance(got(1, 1), T(1 * gelu_of(2))), 3u);
  }
  for (const Mat<T>& got :
       {Mat<T>(activ::geglu(m, activ::gate_first)), Mat<T>(activ::geglu(r, activ::gate_first))}) {
    EXPECT_LE(ulp_distance(got(0, 0), T(3 * gelu_of(1))), 3u);
    EXPECT_LE(ulp_distance(got(0, 1), T(4 * gelu_of(2))), 3u);
    EXPECT_LE(ulp_distance(got(1, 0), T(2 * gelu_of(4))), 3u);
    EXPECT_LE(ulp_distance(got(1, 1), T(1 * gelu_of(3))), 3u);
  }
}

TEST(GluLayouts, HandDerivedValuesPinEachLayoutFloat) { check_hand_derived<float>(); }
TEST(GluLayouts, HandDerivedValuesPinEachLayoutDouble) { check_hand_derived<double>(); }

// ---------------------------------------------------------------------------------------------
// Bit-identity. Every way of presenting the same (value, gate) pairs gives the same bits as the
// GLU functor's scalar operator() applied pair by pair.

template <class T>
struct PairSet {
  Mat<T> V, G;
};

// Values in [−8, 8] with a sprinkling of edge values, so both tails and the specials go through
// every load and de-interleave path.
template <class T>
PairSet<T> random_pairs(Index rows, Index d, std::mt19937_64& rng) {
  const T specials[] = {T(0),
                        -T(0),
                        std::numeric_limits<T>::infinity(),
                        -std::numeric_limits<T>::infinity(),
                        std::numeric_limits<T>::quiet_NaN(),
                        std::numeric_limits<T>::denorm_min(),
                        T(-30),
                        T(12)};
  auto draw = [&] {
    if (rng() % 16 == 0) return specials[rng() % 8];
    return static_cast<T>((double(rng() >> 11) * 0x1p-53 - 0.5) * 16.0);
  };
  PairSet<T> p{Mat<T>(rows, d), Mat<T>(rows, d)};
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < d; ++j) {
      p.V(i, j) = draw();
      p.G(i, j) = draw();
    }
  }
  return p;
}

// The three fused layouts of the pairs, column-major.
template <class T>
Mat<T> fused(const PairSet<T>& p, activ::value_first_t) {
  Mat<T> h(p.V.rows(), 2 * p.V.cols());
  h << p.V, p.G;
  return h;
}
template <class T>
Mat<T> fused(const PairSet<T>& p, activ::gate_first_t) {
  Mat<T> h(p.V.rows(), 2 * p.V.cols());
  h << p.G, p.V;
  return h;
}
template <class T>
Mat<T> fused(const PairSet<T>& p, activ::interleaved_t) {
  Mat<T> h(p.V.rows(), 2 * p.V.cols());
  for (Index j = 0; j < p.V.cols(); ++j) {
    h.col(2 * j) = p.G.col(j);
    h.col(2 * j + 1) = p.V.col(j);
  }
  return h;
}

template <class T>
::testing::AssertionResult bit_identical(const Mat<T>& got, const Mat<T>& want) {
  if (got.rows() != want.rows() || got.cols() != want.cols()) {
    return ::testing::AssertionFailure() << "shape " << got.rows() << "x" << got.cols() << " vs "
                                         << want.rows() << "x" << want.cols();
  }
  for (Index i = 0; i < got.rows(); ++i) {
    for (Index j = 0; j < got.cols(); ++j) {
      if (!same_result(got(i, j), want(i, j))) {
        return ::testing::AssertionFailure()
               << "(" << i << ", " << j << "): " << got(i, j) << " vs " << want(i, j);
      }
    }
  }
  return ::testing::AssertionSuccess();
}

// Every presentation of one layout: storage orders, an offset block inside a larger matrix, a
// padded outer stride, an inner stride of 2, a misaligned Map, an Array, and an expression
// without storage (which takes the IndexedView path for interleaved).
template <class T, class Variant, class Layout>
void check_presentations(const std::string& what, const Variant& f, const PairSet<T>& p,
                         Layout layout, const Mat<T>& want) {
  const Mat<T> h = fused(p, layout);
  const Index rows = h.rows(), cols = h.cols();
  const RowMat<T> hr = h;
  EXPECT_TRUE(bit_identical<T>(f(h, layout), want)) << what << " col-major";
  EXPECT_TRUE(bit_identical<T>(f(hr, layout), want)) << what << " row-major";
  EXPECT_TRUE(bit_identical<T>(f(h.array(), layout).matrix(), want)) << what << " array";
  EXPECT_TRUE(bit_identical<T>(f(h * T(1), layout), want)) << what << " expression";
  EXPECT_TRUE(bit_identical<T>(f(hr * T(1), layout), want)) << what << " row-major expression";

  Mat<T> big = Mat<T>::Constant(rows + 3, cols + 5, T(-7));
  big.block(2, 3, rows, cols) = h;
  EXPECT_TRUE(bit_identical<T>(f(big.block(2, 3, rows, cols), layout), want)) << what << " block";
  RowMat<T> bigr = big;
  EXPECT_TRUE(bit_identical<T>(f(bigr.block(2, 3, rows, cols), layout), want))
      << what << " row-major block";

  // Padded outer stride and an inner stride of 2 over raw buffers, and a misaligned start.
  std::vector<T> buffer(std::size_t(2 * (rows + 1) * (cols + 1) + 1), T(-9));
  using Strided = Eigen::Map<Mat<T>, Eigen::Unaligned, Eigen::Stride<Dynamic, Dynamic>>;
  using StridedRow = Eigen::Map<RowMat<T>, Eigen::Unaligned, Eigen::Stride<Dynamic, Dynamic>>;
  Strided padded(buffer.data() + 1, rows, cols, Eigen::Stride<Dynamic, Dynamic>(rows + 1, 1));
  padded = h;
  EXPECT_TRUE(bit_identical<T>(f(padded, layout), want)) << what << " outer-stride map";
  Strided inner2(buffer.data() + 1, rows, cols, Eigen::Stride<Dynamic, Dynamic>(2 * rows, 2));
  inner2 = h;
  EXPECT_TRUE(bit_identical<T>(f(inner2, layout), want)) << what << " inner-stride-2 map";
  StridedRow row_inner2(buffer.data() + 1, rows, cols,
                        Eigen::Stride<Dynamic, Dynamic>(2 * cols + 1, 2));
  row_inner2 = h;
  EXPECT_TRUE(bit_identical<T>(f(row_inner2, layout), want))
      << what << " row-major inner-stride-2 map";
  Eigen::Map<RowMat<T>> misaligned(buffer.data() + 1, rows, cols);
  misaligned = h;
  EXPECT_TRUE(bit_identical<T>(f(misaligned, layout), want)) << what << " misaligned row-major map";
  // Each row on its own: a row vector (1 x 2d), row-major by Eigen's convention.
  for (Index i = 0; i < rows; ++i) {
    const Eigen::Matrix<T, 1, Dynamic> row = h.row(i);
    EXPECT_TRUE(bit_identical<T>(f(row, layout), want.row(i))) << what << " row vector " << i;
  }
}

template <class T, class Variant, class Scalar1>
void check_bit_identity(const std::string& name, const Variant& f, const Scalar1& scalar) {
  std::mt19937_64 rng(0xb17b17ULL);
  std::vector<Index> widths;
  for (Index d = 1; d <= 257; ++d) widths.push_back(d);
  widths.push_back(4096 + 3);
  for (Index d : widths) {
    for (Index rows : {Index(1), Index(3)}) {
      if (d > 257 && rows == 1) continue;
      const PairSet<T> p = random_pairs<T>(rows, d, rng);
      Mat<T> want(rows, d);
      for (Index i = 0; i < rows; ++i)
        for (Index j = 0; j < d; ++j) want(i, j) = scalar(p.V(i, j), p.G(i, j));
      const std::string what = name + " d=" + std::to_string(d) + " rows=" + std::to_string(rows);
      EXPECT_TRUE(bit_identical<T>(f(p.V, p.G), want)) << what << " two-input";
      const RowMat<T> Vr = p.V, Gr = p.G;
      EXPECT_TRUE(bit_identical<T>(f(Vr, Gr), want)) << what << " two-input row-major";
      check_presentations(what + " value_first", f, p, activ::value_first, want);
      check_presentations(what + " gate_first", f, p, activ::gate_first, want);
      check_presentations(what + " interleaved", f, p, activ::interleaved, want);
      if (::testing::Test::HasFailure()) return;  // one failing size says enough
    }
  }
}

// The variants' scalar paths, each the GLU functor the variant is built on.
TEST(GluBitIdentity, GegluAcrossLayoutsOrdersStridesOffsetsAndSizes) {
  check_bit_identity<float>("geglu float", activ::geglu, activ::GLU<activ::Gelu>{});
  check_bit_identity<double>("geglu double", activ::geglu, activ::GLU<activ::Gelu>{});
}

TEST(GluBitIdentity, SwigluOaiAcrossLayoutsOrdersStridesOffsetsAndSizes) {
  const auto scalar = [](auto v, auto g) {
    // (value + 1 on clamp(value)) * swish(min(gate, 7), 1.702): the variant's own functor.
    return activ::swiglu_oai.functor()(v, g);
  };
  check_bit_identity<float>("swiglu_oai float", activ::swiglu_oai, scalar);
  check_bit_identity<double>("swiglu_oai double", activ::swiglu_oai, scalar);
}

TEST(GluBitIdentity, GluAndGegluTanhAcrossLayouts) {
  check_bit_identity<float>("glu float", activ::glu, activ::GLU<activ::Sigmoid>{});
  check_bit_identity<float>("geglu_tanh float", activ::geglu_tanh, activ::GLU<activ::GeluTanh>{});
}

TEST(GluBitIdentity, SwigluWithoutBetaEqualsBetaOne) {
  std::mt19937_64 rng(7);
  const PairSet<float> p = random_pairs<float>(5, 77, rng);
  const Mat<float> h = fused(p, activ::value_first);
  EXPECT_TRUE(bit_identical<float>(activ::swiglu(h), activ::swiglu(h, 1.0)));
  EXPECT_TRUE(bit_identical<float>(activ::swiglu(h), activ::swiglu(h, 1.0f)));
}

TEST(GluBitIdentity, FixedSizeEqualsDynamic) {
  const Eigen::Matrix<float, 3, 8> h = Eigen::Matrix<float, 3, 8>::Random() * 5;
  const Mat<float> hd = h;
  const Eigen::Matrix<float, 3, 8, Eigen::RowMajor> hr = h;
  for (const auto& got : {Mat<float>(activ::geglu(h, activ::interleaved)),
                          Mat<float>(activ::geglu(hr, activ::interleaved))}) {
    EXPECT_TRUE(bit_identical<float>(got, activ::geglu(hd, activ::interleaved)));
  }
  EXPECT_TRUE(bit_identical<float>(activ::geglu(h), activ::geglu(hd)));
  EXPECT_TRUE(bit_identical<float>(activ::geglu(hr, activ::gate_first),
                                   activ::geglu(hd, activ::gate_first)));
}

// ---------------------------------------------------------------------------------------------
// Writing into existing storage.

TEST(GluOutput, PreallocatedOutputAllocatesNothing) {
  std::mt19937_64 rng(11);
  const PairSet<float> p = random_pairs<float>(17, 65, rng);
  const Mat<float> h = fused(p, activ::value_first);
  const RowMat<float> hi = fused(p, activ::interleaved);
  const Eigen::RowVectorXf bias = Eigen::RowVectorXf::LinSpaced(h.cols(), -1, 1);
  Mat<float> out(17, 65);
  RowMat<float> out_row(17, 65);
  const Mat<float> want = activ::geglu(h.rowwise() + bias);
  const Mat<float> want_interleaved = activ::geglu(hi, activ::interleaved);

  Mat<float> out_interleaved(17, 65), out_block = Mat<float>::Zero(17, 65);
  Eigen::internal::set_is_malloc_allowed(false);
  out.noalias() = activ::geglu(h.rowwise() + bias);  // the bias add fuses into the same loop
  out_interleaved = activ::geglu(hi, activ::interleaved);
  activ::geglu.into(out_row, hi, activ::interleaved);
  activ::geglu.into(out_block.topRows(5), h.topRows(5));
  Eigen::internal::set_is_malloc_allowed(true);

  EXPECT_TRUE(bit_identical<float>(out, want));
  EXPECT_TRUE(bit_identical<float>(out_interleaved, want_interleaved));
  EXPECT_TRUE(bit_identical<float>(out_row, want_interleaved));
  EXPECT_TRUE(bit_identical<float>(out_block.topRows(5), Mat<float>(activ::geglu(h.topRows(5)))));
}

// A fused input containing a matrix product is evaluated once, when the expression is built:
// evaluating the expression then allocates nothing (a product evaluator would allocate its
// temporary), and the result has the same bits as evaluating the product first.
TEST(GluOutput, ProductInputIsEvaluatedOnceWhenTheExpressionIsBuilt) {
  const Mat<float> x = Mat<float>::Random(9, 16), W = Mat<float>::Random(16, 2 * 21) * 2;
  const Eigen::RowVectorXf b = Eigen::RowVectorXf::LinSpaced(42, -1, 1);
  const Mat<float> h = x * W;
  const Mat<float> hb = h.rowwise() + b;
  Mat<float> out(9, 21), out_il(9, 21), out_bias(9, 21);
  const auto xpr = activ::geglu(x * W);
  const auto xpr_il = activ::swiglu_oai(x * W);
  const auto xpr_bias = activ::geglu((x * W).rowwise() + b, activ::gate_first);
  Eigen::internal::set_is_malloc_allowed(false);
  out = xpr;
  out_il = xpr_il;
  out_bias = xpr_bias;
  out = xpr;  // and again: the evaluated product is still owned by the expression
  Eigen::internal::set_is_malloc_allowed(true);
  EXPECT_TRUE(bit_identical<float>(out, activ::geglu(h)));
  EXPECT_TRUE(bit_identical<float>(out_il, activ::swiglu_oai(h)));
  EXPECT_TRUE(bit_identical<float>(out_bias, activ::geglu(hb, activ::gate_first)));
  // A copy of the expression shares the buffer and outlives the original.
  auto copy = [&] {
    const auto local = activ::glu(x * W);
    return local;
  }();
  EXPECT_TRUE(bit_identical<float>(copy, activ::glu(h)));
}

// In place into the value half: output (i, j) reads value (i, j) and its gate only, so writing
// over the value half while reading it is safe in every layout and storage order.
template <class M, class Layout>
void check_in_place(const std::string& what, Layout layout) {
  std::mt19937_64 rng(13);
  for (Index d : {Index(1), Index(7), Index(16), Index(33), Index(100)}) {
    const PairSet<typename M::Scalar> p = random_pairs<typename M::Scalar>(9, d, rng);
    M h = fused(p, layout);
    const Mat<typename M::Scalar> want = activ::swiglu_oai(h, layout);
    activ::value_half(h, layout) = activ::swiglu_oai(h, layout);
    EXPECT_TRUE(bit_identical<typename M::Scalar>(activ::value_half(h, layout), want))
        << what << " d=" << d;
    // The gate half is untouched.
    EXPECT_TRUE(bit_identical<typename M::Scalar>(activ::gate_half(h, layout), p.G))
        << what << " d=" << d;

    M h2 = fused(p, layout);
    activ::swiglu_oai.into(activ::value_half(h2, layout), h2, layout);
    EXPECT_TRUE(bit_identical<typename M::Scalar>(activ::value_half(h2, layout), want))
        << what << " into, d=" << d;
  }
}

TEST(GluOutput, InPlaceIntoTheValueHalf) {
  check_in_place<Mat<float>>("value_first", activ::value_first);
  check_in_place<Mat<float>>("gate_first", activ::gate_first);
  check_in_place<Mat<float>>("interleaved", activ::interleaved);
  check_in_place<RowMat<float>>("row-major value_first", activ::value_first);
  check_in_place<RowMat<float>>("row-major gate_first", activ::gate_first);
  check_in_place<RowMat<float>>("row-major interleaved", activ::interleaved);
  check_in_place<RowMat<double>>("row-major interleaved double", activ::interleaved);
}

TEST(GluOutput, InPlaceLeftColsIdiom) {
  Mat<float> h = Mat<float>::Random(6, 10) * 4;
  const Mat<float> want = activ::geglu(h);
  h.leftCols(5) = activ::geglu(h);
  EXPECT_TRUE(bit_identical<float>(h.leftCols(5), want));
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
