// The backward passes of the GLU family: activ::geglu_backward, geglu_tanh_backward,
// swiglu_backward, reglu_backward, glu_backward, bilinear_backward, swiglu_oai_backward and their
// twins in activ::fast (fast::reglu_backward and fast::bilinear_backward are the precise objects).
// For out = V(v)·Gate(g):  dvalue = dy·Gate(g)·V'(v),  dgate = (dy·V(v))·Gate'(g).
//
//  0. the references themselves: the MPFR gate-derivative product of
//     support/glu_backward_reference.hpp rounds Gate'(g) like MpfrDerivatives, the long double
//     products (the float references) like MPFR, and the zeros of Gate' are where they should be;
//  1. accuracy, float (long double and double libm references) and double (MPFR), both tiers, on
//     ~2-3·10^4 (dy, v, g) triples per variant: every binade of the gate, [-20, 20], the tails
//     where Gate or Gate' underflows, around each zero of Gate' and around swiglu_oai's limit.
//     dvalue within kBoundDvalue* ULP of dy·Gate(g) exact, where Gate(g) is 0 or normal (where it
//     underflows: plus its subnormal error times |dy|, as for the forward GLU); dgate within
//     kBoundDgate ULP of (dy·V(v))·Gate'(g) exact, outside the zero neighbourhoods of Gate'
//     (|g - x0| <= kZeroRadius<T>), inside them an absolute error of kBoundDgate ULPs of
//     |dy·V(v)|·min(|Gate'(x0 - r)|, |Gate'(x0 + r)|) (where Gate' underflows: plus its subnormal
//     error times |dy·V(v)|); reglu and bilinear exact; swiglu_oai's masked gradients exactly +0;
//  2. bit identity: the fused forms in the three layouts (and the default one), both storage
//     orders, arrays, expressions, blocks, strided and misaligned Maps, row vectors, 1-D inputs,
//     into() (plain, Block, strided Map) and the two-input form all give, element by element, the
//     bits of a one-element-at-a-time evaluation (1x1 inputs: the scalar path), for sizes that put
//     every element in a packet's body and in the scalar tail; dvalue is the forward GLU of
//     (dy, g) bit for bit (except swiglu_oai, whose value transform is not dy's);
//  3. gradient checks: against fourth-order central differences of the forward pass, in double
//     (activ's double forward functor) and in long double (the references), on random shapes, in
//     the three layouts and the two-input form; swiglu_oai's clamps exactly (+0 where a clamp is
//     active, NaN inputs included; the gradient flows at the clamp points);
//  4. special values: NaN propagates through the products;
//  5. Eigen::bfloat16 and Eigen::half, both tiers: formed in float and rounded once, each result
//     the exact dy·Gate(g) and (dy·V(v))·Gate'(g) correctly rounded to the 16-bit type (MPFR);
//     packet path == scalar path;
//  6. errors (odd width, dy's shape, into()'s destination, two inputs of different shapes,
//     swiglu_oai's limit), into() a Block, fixed sizes, result types.
// The bounds are in one table below (kBound*). Under AddressSanitizer the samples are smaller.
#include <activ/glu.hpp>

#include "support/errors.hpp"
#include "support/glu_backward_reference.hpp"
#include "support/glu_cases.hpp"
#include "support/glu_reference.hpp"
#include "support/isa_guard.hpp"
#include "support/parallel.hpp"
#include "support/sampling.hpp"
#include "support/sanitizers.hpp"
#include "support/storage16.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace activ_test {
namespace {

// ---------------------------------------------------------------------------------------------
// The bounds, in ULPs. dvalue: the forward GLU's (support/glu_cases.hpp's glu_max_ulp: 3, fast 5);
// reglu and bilinear exact (0) in both halves. Inside a zero neighbourhood of Gate'
// (|g - x0| <= kZeroRadius<T>) kBoundDgate bounds the absolute error in ULPs of
// |dy·V(v)|·min(|Gate'(x0 - r)|, |Gate'(x0 + r)|).

inline constexpr std::uint64_t kBoundDvaluePrecise = 3;
inline constexpr std::uint64_t kBoundDvalueFast = 5;
inline constexpr std::uint64_t kBoundDgate = 6;  // both tiers
// (kZeroRadius<T>: support/derivatives.hpp's, that of the derivatives.)
// Where Gate(g) (Gate'(g)) is nonzero and below the smallest normal number, the computed gate
// (derivative) may be off by this many subnormal ULPs: the forward GLU's slack, and the
// derivatives' bound (test_derivatives measures them in subnormal ULPs too).
inline constexpr double kGateSubnormalUlps = 2;
inline constexpr double kDerivativeSubnormalUlps = 8;

inline constexpr bool kSmallSamples = ACTIV_TEST_SANITIZED != 0;

constexpr double kOaiAlpha = 1.702, kOaiLimit = 7.0;  // swiglu_oai's defaults

using Eigen::Dynamic;
using Eigen::Index;
template <class T>
using Mat = Eigen::Matrix<T, Dynamic, Dynamic>;
template <class T>
using RowMat = Eigen::Matrix<T, Dynamic, Dynamic, Eigen::RowMajor>;
template <class T>
using Column = Eigen::Array<T, Dynamic, 1>;

// ---------------------------------------------------------------------------------------------
// The functions under test: visit(info, backward, forward, params...) for each entry of
// support/glu_cases.hpp's kGluVariants, in its order (swiglu without and with kSwiGluBeta).

template <class Visit>
void for_each_backward_variant(Visit visit) {
  visit(kGluVariants[0], activ::geglu_backward, activ::geglu);
  visit(kGluVariants[1], activ::geglu_tanh_backward, activ::geglu_tanh);
  visit(kGluVariants[2], activ::swiglu_backward, activ::swiglu);
  visit(kGluVariants[3], activ::swiglu_backward, activ::swiglu, kSwiGluBeta);
  visit(kGluVariants[4], activ::reglu_backward, activ::reglu);
  visit(kGluVariants[5], activ::glu_backward, activ::glu);
  visit(kGluVariants[6], activ::bilinear_backward, activ::bilinear);
  visit(kGluVariants[7], activ::swiglu_oai_backward, activ::swiglu_oai);
  visit(kGluVariants[8], activ::fast::geglu_backward, activ::fast::geglu);
  visit(kGluVariants[9], activ::fast::geglu_tanh_backward, activ::fast::geglu_tanh);
  visit(kGluVariants[10], activ::fast::swiglu_backward, activ::fast::swiglu);
  visit(kGluVariants[11], activ::fast::swiglu_backward, activ::fast::swiglu, kSwiGluBeta);
  visit(kGluVariants[12], activ::fast::glu_backward, activ::fast::glu);
  visit(kGluVariants[13], activ::fast::swiglu_oai_backward, activ::fast::swiglu_oai);
}

// "activ::fast::swiglu_backward": the name in error messages.
std::string backward_name(const GluVariant& info) { return std::string(info.name) + "_backward"; }

// "activ::swiglu_backward(beta=1.702)": for messages and the [measured] lines.
template <class... P>
std::string label_of(const GluVariant& info, const P&... params) {
  std::string s = backward_name(info);
  if constexpr (sizeof...(P) > 0) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "(beta=%g)", double(params...));
    s += buf;
  }
  return s;
}

bool is_fast(const GluVariant& info) {
  return std::string(info.name).rfind("activ::fast::", 0) == 0;
}

std::uint64_t dvalue_bound(const GluVariant& info) {
  if (info.exact) return 0;
  const std::uint64_t b = is_fast(info) ? kBoundDvalueFast : kBoundDvaluePrecise;
  EXPECT_EQ(b, glu_max_ulp(info.name));  // the forward GLU's bound
  return b;
}
std::uint64_t dgate_bound(const GluVariant& info) { return info.exact ? 0 : kBoundDgate; }

// A parameter as the lane type T rounds it (16-bit lanes compute in float).
template <class T>
double param_as(double x) {
  return std::is_same_v<T, double> ? x : double(static_cast<float>(x));
}

// The reference's view of a variant at lane type T: the gate, swish's β (swiglu's kSwiGluBeta,
// swiglu_oai's alpha), swiglu_oai's limit, all rounded to T.
template <class T>
BackwardCase case_of(const GluVariant& info) {
  return {info.gate, info.oai, param_as<T>(info.oai ? kOaiAlpha : kSwiGluBeta),
          param_as<T>(kOaiLimit)};
}

// ---------------------------------------------------------------------------------------------
// Small helpers

double uniform01(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1p-53; }
double uniform(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * uniform01(rng);
}
// ±2^[lo, hi)·(1 + u): random sign, log-uniform magnitude.
template <class T>
T random_magnitude(std::mt19937_64& rng, int lo, int hi) {
  const int e = lo + int(rng() % std::uint64_t(hi - lo));
  const double m = std::ldexp(1.0 + uniform01(rng), e);
  return static_cast<T>((rng() & 1) ? m : -m);
}

// The zero neighbourhood of Gate' at lane type T, if Gate' has a zero.
struct ZeroNeighbourhood {
  long double x0;
  long double radius;
  long double min_derivative;  // min(|Gate'(x0 - r)|, |Gate'(x0 + r)|)
  bool contains(long double x) const { return std::fabs(x - x0) <= radius; }
};

template <class T>
std::optional<ZeroNeighbourhood> zero_neighbourhood(const BackwardCase& c) {
  const auto x0 = gate_derivative_zero(c.gate, c.beta);
  if (!x0) return std::nullopt;
  const long double r = kZeroRadius<T>;
  const long double left = std::fabs(ld::gate_derivative(c.gate, *x0 - r, c.beta));
  const long double right = std::fabs(ld::gate_derivative(c.gate, *x0 + r, c.beta));
  return ZeroNeighbourhood{*x0, r, std::min(left, right)};
}

// The fourth-order central difference of F at `at`, step h (a power of two).
template <class R, class F>
R central_difference(F f, R at, R h) {
  return (8 * (f(at + h) - f(at - h)) - (f(at + 2 * h) - f(at - 2 * h))) / (12 * h);
}

// ---------------------------------------------------------------------------------------------
// The (dy, v, g) triples and the fused layouts

template <class T>
struct Triples {
  Mat<T> dy, V, G;  // [rows, d] each
};

// The fused input [rows, 2d] of value V and gate G in a layout, column-major.
template <class T>
Mat<T> fused(const Mat<T>& V, const Mat<T>& G, activ::value_first_t) {
  Mat<T> h(V.rows(), 2 * V.cols());
  h << V, G;
  return h;
}
template <class T>
Mat<T> fused(const Mat<T>& V, const Mat<T>& G, activ::gate_first_t) {
  Mat<T> h(V.rows(), 2 * V.cols());
  h << G, V;
  return h;
}
template <class T>
Mat<T> fused(const Mat<T>& V, const Mat<T>& G, activ::interleaved_t) {
  Mat<T> h(V.rows(), 2 * V.cols());
  for (Index j = 0; j < V.cols(); ++j) {
    h.col(2 * j) = G.col(j);
    h.col(2 * j + 1) = V.col(j);
  }
  return h;
}

// The value and gate halves of a fused [rows, 2d] gradient in a layout.
template <class T>
void split(const Mat<T>& dh, activ::value_first_t, Mat<T>& dv, Mat<T>& dg) {
  const Index d = dh.cols() / 2;
  dv = dh.leftCols(d);
  dg = dh.rightCols(d);
}
template <class T>
void split(const Mat<T>& dh, activ::gate_first_t, Mat<T>& dv, Mat<T>& dg) {
  const Index d = dh.cols() / 2;
  dg = dh.leftCols(d);
  dv = dh.rightCols(d);
}
template <class T>
void split(const Mat<T>& dh, activ::interleaved_t, Mat<T>& dv, Mat<T>& dg) {
  const Index d = dh.cols() / 2;
  dv.resize(dh.rows(), d);
  dg.resize(dh.rows(), d);
  for (Index j = 0; j < d; ++j) {
    dg.col(j) = dh.col(2 * j);
    dv.col(j) = dh.col(2 * j + 1);
  }
}

