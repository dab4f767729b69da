// <activ/glu.hpp>: every variant in every form equals its scalar definition value · Gate(gate)
// (docs/design.md §1), measured in ULPs against an independent reference:
//   float  — value · Gate(gate) in double, Gate from libm, rounded once;
//   double — value · Gate(gate) in MPFR at 160 bits, rounded once (support/glu_reference.hpp).
// Bound: 3 ULP wherever Gate(gate) is 0 or a normal number of the type. Where it underflows
// (nonzero, below the smallest normal: gelu(x) for x < −13.2 in float) the gate computed in the
// type has an absolute error of up to 2 subnormal ULPs (docs/design.md §4, or is flushed to 0), and the
// product carries it times |value|: there the bound is 3 ULP + 2·|value|·denorm_min. Every
// float implementation of value * gate(x) shares this. Special values follow IEEE products.
// Also: the packet path is taken for every layout, and the expressions are lazy.
#include <activ/glu.hpp>

#include "support/glu_cases.hpp"
#include "support/glu_reference.hpp"
#include "support/isa_guard.hpp"
#include "support/parallel.hpp"
#include "support/sampling.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace activ_test {
namespace {

using Eigen::Dynamic;
template <class T>
using Mat = Eigen::Matrix<T, Dynamic, Dynamic>;
template <class T>
using RowMat = Eigen::Matrix<T, Dynamic, Dynamic, Eigen::RowMajor>;

// ---------------------------------------------------------------------------------------------
// The variants' parameters, as the reference knows them (Gate and the evaluators:
// support/glu_reference.hpp).

constexpr double kOaiAlpha = 1.702, kOaiLimit = 7.0;  // swiglu_oai's defaults

// The variant's parameters as activ rounds them: to the scalar type first.
template <class T>
double as_type(double x) {
  return double(static_cast<T>(x));
}

// The reference result for one pair, and whether Gate(gate) underflows T: nonzero but below the
// smallest normal number, so that T cannot hold it to full relative precision.
template <class T>
struct Reference {
  T out;
  bool gate_underflows;
};

template <class T>
Reference<T> reference(Gate gate, bool oai, T value, T gate_in) {
  double v = value, g = gate_in;
  if (oai)
    oai_clamp(v, g, as_type<T>(kOaiLimit));  // (min(g, L)·σ(α·min(g, L)))·(clamp(v, −L, L) + 1)
  const double beta = as_type<T>(oai ? kOaiAlpha : kSwiGluBeta);
  const GluReference<T> r = glu_reference<T>(gate, v, g, oai ? 1.0 : 0.0, beta);
  // The underflow slack (file comment) is for finite products only.
  return {r.out, std::isfinite(v) && std::isfinite(g) && r.gate_underflows};
}

// ---------------------------------------------------------------------------------------------
// The sample: (value, gate) pairs. Gates from every binade of both signs, a dense grid over the
// range where the gates bend, the tails, and the edge values; each with a random value of
// random sign and magnitude 2^±30, plus every edge value against every edge gate.

template <class T>
struct Pairs {
  std::vector<T> value, gate;
};

template <class T>
Pairs<T> sample_pairs() {
  std::mt19937_64 rng(std::is_same_v<T, float> ? 0x617fULL : 0x617dULL);
  std::vector<T> gates = edge_values<T>();
  append_binades(gates, std::is_same_v<T, float> ? 8 : 2, rng);
  append_dense<T>(gates, -20.0, 20.0, std::is_same_v<T, float> ? 4096 : 2048, rng);
  append_dense<T>(gates, -200.0, -20.0, 256, rng);  // sigmoid / swish tails
  Pairs<T> p;
  for (T g : gates) {
    const double magnitude =
        std::ldexp(1.0, int(rng() % 61) - 30) * (1.0 + double(rng() >> 11) * 0x1p-53);
    p.value.push_back(static_cast<T>((rng() & 1) ? magnitude : -magnitude));
    p.gate.push_back(g);
  }
  const std::vector<T> edges = edge_values<T>();
  for (std::size_t i = 0; i < edges.size(); i += 3) {  // every third edge value as a value
    for (std::size_t j = 0; j < edges.size(); j += 5) {
      p.value.push_back(edges[i]);
      p.gate.push_back(edges[j]);
    }
  }
  return p;
}

// The pairs laid out as [rows, d] value and gate matrices, d odd so that packets straddle rows
// in every layout; the padding pairs are (0, 0).
constexpr Eigen::Index kD = 61;

template <class T>
void as_matrices(const Pairs<T>& p, Mat<T>& V, Mat<T>& G) {
  const Eigen::Index n = Eigen::Index(p.value.size());
  const Eigen::Index rows = (n + kD - 1) / kD;
  V.setZero(rows, kD);
  G.setZero(rows, kD);
  for (Eigen::Index k = 0; k < n; ++k) {  // row-major order of pairs
    V(k / kD, k % kD) = p.value[std::size_t(k)];
    G(k / kD, k % kD) = p.gate[std::size_t(k)];
  }
}

// Whether got is within the file comment's bound of want, the reference of (value, gate):
// 3 ULP (fast tier: 5), plus the gate's absolute error times |value| where Gate(gate) underflows.
template <class T>
bool within_bound(const char* name, T got, T want, std::uint64_t ulp, bool gate_underflows,
                  bool oai, T value) {
  const std::uint64_t bound = glu_max_ulp(name);
  if (ulp <= bound) return true;
  if (!gate_underflows || ulp == kNanMismatch) return false;
  // swiglu_oai multiplies by clamp(value) + 1, at most limit + 1 = 8 in magnitude.
  const double factor = oai ? 8.0 : std::abs(double(value));
  const double slack = 2.0 * factor * double(std::numeric_limits<T>::denorm_min());
  const double ulp_of_want =
      double(std::nextafter(std::abs(want), std::numeric_limits<T>::infinity()) - std::abs(want));
  return std::abs(double(got) - double(want)) <= double(bound) * ulp_of_want + slack;
}

// Checks every form of one variant against the reference; prints the worst case per form.
template <class T, class Call>
void check_variant(const char* name, Gate gate, bool oai, Call call) {
  static const Pairs<T> pairs = sample_pairs<T>();
  Mat<T> V, G;
  as_matrices(pairs, V, G);
  Mat<T> want(V.rows(), V.cols());
  Eigen::Matrix<bool, Dynamic, Dynamic> gate_underflows(V.rows(), V.cols());
  parallel_for(
      std::size_t(V.size()),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t k = begin; k < end; ++k) {
          const Eigen::Index i = Eigen::Index(k) / kD, j = Eigen::Index(k) % kD;
          const Reference<T> r = reference<T>(gate, oai, V(i, j), G(i, j));
          want(i, j) = r.out;
          gate_underflows(i, j) = r.gate_underflows;
        }
      },
      test_threads(), 64);

  const char* type = std::is_same_v<T, float> ? "float" : "double";
  for (Form form : kForms) {
    const Mat<T> got = call_in_form<T>(form, V, G, call);
    ASSERT_EQ(got.rows(), V.rows());
    ASSERT_EQ(got.cols(), V.cols());
    std::uint64_t worst = 0, failures = 0;
    Eigen::Index wi = 0, wj = 0;
    for (Eigen::Index i = 0; i < V.rows(); ++i) {
      for (Eigen::Index j = 0; j < V.cols(); ++j) {
        const std::uint64_t ulp = ulp_distance(got(i, j), want(i, j));
        const bool subnormal_gate = gate_underflows(i, j);
        const bool ok =
            within_bound(name, got(i, j), want(i, j), ulp, subnormal_gate, oai, V(i, j));
        if (!subnormal_gate && ulp > worst) {
          worst = ulp;
          wi = i;
          wj = j;
        }
        if (!ok && failures++ < 5) {
          ADD_FAILURE() << name << " " << type << " " << form_name(form) << ": value "
                        << double(V(i, j)) << " gate " << double(G(i, j)) << " got "
                        << double(got(i, j)) << " want " << double(want(i, j)) << " ("
                        << (ulp == kNanMismatch ? std::string("NaN mismatch")
                                                : std::to_string(ulp) + " ULP")
                        << ")";
        }
      }
    }
    std::printf("  %-10s %-6s %-24s max %" PRIu64
                " ULP over %td pairs (worst: value %.9g, gate %.9g)\n",
                name, type, form_name(form), worst, V.size(), double(V(wi, wj)), double(G(wi, wj)));
    EXPECT_EQ(failures, 0u) << name << " " << type << " " << form_name(form);
  }
}

