// Speed of activ's backward passes, one thread, against the forward pass and two references:
//   forward   y = activ::gelu(x)                        (the precise forward pass)
//   fast_forward  y = activ::fast::gelu(x)              (the fast tier's)
//   activ     g = activ::gelu_backward(dy, x)           (dy * gelu'(x))
//   fast      g = activ::fast::gelu_backward(dy, x)
//   eigen     g = dy * (0.5*(1 + (x/√2).erf()) + x*(-x²/2).exp()/√(2π))   (Eigen's expression of
//             the usual formula, one expression as a user writes it)
//   scalar    g[i] = dy[i] * (the same formula over <cmath>)
// for gelu, gelu_tanh, sigmoid, silu and swish(beta = 1.702), and the fused GeGLU backward
// (geglu_backward(dy, h), h = [value | gate] of width 2d, against Eigen's expression of both
// halves), float and double, n = 4096 and 262144 (--sizes=<n>,<n>,... for others).
// Names: BM_<function>_backward<<type>>/<impl>/<n>, per element of x (GeGLU: per element of h);
// bench/compare_backward.py turns the JSON into the ratio table of docs/performance.md.
#if defined(__GNUC__) && !defined(__clang__)  // GCC PR 105593: see bench_activations.cpp
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

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

template <class T>
using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
template <class T>
using Array2 = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;

constexpr double kBeta = 1.702;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/sqrt(2 pi)
constexpr double kSqrt2OverPi = 0.79788456080286535588;
constexpr double kCubic = 0.044715;

struct Gelu {
  static constexpr const char* name = "gelu";
  template <class T>
  static auto forward(const Array<T>& x) {
    return activ::gelu(x);
  }
  template <class T>
  static auto fast_forward(const Array<T>& x) {
    return activ::fast::gelu(x);
  }
  template <class T>
  static auto lib(const Array<T>& dy, const Array<T>& x) {
    return activ::gelu_backward(dy, x);
  }
  template <class T>
  static auto fast(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::gelu_backward(dy, x);
  }
  template <class T>
  static T ref(T v) {
    return T(0.5) * (T(1) + std::erf(v * T(M_SQRT1_2))) + v * std::exp(T(-0.5) * v * v) * T(kInvSqrt2Pi);
  }
  template <class T>
  static auto eigen(const Array<T>& dy, const Array<T>& x) {
    return dy * (T(0.5) * (T(1) + (x * T(M_SQRT1_2)).erf()) +
                 x * (T(-0.5) * x * x).exp() * T(kInvSqrt2Pi));
  }
};

struct GeluTanh {
  static constexpr const char* name = "gelu_tanh";
  template <class T>
  static auto forward(const Array<T>& x) {
    return activ::gelu_tanh(x);
  }
  template <class T>
  static auto fast_forward(const Array<T>& x) {
    return activ::fast::gelu_tanh(x);
  }
  template <class T>
  static auto lib(const Array<T>& dy, const Array<T>& x) {
    return activ::gelu_tanh_backward(dy, x);
  }
  template <class T>
  static auto fast(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::gelu_tanh_backward(dy, x);
  }
  template <class T>
  static T ref(T v) {
    const T t = std::tanh(T(kSqrt2OverPi) * (v + T(kCubic) * v * v * v));
    return T(0.5) * (T(1) + t) +
           T(0.5) * v * (T(1) - t * t) * T(kSqrt2OverPi) * (T(1) + T(3 * kCubic) * v * v);
  }
  template <class T>
  static auto eigen(const Array<T>& dy, const Array<T>& x) {
    const auto t = (T(kSqrt2OverPi) * (x + T(kCubic) * x.cube())).tanh();
    return dy * (T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t.square()) * T(kSqrt2OverPi) *
                                           (T(1) + T(3 * kCubic) * x.square()));
  }
};