template <class Layout>
const char* layout_name(Layout) {
  if constexpr (std::is_same_v<Layout, activ::value_first_t>) {
    return "value_first";
  } else if constexpr (std::is_same_v<Layout, activ::gate_first_t>) {
    return "gate_first";
  } else {
    return "interleaved";
  }
}

// ---------------------------------------------------------------------------------------------
// 0. The references themselves

// Gates of every kind at lane type T: the edge values, every binade (2 per binade), [-20, 20],
// the tails, and around the zero of Gate'.
template <class T>
std::vector<T> reference_check_gates(const BackwardCase& c, std::size_t n) {
  std::mt19937_64 rng(0x5e1fULL + sizeof(T));
  std::vector<T> gates;
  for (T x : edge_values<T>())
    if (std::isfinite(x)) gates.push_back(x);
  append_binades(gates, 2, rng);
  append_dense<T>(gates, -20.0, 20.0, n, rng);
  append_dense<T>(gates, -120.0, -20.0, n / 4, rng);
  if (const auto x0 = gate_derivative_zero(c.gate, c.beta))
    append_zero_neighbourhood<T>(gates, *x0, n / 4, 16, rng);
  return gates;
}

// MpfrGateDerivativeProduct's Gate'(g) alone (dy·V(v) = 1) is MpfrDerivatives' value bit for bit:
// the two evaluate the same formulas at the same precision.
template <class T>
void expect_mpfr_derivative_matches(const BackwardCase& c) {
  const auto kind = derivative_of_gate(c.gate);
  if (!kind) return;
  const std::vector<T> gates = reference_check_gates<T>(c, kSmallSamples ? 256 : 1024);
  int wrong = 0;
  for (T g : gates) {
    const T mine = mpfr_gate_derivative_product().derivative<T>(c.gate, double(g), c.beta);
    const T theirs = mpfr_derivatives().value<T>(*kind, double(g), c.beta);
    if (!same_result(mine, theirs) && ++wrong <= 5) {
      ADD_FAILURE() << derivative_base_name(*kind) << "'(" << show(g) << "): " << show(mine)
                    << ", MpfrDerivatives " << show(theirs);
    }
  }
  EXPECT_EQ(wrong, 0) << derivative_base_name(*kind);
}

TEST(GluBackwardReferences, MpfrGateDerivativeRoundsLikeMpfrDerivatives) {
  for (const GluVariant& info : kGluVariants) {
    if (is_fast(info)) continue;
    expect_mpfr_derivative_matches<float>(case_of<float>(info));
    expect_mpfr_derivative_matches<double>(case_of<double>(info));
  }
}

// The float references of dgate (dy·V(v) times the long double Gate', rounded once from long
// double) agree with MPFR's correctly rounded product within 1 ULP (ties of the double rounding),
// outside the zero neighbourhoods; inside, within 1 unit.
TEST(GluBackwardReferences, LongDoubleDgateAgreesWithMpfr) {
  for (const GluVariant& info : kGluVariants) {
    if (is_fast(info)) continue;
    const BackwardCase c = case_of<float>(info);
    const auto zero = zero_neighbourhood<float>(c);
    std::mt19937_64 rng(0x1dULL);
    const std::vector<float> gates = reference_check_gates<float>(c, kSmallSamples ? 256 : 2048);
    int over = 0, differ = 0;
    for (float g : gates) {
      const float dy = random_magnitude<float>(rng, -8, 8);
      const float v = c.oai ? float(uniform(rng, -7, 7)) : random_magnitude<float>(rng, -8, 8);
      if (c.oai && g > float(c.limit)) continue;
      const BackwardReference<float> r = backward_reference<float>(c, dy, v, g);
      const float mpfr = mpfr_gate_derivative_product().product<float>(
          c.gate, double(dy), double(v), double(g), c.oai ? 1.0 : 0.0, c.beta);
      const std::uint64_t d = ulp_distance(r.dgate, mpfr);
      differ += d != 0;
      bool bad = d > 1;
      if (zero && zero->contains(g)) {
        const long double unit = ulp_of<float>(std::fabs(r.value_factor) * zero->min_derivative);
        bad = std::fabs(static_cast<long double>(r.dgate) - mpfr) > unit;
      }
      if (bad && ++over <= 5) {
        ADD_FAILURE() << info.name << " dgate reference at dy = " << show(dy) << ", v = " << show(v)
                      << ", g = " << show(g) << ": long double " << show(r.dgate) << ", MPFR "
                      << show(mpfr);
      }
    }
    std::printf(
        "[reference] %-22s float dgate: %zu gates, %d long double results differ from "
        "MPFR's by an ULP\n",
        info.name, gates.size(), differ);
    EXPECT_EQ(over, 0) << info.name;
  }
}

TEST(GluBackwardReferences, ZerosOfTheGateDerivatives) {
  const auto zero = [](Gate gate, double beta) {
    return double(*gate_derivative_zero(gate, beta));
  };
  EXPECT_NEAR(zero(Gate::gelu, 1), -0.751792, 2e-6);
  EXPECT_NEAR(zero(Gate::gelu_tanh, 1), -0.752461, 2e-6);
  EXPECT_NEAR(zero(Gate::silu, 1), -1.278465, 2e-6);
  EXPECT_NEAR(zero(Gate::swish, 1.702), -1.278465 / 1.702, 2e-6);
  EXPECT_FALSE(gate_derivative_zero(Gate::sigmoid, 1));
  EXPECT_FALSE(gate_derivative_zero(Gate::relu, 1));
  EXPECT_FALSE(gate_derivative_zero(Gate::identity, 1));
  for (const GluVariant& info : kGluVariants) {
    if (is_fast(info)) continue;
    const auto zf = zero_neighbourhood<float>(case_of<float>(info));
    const auto zd = zero_neighbourhood<double>(case_of<double>(info));
    if (!zf) continue;
    // A sign change of Gate' (MPFR) across the neighbourhood.
    auto& mpfr = mpfr_gate_derivative_product();
    const BackwardCase c = case_of<double>(info);
    EXPECT_LT(mpfr.derivative<double>(c.gate, double(zd->x0 - zd->radius), c.beta), 0) << info.name;
    EXPECT_GT(mpfr.derivative<double>(c.gate, double(zd->x0 + zd->radius), c.beta), 0) << info.name;
    std::printf(
        "[zero] %-22s Gate' = 0 at %.17Lg; min |Gate'| at the neighbourhood's edge: float "
        "%.6Lg (r = 2^-9), double %.6Lg (r = 2^-7)\n",
        info.name, zd->x0, zf->min_derivative, zd->min_derivative);
  }
}

// ---------------------------------------------------------------------------------------------
// 1. Accuracy

template <class T>
struct Sample {
  std::vector<T> dy, v, g;
};

// The triples of one (gate, oai) case at lane type T: gates from the edge values, every binade,
// [-20, 20], the tails where Gate and Gate' underflow (float: gelu near -13..-14 and sigmoid,
// silu, swish near -87..-104; double: gelu near -38, the others near -745), around the zero of
// Gate' (the 32 values nearest it on each side), and for swiglu_oai around its limit; each with
// dy = ±2^[-8, 8) and v = ±2^[-8, 8) (swiglu_oai: v uniform in [-8, 8], an eighth of them
// clamped, and v = ±limit).
template <class T>
Sample<T> accuracy_sample(const BackwardCase& c) {
  constexpr bool kFloat = std::is_same_v<T, float>;
  const std::size_t s = kSmallSamples ? 8 : 1;
  std::mt19937_64 rng(0xb4c3ULL + 131 * std::uint64_t(c.gate) + (c.oai ? 17 : 0) + sizeof(T));
  std::vector<T> gates;
  for (T x : edge_values<T>())
    if (std::isfinite(x)) gates.push_back(x);
  append_binades(gates, kFloat ? 4 : 1, rng);
  append_dense<T>(gates, -20.0, 20.0, (kFloat ? 16384 : 8192) / s, rng);
  append_dense<T>(gates, -120.0, -20.0, 2048 / s, rng);
  append_dense<T>(gates, 20.0, 120.0, 512 / s, rng);
  if constexpr (kFloat) {
    append_dense<T>(gates, -16.0, -12.0, 1024 / s, rng);
  } else {
    append_dense<T>(gates, -40.0, -30.0, 1024 / s, rng);
    append_dense<T>(gates, -800.0, -690.0, 1024 / s, rng);
  }
  if (const auto x0 = gate_derivative_zero(c.gate, c.beta))
    append_zero_neighbourhood<T>(gates, *x0, 2048 / s, 32, rng);
  const T L = static_cast<T>(c.limit), inf = std::numeric_limits<T>::infinity();
  if (c.oai) {
    for (T g : {L, std::nextafter(L, inf), std::nextafter(L, -inf)})
      for (int k = 0; k < 8; ++k) gates.push_back(g);
    append_dense<T>(gates, c.limit - 1, c.limit + 1, 512 / s, rng);
  }
  Sample<T> out;
  for (T g : gates) {
    out.g.push_back(g);
    out.dy.push_back(random_magnitude<T>(rng, -8, 8));
    if (c.oai) {
      const std::uint64_t pick = rng() % 64;
      out.v.push_back(pick == 0 ? L : pick == 1 ? -L : static_cast<T>(uniform(rng, -8, 8)));
    } else {
      out.v.push_back(random_magnitude<T>(rng, -8, 8));
    }
  }
  return out;
}

template <class T>
struct AccuracyData {
  Sample<T> sample;
  std::vector<BackwardReference<T>> refs;
};

// The sample and its references, computed once per (gate, oai) case and shared by both tiers.
template <class T>
const AccuracyData<T>& accuracy_data(const BackwardCase& c) {
  static std::map<std::pair<int, bool>, AccuracyData<T>> cache;
  const auto key = std::make_pair(int(c.gate), c.oai);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  AccuracyData<T> data;
  data.sample = accuracy_sample<T>(c);
  const std::size_t n = data.sample.g.size();
  data.refs.resize(n);
  parallel_for(
      n,
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          data.refs[i] =
              backward_reference<T>(c, data.sample.dy[i], data.sample.v[i], data.sample.g[i]);
        }
      },
      test_threads(), 256);
  return cache.emplace(key, std::move(data)).first->second;
}

// The measurement of one half over a sample: ULP distance outside the zero neighbourhood (and
// outside the underflow slack), absolute error in its units inside.
template <class T>
struct Measurement {
  std::uint64_t max_ulp = 0;
  std::size_t worst = 0;
  long double max_units = 0;
  std::size_t worst_zero = 0, near_zero = 0, masked = 0, over = 0;
  // Where Gate(g) (Gate'(g)) underflows: the ULP maximum leaves them out.
  std::size_t underflows = 0, underflows_over_bound = 0;
  std::vector<std::string> first_over;
};

template <class T>
std::string triple_text(const Sample<T>& s, std::size_t i) {
  return "dy = " + show(s.dy[i]) + ", v = " + show(s.v[i]) + ", g = " + show(s.g[i]);
}

// Whether got is within `bound` ULP of want, or, where the gate (derivative) underflows, within
// bound ULPs plus `slack` absolutely.
template <class T>
bool within(T got, T want, std::uint64_t bound, bool underflows, long double slack,
            std::uint64_t& ulp) {
  ulp = ulp_distance(got, want);
  if (ulp <= bound) return true;
  if (!underflows || ulp == kNanMismatch) return false;
  return std::fabs(static_cast<long double>(got) - static_cast<long double>(want)) <=
         static_cast<long double>(bound) * ulp_of<T>(want) + slack;
}

