// libFuzzer target: the GLU family of <activ/glu.hpp> (geglu, geglu_tanh, swiglu with and without
// beta, reglu, glu, bilinear, swiglu_oai with alpha and limit, and activ::fast's geglu, geglu_tanh,
// swiglu, glu and swiglu_oai), float and double, in every form:
// value_first, gate_first, interleaved, the variant's default layout, and two inputs, in either
// storage order, with 0..12 rows and 0..17 output columns. For a variant of each shape of call
// (geglu, reglu, swiglu_oai, fast::swiglu with beta: every_presentation below) the input is a Map
// with an outer stride, a Map with inner and outer strides, a Block, an expression without storage
// or a matrix product, and the result is assigned to a plain matrix, written by into() to a
// strided Map, or in place into the value half (activ::value_half); the other variants take the
// Map with an outer stride and every destination but in place. Checks, for every input:
//  (a) every output element equals the GLU functor's scalar operator()(value, gate) bit for bit,
//      value and gate taken from the input by this file's own index arithmetic (so a layout that
//      picks the wrong column fails here); NaN bit for bit, except a NaN value times a NaN gate,
//      where IEEE leaves open which payload wins;
//  (b) the documented accuracy (glu.hpp): within 3 ULP (fast: 5) of value·Gate(gate) computed exactly and
//      rounded once (double libm for float, MPFR for double; swiglu_oai: (clamp(value) + 1)·
//      swish(min(gate, limit), alpha)), where Gate(gate) underflows 3 ULP plus the gate's
//      2 subnormal ULPs times |value|; reglu and bilinear exact; IEEE products at inf and NaN;
//  (d) no access outside the input, output and destination buffers: each is a heap block of
//      exactly the size its view spans (AddressSanitizer), padding holds a sentinel NaN that (a)
//      would see if it were read, and writes outside the destination view are checked;
//  (e) bad shapes throw std::invalid_argument with the documented message (as in
//      tests/test_glu_errors.cpp): an odd width, two inputs of different shapes, an into()
//      destination of the wrong shape (which must stay unwritten), a negative or NaN limit.
//
// Input layout (bytes; missing bytes read as 0):
//   0       variant = (b & 0x7f) % 14: geglu, geglu_tanh, swiglu, swiglu(beta), reglu, glu,
//           bilinear, swiglu_oai(alpha, limit), then fast::geglu, fast::geglu_tanh, fast::swiglu,
//           fast::swiglu(beta), fast::glu, fast::swiglu_oai(alpha, limit); b & 0x80: double
//   1       bits 0-2: form % 5: value_first, gate_first, interleaved, default layout, two inputs;
//           bit 3: row-major; bits 4-6: input kind % 5 (Kind below)
//   2       rows = b % 13
//   3       bits 0-4: d = b % 18 (output columns); bits 5-6: destination (Dest below)
//   4       bits 0-2: offset of the view in its buffer; bits 3-4: padding; bits 5-6: inner stride - 1
//   5       errors: bit 0 odd width (fused forms), bit 1 gate of another shape (two inputs),
//           bit 2 destination of another shape (into), bit 3 invalid limit (swiglu_oai);
//           bits 4-5 which dimension is off, bit 6 the sign of the offset
//   6-9     beta (swiglu) or alpha (swiglu_oai): b6 < 64 gives {1, 0.5, 1.702, 2}[b6 % 4],
//           otherwise (1 + (b7 | b8 << 8 | b9 << 16) / 2^24) * 2^(b6 % 17 - 8)
//
// The file is compiled twice into each target: as itself (the precise variants and the entry
// point) and through fuzz_glu_fast.cpp with ACTIV_FUZZ_GLU_FAST (the fast variants): two units
// that compile in parallel, each within 3 GB under the sanitizers (Clang 14).
//   10-11   limit: b10 < 128 gives {7, inf, 0, -0, 1, 0.5, 30, 1e30}[b10 % 8], otherwise
//           b11 * 2^(b10 % 16 - 8); with error bit 3: -(1 + that) or NaN (b11 odd)
//   12...   up to 16 values, 4 or 8 bytes each: element k (row-major count) of the fused input,
//           of the value, and k + 1 + count/2 of the gate, hold value k % count
#include <activ/glu.hpp>

#include "fuzz/fuzz_common.hpp"
#include "support/glu_cases.hpp"
#include "support/glu_reference.hpp"
#include "support/isa_guard.hpp"
#include "support/ulp.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

