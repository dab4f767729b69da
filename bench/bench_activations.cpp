// Speed of activ's element-wise activations against two references, one thread:
//   activ   y = activ::gelu(x)                      (x, y preallocated Eigen arrays)
//   fast    y = activ::fast::gelu(x)                (the fast tier)
//   scalar  y[i] = 0.5*x[i]*(1 + std::erf(...))     (a plain loop over <cmath>, same type)
//   eigen   y = 0.5*x*(1 + (x*M_SQRT1_2).erf())      (Eigen's built-in expression, same formula)
// for gelu, gelu_tanh, sigmoid, silu and swish(beta = 1.702), float and double, n = 4096,
// 262144 and 16777216, and memcpy of the same bytes (BM_memcpy<type>/copy/<n>, the floor).
// --sizes=sweep times n = 1024, 4096, ..., 16777216 (every power of 4) instead, for the charts of
// bench/report.py; --sizes=<n>,<n>,... any list. The option goes before or among the
// --benchmark_* options.
// Names are BM_<function><<type>>/<impl>/<n>, e.g. BM_gelu<float>/activ/4096,
// which bench/compare.py groups into ratio tables. See bench/README.md.

// GCC 12.2's avx512fintrin.h trips -Wmaybe-uninitialized on its own _mm512_undefined_*()
// placeholders once inlined (GCC PR 105593, fixed in later GCC); Eigen's AVX-512 reductions and
// min/max hit it under -march=native. The pragma covers the text of the headers included
// between push and pop, so Eigen (and the intrinsics headers) are included here first.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions>  // ArrayBase::erf() for the Eigen reference
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <benchmark/benchmark.h>
#include <activ/activ.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace {

template <class T>
using Array = Eigen::Array<T, Eigen::Dynamic, 1>;

constexpr double kSwishBeta = 1.702;
constexpr double kSqrt2OverPi = 0.79788456080286535588;  // sqrt(2/pi), gelu_tanh's constant

// One struct per function: the activ call, the scalar reference in the same type, Eigen's
// built-in expression of the same formula, and the Eigen functor that decides whether that
// expression is vectorized (its functor_traits<...>::PacketAccess, reported in the context).
struct Gelu {
  static constexpr const char* name = "gelu";
  template <class T>
  static auto lib(const Array<T>& x) {
    return activ::gelu(x);
  }
  template <class T>
  static auto fast(const Array<T>& x) {
    return activ::fast::gelu(x);
  }
  template <class T>
  static T ref(T v) {
    return T(0.5) * v * (T(1) + std::erf(v * T(M_SQRT1_2)));
  }
  template <class T>
  static auto eigen(const Array<T>& x) {
    return T(0.5) * x * (T(1) + (x * T(M_SQRT1_2)).erf());
  }
  template <class T>
  using EigenOp = Eigen::internal::scalar_erf_op<T>;
};

struct GeluTanh {
  static constexpr const char* name = "gelu_tanh";
  template <class T>
  static auto lib(const Array<T>& x) {
    return activ::gelu_tanh(x);
  }
  template <class T>
  static auto fast(const Array<T>& x) {
    return activ::fast::gelu_tanh(x);
  }
  template <class T>
  static T ref(T v) {
    return T(0.5) * v * (T(1) + std::tanh(T(kSqrt2OverPi) * (v + T(0.044715) * v * v * v)));
  }
  template <class T>
  static auto eigen(const Array<T>& x) {
    return T(0.5) * x * (T(1) + (T(kSqrt2OverPi) * (x + T(0.044715) * x.cube())).tanh());
  }
  template <class T>
  using EigenOp = Eigen::internal::scalar_tanh_op<T>;
};

struct Sigmoid {
  static constexpr const char* name = "sigmoid";
  template <class T>
  static auto lib(const Array<T>& x) {
    return activ::sigmoid(x);
  }
  template <class T>
  static auto fast(const Array<T>& x) {
    return activ::fast::sigmoid(x);
  }
  template <class T>
  static T ref(T v) {
    return T(1) / (T(1) + std::exp(-v));
  }
  template <class T>
  static auto eigen(const Array<T>& x) {
    return x.logistic();
  }
  template <class T>
  using EigenOp = Eigen::internal::scalar_logistic_op<T>;
};