struct Sigmoid {
  static constexpr const char* name = "sigmoid";
  template <class T>
  static auto forward(const Array<T>& x) {
    return activ::sigmoid(x);
  }
  template <class T>
  static auto fast_forward(const Array<T>& x) {
    return activ::fast::sigmoid(x);
  }
  template <class T>
  static auto lib(const Array<T>& dy, const Array<T>& x) {
    return activ::sigmoid_backward(dy, x);
  }
  template <class T>
  static auto fast(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::sigmoid_backward(dy, x);
  }
  template <class T>
  static T ref(T v) {
    const T s = T(1) / (T(1) + std::exp(-v));
    return s * (T(1) - s);
  }
  template <class T>
  static auto eigen(const Array<T>& dy, const Array<T>& x) {
    return dy * x.logistic() * (T(1) - x.logistic());
  }
};

struct Silu {
  static constexpr const char* name = "silu";
  template <class T>
  static auto forward(const Array<T>& x) {
    return activ::silu(x);
  }
  template <class T>
  static auto fast_forward(const Array<T>& x) {
    return activ::fast::silu(x);
  }
  template <class T>
  static auto lib(const Array<T>& dy, const Array<T>& x) {
    return activ::silu_backward(dy, x);
  }
  template <class T>
  static auto fast(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::silu_backward(dy, x);
  }
  template <class T>
  static T ref(T v) {
    const T s = T(1) / (T(1) + std::exp(-v));
    return s * (T(1) + v * (T(1) - s));
  }
  template <class T>
  static auto eigen(const Array<T>& dy, const Array<T>& x) {
    return dy * x.logistic() * (T(1) + x * (T(1) - x.logistic()));
  }
};

struct Swish {
  static constexpr const char* name = "swish";
  template <class T>
  static auto forward(const Array<T>& x) {
    return activ::swish(x, kBeta);
  }
  template <class T>
  static auto fast_forward(const Array<T>& x) {
    return activ::fast::swish(x, kBeta);
  }
  template <class T>
  static auto lib(const Array<T>& dy, const Array<T>& x) {
    return activ::swish_backward(dy, x, kBeta);
  }
  template <class T>
  static auto fast(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::swish_backward(dy, x, kBeta);
  }
  template <class T>
  static T ref(T v) {
    const T s = T(1) / (T(1) + std::exp(-T(kBeta) * v));
    return s * (T(1) + T(kBeta) * v * (T(1) - s));
  }
  template <class T>
  static auto eigen(const Array<T>& dy, const Array<T>& x) {
    const auto bx = T(kBeta) * x;
    return dy * bx.logistic() * (T(1) + bx * (T(1) - bx.logistic()));
  }
};

template <class T>
const char* type_name() {
  return std::is_same_v<T, float> ? "float" : "double";
}

// 3 * N(0, 1) pre-activations and N(0, 1) upstream gradients, fixed seeds.
template <class T>
Array<T> normal(Eigen::Index n, double scale, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> dist(0.0, scale);
  Array<T> x(n);
  for (Eigen::Index i = 0; i < n; ++i) x[i] = static_cast<T>(dist(rng));
  return x;
}

template <class F, class T>
void register_function(Eigen::Index n) {
  const std::string suffix = std::string("<") + type_name<T>() + ">/";
  const std::string base = std::string("BM_") + F::name + "_backward" + suffix;
  auto add = [&](const char* impl, auto body) {
    benchmark::RegisterBenchmark((base + impl + "/" + std::to_string(n)).c_str(),
                                 [n, body](benchmark::State& state) {
                                   const Array<T> x = normal<T>(n, 3.0, 20240601);
                                   const Array<T> dy = normal<T>(n, 1.0, 7);
                                   Array<T> out(n);
                                   for (auto _ : state) {
                                     body(out, dy, x);
                                     benchmark::DoNotOptimize(out.data());
                                     benchmark::ClobberMemory();
                                   }
                                   state.SetItemsProcessed(state.iterations() * n);
                                 });
  };
  add("forward", [](Array<T>& out, const Array<T>&, const Array<T>& x) { out = F::forward(x); });
  add("fast_forward",
      [](Array<T>& out, const Array<T>&, const Array<T>& x) { out = F::fast_forward(x); });
  add("activ", [](Array<T>& out, const Array<T>& dy, const Array<T>& x) { out = F::lib(dy, x); });
  add("fast", [](Array<T>& out, const Array<T>& dy, const Array<T>& x) { out = F::fast(dy, x); });
  add("eigen", [](Array<T>& out, const Array<T>& dy, const Array<T>& x) { out = F::eigen(dy, x); });
  add("scalar", [](Array<T>& out, const Array<T>& dy, const Array<T>& x) {
    for (Eigen::Index i = 0; i < x.size(); ++i) out[i] = dy[i] * F::template ref<T>(x[i]);
  });
}

