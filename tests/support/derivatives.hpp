// The derivatives under test as descriptors shared by test_derivatives and the float sweep
// (tests/sweep/activ_sweep.cpp): one per derivative, β and tier, with its functor, free
// functions, backward function and bound; and the zeros of f', found by bisection on the long
// double closed forms (support/derivative_reference.hpp), with the error unit around them.
#pragma once

#include "support/derivative_reference.hpp"
#include "support/sampling.hpp"

#include <activ/activ.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace activ_test {

// ---------------------------------------------------------------------------------------------
// The bounds, in ULPs (relu' is exact: 0). Inside a zero neighbourhood (|x - x0| <= kZeroRadius<T>)
// the same number bounds the absolute error in ULPs of the derivative at the neighbourhood's edge.

inline constexpr std::uint64_t kBoundFloatPrecise = 4;
inline constexpr std::uint64_t kBoundFloatFast = 8;
inline constexpr std::uint64_t kBoundDoublePrecise = 4;
inline constexpr std::uint64_t kBoundDoubleFast = 8;
// The radius: 2^-9 for float; 2^-7 for double, where the absolute error near the zeros is
// ~2^-60 (the rounding of R's coefficients for gelu', of the double-word exponential for the
// others), ~8 ULP of f' at 2^-9 from the zero and ~2 at 2^-7.
template <class T>
inline constexpr long double kZeroRadius = std::is_same_v<T, float> ? 0x1p-9L : 0x1p-7L;

// ---------------------------------------------------------------------------------------------
// The functions under test: one descriptor per derivative, β (swish, swish_beta: Milli / 1000)
// and tier.

template <Derivative K, int Milli = 1000, bool Fast = false>
struct D {
  static_assert(!(Fast && K == Derivative::relu), "relu has no fast tier");
  static constexpr Derivative kKind = K;
  static constexpr bool kFast = Fast;
  static constexpr bool kHasBeta = K == Derivative::swish || K == Derivative::swish_beta;
  static constexpr double kBeta = Milli / 1000.0;  // correctly rounded: a constant expression
  using Precise = D<K, Milli, false>;

