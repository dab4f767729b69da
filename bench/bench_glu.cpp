// Google Benchmark: the GLU family.
//
// GeGLU, SwiGLU and GLU (sigmoid gate) on an input [rows, 2d] -> output [rows, d], d in
// {64, 1024, 4096}, rows chosen so that input + output total about 24 KiB (L1), 512 KiB (L2) or
// 192 MiB (DRAM), float and double, one thread. Implementations:
//   activ_value_first, activ_gate_first, activ_interleaved   activ on a row-major input (the
//       memory layout of a PyTorch tensor: the last dimension is contiguous)
//   activ_value_first_cm, activ_interleaved_cm               the same on a column-major input
//       (Eigen's default storage order)
//   fast      activ::fast (the fast tier) on the row-major input, value-first
//   scalar    a plain loop over <cmath>, row-major: value * gate_fn(gate)
//   eigen     the best composition of Eigen built-ins on leftCols/rightCols of the row-major
//             input: GeGLU a*(0.5*b*(1 + (b*sqrt(1/2)).erf())), SwiGLU a*(b*b.logistic()),
//             GLU a*b.logistic()
// plus the Tensor form, rank 3 [4, rows/4, 2d] row-major, on Eigen's ThreadPoolDevice with 1 and
// 2 threads, at the DRAM size (d = 1024 and 4096, float).
//
// Names: <function><<type>>/d:<d>/<L1|L2|DRAM>/<impl>. Counters: items_per_second (output
// elements) and bytes_per_second (input read + output written: 3·d·sizeof(T) per row).
// Input: 3·N(0, 1) from a fixed seed. Before timing, every implementation is checked against a
// double-precision reference (exit status 1 on disagreement), so a wrong layout cannot produce a
// fast figure.
//
// Build: the bench_glu target (-O3 -march=native), or by hand from the repository root:
//   g++ -O3 -march=native -std=c++17 -Wall -Wextra -Wpedantic -Werror -I include
//       -isystem /usr/include/eigen3 bench/bench_glu.cpp -o bench_glu -lbenchmark -lpthread
// adding -Wno-uninitialized -Wno-maybe-uninitialized with GCC 12 (its AVX-512 intrinsics trip
// them, GCC PR 105593; cmake/activDevelop.cmake does the same).
// Run: ./bench_glu --benchmark_filter='geglu<float>/d:1024/' --benchmark_repetitions=5
#define EIGEN_USE_THREADS
#include <benchmark/benchmark.h>
#include <activ/activ.hpp>
#include <activ/tensor.hpp>
#include <unsupported/Eigen/SpecialFunctions>  // Eigen's .erf()

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <type_traits>