template <class Xpr>
Mat<typename Xpr::Scalar> eval(const Xpr& x) {
  return x;
}

// Every variant, called as (h, layout) or (value, gate) with its parameters last.
template <class T>
void check_all_variants() {
  for_each_glu_variant([](const GluVariant& v, const auto& variant, auto... params) {
    check_variant<T>(v.name, v.gate, v.oai,
                     [&](const auto& a, const auto& b) { return eval(variant(a, b, params...)); });
  });
}

TEST(GluAccuracy, FloatWithin3UlpOfDoubleReferenceInEveryForm) { check_all_variants<float>(); }
TEST(GluAccuracy, DoubleWithin3UlpOfMpfrInEveryForm) { check_all_variants<double>(); }

// ---------------------------------------------------------------------------------------------
// A 1-D input (an Array or Vector of length 2d, a Map or segment of one, a row vector) is split
// along its length, as PyTorch splits a 1-D tensor, into a result of length d: every form and
// into(), against the same reference.

template <class T, class Variant, class... Params>
void check_variant_1d(const char* name, Gate gate, bool oai, const Variant& f,
                      const Params&... params) {
  using ArrayX = Eigen::Array<T, Dynamic, 1>;
  using VectorX = Eigen::Matrix<T, Dynamic, 1>;
  using RowVectorX = Eigen::Matrix<T, 1, Dynamic>;
  static const Pairs<T> pairs = sample_pairs<T>();
  std::vector<T> values, gates;
  for (std::size_t k = 0; k < pairs.value.size(); k += 5) {  // an odd d, to straddle packets
    values.push_back(pairs.value[k]);
    gates.push_back(pairs.gate[k]);
  }
  if (values.size() % 2 == 0) values.pop_back(), gates.pop_back();
  const Eigen::Index d = Eigen::Index(values.size());
  const ArrayX value = Eigen::Map<const ArrayX>(values.data(), d);
  const ArrayX gate_in = Eigen::Map<const ArrayX>(gates.data(), d);
  ArrayX want(d);
  std::vector<bool> underflows(std::size_t(d), false);
  for (Eigen::Index k = 0; k < d; ++k) {
    const Reference<T> r = reference<T>(gate, oai, value(k), gate_in(k));
    want(k) = r.out;
    underflows[std::size_t(k)] = r.gate_underflows;
  }

  ArrayX value_first(2 * d), gate_first(2 * d), interleaved(2 * d);
  value_first << value, gate_in;
  gate_first << gate_in, value;
  for (Eigen::Index k = 0; k < d; ++k) {
    interleaved(2 * k) = gate_in(k);
    interleaved(2 * k + 1) = value(k);
  }
  const VectorX value_first_v = value_first.matrix();
  const RowVectorX interleaved_r = interleaved.matrix().transpose();

  using OnArray = decltype(f(value_first, activ::value_first, params...));
  static_assert(OnArray::ColsAtCompileTime == 1);
  static_assert(std::is_base_of_v<Eigen::ArrayBase<OnArray>, OnArray>);
  ArrayX into_array(d);
  f.into(into_array, interleaved, activ::interleaved, params...);
  VectorX into_vector(d);
  const Eigen::Map<const VectorX> gate_first_map(gate_first.data(), 2 * d);
  f.into(into_vector, gate_first_map, activ::gate_first, params...);
  const std::pair<const char*, ArrayX> results[] = {
      {"Array, value_first", f(value_first, activ::value_first, params...)},
      {"Array, gate_first", f(gate_first, activ::gate_first, params...)},
      {"Array, interleaved", f(interleaved, activ::interleaved, params...)},
      {"Array, two-input", f(value, gate_in, params...)},
      {"Vector, value_first", ArrayX(f(value_first_v, activ::value_first, params...))},
      {"Vector head/tail, two-input",
       ArrayX(f(value_first_v.head(d), value_first_v.tail(d), params...))},
      {"Vector segment, value_first",
       ArrayX(f(value_first_v.segment(0, 2 * d), activ::value_first, params...))},
      {"RowVector, interleaved",
       ArrayX(f(interleaved_r, activ::interleaved, params...).transpose())},
      {"Array into, interleaved", into_array},
      {"Map into Vector, gate_first", ArrayX(into_vector)},
  };
  for (const auto& [form, got] : results) {
    ASSERT_EQ(got.size(), d) << name << " " << form;
    int failures = 0;
    for (Eigen::Index k = 0; k < d; ++k) {
      const std::uint64_t ulp = ulp_distance(got(k), want(k));
      if (!within_bound(name, got(k), want(k), ulp, bool(underflows[std::size_t(k)]), oai,
                        value(k)) &&
          failures++ < 5) {
        ADD_FAILURE() << name << " 1-D " << form << ": value " << double(value(k)) << " gate "
                      << double(gate_in(k)) << " got " << double(got(k)) << " want "
                      << double(want(k));
      }
    }
  }
}

