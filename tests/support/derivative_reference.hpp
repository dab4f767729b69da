// Independent references for the derivatives of the activations (test_derivatives.cpp). Nothing
// here calls activ.
//
//   gelu'(x)       = Φ(x) + x·φ(x),  Φ(x) = erfc(−x/√2)/2, φ(x) = e^(−x²/2)/√(2π)
//   gelu_tanh'(x)  = σ(z) + x·σ(z)·σ(−z)·(c1 + 3·c3·x²),  z = c1·x + c3·x³, c1 = 2·√(2/π),
//                    c3 = k·c1, k the double nearest 0.044715 (ref::kGeluTanhCubic)
//   sigmoid'(x)    = σ(x)·σ(−x)
//   swish'(x; β)   = σ(b)·(1 + b·σ(−b)),  b = β·x   (silu: β = 1)
//   ∂swish/∂β      = x²·σ(b)·σ(−b)
//   relu'(x)       = 1 for x > 0, 0 for x <= 0 (PyTorch's convention at 0)
//
// Each is evaluated in forms that do not cancel except at the zeros of the function itself:
// σ(b)·σ(−b) = e/(1 + e)² with e = e^−|b|, and swish' = e·(1 + e + b)/(1 + e)² for b < 0,
// (1 + e + b·e)/(1 + e)² for b >= 0. Two evaluations:
//  - closed:: the closed forms in double or long double; ld:: those in long double (x86: 64-bit
//           significand; aarch64: quad), the float references (rounded to float with round_to_float, MPFR at rounding ties), the finite
//           difference checks of double inputs and the bisection for the zeros;
//  - MpfrDerivatives: the same at kDerivativePrecision bits, rounded once to the lane type, the
//           float64 and 16-bit references and the tie-breaker of the float ones.
// Non-finite arguments give the limits of docs/design.md's table for the derivatives (NaN → NaN).
#pragma once

#include "support/reference.hpp"

#include <mpfr.h>

#include <cmath>
#include <limits>
#include <string>
#include <type_traits>