namespace activ_fuzz {
namespace {

using activ_test::Gate;
using activ_test::ulp_distance;
using Eigen::Dynamic;
using Eigen::Index;

// ---------------------------------------------------------------------------------------------
// The variants and their reference.

// The variants: support/glu_cases.hpp's list (run below calls them in its order), the precise
// ones first; kFirstVariant is the index of this translation unit's first (file comment).
using activ_test::GluVariant;
using activ_test::kGluVariants;
#ifdef ACTIV_FUZZ_GLU_FAST
inline constexpr int kFirstVariant = activ_test::kPreciseGluVariants;
#else
inline constexpr int kFirstVariant = 0;
#endif
inline constexpr int kVariants = int(std::size(kGluVariants));

// The parameters as activ uses them: converted to the scalar type first.
struct Params {
  double beta = 1.0;   // swiglu(beta)'s beta or swiglu_oai's alpha
  double limit = 7.0;  // swiglu_oai
};

template <class T>
struct Expected {
  T out;           // the reference value
  T alt;           // where has_alt: another right answer (see below)
  bool has_alt;    // a non-finite value times a gate that underflows: inf·0 = NaN or ±inf
  bool tiny_gate;  // Gate(gate) is nonzero and below the smallest normal T
  double factor;   // |the value operand|
};

template <class T>
Expected<T> reference(const GluVariant& var, const Params& p, T value, T gate_in) {
  double v = value, g = gate_in;
  if (var.oai) activ_test::oai_clamp(v, g, double(static_cast<T>(p.limit)));
  const activ_test::GluReference<T> r = activ_test::glu_reference<T>(
      var.gate, v, g, var.oai ? 1.0 : 0.0, double(static_cast<T>(p.beta)));
  if (std::isfinite(v) && std::isfinite(g))
    return {r.out, T(0), false, r.gate_underflows, std::fabs(r.value)};
  // Where the gate underflows, activ's gate may be 0 where the reference's is not, or the reverse
  // (2 subnormal ULPs, glu.hpp): an infinite value times it is then NaN or ±inf, both right.
  const T vt = static_cast<T>(r.value);
  const bool either = !var.exact && std::isinf(vt) && r.gate_underflows;
  const T alt = vt * std::copysign(std::numeric_limits<T>::denorm_min(), static_cast<T>(r.gate));
  return {r.out, alt, either, false, std::fabs(double(vt))};
}

template <class T>
ReferenceCache<Expected<T>>& cache() {
  static ReferenceCache<Expected<T>> c;
  return c;
}

// (b) for one element.
template <class T, class Where>
void check_accuracy(const GluVariant& var, int var_id, const Params& p, T v, T g, T got,
                    const Where& where) {
  std::uint64_t tag = std::uint64_t(var_id) * 2 + (std::is_same_v<T, double> ? 1 : 0);
  tag = tag * 0x100000001B3ULL ^ bits_of(static_cast<T>(p.beta));
  tag = tag * 0x100000001B3ULL ^ bits_of(static_cast<T>(p.limit));
  const Expected<T> e =
      cache<T>().get(tag, bits_of(v), bits_of(g), [&] { return reference<T>(var, p, v, g); });
  const std::uint64_t d = ulp_distance(got, e.out);
  const auto at = [&] {
    return where() + ": " + var.name + "<" + type_name<T>() + ">(value " + show(v) + ", gate " +
           show(g) + ") = " + show(got) + ", reference " + show(e.out);
  };
  if (e.has_alt) {
    check(std::isnan(got) || activ_test::same_result(got, e.out) ||
              activ_test::same_result(got, e.alt),
          [&] {
            return at() + " (an infinite value times an underflowing gate: want NaN or " +
                   show(e.alt) + ")";
          });
    return;
  }
  if (var.exact) {
    check(activ_test::same_result(got, e.out),
          [&] { return at() + ": the header says exact (one rounding)"; });
    return;
  }
  const std::uint64_t bound = activ_test::glu_max_ulp(var.name);
  if (d <= bound) return;
  if (e.tiny_gate && d != activ_test::kNanMismatch) {
    // glu.hpp: where Gate(gate) underflows, its absolute error of up to 2 subnormal ULPs is
    // carried by the product, scaled by |value|.
    const T a = std::fabs(e.out);
    const double ulp = double(std::nextafter(a, std::numeric_limits<T>::infinity()) - a);
    const double slack = 2.0 * e.factor * double(std::numeric_limits<T>::denorm_min());
    if (std::fabs(double(got) - double(e.out)) <= double(bound) * ulp + slack) return;
  }
  fail(at() + ": " +
       (d == activ_test::kNanMismatch ? std::string("NaN mismatch") : std::to_string(d) + " ULP") +
       " > " + std::to_string(bound) + " ULP, the bound in glu.hpp");
}

// ---------------------------------------------------------------------------------------------
// Calls: one variant with its parameters, in every form.

template <class V, class... P>
struct Call {
  const V& variant;
  std::tuple<P...> params;