struct Silu {
  static constexpr const char* name = "silu";
  template <class T>
  static auto lib(const Array<T>& x) {
    return activ::silu(x);
  }
  template <class T>
  static auto fast(const Array<T>& x) {
    return activ::fast::silu(x);
  }
  template <class T>
  static T ref(T v) {
    return v / (T(1) + std::exp(-v));
  }
  template <class T>
  static auto eigen(const Array<T>& x) {
    return x * x.logistic();
  }
  template <class T>
  using EigenOp = Eigen::internal::scalar_logistic_op<T>;
};

struct Swish {
  static constexpr const char* name = "swish";
  template <class T>
  static auto lib(const Array<T>& x) {
    return activ::swish(x, kSwishBeta);
  }
  template <class T>
  static auto fast(const Array<T>& x) {
    return activ::fast::swish(x, kSwishBeta);
  }
  template <class T>
  static T ref(T v) {
    return v / (T(1) + std::exp(-T(kSwishBeta) * v));
  }
  template <class T>
  static auto eigen(const Array<T>& x) {
    return x * (T(kSwishBeta) * x).logistic();
  }
  template <class T>
  using EigenOp = Eigen::internal::scalar_logistic_op<T>;
};

enum class Impl { activ, fast, scalar, eigen };
constexpr const char* impl_name(Impl i) {
  return i == Impl::activ    ? "activ"
         : i == Impl::fast   ? "fast"
         : i == Impl::scalar ? "scalar"
                             : "eigen";
}

template <class T>
constexpr const char* type_name();
template <>
constexpr const char* type_name<float>() {
  return "float";
}
template <>
constexpr const char* type_name<double>() {
  return "double";
}

// Realistic pre-activations: 3 * N(0, 1) from a fixed seed, so ~0.3% of the values lie beyond
// |x| = 9 (the tails where exp underflows and the cancelling forms fail). Every size starts with
// the same values; all three implementations of a (type, n) read the same array.
template <class T>
const Array<T>& inputs(Eigen::Index n) {
  static std::map<Eigen::Index, Array<T>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    std::mt19937_64 rng(20240601);
    std::normal_distribution<double> normal(0.0, 1.0);
    Array<T> x(n);
    for (Eigen::Index i = 0; i < n; ++i) x[i] = static_cast<T>(3.0 * normal(rng));
    it = cache.emplace(n, std::move(x)).first;
  }
  return it->second;
}

template <class F, class T, Impl I>
void run(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Array<T>& x = inputs<T>(n);
  Array<T> y = Array<T>::Zero(n);  // preallocated and touched: no page faults in the timed loop
  for (auto _ : state) {
    if constexpr (I == Impl::activ) {
      y = F::lib(x);
    } else if constexpr (I == Impl::fast) {
      y = F::fast(x);
    } else if constexpr (I == Impl::eigen) {
      y = F::eigen(x);
    } else {
      const T* xp = x.data();
      T* yp = y.data();
      for (Eigen::Index i = 0; i < n; ++i) yp[i] = F::ref(xp[i]);
    }
    // y escapes and memory is clobbered: the stores must happen, and x must be re-read next time.
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const int64_t items = static_cast<int64_t>(state.iterations()) * n;
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * static_cast<int64_t>(2 * sizeof(T)));  // read x + write y
}

// Guard against benchmarking the wrong formula: the three implementations must agree on the
// bench inputs (loosely: Eigen's cancelling forms lose relative accuracy in the far tail).
template <class F, class T>
bool agree(Eigen::Index n) {
  const Array<T>& x = inputs<T>(n);
  Array<T> a = F::lib(x), f = F::fast(x), e = F::eigen(x), s(n);
  for (Eigen::Index i = 0; i < n; ++i) s[i] = F::ref(x[i]);
  const Array<T> scale = s.abs().max(T(1));
  const T tol = std::is_same<T, float>::value ? T(1e-4) : T(1e-9);
  const T da = ((a - s).abs() / scale).maxCoeff(), de = ((e - s).abs() / scale).maxCoeff();
  const T df = ((f - s).abs() / scale).maxCoeff();
  const bool ok = da <= tol && df <= tol && de <= tol && a.allFinite() && f.allFinite();
  if (!ok)
    std::fprintf(stderr,
                 "mismatch %s<%s>: max |activ-scalar| %g, |fast-scalar| %g, |eigen-scalar| %g\n",
                 F::name, type_name<T>(), double(da), double(df), double(de));
  return ok;
}