namespace activ_test {

static_assert(std::numeric_limits<long double>::digits >= 64,
              "the float references need a long double wider than double");

// The derivatives under test. swish and swish_beta take β; the others ignore it.
enum class Derivative { gelu, gelu_tanh, sigmoid, silu, swish, swish_beta, relu };

inline std::string derivative_base_name(Derivative d) {
  switch (d) {
    case Derivative::gelu: return "gelu";
    case Derivative::gelu_tanh: return "gelu_tanh";
    case Derivative::sigmoid: return "sigmoid";
    case Derivative::silu: return "silu";
    case Derivative::swish: return "swish";
    case Derivative::swish_beta: return "swish_beta";
    case Derivative::relu: return "relu";
  }
  return "?";
}

// The value at ±inf (x > 0: +inf) and NaN; the table of the derivatives (β > 0).
inline double derivative_limit(Derivative d, double x) {
  if (std::isnan(x)) return x;
  switch (d) {
    case Derivative::gelu:
    case Derivative::gelu_tanh:
    case Derivative::silu:
    case Derivative::swish: return x > 0 ? 1.0 : -0.0;  // → 0 from below at −inf
    case Derivative::sigmoid:
    case Derivative::swish_beta: return 0.0;
    case Derivative::relu: return x > 0 ? 1.0 : 0.0;
  }
  return x;
}

// The closed forms in a working precision R (double or long double): the float sweep evaluates
// them in double first and in long double only at rounding ties (round_to_float); everything else
// uses ld::. In double, against long double over every 331st float outside the neighbourhoods of
// the zeros, their relative error is below 2^-43 (the worst, 2^-43.1, at a neighbourhood's edge,
// where the sum cancels), inside round_to_float's 2^-40.
namespace closed {

template <class R>
inline constexpr R kSqrt2 = R(1.41421356237309504880168872420969808L);
template <class R>
inline constexpr R kInvSqrt2Pi = R(0.398942280401432677939946059934381868L);  // 1/√(2π)
template <class R>
inline constexpr R kC1 = R(2 * ref::kSqrt2OverPi);  // 2·√(2/π)

// σ(b)·σ(−b) = e/(1 + e)², e = e^−|b|.
template <class R>
R sigmoid_product(R b) {
  const R e = std::exp(-std::fabs(b));
  const R d = 1 + e;
  return e / (d * d);
}

// σ(b)·(1 + b·σ(−b)).
template <class R>
R silu_derivative_at(R b) {
  const R e = std::exp(-std::fabs(b));
  const R d = 1 + e;
  return (b < 0 ? e * (1 + e + b) : 1 + e + b * e) / (d * d);
}

template <class R>
R gelu(R x) {
  return std::erfc(-x / kSqrt2<R>) / 2 + x * std::exp(-x * x / 2) * kInvSqrt2Pi<R>;
}

template <class R>
R gelu_tanh(R x) {
  const R cubic = R(ref::kGeluTanhCubic);
  const R z = kC1<R> * (x + cubic * x * x * x);
  const R e = std::exp(-std::fabs(z));
  const R d = 1 + e;
  const R s = z >= 0 ? 1 / d : e / d;  // σ(z)
  return s + x * (e / (d * d)) * kC1<R> * (1 + 3 * cubic * x * x);
}

// The derivative d at x (finite or not) with parameter beta.
template <class R>
R derivative(Derivative d, R x, R beta) {
  if (!std::isfinite(x)) return R(derivative_limit(d, double(x)));
  switch (d) {
    case Derivative::gelu: return gelu(x);
    case Derivative::gelu_tanh: return gelu_tanh(x);
    case Derivative::sigmoid: return sigmoid_product(x);
    case Derivative::silu: return silu_derivative_at(x);
    case Derivative::swish: return silu_derivative_at(beta * x);
    case Derivative::swish_beta: return x * x * sigmoid_product(beta * x);
    case Derivative::relu: return x > 0 ? 1 : 0;
  }
  return x;
}

}  // namespace closed

namespace ld {

using LD = long double;

inline LD derivative(Derivative d, LD x, LD beta) { return closed::derivative<LD>(d, x, beta); }

// The forward functions in long double (ref::, support/reference.hpp): the finite differences of
// double inputs.
inline LD forward(Derivative d, LD x, LD beta) {
  switch (d) {
    case Derivative::gelu: return ref::gelu(x);
    case Derivative::gelu_tanh: return ref::gelu_tanh(x);
    case Derivative::sigmoid: return ref::sigmoid(x);
    case Derivative::silu: return ref::swish(x, LD(1));
    case Derivative::swish:
    case Derivative::swish_beta: return ref::swish(x, beta);
    case Derivative::relu: return x > 0 ? x : 0;
  }
  return x;
}

}  // namespace ld

// Working precision of the MPFR references. The worst amplifications of relative error: erfc for
// gelu' near x = −38.6 (2z² < 1500), the cancellation at a zero of the derivative (1/|x − x0| for
// the doubles nearest it, < 2^60): 256 bits leave > 190.
inline constexpr mpfr_prec_t kDerivativePrecision = 256;
// gelu' for |x| >= 2 takes erfc at 160 bits: there Φ(x) and x·φ(x) do not cancel (for x <= −2,
// Φ(x) < φ(x)/|x|, so |gelu'(x)| > 3·Φ(x)), and MPFR's erfc at 256 bits costs ~1 ms for
// 11 < z < 28 (the gelu' tail of the double sample), 8x its cost at 160 bits.
inline constexpr mpfr_prec_t kErfcTailPrecision = 160;

class MpfrDerivatives {
 public:
  MpfrDerivatives() : rounder_(kDerivativePrecision) {
    // The widest exponent range: e^(-x^2/2) for 16-bit inputs (|x| up to 65504) reaches
    // e^-2e9, below MPFR's default minimum exponent, where it would underflow to +0 and take
    // the sign of a negative derivative with it.
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_inits2(kDerivativePrecision, x_, b_, e_, d_, t_, u_, r_, c_,
                static_cast<mpfr_ptr>(nullptr));
    mpfr_init2(erfc_tail_, kErfcTailPrecision);
    mpfr_set_d(c_, ref::kGeluTanhCubic, MPFR_RNDN);  // exact: a double
  }
  ~MpfrDerivatives() {
    mpfr_clears(x_, b_, e_, d_, t_, u_, r_, c_, erfc_tail_, static_cast<mpfr_ptr>(nullptr));
    mpfr_free_cache();
  }
  MpfrDerivatives(const MpfrDerivatives&) = delete;
  MpfrDerivatives& operator=(const MpfrDerivatives&) = delete;

  // The derivative d at x with parameter beta (a value of the lane type: the caller rounds it),
  // correctly rounded to T (float, double, Eigen::bfloat16, Eigen::half) up to a tie at 256 bits.
  template <class T>
  T value(Derivative d, double x, double beta) {
    return scaled<T>(d, x, beta, nullptr);
  }

