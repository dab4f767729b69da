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

#include "functions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

namespace activ_bench {
namespace {

enum class Impl { activ, fast, scalar, eigen };
constexpr const char* impl_name(Impl i) {
  return i == Impl::activ    ? "activ"
         : i == Impl::fast   ? "fast"
         : i == Impl::scalar ? "scalar"
                             : "eigen";
}

// Realistic pre-activations: 3 * N(0, 1) from a fixed seed, so ~0.3% of the values lie beyond
// |x| = 9 (the tails where exp underflows and the cancelling forms fail). Every size starts with
// the same values; all three implementations of a (type, n) read the same array.
template <class T>
const Array<T>& inputs(Eigen::Index n) {
  static std::map<Eigen::Index, Array<T>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    it = cache.emplace(n, normal_array<T>(n, 3.0, kInputSeed)).first;
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

// The sizes timed: the three of the ratio tables by default (in + out in L1/L2, in L2/L3, in DRAM).
const Sizes kTableSizes = {4096, 262144, 16777216};
const Sizes kSweepSizes = {1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216};

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
}  // namespace activ_bench

int main(int argc, char** argv) {
  using namespace activ_bench;
  Sizes sizes = kTableSizes;
  if (!take_sizes_option(argc, argv, sizes, {{"table", kTableSizes}, {"sweep", kSweepSizes}}))
    return 2;
  if (!register_all<Gelu, GeluTanh, Sigmoid, Silu, Swish>(sizes)) return 1;
  benchmark::AddCustomContext("packet_access_float", vectorized_line<float>());
  benchmark::AddCustomContext("packet_access_double", vectorized_line<double>());
  benchmark::AddCustomContext("input", "3*N(0,1), fixed seed; bytes = read x + write y");
  return run_registered_benchmarks(argc, argv);
}
