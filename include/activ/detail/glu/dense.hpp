// GLU input adapter for Eigen dense objects: Matrix, Array, Map, Block, Ref and any dense
// expression, of either storage order. The last dimension is the columns.
//
// value_first / gate_first: leftCols(d) and rightCols(d), blocks of any expression; for
// column-major storage each half is contiguous, so the whole GLU runs as one linear packet loop.
// interleaved (gate = even columns, value = odd columns):
//   - column-major with direct access: a Map with outer stride 2*outerStride; the columns are
//     still contiguous, so the packet path is unchanged, but Eigen vectorizes it column by
//     column: the rows % packet-size tail of every column takes the scalar path (as costly per
//     element as a whole packet of the gate), and with fewer rows than a packet (one token)
//     all of it does. Row-major storage has no such tail for the usual widths;
//   - row-major with direct access: glu_every_other_column (glu_deinterleave.hpp), a view with
//     its own packetOp that de-interleaves two packet loads;
//   - anything else (an expression without storage): an IndexedView with step 2, read a scalar
//     at a time. Evaluate such an input first if speed matters.
// A 1-D input (a column vector: Array/Vector of length 2d, a column block, head/segment of one)
// is split along its length, as PyTorch splits a 1-D tensor: as its transpose, a row vector, whose
// result is transposed back to length d. A row vector is split along its columns as it is.
// Fixed widths are checked at compile time, dynamic ones when the expression is built.
// An input containing a matrix product (activ::geglu(x * W)) is evaluated once when the
// expression is built, instead of once per half (glu_owned.hpp).
#pragma once

#include <Eigen/Core>

#include <memory>
#include <type_traits>
#include <utility>

#include "activ/detail/glu/check.hpp"
#include "activ/detail/glu/deinterleave.hpp"
#include "activ/detail/glu/input.hpp"
#include "activ/detail/glu/layout.hpp"
#include "activ/detail/glu/owned.hpp"

namespace activ {
namespace detail {

template <class D>
std::true_type is_dense_test(const Eigen::DenseBase<D>*);
std::false_type is_dense_test(const void*);

/// Any dense Eigen object or expression, including those whose DenseBase is a base's
/// (VectorBlock, the type of head(), tail() and segment(), is a Block).
template <class X>
inline constexpr bool is_dense_v = decltype(is_dense_test(std::declval<const X*>()))::value;

template <class D>
struct glu_input<D, std::enable_if_t<is_dense_v<D>>> {
  static constexpr bool value = true;

  using Scalar = typename D::Scalar;
  using Index = Eigen::Index;
  /// 1-D: split along the rows (the length), through the transpose.
  static constexpr bool kColumnVector = D::ColsAtCompileTime == 1 && D::RowsAtCompileTime != 1;
  static constexpr int kCols = D::ColsAtCompileTime;
  static constexpr int kHalf = kCols == Eigen::Dynamic ? Eigen::Dynamic : kCols / 2;
  static constexpr bool kDirect = (int(D::Flags) & Eigen::DirectAccessBit) != 0;
  static constexpr int kInnerStride = [] {  // of a direct-access D; unused otherwise
    if constexpr (kDirect) {
      return int(Eigen::internal::traits<D>::InnerStrideAtCompileTime);
    } else {
      return 0;
    }
  }();

  // A plain object of D's kind (Matrix or Array) and storage order with the half's size: the
  // type the interleaved views present themselves as.
  template <int Options>
  using HalfPlain = std::conditional_t<
      std::is_same_v<typename Eigen::internal::traits<D>::XprKind, Eigen::ArrayXpr>,
      Eigen::Array<Scalar, D::RowsAtCompileTime, kHalf, Options>,
      Eigen::Matrix<Scalar, D::RowsAtCompileTime, kHalf, Options>>;

  /// d as a compile-time constant where the width is fixed, so the blocks stay fixed-size.
  static auto half_extent(Index d) {
    if constexpr (kHalf == Eigen::Dynamic) {
      return d;
    } else {
      return Eigen::fix<kHalf>;
    }
  }

  static Index checked_half(const char* fn, const D& h) {
    constexpr int kLength = kColumnVector ? int(D::RowsAtCompileTime) : kCols;
    static_assert(kLength == Eigen::Dynamic || kLength % 2 == 0,
                  "activ GLU: the last dimension (a vector's length) must be even (2*d)");
    const Index length = kColumnVector ? h.rows() : h.cols();
    if (length % 2 != 0) {
      glu_fail_odd(fn, length, glu_shape(h.rows(), h.cols()),
                   D::IsVectorAtCompileTime ? "elements" : "columns");
    }
    return length / 2;
  }