template <class T>
void record_over(Measurement<T>& m, const Sample<T>& s, std::size_t i, T got, T want,
                 const std::string& err) {
  if (++m.over <= 6) {
    m.first_over.push_back(triple_text(s, i) + ": got " + show(got) + ", want " + show(want) +
                           " (" + err + ")");
  }
}

// One output against its reference, folded into m: a masked gradient must be +0 exactly; else
// within `bound` ULP (with `slack` where the factor underflows, see within()).
template <class T>
void measure_one(Measurement<T>& m, const Sample<T>& s, std::size_t i, T got, T want, bool masked,
                 bool underflows, long double slack, std::uint64_t bound) {
  if (masked) {
    ++m.masked;
    if (bits_of(got) != 0) record_over(m, s, i, got, want, "masked: must be +0");
    return;
  }
  std::uint64_t ulp = 0;
  const bool ok = within(got, want, bound, underflows, slack, ulp);
  if (underflows) {
    ++m.underflows;
    m.underflows_over_bound += ulp > bound;
  } else if (ulp > m.max_ulp) {
    m.max_ulp = ulp;
    m.worst = i;
  }
  if (!ok) {
    record_over(m, s, i, got, want,
                ulp == kNanMismatch ? "NaN mismatch" : std::to_string(ulp) + " ULP");
  }
}

template <class T>
Measurement<T> measure_dvalue(const Sample<T>& s, const std::vector<BackwardReference<T>>& refs,
                              const std::vector<T>& got, std::uint64_t bound) {
  Measurement<T> m;
  const long double denorm = std::numeric_limits<T>::denorm_min();
  for (std::size_t i = 0; i < got.size(); ++i) {
    const BackwardReference<T>& r = refs[i];
    const long double slack =
        kGateSubnormalUlps * std::fabs(static_cast<long double>(s.dy[i])) * denorm;
    measure_one(m, s, i, got[i], r.dvalue, r.dvalue_masked, r.gate_underflows, slack, bound);
  }
  return m;
}

template <class T>
Measurement<T> measure_dgate(const Sample<T>& s, const std::vector<BackwardReference<T>>& refs,
                             const std::vector<T>& got, std::uint64_t bound,
                             const std::optional<ZeroNeighbourhood>& zero) {
  Measurement<T> m;
  const long double denorm = std::numeric_limits<T>::denorm_min();
  for (std::size_t i = 0; i < got.size(); ++i) {
    const BackwardReference<T>& r = refs[i];
    if (!r.dgate_masked && zero && zero->contains(s.g[i]) && !std::isnan(got[i])) {
      ++m.near_zero;
      const long double unit = ulp_of<T>(std::fabs(r.value_factor) * zero->min_derivative);
      const long double units =
          std::fabs(static_cast<long double>(got[i]) - static_cast<long double>(r.dgate)) / unit;
      if (units > m.max_units) {
        m.max_units = units;
        m.worst_zero = i;
      }
      if (units > static_cast<long double>(bound)) {
        char buf[80];
        std::snprintf(buf, sizeof buf, "%.3Lg units of the zero neighbourhood", units);
        record_over(m, s, i, got[i], r.dgate, buf);
      }
      continue;
    }
    const long double slack = kDerivativeSubnormalUlps * std::fabs(r.value_factor) * denorm;
    measure_one(m, s, i, got[i], r.dgate, r.dgate_masked, r.derivative_underflows, slack, bound);
  }
  return m;
}

template <class T>
std::string summary(const Measurement<T>& m, const Sample<T>& s, bool with_zero,
                    const char* function) {
  std::string out =
      "max " +
      (m.max_ulp == kNanMismatch ? std::string("NaN-mismatch") : std::to_string(m.max_ulp)) +
      " ULP";
  if (m.max_ulp > 0) out += " at " + triple_text(s, m.worst);
  if (with_zero) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "; near the zero of Gate' (%zu triples): max %.3Lg units",
                  m.near_zero, m.max_units);
    out += buf;
  }
  if (m.masked) out += "; " + std::to_string(m.masked) + " masked (+0)";
  if (m.underflows) {
    out += "; " + std::to_string(m.underflows) + " where " + function + " underflows (" +
           std::to_string(m.underflows_over_bound) + " of them over the ULP bound)";
  }
  return out;
}

template <class T, class Bwd, class... P>
void check_accuracy(const GluVariant& info, const Bwd& bwd, const P&... params) {
  const BackwardCase c = case_of<T>(info);
  const AccuracyData<T>& data = accuracy_data<T>(c);
  const Sample<T>& s = data.sample;
  const Index n = Index(s.g.size());
  std::vector<T> dv(s.g.size()), dg(s.g.size());
  {
    // (Columns, not Maps of the sample: the types of the other tests, fewer instantiations.)
    const Column<T> dy = Eigen::Map<const Column<T>>(s.dy.data(), n);
    const Column<T> v = Eigen::Map<const Column<T>>(s.v.data(), n);
    const Column<T> g = Eigen::Map<const Column<T>>(s.g.data(), n);
    const auto [xv, xg] = bwd(dy, v, g, params...);
    Eigen::Map<Column<T>>(dv.data(), n) = xv;
    Eigen::Map<Column<T>>(dg.data(), n) = xg;
  }
  const auto zero = zero_neighbourhood<T>(c);
  const char* type = std::is_same_v<T, float> ? "float" : "double";
  const std::string label = label_of(info, params...) + " " + type;
  const Measurement<T> mv = measure_dvalue(s, data.refs, dv, dvalue_bound(info));
  const Measurement<T> mg = measure_dgate(s, data.refs, dg, dgate_bound(info), zero);
  std::printf("[measured] %-44s %zu triples: dvalue %s\n", label.c_str(), s.g.size(),
              summary(mv, s, false, "Gate(g)").c_str());
  std::printf("[measured] %-44s %zu triples: dgate  %s\n", label.c_str(), s.g.size(),
              summary(mg, s, zero.has_value(), "Gate'(g)").c_str());
  std::fflush(stdout);
  std::string first;
  for (const auto& t : mv.first_over) first += "\n  dvalue " + t;
  for (const auto& t : mg.first_over) first += "\n  dgate " + t;
  EXPECT_EQ(mv.over, 0u) << label << ": dvalue over " << dvalue_bound(info) << " ULP" << first;
  EXPECT_EQ(mg.over, 0u) << label << ": dgate over " << dgate_bound(info) << " ULP" << first;
}

TEST(GluBackwardAccuracy, Float) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto&, auto... p) {
    check_accuracy<float>(info, bwd, p...);
  });
}

TEST(GluBackwardAccuracy, Double) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto&, auto... p) {
    check_accuracy<double>(info, bwd, p...);
  });
}

// Other parameters than the defaults reach the references: swiglu with β = 0.5, swiglu_oai with
// alpha = 1 and limit = 3 (so that a fifth of the values and gates are clamped), in every form.
template <class T, class Bwd, class... P>
void check_parameters(const char* name, const Bwd& bwd, const BackwardCase& c, const P&... params) {
  std::mt19937_64 rng(0xa1fa);
  constexpr Index rows = 7, d = 13;
  Triples<T> t{Mat<T>(rows, d), Mat<T>(rows, d), Mat<T>(rows, d)};
  for (Index k = 0; k < t.V.size(); ++k) {
    t.dy(k) = static_cast<T>(uniform(rng, -2, 2));
    t.V(k) = static_cast<T>(uniform(rng, -5, 5));
    t.G(k) = static_cast<T>(uniform(rng, -5, 5));
  }
  t.V(0) = static_cast<T>(c.limit);
  t.G(1) = static_cast<T>(c.limit);
  const auto [xv, xg] = bwd(t.dy, t.V, t.G, params...);
  const Mat<T> dv = xv, dg = xg;
  const std::uint64_t bound_v = kBoundDvalueFast, bound_g = kBoundDgate;
  const auto zero = zero_neighbourhood<T>(c);
  int wrong = 0;
  for (Index k = 0; k < t.V.size(); ++k) {
    const BackwardReference<T> r = backward_reference<T>(c, t.dy(k), t.V(k), t.G(k));
    std::uint64_t uv = 0, ug = 0;
    bool ok_v =
        r.dvalue_masked ? bits_of(dv(k)) == 0 : within(dv(k), r.dvalue, bound_v, false, 0, uv);
    bool ok_g =
        r.dgate_masked ? bits_of(dg(k)) == 0 : within(dg(k), r.dgate, bound_g, false, 0, ug);
    if (!r.dgate_masked && zero && zero->contains(t.G(k))) {
      const long double unit = ulp_of<T>(std::fabs(r.value_factor) * zero->min_derivative);
      ok_g = std::fabs(static_cast<long double>(dg(k)) - r.dgate) <= bound_g * unit;
    }
    if ((!ok_v || !ok_g) && ++wrong <= 5) {
      ADD_FAILURE() << name << " at dy = " << show(t.dy(k)) << ", v = " << show(t.V(k))
                    << ", g = " << show(t.G(k)) << ": dvalue " << show(dv(k)) << " (want "
                    << show(r.dvalue) << "), dgate " << show(dg(k)) << " (want " << show(r.dgate)
                    << ")";
    }
  }
  // Every fused form and into() with the parameters last: the two-input form's bits.
  const auto expect_fused = [&](const Mat<T>& dh, auto layout, const char* form) {
    Mat<T> a, b;
    split(dh, layout, a, b);
    for (Index k = 0; k < a.size(); ++k) {
      ASSERT_TRUE(same_result(a(k), dv(k))) << name << " " << form << ": dvalue at " << k;
      ASSERT_TRUE(same_result(b(k), dg(k))) << name << " " << form << ": dgate at " << k;
    }
  };
  const auto for_layout = [&](auto layout) {
    const Mat<T> h = fused(t.V, t.G, layout);
    expect_fused(bwd(t.dy, h, layout, params...), layout, layout_name(layout));
    Mat<T> dh(rows, 2 * d);
    bwd.into(dh, t.dy, h, layout, params...);
    expect_fused(dh, layout, "into");
  };
  for_layout(activ::value_first);
  for_layout(activ::gate_first);
  for_layout(activ::interleaved);
  EXPECT_EQ(wrong, 0) << name;
}

TEST(GluBackwardAccuracy, ParametersOtherThanTheDefaults) {
  const BackwardCase swish_f{Gate::swish, false, param_as<float>(0.5), 0};
  const BackwardCase swish_d{Gate::swish, false, 0.5, 0};
  check_parameters<float>("swiglu_backward(beta=0.5)", activ::swiglu_backward, swish_f, 0.5);
  check_parameters<double>("swiglu_backward(beta=0.5)", activ::swiglu_backward, swish_d, 0.5);
  check_parameters<float>("fast::swiglu_backward(beta=0.5)", activ::fast::swiglu_backward, swish_f,
                          0.5);
  const BackwardCase oai{Gate::swish, true, 1.0, 3.0};
  check_parameters<float>("swiglu_oai_backward(alpha=1, limit=3)", activ::swiglu_oai_backward, oai,
                          1.0, 3.0);
  check_parameters<double>("swiglu_oai_backward(alpha=1, limit=3)", activ::swiglu_oai_backward, oai,
                           1.0, 3.0);
  check_parameters<double>("fast::swiglu_oai_backward(alpha=1, limit=3)",
                           activ::fast::swiglu_oai_backward, oai, 1.0, 3.0);
  // alpha alone: the default limit.
  const BackwardCase oai_alpha{Gate::swish, true, param_as<float>(0.5), 7.0};
  check_parameters<float>("swiglu_oai_backward(alpha=0.5)", activ::swiglu_oai_backward, oai_alpha,
                          0.5);
}

// ---------------------------------------------------------------------------------------------
// 2. Bit identity

