// One training step's worth of gradients through a transformer feed-forward block with a GeGLU,
// checked numerically:
//
//   h = x W1 + b1          [tokens, model] x [model, 2*hidden] -> [tokens, 2*hidden]
//   a = geglu(h)           value = h[:, :hidden], gate = h[:, hidden:]
//   y = a W2               [tokens, hidden] x [hidden, model]
//   loss = 1/2 |y - t|^2
//
// Backward: dy = y - t, da = dy W2^T, dh = activ::geglu_backward(da, h), dW1 = x^T dh,
// db1 = the column sums of dh, dx = dh W1^T. The gradients (float) are compared with central
// differences of the loss computed in double with std::erfc (independent of activ) for a few
// entries of each parameter. Exit status 1 if one disagrees by more than 1e-3 relative.
#include <activ/activ.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace {

constexpr int kTokens = 8, kModel = 16, kHidden = 32;

using MatrixD = Eigen::MatrixXd;

double gelu(double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }

// The loss in double, for the finite differences.
double loss(const MatrixD& x, const MatrixD& w1, const Eigen::RowVectorXd& b1, const MatrixD& w2,
            const MatrixD& t) {
  const MatrixD h = (x * w1).rowwise() + b1;
  const MatrixD a = h.leftCols(kHidden).cwiseProduct(h.rightCols(kHidden).unaryExpr(&gelu));
  return 0.5 * (a * w2 - t).squaredNorm();
}

}  // namespace

int main() {
  std::srand(7);
  const Eigen::MatrixXf x = Eigen::MatrixXf::Random(kTokens, kModel);
  const Eigen::MatrixXf w1 = Eigen::MatrixXf::Random(kModel, 2 * kHidden) * 0.5f;
  const Eigen::RowVectorXf b1 = Eigen::RowVectorXf::Random(2 * kHidden) * 0.1f;
  const Eigen::MatrixXf w2 = Eigen::MatrixXf::Random(kHidden, kModel) * 0.2f;
  const Eigen::MatrixXf t = Eigen::MatrixXf::Random(kTokens, kModel);

  // Forward, keeping h for the backward pass.
  const Eigen::MatrixXf h = (x * w1).rowwise() + b1;
  const Eigen::MatrixXf a = activ::geglu(h);
  const Eigen::MatrixXf y = a * w2;

  // Backward.
  const Eigen::MatrixXf dy = y - t;
  const Eigen::MatrixXf da = dy * w2.transpose();
  const Eigen::MatrixXf dh = activ::geglu_backward(da, h);  // [tokens, 2*hidden], h's layout
  const Eigen::MatrixXf dw1 = x.transpose() * dh;
  const Eigen::RowVectorXf db1 = dh.colwise().sum();
  const Eigen::MatrixXf dx = dh * w1.transpose();

  // Central differences in double.
  const MatrixD xd = x.cast<double>(), w1d = w1.cast<double>(), w2d = w2.cast<double>(),
                td = t.cast<double>();
  const Eigen::RowVectorXd b1d = b1.cast<double>();
  const double step = 1e-5;
  int failures = 0;
  auto check = [&](const char* what, int i, int j, double analytic, auto perturbed_loss) {
    const double numeric = (perturbed_loss(step) - perturbed_loss(-step)) / (2 * step);
    const double error = std::abs(analytic - numeric) / std::max(1e-3, std::abs(numeric));
    const bool ok = error <= 1e-3;
    failures += !ok;
    std::printf("d loss / d %s(%d, %d): activ %+.6e, finite differences %+.6e  %s\n", what, i, j,
                analytic, numeric, ok ? "ok" : "MISMATCH");
  };
  for (int k = 0; k < 4; ++k) {
    const int i = (5 * k + 1) % kModel, j = (13 * k + 3) % (2 * kHidden);
    check("W1", i, j, dw1(i, j), [&](double e) {
      MatrixD w = w1d;
      w(i, j) += e;
      return loss(xd, w, b1d, w2d, td);
    });
    check("b1", 0, j, db1(j), [&](double e) {
      Eigen::RowVectorXd b = b1d;
      b(j) += e;
      return loss(xd, w1d, b, w2d, td);
    });
    const int r = (3 * k + 2) % kTokens, c = (7 * k + 5) % kModel;
    check("x", r, c, dx(r, c), [&](double e) {
      MatrixD xp = xd;
      xp(r, c) += e;
      return loss(xp, w1d, b1d, w2d, td);
    });
  }
  std::printf("%s\n", failures == 0 ? "gradients agree" : "gradients DISAGREE");
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
