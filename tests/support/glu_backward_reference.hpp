// Independent references for the backward passes of the GLU family (tests/test_glu_backward.cpp).
// Nothing here calls activ.
//
// For out = V(v)·Gate(g) (V the identity, or GPT-OSS's clamp(v, -L, L) + 1):
//   dvalue = dy·Gate(g)·V'(v)      the forward reference of support/glu_reference.hpp with dy in
//                                  the value's place (glu_reference), masked where V clamps v;
//   dgate  = (dy·V(v))·Gate'(g)    here: Gate' from the closed forms of
//                                  support/derivative_reference.hpp (ld::, long double: the float
//                                  references), or in MPFR times the exact dy·V(v), rounded once
//                                  (MpfrGateDerivativeProduct: the double and 16-bit references).
// MpfrDerivatives (derivative_reference.hpp) rounds Gate'(g) itself to the lane type, which would
// put a second rounding into the product's reference: MpfrGateDerivativeProduct evaluates the same
// formulas (checked against it bit for bit by the test) and keeps them unrounded until the product.
// Also: Gate and the value transform in long double (the finite differences of double inputs) and
// the zeros of Gate' (the neighbourhoods where the dgate error is absolute).
#pragma once

#include "support/derivative_reference.hpp"
#include "support/derivatives.hpp"
#include "support/glu_reference.hpp"
#include "support/reference.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>

namespace activ_test {

/// The derivative of a gate, as support/derivative_reference.hpp names it; the identity's
/// derivative (1 everywhere) has none there.
inline std::optional<Derivative> derivative_of_gate(Gate gate) {
  switch (gate) {
    case Gate::gelu: return Derivative::gelu;
    case Gate::gelu_tanh: return Derivative::gelu_tanh;
    case Gate::silu: return Derivative::silu;
    case Gate::swish: return Derivative::swish;
    case Gate::relu: return Derivative::relu;
    case Gate::sigmoid: return Derivative::sigmoid;
    case Gate::identity: return std::nullopt;
  }
  return std::nullopt;
}

/// Gate'(g) at g = ±inf or NaN: derivative_reference.hpp's limits; the identity's is 1 (NaN: NaN).
inline double gate_derivative_limit(Gate gate, double g) {
  if (const auto d = derivative_of_gate(gate)) return derivative_limit(*d, g);
  return std::isnan(g) ? g : 1.0;
}

namespace ld {

/// Gate'(x) in long double (closed forms; β for swish).
inline LD gate_derivative(Gate gate, LD x, LD beta) {
  if (const auto d = derivative_of_gate(gate)) return derivative(*d, x, beta);
  return std::isnan(x) ? x : LD(1);
}

/// Gate(x) in long double (ref::, support/reference.hpp), for finite x.
inline LD gate_forward(Gate gate, LD x, LD beta) {
  switch (gate) {
    case Gate::gelu: return ref::gelu(x);
    case Gate::gelu_tanh: return ref::gelu_tanh(x);
    case Gate::silu: return ref::swish(x, LD(1));
    case Gate::swish: return ref::swish(x, beta);
    case Gate::relu: return x > 0 ? x : 0;
    case Gate::sigmoid: return ref::sigmoid(x);
    case Gate::identity: return x;
  }
  return x;
}

/// The forward output V(v)·Gate(g) in long double: V the identity, or with `oai` GPT-OSS's
/// clamp(v, -limit, limit) + 1 with the gate at min(g, limit) (finite arguments).
inline LD glu_forward(Gate gate, bool oai, LD v, LD g, LD beta, LD limit) {
  if (!oai) return v * gate_forward(gate, g, beta);
  const LD value = std::min(std::max(v, -limit), limit) + 1;
  return value * gate_forward(gate, std::min(g, limit), beta);
}

}  // namespace ld

/// The zero of Gate' below 0 (gelu', gelu_tanh', silu', swish' with β): support/derivatives.hpp's
/// bisection on the long double closed forms; none for the other gates.
inline std::optional<long double> gate_derivative_zero(Gate gate, long double beta) {
  switch (gate) {
    case Gate::gelu: return zero_of(Derivative::gelu, beta);
    case Gate::gelu_tanh: return zero_of(Derivative::gelu_tanh, beta);
    case Gate::silu: return zero_of(Derivative::silu, beta);
    case Gate::swish: return zero_of(Derivative::swish, beta);
    default: return std::nullopt;
  }
}

/// Working precision of MpfrGateDerivativeProduct: that of MpfrDerivatives (the cancellation at a
/// zero of Gate' costs up to 60 bits for the doubles nearest it).
inline constexpr mpfr_prec_t kGateDerivativePrecision = kDerivativePrecision;

/// (value + shift)·dy·Gate'(g) in MPFR, rounded once to T (float, double, Eigen::bfloat16,
/// Eigen::half), for finite g; Gate'(g) alone as well. The formulas of MpfrDerivatives:
///   gelu'(x)      = Φ(x) + x·φ(x)
///   gelu_tanh'(x) = σ(z) + x·σ(z)·σ(−z)·c1·(1 + 3k·x²),  z = c1·(x + k·x³), c1 = 2·√(2/π)
///   sigmoid'(x)   = e/(1 + e)²,  e = e^−|x|
///   swish'(x; β)  = e·(1 + e + b)/(1 + e)² for b < 0, (1 + e + b·e)/(1 + e)² for b >= 0, b = β·x
///   relu'(x)      = 1 for x > 0, else 0;   identity'(x) = 1
class MpfrGateDerivativeProduct {
 public:
  MpfrGateDerivativeProduct() : rounder_(kGateDerivativePrecision) {
    mpfr_init2(p_, kGateDerivativePrecision);
  }
  ~MpfrGateDerivativeProduct() { mpfr_clear(p_); }
  MpfrGateDerivativeProduct(const MpfrGateDerivativeProduct&) = delete;
  MpfrGateDerivativeProduct& operator=(const MpfrGateDerivativeProduct&) = delete;