// Triples in [-8, 8] with a sprinkling of special values (swiglu_oai's limit and its neighbours
// among them), so that every load, de-interleave and mask path sees them.
template <class T>
Triples<T> random_triples(Index rows, Index d, std::mt19937_64& rng) {
  const T inf = std::numeric_limits<T>::infinity();
  const T specials[] = {T(0),
                        -T(0),
                        inf,
                        -inf,
                        std::numeric_limits<T>::quiet_NaN(),
                        std::numeric_limits<T>::denorm_min(),
                        T(-30),
                        T(12),
                        T(7),
                        T(-7),
                        std::nextafter(T(7), inf),
                        std::nextafter(T(-7), -inf)};
  const auto draw = [&] {
    if (rng() % 16 == 0) return specials[rng() % std::size(specials)];
    return static_cast<T>(uniform(rng, -8, 8));
  };
  Triples<T> t{Mat<T>(rows, d), Mat<T>(rows, d), Mat<T>(rows, d)};
  for (Index k = 0; k < t.V.size(); ++k) {
    t.dy(k) = draw();
    t.V(k) = draw();
    t.G(k) = draw();
  }
  return t;
}

// The gradients one element at a time: the two-input form on 1x1 inputs (the scalar path).
template <class T, class Bwd, class... P>
void one_at_a_time(const Bwd& bwd, const Triples<T>& t, Mat<T>& dv, Mat<T>& dg,
                   const P&... params) {
  dv.resize(t.V.rows(), t.V.cols());
  dg.resize(t.V.rows(), t.V.cols());
  Mat<T> a(1, 1), b(1, 1), c(1, 1), x(1, 1), y(1, 1);
  for (Index k = 0; k < t.V.size(); ++k) {
    a(0, 0) = t.dy(k);
    b(0, 0) = t.V(k);
    c(0, 0) = t.G(k);
    const auto pair = bwd(a, b, c, params...);
    x = pair.first;
    y = pair.second;
    dv(k) = x(0, 0);
    dg(k) = y(0, 0);
  }
}

template <class T>
::testing::AssertionResult same_halves(const Mat<T>& dv, const Mat<T>& dg, const Mat<T>& want_dv,
                                       const Mat<T>& want_dg, const Triples<T>& t) {
  if (dv.rows() != want_dv.rows() || dv.cols() != want_dv.cols() || dg.rows() != want_dg.rows() ||
      dg.cols() != want_dg.cols()) {
    return ::testing::AssertionFailure()
           << "shape " << dv.rows() << "x" << dv.cols() << " and " << dg.rows() << "x" << dg.cols()
           << ", want " << want_dv.rows() << "x" << want_dv.cols();
  }
  for (Index j = 0; j < dv.cols(); ++j) {
    for (Index i = 0; i < dv.rows(); ++i) {
      const bool v_ok = same_result(dv(i, j), want_dv(i, j));
      if (v_ok && same_result(dg(i, j), want_dg(i, j))) continue;
      return ::testing::AssertionFailure()
             << (v_ok ? "dgate" : "dvalue") << " at (" << i << ", " << j
             << ") for dy = " << show(t.dy(i, j)) << ", v = " << show(t.V(i, j))
             << ", g = " << show(t.G(i, j)) << ": " << show(v_ok ? dg(i, j) : dv(i, j))
             << ", one element at a time " << show(v_ok ? want_dg(i, j) : want_dv(i, j));
    }
  }
  return ::testing::AssertionSuccess();
}

template <class T, class Layout>
::testing::AssertionResult fused_matches(const Mat<T>& dh, Layout layout, const Mat<T>& want_dv,
                                         const Mat<T>& want_dg, const Triples<T>& t) {
  if (dh.rows() != t.V.rows() || dh.cols() != 2 * t.V.cols()) {
    return ::testing::AssertionFailure() << "dh is " << dh.rows() << "x" << dh.cols() << ", want "
                                         << t.V.rows() << "x" << 2 * t.V.cols();
  }
  Mat<T> dv, dg;
  split(dh, layout, dv, dg);
  return same_halves(dv, dg, want_dv, want_dg, t);
}

// Every presentation of one layout. For every variant (Full = false): column-major, the default
// layout (no layout argument), row-major, each row as a 1-D array (length 2d, split along the
// length, with a dy of length d), and into() a plain object. With Full, also: arrays, expressions
// without storage, blocks, a padded outer stride, inner strides of 2, a misaligned Map, dy as a
// block and with strides, each row as a row vector and as a 1-D vector through into(), and into()
// a Block (nothing outside it written) and a strided Map. The presentations exercise the layout
// machinery, which does not depend on the gate: Full runs for a few variants (the compile time of
// every presentation of every variant would be several times this file's).
template <bool Full, class T, class Bwd, class Layout, class... P>
void check_fused_presentations(const std::string& what, const Bwd& bwd, const Triples<T>& t,
                               Layout layout, bool is_default, const Mat<T>& wv, const Mat<T>& wg,
                               const P&... params) {
  const Mat<T> h = fused(t.V, t.G, layout);
  const Index rows = h.rows(), cols = h.cols();
  const RowMat<T> hr = h, dyr = t.dy;
  const auto expect = [&](const Mat<T>& dh, const char* kind) {
    EXPECT_TRUE(fused_matches<T>(dh, layout, wv, wg, t)) << what << ", " << kind;
  };
  expect(bwd(t.dy, h, layout, params...), "column-major");
  if (is_default) expect(bwd(t.dy, h, params...), "the default layout");
  expect(bwd(dyr, hr, layout, params...), "row-major");
  Mat<T> dh(rows, cols);
  bwd.into(dh, t.dy, h, layout, params...);
  expect(dh, "into()");
  if (is_default) {
    Mat<T> dh_default(rows, cols);
    bwd.into(dh_default, t.dy, h, params...);
    expect(dh_default, "into(), the default layout");
  }
  // Each row on its own as a 1-D array.
  for (Index i = 0; i < rows; ++i) {
    const Triples<T> ti{t.dy.row(i), t.V.row(i), t.G.row(i)};
    const Mat<T> wvi = wv.row(i), wgi = wg.row(i);
    const Column<T> hcol = h.row(i).transpose().array(), dycol = t.dy.row(i).transpose().array();
    const auto dh_col = bwd(dycol, hcol, layout, params...);
    static_assert(std::is_same_v<std::decay_t<decltype(dh_col)>, Column<T>>);
    EXPECT_TRUE(fused_matches<T>(Mat<T>(dh_col.matrix().transpose()), layout, wvi, wgi, ti))
        << what << ", 1-D array " << i;
    if constexpr (Full) {
      const Eigen::Matrix<T, 1, Dynamic> hrow = h.row(i), dyrow = t.dy.row(i);
      const auto dh_row = bwd(dyrow, hrow, layout, params...);
      static_assert(std::is_same_v<std::decay_t<decltype(dh_row)>, Eigen::Matrix<T, 1, Dynamic>>);
      EXPECT_TRUE(fused_matches<T>(Mat<T>(dh_row), layout, wvi, wgi, ti))
          << what << ", row vector " << i;
      const Eigen::Matrix<T, Dynamic, 1> hvec = hcol.matrix(), dyvec = dycol.matrix();
      Eigen::Matrix<T, Dynamic, 1> dh_vec(cols);
      bwd.into(dh_vec, dyvec, hvec, layout, params...);
      EXPECT_TRUE(fused_matches<T>(Mat<T>(dh_vec.transpose()), layout, wvi, wgi, ti))
          << what << ", into a 1-D vector " << i;
    }
  }
  if constexpr (Full) {
    using Stride = Eigen::Stride<Dynamic, Dynamic>;
    using Strided = Eigen::Map<Mat<T>, Eigen::Unaligned, Stride>;
    using StridedRow = Eigen::Map<RowMat<T>, Eigen::Unaligned, Stride>;
    const Index d = cols / 2;
    expect(bwd(t.dy, hr, layout, params...), "row-major h, column-major dy");
    expect(bwd(t.dy.array(), h.array(), layout, params...).matrix(), "arrays");
    expect(bwd(t.dy, h * T(1), layout, params...), "an expression");
    expect(bwd(dyr, hr * T(1), layout, params...), "a row-major expression");

    Mat<T> big = Mat<T>::Constant(rows + 3, cols + 5, T(-7));
    big.block(2, 3, rows, cols) = h;
    expect(bwd(t.dy, big.block(2, 3, rows, cols), layout, params...), "a block");
    const RowMat<T> bigr = big;
    expect(bwd(dyr, bigr.block(2, 3, rows, cols), layout, params...), "a row-major block");
    Mat<T> bigdy = Mat<T>::Constant(rows + 2, d + 3, T(5));
    bigdy.block(1, 2, rows, d) = t.dy;
    expect(bwd(bigdy.block(1, 2, rows, d), h, layout, params...), "dy a block");

    std::vector<T> buffer(std::size_t(2 * (rows + 1) * (cols + 1) + 1), T(-9));
    Strided padded(buffer.data() + 1, rows, cols, Stride(rows + 1, 1));
    padded = h;
    expect(bwd(t.dy, padded, layout, params...), "an outer-stride Map");
    Strided inner2(buffer.data() + 1, rows, cols, Stride(2 * rows, 2));
    inner2 = h;
    expect(bwd(t.dy, inner2, layout, params...), "an inner-stride-2 Map");
    StridedRow row_inner2(buffer.data() + 1, rows, cols, Stride(2 * cols + 1, 2));
    row_inner2 = h;
    expect(bwd(dyr, row_inner2, layout, params...), "a row-major inner-stride-2 Map");
    Eigen::Map<RowMat<T>> misaligned(buffer.data() + 1, rows, cols);
    misaligned = h;
    expect(bwd(dyr, misaligned, layout, params...), "a misaligned row-major Map");
    std::vector<T> dy_buffer(std::size_t(2 * rows * d + 1), T(3));
    Strided dy2(dy_buffer.data() + 1, rows, d, Stride(2 * rows, 2));
    dy2 = t.dy;
    expect(bwd(dy2, h, layout, params...), "dy an inner-stride-2 Map");

    Mat<T> bigdh = Mat<T>::Constant(rows + 4, cols + 2, T(3));
    bwd.into(bigdh.block(1, 1, rows, cols), t.dy, h, layout, params...);
    expect(bigdh.block(1, 1, rows, cols), "into() a Block");
    Mat<T> outside = bigdh;
    outside.block(1, 1, rows, cols).setConstant(T(3));
    EXPECT_TRUE((outside.array() == T(3)).all()) << what << ": into() a Block wrote outside it";
    std::vector<T> out(std::size_t(2 * (rows + 1) * (cols + 1) + 1), T(-1));
    StridedRow dh_map(out.data() + 1, rows, cols, Stride(2 * cols + 1, 2));
    bwd.into(dh_map, dyr, hr, layout, params...);
    expect(dh_map, "into() a strided row-major Map");
  }
}

