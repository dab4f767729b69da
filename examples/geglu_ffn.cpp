// A transformer feed-forward block with a GeGLU (T5 v1.1, Gemma, Stable Diffusion):
//
//   h = x W + b            fused projection: [tokens, model] x [model, 2*hidden] -> [tokens, 2*hidden]
//   a = GeGLU(h)           value = h[:, :hidden], gate = h[:, hidden:], a = value * gelu(gate)
//   y = a W2               down projection: [tokens, hidden] x [hidden, model]
//
// at 512 tokens, model width 768, hidden width 3072, in float. The program checks y against a
// scalar double-precision reference, then compares the activation step of activ with Eigen's
// built-in composition a * (0.5*b*(1 + erf(b/sqrt 2))) and a scalar loop over std::erf: their
// errors against GeGLU computed in double on this block, where each one's gelu gives 0 or NaN in
// the negative tail (against long double), and their times. Exit status 1 if a check of activ
// fails. Needs only Eigen: the references are double and long double <cmath>.
#include <activ/activ.hpp>
#include <unsupported/Eigen/SpecialFunctions>  // Eigen's .erf(), for the comparison only

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

using Matrix = Eigen::MatrixXf;  // column-major: each half of h is one contiguous block
constexpr int kTokens = 512, kModel = 768, kHidden = 3072;
constexpr float kSqrtHalf = 0.70710678118654752440f;

// Seconds per call of f: the best of `reps` runs (the least disturbed by other processes).
template <class F>
double best_time(F f, int reps) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

double gelu_double(double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }
long double gelu_long_double(long double x) { return 0.5L * x * std::erfc(-x / std::sqrt(2.0L)); }

// Distance between two floats in units in the last place (b finite; a NaN counts as huge).
std::int64_t ulps(float a, float b) {
  if (std::isnan(a)) return INT64_MAX;
  auto ordered = [](float x) {
    std::int32_t i;
    std::memcpy(&i, &x, sizeof i);
    return i < 0 ? -std::int64_t(i & 0x7fffffff) : std::int64_t(i);
  };
  const std::int64_t d = ordered(a) - ordered(b);
  return d < 0 ? -d : d;
}

}  // namespace