  // "swish_beta_1p702": the name of the (precise) function, for caches and test names.
  static std::string base_name() {
    std::string s = derivative_base_name(K);
    if (kHasBeta) {
      s += "_" + std::to_string(Milli / 1000) + "p" + std::to_string(Milli % 1000);
      while (s.back() == '0') s.pop_back();
      if (s.back() == 'p') s.pop_back();
    }
    return s;
  }
  static std::string test_name() { return (Fast ? "fast_" : "") + base_name(); }
  // "fast::swish_derivative(beta=0.5)", for messages.
  static std::string label() {
    std::string s = (Fast ? "fast::" : "") + derivative_base_name(K) + "_derivative";
    if (kHasBeta) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "(beta=%g)", kBeta);
      s += buf;
    }
    return s;
  }
  // The name in backward's error messages.
  static std::string backward_name() {
    return std::string("activ::") + (Fast ? "fast::" : "") +
           (K == Derivative::swish_beta ? std::string("swish_backward_beta")
                                        : derivative_base_name(K) + "_backward");
  }

  // β as the lane type T holds it: float for float and the 16-bit types, which compute in float.
  template <class T>
  static double beta_at() {
    return std::is_same_v<T, double> ? kBeta : double(static_cast<float>(kBeta));
  }

  static auto functor() {
    if constexpr (Fast) {
      if constexpr (K == Derivative::gelu) {
        return activ::fast::GeluDerivative{};
      } else if constexpr (K == Derivative::gelu_tanh) {
        return activ::fast::GeluTanhDerivative{};
      } else if constexpr (K == Derivative::sigmoid) {
        return activ::fast::SigmoidDerivative{};
      } else if constexpr (K == Derivative::silu) {
        return activ::fast::SiluDerivative{};
      } else if constexpr (K == Derivative::swish) {
        return activ::fast::SwishDerivative{kBeta};
      } else {
        return activ::fast::SwishBetaDerivative{kBeta};
      }
    } else {
      if constexpr (K == Derivative::gelu) {
        return activ::GeluDerivative{};
      } else if constexpr (K == Derivative::gelu_tanh) {
        return activ::GeluTanhDerivative{};
      } else if constexpr (K == Derivative::sigmoid) {
        return activ::SigmoidDerivative{};
      } else if constexpr (K == Derivative::silu) {
        return activ::SiluDerivative{};
      } else if constexpr (K == Derivative::swish) {
        return activ::SwishDerivative{kBeta};
      } else if constexpr (K == Derivative::swish_beta) {
        return activ::SwishBetaDerivative{kBeta};
      } else {
        return activ::ReluDerivative{};
      }
    }
  }

  // The free function (∂swish/∂β has none: unaryExpr with its functor).
  template <class X>
  static auto derivative(const X& x) {
    if constexpr (K == Derivative::swish_beta) {
      return x.unaryExpr(functor());
    } else if constexpr (Fast) {
      if constexpr (K == Derivative::gelu) {
        return activ::fast::gelu_derivative(x);
      } else if constexpr (K == Derivative::gelu_tanh) {
        return activ::fast::gelu_tanh_derivative(x);
      } else if constexpr (K == Derivative::sigmoid) {
        return activ::fast::sigmoid_derivative(x);
      } else if constexpr (K == Derivative::silu) {
        return activ::fast::silu_derivative(x);
      } else {
        return activ::fast::swish_derivative(x, kBeta);
      }
    } else {
      if constexpr (K == Derivative::gelu) {
        return activ::gelu_derivative(x);
      } else if constexpr (K == Derivative::gelu_tanh) {
        return activ::gelu_tanh_derivative(x);
      } else if constexpr (K == Derivative::sigmoid) {
        return activ::sigmoid_derivative(x);
      } else if constexpr (K == Derivative::silu) {
        return activ::silu_derivative(x);
      } else if constexpr (K == Derivative::swish) {
        return activ::swish_derivative(x, kBeta);
      } else {
        return activ::relu_derivative(x);
      }
    }
  }

  template <class Y, class X>
  static auto backward(const Y& dy, const X& x) {
    if constexpr (Fast) {
      if constexpr (K == Derivative::gelu) {
        return activ::fast::gelu_backward(dy, x);
      } else if constexpr (K == Derivative::gelu_tanh) {
        return activ::fast::gelu_tanh_backward(dy, x);
      } else if constexpr (K == Derivative::sigmoid) {
        return activ::fast::sigmoid_backward(dy, x);
      } else if constexpr (K == Derivative::silu) {
        return activ::fast::silu_backward(dy, x);
      } else if constexpr (K == Derivative::swish) {
        return activ::fast::swish_backward(dy, x, kBeta);
      } else {
        return activ::fast::swish_backward_beta(dy, x, kBeta);
      }
    } else {
      if constexpr (K == Derivative::gelu) {
        return activ::gelu_backward(dy, x);
      } else if constexpr (K == Derivative::gelu_tanh) {
        return activ::gelu_tanh_backward(dy, x);
      } else if constexpr (K == Derivative::sigmoid) {
        return activ::sigmoid_backward(dy, x);
      } else if constexpr (K == Derivative::silu) {
        return activ::silu_backward(dy, x);
      } else if constexpr (K == Derivative::swish) {
        return activ::swish_backward(dy, x, kBeta);
      } else if constexpr (K == Derivative::swish_beta) {
        return activ::swish_backward_beta(dy, x, kBeta);
      } else {
        return activ::relu_backward(dy, x);
      }
    }
  }

  // activ's forward function of the same tier on one double, with parameter beta (swish, and
  // the variable of ∂swish/∂β).
  static double forward(double x, double beta) {
    if constexpr (K == Derivative::gelu) {
      return Fast ? activ::fast::Gelu{}(x) : activ::Gelu{}(x);
    } else if constexpr (K == Derivative::gelu_tanh) {
      return Fast ? activ::fast::GeluTanh{}(x) : activ::GeluTanh{}(x);
    } else if constexpr (K == Derivative::sigmoid) {
      return Fast ? activ::fast::Sigmoid{}(x) : activ::Sigmoid{}(x);
    } else if constexpr (K == Derivative::silu) {
      return Fast ? activ::fast::Silu{}(x) : activ::Silu{}(x);
    } else if constexpr (K == Derivative::relu) {
      return activ::Relu{}(x);
    } else {
      return Fast ? activ::fast::Swish{beta}(x) : activ::Swish{beta}(x);
    }
  }
};

template <Derivative K, int Milli = 1000>
using FastD = D<K, Milli, true>;