// The two-input form: column-major; with Full, also row-major, mixed storage orders, arrays, the
// halves of a fused matrix, every other column of a Map (an outer stride), inner strides of 2.
template <bool Full, class T, class Bwd, class... P>
void check_two_input_presentations(const std::string& what, const Bwd& bwd, const Triples<T>& t,
                                   const Mat<T>& wv, const Mat<T>& wg, const P&... params) {
  const auto expect = [&](const auto& pair, const char* kind) {
    const Mat<T> dv = pair.first.matrix(), dg = pair.second.matrix();
    EXPECT_TRUE(same_halves(dv, dg, wv, wg, t)) << what << ", two-input, " << kind;
  };
  expect(bwd(t.dy, t.V, t.G, params...), "column-major");
  if constexpr (Full) {
    using Stride = Eigen::Stride<Dynamic, Dynamic>;
    const Index rows = t.V.rows(), d = t.V.cols();
    const RowMat<T> dyr = t.dy, Vr = t.V, Gr = t.G;
    expect(bwd(dyr, Vr, Gr, params...), "row-major");
    expect(bwd(t.dy, Vr, t.G, params...), "mixed storage orders");
    expect(bwd(t.dy.array(), t.V.array(), t.G.array(), params...), "arrays");
    const Mat<T> h = fused(t.V, t.G, activ::value_first);
    expect(bwd(t.dy, h.leftCols(d), h.rightCols(d), params...), "the halves of a fused matrix");
    const Mat<T> hi = fused(t.V, t.G, activ::interleaved);
    using Strided = Eigen::Map<const Mat<T>, Eigen::Unaligned, Stride>;
    const Strided gates(hi.data(), rows, d, Stride(2 * rows, 1));
    const Strided values(hi.data() + rows, rows, d, Stride(2 * rows, 1));
    expect(bwd(t.dy, values, gates, params...), "every other column of a Map");
    const RowMat<T> hir = hi;
    using StridedRow = Eigen::Map<const RowMat<T>, Eigen::Unaligned, Stride>;
    const StridedRow gates2(hir.data(), rows, d, Stride(2 * d, 2));
    const StridedRow values2(hir.data() + 1, rows, d, Stride(2 * d, 2));
    expect(bwd(dyr, values2, gates2, params...), "inner-stride-2 Maps");
  }
}

// Random triples of every shape with d in 1..9, 16, 17, 33, 67 and 515 (packets' bodies and
// scalar tails in every layout), rows 1 and 3, against one_at_a_time.
template <bool Full, class T, class Bwd, class... P>
void check_bit_identity(const GluVariant& info, const Bwd& bwd, const P&... params) {
  std::mt19937_64 rng(0xb17b17ULL + sizeof(T));
  const std::string name =
      label_of(info, params...) + (std::is_same_v<T, float> ? " float" : " double");
  std::vector<std::pair<Index, Index>> shapes;  // (rows, d)
  for (Index d : {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 67})
    for (Index rows : {1, 3}) shapes.emplace_back(rows, d);
  shapes.emplace_back(2, 515);
  const bool failed_before = ::testing::Test::HasFailure();
  for (const auto& [rows, d] : shapes) {
    const Triples<T> t = random_triples<T>(rows, d, rng);
    Mat<T> wv, wg;
    one_at_a_time(bwd, t, wv, wg, params...);
    const std::string what = name + " " + std::to_string(rows) + "x" + std::to_string(d);
    check_two_input_presentations<Full>(what, bwd, t, wv, wg, params...);
    check_fused_presentations<Full>(what + " value_first", bwd, t, activ::value_first, !info.oai,
                                    wv, wg, params...);
    check_fused_presentations<Full>(what + " gate_first", bwd, t, activ::gate_first, false, wv, wg,
                                    params...);
    check_fused_presentations<Full>(what + " interleaved", bwd, t, activ::interleaved, info.oai, wv,
                                    wg, params...);
    if (!failed_before && ::testing::Test::HasFailure()) return;  // one failing size says enough
  }
}

TEST(GluBackwardBitIdentity, FloatEveryVariantEqualsOneElementAtATime) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto&, auto... p) {
    check_bit_identity<false, float>(info, bwd, p...);
  });
}

TEST(GluBackwardBitIdentity, DoubleEveryVariantEqualsOneElementAtATime) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto&, auto... p) {
    check_bit_identity<false, double>(info, bwd, p...);
  });
}

// Every presentation, for a variant of each kind: a precise gate (geglu), an exact one (reglu),
// the clamps (swiglu_oai) and a fast gate with a parameter (fast::swiglu with beta).
template <class T>
void check_every_presentation() {
  check_bit_identity<true, T>(kGluVariants[0], activ::geglu_backward);
  check_bit_identity<true, T>(kGluVariants[4], activ::reglu_backward);
  check_bit_identity<true, T>(kGluVariants[7], activ::swiglu_oai_backward);
  check_bit_identity<true, T>(kGluVariants[11], activ::fast::swiglu_backward, kSwiGluBeta);
}

TEST(GluBackwardBitIdentity, FloatEveryPresentationEqualsOneElementAtATime) {
  check_every_presentation<float>();
}

TEST(GluBackwardBitIdentity, DoubleEveryPresentationEqualsOneElementAtATime) {
  check_every_presentation<double>();
}

// dvalue is the forward GLU with dy in the value's place: the same bits as the forward variant
// of (dy, g) (swiglu_oai aside: its forward pass transforms the value).
template <class T, class Bwd, class Fwd, class... P>
void check_dvalue_is_forward(const GluVariant& info, const Bwd& bwd, const Fwd& fwd,
                             const P&... params) {
  if (info.oai) return;
  std::mt19937_64 rng(0xf0dULL);
  const Triples<T> t = random_triples<T>(5, 37, rng);
  const auto pair = bwd(t.dy, t.V, t.G, params...);
  const Mat<T> dv = pair.first, dg = pair.second;
  const Mat<T> forward = fwd(t.dy, t.G, params...);
  // (dgate is compared with itself: only dvalue is checked here)
  EXPECT_TRUE(same_halves(dv, dg, forward, dg, t)) << label_of(info, params...);
}

TEST(GluBackwardBitIdentity, DvalueIsTheForwardGluOfDy) {
  for_each_backward_variant(
      [](const GluVariant& info, const auto& bwd, const auto& fwd, auto... p) {
        check_dvalue_is_forward<float>(info, bwd, fwd, p...);
        check_dvalue_is_forward<double>(info, bwd, fwd, p...);
      });
}

// fast::reglu_backward and fast::bilinear_backward are the precise objects.
TEST(GluBackwardBitIdentity, FastReGluAndBilinearAreThePreciseObjects) {
  EXPECT_EQ(&activ::fast::reglu_backward, &activ::reglu_backward);
  EXPECT_EQ(&activ::fast::bilinear_backward, &activ::bilinear_backward);
}

// ---------------------------------------------------------------------------------------------
// 3. Gradient checks

// dh against dy times the central differences of the forward pass F(v, g) = V(v)·Gate(g), with
// respect to v (the value half) and g (the gate half), in activ's forward functor on doubles and
// in the long double references, on 6 random shapes (rows 1..5, d 1..9), in the three layouts and
// the two-input form; v and g uniform in [-6, 6] (swiglu_oai: [-9, 9], at least 10 steps from the
// clamp points, so both sides of every clamp are sampled), dy in [-2, 2]. Tolerance: relative 1e-5
// (float) or 1e-8 (double), plus 1e-8 (1e-12) of |dy|·max(1, |the other factor|) and the forward's
// rounding noise in the difference quotient.
template <class T, class Bwd, class Fwd, class... P>
void check_gradient(const GluVariant& info, const Bwd& bwd, const Fwd& fwd, const P&... params) {
  const BackwardCase c = case_of<T>(info);
  const auto forward = fwd.functor(params...);  // activ's forward functor, on doubles here
  const double L = c.limit;
  constexpr bool kFloat = std::is_same_v<T, float>;
  const double rel = kFloat ? 1e-5 : 1e-8, abs = kFloat ? 1e-8 : 1e-12;
  std::mt19937_64 rng(0x96adULL + sizeof(T) + 7 * std::uint64_t(&info - kGluVariants));
  const auto step = [](double x) {
    return std::ldexp(1.0, std::ilogb(std::max(1.0, std::fabs(x))) - 12);
  };
  const auto draw = [&](bool is_value) {
    for (;;) {
      const T x = static_cast<T>(c.oai ? uniform(rng, -9, 9) : uniform(rng, -6, 6));
      const double xd = x, h = step(xd);
      if (c.oai && is_value && std::fabs(std::fabs(xd) - L) < 10 * h) continue;
      if (c.oai && !is_value && std::fabs(xd - L) < 10 * h) continue;
      if (!is_value && c.gate == Gate::relu && std::fabs(xd) < 10 * h) continue;  // the kink
      return x;
    }
  };
  const std::string name = label_of(info, params...) + (kFloat ? " float" : " double");
  int wrong = 0, checked = 0;
  for (int shape = 0; shape < 6; ++shape) {
    const Index rows = 1 + Index(rng() % 5), d = 1 + Index(rng() % 9);
    Triples<T> t{Mat<T>(rows, d), Mat<T>(rows, d), Mat<T>(rows, d)};
    for (Index k = 0; k < t.V.size(); ++k) {
      t.dy(k) = static_cast<T>(uniform(rng, -2, 2));
      t.V(k) = draw(true);
      t.G(k) = draw(false);
    }
    std::vector<std::pair<const char*, std::pair<Mat<T>, Mat<T>>>> forms;
    {
      const auto pair = bwd(t.dy, t.V, t.G, params...);
      forms.push_back({"two-input", {Mat<T>(pair.first), Mat<T>(pair.second)}});
    }
    const auto add_layout = [&](auto layout) {
      Mat<T> dv, dg;
      split(Mat<T>(bwd(t.dy, fused(t.V, t.G, layout), layout, params...)), layout, dv, dg);
      forms.push_back({layout_name(layout), {dv, dg}});
    };
    add_layout(activ::value_first);
    add_layout(activ::gate_first);
    add_layout(activ::interleaved);

    for (Index k = 0; k < t.V.size(); ++k) {
      const double dy = t.dy(k), v = t.V(k), g = t.G(k);
      const auto f_activ = [&](double vv, double gg) { return double(forward(vv, gg)); };
      const auto f_ld = [&](long double vv, long double gg) {
        return ld::glu_forward(c.gate, c.oai, vv, gg, c.beta, c.limit);
      };
      const double hv = step(v), hg = step(g);
      const auto fv_a = [&](double x) { return f_activ(x, g); };
      const auto fg_a = [&](double x) { return f_activ(v, x); };
      const auto fv_l = [&](long double x) { return f_ld(x, g); };
      const auto fg_l = [&](long double x) { return f_ld(v, x); };
      const auto noise = [](auto f, double at, double h, double eps) {
        return eps * std::max(std::fabs(double(f(at - 2 * h))), std::fabs(double(f(at + 2 * h)))) /
               h;
      };
      const long double vl = v, gl = g;
      const double value = c.oai ? std::min(std::max(v, -L), L) + 1 : v;
      const double gate =
          double(ld::gate_forward(c.gate, c.oai ? std::min(gl, (long double)L) : gl, c.beta));
      struct Fd {
        const char* what;
        double dvalue, dgate, noise_v, noise_g;
      };
      const Fd fds[] = {
          {"activ's forward in double", central_difference(fv_a, v, hv),
           central_difference(fg_a, g, hg), noise(fv_a, v, hv, 0x1p-49),
           noise(fg_a, g, hg, 0x1p-49)},
          {"the long double forward", double(central_difference(fv_l, vl, (long double)hv)),
           double(central_difference(fg_l, gl, (long double)hg)), noise(fv_l, v, hv, 0x1p-58),
           noise(fg_l, g, hg, 0x1p-58)},
      };
      for (const auto& [form, grads] : forms) {
        const double got_v = grads.first(k), got_g = grads.second(k);
        for (const Fd& fd : fds) {
          const double want_v = dy * fd.dvalue, want_g = dy * fd.dgate;
          const double tol_v = rel * std::fabs(want_v) +
                               (abs * std::max(1.0, std::fabs(gate)) + fd.noise_v) * std::fabs(dy);
          const double tol_g = rel * std::fabs(want_g) +
                               (abs * std::max(1.0, std::fabs(value)) + fd.noise_g) * std::fabs(dy);
          checked += 2;
          for (const auto& [half, got, want, tol] :
               {std::make_tuple("dvalue", got_v, want_v, tol_v),
                std::make_tuple("dgate", got_g, want_g, tol_g)}) {
            if (!(std::fabs(got - want) <= tol) && ++wrong <= 6) {
              ADD_FAILURE() << name << " " << form << " " << half << " at dy = " << dy
                            << ", v = " << v << ", g = " << g << " (shape " << rows << "x" << d
                            << "): " << got << ", dy times the central difference of " << fd.what
                            << ": " << want << " (tolerance " << tol << ")";
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(wrong, 0) << name << ": " << wrong << " of " << checked;
  EXPECT_GT(checked, 100) << name;
}

TEST(GluBackwardGradientCheck, FloatAgainstCentralDifferences) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto& fwd,
                               auto... p) { check_gradient<float>(info, bwd, fwd, p...); });
}

TEST(GluBackwardGradientCheck, DoubleAgainstCentralDifferences) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto& fwd,
                               auto... p) { check_gradient<double>(info, bwd, fwd, p...); });
}

