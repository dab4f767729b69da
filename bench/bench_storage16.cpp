// Speed of activ on 16-bit lane types (Eigen::bfloat16, Eigen::half) against float32, one thread:
//   activ   y = activ::gelu(x)         x, y of the type in the name (16-bit: computed in float,
//                                      rounded once, correctly)
//   fast    y = activ::fast::gelu(x)
//   scalar  y[i] = T(f(float(x[i])))   a plain loop converting each element through float
// for gelu, silu and geglu (two inputs of n elements, y = activ::geglu(value, gate)), with the
// float32 rows of the same functions in the same run, at n = 4096 (in cache) and 16777216 (in
// memory, where moving half the bytes should pay). Names: BM_<function><<type>>/<impl>/<n>;
// items/s counts output elements, bytes/s the bytes read and written.
#include "functions.hpp"

#include <activ/glu.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace activ_bench {
namespace {

// Inputs: 3·N(0, 1) from a fixed seed, as bench_activations; `salt` gives the gate of geglu
// other values.
template <class T>
const Array<T>& inputs(Eigen::Index n, int salt = 0) {
  static std::map<std::pair<Eigen::Index, int>, Array<T>> cache;
  auto it = cache.find({n, salt});
  if (it == cache.end()) {
    it = cache.emplace(std::make_pair(n, salt), normal_array<T>(n, 3.0, kInputSeed + salt)).first;
  }
  return it->second;
}

// The functions: gelu and silu of functions.hpp, and geglu on two inputs of n elements. The
// scalar references compute in float (ref<float>) and convert each element.
template <class F>
constexpr int kInputs = 1;

struct Geglu {
  static constexpr const char* name = "geglu";
  template <class X>
  static auto lib(const X& v, const X& g) {
    return activ::geglu(v, g);
  }
  template <class X>
  static auto fast(const X& v, const X& g) {
    return activ::fast::geglu(v, g);
  }
  static float ref(float v, float g) { return v * Gelu::ref(g); }
};
template <>
constexpr int kInputs<Geglu> = 2;

enum class Impl { activ, fast, scalar };

template <class F, class T, Impl I>
void run(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  const Array<T>& x = inputs<T>(n);
  const Array<T>& g = inputs<T>(n, 1);
  Array<T> y = Array<T>::Zero(n);
  for (auto _ : state) {
    if constexpr (I == Impl::scalar) {
      const T* xp = x.data();
      const T* gp = g.data();
      T* yp = y.data();
      for (Eigen::Index i = 0; i < n; ++i) {
        if constexpr (kInputs<F> == 1) {
          yp[i] = static_cast<T>(F::ref(static_cast<float>(xp[i])));
        } else {
          yp[i] = static_cast<T>(F::ref(static_cast<float>(xp[i]), static_cast<float>(gp[i])));
        }
      }
    } else if constexpr (kInputs<F> == 1) {
      if constexpr (I == Impl::activ) {
        y = F::lib(x);
      } else {
        y = F::fast(x);
      }
    } else {
      if constexpr (I == Impl::activ) {
        y = F::lib(x, g);
      } else {
        y = F::fast(x, g);
      }
    }
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  const int64_t items = static_cast<int64_t>(state.iterations()) * n;
  state.SetItemsProcessed(items);
  state.SetBytesProcessed(items * static_cast<int64_t>((kInputs<F> + 1) * sizeof(T)));
}

template <class F, class T>
void register_function() {
  for (const Eigen::Index n : {Eigen::Index(4096), Eigen::Index(16777216)}) {
    const auto add = [n](const char* impl, void (*fn)(benchmark::State&)) {
      const std::string name = std::string("BM_") + F::name + "<" + type_name<T>() + ">/" + impl;
      benchmark::RegisterBenchmark(name.c_str(), fn)->Arg(n)->Unit(benchmark::kMicrosecond);
    };
    add("activ", run<F, T, Impl::activ>);
    add("fast", run<F, T, Impl::fast>);
    add("scalar", run<F, T, Impl::scalar>);
  }
}

}  // namespace
}  // namespace activ_bench

int main(int argc, char** argv) {
  using namespace activ_bench;
  register_function<Gelu, float>();
  register_function<Gelu, Eigen::bfloat16>();
  register_function<Gelu, Eigen::half>();
  register_function<Silu, float>();
  register_function<Silu, Eigen::bfloat16>();
  register_function<Silu, Eigen::half>();
  register_function<Geglu, float>();
  register_function<Geglu, Eigen::bfloat16>();
  register_function<Geglu, Eigen::half>();
  return run_registered_benchmarks(argc, argv);
}
