// A program that uses activ as a consumer would. The packaging tests build it four ways
// (find_package, add_subdirectory, plain -I, pkg-config) with strict warnings, run it, and it
// fails (exit 1) unless activ computes the expected values.
#include <activ/activ.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>

namespace {

bool check(const char* what, double got, double expected) {
  const bool ok = std::fabs(got - expected) <= 1e-6 * std::fabs(expected);
  std::printf("%-18s = %.17g (expected %.17g) %s\n", what, got, expected, ok ? "ok" : "WRONG");
  return ok;
}

}  // namespace

int main() {
  // gelu(1) = Φ(1) = ½·erfc(−1/√2), the standard normal CDF at 1.
  constexpr double gelu_1 = 0.8413447460685429;

  Eigen::ArrayXd x(3);
  x << -1.0, 0.0, 1.0;
  const Eigen::ArrayXd y = activ::gelu(x);

  Eigen::ArrayXf xf(2);
  xf << 0.0f, 1.0f;
  const Eigen::ArrayXf yf = activ::gelu(xf);

  // geglu splits the last dimension: value first, gate second: 3·gelu(1).
  Eigen::ArrayXXd h(1, 2);
  h << 3.0, 1.0;
  const Eigen::ArrayXXd g = activ::geglu(h);

  bool ok = check("gelu(1.0)", y(2), gelu_1);
  ok = check("gelu(-1.0)", y(0), gelu_1 - 1.0) && ok;  // gelu(-x) = gelu(x) - x
  ok = check("gelu(1.0f)", static_cast<double>(yf(1)), gelu_1) && ok;
  ok = check("geglu([3, 1])", g(0, 0), 3.0 * gelu_1) && ok;
  ok = (g.rows() == 1 && g.cols() == 1 && y(1) == 0.0) && ok;

  std::printf("activ %s\n", ACTIV_VERSION);
#ifdef ACTIV_EXPECTED_VERSION
  // The version the package manager reported (CMake's activ_VERSION, pkg-config --modversion).
  if (std::strcmp(ACTIV_VERSION, ACTIV_EXPECTED_VERSION) != 0) {
    std::printf("but the package says %s: WRONG\n", ACTIV_EXPECTED_VERSION);
    ok = false;
  }
#endif
  return ok ? 0 : 1;
}