// ---------------------------------------------------------------------------------------------
// swiglu_oai's clamps, exactly: PyTorch's clamp backward passes the gradient where
// min <= x <= max and gives 0 elsewhere and for NaN, so the gradient is exactly +0 (a select,
// whatever dy is) where g > limit (dgate) or |v| > limit (dvalue) or the input is NaN, and flows
// (the unclamped formula, within the bounds, nonzero) at g == limit and v == ±limit.

enum class Expect { zero, flows, nan };

template <class T>
struct ClampRow {
  T dy, v, g;
  Expect dvalue, dgate;
  const char* what;
};

template <class T>
std::vector<ClampRow<T>> clamp_rows() {
  const T L = T(kOaiLimit), inf = std::numeric_limits<T>::infinity();
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T above = std::nextafter(L, inf), below = std::nextafter(-L, -inf);
  using E = Expect;
  return {
      {T(1.5), T(2), L, E::flows, E::flows, "g == limit"},
      {T(-0.75), T(2), L, E::flows, E::flows, "g == limit, dy < 0"},
      {T(1.5), L, T(1), E::flows, E::flows, "v == limit"},
      {T(1.5), -L, T(1), E::flows, E::flows, "v == -limit"},
      {T(-0.75), -L, L, E::flows, E::flows, "v == -limit, g == limit"},
      {T(1.5), T(2), T(-3), E::flows, E::flows, "nothing clamped"},
      {T(1.5), T(2), above, E::flows, E::zero, "g just above the limit"},
      {T(1.5), T(2), T(100), E::flows, E::zero, "g far above the limit"},
      {T(1.5), T(2), inf, E::flows, E::zero, "g = +inf"},
      {T(1.5), T(2), nan, E::nan, E::zero, "g NaN"},
      {nan, T(2), above, E::nan, E::zero, "dy NaN, g above the limit"},
      {T(1.5), above, T(1), E::zero, E::flows, "v just above the limit"},
      {T(1.5), below, T(1), E::zero, E::flows, "v just below -limit"},
      {T(1.5), inf, T(1), E::zero, E::flows, "v = +inf"},
      {T(1.5), -inf, T(1), E::zero, E::flows, "v = -inf"},
      {T(1.5), nan, T(1), E::zero, E::nan, "v NaN"},
      {nan, T(9), T(1), E::zero, E::nan, "dy NaN, v above the limit"},
      {inf, T(9), T(9), E::zero, E::zero, "dy = +inf, both clamped"},
      {nan, T(-100), T(100), E::zero, E::zero, "dy NaN, both clamped"},
  };
}

template <class T>
::testing::AssertionResult meets(Expect e, T got, T want, std::uint64_t bound) {
  switch (e) {
    case Expect::zero:
      if (bits_of(got) == 0) return ::testing::AssertionSuccess();
      return ::testing::AssertionFailure() << show(got) << ", want exactly +0";
    case Expect::nan:
      if (std::isnan(got)) return ::testing::AssertionSuccess();
      return ::testing::AssertionFailure() << show(got) << ", want NaN";
    case Expect::flows:
      if (got != 0 && ulp_distance(got, want) <= bound) return ::testing::AssertionSuccess();
      return ::testing::AssertionFailure() << show(got) << ", want the unclamped formula "
                                           << show(want) << " within " << bound << " ULP";
  }
  return ::testing::AssertionFailure();
}

template <class T, class Bwd>
void check_oai_clamps(const GluVariant& info, const Bwd& bwd) {
  const BackwardCase c = case_of<T>(info);
  const std::vector<ClampRow<T>> rows = clamp_rows<T>();
  const Index n = 67;  // every row at several positions of packets and of the scalar tail
  Column<T> dy(n), v(n), g(n);
  for (Index k = 0; k < n; ++k) {
    const ClampRow<T>& r = rows[std::size_t(k) % rows.size()];
    dy(k) = r.dy;
    v(k) = r.v;
    g(k) = r.g;
  }
  const auto pair = bwd(dy, v, g);
  const Column<T> dv = pair.first, dg = pair.second;
  // The fused default (interleaved) form.
  Mat<T> h(1, 2 * n);
  for (Index k = 0; k < n; ++k) {
    h(0, 2 * k) = g(k);
    h(0, 2 * k + 1) = v(k);
  }
  const Mat<T> dh = bwd(Mat<T>(dy.matrix().transpose()), h);
  const std::string name = backward_name(info) + (std::is_same_v<T, float> ? " float" : " double");
  for (Index k = 0; k < n; ++k) {
    const ClampRow<T>& r = rows[std::size_t(k) % rows.size()];
    // The unclamped formula where the gradient flows (finite dy, v and g there, or ±inf v whose
    // clamp(v) + 1 is finite).
    const BackwardReference<T> ref = backward_reference<T>(c, r.dy, r.v, r.g);
    Mat<T> a(1, 1), b(1, 1), cc(1, 1);
    a(0, 0) = r.dy;
    b(0, 0) = r.v;
    cc(0, 0) = r.g;
    const auto one = bwd(a, b, cc);
    const T scalar_v = Mat<T>(one.first)(0, 0), scalar_g = Mat<T>(one.second)(0, 0);
    const std::uint64_t bv = dvalue_bound(info), bg = dgate_bound(info);
    EXPECT_TRUE(meets(r.dvalue, dv(k), ref.dvalue, bv))
        << name << " dvalue, " << r.what << " at " << k;
    EXPECT_TRUE(meets(r.dgate, dg(k), ref.dgate, bg))
        << name << " dgate, " << r.what << " at " << k;
    EXPECT_TRUE(meets(r.dvalue, scalar_v, ref.dvalue, bv))
        << name << " dvalue, " << r.what << ", 1x1";
    EXPECT_TRUE(meets(r.dgate, scalar_g, ref.dgate, bg)) << name << " dgate, " << r.what << ", 1x1";
    EXPECT_TRUE(meets(r.dvalue, dh(0, 2 * k + 1), ref.dvalue, bv))
        << name << " dvalue, " << r.what << ", fused";
    EXPECT_TRUE(meets(r.dgate, dh(0, 2 * k), ref.dgate, bg))
        << name << " dgate, " << r.what << ", fused";
  }
}

TEST(GluBackwardClamps, SwigluOaiMasksExactlyAndFlowsAtTheLimits) {
  ASSERT_TRUE(kGluVariants[7].oai && kGluVariants[13].oai);
  check_oai_clamps<float>(kGluVariants[7], activ::swiglu_oai_backward);
  check_oai_clamps<double>(kGluVariants[7], activ::swiglu_oai_backward);
  check_oai_clamps<float>(kGluVariants[13], activ::fast::swiglu_oai_backward);
  check_oai_clamps<double>(kGluVariants[13], activ::fast::swiglu_oai_backward);
}

// ---------------------------------------------------------------------------------------------
// 4. Special values: NaN propagates through the products (swiglu_oai's masks aside, above).
// dy NaN: both halves NaN. g NaN: dvalue NaN; dgate NaN (bilinear: dy·v, its derivative is 1
// whatever the gate). v NaN: dgate NaN; dvalue dy·Gate(g), v does not enter it.

template <class T, class Bwd, class... P>
void check_nan_propagation(const GluVariant& info, const Bwd& bwd, const P&... params) {
  if (info.oai) return;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const BackwardCase c = case_of<T>(info);
  const T rows[][3] = {{nan, T(2), T(1.5)}, {T(1.5), T(2), nan}, {T(1.5), nan, T(1.5)}};
  const Index n = 35;
  Column<T> dy(n), v(n), g(n);
  for (Index k = 0; k < n; ++k) {
    dy(k) = rows[k % 3][0];
    v(k) = rows[k % 3][1];
    g(k) = rows[k % 3][2];
  }
  const auto pair = bwd(dy, v, g, params...);
  const Column<T> dv = pair.first, dg = pair.second;
  const std::string name = label_of(info, params...);
  for (Index k = 0; k < n; ++k) {
    const int which = int(k % 3);
    EXPECT_EQ(std::isnan(dv(k)), which != 2)
        << name << " dvalue, row " << which << ": " << show(dv(k));
    if (which == 2) {
      const BackwardReference<T> r = backward_reference<T>(c, T(1.5), T(0), T(1.5));
      EXPECT_LE(ulp_distance(dv(k), r.dvalue), dvalue_bound(info)) << name << ": " << show(dv(k));
    }
    if (which == 1 && info.gate == Gate::identity) {
      EXPECT_EQ(dg(k), T(3)) << name << " dgate with a NaN gate: " << show(dg(k));
    } else {
      EXPECT_TRUE(std::isnan(dg(k))) << name << " dgate, row " << which << ": " << show(dg(k));
    }
  }
}

TEST(GluBackwardSpecialValues, NanPropagates) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto&, auto... p) {
    check_nan_propagation<float>(info, bwd, p...);
    check_nan_propagation<double>(info, bwd, p...);
  });
}

// ---------------------------------------------------------------------------------------------
// 5. Eigen::bfloat16 and Eigen::half: dvalue = dy·Gate(g) (swiglu_oai: at min(g, limit), +0 where
// |v| > limit) and dgate = (dy·V(v))·Gate'(g) (swiglu_oai: +0 where g > limit), formed in float
// and rounded once: the exact value correctly rounded (MPFR; parameters as float).

template <class T>
struct Data16 {
  std::vector<T> dy, v, g, dvalue, dgate;
};

