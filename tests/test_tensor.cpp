// <activ/tensor.hpp>: the GLU family on rank-N Eigen tensors of either layout splits the LAST
// dimension in the three layouts and the two-input form, bit-identical to the GLU functor applied
// pair by pair; tensor expressions evaluate on Eigen's ThreadPoolDevice; into() and the errors
// behave as for matrices; the element-wise activations accept tensors too.
#define EIGEN_USE_THREADS
#include <activ/tensor.hpp>

#include "support/errors.hpp"
#include "support/isa_guard.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <stdexcept>
#include <string>

namespace activ_test {
namespace {

using Eigen::Index;

// Calls body(index) for every multi-index of `dims` (an std::array).
template <std::size_t N, class Body>
void for_each_index(const std::array<Index, N>& dims, Body body) {
  Index total = 1;
  for (Index d : dims) total *= d;
  std::array<Index, N> idx{};
  for (Index linear = 0; linear < total; ++linear) {
    Index rest = linear;
    for (std::size_t k = 0; k < N; ++k) {
      idx[k] = rest % dims[k];
      rest /= dims[k];
    }
    body(idx);
  }
}

template <class T>
T draw(std::mt19937_64& rng) {
  if (rng() % 23 == 0) return std::numeric_limits<T>::infinity();
  return static_cast<T>((double(rng() >> 11) * 0x1p-53 - 0.5) * 16.0);
}

// value and gate tensors of shape [..., d], and the fused [..., 2d] tensor of each layout, built
// index by index (independently of activ's slicing).
template <class T, int N, int Options>
struct TensorCase {
  using Tensor = Eigen::Tensor<T, N, Options>;
  Tensor value, gate, value_first, gate_first, interleaved;

  TensorCase(const std::array<Index, N>& half_dims, std::mt19937_64& rng)
      : value(half_dims), gate(half_dims) {
    std::array<Index, N> full = half_dims;
    const Index d = half_dims[N - 1];
    full[N - 1] = 2 * d;
    value_first = Tensor(full);
    gate_first = Tensor(full);
    interleaved = Tensor(full);
    for_each_index(half_dims, [&](std::array<Index, N> i) {
      const T v = draw<T>(rng), g = draw<T>(rng);
      value(i) = v;
      gate(i) = g;
      const Index j = i[N - 1];
      i[N - 1] = j;
      value_first(i) = v;
      gate_first(i) = g;
      i[N - 1] = j + d;
      value_first(i) = g;
      gate_first(i) = v;
      i[N - 1] = 2 * j;
      interleaved(i) = g;
      i[N - 1] = 2 * j + 1;
      interleaved(i) = v;
    });
  }