  /// Gate'(g) rounded once to T.
  template <class T>
  T derivative(Gate gate, double g, double beta) {
    return product<T>(gate, 1.0, 1.0, g, 0.0, beta);
  }

  /// dy·(value + shift)·Gate'(g) rounded once to T; g finite. (value + shift is exact for the
  /// values of the tests, and rounds at 2^-256 otherwise; dy·(value + shift) is exact.)
  template <class T>
  T product(Gate gate, double dy, double value, double g, double shift, double beta) {
    mpfr_set_d(p_, value, MPFR_RNDN);
    if (shift != 0) mpfr_add_d(p_, p_, shift, MPFR_RNDN);  // (skipped for 0: -0 + 0 is +0)
    mpfr_mul_d(p_, p_, dy, MPFR_RNDN);
    if (const auto d = derivative_of_gate(gate)) return derivatives_.scaled<T>(*d, g, beta, p_);
    return rounder_.rounded<T>(p_);  // the identity: Gate' = 1
  }

 private:
  MpfrDerivatives derivatives_;  // MpfrDerivatives::scaled: the same formulas, rounded once
  MpfrReference rounder_;        // rounded<T> at this precision
  mpfr_t p_;
};

/// The calling thread's evaluator.
inline MpfrGateDerivativeProduct& mpfr_gate_derivative_product() {
  thread_local MpfrGateDerivativeProduct instance;
  return instance;
}

/// The parameters of one GLU variant as the lane type rounds them (the caller rounds): the gate,
/// swish's β (swiglu's beta, swiglu_oai's alpha), and for swiglu_oai the limit.
struct BackwardCase {
  Gate gate;
  bool oai;
  double beta;
  double limit;
};

/// The reference gradients of one (dy, v, g) triple of float or double values, and what the
/// accuracy promise needs to know about them.
template <class T>
struct BackwardReference {
  T dvalue;
  T dgate;
  bool dvalue_masked;           // swiglu_oai: |v| > limit or NaN v: exactly +0
  bool dgate_masked;            // swiglu_oai: g > limit or NaN g: exactly +0
  bool gate_underflows;         // Gate(g) (clamped) nonzero and below the smallest normal T
  bool derivative_underflows;   // Gate'(g) nonzero and below the smallest normal T
  long double gate_derivative;  // Gate'(g) (long double closed form)
  long double value_factor;     // dy·V(v), exactly (long double for float; rounded for double)
};

/// The reference of one triple of finite T values (float: long double for dgate, double libm for
/// dvalue; double: MPFR for both).
template <class T>
BackwardReference<T> backward_reference(const BackwardCase& c, T dy, T v, T g) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>);
  BackwardReference<T> r{};
  const double L = c.limit;
  r.dvalue_masked = c.oai && !(-L <= double(v) && double(v) <= L);
  r.dgate_masked = c.oai && !(double(g) <= L);
  // dvalue = dy·Gate(min(g, L))
  if (r.dvalue_masked) {
    r.dvalue = T(0);
  } else {
    double gc = g, unused = 0;
    if (c.oai) oai_clamp(unused, gc, L);
    const GluReference<T> f = glu_reference<T>(c.gate, double(dy), gc, 0.0, c.beta);
    r.dvalue = f.out;
    r.gate_underflows = f.gate_underflows;
  }
  // dgate = (dy·V(v))·Gate'(g)
  const long double value =
      c.oai ? std::min(std::max(static_cast<long double>(v), -static_cast<long double>(L)),
                       static_cast<long double>(L)) +
                  1
            : static_cast<long double>(v);
  r.value_factor = static_cast<long double>(dy) * value;
  r.gate_derivative = ld::gate_derivative(c.gate, static_cast<long double>(g), c.beta);
  // A smooth gate's Gate'(g) is nonzero at every finite g, even where long double rounds it to 0:
  // x87's extended format reaches 2^-16445, but POWER's double-double long double has double's
  // exponent range, where gelu'(-38.8) = 2^-1084 is 0.
  const bool smooth_gate = c.gate != Gate::relu && c.gate != Gate::identity;
  r.derivative_underflows =
      (r.gate_derivative != 0 || (smooth_gate && std::isfinite(g))) &&
      std::fabs(r.gate_derivative) < static_cast<long double>(std::numeric_limits<T>::min());
  if (r.dgate_masked) {
    r.dgate = T(0);
  } else if constexpr (std::is_same_v<T, float>) {
    // dy·V(v) is exact in long double (24 + 25 bits); Gate' within a few long double ULPs.
    r.dgate = static_cast<float>(r.value_factor * r.gate_derivative);
  } else {
    const double vv = c.oai ? std::min(std::max(double(v), -L), L) : double(v);
    r.dgate = mpfr_gate_derivative_product().product<double>(c.gate, double(dy), vv, double(g),
                                                             c.oai ? 1.0 : 0.0, c.beta);
  }
  return r;
}

}  // namespace activ_test