template <class Dn, class T>
constexpr std::uint64_t derivative_bound() {
  if constexpr (Dn::kKind == Derivative::relu) {
    return 0;
  } else if constexpr (std::is_same_v<T, float>) {
    return Dn::kFast ? kBoundFloatFast : kBoundFloatPrecise;
  } else {
    return Dn::kFast ? kBoundDoubleFast : kBoundDoublePrecise;
  }
}

// ---------------------------------------------------------------------------------------------
// The zeros of f' (gelu', gelu_tanh', silu', swish'), found by bisection on the long double
// closed forms, and the error unit around them.

// The ULP of T at |v| (subnormal spacing below the normal range).
template <class T>
long double ulp_of(long double v) {
  using L = std::numeric_limits<T>;
  const T t = static_cast<T>(std::fabs(v));
  if (!std::isfinite(t)) return std::ldexp(1.0L, L::max_exponent - L::digits);
  const int e = t == T(0) ? L::min_exponent - 1 : std::max(std::ilogb(t), L::min_exponent - 1);
  return std::ldexp(1.0L, e - (L::digits - 1));
}

struct ZeroNeighbourhood {
  long double x0;  // f'(x0) = 0
  long double radius;
  long double unit;  // ULP of min(|f'(x0 - radius)|, |f'(x0 + radius)|) in T
  bool contains(long double x) const { return std::fabs(x - x0) <= radius; }
};

// The zero of Derivative d (β the lane's) in T's terms, if it has one.
inline std::optional<long double> zero_of(Derivative d, long double beta) {
  long double lo = 0, hi = 0;  // f'(lo) < 0 < f'(hi)
  switch (d) {
    case Derivative::gelu:
    case Derivative::gelu_tanh:
      lo = -1;
      hi = -0.5L;
      break;
    case Derivative::silu:
      lo = -2;
      hi = -1;
      break;
    case Derivative::swish:
      lo = -2 / beta;
      hi = -1 / beta;
      break;
    default: return std::nullopt;
  }
  for (int i = 0; i < 200; ++i) {
    const long double mid = lo + (hi - lo) / 2;
    if (mid == lo || mid == hi) break;
    (ld::derivative(d, mid, beta) < 0 ? lo : hi) = mid;
  }
  return lo;
}

template <class Dn, class T>
std::optional<ZeroNeighbourhood> zero_neighbourhood() {
  const long double beta = Dn::template beta_at<T>();
  const auto x0 = zero_of(Dn::kKind, beta);
  if (!x0) return std::nullopt;
  // swish'(x; beta) is silu'(beta x): its neighbourhood is silu''s in beta x.
  const long double r = Dn::kKind == Derivative::swish ? kZeroRadius<T> / beta : kZeroRadius<T>;
  const long double left = std::fabs(ld::derivative(Dn::kKind, *x0 - r, beta));
  const long double right = std::fabs(ld::derivative(Dn::kKind, *x0 + r, beta));
  return ZeroNeighbourhood{*x0, r, ulp_of<T>(std::min(left, right))};
}

// Every zero of the functions under test at lane type T (the samples hold them all).
template <class T>
std::vector<long double> all_zeros() {
  std::vector<long double> out;
  for (Derivative d : {Derivative::gelu, Derivative::gelu_tanh, Derivative::silu})
    out.push_back(*zero_of(d, 1));
  for (double beta : {0.5, 1.702, 2.0}) {
    const long double b = std::is_same_v<T, float> ? double(static_cast<float>(beta)) : beta;
    out.push_back(*zero_of(Derivative::swish, b));
  }
  return out;
}

// n inputs in x0 ± 0.01, n more at distances log-uniform in [2^-16, 2^-5) (each binade of the
// distance alike, both sides), and the `each_side` values of T nearest x0 on each side.
template <class T>
void append_zero_neighbourhood(std::vector<T>& out, long double x0, std::size_t n, int each_side,
                               std::mt19937_64& rng) {
  append_dense<T>(out, double(x0 - 0.01L), double(x0 + 0.01L), n, rng);
  std::uniform_real_distribution<long double> exponent(-16, -5);
  for (std::size_t i = 0; i < n; ++i) {
    const long double d = std::exp2(exponent(rng));
    out.push_back(static_cast<T>(i % 2 ? x0 + d : x0 - d));
  }
  T below = static_cast<T>(x0), above = below;
  for (int i = 0; i < each_side; ++i) {
    out.push_back(below);
    out.push_back(above = std::nextafter(above, T(0)));  // toward 0: x0 < 0
    below = std::nextafter(below, -std::numeric_limits<T>::infinity());
  }
}

}  // namespace activ_test
