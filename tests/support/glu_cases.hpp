// The GLU cases every GLU test runs, written once: the eight variants and the six of the fast tier
// (reglu and bilinear are the same objects there), with the gate their reference uses, and the five forms of input (three layouts of a fused column-major h, the
// interleaved layout row-major, and two inputs).
#pragma once

#include "support/glu_reference.hpp"

#include <activ/glu.hpp>

#include <Eigen/Core>

#include <cstdint>
#include <cstring>

namespace activ_test {

/// The ULP bound of a GLU variant where its gate is 0 or normal: 3 for the precise tier, 5 for
/// activ::fast's (the gate's 4 ULP and the product's rounding).
inline std::uint64_t glu_max_ulp(const char* name) {
  return std::strncmp(name, "activ::fast::", 13) == 0 ? 5 : 3;
}

/// One named variant: its gate, whether it is swiglu_oai (clamps, "+ 1", alpha and limit), and
/// whether its result is an exact product (one rounding).
struct GluVariant {
  const char* name;
  Gate gate;
  bool oai;
  bool exact;
};

/// swiglu's explicit beta in the variant list.
inline constexpr double kSwiGluBeta = 1.702;

/// The variants, in the order of for_each_glu_variant: swiglu twice, without beta (the Silu gate)
/// and with kSwiGluBeta (Swish); then the fast tier's.
inline constexpr GluVariant kGluVariants[] = {
    {"activ::geglu", Gate::gelu, false, false},
    {"activ::geglu_tanh", Gate::gelu_tanh, false, false},
    {"activ::swiglu", Gate::silu, false, false},
    {"activ::swiglu", Gate::swish, false, false},
    {"activ::reglu", Gate::relu, false, true},
    {"activ::glu", Gate::sigmoid, false, false},
    {"activ::bilinear", Gate::identity, false, true},
    {"activ::swiglu_oai", Gate::swish, true, false},
    {"activ::fast::geglu", Gate::gelu, false, false},
    {"activ::fast::geglu_tanh", Gate::gelu_tanh, false, false},
    {"activ::fast::swiglu", Gate::silu, false, false},
    {"activ::fast::swiglu", Gate::swish, false, false},
    {"activ::fast::glu", Gate::sigmoid, false, false},
    {"activ::fast::swiglu_oai", Gate::swish, true, false},
};

/// The number of precise variants at the front of kGluVariants; the fast tier's follow.
inline constexpr int kPreciseGluVariants = 8;

/// visit(info, variant, params...) for each precise entry of kGluVariants (the first
/// kPreciseGluVariants): `variant` is the activ object (activ::geglu, ...), `params` the parameters
/// it is called with (swiglu's beta; swiglu_oai's defaults).
template <class Visit>
void for_each_precise_glu_variant(Visit visit) {
  visit(kGluVariants[0], activ::geglu);
  visit(kGluVariants[1], activ::geglu_tanh);
  visit(kGluVariants[2], activ::swiglu);
  visit(kGluVariants[3], activ::swiglu, kSwiGluBeta);
  visit(kGluVariants[4], activ::reglu);
  visit(kGluVariants[5], activ::glu);
  visit(kGluVariants[6], activ::bilinear);
  visit(kGluVariants[7], activ::swiglu_oai);
}

/// The same for the fast tier's entries (those after the precise ones).
template <class Visit>
void for_each_fast_glu_variant(Visit visit) {
  visit(kGluVariants[8], activ::fast::geglu);
  visit(kGluVariants[9], activ::fast::geglu_tanh);
  visit(kGluVariants[10], activ::fast::swiglu);
  visit(kGluVariants[11], activ::fast::swiglu, kSwiGluBeta);
  visit(kGluVariants[12], activ::fast::glu);
  visit(kGluVariants[13], activ::fast::swiglu_oai);
}

/// Every entry of kGluVariants, in order.
template <class Visit>
void for_each_glu_variant(Visit visit) {
  for_each_precise_glu_variant(visit);
  for_each_fast_glu_variant(visit);
}

enum class Form { value_first, gate_first, interleaved, interleaved_row_major, two_input };
inline constexpr Form kForms[] = {Form::value_first, Form::gate_first, Form::interleaved,
                                  Form::interleaved_row_major, Form::two_input};

inline const char* form_name(Form f) {
  switch (f) {
    case Form::value_first: return "value_first";
    case Form::gate_first: return "gate_first";
    case Form::interleaved: return "interleaved (col-major)";
    case Form::interleaved_row_major: return "interleaved (row-major)";
    case Form::two_input: return "two-input";
  }
  return "?";
}

/// call(h, layout) with h [rows, 2d] assembled from value V and gate G [rows, d] in the form's
/// layout (column-major; row-major for interleaved_row_major), or call(V, G) for the two-input
/// form; returns what call returns.
template <class T, class Call>
decltype(auto) call_in_form(Form form, const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>& V,
                            const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>& G, Call call) {
  const Eigen::Index rows = V.rows(), d = V.cols();
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> h(rows, 2 * d);
  if (form == Form::value_first) h << V, G;
  if (form == Form::gate_first) h << G, V;
  if (form == Form::interleaved || form == Form::interleaved_row_major) {
    for (Eigen::Index j = 0; j < d; ++j) {
      h.col(2 * j) = G.col(j);
      h.col(2 * j + 1) = V.col(j);
    }
  }
  const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> hr =
      form == Form::interleaved_row_major ? h : decltype(h)();
  switch (form) {
    case Form::value_first: return call(h, activ::value_first);
    case Form::gate_first: return call(h, activ::gate_first);
    case Form::interleaved: return call(h, activ::interleaved);
    case Form::interleaved_row_major: return call(hr, activ::interleaved);
    case Form::two_input: break;
  }
  return call(V, G);
}

}  // namespace activ_test
