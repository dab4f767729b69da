// libFuzzer target: the element-wise activations gelu, gelu_tanh, sigmoid, silu, swish(beta) and
// relu, in float and double, in both tiers (activ:: and activ::fast::). Each input is decoded into a function, a container (vector or matrix
// Map with offset, inner/outer strides, either storage order, or a Block) and a pool of up to 16
// values (raw bit patterns, NaN payloads, infinities and subnormals included) that fills it.
// Checks, for every input:
//  (a) every element of the evaluated expression (Eigen's packet path, its scalar tails and
//      strided scalar loops) equals the functor's one-element scalar operator() bit for bit
//      (docs/design.md §5: bit-identical regardless of position, alignment, stride or path);
//  (b) every pool value's result is within the documented bound of the independent reference
//      (tests/support: double libm rounded once for float, MPFR for double): "Max error: 2 ULP
//      on the whole real line" (gelu.hpp, gelu_tanh.hpp, sigmoid.hpp, swish.hpp; swish for
//      beta > 0), 4 ULP for activ::fast, relu exact;
//  (c) the special values of docs/design.md §3 exactly: NaN comes back bit for bit, ±inf, ±0 with the
//      sign, and subnormal x (≈ x/2 with the sign kept; sigmoid 1/2).
// The buffers are heap blocks of exactly the size the view spans, so AddressSanitizer reports any
// access outside the view.
//
// Input layout (bytes; missing bytes read as 0):
//   0      function = (b & 7) % 6: gelu, gelu_tanh, sigmoid, silu, swish, relu; b & 0x40: the
//          fast tier (relu has one tier); b & 0x80: double
//   1      container = b % 7, the cases of run(): vectors, strided matrices, a Block
//   2      bits 0-3: offset of the view in its buffer (elements); bits 4-5: extra stride/padding
//   3      vectors: element count (b % 65); matrices: rows (b % 20)
//   4      vectors: offset of the output view; matrices: columns (b % 9), bits 4-7: block origin
//   5-8    swish's beta: b5 < 64 gives {1, 0.5, 1.702, 2}[b5 % 4]; otherwise
//          (1 + (b6 | b7 << 8 | b8 << 16) / 2^24) * 2^(b5 % 17 - 8), a beta in [2^-8, 2^9)
//   9...   up to 16 values, 4 (float) or 8 (double) bytes each, little-endian bit patterns;
//          element k of the view (row-major count) holds value k % count
#include <activ/activ.hpp>

#include "fuzz/fuzz_common.hpp"
#include "support/functions.hpp"
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
#include <vector>