template <class T>
std::string vectorized_line() {
  using Eigen::internal::functor_traits;
  auto flag = [](bool b) { return b ? "1" : "0"; };
  return std::string("activ: gelu=") + flag(functor_traits<activ::Gelu>::PacketAccess) +
         " gelu_tanh=" + flag(functor_traits<activ::GeluTanh>::PacketAccess) +
         " sigmoid=" + flag(functor_traits<activ::Sigmoid>::PacketAccess) +
         " swish=" + flag(functor_traits<activ::Swish>::PacketAccess) +
         "; eigen: erf=" + flag(functor_traits<Eigen::internal::scalar_erf_op<T>>::PacketAccess) +
         " tanh=" + flag(functor_traits<Eigen::internal::scalar_tanh_op<T>>::PacketAccess) +
         " logistic=" + flag(functor_traits<Eigen::internal::scalar_logistic_op<T>>::PacketAccess);
}

// "model name (family F model M)" from /proc/cpuinfo, so the JSON names the CPU; "" elsewhere.
std::string cpu_model() {
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

std::string build_flags() {
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

// The sizes timed: the three of the ratio tables by default (in + out in L1/L2, in L2/L3, in DRAM).
using Sizes = std::vector<Eigen::Index>;
const Sizes kTableSizes = {4096, 262144, 16777216};
const Sizes kSweepSizes = {1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216};

// Takes --sizes=table|sweep|<n>,<n>,... out of argv (Google Benchmark rejects options it does not
// know); false, with a message, on a malformed value.
bool take_sizes_option(int& argc, char** argv, Sizes& sizes) {
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
    if (value == "table") {
      sizes = kTableSizes;
    } else if (value == "sweep") {
      sizes = kSweepSizes;
    } else {
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
      if (!ok) std::fprintf(stderr, "bad %s: want table, sweep or a list of sizes\n", arg.c_str());
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  return ok;
}

template <class F, class T>
void register_function(const Sizes& sizes) {
  // The Eigen built-in of this function runs scalar coefficient code when its functor has no
  // packet path (Eigen 3.4: erf and tanh for double; erf/tanh for float without EIGEN_FAST_MATH).
  for (Eigen::Index n : sizes) {
    const auto add = [n](const char* impl, void (*fn)(benchmark::State&)) {
      const std::string name = std::string("BM_") + F::name + "<" + type_name<T>() + ">/" + impl;
      benchmark::RegisterBenchmark(name.c_str(), fn)
          ->Arg(n)
          ->Unit(benchmark::kMicrosecond)
          ->ComputeStatistics(
              "min",
              [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); })
          ->ComputeStatistics("max", [](const std::vector<double>& v) {
            return *std::max_element(v.begin(), v.end());
          });
    };
    add(impl_name(Impl::activ), run<F, T, Impl::activ>);
    add(impl_name(Impl::fast), run<F, T, Impl::fast>);
    add(impl_name(Impl::scalar), run<F, T, Impl::scalar>);
    add(impl_name(Impl::eigen), run<F, T, Impl::eigen>);
  }
}

// The floor of any element-wise kernel: copying the same bytes (read x, write y).
template <class T>
void run_memcpy(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Array<T>& x = inputs<T>(n);
  Array<T> y = Array<T>::Zero(n);
  for (auto _ : state) {
    std::memcpy(y.data(), x.data(), std::size_t(n) * sizeof(T));
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const int64_t items = static_cast<int64_t>(state.iterations()) * n;
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * static_cast<int64_t>(2 * sizeof(T)));
}

template <class T>
void register_memcpy(const Sizes& sizes) {
  for (Eigen::Index n : sizes) {
    const std::string name = std::string("BM_memcpy<") + type_name<T>() + ">/copy";
    benchmark::RegisterBenchmark(name.c_str(), run_memcpy<T>)
        ->Arg(n)
        ->Unit(benchmark::kMicrosecond);
  }
}

template <class... Fs>
bool register_all(const Sizes& sizes) {
  bool ok = true;
  ((ok = agree<Fs, float>(4096) && agree<Fs, double>(4096) && ok), ...);
  (register_function<Fs, float>(sizes), ...);
  (register_function<Fs, double>(sizes), ...);
  register_memcpy<float>(sizes);
  register_memcpy<double>(sizes);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  Sizes sizes = kTableSizes;
  if (!take_sizes_option(argc, argv, sizes)) return 2;
  if (!register_all<Gelu, GeluTanh, Sigmoid, Silu, Swish>(sizes)) return 1;
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
  benchmark::AddCustomContext("packet_access_float", vectorized_line<float>());
  benchmark::AddCustomContext("packet_access_double", vectorized_line<double>());
  benchmark::AddCustomContext("input", "3*N(0,1), fixed seed; bytes = read x + write y");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