int main() {
  // Weights scaled as at initialization (variance 1/fan_in), so activations stay O(1).
  std::srand(2024);
  const Matrix x = Matrix::Random(kTokens, kModel);
  const Matrix W = Matrix::Random(kModel, 2 * kHidden) * (std::sqrt(3.0f / kModel));
  const Eigen::RowVectorXf b = Eigen::RowVectorXf::Random(2 * kHidden) * 0.1f;
  const Matrix W2 = Matrix::Random(kHidden, kModel) * (std::sqrt(3.0f / kHidden));

  // --- The block. Every buffer is allocated once; activ writes into the existing `a`. --------
  Matrix h(kTokens, 2 * kHidden), a(kTokens, kHidden), y(kTokens, kModel);
  h.noalias() = x * W;
  a.noalias() = activ::geglu(h.rowwise() + b);  // bias add and GeGLU in one pass over h
  y.noalias() = a * W2;

  std::printf(
      "GeGLU feed-forward block, float: x[%d, %d] -> x W + b [%d, %d] -> GeGLU [%d, %d] "
      "-> [%d, %d]\nEigen SIMD: %s\n\n",
      kTokens, kModel, kTokens, 2 * kHidden, kTokens, kHidden, kTokens, kModel,
      Eigen::SimdInstructionSetsInUse());

  // --- Check 1: y against a scalar double-precision reference, on every 16th token. ----------
  double max_error = 0, max_ref = 0;
  std::vector<double> hd(2 * kHidden), ad(kHidden);
  for (int t = 0; t < kTokens; t += 16) {
    for (int j = 0; j < 2 * kHidden; ++j) {
      double s = b(j);
      for (int k = 0; k < kModel; ++k) s += double(x(t, k)) * double(W(k, j));
      hd[std::size_t(j)] = s;
    }
    for (int j = 0; j < kHidden; ++j) {
      ad[std::size_t(j)] = hd[std::size_t(j)] * gelu_double(hd[std::size_t(j + kHidden)]);
    }
    for (int m = 0; m < kModel; ++m) {
      double s = 0;
      for (int j = 0; j < kHidden; ++j) s += ad[std::size_t(j)] * double(W2(j, m));
      max_error = std::max(max_error, std::abs(double(y(t, m)) - s));
      max_ref = std::max(max_ref, std::abs(s));
    }
  }
  const double relative = max_error / max_ref;
  std::printf(
      "output y vs scalar double reference (32 of %d tokens):\n"
      "  max |y - ref| / max |ref| = %.2e   (float GEMMs over 768 and 3072 terms dominate)\n",
      kTokens, relative);

  // --- Check 2: the activation step alone, every element, against GeGLU in double. ----------
  // activ's result is `a`; Eigen's built-in composition of the same formula is computed beside it.
  const Matrix hb = h.rowwise() + b;
  Matrix eigen_a(kTokens, kHidden);
  {
    const auto value = hb.leftCols(kHidden).array();
    const auto gate = hb.rightCols(kHidden).array();
    eigen_a.array() = value * (0.5f * gate * (1.0f + (gate * kSqrtHalf).erf()));
  }
  std::int64_t worst = 0, eigen_worst = 0;
  for (int j = 0; j < kHidden; ++j) {
    for (int i = 0; i < kTokens; ++i) {
      const float want = float(double(hb(i, j)) * gelu_double(double(hb(i, j + kHidden))));
      worst = std::max(worst, ulps(a(i, j), want));
      eigen_worst = std::max(eigen_worst, ulps(eigen_a(i, j), want));
    }
  }
  std::printf(
      "activation step vs GeGLU in double, all %d elements of this block:\n"
      "  activ::geglu   max %lld ULP\n  Eigen's expr.  max %lld ULP\n\n",
      kTokens * kHidden, static_cast<long long>(worst), static_cast<long long>(eigen_worst));

  // --- The negative tail: gelu(x) for x from -20 to 0 in steps of 1/64, and -inf. -----------
  // Pre-activations there are rare in a freshly initialized block and common in trained ones.
  Eigen::ArrayXf tail(20 * 64 + 1);
  for (int k = 0; k <= 20 * 64; ++k) tail(k) = -20.0f + float(k) / 64.0f;
  tail(0) = -INFINITY;
  const Eigen::ArrayXf tail_activ = activ::gelu(tail);
  const Eigen::ArrayXf tail_eigen = 0.5f * tail * (1.0f + (tail * kSqrtHalf).erf());
  // The largest x at which a result is 0 (or NaN) while the true gelu(x), rounded to float, is not.
  auto lost_below = [&](const Eigen::ArrayXf& got) {
    float last = -INFINITY;
    for (Eigen::Index k = 1; k < tail.size(); ++k) {
      const float want = float(gelu_long_double(tail(k)));
      if (want != 0 && (got(k) == 0 || std::isnan(got(k)))) last = tail(k);
    }
    return last;
  };
  std::int64_t tail_worst = 0, tail_eigen_worst = 0;
  for (Eigen::Index k = 1; k < tail.size(); ++k) {
    const float want = float(gelu_long_double(tail(k)));
    tail_worst = std::max(tail_worst, ulps(tail_activ(k), want));
    tail_eigen_worst = std::max(tail_eigen_worst, ulps(tail_eigen(k), want));
  }
  const float activ_lost = lost_below(tail_activ), eigen_lost = lost_below(tail_eigen);
  float true_zero = -INFINITY;  // below it, the true gelu(x) rounds to 0 in float
  for (Eigen::Index k = 1; k < tail.size() && float(gelu_long_double(tail(k))) == 0; ++k) {
    true_zero = tail(k);
  }
  std::printf("gelu in the negative tail, x in [-20, 0] (steps of 1/64), vs long double:\n");
  std::printf("  activ::gelu    max %lld ULP; ", static_cast<long long>(tail_worst));
  if (std::isinf(activ_lost)) {
    std::printf("0 only where the true value rounds to 0 in float too (x <= %.2f)\n",
                double(true_zero));
  } else {
    std::printf("0 or NaN from x = %.2f down although the true value is not\n", double(activ_lost));
  }
  std::printf(
      "  Eigen's expr.  max %lld ULP; 0 or NaN at x = %.2f and below, where the true "
      "value is still %.3g\n",
      static_cast<long long>(tail_eigen_worst), double(eigen_lost),
      double(gelu_long_double(eigen_lost)));
  std::printf("  at x = -inf:   activ::gelu gives %g, Eigen's expression %g\n\n",
              double(tail_activ(0)), double(tail_eigen(0)));

  // --- Timing of the activation step on the same biased h: [512, 6144] -> [512, 3072]. ------
  const int reps = 15;
  Matrix out(kTokens, kHidden);
  const double t_activ = best_time([&] { out.noalias() = activ::geglu(hb); }, reps);
  const double t_scalar = best_time(
      [&] {
        for (int j = 0; j < kHidden; ++j) {
          const float* value = hb.col(j).data();
          const float* gate = hb.col(j + kHidden).data();
          float* o = out.col(j).data();
          for (int i = 0; i < kTokens; ++i) {
            const float g = gate[i];
            o[i] = value[i] * (0.5f * g * (1.0f + std::erf(g * kSqrtHalf)));
          }
        }
      },
      reps);
  const double t_eigen = best_time(
      [&] {
        const auto value = hb.leftCols(kHidden).array();
        const auto gate = hb.rightCols(kHidden).array();
        out.array() = value * (0.5f * gate * (1.0f + (gate * kSqrtHalf).erf()));
      },
      reps);
  const double elements = double(kTokens) * kHidden;
  std::printf("time of the activation step (best of %d):\n", reps);
  std::printf("  activ::geglu(h)                          %8.3f ms  %6.2f ns/element\n",
              t_activ * 1e3, t_activ / elements * 1e9);
  std::printf("  Eigen a*(0.5*b*(1+(b*sqrt(1/2)).erf()))  %8.3f ms  %6.2f ns/element\n",
              t_eigen * 1e3, t_eigen / elements * 1e9);
  std::printf("  scalar loop over std::erf                %8.3f ms  %6.2f ns/element\n",
              t_scalar * 1e3, t_scalar / elements * 1e9);
  auto ratio = [](const char* who, double t, const char* other, double t_other) {
    if (t >= t_other) {
      std::printf("  %s takes %.1fx the time of %s\n", who, t / t_other, other);
    } else {
      std::printf("  %s is %.1fx as fast as %s\n", who, t_other / t, other);
    }
  };
  ratio("activ", t_activ, "Eigen's expression", t_eigen);
  ratio("activ", t_activ, "the scalar std::erf loop", t_scalar);

  // Sanity bounds: a layout or indexing error shows as O(1) relative error and millions of ULP.
  // The accuracy promise itself (3 ULP) is tested by tests/test_glu.cpp.
  const bool ok = relative < 1e-4 && worst <= 8 && tail_worst <= 8 && std::isinf(activ_lost) &&
                  tail_activ(0) == 0;
  if (!ok) std::printf("\nCHECK FAILED\n");
  return ok ? 0 : 1;
}