  /// Columns lane, lane + 2, lane + 4, ... of h (lane 0: the gate, lane 1: the value).
  static auto every_other_column(const D& h, Index d, Index lane) {
    if constexpr (kDirect && !D::IsRowMajor) {
      using Stride = Eigen::Stride<Eigen::Dynamic, kInnerStride>;
      using Map = Eigen::Map<const HalfPlain<Eigen::ColMajor>, Eigen::Unaligned, Stride>;
      const Scalar* first = h.size() == 0 ? h.data() : h.data() + lane * h.outerStride();
      return Map(first, h.rows(), d, Stride(2 * h.outerStride(), h.innerStride()));
    } else if constexpr (kDirect && D::IsRowMajor && kHalf != 1) {
      using Op = glu_every_other_column<Scalar, kInnerStride == 1>;
      return Eigen::CwiseNullaryOp<Op, HalfPlain<Eigen::RowMajor>>(
          h.rows(), d, Op{h.data(), h.outerStride(), h.innerStride(), lane});
    } else {
      // Expressions without storage; lane is 0 or 1.
      // (all_t{} is Eigen::all in Eigen 3.4 and Eigen::placeholders::all in Eigen 5.)
      return h(Eigen::internal::all_t{}, Eigen::seqN(lane, half_extent(d), Eigen::fix<2>));
    }
  }

  /// The fused forms. An input containing a matrix product is evaluated once, here, into a
  /// buffer the returned expression owns (glu_owned.hpp); anything else stays lazy.
  template <class F, class Layout>
  static auto split(const char* fn, const F& f, const D& h, Layout layout) {
    const Index d = checked_half(fn, h);
    if constexpr (kColumnVector) {
      // (Transpose<const D>, or of D's base for a VectorBlock: what transpose() returns.)
      using Row = std::decay_t<decltype(h.transpose())>;
      return glu_input<Row>::split(fn, f, h.transpose(), layout).transpose();
    } else if constexpr (glu_has_product_v<D>) {
      using Plain = typename D::PlainObject;
      auto storage = std::make_shared<const Plain>(h);
      const Plain& evaluated = *storage;
      return glu_input<Plain>::halves(glu_owning<F, Plain>{f, std::move(storage)}, evaluated, d,
                                      layout);
    } else {
      return halves(f, h, d, layout);
    }
  }

  /// The right half, h.rightCols(d), except for an input without elements (0 rows, 2d columns),
  /// where it starts at column 0: Eigen's Block would offset h.data(), a null pointer there,
  /// which is undefined behaviour (UBSan: "applying non-zero offset to null pointer").
  static auto right_half(const D& h, Index d) {
    return h.middleCols(h.size() == 0 ? 0 : d, half_extent(d));
  }

  template <class F>
  static auto halves(const F& f, const D& h, Index d, glu_order_tag<glu_order::value_first>) {
    return h.leftCols(half_extent(d)).binaryExpr(right_half(h, d), f);
  }
  template <class F>
  static auto halves(const F& f, const D& h, Index d, glu_order_tag<glu_order::gate_first>) {
    return right_half(h, d).binaryExpr(h.leftCols(half_extent(d)), f);
  }
  template <class F>
  static auto halves(const F& f, const D& h, Index d, glu_order_tag<glu_order::interleaved>) {
    return every_other_column(h, d, 1).binaryExpr(every_other_column(h, d, 0), f);
  }

  template <class F, class G>
  static auto pair(const char* fn, const F& f, const D& values, const G& gates) {
    static_assert(is_dense_v<G>, "activ GLU: value and gate must both be dense Eigen objects");
    static_assert(std::is_same_v<Scalar, typename G::Scalar>,
                  "activ GLU: value and gate must have the same scalar type");
    if (values.rows() != gates.rows() || values.cols() != gates.cols()) {
      glu_fail_mismatch(fn, glu_shape(values.rows(), values.cols()),
                        glu_shape(gates.rows(), gates.cols()));
    }
    return values.binaryExpr(gates, f);
  }

  template <class Dst, class Xpr>
  static void assign(const char* fn, Dst& dst, const Xpr& xpr) {
    static_assert(is_dense_v<Dst>,
                  "activ GLU: the destination of a dense GLU must be a dense Eigen object");
    if (dst.rows() != xpr.rows() || dst.cols() != xpr.cols()) {
      glu_fail_destination(fn, glu_shape(dst.rows(), dst.cols()),
                           glu_shape(xpr.rows(), xpr.cols()));
    }
    dst = xpr;
  }
};

}  // namespace detail
}  // namespace activ
