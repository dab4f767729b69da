// What activ's benchmark programs share: Eigen included around GCC 12's false warning, the array
// types and formula constants, type names, fixed-seed inputs, the --sizes option, and the build
// context each JSON report carries.
#pragma once

// GCC 12.2's avx512fintrin.h trips -Wmaybe-uninitialized on its own _mm512_undefined_*()
// placeholders once inlined (GCC PR 105593, fixed in later GCC); Eigen's AVX-512 reductions and
// min/max hit it under -march=native. The pragma covers the text of the headers included
// between push and pop, so Eigen (and the intrinsics headers) are included here first.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>  // ArrayBase::erf() for the Eigen references
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace activ_bench {

template <class T>
using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
template <class T>
using Array2 = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;

inline constexpr double kSwishBeta = 1.702;
inline constexpr double kSqrt2OverPi = 0.79788456080286535588;  // sqrt(2/pi), gelu_tanh's constant
inline constexpr double kGeluTanhCubic = 0.044715;
inline constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/sqrt(2 pi)

template <class T>
constexpr const char* type_name() {
  if constexpr (std::is_same_v<T, float>) return "float";
  if constexpr (std::is_same_v<T, double>) return "double";
  if constexpr (std::is_same_v<T, Eigen::bfloat16>) return "bfloat16";
  return "half";
}

// n values of scale * N(0, 1) from a fixed seed, drawn in double and converted to T: realistic
// pre-activations at scale 3 (~0.3% beyond |x| = 9, where exp underflows and the cancelling
// forms fail), upstream gradients at scale 1.
template <class T>
Array<T> normal_array(Eigen::Index n, double scale, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Array<T> x(n);
  for (Eigen::Index i = 0; i < n; ++i) x[i] = static_cast<T>(scale * normal(rng));
  return x;
}
inline constexpr std::uint64_t kInputSeed = 20240601;

using Sizes = std::vector<Eigen::Index>;

// Takes --sizes=<n>,<n>,... (or a name of `named`, e.g. {"sweep", {...}}) out of argv, since
// Google Benchmark rejects options it does not know; false, with a message, on a malformed value.
inline bool take_sizes_option(int& argc, char** argv, Sizes& sizes,
                              const std::vector<std::pair<std::string, Sizes>>& named = {}) {
  const std::string prefix = "--sizes=";
  int kept = 1;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind(prefix, 0) != 0) {
      argv[kept++] = argv[i];
      continue;
    }
    const std::string value = arg.substr(prefix.size());
    const auto name = std::find_if(named.begin(), named.end(),
                                   [&](const auto& entry) { return entry.first == value; });
    if (name != named.end()) {
      sizes = name->second;
      continue;
    }
    sizes.clear();
    std::size_t pos = 0;
    while (ok && pos <= value.size()) {
      const std::size_t comma = std::min(value.find(',', pos), value.size());
      const std::string item = value.substr(pos, comma - pos);
      char* end = nullptr;
      const long long n = std::strtoll(item.c_str(), &end, 10);
      ok = !item.empty() && *end == '\0' && n > 0;
      if (ok) sizes.push_back(Eigen::Index(n));
      pos = comma + 1;
    }
    if (!ok)
      std::fprintf(stderr, "bad %s: want a list of sizes or a name of a list\n", arg.c_str());
  }
  argc = kept;
  argv[argc] = nullptr;
  return ok;
}

// "model name (family F model M)" from /proc/cpuinfo, so the JSON names the CPU; "" elsewhere.
inline std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, name, family, model;
  const auto value = [&line] {
    const auto pos = line.find_first_not_of(" \t", line.find(':') + 1);
    return pos == std::string::npos ? std::string() : line.substr(pos);
  };
  while (std::getline(in, line) && line.find(':') != std::string::npos && !line.empty()) {
    if (line.rfind("model name", 0) == 0)
      name = value();
    else if (line.rfind("cpu family", 0) == 0)
      family = value();
    else if (line.rfind("model\t", 0) == 0)
      model = value();
  }
  return name.empty() ? name : name + " (family " + family + " model " + model + ")";
}

inline std::string build_flags() {
  std::string s;
#ifdef __OPTIMIZE__
  s += "optimized";
#else
  s += "NOT optimized";
#endif
#ifdef __FAST_MATH__
  s += ", -ffast-math (the scalar loop may be vectorized by libmvec)";
#endif
#ifdef __AVX512F__
  s += ", AVX-512F";
#elif defined(__AVX2__)
  s += ", AVX2";
#endif
#ifdef __FMA__
  s += ", FMA";
#endif
  return s;
}

// The compiler, flags, -march, CPU and Eigen build in the JSON's context.
inline void add_build_context() {
#ifdef __clang__
  benchmark::AddCustomContext("compiler", "clang " __clang_version__);
#else
  benchmark::AddCustomContext("compiler", "gcc " __VERSION__);
#endif
  benchmark::AddCustomContext("build", build_flags());
#ifdef ACTIV_BENCH_MARCH
  benchmark::AddCustomContext(
      "march", ACTIV_BENCH_MARCH[0] ? "-march=" ACTIV_BENCH_MARCH : "none (the x86-64 baseline)");
#endif
  benchmark::AddCustomContext("cpu_model", cpu_model());
  benchmark::AddCustomContext("eigen_version", std::to_string(EIGEN_WORLD_VERSION) + "." +
                                                   std::to_string(EIGEN_MAJOR_VERSION) + "." +
                                                   std::to_string(EIGEN_MINOR_VERSION));
  benchmark::AddCustomContext("eigen_simd", Eigen::SimdInstructionSetsInUse());
  benchmark::AddCustomContext("eigen_fast_math", std::to_string(EIGEN_FAST_MATH));
}

// main()'s last step: the build context, then the registered benchmarks under argv's options
// (1 on an option Google Benchmark does not know).
inline int run_registered_benchmarks(int argc, char** argv) {
  add_build_context();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace activ_bench