namespace activ_fuzz {
namespace {

using activ_test::ulp_distance;
using Eigen::Dynamic;
using Eigen::Index;

enum class Shape { x_times, sigmoid, relu };  // which column of the docs/design.md §3 table applies

// swish with a beta from the input, in the precise tier or (kFastTier) the fast one; the reference
// uses beta converted to T, as activ::Swish does.
template <bool kFastTier>
struct SwishBeta {
  static constexpr bool kFast = kFastTier;
  double beta;
  std::string name() const {
    return std::string(kFastTier ? "fast::" : "") + "swish(beta = " + std::to_string(beta) + ")";
  }
  std::uint64_t max_ulp() const { return kFastTier ? activ_test::kMaxUlpFast : 2; }
  auto functor() const {
    if constexpr (kFastTier) {
      return activ::fast::Swish{beta};
    } else {
      return activ::Swish{beta};
    }
  }
  template <class X>
  auto apply(const X& x) const {
    if constexpr (kFastTier) {
      return activ::fast::swish(x, beta);
    } else {
      return activ::swish(x, beta);
    }
  }
  template <class T>
  T reference(T x) const {
    const double b = double(static_cast<T>(beta));
    if constexpr (std::is_same_v<T, float>) {
      return activ_test::round_to_float(activ_test::ref::swish(double(x), b), [&] {
        return activ_test::mpfr_reference().swish<float>(double(x), b);
      });
    } else {
      return activ_test::mpfr_reference().swish<double>(x, b);
    }
  }
};

// The support descriptors (tests/support/functions.hpp; Fast<Fn> for the fast tier) as objects,
// like SwishBeta.
template <class Fn>
struct Static {
  static constexpr bool kFast = Fn::kFast;
  std::string name() const { return Fn::name(); }
  std::uint64_t max_ulp() const { return Fn::kFast ? activ_test::kMaxUlpFast : 2; }
  auto functor() const { return Fn::functor(); }
  template <class X>
  auto apply(const X& x) const {
    return Fn::apply(x);
  }
  template <class T>
  T reference(T x) const {
    return Fn::template reference<T>(x);
  }
};

template <class Fn>
struct Type {
  using type = Fn;
};

template <class D>
inline constexpr bool kIsSwishBeta = false;
template <bool kFastTier>
inline constexpr bool kIsSwishBeta<SwishBeta<kFastTier>> = true;

template <class T>
ReferenceCache<T>& cache() {
  static ReferenceCache<T> c;
  return c;
}

// (b) and (c) for one value x whose result (through the scalar path, equal to the packet path
// by (a)) is y.
template <class T, class D>
void check_value(const D& fn, Shape shape, int fn_id, T x, T y) {
  using L = std::numeric_limits<T>;
  const auto at = [&] {
    return fn.name() + "<" + type_name<T>() + ">(" + show(x) + ") = " + show(y);
  };
  const auto exactly = [&](T want, const char* why) {
    check(bits_of(y) == bits_of(want),
          [&] { return at() + ", want " + show(want) + " (" + why + ")"; });
  };
  // (c) docs/design.md §3.
  if (std::isnan(x)) return exactly(x, "docs/design.md §3: NaN comes back bit for bit");
  if (shape == Shape::relu) {  // relu.hpp: exact, relu(-0) = relu(-inf) = +0
    return exactly(x > 0 ? x : T(0), "relu is exact: max(x, 0), -0 -> +0");
  }
  if (x == L::infinity())
    return exactly(shape == Shape::sigmoid ? T(1) : x, "docs/design.md §3: +inf");
  if (x == -L::infinity()) {
    return exactly(shape == Shape::sigmoid ? T(+0.0) : T(-0.0), "docs/design.md §3: -inf");
  }
  if (std::fpclassify(x) == FP_ZERO || std::fpclassify(x) == FP_SUBNORMAL) {
    if (shape == Shape::sigmoid)
      return exactly(T(0.5), "docs/design.md §3: ±0 and subnormals give 1/2");
    if (x == 0) return exactly(x, "docs/design.md §3: ±0 keeps its sign");
    // ≈ x/2, sign kept (x/2 may be a tie, and -denorm_min may give -0).
    check(std::signbit(y) == std::signbit(x) && ulp_distance(y, x / 2) <= 2, [&] {
      return at() + ": docs/design.md §3 wants ≈ x/2 = " + show(x / 2) + " with the sign of x";
    });
  }
  // (b) the accuracy bound.
  const std::uint64_t tag = std::uint64_t(fn_id) << 1 | (std::is_same_v<T, double> ? 1 : 0);
  std::uint64_t beta_bits = 0;
  if constexpr (kIsSwishBeta<D>) beta_bits = bits_of(fn.beta);
  const T want =
      cache<T>().get(tag, bits_of(x), beta_bits, [&] { return fn.template reference<T>(x); });
  const std::uint64_t d = ulp_distance(y, want), bound = fn.max_ulp();
  check(d <= bound, [&] {
    return at() + ", reference " + show(want) + ": " +
           (d == activ_test::kNanMismatch ? std::string("NaN mismatch")
                                          : std::to_string(d) + " ULP") +
           " > " + std::to_string(bound) + " ULP, the bound in the function's doc comment";
  });
}

// (a): result(i, j) is the scalar functor at input(i, j), bit for bit.
template <class T, class D, class In, class Out>
void check_elements(const D& fn, const In& in, const Out& out, const char* container) {
  const auto f = fn.functor();
  check(out.rows() == in.rows() && out.cols() == in.cols(),
        [] { return std::string("result shape"); });
  for (Index i = 0; i < in.rows(); ++i) {
    for (Index j = 0; j < in.cols(); ++j) {
      const T x = in(i, j);
      const T want = f(x);
      const T got = out(i, j);
      if (bits_of(got) != bits_of(want)) {
        fail(fn.name() + "<" + type_name<T>() + "> in " + container + " " +
             std::to_string(in.rows()) + "x" + std::to_string(in.cols()) + " at (" +
             std::to_string(i) + ", " + std::to_string(j) + "): x = " + show(x) + ", expression " +
             show(got) + ", scalar operator() " + show(want) +
             " (docs/design.md §5: the packet path must equal the scalar path)");
      }
    }
  }
}

// Fills the view's elements (row-major count) from the pool.
template <class View, class T>
void fill(View& v, const std::vector<T>& pool) {
  Index k = 0;
  for (Index i = 0; i < v.rows(); ++i)
    for (Index j = 0; j < v.cols(); ++j) v(i, j) = pool[std::size_t(k++) % pool.size()];
}

// Size of a buffer that holds a strided view: offset + the last element's index + 1.
template <class T, class D>
void run(const D& fn, Shape shape, int fn_id, Reader& r) {
  const int container = r.byte() % 7;
  const std::uint8_t b2 = r.byte(), b3 = r.byte(), b4 = r.byte();
  r.bytes(4);  // beta, decoded by the caller
  const std::vector<T> pool = r.pool<T>(16);
  const Index offset = b2 & 15, extra = (b2 >> 4) & 3;

  // Coverage features (fuzz_common.hpp): the configuration and the classes of the values.
  const std::size_t id =
      (std::size_t(fn_id) * 2 + (D::kFast ? 1 : 0)) * 2 + (std::is_same_v<T, double> ? 1 : 0);
  const Index elements = container <= 1 ? b3 % 65 : (b3 % 20) * (b4 % 9);
  const std::size_t size_bucket =
      elements == 0 ? 0 : 1 + std::size_t(std::min(6, std::ilogb(double(elements))));
  feature(0, id * 8 + std::size_t(container));
  feature(1, id * 8 + size_bucket);
  feature(2, (id % 2 * 8 + std::size_t(container)) * 16 + std::size_t(offset));
  for (const T x : pool) feature(3, id * 73 + value_class(x));
  if (pool.empty()) return;
  using ArrayX = Eigen::Array<T, Dynamic, 1>;
  switch (container) {
    case 0:    // contiguous vector at an offset, into a contiguous output at another offset
    case 1: {  // vector with an inner stride (Eigen's scalar path)
      const Index n = b3 % 65, out_offset = b4 & 15, stride = container == 0 ? 1 : 1 + extra;
      ExactBuffer<T> in(span(offset, 1, 0, n, stride)), out(span(out_offset, 1, 0, n, 1));
      for (std::size_t k = 0; k < in.size(); ++k) in[k] = sentinel<T>();
      for (std::size_t k = 0; k < out.size(); ++k) out[k] = sentinel<T>();
      Eigen::Map<ArrayX, Eigen::Unaligned, Eigen::InnerStride<>> x(in.data() + offset, n,
                                                                   Eigen::InnerStride<>(stride));
      fill(x, pool);
      Eigen::Map<ArrayX> y(out.data() + out_offset, n);
      if (container == 0) {
        const Eigen::Map<const ArrayX> xc(in.data() + offset, n);
        y = fn.apply(xc);
      } else {
        y = fn.apply(x);
      }
      check_elements<T>(fn, x, y, container == 0 ? "contiguous vector" : "inner-strided vector");
      break;
    }
    case 2:  // column-major matrix, outer stride = rows + padding
    case 3:  // row-major matrix, outer stride = cols + padding
    case 4:  // column-major / row-major matrix with both strides dynamic (Eigen's scalar path)
    case 5: {
      const Index rows = b3 % 20, cols = b4 % 9;
      const bool row_major = container == 3 || container == 5;
      // OuterStride<> keeps the inner stride 1 at compile time (packets); Stride<Dynamic, Dynamic>
      // does not. The same buffer arithmetic serves both, with the stride type a parameter.
      const auto go = [&](auto order, auto stride_type) {
        constexpr int kOrder = decltype(order)::value;
        using M = Eigen::Matrix<T, Dynamic, Dynamic, kOrder>;
        using S = decltype(stride_type);
        constexpr bool kDynamicInner = S::InnerStrideAtCompileTime == Dynamic;
        const Index inner = kDynamicInner ? 1 + extra : 1;
        const Index inner_count = row_major ? cols : rows, outer_count = row_major ? rows : cols;
        const Index outer = inner_count * inner + (kDynamicInner ? Index(b2 >> 6) : extra);
        ExactBuffer<T> in(span(offset, outer_count, outer, inner_count, inner));
        for (std::size_t k = 0; k < in.size(); ++k) in[k] = sentinel<T>();
        const S stride = [&] {
          if constexpr (kDynamicInner) {
            return S(outer, inner);
          } else {
            return S(outer);
          }
        }();
        Eigen::Map<M, Eigen::Unaligned, S> x(in.data() + offset, rows, cols, stride);
        fill(x, pool);
        const M y = fn.apply(x);
        const std::string what = std::string(row_major ? "row-major " : "column-major ") +
                                 (kDynamicInner ? "strided map" : "OuterStride map");
        check_elements<T>(fn, x, y, what.c_str());
      };
      const auto with_stride = [&](auto stride_type) {
        if (row_major) {
          go(std::integral_constant<int, Eigen::RowMajor>{}, stride_type);
        } else {
          go(std::integral_constant<int, Eigen::ColMajor>{}, stride_type);
        }
      };
      if (container <= 3) {
        with_stride(Eigen::OuterStride<>(0));
      } else {
        with_stride(Eigen::Stride<Dynamic, Dynamic>(0, 0));
      }
      break;
    }
    default: {  // a Block of a column-major matrix, into a Block of an output of the same size
      const Index rows = b3 % 20, cols = b4 % 9, r0 = (b4 >> 4) & 3, c0 = (b4 >> 6) & 3;
      const Index big_rows = rows + r0 + extra, big_cols = cols + c0 + (b2 & 3);
      using M = Eigen::Matrix<T, Dynamic, Dynamic>;
      ExactBuffer<T> in(std::size_t(big_rows * big_cols)), out(std::size_t(big_rows * big_cols));
      for (std::size_t k = 0; k < in.size(); ++k) in[k] = out[k] = sentinel<T>();
      Eigen::Map<M> big(in.data(), big_rows, big_cols), big_out(out.data(), big_rows, big_cols);
      auto x = big.block(r0, c0, rows, cols);
      fill(x, pool);
      auto y = big_out.block(r0, c0, rows, cols);
      y = fn.apply(x);
      check_elements<T>(fn, x, y, "Block");
      // Nothing outside the output block was written.
      for (Index j = 0; j < big_cols; ++j) {
        for (Index i = 0; i < big_rows; ++i) {
          const bool inside = i >= r0 && i < r0 + rows && j >= c0 && j < c0 + cols;
          check(inside || bits_of(big_out(i, j)) == bits_of(sentinel<T>()),
                [&] { return fn.name() + ": an assignment to a Block wrote outside it"; });
        }
      }
      break;
    }
  }

  // (b), (c) on each pool value, through the scalar operator() (= the packet path, by (a)).
  const auto f = fn.functor();
  for (const T x : pool) check_value<T>(fn, shape, fn_id, x, f(x));
}

double decode_beta(std::uint8_t b5, std::uint32_t mantissa) {
  static constexpr double kPresets[] = {1.0, 0.5, 1.702, 2.0};
  if (b5 < 64) return kPresets[b5 % 4];
  return std::ldexp(1.0 + double(mantissa) * 0x1p-24, int(b5 % 17) - 8);
}

// The function fn_id of the list in the input layout, in the tier kFastTier.
template <class T, bool kFastTier>
void dispatch(int fn_id, double beta, Reader& r) {
  using activ_test::Fast;
  using activ_test::GeluFn, activ_test::GeluTanhFn, activ_test::SigmoidFn, activ_test::SiluFn;
  const auto go = [&](auto fn_of_tier, Shape shape) {
    using Fn = typename decltype(fn_of_tier)::type;
    run<T>(Static<std::conditional_t<kFastTier, Fast<Fn>, Fn>>{}, shape, fn_id, r);
  };
  switch (fn_id) {
    case 0: return go(Type<GeluFn>{}, Shape::x_times);
    case 1: return go(Type<GeluTanhFn>{}, Shape::x_times);
    case 2: return go(Type<SigmoidFn>{}, Shape::sigmoid);
    case 3: return go(Type<SiluFn>{}, Shape::x_times);
    case 4: return run<T>(SwishBeta<kFastTier>{beta}, Shape::x_times, fn_id, r);
    default: return run<T>(Static<activ_test::ReluFn>{}, Shape::relu, fn_id, r);
  }
}

}  // namespace
}  // namespace activ_fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  activ_fuzz::Reader header(data, size);
  const std::uint8_t b0 = header.byte();
  header.bytes(4);
  const std::uint8_t b5 = header.byte();
  const auto mantissa = static_cast<std::uint32_t>(header.bytes(3));
  const double beta = activ_fuzz::decode_beta(b5, mantissa);

  activ_fuzz::Reader r(data, size);
  r.byte();
  const int fn_id = (b0 & 7) % 6;
  const bool fast = (b0 & 0x40) != 0;
  if (b0 & 0x80) {
    fast ? activ_fuzz::dispatch<double, true>(fn_id, beta, r)
         : activ_fuzz::dispatch<double, false>(fn_id, beta, r);
  } else {
    fast ? activ_fuzz::dispatch<float, true>(fn_id, beta, r)
         : activ_fuzz::dispatch<float, false>(fn_id, beta, r);
  }
  return 0;
}
