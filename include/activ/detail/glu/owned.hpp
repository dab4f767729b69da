// Fused GLU inputs that contain a matrix product, e.g. activ::geglu(x * W) or
// activ::geglu((x * W).rowwise() + b).
//
// Eigen evaluates a product into a temporary whenever an evaluator of it is built, and the two
// halves of a fused GLU each build one: the product would be computed twice per assignment.
// glu_dense evaluates such an input once, when the GLU expression is built, into a buffer that
// the expression owns: the buffer's shared_ptr rides in the functor (glu_owning), which Eigen
// copies into every evaluator, so the blocks that view the buffer never outlive it.
// The detection covers products under the usual wrappers (cwise ops, blocks, replicate,
// array/matrix wrappers, transpose); an input it misses is still correct, only slower.
#pragma once

#include <Eigen/Core>

#include <memory>
#include <type_traits>

namespace activ {
namespace detail {

template <class T>
struct glu_has_product : std::false_type {};
template <class T>
inline constexpr bool glu_has_product_v = glu_has_product<std::remove_const_t<T>>::value;

template <class L, class R, int Option>
struct glu_has_product<Eigen::Product<L, R, Option>> : std::true_type {};
template <class F, class X>
struct glu_has_product<Eigen::CwiseUnaryOp<F, X>> : std::bool_constant<glu_has_product_v<X>> {};
template <class F, class L, class R>
struct glu_has_product<Eigen::CwiseBinaryOp<F, L, R>>
    : std::bool_constant<glu_has_product_v<L> || glu_has_product_v<R>> {};
template <class F, class A, class B, class C>
struct glu_has_product<Eigen::CwiseTernaryOp<F, A, B, C>>
    : std::bool_constant<glu_has_product_v<A> || glu_has_product_v<B> || glu_has_product_v<C>> {};
template <class X, int Rows, int Cols, bool InnerPanel>
struct glu_has_product<Eigen::Block<X, Rows, Cols, InnerPanel>>
    : std::bool_constant<glu_has_product_v<X>> {};
template <class X, int Rows, int Cols>
struct glu_has_product<Eigen::Replicate<X, Rows, Cols>> : std::bool_constant<glu_has_product_v<X>> {
};
template <class X>
struct glu_has_product<Eigen::ArrayWrapper<X>> : std::bool_constant<glu_has_product_v<X>> {};
template <class X>
struct glu_has_product<Eigen::MatrixWrapper<X>> : std::bool_constant<glu_has_product_v<X>> {};
template <class X>
struct glu_has_product<Eigen::Transpose<X>> : std::bool_constant<glu_has_product_v<X>> {};

/// A GLU functor F that also keeps the evaluated input alive.
template <class F, class Plain>
struct glu_owning : F {
  std::shared_ptr<const Plain> storage;
};

}  // namespace detail
}  // namespace activ

template <class F, class Plain>
struct Eigen::internal::functor_traits<activ::detail::glu_owning<F, Plain>> : functor_traits<F> {};