namespace {

using Eigen::Index;
template <class T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using ColMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

enum class Fn { geglu, swiglu, glu };
const char* fn_name(Fn f) { return f == Fn::geglu ? "geglu" : f == Fn::swiglu ? "swiglu" : "glu"; }

// ---------------------------------------------------------------------------------------------
// The data: one input of each storage order and one output, shared by the implementations of a
// configuration and freed before the next configuration's is made (benchmarks run in order).

template <class T>
struct Data {
  RowMat<T> h_row;  // [rows, 2d], fused value-first / gate-first / interleaved (same numbers)
  ColMat<T> h_col;
  RowMat<T> out_row;
  ColMat<T> out_col;
};

template <class T>
Data<T>& data_for(Index rows, Index d) {
  static std::unique_ptr<Data<T>> current;
  static Index current_rows = -1, current_d = -1;
  if (!current || current_rows != rows || current_d != d) {
    current.reset();  // free the previous configuration first (DRAM sizes)
    current = std::make_unique<Data<T>>();
    std::mt19937_64 rng(0x61a55ULL);
    auto normal = [&] {  // Box-Muller on the standard's fixed mt19937_64 stream
      const double u1 = (double(rng() >> 11) + 1.0) * 0x1p-53, u2 = double(rng() >> 11) * 0x1p-53;
      return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    };
    current->h_row.resize(rows, 2 * d);
    for (Index k = 0; k < current->h_row.size(); ++k) current->h_row.data()[k] = T(3.0 * normal());
    current->h_col = current->h_row;
    current->out_row.setZero(rows, d);
    current->out_col.setZero(rows, d);
    current_rows = rows;
    current_d = d;
  }
  return *current;
}

// ---------------------------------------------------------------------------------------------
// The implementations.

template <class T>
constexpr T kSqrtHalf = T(0.70710678118654752440);

template <class T>
T scalar_gate(Fn f, T g) {
  switch (f) {
    case Fn::geglu: return T(0.5) * g * (T(1) + std::erf(g * kSqrtHalf<T>));
    case Fn::swiglu: return g / (T(1) + std::exp(-g));
    case Fn::glu: return T(1) / (T(1) + std::exp(-g));
  }
  return g;
}

template <class T>
void run_scalar(Fn f, const RowMat<T>& h, RowMat<T>& out) {
  const Index rows = out.rows(), d = out.cols();
  for (Index i = 0; i < rows; ++i) {
    const T* row = h.data() + i * 2 * d;
    T* o = out.data() + i * d;
    switch (f) {  // one loop per function, so that the compiler sees a fixed body
      case Fn::geglu:
        for (Index j = 0; j < d; ++j) o[j] = row[j] * scalar_gate(Fn::geglu, row[d + j]);
        break;
      case Fn::swiglu:
        for (Index j = 0; j < d; ++j) o[j] = row[j] * scalar_gate(Fn::swiglu, row[d + j]);
        break;
      case Fn::glu:
        for (Index j = 0; j < d; ++j) o[j] = row[j] * scalar_gate(Fn::glu, row[d + j]);
        break;
    }
  }
}

template <class T>
void run_eigen(Fn f, const RowMat<T>& h, RowMat<T>& out) {
  const Index d = out.cols();
  const auto a = h.leftCols(d).array();
  const auto b = h.rightCols(d).array();
  switch (f) {
    case Fn::geglu: out.array() = a * (T(0.5) * b * (T(1) + (b * kSqrtHalf<T>).erf())); break;
    case Fn::swiglu: out.array() = a * (b * b.logistic()); break;
    case Fn::glu: out.array() = a * b.logistic(); break;
  }
}

template <class Out, class H, class Layout>
void run_activ(Fn f, const H& h, Out& out, Layout layout) {
  switch (f) {
    case Fn::geglu: out.noalias() = activ::geglu(h, layout); break;
    case Fn::swiglu: out.noalias() = activ::swiglu(h, layout); break;
    case Fn::glu: out.noalias() = activ::glu(h, layout); break;
  }
}

template <class Out, class H>
void run_fast(Fn f, const H& h, Out& out) {
  switch (f) {
    case Fn::geglu: out.noalias() = activ::fast::geglu(h, activ::value_first); break;
    case Fn::swiglu: out.noalias() = activ::fast::swiglu(h, activ::value_first); break;
    case Fn::glu: out.noalias() = activ::fast::glu(h, activ::value_first); break;
  }
}

enum class Impl {
  activ_value_first,
  activ_gate_first,
  activ_interleaved,
  activ_value_first_cm,
  activ_interleaved_cm,
  fast,
  scalar,
  eigen
};
constexpr Impl kImpls[] = {Impl::activ_value_first,
                           Impl::activ_gate_first,
                           Impl::activ_interleaved,
                           Impl::activ_value_first_cm,
                           Impl::activ_interleaved_cm,
                           Impl::fast,
                           Impl::scalar,
                           Impl::eigen};

const char* impl_name(Impl i) {
  switch (i) {
    case Impl::activ_value_first: return "activ_value_first";
    case Impl::activ_gate_first: return "activ_gate_first";
    case Impl::activ_interleaved: return "activ_interleaved";
    case Impl::activ_value_first_cm: return "activ_value_first_cm";
    case Impl::activ_interleaved_cm: return "activ_interleaved_cm";
    case Impl::fast: return "fast";
    case Impl::scalar: return "scalar";
    case Impl::eigen: return "eigen";
  }
  return "?";
}

// Runs one implementation; the result lands in out_row (row-major) or out_col.
template <class T>
void run(Impl impl, Fn f, Data<T>& x) {
  switch (impl) {
    case Impl::activ_value_first: run_activ(f, x.h_row, x.out_row, activ::value_first); break;
    case Impl::activ_gate_first: run_activ(f, x.h_row, x.out_row, activ::gate_first); break;
    case Impl::activ_interleaved: run_activ(f, x.h_row, x.out_row, activ::interleaved); break;
    case Impl::activ_value_first_cm: run_activ(f, x.h_col, x.out_col, activ::value_first); break;
    case Impl::activ_interleaved_cm: run_activ(f, x.h_col, x.out_col, activ::interleaved); break;
    case Impl::fast: run_fast(f, x.h_row, x.out_row); break;
    case Impl::scalar: run_scalar(f, x.h_row, x.out_row); break;
    case Impl::eigen: run_eigen(f, x.h_row, x.out_row); break;
  }
}

bool writes_col_major(Impl impl) {
  return impl == Impl::activ_value_first_cm || impl == Impl::activ_interleaved_cm;
}

// What each layout means for the same numbers: a double-precision reference that pairs (value,
// gate) as the layout does (GELU through erfc, which does not cancel), against which every
// implementation is checked.
double reference_gate(Fn f, double g) {
  switch (f) {
    case Fn::geglu: return 0.5 * g * std::erfc(-g * kSqrtHalf<double>);
    case Fn::swiglu: return g / (1.0 + std::exp(-g));
    case Fn::glu: return 1.0 / (1.0 + std::exp(-g));
  }
  return g;
}

template <class T>
RowMat<double> reference(Impl impl, Fn f, const RowMat<T>& h) {
  const Index rows = h.rows(), d = h.cols() / 2;
  RowMat<double> out(rows, d);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < d; ++j) {
      double v = h(i, j), g = h(i, d + j);
      if (impl == Impl::activ_gate_first) std::swap(v, g);
      if (impl == Impl::activ_interleaved || impl == Impl::activ_interleaved_cm) {
        g = h(i, 2 * j);
        v = h(i, 2 * j + 1);
      }
      out(i, j) = v * reference_gate(f, g);
    }
  }
  return out;
}