template <class T>
void check_all_variants_1d() {
  for_each_glu_variant([](const GluVariant& v, const auto& variant, auto... params) {
    check_variant_1d<T>(v.name, v.gate, v.oai, variant, params...);
  });
}

TEST(GluOneDimensional, FloatSplitsAlongTheLengthInEveryForm) { check_all_variants_1d<float>(); }
TEST(GluOneDimensional, DoubleSplitsAlongTheLengthInEveryForm) { check_all_variants_1d<double>(); }

// value_half / gate_half of a vector are the destinations for in-place evaluation, in every
// layout: the result equals the out-of-place one bit for bit and the gates stay untouched.
TEST(GluOneDimensional, HalfViewsOfAVectorAreInPlaceDestinations) {
  const Eigen::ArrayXd original = Eigen::ArrayXd::LinSpaced(26, -6.0, 6.5);
  const auto check_layout = [&](auto layout) {
    Eigen::ArrayXd h = original;
    const Eigen::ArrayXd want = activ::geglu(h, layout);
    const Eigen::ArrayXd gates = activ::gate_half(h, layout);
    activ::value_half(h, layout) = activ::geglu(h, layout);
    const Eigen::ArrayXd got = activ::value_half(h, layout);
    EXPECT_EQ(got.size(), 13);
    EXPECT_TRUE((got == want).all());
    EXPECT_TRUE((Eigen::ArrayXd(activ::gate_half(h, layout)) == gates).all());
  };
  check_layout(activ::value_first);
  check_layout(activ::gate_first);
  check_layout(activ::interleaved);
  Eigen::VectorXf v = Eigen::VectorXf::LinSpaced(6, 0.0f, 5.0f);  // 0 1 2 3 4 5
  EXPECT_EQ(activ::gate_half(v, activ::interleaved)(2), 4.0f);
  EXPECT_EQ(activ::value_half(v, activ::interleaved)(2), 5.0f);
  EXPECT_EQ(activ::value_half(v, activ::gate_first)(0), 3.0f);
}