  template <class H, class Layout>
  auto fused(const H& h, Layout layout) const {
    return std::apply([&](const P&... p) { return variant(h, layout, p...); }, params);
  }
  template <class H>
  auto fused_default(const H& h) const {
    return std::apply([&](const P&... p) { return variant(h, p...); }, params);
  }
  template <class A, class B>
  auto pair(const A& value, const B& gate) const {
    return std::apply([&](const P&... p) { return variant(value, gate, p...); }, params);
  }
  template <class Dst, class... Args>
  void into(Dst& dst, const Args&... args) const {
    std::apply([&](const P&... p) { variant.into(dst, args..., p...); }, params);
  }
  auto functor() const {
    return std::apply([&](const P&... p) { return variant.functor(p...); }, params);
  }
};
template <class V, class... P>
Call<V, P...> make_call(const V& v, P... p) {
  return {v, {p...}};
}

// ---------------------------------------------------------------------------------------------
// Configuration decoded from the input.

enum class Form { value_first, gate_first, interleaved, default_layout, two_input };

// The public layout tag of a variant's default order.
template <activ::detail::glu_order Order>
using LayoutTag =
    std::conditional_t<Order == activ::detail::glu_order::value_first, activ::value_first_t,
                       std::conditional_t<Order == activ::detail::glu_order::gate_first,
                                          activ::gate_first_t, activ::interleaved_t>>;
// The input: a Map with unit inner stride and an outer stride (padding), a Map with both strides
// dynamic, a Block of a larger matrix, a Map wrapped in an expression without storage
// (unaryExpr(activ::Identity)), or a matrix product (x * I; column-major only). The two-input
// form takes the expression kind as a product: activ::swiglu(x * W_up, x * W_gate).
enum class Kind { outer_stride, strided, block, expression, product };
// The destination: a plain column-major Matrix (`out = f(...)`), into() a contiguous Map of the
// input's storage order, in place into activ::value_half (inputs with storage; the others use
// into_padded), into() a Map with padding at an offset.
enum class Dest { plain, into, in_place, into_padded };

struct Config {
  int var_id = 0;
  GluVariant var{};
  Params params;
  Form form = Form::value_first;
  bool row_major = false;
  Kind kind = Kind::outer_stride;
  Index rows = 0, d = 0;
  Dest dest = Dest::plain;
  Index offset = 0, pad = 0, inner = 1;
  bool odd = false, mismatch = false, bad_destination = false, bad_limit = false;
  int which = 0;       // which dimension is off (bits 4-5 of byte 5)
  bool minus = false;  // the sign of the offset (bit 6 of byte 5)
};

const char* form_name(Form f) {
  switch (f) {
    case Form::value_first: return "value_first";
    case Form::gate_first: return "gate_first";
    case Form::interleaved: return "interleaved";
    case Form::default_layout: return "default layout";
    case Form::two_input: return "two inputs";
  }
  return "?";
}
const char* kind_name(Kind k) {
  switch (k) {
    case Kind::outer_stride: return "Map<OuterStride>";
    case Kind::strided: return "Map<Stride>";
    case Kind::block: return "Block";
    case Kind::expression: return "expression";
    case Kind::product: return "product";
  }
  return "?";
}

std::string describe(const Config& c) {
  return std::string(c.var.name) + " " + form_name(c.form) + ", " + kind_name(c.kind) + " " +
         (c.row_major ? "row-major" : "column-major") + ", rows " + std::to_string(c.rows) +
         ", d " + std::to_string(c.d) + ", offset " + std::to_string(c.offset) + ", padding " +
         std::to_string(c.pad) + ", inner stride " + std::to_string(c.inner);
}

std::string shape(Index r, Index c) { return std::to_string(r) + "x" + std::to_string(c); }

// rows x cols input views over a buffer `b` of exactly the size they span, filled with the
// sentinel (the caller then fills the view's elements).
template <class T, int Order>
struct Views {
  using M = Eigen::Matrix<T, Dynamic, Dynamic, Order>;
  using OuterMap = Eigen::Map<M, Eigen::Unaligned, Eigen::OuterStride<>>;
  using StridedMap = Eigen::Map<M, Eigen::Unaligned, Eigen::Stride<Dynamic, Dynamic>>;
  static constexpr bool kRowMajor = Order == Eigen::RowMajor;

