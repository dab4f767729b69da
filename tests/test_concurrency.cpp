// activ from several threads at once, for ThreadSanitizer (the `tsan` preset) and for results: the
// functors are immutable and the kernels keep no state, so concurrent evaluations that share their
// inputs and functor objects (Swish{beta}, the GLU functors) and write separate outputs give
// exactly the single-threaded bits. Covered: element-wise expressions and every GLU form from
// std::threads, concurrent scalar operator() calls on shared functors, and tensor expressions on
// Eigen's ThreadPoolDevice, with several device evaluations in flight on one pool at once.
#define EIGEN_USE_THREADS
#include <activ/activ.hpp>
#include <activ/tensor.hpp>

#include "support/sampling.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace activ_test {
namespace {

using Eigen::Index;

constexpr int kThreads = 4;
constexpr int kRounds = 3;

// Starts all threads' bodies at once (a one-shot gate), so that the evaluations overlap.
class StartGate {
 public:
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return open_; });
  }
  void open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    ready_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  bool open_ = false;
};

// Runs body(t) on kThreads threads, started together.
void run_concurrently(const std::function<void(int)>& body) {
  StartGate gate;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      gate.wait();
      body(t);
    });
  }
  gate.open();
  for (auto& thread : threads) thread.join();
}

// The number of elements of `got` whose bits differ from `want` (NaN payloads included).
template <class A, class B>
std::size_t count_mismatches(const A& got, const B& want) {
  if (got.size() != want.size()) return std::size_t(-1);
  std::size_t n = 0;
  for (Index k = 0; k < want.size(); ++k) n += !bit_identical(got.data()[k], want.data()[k]);
  return n;
}

// Inputs: the hard values (tails, subnormals, NaN, ±inf) cycled into a buffer.
template <class T>
Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> inputs(Index rows, Index cols) {
  const std::vector<T> pool = hard_values<T>();
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> x(rows, cols);
  for (Index k = 0; k < x.size(); ++k) x(k) = pool[std::size_t(k * 7) % pool.size()];
  return x;
}

// One named evaluation: writes its result for input `x` into `out`.
template <class T>
struct Job {
  using ArrayXX = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  std::string name;
  std::function<void(const ArrayXX& x, ArrayXX& out)> run;
};

// The element-wise functions and every GLU form, with shared functor objects.
template <class T>
std::vector<Job<T>> jobs(const activ::Swish& swish, const activ::GLU<activ::Swish>& swiglu_functor,
                         const activ::GLU<activ::Gelu>& geglu_functor) {
  using ArrayXX = typename Job<T>::ArrayXX;
  using RowMajor = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  return {
      {"gelu", [](const ArrayXX& x, ArrayXX& out) { out = activ::gelu(x); }},
      {"gelu_tanh", [](const ArrayXX& x, ArrayXX& out) { out = activ::gelu_tanh(x); }},
      {"sigmoid", [](const ArrayXX& x, ArrayXX& out) { out = activ::sigmoid(x); }},
      {"silu", [](const ArrayXX& x, ArrayXX& out) { out = activ::silu(x); }},
      {"swish", [](const ArrayXX& x, ArrayXX& out) { out = activ::swish(x, 1.702); }},
      {"relu", [](const ArrayXX& x, ArrayXX& out) { out = activ::relu(x); }},
      {"shared Swish functor", [&](const ArrayXX& x, ArrayXX& out) { out = x.unaryExpr(swish); }},
      {"geglu", [](const ArrayXX& x, ArrayXX& out) { out = activ::geglu(x); }},
      {"geglu gate_first",
       [](const ArrayXX& x, ArrayXX& out) { out = activ::geglu(x, activ::gate_first); }},
      {"swiglu interleaved",
       [](const ArrayXX& x, ArrayXX& out) { out = activ::swiglu(x, activ::interleaved, 1.702); }},
      {"swiglu_oai row-major",
       [](const ArrayXX& x, ArrayXX& out) {
         const RowMajor r = x;
         out = activ::swiglu_oai(r);
       }},
      {"glu two-input",
       [](const ArrayXX& x, ArrayXX& out) {
         const Index d = x.cols() / 2;
         out = activ::glu(x.leftCols(d), x.rightCols(d));
       }},
      {"shared GLU<Swish> functor",
       [&](const ArrayXX& x, ArrayXX& out) {
         const Index d = x.cols() / 2;
         out = x.leftCols(d).binaryExpr(x.rightCols(d), swiglu_functor);
       }},
      {"shared GLU<Gelu> functor",
       [&](const ArrayXX& x, ArrayXX& out) {
         const Index d = x.cols() / 2;
         out = x.rightCols(d).binaryExpr(x.leftCols(d), geglu_functor);
       }},
      {"geglu into()",
       [](const ArrayXX& x, ArrayXX& out) {
         out.resize(x.rows(), x.cols() / 2);
         activ::geglu.into(out, x, activ::interleaved);
       }},
  };
}