// ---------------------------------------------------------------------------------------------
// IEEE products (docs/design.md §3): 0 · Gate(+inf) is NaN for the gates that tend to +inf, and
// inf · Gate(−inf) = inf · (−0) is NaN for those that tend to −0; NaN propagates.

template <class T>
void check_special_products() {
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  Mat<T> V(1, 6), G(1, 6);
  V << T(0), inf, nan, T(2), -T(0), T(3);
  G << inf, -inf, T(1), nan, inf, -inf;
  auto expect = [&](const char* name, const Mat<T>& got, std::initializer_list<double> want) {
    int j = 0;
    for (double w : want) {
      const T g = got(0, j);
      if (std::isnan(w)) {
        EXPECT_TRUE(std::isnan(g)) << name << " column " << j << ": got " << g;
      } else if (std::isfinite(w) && w != 0) {  // a rounded libm value: within the bound
        EXPECT_LE(ulp_distance(g, static_cast<T>(w)), 3u)
            << name << " column " << j << ": got " << g << ", want " << w;
      } else {  // zeros and infinities: exactly, sign included
        EXPECT_TRUE(same_result(g, static_cast<T>(w)))
            << name << " column " << j << ": got " << g << ", want " << w;
      }
      ++j;
    }
  };
  const double n = std::nan("");
  // value·gelu(gate): 0·inf, inf·(−0), NaN·gelu(1), 2·NaN, −0·inf, 3·(−0)
  expect("geglu", activ::geglu(V, G), {n, n, n, n, n, -0.0});
  expect("geglu_tanh", activ::geglu_tanh(V, G), {n, n, n, n, n, -0.0});
  expect("swiglu", activ::swiglu(V, G), {n, n, n, n, n, -0.0});
  expect("bilinear", activ::bilinear(V, G), {n, -double(inf), n, n, n, -double(inf)});
  // relu(+inf) = inf, relu(−inf) = +0: 0·inf, inf·0, NaN, NaN, −0·inf, 3·0
  expect("reglu", activ::reglu(V, G), {n, n, n, n, n, 0.0});
  // sigmoid(+inf) = 1, sigmoid(−inf) = +0
  expect("glu", activ::glu(V, G), {0.0, n, n, n, -0.0, 0.0});
  // swiglu_oai clamps: gate +inf -> 7, value ±inf -> ±7; NaN stays NaN.
  const double s7 = 7.0 / (1.0 + std::exp(-double(static_cast<T>(1.702)) * 7.0));
  expect("swiglu_oai", activ::swiglu_oai(V, G), {s7 * 1.0, -0.0 * 8.0, n, n, s7 * 1.0, -0.0});
}