  // factor·f'(x) rounded once to T (factor: an exact MPFR value, or nullptr for 1): the GLU
  // backward pass's dgate = (dy·V(v))·Gate'(g) without rounding Gate'(g) first.
  template <class T>
  T scaled(Derivative d, double x, double beta, mpfr_srcptr factor) {
    if (!std::isfinite(x) || d == Derivative::relu) {
      const double limit =
          d == Derivative::relu && std::isfinite(x) ? (x > 0 ? 1.0 : 0.0) : derivative_limit(d, x);
      mpfr_set_d(r_, limit, MPFR_RNDN);
      return rounded<T>(factor);
    }
    // Below x = -64, gelu' and gelu_tanh' are negative and below e^-2000 in magnitude (under every
    // subnormal), but e^(-x^2/2) leaves even MPFR's widest exponent range for |x| > ~3e9 and
    // would come back as +0: the correctly rounded value is -0 (times the factor).
    if ((d == Derivative::gelu || d == Derivative::gelu_tanh) && x < -64) {
      mpfr_set_d(r_, -0.0, MPFR_RNDN);
      return rounded<T>(factor);
    }
    // Beyond x = 1, f'(x) = 1 - f'(-x) for the x·g(x) activations (gelu, gelu_tanh, silu,
    // swish); where f'(-x) lies below 2^-256 (gelu' beyond x = 26) 1 - f'(-x) rounds to 1 at any
    // working precision, and a product with 16-bit values can make 1 a 16-bit midpoint: the step
    // toward the exact value that toward_exact takes keeps the side it lies on.
    if (x > 1 && (d == Derivative::gelu || d == Derivative::gelu_tanh || d == Derivative::silu ||
                  d == Derivative::swish)) {
      evaluate(d, -x, beta);
      toward_exact(r_, mpfr_ui_sub(r_, 1, r_, MPFR_RNDN));
      return rounded<T>(factor);
    }
    evaluate(d, x, beta);
    return rounded<T>(factor);
  }

 private:
  // One step of r toward the exact value when `ternary` (MPFR's rounding direction of r) says r
  // is inexact: the result keeps the side of the exact value for any coarser rounding after it.
  static void toward_exact(mpfr_ptr r, int ternary) {
    if (ternary < 0) mpfr_nextabove(r);
    if (ternary > 0) mpfr_nextbelow(r);
  }

  // f'(x) into r_ (x finite).
  void evaluate(Derivative d, double x, double beta) {
    mpfr_set_d(x_, x, MPFR_RNDN);
    switch (d) {
      case Derivative::gelu: gelu_into(); break;
      case Derivative::gelu_tanh: gelu_tanh_into(); break;
      case Derivative::sigmoid:
        mpfr_set(b_, x_, MPFR_RNDN);
        sigmoid_product_into(r_);
        break;
      case Derivative::silu: swish_into(1.0); break;
      case Derivative::swish: swish_into(beta); break;
      case Derivative::swish_beta:
        mpfr_mul_d(b_, x_, beta, MPFR_RNDN);  // exact: 106 bits at most
        sigmoid_product_into(r_);
        mpfr_mul(r_, r_, x_, MPFR_RNDN);
        mpfr_mul(r_, r_, x_, MPFR_RNDN);
        break;
      case Derivative::relu: break;
    }
  }

  // r (times factor, if any) rounded once to T.
  template <class T>
  T rounded(mpfr_srcptr factor) {
    if (factor) mpfr_mul(r_, r_, factor, MPFR_RNDN);
    return rounder_.rounded<T>(r_);
  }

  // e = e^−|b|, d = 1 + e
  void exp_neg_abs_b() {
    mpfr_abs(e_, b_, MPFR_RNDN);
    mpfr_neg(e_, e_, MPFR_RNDN);
    mpfr_exp(e_, e_, MPFR_RNDN);
    mpfr_add_ui(d_, e_, 1, MPFR_RNDN);
  }

  // r = σ(b)·σ(−b) = e/d²
  void sigmoid_product_into(mpfr_ptr r) {
    exp_neg_abs_b();
    mpfr_sqr(t_, d_, MPFR_RNDN);
    mpfr_div(r, e_, t_, MPFR_RNDN);
  }