template <class T>
void element_wise_and_glu_from_threads() {
  using ArrayXX = typename Job<T>::ArrayXX;
  const ArrayXX x = inputs<T>(67, 2 * 45);
  const activ::Swish swish{1.702};
  const auto swiglu_functor = activ::swiglu.functor(1.702);
  const auto geglu_functor = activ::geglu.functor();
  const std::vector<Job<T>> all = jobs<T>(swish, swiglu_functor, geglu_functor);

  std::vector<ArrayXX> want(all.size());
  for (std::size_t j = 0; j < all.size(); ++j) all[j].run(x, want[j]);

  // Every thread runs every job, in a different order, kRounds times.
  std::vector<std::vector<ArrayXX>> got(kThreads, std::vector<ArrayXX>(all.size()));
  std::vector<std::size_t> mismatches(kThreads * all.size(), 0);
  run_concurrently([&](int t) {
    for (int round = 0; round < kRounds; ++round) {
      for (std::size_t i = 0; i < all.size(); ++i) {
        const std::size_t j = (i + std::size_t(t) * 5) % all.size();
        all[j].run(x, got[t][j]);
        mismatches[std::size_t(t) * all.size() + j] += count_mismatches(got[t][j], want[j]);
      }
    }
  });
  for (int t = 0; t < kThreads; ++t) {
    for (std::size_t j = 0; j < all.size(); ++j) {
      EXPECT_EQ(mismatches[std::size_t(t) * all.size() + j], 0u)
          << all[j].name << ", thread " << t << ": elements differ from the single-threaded run";
    }
  }
}

TEST(Concurrency, ElementWiseAndGluFromThreadsFloat) { element_wise_and_glu_from_threads<float>(); }
TEST(Concurrency, ElementWiseAndGluFromThreadsDouble) {
  element_wise_and_glu_from_threads<double>();
}

// The scalar operator() of shared functor objects, called from every thread at once.
template <class T>
void scalar_calls_on_shared_functors() {
  const std::vector<T> xs = hard_values<T>();
  const activ::Gelu gelu;
  const activ::GeluTanh gelu_tanh;
  const activ::Sigmoid sigmoid;
  const activ::Silu silu;
  const activ::Swish swish{0.5};
  const activ::Relu relu;
  const auto swiglu = activ::swiglu.functor(1.702);
  const auto oai = activ::swiglu_oai.functor();
  const auto all = [&](T x, T y, T* out) {
    out[0] = gelu(x);
    out[1] = gelu_tanh(x);
    out[2] = sigmoid(x);
    out[3] = silu(x);
    out[4] = swish(x);
    out[5] = relu(x);
    out[6] = swiglu(x, y);
    out[7] = oai(x, y);
  };
  constexpr std::size_t kPer = 8;
  std::vector<T> want(xs.size() * kPer);
  for (std::size_t i = 0; i < xs.size(); ++i) all(xs[i], xs[xs.size() - 1 - i], &want[i * kPer]);

  std::vector<std::vector<T>> got(kThreads, std::vector<T>(want.size()));
  run_concurrently([&](int t) {
    for (int round = 0; round < kRounds; ++round) {
      for (std::size_t i = 0; i < xs.size(); ++i)
        all(xs[i], xs[xs.size() - 1 - i], &got[t][i * kPer]);
    }
  });
  for (int t = 0; t < kThreads; ++t) {
    std::size_t n = 0;
    for (std::size_t k = 0; k < want.size(); ++k) n += !bit_identical(got[t][k], want[k]);
    EXPECT_EQ(n, 0u) << "thread " << t;
  }
}