TEST(GluSpecialValues, IeeeProductsFloat) { check_special_products<float>(); }
TEST(GluSpecialValues, IeeeProductsDouble) { check_special_products<double>(); }

// ---------------------------------------------------------------------------------------------
// The packet path is taken (docs/design.md §7: without functor_traits Eigen silently goes scalar), for
// every variant and for the views every layout builds.

template <class Xpr>
constexpr bool has_packet_access() {
  return (int(Eigen::internal::evaluator<Xpr>::Flags) & Eigen::PacketAccessBit) != 0;
}

template <class T>
void check_packet_access() {
  using Fused = Mat<T>;
  using FusedRow = RowMat<T>;
  static_assert(has_packet_access<decltype(activ::geglu(std::declval<Fused>()))>());
  static_assert(
      has_packet_access<decltype(activ::geglu(std::declval<Fused>(), activ::gate_first))>());
  static_assert(
      has_packet_access<decltype(activ::geglu(std::declval<Fused>(), activ::interleaved))>());
  static_assert(has_packet_access<decltype(activ::geglu(std::declval<FusedRow>()))>());
  static_assert(
      has_packet_access<decltype(activ::geglu(std::declval<FusedRow>(), activ::interleaved))>());
  static_assert(
      has_packet_access<decltype(activ::geglu(std::declval<Fused>(), std::declval<Fused>()))>());
  static_assert(has_packet_access<decltype(activ::geglu_tanh(std::declval<Fused>()))>());
  static_assert(has_packet_access<decltype(activ::swiglu(std::declval<Fused>()))>());
  static_assert(has_packet_access<decltype(activ::swiglu(std::declval<Fused>(), 0.5))>());
  static_assert(has_packet_access<decltype(activ::reglu(std::declval<Fused>()))>());
  static_assert(has_packet_access<decltype(activ::glu(std::declval<Fused>()))>());
  static_assert(has_packet_access<decltype(activ::bilinear(std::declval<Fused>()))>());
  static_assert(has_packet_access<decltype(activ::swiglu_oai(std::declval<Fused>()))>());
  static_assert(has_packet_access<decltype(activ::swiglu_oai(std::declval<FusedRow>()))>());
  // Column-major value-first halves are contiguous: one linear loop over the whole output.
  static_assert(
      int(Eigen::internal::evaluator<decltype(activ::geglu(std::declval<Fused>()))>::Flags) &
      Eigen::LinearAccessBit);
}