  static OuterMap outer_map(ExactBuffer<T>& b, const Config& c, Index rows, Index cols) {
    const Index inner_count = kRowMajor ? cols : rows, outer_count = kRowMajor ? rows : cols;
    const Index outer = inner_count + c.pad;
    b = ExactBuffer<T>(span(c.offset, outer_count, outer, inner_count, 1));
    for (std::size_t k = 0; k < b.size(); ++k) b[k] = sentinel<T>();
    return OuterMap(b.data() + c.offset, rows, cols, Eigen::OuterStride<>(outer));
  }
  static StridedMap strided_map(ExactBuffer<T>& b, const Config& c, Index rows, Index cols) {
    const Index inner_count = kRowMajor ? cols : rows, outer_count = kRowMajor ? rows : cols;
    const Index outer = inner_count * c.inner + c.pad;
    b = ExactBuffer<T>(span(c.offset, outer_count, outer, inner_count, c.inner));
    for (std::size_t k = 0; k < b.size(); ++k) b[k] = sentinel<T>();
    return StridedMap(b.data() + c.offset, rows, cols,
                      Eigen::Stride<Dynamic, Dynamic>(outer, c.inner));
  }
  // A Block at (r0, c0) of a contiguous column-major matrix with spare rows and columns.
  static auto block(ExactBuffer<T>& b, const Config& c, Index rows, Index cols) {
    const Index r0 = c.offset & 3, c0 = c.offset >> 1;
    const Index big_rows = rows + r0 + c.pad, big_cols = cols + c0 + (c.inner - 1);
    b = ExactBuffer<T>(std::size_t(big_rows * big_cols));
    for (std::size_t k = 0; k < b.size(); ++k) b[k] = sentinel<T>();
    return Eigen::Map<M>(b.data(), big_rows, big_cols).block(r0, c0, rows, cols);
  }
};

// The values of a view, row-major, as plain vectors (before any in-place evaluation).
template <class T>
struct Logical {
  Index rows = 0, cols = 0;
  std::vector<T> v;
  T operator()(Index i, Index j) const { return v[std::size_t(i * cols + j)]; }
};
template <class T, class X>
Logical<T> logical(const X& x) {
  Logical<T> l{x.rows(), x.cols(), {}};
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) l.v.push_back(x(i, j));
  return l;
}

template <class X, class T>
void fill(X& x, const std::vector<T>& pool, std::size_t shift) {
  std::size_t k = shift;
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = pool[k++ % pool.size()];
}

// ---------------------------------------------------------------------------------------------
// The checks on a result.

// (a) and (b): out(i, j) against value(i, j), gate(i, j).
template <class T, class C, class Out>
void check_result(const C& call, const Config& c, const Logical<T>& value, const Logical<T>& gate,
                  const Out& out, const char* dest) {
  const auto where = [&] { return describe(c) + ", " + dest; };
  check(out.rows() == value.rows && out.cols() == value.cols, [&] {
    return where() + ": result is " + shape(out.rows(), out.cols()) + ", want " +
           shape(value.rows, value.cols);
  });
  const auto f = call.functor();
  const Index n = value.rows * value.cols;
  const Index accuracy_checks = std::is_same_v<T, float> ? 16 : 6;
  for (Index i = 0; i < value.rows; ++i) {
    for (Index j = 0; j < value.cols; ++j) {
      const T v = value(i, j), g = gate(i, j), got = out(i, j);
      const T want = f(v, g);
      feature(
          5, std::size_t(c.var_id * 2 + (std::is_same_v<T, double> ? 1 : 0)) * 73 + value_class(g));
      feature(6, (std::is_same_v<T, double> ? 73 : 0) + value_class(v));
      const bool any_nan = std::isnan(v) && std::isnan(g) && std::isnan(got) && std::isnan(want);
      if (!any_nan && bits_of(got) != bits_of(want)) {
        fail(where() + " at (" + std::to_string(i) + ", " + std::to_string(j) + "): value " +
             show(v) + ", gate " + show(g) + ": expression " + show(got) + ", scalar operator() " +
             show(want) + " (the packet path and the layout must give the scalar functor's bits)");
      }
      const Index k = i * value.cols + j;
      if (n <= accuracy_checks || k % ((n + accuracy_checks - 1) / accuracy_checks) == 0) {
        check_accuracy<T>(c.var, c.var_id, c.params, v, g, got, [&] {
          return where() + " at (" + std::to_string(i) + ", " + std::to_string(j) + ")";
        });
      }
    }
  }
}

// The value and gate of output (i, j) in a fused input of width 2d, per layout.
template <class T>
void split_logical(const Logical<T>& h, Form form, bool oai, Logical<T>& value, Logical<T>& gate) {
  const Index d = h.cols / 2;
  value = Logical<T>{h.rows, d, {}};
  gate = Logical<T>{h.rows, d, {}};
  const bool interleaved = form == Form::interleaved || (form == Form::default_layout && oai);
  for (Index i = 0; i < h.rows; ++i) {
    for (Index j = 0; j < d; ++j) {
      Index vc = j, gc = j + d;  // value_first
      if (interleaved) {
        gc = 2 * j;
        vc = 2 * j + 1;
      } else if (form == Form::gate_first) {
        gc = j;
        vc = j + d;
      }
      value.v.push_back(h(i, vc));
      gate.v.push_back(h(i, gc));
    }
  }
}

// Destination of into(): a Map with an outer stride, at an offset, in an exact buffer; of the
// wrong shape when the config asks for it.
template <class T, int Order>
struct Destination {
  using M = Eigen::Matrix<T, Dynamic, Dynamic, Order>;
  using View = Eigen::Map<M, Eigen::Unaligned, Eigen::OuterStride<>>;
  ExactBuffer<T> buffer{0};
  Index rows = 0, cols = 0;

