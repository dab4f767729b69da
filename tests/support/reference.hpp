// Independent references for the accuracy promises of docs/design.md §4. Nothing here calls activ.
//
// float results are checked against the function evaluated in double with libm (ref::*), then
// rounded to float once (round_to_float: where the double value lies too close to a float rounding
// boundary for its own error, MPFR settles the direction, so the float reference is the correctly
// rounded value). double results are checked against MPFR at kMpfrPrecision bits, rounded to
// double once (MPFR_RNDN). Both evaluate the definitions of docs/design.md §1 in forms that do not
// cancel: gelu through erfc, gelu_tanh as x·σ(2u) rather than ½x(1 + tanh u), σ through e^x for
// x < 0. At ±inf the references return the limits of the definitions (docs/design.md §3); NaN stays NaN.
#pragma once

#include <mpfr.h>

#include <Eigen/Core>  // Eigen::bfloat16, Eigen::half

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace activ_test {

// Non-finite arguments: the limit of the function as x → ±inf, or NaN. `at_plus_inf` is what the
// function tends to at +inf (+inf for gelu/swish, 1 for sigmoid); all of them tend to zero at
// −inf, from below for x·(...) forms and from above for sigmoid.
inline double non_finite_limit(double x, double at_plus_inf, bool negative_zero_at_minus_inf) {
  if (std::isnan(x)) return x;
  if (x > 0) return at_plus_inf;
  return negative_zero_at_minus_inf ? -0.0 : 0.0;
}

namespace ref {

// sqrt(2/pi) and the cubic coefficient of the tanh approximation (Hendrycks & Gimpel 2016): the
// double nearest to 0.044715, as frameworks evaluate it (docs/design.md §1).
inline constexpr long double kSqrt2OverPi = 0.797884560802865355879892119868763737L;
inline constexpr long double kGeluTanhCubic = 0.044715;  // a double literal, on purpose

// Each function is evaluated in R: double for the float references, long double (x86: 64-bit
// significand) where a double check over a moderate range can do without MPFR.

// 1/(1 + e^-x) for x >= 0, e^x/(1 + e^x) for x < 0: neither form overflows or cancels.
template <class R>
R sigmoid(R x) {
  if (x >= 0) return 1 / (1 + std::exp(-x));
  const R e = std::exp(x);  // also the NaN path: exp(NaN) is NaN
  return e / (1 + e);
}

// x·σ(βx); β > 0. For a float argument and a float β, βx is exact in double.
template <class R>
R swish(R x, R beta) {
  if (!std::isfinite(x)) return R(non_finite_limit(double(x), double(x), true));
  return x * sigmoid(beta * x);
}

// ½·x·erfc(−x/√2): erfc does not cancel for x ≪ 0, where Φ(x) is tiny.
template <class R>
R gelu(R x) {
  if (!std::isfinite(x)) return R(non_finite_limit(double(x), double(x), true));
  return x / 2 * std::erfc(-x / std::sqrt(R(2)));
}

// x·σ(2·√(2/π)·(x + 0.044715·x³)), identical to ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
template <class R>
R gelu_tanh(R x) {
  if (!std::isfinite(x)) return R(non_finite_limit(double(x), double(x), true));
  return x * sigmoid(2 * R(kSqrt2OverPi) * (x + R(kGeluTanhCubic) * x * x * x));
}

}  // namespace ref

// Working precision of the double references: 160 bits leaves > 100 bits after the worst
// amplification (erfc near x = −38.5 multiplies relative error by 2z² < 1500).
inline constexpr mpfr_prec_t kMpfrPrecision = 160;

// MPFR evaluation of the same definitions, correctly rounded to double up to a tie at 160 bits.
// One instance per thread (see mpfr_reference()); the members are scratch registers.
class MpfrReference {
 public:
  // `precision`: the working precision of every step (the double sweep evaluates at a lower one
  // first and checks that the rounding is decided, tests/sweep/activ_sweep_double.cpp).
  explicit MpfrReference(mpfr_prec_t precision = kMpfrPrecision) {
    mpfr_inits2(precision, x_, t_, u_, r_, cubic_, static_cast<mpfr_ptr>(nullptr));
    mpfr_set_ld(cubic_, ref::kGeluTanhCubic, MPFR_RNDN);  // exact: a double
  }
  ~MpfrReference() {
    mpfr_clears(x_, t_, u_, r_, cubic_, static_cast<mpfr_ptr>(nullptr));
    mpfr_free_cache();  // this thread's cached constants (π)
  }
  MpfrReference(const MpfrReference&) = delete;
  MpfrReference& operator=(const MpfrReference&) = delete;

  template <class T = double>
  T sigmoid(double x) {
    if (!std::isfinite(x)) return T(non_finite_limit(x, 1.0, false));
    mpfr_set_d(x_, x, MPFR_RNDN);
    sigmoid_into(r_, x_);
    return rounded<T>(r_);
  }

  template <class T = double>
  T swish(double x, double beta) {
    if (!std::isfinite(x)) return T(non_finite_limit(x, x, true));
    mpfr_set_d(x_, x, MPFR_RNDN);
    swish_into(r_, x_, beta);
    return rounded<T>(r_);
  }

  template <class T = double>
  T gelu(double x) {
    if (!std::isfinite(x)) return T(non_finite_limit(x, x, true));
    mpfr_set_d(x_, x, MPFR_RNDN);
    gelu_into(r_, x_);
    return rounded<T>(r_);
  }

  template <class T = double>
  T gelu_tanh(double x) {
    if (!std::isfinite(x)) return T(non_finite_limit(x, x, true));
    mpfr_set_d(x_, x, MPFR_RNDN);
    gelu_tanh_into(r_, x_);
    return rounded<T>(r_);
  }

  // The definitions on MPFR operands, for finite x, into r: r has at least this object's precision
  // and is not x; both are the caller's registers, not this object's. Each step rounds to nearest.

  // r = 1/(1 + e^−a); at this precision and exponent range neither form needs a split.
  void sigmoid_into(mpfr_ptr r, mpfr_srcptr a) {
    mpfr_neg(u_, a, MPFR_RNDN);
    mpfr_exp(u_, u_, MPFR_RNDN);
    mpfr_add_ui(u_, u_, 1, MPFR_RNDN);
    mpfr_ui_div(r, 1, u_, MPFR_RNDN);
  }

  // r = x·σ(β·x)
  void swish_into(mpfr_ptr r, mpfr_srcptr x, double beta) {
    mpfr_mul_d(t_, x, beta, MPFR_RNDN);  // exact for double x and beta at >= 106 bits
    sigmoid_into(r, t_);
    mpfr_mul(r, r, x, MPFR_RNDN);
  }

  // r = ½·x·erfc(−x/√2)
  void gelu_into(mpfr_ptr r, mpfr_srcptr x) {
    mpfr_sqrt_ui(t_, 2, MPFR_RNDN);
    mpfr_div(t_, x, t_, MPFR_RNDN);
    mpfr_neg(t_, t_, MPFR_RNDN);
    mpfr_erfc(r, t_, MPFR_RNDN);
    mpfr_mul(r, r, x, MPFR_RNDN);
    mpfr_div_2ui(r, r, 1, MPFR_RNDN);
  }

  // r = x·σ(2·√(2/π)·(x + 0.044715·x³))
  void gelu_tanh_into(mpfr_ptr r, mpfr_srcptr x) {
    mpfr_pow_ui(t_, x, 3, MPFR_RNDN);
    mpfr_mul(t_, t_, cubic_, MPFR_RNDN);
    mpfr_add(t_, t_, x, MPFR_RNDN);  // x + 0.044715·x³
    mpfr_const_pi(u_, MPFR_RNDN);
    mpfr_ui_div(u_, 2, u_, MPFR_RNDN);
    mpfr_sqrt(u_, u_, MPFR_RNDN);  // √(2/π)
    mpfr_mul(t_, t_, u_, MPFR_RNDN);
    mpfr_mul_2ui(t_, t_, 1, MPFR_RNDN);
    sigmoid_into(r, t_);
    mpfr_mul(r, r, x, MPFR_RNDN);
  }

  // r rounded once to T. mpfr_get_flt and mpfr_get_d round correctly into the subnormal range as
  // well; a 16-bit type goes through rounded16.
  template <class T>
  T rounded(const mpfr_t r, int tie_direction = 0) {
    if constexpr (std::is_same_v<T, float>) {
      return mpfr_get_flt(r, MPFR_RNDN);
    } else if constexpr (std::is_same_v<T, double>) {
      return mpfr_get_d(r, MPFR_RNDN);
    } else {
      return rounded16<T>(r, tie_direction);
    }
  }

  // r rounded to nearest even in a 16-bit format T (Eigen::bfloat16, Eigen::half) with
  // numeric_limits<T>::digits significand bits: r scaled by 2^-q, rounded to an integer (MPFR_RNDN
  // is ties to even) and scaled back, q the exponent of T's ULP in r's binade, or of its smallest
  // subnormal below the normal range; beyond T's largest finite value, ±inf. tie_direction (±1)
  // says on which side of r the exact value lies where r itself is a midpoint of T (a value r's
  // precision could not separate from one); 0: r is exact, ties go to even.
  template <class T>
  T rounded16(const mpfr_t r, int tie_direction) {
    using L = std::numeric_limits<T>;
    if (mpfr_zero_p(r)) return T(mpfr_signbit(r) ? -0.0f : 0.0f);
    if (mpfr_nan_p(r)) return T(std::numeric_limits<float>::quiet_NaN());
    if (mpfr_inf_p(r)) return T(mpfr_signbit(r) ? -HUGE_VALF : HUGE_VALF);
    const long subnormal_quantum = std::ilogb(double(L::denorm_min()));
    // r is in [2^(e-1), 2^e), e = mpfr_get_exp(r)
    const long q = std::max(long(mpfr_get_exp(r)) - L::digits, subnormal_quantum);
    mpfr_mul_2si(t_, r, -q, MPFR_RNDN);  // exact
    const mpfr_rnd_t mode = tie_direction == 0  ? MPFR_RNDN
                            : tie_direction > 0 ? MPFR_RNDU
                                                : MPFR_RNDD;
    mpfr_mul_2ui(u_, t_, 1, MPFR_RNDN);
    const bool tie = mpfr_integer_p(u_) && !mpfr_integer_p(t_);
    mpfr_rint(t_, t_, tie ? mode : MPFR_RNDN);
    mpfr_mul_2si(t_, t_, q, MPFR_RNDN);
    const double v = mpfr_get_d(t_, MPFR_RNDN);  // exact: a few bits
    if (std::fabs(v) > double(L::max())) return T(v > 0 ? HUGE_VALF : -HUGE_VALF);
    return T(static_cast<float>(v));  // exact
  }

 private:
  mpfr_t x_, t_, u_, r_;
  mpfr_t cubic_;  // the double nearest to 0.044715, exactly
};

// The calling thread's MPFR evaluator.
inline MpfrReference& mpfr_reference() {
  thread_local MpfrReference instance;
  return instance;
}

// Rounds v, a double approximation of f(x) with relative error below 2^-44 (the ref:: functions
// on float arguments), to the nearest float. Where v is within 2^-40·|v| of a rounding boundary
// (the midpoint between two floats) that error could put it on the wrong side, and so could the
// rounding of an exact double tie such as gelu(x) = x/2 for subnormal x; there `exact()` — the
// same function in MPFR, rounded to float — decides. This happens for a tiny share of inputs.
template <class Exact>
float round_to_float(double v, Exact exact) {
  const float f = static_cast<float>(v);
  if (!std::isfinite(f) || double(f) == v) return f;
  const float inf = std::numeric_limits<float>::infinity();
  const float neighbour = std::nextafter(f, v > double(f) ? inf : -inf);
  if (!std::isfinite(neighbour)) return f;
  const double boundary = (double(f) + double(neighbour)) / 2;  // exact in double
  return std::fabs(v - boundary) <= std::fabs(v) * 0x1p-40 ? exact() : f;
}

// Rounds v, a double approximation of f(x) with relative error below 2^-44 (the ref:: functions
// on float arguments), to the nearest value of the 16-bit type T, as round_to_float does for
// float: the nearer of the two T values around v, unless v is within 2^-40·|v| of their midpoint,
// where exact() (MPFR, rounded to T) decides.
template <class T, class Exact>
T round_to_16(double v, Exact exact) {
  if (!std::isfinite(v)) return T(static_cast<float>(v));
  using L = std::numeric_limits<T>;
  if (std::fabs(v) > double(L::max())) {
    // Beyond the largest finite value: inf from its midpoint with the next binade on.
    const double top =
        std::ldexp(1.0, L::max_exponent) - std::ldexp(1.0, L::max_exponent - L::digits - 1);
    if (std::fabs(std::fabs(v) - top) <= std::fabs(v) * 0x1p-40) return exact();
    return std::fabs(v) >= top ? T(v > 0 ? HUGE_VALF : -HUGE_VALF)
                               : T(v > 0 ? L::max() : L::lowest());
  }
  // The two T values around v: c, within a T ULP of v, and its neighbour on v's side.
  const T c = T(static_cast<float>(v));
  const double dc = double(static_cast<float>(c));
  if (dc == v) return c;
  const auto bits = Eigen::numext::bit_cast<std::uint16_t>(c);
  const T n = dc == 0 ? T(v > 0 ? L::denorm_min() : -L::denorm_min())
                      : Eigen::numext::bit_cast<T>(static_cast<std::uint16_t>(
                            std::fabs(v) > std::fabs(dc) ? bits + 1 : bits - 1));
  const double dn = double(static_cast<float>(n));
  const double midpoint = (dc + dn) / 2;  // exact in double
  if (std::fabs(v - midpoint) <= std::fabs(v) * 0x1p-40) return exact();
  return std::fabs(v - dc) < std::fabs(v - dn) ? c : n;
}

}  // namespace activ_test