// ~3000 triples per (gate, oai) case (ASan: ~600): gates of random bits up to 256 in magnitude,
// [-8, 8], around the zero of Gate', around swiglu_oai's limit; dy and v = ±2^[-6, 6) (swiglu_oai:
// v in [-8, 8], where dy·(clamp(v) + 1) is exact in float, so that round16(dy·V(v)) is
// unambiguous); for bfloat16, a few dy·v beyond float's normal range.
template <class T>
const Data16<T>& data16(const GluVariant& info) {
  static std::map<std::pair<int, bool>, Data16<T>> cache;
  const auto key = std::make_pair(int(info.gate), info.oai);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  const BackwardCase c = case_of<float>(info);
  const float L = float(c.limit);
  std::mt19937_64 rng(0x16b17ULL + 31 * std::uint64_t(info.gate) + (info.oai ? 5 : 0) +
                      (std::is_same_v<T, Eigen::half> ? 1000 : 0));
  const std::size_t n = kSmallSamples ? 300 : 1500;
  Data16<T> s;
  std::vector<T> gates;
  while (gates.size() < n) {
    const T x = Eigen::numext::bit_cast<T>(static_cast<std::uint16_t>(rng()));
    const float f = static_cast<float>(x);
    if (std::isfinite(f) && std::fabs(f) <= 256) gates.push_back(x);
  }
  for (std::size_t i = 0; i < n; ++i) gates.push_back(T(static_cast<float>(uniform(rng, -8, 8))));
  if (const auto x0 = gate_derivative_zero(c.gate, c.beta)) {
    for (std::size_t i = 0; i < n / 4; ++i)
      gates.push_back(T(static_cast<float>(double(*x0) + uniform(rng, -0.05, 0.05))));
  }
  if (c.oai) {
    const T above = Eigen::numext::bit_cast<T>(static_cast<std::uint16_t>(bits16(T(L)) + 1));
    for (int k = 0; k < 8; ++k) {
      gates.push_back(T(L));
      gates.push_back(above);
    }
    for (std::size_t i = 0; i < n / 8; ++i)
      gates.push_back(T(static_cast<float>(uniform(rng, 6, 8))));
  }
  for (T g : gates) {
    const T dy = T(random_magnitude<float>(rng, -6, 6));
    T v;
    for (;;) {
      v = c.oai ? T(static_cast<float>(uniform(rng, -8, 8)))
                : T(random_magnitude<float>(rng, -6, 6));
      if (c.oai && rng() % 32 == 0) v = T((rng() & 1) ? L : -L);
      const float vf = static_cast<float>(v);
      const float value = c.oai ? std::min(std::max(vf, -L), L) + 1.0f : vf;
      const double exact = double(static_cast<float>(dy)) * double(value);
      if (c.oai && double(std::min(std::max(vf, -L), L)) + 1.0 != double(value)) continue;
      if (exact != double(static_cast<float>(exact))) continue;
      break;
    }
    s.dy.push_back(dy);
    s.v.push_back(v);
    s.g.push_back(g);
  }
  // bfloat16 spans float's exponents: dy·v below the smallest normal float or beyond the largest,
  // where the float product is not exact (the double path), at gates where Gate' is of order 1
  // and where it is tiny (the true dgate finite although dy·v overflows float).
  if (std::is_same_v<T, Eigen::bfloat16> && !c.oai) {
    const float kScales[][2] = {
        {1e-30f, 1e-10f}, {3e-20f, -2e-19f}, {1e30f, 1e10f}, {-4e25f, 3e20f}};
    for (const auto& scale : kScales) {
      for (float gf : {-9.5f, -3.0f, -0.5f, 0.75f, 2.0f, 30.0f}) {
        s.dy.push_back(T(scale[0]));
        s.v.push_back(T(scale[1]));
        s.g.push_back(T(gf));
      }
    }
  }
  s.dvalue.resize(s.g.size());
  s.dgate.resize(s.g.size());
  parallel_for(
      s.g.size(),
      [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          const float dy = static_cast<float>(s.dy[i]), v = static_cast<float>(s.v[i]);
          const float g = static_cast<float>(s.g[i]);
          const bool value_masked = c.oai && !(-L <= v && v <= L);
          const bool gate_masked = c.oai && !(g <= L);
          const double gc = c.oai ? std::min(double(g), double(L)) : double(g);
          s.dvalue[i] = value_masked
                            ? T(0.0f)
                            : mpfr_gate_product_rounded<T>(c.gate, double(dy), gc, 0.0, c.beta);
          const float value = c.oai ? std::min(std::max(v, -L), L) + 1.0f : v;
          const T p16 = T(dy * value);  // exact in float, rounded once to T
          s.dgate[i] = gate_masked ? T(0.0f)
                                   : mpfr_gate_derivative_product().product<T>(
                                         c.gate, double(static_cast<float>(p16)), 1.0, double(g),
                                         0.0, c.beta);
        }
      },
      test_threads(), 64);
  return cache.emplace(key, std::move(s)).first->second;
}

template <class T, class Bwd, class... P>
void check_storage16(const GluVariant& info, const Bwd& bwd, const P&... params) {
  const Data16<T>& s = data16<T>(info);
  const Index n = Index(s.g.size());
  const Column<T> dy = Eigen::Map<const Column<T>>(s.dy.data(), n);
  const Column<T> v = Eigen::Map<const Column<T>>(s.v.data(), n);
  const Column<T> g = Eigen::Map<const Column<T>>(s.g.data(), n);
  const auto pair = bwd(dy, v, g, params...);
  const Column<T> dv = pair.first, dg = pair.second;
  const std::string name = label_of(info, params...) + " " + type_name16<T>();
  int wrong_v = 0, wrong_g = 0, sign_v = 0, sign_g = 0, path = 0, unrounded_first = 0;
  int beyond_one = 0;
  // The distance in representable values of T (+0 and -0 one point).
  auto distance16 = [](T x, T y) {
    auto ordered = [](T z) {
      const int b = bits16(z);
      return (b & 0x8000) ? -(b & 0x7fff) : b;
    };
    return std::abs(ordered(x) - ordered(y));
  };
  std::string first;
  Column<T> a(1), b(1), c(1);
  for (Index i = 0; i < n; ++i) {
    a(0) = s.dy[std::size_t(i)];
    b(0) = s.v[std::size_t(i)];
    c(0) = s.g[std::size_t(i)];
    const auto one = bwd(a, b, c, params...);
    const Column<T> sv = one.first, sg = one.second;
    const std::string triple =
        "dy = " + show16(a(0)) + ", v = " + show16(b(0)) + ", g = " + show16(c(0));
    if ((bits16(sv(0)) != bits16(dv(i)) || bits16(sg(0)) != bits16(dg(i))) && ++path <= 5) {
      ADD_FAILURE() << name << " at " << triple << ": packet path " << show16(dv(i)) << ", "
                    << show16(dg(i)) << "; scalar path " << show16(sv(0)) << ", " << show16(sg(0));
    }
    const T want_v = s.dvalue[std::size_t(i)];
    // dgate's reference: (dy·V(v))·Gate'(g), V(v) in float, correctly rounded once to T.
    const BackwardCase bc = case_of<float>(info);
    const float vf = static_cast<float>(b(0)), Lf = float(bc.limit);
    const float value = bc.oai ? std::min(std::max(vf, -Lf), Lf) + 1.0f : vf;
    const bool gate_masked = bc.oai && !(static_cast<float>(c(0)) <= Lf);
    const T want_g = gate_masked ? T(0.0f)
                                 : mpfr_gate_derivative_product().product<T>(
                                       bc.gate, double(static_cast<float>(a(0))), double(value),
                                       double(static_cast<float>(c(0))), 0.0, bc.beta);
    beyond_one += distance16(dv(i), want_v) > 1;
    if (bits16(dv(i)) != bits16(want_v)) {
      const bool only_sign = (bits16(dv(i)) | bits16(want_v)) == 0x8000;
      sign_v += only_sign;
      if (++wrong_v <= 5) {
        first += "\n  dvalue at " + triple + ": got " + show16(dv(i)) + ", correctly rounded " +
                 show16(want_v) + (only_sign ? " (the sign of zero)" : "");
      }
    }
    // reglu's dgate where g <= 0 is a zero whose sign the contract leaves open ((dy·v)·0).
    const bool any_zero_sign = info.gate == Gate::relu && !(static_cast<float>(c(0)) > 0);
    if (bits16(dg(i)) != bits16(want_g)) {
      const bool only_sign = (bits16(dg(i)) | bits16(want_g)) == 0x8000;
      if (!(only_sign && any_zero_sign)) {
        sign_g += only_sign;
        beyond_one += distance16(dg(i), want_g) > 1;
        // A diagnosis for the message: the product with dy·V(v) rounded to T first, correctly
        // rounded, is what got is?
        unrounded_first += bits16(s.dgate[std::size_t(i)]) == bits16(dg(i));
        if (++wrong_g <= 5) {
          first += "\n  dgate at " + triple + ": got " + show16(dg(i)) + ", correctly rounded " +
                   show16(want_g) + (only_sign ? " (the sign of zero)" : "");
        }
      }
    }
  }
  std::printf(
      "[measured] %-44s %td triples: dvalue %d not correctly rounded (%d a zero's sign), "
      "dgate %d (%d; %d of them round16(dy·V(v))·Gate'(g) correctly rounded); %d more than "
      "1 ULP away\n",
      name.c_str(), n, wrong_v, sign_v, wrong_g, sign_g, unrounded_first, beyond_one);
  std::fflush(stdout);
  // The contract: formed in float, rounded once to T, correctly (a zero's sign aside where the
  // contract leaves it open, counted above).
  EXPECT_EQ(wrong_v, 0) << name << ": dvalue not correctly rounded; the first:" << first;
  EXPECT_EQ(wrong_g, 0) << name << ": dgate not correctly rounded; the first:" << first;
  EXPECT_EQ(beyond_one, 0) << name << ": results more than 1 ULP away";
  EXPECT_EQ(path, 0) << name << ": packet and scalar paths differ";
}

TEST(GluBackwardStorage16, BFloat16CorrectlyRounded) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto&, auto... p) {
    check_storage16<Eigen::bfloat16>(info, bwd, p...);
  });
}

TEST(GluBackwardStorage16, HalfCorrectlyRounded) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto&, auto... p) {
    check_storage16<Eigen::half>(info, bwd, p...);
  });
}

// ---------------------------------------------------------------------------------------------
// 6. Errors, into(), fixed sizes, result types

template <bool WithBlock, class Bwd, class... P>
void expect_backward_errors(const std::string& name, const Bwd& f, const P&... params) {
  // (The types of check_bit_identity's, so that this adds few instantiations of its own.)
  using Eigen::ArrayXf;
  using Eigen::MatrixXf;
  const std::string odd =
      name + ": input has 7 columns (shape 3x7); the last dimension must be even (2*d)";
  const MatrixXf h37 = MatrixXf::Ones(3, 7), dy33 = MatrixXf::Ones(3, 3);
  const RowMat<float> h37r = h37, dy33r = dy33;
  MatrixXf dh37(3, 7);
  expect_error([&] { (void)f(dy33, h37, params...); }, odd);
  expect_error([&] { (void)f(dy33, h37, activ::value_first, params...); }, odd);
  expect_error([&] { (void)f(dy33, h37, activ::gate_first, params...); }, odd);
  expect_error([&] { (void)f(dy33, h37, activ::interleaved, params...); }, odd);
  expect_error([&] { (void)f(dy33r, h37r, activ::interleaved, params...); }, odd);
  expect_error([&] { f.into(dh37, dy33, h37, params...); }, odd);
  expect_error([&] { f.into(dh37, dy33, h37, activ::interleaved, params...); }, odd);

  const std::string odd1 =
      name + ": input has 7 elements (shape 7x1); the last dimension must be even (2*d)";
  const ArrayXf h7 = ArrayXf::Ones(7), dy3 = ArrayXf::Ones(3);
  expect_error([&] { (void)f(dy3, h7, params...); }, odd1);
  expect_error([&] { (void)f(dy3, h7, activ::gate_first, params...); }, odd1);

  const std::string tail = "; dy must have the forward output's shape";
  const MatrixXf h36 = MatrixXf::Ones(3, 6), dy34 = MatrixXf::Ones(3, 4);
  const std::string dy_msg = name + ": dy is 3x4 but the output is 3x3" + tail;
  MatrixXf dh36 = MatrixXf::Constant(3, 6, 42.0f);
  expect_error([&] { (void)f(dy34, h36, params...); }, dy_msg);
  expect_error([&] { (void)f(dy34, h36, activ::value_first, params...); }, dy_msg);
  expect_error([&] { (void)f(dy34, h36, activ::gate_first, params...); }, dy_msg);
  expect_error([&] { (void)f(dy34, h36, activ::interleaved, params...); }, dy_msg);
  expect_error([&] { f.into(dh36, dy34, h36, params...); }, dy_msg);
  expect_error([&] { f.into(dh36, dy34, h36, activ::interleaved, params...); }, dy_msg);
  EXPECT_TRUE((dh36.array() == 42.0f).all()) << name << ": into() wrote before throwing";
  const MatrixXf dy23 = MatrixXf::Ones(2, 3);
  expect_error([&] { (void)f(dy23, h36, params...); },
               name + ": dy is 2x3 but the output is 3x3" + tail);
  const ArrayXf h8 = ArrayXf::Ones(8), dy5 = ArrayXf::Ones(5);
  expect_error([&] { (void)f(dy5, h8, params...); },
               name + ": dy is 5x1 but the output is 4x1" + tail);

  const std::string dst_msg =
      name + ": destination is 3x5 but the result is 3x6; into() writes in place and never resizes";
  MatrixXf dh35 = MatrixXf::Constant(3, 5, 42.0f);
  const MatrixXf dy33b = MatrixXf::Ones(3, 3);
  expect_error([&] { f.into(dh35, dy33b, h36, params...); }, dst_msg);
  expect_error([&] { f.into(dh35, dy33b, h36, activ::gate_first, params...); }, dst_msg);
  EXPECT_EQ(dh35.rows(), 3);
  EXPECT_EQ(dh35.cols(), 5);
  EXPECT_TRUE((dh35.array() == 42.0f).all()) << name << ": into() wrote before throwing";
  if constexpr (WithBlock) {
    MatrixXf big = MatrixXf::Constant(6, 9, 42.0f);
    expect_error([&] { f.into(big.block(1, 1, 3, 5), dy33b, h36, params...); }, dst_msg);
    EXPECT_TRUE((big.array() == 42.0f).all()) << name << ": into() wrote before throwing";
  }
  ArrayXf dh7 = ArrayXf::Constant(7, 42.0f);
  const ArrayXf dy4 = ArrayXf::Ones(4);
  expect_error(
      [&] { f.into(dh7, dy4, h8, params...); },
      name +
          ": destination is 7x1 but the result is 8x1; into() writes in place and never resizes");

  const MatrixXf v34 = MatrixXf::Ones(3, 4), g35 = MatrixXf::Ones(3, 5), g34 = MatrixXf::Ones(3, 4);
  expect_error([&] { (void)f(dy34, v34, g35, params...); },
               name + ": value is 3x4 but gate is 3x5; the two inputs must have the same shape");
  const MatrixXf dy24 = MatrixXf::Ones(2, 4);
  expect_error([&] { (void)f(dy24, v34, g34, params...); },
               name + ": dy is 2x4 but the output is 3x4" + tail);
}