  View make(const Config& c, Index want_rows, Index want_cols) {
    rows = want_rows;
    cols = want_cols;
    if (c.bad_destination) {
      const Index delta = c.minus ? -1 : 1;
      if ((c.which & 1) == 0 && rows + delta >= 0) {
        rows += delta;
      } else if (cols + delta >= 0) {
        cols += delta;
      } else {
        rows += 1;
      }
    }
    const bool row_major = Order == Eigen::RowMajor;
    const Index inner_count = row_major ? cols : rows, outer_count = row_major ? rows : cols;
    const Index pad = c.dest == Dest::into_padded ? 1 + c.pad : 0;
    const Index offset = c.dest == Dest::into_padded ? c.offset : 0;
    buffer = ExactBuffer<T>(span(offset, outer_count, inner_count + pad, inner_count, 1));
    for (std::size_t k = 0; k < buffer.size(); ++k) buffer[k] = sentinel<T>();
    return View(buffer.data() + offset, rows, cols, Eigen::OuterStride<>(inner_count + pad));
  }
  // Every buffer slot outside the view still holds the sentinel (none if `view` is null).
  template <class V, class Where>
  void expect_only_view_written(const V* view, const Where& where) const {
    std::vector<char> inside(buffer.size(), 0);
    if (view) {
      for (Index i = 0; i < view->rows(); ++i)
        for (Index j = 0; j < view->cols(); ++j)
          inside[std::size_t(&view->coeffRef(i, j) - buffer.data())] = 1;
    }
    for (std::size_t k = 0; k < buffer.size(); ++k) {
      check(inside[k] || bits_of(buffer[k]) == bits_of(sentinel<T>()), [&] {
        return where() + ": into() wrote outside its destination (slot " + std::to_string(k) + ")";
      });
    }
  }
};

// Evaluates `build()` (which returns the GLU expression) into the destination the config names,
// and checks it; `into(dst)` runs the variant's into() with the same arguments; `half(false)`
// and `half(true)` return the value and the gate half of the input, for in-place evaluation
// (nullptr: the input has no storage).
template <class T, int Order, class C, class Build, class Into, class Half>
void evaluate(const C& call, const Config& c, const Logical<T>& value, const Logical<T>& gate,
              Build build, Into into, Half half, const std::vector<std::string>& input_errors) {
  const auto where = [&] { return describe(c); };
  if (!input_errors.empty()) {
    expect_invalid_argument([&] { (void)build(); }, input_errors, where());
    // into() reports the input's error too, before it looks at the destination.
    Destination<T, Order> dst;
    auto view = dst.make(c, value.rows, value.cols);
    expect_invalid_argument([&] { into(view); }, input_errors, where() + ", into()");
    dst.template expect_only_view_written<decltype(view)>(
        nullptr, [&] { return where() + ", into() that threw"; });
    return;
  }
  const auto xpr = build();  // must not throw
  Dest dest = c.dest;
  if (c.bad_destination) dest = Dest::into;
  if (dest == Dest::in_place && std::is_same_v<Half, std::nullptr_t>) dest = Dest::into_padded;
  switch (dest) {
    case Dest::plain: {
      const Eigen::Matrix<T, Dynamic, Dynamic> out = xpr;  // column-major, Eigen's default
      check_result(call, c, value, gate, out, "plain column-major result");
      break;
    }
    case Dest::into:
    case Dest::into_padded: {
      Destination<T, Order> dst;
      auto view = dst.make(c, value.rows, value.cols);
      if (c.bad_destination && (dst.rows != value.rows || dst.cols != value.cols)) {
        const std::string message = std::string(c.var.name) + ": destination is " +
                                    shape(dst.rows, dst.cols) + " but the result is " +
                                    shape(value.rows, value.cols) +
                                    "; into() writes in place and never resizes";
        expect_invalid_argument([&] { into(view); }, {message}, where() + ", into()");
        dst.template expect_only_view_written<decltype(view)>(
            nullptr, [&] { return where() + ", into() that threw"; });
        break;
      }
      into(view);
      check_result(call, c, value, gate, view,
                   dest == Dest::into ? "into() a Map" : "into() a padded Map at an offset");
      dst.expect_only_view_written(&view, where);
      break;
    }
    case Dest::in_place: {
      if constexpr (!std::is_same_v<Half, std::nullptr_t>) {
        auto target = half(false);
        target = xpr;
        check_result(call, c, value, gate, target, "in place into activ::value_half");
        const auto gates = half(true);
        for (Index i = 0; i < gate.rows; ++i) {
          for (Index j = 0; j < gate.cols; ++j) {
            check(bits_of(T(gates(i, j))) == bits_of(gate(i, j)), [&] {
              return where() + ": in-place evaluation changed the gate half at (" +
                     std::to_string(i) + ", " + std::to_string(j) + ")";
            });
          }
        }
      }
      break;
    }
  }
}

// The documented error messages (tests/test_glu_errors.cpp), less the function's name for the
// width, which the half views (activ::value_half, activ::gate_half) report too.
std::string odd_width_message(Index rows, Index cols) {
  return ": input has " + std::to_string(cols) + " columns (shape " + shape(rows, cols) +
         "); the last dimension must be even (2*d)";
}
std::string limit_message(const Config& c) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", c.params.limit);
  return std::string(c.var.name) + ": limit is " + buf + "; it must be a number >= 0";
}

// ---------------------------------------------------------------------------------------------
// The fused forms.

struct DefaultLayout {};  // the form f(h): the variant's default layout

