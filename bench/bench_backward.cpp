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
#include "functions.hpp"

#include <activ/glu.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace activ_bench {
namespace {

// Each backward descriptor extends the forward one of functions.hpp (lib, fast: the forward
// passes) with the backward calls, the derivative in the lane type and Eigen's expression of
// dy * f'(x).
struct GeluBackward : Gelu {
  template <class T>
  static auto backward(const Array<T>& dy, const Array<T>& x) {
    return activ::gelu_backward(dy, x);
  }
  template <class T>
  static auto fast_backward(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::gelu_backward(dy, x);
  }
  template <class T>
  static T derivative(T v) {
    return T(0.5) * (T(1) + std::erf(v * T(M_SQRT1_2))) +
           v * std::exp(T(-0.5) * v * v) * T(kInvSqrt2Pi);
  }
  template <class T>
  static auto eigen_backward(const Array<T>& dy, const Array<T>& x) {
    return dy * (T(0.5) * (T(1) + (x * T(M_SQRT1_2)).erf()) +
                 x * (T(-0.5) * x * x).exp() * T(kInvSqrt2Pi));
  }
};

struct GeluTanhBackward : GeluTanh {
  template <class T>
  static auto backward(const Array<T>& dy, const Array<T>& x) {
    return activ::gelu_tanh_backward(dy, x);
  }
  template <class T>
  static auto fast_backward(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::gelu_tanh_backward(dy, x);
  }
  template <class T>
  static T derivative(T v) {
    const T t = std::tanh(T(kSqrt2OverPi) * (v + T(kGeluTanhCubic) * v * v * v));
    return T(0.5) * (T(1) + t) +
           T(0.5) * v * (T(1) - t * t) * T(kSqrt2OverPi) * (T(1) + T(3 * kGeluTanhCubic) * v * v);
  }
  template <class T>
  static auto eigen_backward(const Array<T>& dy, const Array<T>& x) {
    const auto t = (T(kSqrt2OverPi) * (x + T(kGeluTanhCubic) * x.cube())).tanh();
    return dy * (T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t.square()) * T(kSqrt2OverPi) *
                                           (T(1) + T(3 * kGeluTanhCubic) * x.square()));
  }
};

struct SigmoidBackward : Sigmoid {
  template <class T>
  static auto backward(const Array<T>& dy, const Array<T>& x) {
    return activ::sigmoid_backward(dy, x);
  }
  template <class T>
  static auto fast_backward(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::sigmoid_backward(dy, x);
  }
  template <class T>
  static T derivative(T v) {
    const T s = T(1) / (T(1) + std::exp(-v));
    return s * (T(1) - s);
  }
  template <class T>
  static auto eigen_backward(const Array<T>& dy, const Array<T>& x) {
    return dy * x.logistic() * (T(1) - x.logistic());
  }
};

struct SiluBackward : Silu {
  template <class T>
  static auto backward(const Array<T>& dy, const Array<T>& x) {
    return activ::silu_backward(dy, x);
  }
  template <class T>
  static auto fast_backward(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::silu_backward(dy, x);
  }
  template <class T>
  static T derivative(T v) {
    const T s = T(1) / (T(1) + std::exp(-v));
    return s * (T(1) + v * (T(1) - s));
  }
  template <class T>
  static auto eigen_backward(const Array<T>& dy, const Array<T>& x) {
    return dy * x.logistic() * (T(1) + x * (T(1) - x.logistic()));
  }
};

struct SwishBackward : Swish {
  template <class T>
  static auto backward(const Array<T>& dy, const Array<T>& x) {
    return activ::swish_backward(dy, x, kSwishBeta);
  }
  template <class T>
  static auto fast_backward(const Array<T>& dy, const Array<T>& x) {
    return activ::fast::swish_backward(dy, x, kSwishBeta);
  }
  template <class T>
  static T derivative(T v) {
    const T s = T(1) / (T(1) + std::exp(-T(kSwishBeta) * v));
    return s * (T(1) + T(kSwishBeta) * v * (T(1) - s));
  }
  template <class T>
  static auto eigen_backward(const Array<T>& dy, const Array<T>& x) {
    const auto bx = T(kSwishBeta) * x;
    return dy * bx.logistic() * (T(1) + bx * (T(1) - bx.logistic()));
  }
};