TEST(GluPacketPath, EveryVariantAndLayoutVectorizes) {
  check_packet_access<float>();
  check_packet_access<double>();
  SUCCEED();
}

// ---------------------------------------------------------------------------------------------
// A new gate is one small functor (docs/glu.md, "Adding a gate"): here x² with its packet path.

struct Square {
  template <class S>
  S operator()(const S& x) const {
    return x * x;
  }
  template <class P>
  P packetOp(const P& x) const {
    return Eigen::internal::pmul(x, x);
  }
};

}  // namespace
}  // namespace activ_test

template <>
struct Eigen::internal::functor_traits<activ_test::Square> {
  enum { Cost = 1, PacketAccess = true };
};

namespace activ_test {
namespace {

inline constexpr auto sqglu = activ::make_glu(Square{}, "test::sqglu");

TEST(GluCustomGate, MakeGluGivesAllFormsOfAUserGate) {
  Mat<float> h(2, 4);
  h << 1, 2, 3, 4, 5, 6, 7, 8;
  Mat<float> want(2, 2);
  want << 1 * 9, 2 * 16, 5 * 49, 6 * 64;
  EXPECT_EQ(Mat<float>(sqglu(h)), want);
  Mat<float> gate_first(2, 2);
  gate_first << 3 * 1, 4 * 4, 7 * 25, 8 * 36;
  EXPECT_EQ(Mat<float>(sqglu(h, activ::gate_first)), gate_first);
  Mat<float> interleaved(2, 2);
  interleaved << 2 * 1, 4 * 9, 6 * 25, 8 * 49;
  EXPECT_EQ(Mat<float>(sqglu(h, activ::interleaved)), interleaved);
  EXPECT_EQ(Mat<float>(sqglu(h.leftCols(2), h.rightCols(2))), want);
  static_assert(has_packet_access<decltype(sqglu(std::declval<Mat<float>>()))>());
  try {
    const Mat<float> odd(2, 3);
    (void)sqglu(odd);
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(
        e.what(),
        "test::sqglu: input has 3 columns (shape 2x3); the last dimension must be even (2*d)");
  }
}

// ---------------------------------------------------------------------------------------------
// The result is a lazy expression of the input's kind and width d.

TEST(GluExpression, IsLazyAndOfTheInputsKind) {
  using Xpr = decltype(activ::geglu(std::declval<Eigen::ArrayXXf>()));
  static_assert(std::is_base_of_v<Eigen::ArrayBase<Xpr>, Xpr>);
  static_assert(!std::is_base_of_v<Eigen::PlainObjectBase<Xpr>, Xpr>);
  using MXpr = decltype(activ::geglu(std::declval<Eigen::MatrixXd>(), activ::interleaved));
  static_assert(std::is_base_of_v<Eigen::MatrixBase<MXpr>, MXpr>);
  // Fixed widths stay fixed: 8 columns in, 4 out.
  using Fixed =
      decltype(activ::geglu(std::declval<Eigen::Matrix<float, 3, 8>>(), activ::interleaved));
  static_assert(Fixed::RowsAtCompileTime == 3 && Fixed::ColsAtCompileTime == 4);
  using FixedRow =
      decltype(activ::glu(std::declval<Eigen::Matrix<double, 2, 6, Eigen::RowMajor>>()));
  static_assert(FixedRow::ColsAtCompileTime == 3);
  const Eigen::MatrixXf h = Eigen::MatrixXf::Random(5, 8);
  const auto xpr = activ::geglu(h);
  EXPECT_EQ(xpr.rows(), 5);
  EXPECT_EQ(xpr.cols(), 4);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