TEST(Concurrency, ScalarCallsOnSharedFunctorsFloat) { scalar_calls_on_shared_functors<float>(); }
TEST(Concurrency, ScalarCallsOnSharedFunctorsDouble) { scalar_calls_on_shared_functors<double>(); }

// Tensor expressions on Eigen's ThreadPoolDevice: one pool of kThreads workers, and kThreads
// client threads that each evaluate every expression on it (so several device evaluations are in
// flight at once), with the device shared by all clients or one device per client.
TEST(Concurrency, TensorExpressionsOnAThreadPoolDevice) {
  using Tensor3 = Eigen::Tensor<float, 3, Eigen::RowMajor>;
  const auto x = inputs<float>(6 * 11, 2 * 53);
  Tensor3 h(6, 11, 2 * 53);
  for (Index k = 0; k < h.size(); ++k) h.data()[k] = x(k);
  using Tensor2d = Eigen::Tensor<double, 2, Eigen::RowMajor>;
  const Tensor2d hd = h.cast<double>().reshape(Eigen::array<Index, 2>{66, 106});
  const activ::Swish swish{1.702};

  // Single-threaded results, on the default device.
  const Tensor3 want_geglu = activ::geglu(h);
  const Tensor3 want_oai = activ::swiglu_oai(h, activ::value_first, 1.702, 7.0);
  const Tensor3 want_swiglu = activ::swiglu(h, activ::interleaved, 1.702);
  const Tensor3 want_swish = h.unaryExpr(swish);
  const Tensor2d want_gelu = activ::gelu(hd * 2.0);

  Eigen::ThreadPool pool(kThreads);
  const Eigen::ThreadPoolDevice shared_device(&pool, kThreads);
  std::vector<std::size_t> mismatches(kThreads, 0);
  run_concurrently([&](int t) {
    const Eigen::ThreadPoolDevice own_device(&pool, kThreads);
    const Eigen::ThreadPoolDevice& device = t % 2 == 0 ? shared_device : own_device;
    Tensor3 geglu(6, 11, 53), oai(6, 11, 53), swiglu(6, 11, 53), swish_out(6, 11, 2 * 53);
    Tensor2d gelu(66, 106);
    for (int round = 0; round < kRounds; ++round) {
      geglu.device(device) = activ::geglu(h);
      oai.device(device) = activ::swiglu_oai(h, activ::value_first, 1.702, 7.0);
      swiglu.device(device) = activ::swiglu(h, activ::interleaved, 1.702);
      swish_out.device(device) = h.unaryExpr(swish);
      gelu.device(device) = activ::gelu(hd * 2.0);
      mismatches[std::size_t(t)] +=
          count_mismatches(geglu, want_geglu) + count_mismatches(oai, want_oai) +
          count_mismatches(swiglu, want_swiglu) + count_mismatches(swish_out, want_swish) +
          count_mismatches(gelu, want_gelu);
    }
  });
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[std::size_t(t)], 0u) << "client " << t;
}

// The same through into(), which checks the destination's shape on the calling thread first.
TEST(Concurrency, TensorIntoOnAThreadPoolDevice) {
  const auto x = inputs<double>(9, 2 * 40);
  Eigen::Tensor<double, 2> h(9, 80);
  for (Index k = 0; k < h.size(); ++k) h.data()[k] = x(k);
  const Eigen::Tensor<double, 2> want = activ::geglu_tanh(h, activ::gate_first);
  Eigen::ThreadPool pool(2);
  const Eigen::ThreadPoolDevice device(&pool, 2);
  std::vector<std::size_t> mismatches(kThreads, 0);
  run_concurrently([&](int t) {
    Eigen::Tensor<double, 2> out(9, 40);
    for (int round = 0; round < kRounds; ++round) {
      auto on_device = out.device(device);
      activ::geglu_tanh.into(out, h, activ::gate_first);
      mismatches[std::size_t(t)] += count_mismatches(out, want);
      on_device = activ::geglu_tanh(h, activ::gate_first);
      mismatches[std::size_t(t)] += count_mismatches(out, want);
    }
  });
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[std::size_t(t)], 0u) << "client " << t;
}

}  // namespace
}  // namespace activ_test