template <class F, class T>
void register_function(Eigen::Index n) {
  const std::string suffix = std::string("<") + type_name<T>() + ">/";
  const std::string base = std::string("BM_") + F::name + "_backward" + suffix;
  auto add = [&](const char* impl, auto body) {
    benchmark::RegisterBenchmark((base + impl + "/" + std::to_string(n)).c_str(),
                                 [n, body](benchmark::State& state) {
                                   const Array<T> x = normal_array<T>(n, 3.0, kInputSeed);
                                   const Array<T> dy = normal_array<T>(n, 1.0, 7);
                                   Array<T> out(n);
                                   for (auto _ : state) {
                                     body(out, dy, x);
                                     benchmark::DoNotOptimize(out.data());
                                     benchmark::ClobberMemory();
                                   }
                                   state.SetItemsProcessed(state.iterations() * n);
                                 });
  };
  add("forward", [](Array<T>& out, const Array<T>&, const Array<T>& x) { out = F::lib(x); });
  add("fast_forward", [](Array<T>& out, const Array<T>&, const Array<T>& x) { out = F::fast(x); });
  add("activ",
      [](Array<T>& out, const Array<T>& dy, const Array<T>& x) { out = F::backward(dy, x); });
  add("fast",
      [](Array<T>& out, const Array<T>& dy, const Array<T>& x) { out = F::fast_backward(dy, x); });
  add("eigen",
      [](Array<T>& out, const Array<T>& dy, const Array<T>& x) { out = F::eigen_backward(dy, x); });
  add("scalar", [](Array<T>& out, const Array<T>& dy, const Array<T>& x) {
    for (Eigen::Index i = 0; i < x.size(); ++i) out[i] = dy[i] * F::template derivative<T>(x[i]);
  });
}

// GeGLU on h = [value | gate] with n elements (rows x 2d, d = 256), dy of rows x d.
template <class T>
void register_geglu(Eigen::Index n) {
  const Eigen::Index d = 256, rows = std::max<Eigen::Index>(1, n / (2 * d));
  const std::string base = std::string("BM_geglu_backward<") + type_name<T>() + ">/";
  auto add = [&](const char* impl, auto body) {
    benchmark::RegisterBenchmark(
        (base + impl + "/" + std::to_string(n)).c_str(), [rows, d, body](benchmark::State& state) {
          const Array<T> hx = normal_array<T>(rows * 2 * d, 3.0, kInputSeed);
          const Array<T> dyx = normal_array<T>(rows * d, 1.0, 7);
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
    out.rightCols(d) =
        dy * v *
        (T(0.5) * (T(1) + (g * T(M_SQRT1_2)).erf()) + g * (T(-0.5) * g * g).exp() * T(kInvSqrt2Pi));
  });
}

template <class T>
void register_type(Eigen::Index n) {
  register_function<GeluBackward, T>(n);
  register_function<GeluTanhBackward, T>(n);
  register_function<SigmoidBackward, T>(n);
  register_function<SiluBackward, T>(n);
  register_function<SwishBackward, T>(n);
  register_geglu<T>(n);
}

}  // namespace
}  // namespace activ_bench

int main(int argc, char** argv) {
  using namespace activ_bench;
  Sizes sizes = {4096, 262144};
  if (!take_sizes_option(argc, argv, sizes)) return 2;
  for (Eigen::Index n : sizes) {
    register_type<float>(n);
    register_type<double>(n);
  }
  return run_registered_benchmarks(argc, argv);
}
