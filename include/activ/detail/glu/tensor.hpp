// GLU input adapter for Eigen::Tensor, TensorMap, TensorFixedSize, TensorRef and tensor
// expressions of either layout. The last dimension (index rank-1) is split:
//   value_first / gate_first: two slices of extent d at offsets 0 and d;
//   interleaved: slices starting at 0 (gate) and 1 (value), extent 2d-1, strided by 2.
// Both feed TensorBase::binaryExpr with the same GLU functor as the dense path, so the result is
// an ordinary tensor expression: `out.device(thread_pool_device) = activ::geglu(t)` evaluates
// it on Eigen's thread pool.
#pragma once

#include <unsupported/Eigen/CXX11/Tensor>

#include <algorithm>
#include <type_traits>

#include "activ/detail/glu/check.hpp"
#include "activ/detail/glu/input.hpp"
#include "activ/detail/glu/layout.hpp"

namespace activ {
namespace detail {

template <class T, class = void>
struct tensor_has_dimensions : std::false_type {};
template <class T>
struct tensor_has_dimensions<T, std::void_t<decltype(std::declval<const T&>().dimensions())>>
    : std::true_type {};

template <class T>
inline constexpr bool is_tensor_v =
    std::is_base_of_v<Eigen::TensorBase<T, Eigen::ReadOnlyAccessors>, T>;

/// The extents of any tensor object or expression. Expressions know them only through their
/// evaluator, whose constructor computes them without evaluating anything.
template <class T>
auto tensor_extents(const T& t) {
  constexpr int kRank = Eigen::internal::traits<T>::NumDimensions;
  using Index = typename Eigen::internal::traits<T>::Index;
  Eigen::DSizes<Index, kRank> extents;
  if constexpr (tensor_has_dimensions<T>::value) {
    for (std::size_t i = 0; i < std::size_t(kRank); ++i) extents[i] = Index(t.dimensions()[i]);
  } else {
    const Eigen::DefaultDevice device;
    const Eigen::TensorEvaluator<const T, Eigen::DefaultDevice> evaluator(t, device);
    for (std::size_t i = 0; i < std::size_t(kRank); ++i)
      extents[i] = Index(evaluator.dimensions()[i]);
  }
  return extents;
}

template <class A, class B>
bool same_extents(const A& a, const B& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < static_cast<std::size_t>(a.size()); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

template <class T>
struct glu_input<T, std::enable_if_t<is_tensor_v<T>>> {
  static constexpr bool value = true;
  static constexpr int kRank = Eigen::internal::traits<T>::NumDimensions;
  static_assert(kRank >= 1, "activ GLU: a rank-0 tensor has no last dimension to split");
  using Index = typename Eigen::internal::traits<T>::Index;
  using Extents = Eigen::DSizes<Index, kRank>;

  static Extents checked_extents(const char* fn, const T& t) {
    const Extents extents = tensor_extents(t);
    if (extents[kRank - 1] % 2 != 0) {
      glu_fail_odd(fn, extents[kRank - 1], glu_shape(extents), "elements in its last dimension");
    }
    return extents;
  }

  /// The slice of extent `width` starting at `offset` in the last dimension.
  static auto slice_last(const T& t, Extents extents, Index offset, Index width) {
    Extents start;  // zero-initialized
    start[kRank - 1] = offset;
    extents[kRank - 1] = width;
    return t.slice(start, extents);
  }

  template <class F>
  static auto split(const char* fn, const F& f, const T& t, glu_order_tag<glu_order::value_first>) {
    const Extents e = checked_extents(fn, t);
    const Index d = e[kRank - 1] / 2;
    return slice_last(t, e, 0, d).binaryExpr(slice_last(t, e, d, d), f);
  }

  template <class F>
  static auto split(const char* fn, const F& f, const T& t, glu_order_tag<glu_order::gate_first>) {
    const Extents e = checked_extents(fn, t);
    const Index d = e[kRank - 1] / 2;
    return slice_last(t, e, d, d).binaryExpr(slice_last(t, e, 0, d), f);
  }

  template <class F>
  static auto split(const char* fn, const F& f, const T& t, glu_order_tag<glu_order::interleaved>) {
    const Extents e = checked_extents(fn, t);
    const Index d = e[kRank - 1] / 2;
    Eigen::array<Index, kRank> step;
    step.fill(1);
    step[kRank - 1] = 2;
    // Extent 2d-1 from offset 0 or 1, stride 2: exactly d elements each (none when d = 0).
    const Index width = std::max<Index>(2 * d - 1, 0);
    const Index odd = d > 0 ? 1 : 0;
    return slice_last(t, e, odd, width)
        .stride(step)
        .binaryExpr(slice_last(t, e, 0, width).stride(step), f);
  }

  template <class F, class G>
  static auto pair(const char* fn, const F& f, const T& values, const G& gates) {
    static_assert(is_tensor_v<G>, "activ GLU: value and gate must both be tensors");
    static_assert(Eigen::internal::traits<G>::NumDimensions == kRank,
                  "activ GLU: value and gate must have the same rank");
    static_assert(std::is_same_v<typename T::Scalar, typename G::Scalar>,
                  "activ GLU: value and gate must have the same scalar type");
    static_assert(
        int(Eigen::internal::traits<T>::Layout) == int(Eigen::internal::traits<G>::Layout),
        "activ GLU: value and gate must have the same layout (RowMajor or ColMajor)");
    const Extents value_extents = tensor_extents(values);
    const Extents gate_extents = tensor_extents(gates);
    if (!same_extents(value_extents, gate_extents)) {
      glu_fail_mismatch(fn, glu_shape(value_extents), glu_shape(gate_extents));
    }
    return values.binaryExpr(gates, f);
  }

  template <class Dst, class Xpr>
  static void assign(const char* fn, Dst& dst, const Xpr& xpr) {
    static_assert(std::is_base_of_v<Eigen::TensorBase<Dst, Eigen::WriteAccessors>, Dst>,
                  "activ GLU: the destination of a tensor GLU must be a writable tensor");
    const auto result = tensor_extents(xpr);
    const auto destination = tensor_extents(dst);
    if (!same_extents(destination, result)) {
      glu_fail_destination(fn, glu_shape(destination), glu_shape(result));
    }
    dst = xpr;
  }
};

}  // namespace detail
}  // namespace activ