template <class T>
bool agrees(Impl impl, Fn f, Data<T>& x) {
  x.out_row.setZero();
  x.out_col.setZero();
  run(impl, f, x);
  const RowMat<double> got = writes_col_major(impl)
                                 ? RowMat<double>(x.out_col.template cast<double>())
                                 : RowMat<double>(x.out_row.template cast<double>());
  const RowMat<double> want = reference(impl, f, x.h_row);
  // Outputs are O(1); a layout error is O(1) too. The baselines get a loose bound: the float
  // scalar loop's 1 + erf cancels for gate < 0, Eigen's float logistic is off by up to ~5e-4.
  // activ's bound holds for both tiers (the fast tier is within a few ULP: under 1e-6 relative
  // in float, 1e-15 in double) and still catches any layout error.
  const double tolerance = (impl == Impl::scalar || impl == Impl::eigen) ? 1e-2
                           : std::is_same_v<T, float>                    ? 1e-5
                                                                         : 1e-12;
  const double err = ((got - want).array().abs() / (want.array().abs() + 1e-3)).maxCoeff();
  if (!(err <= tolerance)) {
    std::fprintf(stderr, "%s %s: relative disagreement %g with the double reference\n", fn_name(f),
                 impl_name(impl), err);
    return false;
  }
  return true;
}

struct Size {
  const char* name;
  double bytes;
};
constexpr Size kSizes[] = {
    {"L1", 24.0 * 1024}, {"L2", 512.0 * 1024}, {"DRAM", 192.0 * 1024 * 1024}};

template <class T>
Index rows_for(const Size& s, Index d) {
  const double per_row = 3.0 * double(d) * sizeof(T);
  return std::max<Index>(1, Index(s.bytes / per_row));
}

template <class T>
void set_counters(benchmark::State& state, Index rows, Index d) {
  state.SetItemsProcessed(state.iterations() * rows * d);
  state.SetBytesProcessed(state.iterations() * rows * 3 * d * Index(sizeof(T)));
  state.counters["rows"] = double(rows);
}

template <class T>
void register_dense(bool& ok) {
  const char* type = std::is_same_v<T, float> ? "float" : "double";
  for (Fn f : {Fn::geglu, Fn::swiglu, Fn::glu}) {
    for (Index d : {Index(64), Index(1024), Index(4096)}) {
      for (const Size& s : kSizes) {
        const Index rows = rows_for<T>(s, d);
        // Check on a small slice of the same shape (the DRAM sizes would take long in the loop).
        {
          Data<T>& x = data_for<T>(std::min<Index>(rows, 64), d);
          for (Impl impl : kImpls) ok = agrees<T>(impl, f, x) && ok;
        }
        for (Impl impl : kImpls) {
          const std::string name = std::string(fn_name(f)) + "<" + type +
                                   ">/d:" + std::to_string(d) + "/" + s.name + "/" +
                                   impl_name(impl);
          benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
            Data<T>& x = data_for<T>(rows, d);
            for (auto _ : state) {
              run(impl, f, x);
              benchmark::DoNotOptimize(x.out_row.data());
              benchmark::DoNotOptimize(x.out_col.data());
              benchmark::ClobberMemory();
            }
            set_counters<T>(state, rows, d);
          });
        }
      }
    }
  }
}

// Tensor on Eigen's thread pool: rank 3 [4, rows/4, 2d], row-major, DRAM size.
void register_tensor() {
  for (Index d : {Index(1024), Index(4096)}) {
    const Index rows = rows_for<float>(kSizes[2], d) / 4 * 4;
    for (int threads : {1, 2}) {
      const std::string name =
          "geglu<float>/d:" + std::to_string(d) + "/DRAM/tensor_threads:" + std::to_string(threads);
      benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
        Data<float>& x = data_for<float>(rows, d);  // the same numbers, viewed as a tensor
        Eigen::TensorMap<Eigen::Tensor<const float, 3, Eigen::RowMajor>> h(x.h_row.data(), 4,
                                                                           rows / 4, 2 * d);
        Eigen::TensorMap<Eigen::Tensor<float, 3, Eigen::RowMajor>> out(x.out_row.data(), 4,
                                                                       rows / 4, d);
        Eigen::ThreadPool pool(threads);
        Eigen::ThreadPoolDevice device(&pool, threads);
        for (auto _ : state) {
          out.device(device) = activ::geglu(h);
          benchmark::DoNotOptimize(x.out_row.data());
          benchmark::ClobberMemory();
        }
        set_counters<float>(state, rows, d);
      })->UseRealTime();
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  bool ok = true;
  register_dense<float>(ok);
  register_dense<double>(ok);
  register_tensor();
  if (!ok) {
    std::fprintf(stderr, "implementations disagree: no timings\n");
    return 1;
  }
  std::printf("Eigen SIMD: %s\n", Eigen::SimdInstructionSetsInUse());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