TEST(GluBackwardErrors, ShapesInEveryVariantAndForm) {
  for_each_backward_variant([](const GluVariant& info, const auto& bwd, const auto&, auto... p) {
    expect_backward_errors<false>(backward_name(info), bwd, p...);
  });
  // A Block as into()'s destination, of the wrong shape: untouched.
  expect_backward_errors<true>("activ::geglu_backward", activ::geglu_backward);
}

TEST(GluBackwardErrors, SwigluOaiLimit) {
  const Eigen::MatrixXf h = Eigen::MatrixXf::Ones(3, 6), dy = Eigen::MatrixXf::Ones(3, 3);
  const Eigen::MatrixXf v = Eigen::MatrixXf::Ones(3, 3), g = Eigen::MatrixXf::Ones(3, 3);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto check = [&](const auto& f, const std::string& name) {
    Eigen::MatrixXf dh = Eigen::MatrixXf::Constant(3, 6, 42.0f);
    for (const auto& bad : {std::make_pair(-1.0, "-1"), std::make_pair(nan, "nan")}) {
      const double limit = bad.first;  // (lambdas cannot capture structured bindings in C++17)
      const std::string msg = name + ": limit is " + bad.second + "; it must be a number >= 0";
      expect_error([&] { (void)f(dy, h, 1.702, limit); }, msg);
      expect_error([&] { (void)f(dy, h, activ::interleaved, 1.702, limit); }, msg);
      expect_error([&] { (void)f(dy, h, activ::value_first, 1.0, limit); }, msg);
      expect_error([&] { (void)f(dy, v, g, 1.702, limit); }, msg);
      expect_error([&] { f.into(dh, dy, h, 1.702, limit); }, msg);
      expect_error([&] { f.into(dh, dy, h, activ::gate_first, 1.702, limit); }, msg);
    }
    EXPECT_TRUE((dh.array() == 42.0f).all()) << name;
    // limit 0 is allowed: every gate > 0 and every value != 0 is clamped.
    const Eigen::MatrixXf dh0 = f(dy, h, 1.702, 0.0);
    EXPECT_TRUE((dh0.array() == 0.0f).all()) << name << " limit 0 with inputs of 1";
  };
  check(activ::swiglu_oai_backward, "activ::swiglu_oai_backward");
  check(activ::fast::swiglu_oai_backward, "activ::fast::swiglu_oai_backward");
}

TEST(GluBackwardOutput, IntoABlockWritesOnlyTheBlock) {
  std::mt19937_64 rng(0x1b10c);
  const Triples<float> t = random_triples<float>(5, 9, rng);
  const Mat<float> h = fused(t.V, t.G, activ::interleaved);
  const Mat<float> want = activ::swiglu_oai_backward(t.dy, h);
  Mat<float> big = Mat<float>::Constant(9, 25, 5.0f);
  activ::swiglu_oai_backward.into(big.block(2, 4, 5, 18), t.dy, h);
  for (Index i = 0; i < big.rows(); ++i) {
    for (Index j = 0; j < big.cols(); ++j) {
      const bool inside = i >= 2 && i < 7 && j >= 4 && j < 22;
      if (inside) {
        EXPECT_TRUE(same_result(big(i, j), want(i - 2, j - 4))) << "(" << i << ", " << j << ")";
      } else {
        EXPECT_EQ(big(i, j), 5.0f) << "(" << i << ", " << j << ") outside the block";
      }
    }
  }
  RowMat<double> bigr = RowMat<double>::Constant(4, 12, -1.0);
  const Mat<double> hd = Mat<double>::Random(2, 6), dyd = Mat<double>::Random(2, 3);
  activ::geglu_backward.into(bigr.block(1, 3, 2, 6), dyd, hd, activ::gate_first);
  const Mat<double> wantd = activ::geglu_backward(dyd, hd, activ::gate_first);
  EXPECT_TRUE((Mat<double>(bigr.block(1, 3, 2, 6)).array() == wantd.array()).all());
  EXPECT_TRUE((bigr.leftCols(3).array() == -1.0).all());
  EXPECT_TRUE((bigr.rightCols(3).array() == -1.0).all());
  EXPECT_TRUE((bigr.row(0).array() == -1.0).all());
  EXPECT_TRUE((bigr.row(3).array() == -1.0).all());
}

TEST(GluBackwardOutput, FixedSizeInputs) {
  Eigen::Array<float, 2, 8> h;
  Eigen::Array<float, 2, 4> dy;
  for (Index k = 0; k < h.size(); ++k) h(k) = -3.0f + 0.41f * float(k);
  for (Index k = 0; k < dy.size(); ++k) dy(k) = 0.5f - 0.3f * float(k);
  const auto dh = activ::geglu_backward(dy, h);
  static_assert(std::is_same_v<std::decay_t<decltype(dh)>, Eigen::Array<float, 2, 8>>);
  const Eigen::ArrayXXf hd = h, dyd = dy;
  const Eigen::ArrayXXf want = activ::geglu_backward(dyd, hd);
  EXPECT_TRUE((dh == want).all());
  const auto dhi = activ::fast::swiglu_backward(dy, h, activ::interleaved, 0.5);
  const Eigen::ArrayXXf wanti = activ::fast::swiglu_backward(dyd, hd, activ::interleaved, 0.5);
  EXPECT_TRUE((dhi == wanti).all());
  Eigen::Array<float, 2, 8> into;
  activ::swiglu_oai_backward.into(into, dy, h);
  const Eigen::ArrayXXf wanto = activ::swiglu_oai_backward(dyd, hd);
  EXPECT_TRUE((into == wanto).all());
  const Eigen::Matrix<double, 3, 4, Eigen::RowMajor> hr = Eigen::Matrix<double, 3, 4>::Random();
  const Eigen::Matrix<double, 3, 2> dyr = Eigen::Matrix<double, 3, 2>::Random();
  const auto dhr = activ::glu_backward(dyr, hr, activ::gate_first);
  static_assert(
      std::is_same_v<std::decay_t<decltype(dhr)>, Eigen::Matrix<double, 3, 4, Eigen::RowMajor>>);
  const Mat<double> wantr =
      activ::glu_backward(Mat<double>(dyr), Mat<double>(hr), activ::gate_first);
  EXPECT_TRUE((Mat<double>(dhr).array() == wantr.array()).all());
}

TEST(GluBackwardOutput, ResultTypes) {
  using Eigen::ArrayXf;
  using Eigen::ArrayXXd;
  using Eigen::MatrixXf;
  // The fused forms: an evaluated object of h's plain type.
  static_assert(std::is_same_v<decltype(activ::geglu_backward(std::declval<MatrixXf>(),
                                                              std::declval<MatrixXf>())),
                               MatrixXf>);
  static_assert(std::is_same_v<decltype(activ::swiglu_backward(std::declval<ArrayXXd>(),
                                                               std::declval<ArrayXXd>(),
                                                               activ::interleaved, 0.5)),
                               ArrayXXd>);
  static_assert(std::is_same_v<decltype(activ::swiglu_oai_backward(std::declval<RowMat<float>>(),
                                                                   std::declval<RowMat<float>>())),
                               RowMat<float>>);
  static_assert(
      std::is_same_v<decltype(activ::glu_backward(std::declval<MatrixXf>(),
                                                  std::declval<Eigen::Map<const MatrixXf>>())),
                     MatrixXf>);
  static_assert(
      std::is_same_v<decltype(activ::reglu_backward(std::declval<MatrixXf>(),
                                                    std::declval<Eigen::Block<const MatrixXf>>(),
                                                    activ::gate_first)),
                     MatrixXf>);
  static_assert(std::is_same_v<decltype(activ::fast::geglu_backward(std::declval<ArrayXf>(),
                                                                    std::declval<ArrayXf>())),
                               ArrayXf>);
  // The two-input form: a pair of lazy expressions of value's kind.
  using Pair = decltype(activ::geglu_backward(std::declval<const MatrixXf&>(),
                                              std::declval<const MatrixXf&>(),
                                              std::declval<const MatrixXf&>()));
  static_assert(std::tuple_size_v<Pair> == 2);
  using First = std::decay_t<typename Pair::first_type>;
  using Second = std::decay_t<typename Pair::second_type>;
  static_assert(std::is_base_of_v<Eigen::MatrixBase<First>, First>);
  static_assert(std::is_base_of_v<Eigen::MatrixBase<Second>, Second>);
  static_assert(!std::is_base_of_v<Eigen::PlainObjectBase<First>, First>);
  static_assert(!std::is_base_of_v<Eigen::PlainObjectBase<Second>, Second>);
  using ArrayPair = decltype(activ::swiglu_backward(std::declval<const Eigen::ArrayXXf&>(),
                                                    std::declval<const Eigen::ArrayXXf&>(),
                                                    std::declval<const Eigen::ArrayXXf&>(), 0.5));
  using ArrayFirst = std::decay_t<typename ArrayPair::first_type>;
  static_assert(std::is_base_of_v<Eigen::ArrayBase<ArrayFirst>, ArrayFirst>);
  const MatrixXf v = MatrixXf::Ones(4, 3), g = MatrixXf::Ones(4, 3), dy = MatrixXf::Ones(4, 3);
  const auto [dvalue, dgate] = activ::geglu_backward(dy, v, g);
  EXPECT_EQ(dvalue.rows(), 4);
  EXPECT_EQ(dvalue.cols(), 3);
  EXPECT_EQ(dgate.rows(), 4);
  EXPECT_EQ(dgate.cols(), 3);
}

TEST(GluBackwardOutput, EmptyInputs) {
  const Mat<float> h(0, 6), dy(0, 3);
  const Mat<float> dh = activ::geglu_backward(dy, h);
  EXPECT_EQ(dh.rows(), 0);
  EXPECT_EQ(dh.cols(), 6);
  const Mat<float> h0(4, 0), dy0(4, 0);
  const Mat<float> dh0 = activ::swiglu_oai_backward(dy0, h0);
  EXPECT_EQ(dh0.rows(), 4);
  EXPECT_EQ(dh0.cols(), 0);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