  // out(i) == functor(value(i), gate(i)) bit for bit, for every index of the half shape.
  template <class Out, class Functor>
  ::testing::AssertionResult matches(const Out& out, const Functor& functor) const {
    std::array<Index, N> dims;
    for (int k = 0; k < N; ++k) dims[std::size_t(k)] = value.dimension(k);
    for (int k = 0; k < N; ++k) {
      if (out.dimension(k) != dims[std::size_t(k)]) {
        return ::testing::AssertionFailure() << "dimension " << k << " is " << out.dimension(k);
      }
    }
    ::testing::AssertionResult result = ::testing::AssertionSuccess();
    for_each_index(dims, [&](const std::array<Index, N>& i) {
      const T want = functor(value(i), gate(i));
      if (result && !same_result(out(i), want)) {
        result = ::testing::AssertionFailure()
                 << "at last index " << i[N - 1] << ": " << out(i) << " vs " << want;
      }
    });
    return result;
  }
};

template <class T, int N, int Options, class Variant, class Functor>
void check_layouts(const std::array<Index, N>& half_dims, const Variant& f, const Functor& functor,
                   const std::string& what, bool default_is_interleaved = false) {
  std::mt19937_64 rng(0x7e45u + N);
  const TensorCase<T, N, Options> c(half_dims, rng);
  using Tensor = Eigen::Tensor<T, N, Options>;
  Tensor out;
  out = f(default_is_interleaved ? c.interleaved : c.value_first);
  EXPECT_TRUE(c.matches(out, functor)) << what << " default layout";
  out = f(c.value_first, activ::value_first);
  EXPECT_TRUE(c.matches(out, functor)) << what << " value_first";
  out = f(c.gate_first, activ::gate_first);
  EXPECT_TRUE(c.matches(out, functor)) << what << " gate_first";
  out = f(c.interleaved, activ::interleaved);
  EXPECT_TRUE(c.matches(out, functor)) << what << " interleaved";
  out = f(c.value, c.gate);
  EXPECT_TRUE(c.matches(out, functor)) << what << " two-input";
  // A TensorMap over the same storage, and an expression without storage.
  const Eigen::TensorMap<const Tensor> map(c.interleaved.data(), c.interleaved.dimensions());
  out = f(map, activ::interleaved);
  EXPECT_TRUE(c.matches(out, functor)) << what << " TensorMap interleaved";
  out = f(c.gate_first * T(1), activ::gate_first);
  EXPECT_TRUE(c.matches(out, functor)) << what << " expression gate_first";
  // into(): a preallocated output of the right shape.
  Tensor pre(c.value.dimensions());
  f.into(pre, c.value_first, activ::value_first);
  EXPECT_TRUE(c.matches(pre, functor)) << what << " into";
}

template <class T, int Options>
void check_every_rank() {
  const char* order = Options == Eigen::RowMajor ? "row-major" : "col-major";
  const std::string type = std::is_same_v<T, float> ? " float " : " double ";
  const activ::GLU<activ::Gelu> geglu_scalar{};
  check_layouts<T, 1, Options>({33}, activ::geglu, geglu_scalar, "rank 1" + type + order);
  check_layouts<T, 2, Options>({5, 17}, activ::geglu, geglu_scalar, "rank 2" + type + order);
  check_layouts<T, 3, Options>({3, 4, 9}, activ::geglu, geglu_scalar, "rank 3" + type + order);
  check_layouts<T, 4, Options>({2, 3, 2, 16}, activ::geglu, geglu_scalar, "rank 4" + type + order);
  check_layouts<T, 3, Options>({2, 5, 1}, activ::geglu, geglu_scalar, "d = 1" + type + order);
  const auto oai_scalar = activ::swiglu_oai.functor();
  check_layouts<T, 3, Options>({3, 4, 21}, activ::swiglu_oai, oai_scalar,
                               "swiglu_oai" + type + order, true);
  check_layouts<T, 2, Options>({7, 10}, activ::glu, activ::GLU<activ::Sigmoid>{},
                               "glu" + type + order);
}

TEST(TensorGlu, EveryRankLayoutAndFormFloat) {
  check_every_rank<float, Eigen::ColMajor>();
  check_every_rank<float, Eigen::RowMajor>();
}

TEST(TensorGlu, EveryRankLayoutAndFormDouble) {
  check_every_rank<double, Eigen::ColMajor>();
  check_every_rank<double, Eigen::RowMajor>();
}

TEST(TensorGlu, SameBitsAsTheDenseForm) {
  // A rank-2 row-major tensor is a row-major matrix with the same last dimension.
  std::mt19937_64 rng(5);
  Eigen::Tensor<float, 2, Eigen::RowMajor> t(6, 42);
  for (Index k = 0; k < t.size(); ++k) t.data()[k] = draw<float>(rng);
  const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> m(
      t.data(), 6, 42);
  const Eigen::Tensor<float, 2, Eigen::RowMajor> out = activ::geglu(t, activ::interleaved);
  const Eigen::MatrixXf want = activ::geglu(m, activ::interleaved);
  for (Index i = 0; i < 6; ++i)
    for (Index j = 0; j < 21; ++j)
      EXPECT_TRUE(same_result(out(i, j), want(i, j))) << i << ", " << j;
}

TEST(TensorGlu, ThreadPoolDeviceWithTwoThreadsGivesTheSameBits) {
  Eigen::ThreadPool pool(2);
  const Eigen::ThreadPoolDevice device(&pool, 2);
  std::mt19937_64 rng(9);
  for (int layout = 0; layout < 3; ++layout) {
    Eigen::Tensor<float, 3> h(8, 64, 2 * 257);
    for (Index k = 0; k < h.size(); ++k) h.data()[k] = draw<float>(rng);
    Eigen::Tensor<float, 3> one(8, 64, 257), two(8, 64, 257);
    if (layout == 0) {
      one = activ::geglu(h);
      two.device(device) = activ::geglu(h);
    } else if (layout == 1) {
      one = activ::swiglu(h, activ::gate_first);
      two.device(device) = activ::swiglu(h, activ::gate_first);
    } else {
      one = activ::swiglu_oai(h);
      two.device(device) = activ::swiglu_oai(h);
    }
    for (Index k = 0; k < one.size(); ++k) {
      ASSERT_TRUE(same_result(one.data()[k], two.data()[k]))
          << "layout " << layout << " element " << k;
    }
  }
}

TEST(TensorGlu, InPlaceIntoTheValueHalf) {
  std::mt19937_64 rng(3);
  Eigen::Tensor<float, 3> h(4, 5, 2 * 13);
  for (Index k = 0; k < h.size(); ++k) h.data()[k] = draw<float>(rng);
  const Eigen::Tensor<float, 3> want = activ::geglu(h);
  const Eigen::array<Index, 3> start{0, 0, 0}, extent{4, 5, 13};
  h.slice(start, extent) = activ::geglu(h);
  const Eigen::Tensor<float, 3> got = h.slice(start, extent);
  for (Index k = 0; k < want.size(); ++k)
    EXPECT_TRUE(same_result(got.data()[k], want.data()[k])) << k;
}

TEST(TensorGlu, ErrorsNameTheFunctionAndTheShapes) {
  const Eigen::Tensor<float, 3> odd(2, 3, 7);
  const std::string odd_message =
      "activ::geglu: input has 7 elements in its last dimension (shape [2, 3, 7]); the last "
      "dimension must be even (2*d)";
  expect_error([&] { (void)activ::geglu(odd); }, odd_message);
  expect_error([&] { (void)activ::geglu(odd, activ::interleaved); }, odd_message);
  expect_error([&] { (void)activ::geglu(odd * 2.0f, activ::gate_first); }, odd_message);
  const Eigen::Tensor<float, 3, Eigen::RowMajor> odd_row(4, 1, 3);
  expect_error(
      [&] { (void)activ::swiglu_oai(odd_row); },
      "activ::swiglu_oai: input has 3 elements in its last dimension (shape [4, 1, 3]); the "
      "last dimension must be even (2*d)");

  const Eigen::Tensor<float, 2> a(3, 4), b(4, 3);
  expect_error(
      [&] { (void)activ::swiglu(a, b); },
      "activ::swiglu: value is [3, 4] but gate is [4, 3]; the two inputs must have the same shape");

  const Eigen::Tensor<float, 3> h(2, 3, 8);
  Eigen::Tensor<float, 3> wrong(2, 3, 3);
  expect_error(
      [&] { activ::geglu.into(wrong, h); },
      "activ::geglu: destination is [2, 3, 3] but the result is [2, 3, 4]; into() writes in "
      "place and never resizes");
  EXPECT_EQ(wrong.dimension(2), 3);
}

TEST(TensorElementwise, ActivationsAcceptTensors) {
  std::mt19937_64 rng(4);
  Eigen::Tensor<double, 2, Eigen::RowMajor> x(7, 9);
  for (Index k = 0; k < x.size(); ++k) x.data()[k] = draw<double>(rng);
  const auto check = [&](const Eigen::Tensor<double, 2, Eigen::RowMajor>& got, auto functor,
                         const char* name) {
    for (Index k = 0; k < x.size(); ++k) {
      EXPECT_TRUE(same_result(got.data()[k], functor(x.data()[k]))) << name << " element " << k;
    }
  };
  check(activ::gelu(x), activ::Gelu{}, "gelu");
  check(activ::gelu_tanh(x), activ::GeluTanh{}, "gelu_tanh");
  check(activ::sigmoid(x), activ::Sigmoid{}, "sigmoid");
  check(activ::silu(x), activ::Silu{}, "silu");
  check(activ::swish(x, 1.702), activ::Swish{1.702}, "swish");
  check(activ::relu(x), activ::Relu{}, "relu");
  // Composable: the activation of a tensor expression, on the thread pool.
  Eigen::ThreadPool pool(2);
  const Eigen::ThreadPoolDevice device(&pool, 2);
  Eigen::Tensor<double, 2, Eigen::RowMajor> y(7, 9);
  y.device(device) = activ::gelu(x * 2.0);
  for (Index k = 0; k < x.size(); ++k)
    EXPECT_TRUE(same_result(y.data()[k], activ::Gelu{}(2.0 * x.data()[k])));
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