// GeGLU on h = [value | gate] with n elements (rows x 2d, d = 256), dy of rows x d.
template <class T>
void register_geglu(Eigen::Index n) {
  const Eigen::Index d = 256, rows = std::max<Eigen::Index>(1, n / (2 * d));
  const std::string base = std::string("BM_geglu_backward<") + type_name<T>() + ">/";
  auto add = [&](const char* impl, auto body) {
    benchmark::RegisterBenchmark((base + impl + "/" + std::to_string(n)).c_str(),
                                 [rows, d, body](benchmark::State& state) {
                                   const Array<T> hx = normal<T>(rows * 2 * d, 3.0, 20240601);
                                   const Array<T> dyx = normal<T>(rows * d, 1.0, 7);
                                   const Array2<T> h = Eigen::Map<const Array2<T>>(hx.data(), rows, 2 * d);
                                   const Array2<T> dy = Eigen::Map<const Array2<T>>(dyx.data(), rows, d);
                                   Array2<T> out(rows, 2 * d);
                                   for (auto _ : state) {
                                     body(out, dy, h);
                                     benchmark::DoNotOptimize(out.data());
                                     benchmark::ClobberMemory();
                                   }
                                   state.SetItemsProcessed(state.iterations() * rows * 2 * d);
                                 });
  };
  add("forward", [d](Array2<T>& out, const Array2<T>&, const Array2<T>& h) {
    out.leftCols(d) = activ::geglu(h);
  });
  add("fast_forward", [d](Array2<T>& out, const Array2<T>&, const Array2<T>& h) {
    out.leftCols(d) = activ::fast::geglu(h);
  });
  add("activ", [](Array2<T>& out, const Array2<T>& dy, const Array2<T>& h) {
    activ::geglu_backward.into(out, dy, h);
  });
  add("fast", [](Array2<T>& out, const Array2<T>& dy, const Array2<T>& h) {
    activ::fast::geglu_backward.into(out, dy, h);
  });
  add("eigen", [d](Array2<T>& out, const Array2<T>& dy, const Array2<T>& h) {
    const auto v = h.leftCols(d);
    const auto g = h.rightCols(d);
    out.leftCols(d) = dy * (T(0.5) * g * (T(1) + (g * T(M_SQRT1_2)).erf()));
    out.rightCols(d) = dy * v *
                       (T(0.5) * (T(1) + (g * T(M_SQRT1_2)).erf()) +
                        g * (T(-0.5) * g * g).exp() * T(kInvSqrt2Pi));
  });
}

template <class T>
void register_type(Eigen::Index n) {
  register_function<Gelu, T>(n);
  register_function<GeluTanh, T>(n);
  register_function<Sigmoid, T>(n);
  register_function<Silu, T>(n);
  register_function<Swish, T>(n);
  register_geglu<T>(n);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<Eigen::Index> sizes = {4096, 262144};
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--sizes=", 8) == 0) {
      sizes.clear();
      for (char* p = argv[i] + 8; *p;) {
        sizes.push_back(std::strtol(p, &p, 10));
        if (*p == ',') ++p;
      }
    } else {
      args.push_back(argv[i]);
    }
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  for (Eigen::Index n : sizes) {
    register_type<float>(n);
    register_type<double>(n);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