template <class T, int Order, bool kEvery, class C>
void run_fused(const C& call, const Config& c, const std::vector<T>& pool) {
  using V = Views<T, Order>;
  const Index cols = 2 * c.d + (c.odd ? 1 : 0);
  std::vector<std::string> errors;
  if (c.bad_limit) errors.push_back(limit_message(c));
  if (c.odd) errors.push_back(c.var.name + odd_width_message(c.rows, cols));

  // Runs the checks for the input view h (any kind) whose values are `values`.
  const auto with_input = [&](auto& h, const Logical<T>& values, auto half_capable,
                              auto default_form) {
    Logical<T> value, gate;
    const Form used = c.form == Form::default_layout && !decltype(default_form)::value
                          ? Form::value_first
                          : c.form;
    split_logical(values, used, c.var.oai, value, gate);
    if (c.odd) value = gate = Logical<T>{c.rows, c.d, std::vector<T>(std::size_t(c.rows * c.d))};
    const auto go = [&](auto layout) {
      using L = decltype(layout);
      const auto build = [&] {
        if constexpr (std::is_same_v<L, DefaultLayout>) {
          return call.fused_default(h);
        } else {
          return call.fused(h, L{});
        }
      };
      const auto into = [&](auto& dst) {
        if constexpr (std::is_same_v<L, DefaultLayout>) {
          call.into(dst, h);
        } else {
          call.into(dst, h, L{});
        }
      };
      if constexpr (decltype(half_capable)::value) {
        // The destination of in-place evaluation: the half in the layout actually used (the
        // variant's default one for DefaultLayout). half(true) is the gate half, which must
        // stay as it was.
        constexpr activ::detail::glu_order kDefault =
            std::decay_t<decltype(call.variant.spec)>::default_order;
        using Used = std::conditional_t<std::is_same_v<L, DefaultLayout>, LayoutTag<kDefault>, L>;
        const auto half = [&](bool gate_side) {
          return gate_side ? activ::gate_half(h, Used{}) : activ::value_half(h, Used{});
        };
        evaluate<T, Order>(call, c, value, gate, build, into, half, errors);
        if (c.odd) {  // the half views check the width too (glu_views.hpp)
          const std::string tail = odd_width_message(c.rows, cols);
          expect_invalid_argument([&] { (void)half(false); }, {"activ::value_half" + tail},
                                  describe(c) + ", activ::value_half");
          expect_invalid_argument([&] { (void)half(true); }, {"activ::gate_half" + tail},
                                  describe(c) + ", activ::gate_half");
        }
      } else {
        evaluate<T, Order>(call, c, value, gate, build, into, nullptr, errors);
      }
    };
    // The default-layout form, f(h), only for the first kind: it forwards to f(h, layout), and
    // every form instantiated costs compile time.
    Form form = c.form;
    if (form == Form::default_layout && !decltype(default_form)::value) form = Form::value_first;
    switch (form) {
      case Form::value_first: return go(activ::value_first);
      case Form::gate_first: return go(activ::gate_first);
      case Form::interleaved: return go(activ::interleaved);
      default:
        if constexpr (decltype(default_form)::value) go(DefaultLayout{});
        return;
    }
  };

  ExactBuffer<T> storage(0);
  if constexpr (!kEvery) {  // the plain presentations (every_presentation)
    auto h = V::outer_map(storage, c, c.rows, cols);
    fill(h, pool, 0);
    return with_input(h, logical<T>(h), std::false_type{}, std::true_type{});
  } else {
    switch (c.kind) {
      case Kind::outer_stride: {
        auto h = V::outer_map(storage, c, c.rows, cols);
        fill(h, pool, 0);
        return with_input(h, logical<T>(h), std::true_type{}, std::true_type{});
      }
      case Kind::strided: {
        auto h = V::strided_map(storage, c, c.rows, cols);
        fill(h, pool, 0);
        return with_input(h, logical<T>(h), std::true_type{}, std::false_type{});
      }
      case Kind::block: {
        auto h = V::block(storage, c, c.rows, cols);
        fill(h, pool, 0);
        return with_input(h, logical<T>(h), std::true_type{}, std::false_type{});
      }
      case Kind::expression: {  // no storage: Eigen reads it through coeff()/packet()
        auto base = V::outer_map(storage, c, c.rows, cols);
        fill(base, pool, 0);
        const auto h = base.unaryExpr(activ::Identity{});
        return with_input(h, logical<T>(base), std::false_type{}, std::false_type{});
      }
      case Kind::product: {  // evaluated once into a buffer the GLU expression owns (glu_owned.hpp)
        if constexpr (Order == Eigen::ColMajor) {
          auto base = V::outer_map(storage, c, c.rows, cols);
          fill(base, pool, 0);
          const Eigen::Matrix<T, Dynamic, Dynamic> w =
              Eigen::Matrix<T, Dynamic, Dynamic>::Identity(cols, cols);
          const Eigen::Matrix<T, Dynamic, Dynamic> evaluated = base * w;
          const auto h = base * w;
          return with_input(h, logical<T>(evaluated), std::false_type{}, std::false_type{});
        }
        break;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The two-input form.

template <class T, int Order, bool kEvery, class C>
void run_pair(const C& call, const Config& c, const std::vector<T>& pool) {
  using V = Views<T, Order>;
  Index gate_rows = c.rows, gate_cols = c.d;
  std::vector<std::string> errors;
  if (c.bad_limit) errors.push_back(limit_message(c));
  if (c.mismatch) {
    const Index delta = c.minus && ((c.which & 1) ? gate_cols : gate_rows) > 0 ? -1 : 1;
    switch (c.which) {
      case 0: gate_rows += delta; break;
      case 1: gate_cols += delta; break;
      case 2:  // transposed, or both off when that is the same shape
        if (gate_rows != gate_cols) {
          std::swap(gate_rows, gate_cols);
        } else {
          gate_rows += 1;
          gate_cols += 1;
        }
        break;
      default: gate_cols += 1; break;
    }
    errors.push_back(std::string(c.var.name) + ": value is " + shape(c.rows, c.d) +
                     " but gate is " + shape(gate_rows, gate_cols) +
                     "; the two inputs must have the same shape");
  }
  const auto with_inputs = [&](const auto& value_view, const auto& gate_view,
                               const Logical<T>& value, const Logical<T>& gate) {
    const auto build = [&] { return call.pair(value_view, gate_view); };
    const auto into = [&](auto& dst) { call.into(dst, value_view, gate_view); };
    Logical<T> v = value, g = gate;
    if (c.mismatch) v = g = Logical<T>{c.rows, c.d, std::vector<T>(std::size_t(c.rows * c.d))};
    evaluate<T, Order>(call, c, v, g, build, into, nullptr, errors);
  };
  ExactBuffer<T> vs(0), gs(0);
  const std::size_t gate_shift = 1 + pool.size() / 2;
  switch (kEvery ? c.kind : Kind::outer_stride) {
    case Kind::strided: {
      if constexpr (!kEvery) break;
      auto a = V::strided_map(vs, c, c.rows, c.d);
      auto b = V::strided_map(gs, c, gate_rows, gate_cols);
      fill(a, pool, 0);
      fill(b, pool, gate_shift);
      return with_inputs(a, b, logical<T>(a), logical<T>(b));
    }
    case Kind::block: {
      if constexpr (!kEvery) break;
      auto a = V::block(vs, c, c.rows, c.d);
      auto b = V::block(gs, c, gate_rows, gate_cols);
      fill(a, pool, 0);
      fill(b, pool, gate_shift);
      return with_inputs(a, b, logical<T>(a), logical<T>(b));
    }
    case Kind::expression:
    case Kind::product: {  // unfused projections: activ::swiglu(x * W_up, x * W_gate)
      if constexpr (kEvery && Order == Eigen::ColMajor) {
        auto a = V::outer_map(vs, c, c.rows, c.d);
        auto b = V::outer_map(gs, c, gate_rows, gate_cols);
        fill(a, pool, 0);
        fill(b, pool, gate_shift);
        using M = Eigen::Matrix<T, Dynamic, Dynamic>;
        const M wa = M::Identity(c.d, c.d), wb = M::Identity(gate_cols, gate_cols);
        return with_inputs(a * wa, b * wb, logical<T>(M(a * wa)), logical<T>(M(b * wb)));
      }
      break;
    }
    default: {
      auto a = V::outer_map(vs, c, c.rows, c.d);
      auto b = V::outer_map(gs, c, gate_rows, gate_cols);
      fill(a, pool, 0);
      fill(b, pool, gate_shift);
      return with_inputs(a, b, logical<T>(a), logical<T>(b));
    }
  }
}

template <class T, bool kEvery, class C>
void run_call(const C& call, const Config& c, const std::vector<T>& pool) {
  if (c.form == Form::two_input) {
    if (c.row_major) return run_pair<T, Eigen::RowMajor, kEvery>(call, c, pool);
    return run_pair<T, Eigen::ColMajor, kEvery>(call, c, pool);
  }
  if (c.row_major) return run_fused<T, Eigen::RowMajor, kEvery>(call, c, pool);
  return run_fused<T, Eigen::ColMajor, kEvery>(call, c, pool);
}

// Input kinds and destinations exercise the layout machinery, which does not depend on the gate:
// every kind and destination are fuzzed for a variant of each shape of call (a precise gate:
// geglu; an exact one: reglu; a value transform and clamps: swiglu_oai; a parameter: fast::swiglu
// with beta), the other variants in the plain presentations (an outer-stride Map; a plain result,
// into() a Map, padded or not). Every variant instantiated with every kind and destination would
// triple this file's compile time.
template <class Variant, std::size_t kParams>
constexpr bool every_presentation() {
  return std::is_same_v<Variant, std::decay_t<decltype(activ::geglu)>> ||
         std::is_same_v<Variant, std::decay_t<decltype(activ::reglu)>> ||
         std::is_same_v<Variant, std::decay_t<decltype(activ::swiglu_oai)>> ||
         (std::is_same_v<Variant, std::decay_t<decltype(activ::fast::swiglu)>> && kParams == 1);
}

// visit(variant, kEvery, params...) for variant var_id of this translation unit's tier (file
// comment), kEvery its every_presentation<>() as a std::bool_constant.
template <class Visit>
void visit_variant(int var_id, Visit visit) {
  const auto each = [&, id = kFirstVariant](const GluVariant&, const auto& variant,
                                            auto... fixed) mutable {
    if (id++ != var_id) return;
    using Variant = std::decay_t<decltype(variant)>;
    visit(variant, std::bool_constant<every_presentation<Variant, sizeof...(fixed)>()>{}, fixed...);
  };
#ifdef ACTIV_FUZZ_GLU_FAST
  activ_test::for_each_fast_glu_variant(each);
#else
  activ_test::for_each_precise_glu_variant(each);
#endif
}

// Whether variant var_id is fuzzed in every presentation, for the decoder.
bool every_presentation(int var_id) {
  bool every = false;
  visit_variant(var_id, [&](const auto&, auto k_every, auto...) { every = k_every; });
  return every;
}

// Variant c.var_id of the list, with the fuzzer's parameters in place of the list's: beta for
// swiglu(beta), alpha (params.beta) and limit for swiglu_oai.
template <class T>
void run(const Config& c, const std::vector<T>& pool) {
  visit_variant(c.var_id, [&](const auto& variant, auto k_every, auto... fixed) {
    using Variant = std::decay_t<decltype(variant)>;
    constexpr bool kEvery = decltype(k_every)::value;
    if constexpr (std::is_same_v<Variant, std::decay_t<decltype(activ::swiglu_oai)>> ||
                  std::is_same_v<Variant, std::decay_t<decltype(activ::fast::swiglu_oai)>>) {
      run_call<T, kEvery>(make_call(variant, c.params.beta, c.params.limit), c, pool);
    } else if constexpr (sizeof...(fixed) > 0) {
      run_call<T, kEvery>(make_call(variant, c.params.beta), c, pool);
    } else {
      run_call<T, kEvery>(make_call(variant), c, pool);
    }
  });
}

double decode_beta(std::uint8_t b, std::uint32_t mantissa) {
  static constexpr double kPresets[] = {1.0, 0.5, 1.702, 2.0};
  if (b < 64) return kPresets[b % 4];
  return std::ldexp(1.0 + double(mantissa) * 0x1p-24, int(b % 17) - 8);
}

double decode_limit(std::uint8_t b10, std::uint8_t b11, bool bad) {
  static constexpr double kPresets[] = {
      7.0, std::numeric_limits<double>::infinity(), 0.0, -0.0, 1.0, 0.5, 30.0, 1e30};
  const double limit = b10 < 128 ? kPresets[b10 % 8] : std::ldexp(double(b11), int(b10 % 16) - 8);
  if (!bad) return limit;
  if (b11 & 1) return std::numeric_limits<double>::quiet_NaN();
  return -(1.0 + limit);
}

}  // namespace
}  // namespace activ_fuzz

// The fast variants' entry (fuzz_glu_fast.cpp), which LLVMFuzzerTestOneInput hands their inputs.
extern "C" int activ_fuzz_glu_fast_input(const std::uint8_t* data, std::size_t size);

#ifdef ACTIV_FUZZ_GLU_FAST
extern "C" int activ_fuzz_glu_fast_input(const std::uint8_t* data, std::size_t size) {
#else
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
#endif
  using namespace activ_fuzz;
  Reader r(data, size);
  Config c;
  const std::uint8_t b0 = r.byte(), b1 = r.byte(), b2 = r.byte(), b3 = r.byte(), b4 = r.byte(),
                     b5 = r.byte();
  c.var_id = (b0 & 0x7f) % kVariants;
#ifndef ACTIV_FUZZ_GLU_FAST
  if (c.var_id >= activ_test::kPreciseGluVariants) return activ_fuzz_glu_fast_input(data, size);
#endif
  c.var = kGluVariants[c.var_id];
  c.form = static_cast<Form>((b1 & 7) % 5);
  c.row_major = (b1 & 8) != 0;
  c.kind = static_cast<Kind>(((b1 >> 4) & 7) % 5);
  if (c.kind == Kind::expression && c.form == Form::two_input) c.kind = Kind::product;
  if (c.kind == Kind::product) c.row_major = false;  // built for column-major only
  c.rows = b2 % 13;
  c.d = (b3 & 31) % 18;
  c.dest = static_cast<Dest>((b3 >> 5) & 3);
  if (!every_presentation(c.var_id)) {  // the plain presentations only
    c.kind = Kind::outer_stride;
    if (c.dest == Dest::in_place) c.dest = Dest::into_padded;
  }
  c.offset = b4 & 7;
  c.pad = (b4 >> 3) & 3;
  c.inner = 1 + ((b4 >> 5) & 3);
  c.odd = (b5 & 1) && c.form != Form::two_input;
  c.mismatch = (b5 & 2) && c.form == Form::two_input;
  c.bad_destination = (b5 & 4) != 0;
  c.bad_limit = (b5 & 8) && c.var.oai;
  c.which = (b5 >> 4) & 3;
  c.minus = (b5 & 0x40) != 0;
  const std::uint8_t b6 = r.byte();
  const auto mantissa = static_cast<std::uint32_t>(r.bytes(3));
  c.params.beta = decode_beta(b6, mantissa);
  const std::uint8_t b10 = r.byte(), b11 = r.byte();
  c.params.limit = decode_limit(b10, b11, c.bad_limit);
  // Coverage features (fuzz_common.hpp): the configuration reached.
  const auto bucket = [](Index n) {
    return n == 0 ? std::size_t(0) : 1 + std::size_t(std::min(4, std::ilogb(double(n))));
  };
  const std::size_t is_double = (b0 & 0x80) ? 1 : 0, id = std::size_t(c.var_id) * 2 + is_double;
  const std::size_t form = std::size_t(c.form), kind = std::size_t(c.kind);
  feature(0, ((id * 5 + form) * 5 + kind) * 2 + (c.row_major ? 1 : 0));
  feature(1, (id * 4 + std::size_t(c.dest)) * 5 + form);
  feature(2, ((is_double * 5 + form) * 5 + bucket(c.rows)) * 6 + bucket(c.d));
  feature(3, ((is_double * 5 + kind) * 8 + std::size_t(c.offset)) * 16 +
                 std::size_t(c.pad * 4 + c.inner - 1));
  feature(4, id * 16 + (c.odd ? 1 : 0) + (c.mismatch ? 2 : 0) + (c.bad_destination ? 4 : 0) +
                 (c.bad_limit ? 8 : 0));
  try {
    if (b0 & 0x80) {
      const std::vector<double> pool = r.pool<double>(16);
      if (!pool.empty()) run<double>(c, pool);
    } else {
      const std::vector<float> pool = r.pool<float>(16);
      if (!pool.empty()) run<float>(c, pool);
    }
  } catch (const std::exception& e) {
    fail(describe(c) + ": unexpected exception: " + e.what());
  }
  return 0;
}
