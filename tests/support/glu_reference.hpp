// Independent references for the GLU family (tests/test_glu.cpp, tests/fuzz/fuzz_glu.cpp):
// Gate(g), (value + shift)·Gate(g) and the reference of one output element of type T
// (glu_reference), from the evaluators of reference.hpp, and GPT-OSS's clamps. Nothing here calls
// activ. The variants' parameters (β, GPT-OSS's α and limit, as the type rounds them) are the
// callers' business.
#pragma once

#include "support/reference.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace activ_test {

// The gates of the GLU variants: geglu, geglu_tanh, swiglu (β = 1), swiglu(β) and swiglu_oai,
// reglu, glu, bilinear.
enum class Gate { gelu, gelu_tanh, silu, swish, relu, sigmoid, identity };

// Gate(g) for g = ±inf (docs/design.md §3) or NaN: the limits of reference.hpp's non_finite_limit.
inline double gate_limit(Gate gate, double g) {
  switch (gate) {
    case Gate::sigmoid: return non_finite_limit(g, 1.0, false);
    case Gate::relu: return non_finite_limit(g, g, false);
    case Gate::identity: return g;
    default: return non_finite_limit(g, g, true);  // g·(a factor tending to 1 or 0)
  }
}

// Gate(g) in double with libm (ref::), for float g: the float reference, error below 2^-44.
inline double gate_double(Gate gate, double g, double beta) {
  if (!std::isfinite(g)) return gate_limit(gate, g);
  switch (gate) {
    case Gate::gelu: return ref::gelu(g);
    case Gate::gelu_tanh: return ref::gelu_tanh(g);
    case Gate::silu: return ref::swish(g, 1.0);
    case Gate::swish: return ref::swish(g, beta);
    case Gate::relu: return g > 0 ? g : 0.0;
    case Gate::sigmoid: return ref::sigmoid(g);
    case Gate::identity: return g;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// (value + shift)·Gate(gate) in MPFR for finite double arguments, rounded once to double: the
// double reference. Also Gate(gate) alone, rounded to double, and whether it underflows the
// double range (nonzero, below the smallest normal double).
struct GateProduct {
  double out;
  double gate;
  bool gate_underflows;
};

class MpfrGateProduct {
 public:
  MpfrGateProduct() {
    mpfr_inits2(kMpfrPrecision, value_, gate_, r_, static_cast<mpfr_ptr>(nullptr));
  }
  ~MpfrGateProduct() { mpfr_clears(value_, gate_, r_, static_cast<mpfr_ptr>(nullptr)); }
  MpfrGateProduct(const MpfrGateProduct&) = delete;
  MpfrGateProduct& operator=(const MpfrGateProduct&) = delete;

  GateProduct operator()(Gate gate, double value, double g, double shift, double beta) {
    GateProduct p{};
    into_r(gate, value, g, shift, beta, p);
    p.out = mpfr_get_d(r_, MPFR_RNDN);
    return p;
  }
  // The same product rounded once to T (a 16-bit type too) instead of double. For g > 0 the
  // sigmoid-type gates are 1 - ε or g·(1 - ε) with ε below any fixed precision for large g, and
  // value·g may be a midpoint of T: the exact product then lies on the side of value·(-ε), as
  // Gate(g) = g + Gate(-g) (gelu, gelu_tanh, silu, swish) and sigmoid(g) = 1 - sigmoid(-g) say.
  template <class T>
  T rounded(Gate gate, double value, double g, double shift, double beta) {
    GateProduct p{};
    into_r(gate, value, g, shift, beta, p);
    const bool reflected = gate != Gate::relu && gate != Gate::identity;
    const double v = value + shift;
    const int tie_direction = reflected && g > 0 && v != 0 ? (v > 0 ? -1 : 1) : 0;
    return mpfr_reference().rounded<T>(r_, tie_direction);
  }

 private:
  // (value + shift)·Gate(g) into r_; Gate(g) rounded to double into p.
  void into_r(Gate gate, double value, double g, double shift, double beta, GateProduct& p) {
    MpfrReference& mpfr = mpfr_reference();
    mpfr_set_d(gate_, g, MPFR_RNDN);
    switch (gate) {
      case Gate::gelu: mpfr.gelu_into(r_, gate_); break;
      case Gate::gelu_tanh: mpfr.gelu_tanh_into(r_, gate_); break;
      case Gate::silu: mpfr.swish_into(r_, gate_, 1.0); break;
      case Gate::swish: mpfr.swish_into(r_, gate_, beta); break;
      case Gate::relu: mpfr_set_d(r_, g > 0 ? g : 0.0, MPFR_RNDN); break;
      case Gate::sigmoid: mpfr.sigmoid_into(r_, gate_); break;
      case Gate::identity: mpfr_set(r_, gate_, MPFR_RNDN); break;
    }
    p.gate = mpfr_get_d(r_, MPFR_RNDN);
    p.gate_underflows = !mpfr_zero_p(r_) && std::fabs(p.gate) < std::numeric_limits<double>::min();
    mpfr_set_d(value_, value, MPFR_RNDN);
    // Rounds only where |value| < 2^-107, at 2^-160 relative. Skipped for 0: -0 + 0 is +0.
    if (shift != 0) mpfr_add_d(value_, value_, shift, MPFR_RNDN);
    mpfr_mul(r_, r_, value_, MPFR_RNDN);
  }

  mpfr_t value_, gate_, r_;
};

// The calling thread's evaluator.
inline MpfrGateProduct& mpfr_gate_evaluator() {
  thread_local MpfrGateProduct instance;
  return instance;
}
inline GateProduct mpfr_gate_product(Gate gate, double value, double g, double shift, double beta) {
  return mpfr_gate_evaluator()(gate, value, g, shift, beta);
}
// (value + shift)·Gate(g) in MPFR rounded once to T.
template <class T>
T mpfr_gate_product_rounded(Gate gate, double value, double g, double shift, double beta) {
  return mpfr_gate_evaluator().template rounded<T>(gate, value, g, shift, beta);
}

// GPT-OSS's clamps, in the order of its reference code: gate = min(gate, limit), value =
// clamp(value, -limit, limit); NaN stays NaN.
inline void oai_clamp(double& value, double& gate, double limit) {
  if (!std::isnan(gate)) gate = std::min(gate, limit);
  if (!std::isnan(value)) value = std::min(std::max(value, -limit), limit);
}

// The reference of one GLU output element of type T, (value + shift)·Gate(gate), where shift is 0,
// or 1 for GPT-OSS's "value + 1" (the caller applies oai_clamp first).
template <class T>
struct GluReference {
  T out;        // the reference result (see glu_reference)
  double gate;  // Gate(gate) as a double: libm (float), MPFR rounded once (double), or its limit
  bool gate_underflows;  // Gate(gate) is nonzero and below the smallest normal T
  double value;          // value + shift, the operand Gate(gate) multiplies
};

// Finite operands: for float, Gate(gate) in double with libm times value + shift (exact in double
// when |value| <= 7 with shift 1), rounded once to float; for double, the product in MPFR rounded
// once. A non-finite operand: the IEEE product in T of value + shift with Gate(gate) rounded to T,
// so inf·0 is NaN, as in PyTorch.
template <class T>
GluReference<T> glu_reference(Gate gate, double value, double g, double shift, double beta) {
  const double shifted = shift != 0 ? value + shift : value;  // value + 0.0 would turn -0 into +0
  const bool finite = std::isfinite(value) && std::isfinite(g);
  if constexpr (std::is_same_v<T, double>) {
    if (std::isfinite(g)) {
      const GateProduct p = finite ? mpfr_gate_product(gate, value, g, shift, beta)
                                   : mpfr_gate_product(gate, 1.0, g, 0.0, beta);
      return {finite ? p.out : shifted * p.gate, p.gate, p.gate_underflows, shifted};
    }
  }
  const double gd = gate_double(gate, g, beta);  // the limit where g is not finite
  const bool underflows = gd != 0 && std::fabs(gd) < double(std::numeric_limits<T>::min());
  const T out = finite ? static_cast<T>(shifted * gd)
                       : static_cast<T>(static_cast<T>(shifted) * static_cast<T>(gd));
  return {out, gd, underflows, shifted};
}

}  // namespace activ_test
