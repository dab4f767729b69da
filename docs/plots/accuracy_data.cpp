// accuracy_data: the data behind docs/accuracy.md's pictures and the README's tail table.
//
//   accuracy_data <dir>     writes <dir>/<function>.csv for gelu, gelu_tanh, sigmoid and silu:
//                           x ∈ [-15, 5] in 2 000 bins of width 0.01; per bin, the largest error
//                           in ULP over 64 evenly spaced floats of the bin, of activ, of Eigen's
//                           expression of the same formula, and of the formula written with float
//                           <cmath>; "nan" where a result is NaN and the reference is not
//   accuracy_data --table   prints the README's table: gelu at a few tail points
//
// The reference is each function's definition evaluated in long double with <cmath> (erfc, exp)
// in forms that do not cancel, rounded once to float; nothing of activ is used for it. Errors are
// bit-space ULP distances (subnormal results in subnormal ULPs, ±0 the same point), so a result
// that underflows to 0 where the true value is -5.9e-9 counts the ~8.5e8 floats in between.
#include <activ/activ.hpp>
#include <unsupported/Eigen/SpecialFunctions>  // Eigen's .erf(), for the comparison

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

constexpr float kSqrtHalf = 0.70710678118654752440f;
constexpr float kTanhScale = 0.79788456080286535588f;  // sqrt(2/pi)

using Array = Eigen::ArrayXf;

// The references: long double, forms that keep their precision in the negative tail.
long double sigmoid_ref(long double x) {
  return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x));
}
float gelu_ref(float x) {
  const long double v = x;
  return float(0.5L * v * std::erfc(-v / std::sqrt(2.0L)));
}
float gelu_tanh_ref(float x) {
  const long double v = x;
  return float(v * sigmoid_ref(2 * 0.79788456080286535588L * (v + 0.044715L * v * v * v)));
}
float sigmoid_reference(float x) { return float(sigmoid_ref(x)); }
float silu_ref(float x) { return float(x * sigmoid_ref(x)); }

struct Function {
  const char* name;
  float (*reference)(float);
  Array (*activ)(const Array&);
  Array (*eigen)(const Array&);
  float (*libm)(float);
};

const Function kFunctions[] = {
    {"gelu", gelu_ref, [](const Array& x) -> Array { return activ::gelu(x); },
     [](const Array& x) -> Array { return 0.5f * x * (1.0f + (x * kSqrtHalf).erf()); },
     [](float x) { return 0.5f * x * (1.0f + std::erf(x * kSqrtHalf)); }},
    {"gelu_tanh", gelu_tanh_ref, [](const Array& x) -> Array { return activ::gelu_tanh(x); },
     [](const Array& x) -> Array {
       return 0.5f * x * (1.0f + (kTanhScale * (x + 0.044715f * x.cube())).tanh());
     },
     [](float x) {
       return 0.5f * x * (1.0f + std::tanh(kTanhScale * (x + 0.044715f * x * x * x)));
     }},
    {"sigmoid", sigmoid_reference, [](const Array& x) -> Array { return activ::sigmoid(x); },
     [](const Array& x) -> Array { return x.logistic(); },
     [](float x) { return 1.0f / (1.0f + std::exp(-x)); }},
    {"silu", silu_ref, [](const Array& x) -> Array { return activ::silu(x); },
     [](const Array& x) -> Array { return x * x.logistic(); },
     [](float x) { return x / (1.0f + std::exp(-x)); }},
};

std::int64_t ordered(float x) {
  std::uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  const auto magnitude = static_cast<std::int64_t>(u & 0x7fffffffu);
  return (u >> 31) ? -magnitude : magnitude;
}

// ULP distance of got from want (want finite); -1 stands for NaN.
double ulps(float got, float want) {
  if (std::isnan(got)) return -1;
  const std::int64_t d = ordered(got) - ordered(want);
  return double(d < 0 ? -d : d);
}

void write_csv(const Function& f, const std::string& dir) {
  constexpr int kBins = 2000, kPerBin = 64;
  constexpr float kLo = -15.0f, kWidth = 0.01f;
  Array x(kBins * kPerBin);
  for (int b = 0; b < kBins; ++b) {
    for (int i = 0; i < kPerBin; ++i) {
      x(b * kPerBin + i) = kLo + kWidth * (float(b) + float(i) / kPerBin);
    }
  }
  const Array activ_y = f.activ(x), eigen_y = f.eigen(x);

  const std::string path = dir + "/" + f.name + ".csv";
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (!out) {
    std::perror(path.c_str());
    std::exit(1);
  }
  std::fprintf(out, "# %s: max ULP per bin; Eigen SIMD: %s\nx,activ,eigen,libm\n", f.name,
               Eigen::SimdInstructionSetsInUse());
  for (int b = 0; b < kBins; ++b) {
    double worst[3] = {0, 0, 0};
    for (int i = 0; i < kPerBin; ++i) {
      const Eigen::Index k = b * kPerBin + i;
      const float want = f.reference(x(k));
      const double e[3] = {ulps(activ_y(k), want), ulps(eigen_y(k), want),
                           ulps(f.libm(x(k)), want)};
      for (int j = 0; j < 3; ++j) {
        if (worst[j] >= 0) worst[j] = e[j] < 0 ? -1 : std::max(worst[j], e[j]);
      }
    }
    std::fprintf(out, "%.4f", double(kLo + kWidth * float(b)));
    for (double w : worst) {
      if (w < 0) {
        std::fprintf(out, ",nan");
      } else {
        std::fprintf(out, ",%.0f", w);
      }
    }
    std::fprintf(out, "\n");
  }
  std::fclose(out);
  std::printf("wrote %s\n", path.c_str());
}

void print_table() {
  const float points[] = {-3.0f, -5.2f, -6.0f, -10.0f, -13.0f, -INFINITY};
  Array x(6);
  for (int i = 0; i < 6; ++i) x(i) = points[i];
  const Array activ_y = activ::gelu(x);
  const Array eigen_y = 0.5f * x * (1.0f + (x * kSqrtHalf).erf());
  std::printf("Eigen SIMD: %s\n\n", Eigen::SimdInstructionSetsInUse());
  std::printf(
      "| x | gelu(x), exact | Eigen 3.4 `0.5f*x*(1+(x*float(M_SQRT1_2)).erf())` | `activ::gelu(x)` "
      "|\n");
  std::printf("|---|---|---|---|\n");
  for (int i = 0; i < 6; ++i) {
    const float want = std::isinf(x(i)) ? -0.0f : gelu_ref(x(i));
    std::printf("| %g | %.6g | %.6g | %.6g |\n", double(x(i)), double(want), double(eigen_y(i)),
                double(activ_y(i)));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--table") {
    print_table();
    return 0;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <output directory> | --table\n", argv[0]);
    return 2;
  }
  for (const Function& f : kFunctions) write_csv(f, argv[1]);
  return 0;
}