  // r = σ(b)·(1 + b·σ(−b)), b = β·x
  void swish_into(double beta) {
    mpfr_mul_d(b_, x_, beta, MPFR_RNDN);  // exact
    exp_neg_abs_b();
    if (mpfr_sgn(b_) < 0) {
      mpfr_add(t_, d_, b_, MPFR_RNDN);  // 1 + e + b: the zero of the derivative
      mpfr_mul(t_, t_, e_, MPFR_RNDN);
    } else {
      mpfr_mul(t_, b_, e_, MPFR_RNDN);
      mpfr_add(t_, t_, d_, MPFR_RNDN);  // 1 + e + b·e
    }
    mpfr_sqr(u_, d_, MPFR_RNDN);
    mpfr_div(r_, t_, u_, MPFR_RNDN);
  }

  // r = erfc(−x/√2)/2 + x·e^(−x²/2)/√(2π)
  void gelu_into() {
    mpfr_sqrt_ui(t_, 2, MPFR_RNDN);
    mpfr_div(t_, x_, t_, MPFR_RNDN);
    mpfr_neg(t_, t_, MPFR_RNDN);
    if (mpfr_cmpabs_ui(x_, 2) >= 0) {
      mpfr_erfc(erfc_tail_, t_, MPFR_RNDN);
      mpfr_div_2ui(r_, erfc_tail_, 1, MPFR_RNDN);  // Φ(x), exact
    } else {
      mpfr_erfc(r_, t_, MPFR_RNDN);
      mpfr_div_2ui(r_, r_, 1, MPFR_RNDN);  // Φ(x)
    }
    mpfr_sqr(t_, x_, MPFR_RNDN);
    mpfr_div_2ui(t_, t_, 1, MPFR_RNDN);
    mpfr_neg(t_, t_, MPFR_RNDN);
    mpfr_exp(t_, t_, MPFR_RNDN);
    mpfr_mul(t_, t_, x_, MPFR_RNDN);
    mpfr_const_pi(u_, MPFR_RNDN);
    mpfr_mul_2ui(u_, u_, 1, MPFR_RNDN);
    mpfr_sqrt(u_, u_, MPFR_RNDN);  // √(2π)
    mpfr_div(t_, t_, u_, MPFR_RNDN);
    mpfr_add(r_, r_, t_, MPFR_RNDN);
  }

  // r = σ(z) + x·σ(z)·σ(−z)·c1·(1 + 3k·x²), z = c1·(x + k·x³)
  void gelu_tanh_into() {
    mpfr_const_pi(u_, MPFR_RNDN);
    mpfr_ui_div(u_, 2, u_, MPFR_RNDN);
    mpfr_sqrt(u_, u_, MPFR_RNDN);
    mpfr_mul_2ui(u_, u_, 1, MPFR_RNDN);  // c1 = 2·√(2/π)
    mpfr_pow_ui(t_, x_, 3, MPFR_RNDN);
    mpfr_mul(t_, t_, c_, MPFR_RNDN);
    mpfr_add(t_, t_, x_, MPFR_RNDN);
    mpfr_mul(b_, t_, u_, MPFR_RNDN);  // z
    exp_neg_abs_b();
    // σ(z): 1/d for z >= 0, e/d for z < 0
    if (mpfr_sgn(b_) >= 0) {
      mpfr_ui_div(r_, 1, d_, MPFR_RNDN);
    } else {
      mpfr_div(r_, e_, d_, MPFR_RNDN);
    }
    mpfr_sqr(t_, x_, MPFR_RNDN);
    mpfr_mul(t_, t_, c_, MPFR_RNDN);
    mpfr_mul_ui(t_, t_, 3, MPFR_RNDN);
    mpfr_add_ui(t_, t_, 1, MPFR_RNDN);
    mpfr_mul(t_, t_, u_, MPFR_RNDN);  // c1·(1 + 3k·x²)
    mpfr_mul(t_, t_, x_, MPFR_RNDN);
    mpfr_mul(t_, t_, e_, MPFR_RNDN);
    mpfr_sqr(u_, d_, MPFR_RNDN);
    mpfr_div(t_, t_, u_, MPFR_RNDN);  // x·σ(z)·σ(−z)·(c1 + 3·c3·x²)
    mpfr_add(r_, r_, t_, MPFR_RNDN);
  }

  MpfrReference rounder_;  // rounded<T>, at this precision (its scratch registers)
  mpfr_t x_, b_, e_, d_, t_, u_, r_;
  mpfr_t c_;          // the double nearest 0.044715, exactly
  mpfr_t erfc_tail_;  // kErfcTailPrecision bits
};

// The calling thread's evaluator.
inline MpfrDerivatives& mpfr_derivatives() {
  thread_local MpfrDerivatives instance;
  return instance;
}

}  // namespace activ_test
