// The element-wise activations as the benchmarks time them, one struct per function: activ's
// call in both tiers (any Eigen array expression), the scalar reference in the lane type T, Eigen's
// built-in expression of the same formula, and the Eigen functor whose
// functor_traits<...>::PacketAccess decides whether that expression is vectorized.
#pragma once

#include "common.hpp"

#include <activ/activ.hpp>

#include <cmath>

namespace activ_bench {

struct Gelu {
  static constexpr const char* name = "gelu";
  template <class X>
  static auto lib(const X& x) {
    return activ::gelu(x);
  }
  template <class X>
  static auto fast(const X& x) {
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
  template <class X>
  static auto lib(const X& x) {
    return activ::gelu_tanh(x);
  }
  template <class X>
  static auto fast(const X& x) {
    return activ::fast::gelu_tanh(x);
  }
  template <class T>
  static T ref(T v) {
    return T(0.5) * v * (T(1) + std::tanh(T(kSqrt2OverPi) * (v + T(kGeluTanhCubic) * v * v * v)));
  }
  template <class T>
  static auto eigen(const Array<T>& x) {
    return T(0.5) * x * (T(1) + (T(kSqrt2OverPi) * (x + T(kGeluTanhCubic) * x.cube())).tanh());
  }
  template <class T>
  using EigenOp = Eigen::internal::scalar_tanh_op<T>;
};

struct Sigmoid {
  static constexpr const char* name = "sigmoid";
  template <class X>
  static auto lib(const X& x) {
    return activ::sigmoid(x);
  }
  template <class X>
  static auto fast(const X& x) {
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
  template <class X>
  static auto lib(const X& x) {
    return activ::silu(x);
  }
  template <class X>
  static auto fast(const X& x) {
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
  template <class X>
  static auto lib(const X& x) {
    return activ::swish(x, kSwishBeta);
  }
  template <class X>
  static auto fast(const X& x) {
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

}  // namespace activ_bench
