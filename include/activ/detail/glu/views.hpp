// Writable views of one half of a fused GLU input: the destinations for in-place evaluation.
// value_first / gate_first: a Block; interleaved: a Map with doubled stride over the even (gate)
// or odd (value) columns. The interleaved view needs storage (DirectAccessBit).
// A 1-D input (a column vector) is split along its length, as the GLU variants split it: a
// segment, or a Map with doubled inner stride.
#pragma once

#include <Eigen/Core>

#include <type_traits>

#include "activ/detail/glu/check.hpp"
#include "activ/detail/glu/layout.hpp"

namespace activ {
namespace detail {

enum class glu_half { value, gate };

template <class D, class Layout>
auto glu_half_view(const char* fn, D& h, Layout, glu_half which) {
  static_assert(std::is_base_of_v<Eigen::DenseBase<D>, D>, "activ: expects a dense Eigen object");
  constexpr bool kColumnVector = D::ColsAtCompileTime == 1 && D::RowsAtCompileTime != 1;
  constexpr int kLength = kColumnVector ? int(D::RowsAtCompileTime) : int(D::ColsAtCompileTime);
  static_assert(kLength == Eigen::Dynamic || kLength % 2 == 0,
                "activ GLU: the last dimension (a vector's length) must be even (2*d)");
  static_assert(is_glu_layout_v<Layout>,
                "activ: the layout is activ::value_first, "
                "activ::gate_first or activ::interleaved");
  const Eigen::Index length = kColumnVector ? h.rows() : h.cols();
  if (length % 2 != 0) {
    glu_fail_odd(fn, length, glu_shape(h.rows(), h.cols()),
                 D::IsVectorAtCompileTime ? "elements" : "columns");
  }
  const Eigen::Index d = length / 2;
  const bool first = (which == glu_half::value) == (Layout::order == glu_order::value_first);
  if constexpr (kColumnVector && Layout::order != glu_order::interleaved) {
    return h.segment(first || h.size() == 0 ? 0 : d, d);
  } else if constexpr (kColumnVector) {
    static_assert((int(D::Flags) & Eigen::DirectAccessBit) && (int(D::Flags) & Eigen::LvalueBit),
                  "activ: an interleaved half view needs a writable object with storage");
    constexpr int kRows = D::RowsAtCompileTime;
    using Plain = std::conditional_t<
        std::is_same_v<typename Eigen::internal::traits<D>::XprKind, Eigen::ArrayXpr>,
        Eigen::Array<typename D::Scalar, kRows == Eigen::Dynamic ? Eigen::Dynamic : kRows / 2, 1>,
        Eigen::Matrix<typename D::Scalar, kRows == Eigen::Dynamic ? Eigen::Dynamic : kRows / 2, 1>>;
    using Map = Eigen::Map<Plain, Eigen::Unaligned, Eigen::InnerStride<>>;
    const Eigen::Index lane = which == glu_half::gate ? 0 : 1;  // element k is h(2k + lane)
    auto* base = h.size() == 0 ? h.data() : h.data() + lane * h.innerStride();
    return Map(base, d, Eigen::InnerStride<>(2 * h.innerStride()));
  } else if constexpr (Layout::order != glu_order::interleaved) {
    // (An input without elements keeps column 0: offsetting its null data() is undefined.)
    return h.middleCols(first || h.size() == 0 ? 0 : d, d);
  } else {
    static_assert((int(D::Flags) & Eigen::DirectAccessBit) && (int(D::Flags) & Eigen::LvalueBit),
                  "activ: an interleaved half view needs a writable object with storage");
    using Scalar = typename D::Scalar;
    constexpr int kRows = D::RowsAtCompileTime;
    constexpr int kHalf =
        D::ColsAtCompileTime == Eigen::Dynamic ? Eigen::Dynamic : D::ColsAtCompileTime / 2;
    // Storage order of a half: D's, except where Eigen fixes it for a vector shape.
    constexpr int kOptions = (kRows == 1 && kHalf != 1)   ? Eigen::RowMajor
                             : (kHalf == 1 && kRows != 1) ? Eigen::ColMajor
                             : D::IsRowMajor              ? Eigen::RowMajor
                                                          : Eigen::ColMajor;
    using Plain = std::conditional_t<
        std::is_same_v<typename Eigen::internal::traits<D>::XprKind, Eigen::ArrayXpr>,
        Eigen::Array<Scalar, kRows, kHalf, kOptions>,
        Eigen::Matrix<Scalar, kRows, kHalf, kOptions>>;
    using Stride = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
    using Map = Eigen::Map<Plain, Eigen::Unaligned, Stride>;
    const Eigen::Index lane = which == glu_half::gate ? 0 : 1;
    // Element (i, j) of the half is h(i, 2j + lane).
    const Eigen::Index row_step = D::IsRowMajor ? h.outerStride() : h.innerStride();
    const Eigen::Index col_step = D::IsRowMajor ? h.innerStride() : h.outerStride();
    Scalar* base = h.size() == 0 ? h.data() : h.data() + lane * col_step;
    return (kOptions == Eigen::RowMajor) ? Map(base, h.rows(), d, Stride(row_step, 2 * col_step))
                                         : Map(base, h.rows(), d, Stride(2 * col_step, row_step));
  }
}

}  // namespace detail
}  // namespace activ
