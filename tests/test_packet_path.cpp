// docs/design.md §7: Eigen takes the packet path, and the free functions are lazy.
//  - every functor's functor_traits declares PacketAccess (without it Eigen silently falls back to
//    scalar code), the evaluator of activ::f(x) has PacketAccessBit, and assigning it to an array
//    uses Eigen's vectorized traversal, for float and double;
//  - activ::f(x.array() + b) is one expression, a CwiseUnaryOp over the CwiseBinaryOp, and
//    assigning it allocates nothing (checked with EIGEN_RUNTIME_NO_MALLOC).

// Count Eigen's failed assertions instead of aborting, so that a forbidden allocation fails the
// test (with NDEBUG too). Must come before the first Eigen header.
#include <atomic>
namespace activ_test {
inline std::atomic<int> eigen_assert_failures{0};
}
#define EIGEN_RUNTIME_NO_MALLOC
#define eigen_assert(x) ((x) ? (void)0 : (void)++activ_test::eigen_assert_failures)

#include "support/function_lists.hpp"
#include "support/isa_guard.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>
#include <activ/activ.hpp>

#include <string>
#include <type_traits>

namespace activ_test {
namespace {

using Eigen::Dynamic;
using Eigen::internal::evaluator;
using Eigen::internal::functor_traits;

template <class Functor>
class FunctorTraits : public ::testing::Test {};
using AllFunctors =
    ::testing::Types<activ::Gelu, activ::GeluTanh, activ::Sigmoid, activ::Swish, activ::Silu,
                     activ::Relu, activ::Identity, activ::fast::Gelu, activ::fast::GeluTanh,
                     activ::fast::Sigmoid, activ::fast::Swish, activ::fast::Silu>;
struct FunctorName {
  template <class Functor>
  static std::string GetName(int i) {
    static const char* const names[] = {"Gelu",          "GeluTanh",     "Sigmoid",    "Swish",
                                        "Silu",          "Relu",         "Identity",   "fast_Gelu",
                                        "fast_GeluTanh", "fast_Sigmoid", "fast_Swish", "fast_Silu"};
    return names[i];
  }
};
TYPED_TEST_SUITE(FunctorTraits, AllFunctors, FunctorName);

template <class Expr>
constexpr bool has_packet_access() {
  return (evaluator<Expr>::Flags & Eigen::PacketAccessBit) != 0;
}

// Eigen's choice of loop for `dst = src` (Eigen 3.4 and 5 name it the same).
template <class Dst, class Src>
constexpr int assignment_traversal() {
  using Traits = Eigen::internal::copy_using_evaluator_traits<
      evaluator<Dst>, evaluator<Src>,
      Eigen::internal::assign_op<typename Dst::Scalar, typename Src::Scalar>>;
  return Traits::Traversal;
}

template <class T, class Functor>
void expect_packet_path_for_unary_expr() {
  using Column = Eigen::Array<T, Dynamic, 1>;
  using Expr = decltype(std::declval<const Column&>().unaryExpr(Functor{}));
  EXPECT_TRUE(has_packet_access<Expr>());
  EXPECT_EQ((assignment_traversal<Column, Expr>()), int(Eigen::LinearVectorizedTraversal));
}

TYPED_TEST(FunctorTraits, DeclarePacketAccessAndACost) {
  EXPECT_TRUE(bool(functor_traits<TypeParam>::PacketAccess));
  // Only the identity is free; every activation costs at least an operation.
  const int least = std::is_same_v<TypeParam, activ::Identity> ? 0 : 1;
  EXPECT_GE(int(functor_traits<TypeParam>::Cost), least);
}

TYPED_TEST(FunctorTraits, UnaryExprOfFloatAndDoubleIsVectorized) {
  expect_packet_path_for_unary_expr<float, TypeParam>();
  expect_packet_path_for_unary_expr<double, TypeParam>();
}

template <class P>
class FreeFunction : public ::testing::Test {};
TYPED_TEST_SUITE(FreeFunction, PathFunctionsAtBothPrecisions, FunctionAndScalarName);

TYPED_TEST(FreeFunction, EvaluatesThroughPackets) {
  using Fn = typename TypeParam::Fn;
  using T = typename TypeParam::Scalar;
  using Column = Eigen::Array<T, Dynamic, 1>;
  using MatrixT = Eigen::Matrix<T, Dynamic, Dynamic>;
  using OnArray = decltype(Fn::apply(std::declval<const Column&>()));
  using OnMatrix = decltype(Fn::apply(std::declval<const MatrixT&>()));
  EXPECT_TRUE(has_packet_access<OnArray>());
  EXPECT_TRUE(has_packet_access<OnMatrix>());
  EXPECT_EQ((assignment_traversal<Column, OnArray>()), int(Eigen::LinearVectorizedTraversal));
  EXPECT_EQ((assignment_traversal<MatrixT, OnMatrix>()), int(Eigen::LinearVectorizedTraversal));
}

// CwiseUnaryOp<F, const CwiseBinaryOp<...>>: the function applied to the sum, nothing evaluated.
template <class Expr>
struct IsUnaryOverBinary : std::false_type {};
template <class F, class Op, class L, class R>
struct IsUnaryOverBinary<Eigen::CwiseUnaryOp<F, const Eigen::CwiseBinaryOp<Op, L, R>>>
    : std::true_type {};

TYPED_TEST(FreeFunction, OfASumIsOneLazyExpressionThatAllocatesNothing) {
  using Fn = typename TypeParam::Fn;
  using T = typename TypeParam::Scalar;
  using MatrixT = Eigen::Matrix<T, Dynamic, Dynamic>;
  using Column = Eigen::Array<T, Dynamic, 1>;
  const MatrixT x = MatrixT::Constant(37, 1, T(-1.25));
  const Column b = Column::LinSpaced(37, T(-3), T(3));
  using Expr = decltype(Fn::apply(x.array() + b));
  EXPECT_TRUE(IsUnaryOverBinary<Expr>::value);
  EXPECT_TRUE(has_packet_access<Expr>());

  Column y(37), want(37);
  const auto f = Fn::functor();
  for (Eigen::Index i = 0; i < 37; ++i) want(i) = f(T(x(i) + b(i)));
  const int before = eigen_assert_failures.load();
  Eigen::internal::set_is_malloc_allowed(false);
  y = Fn::apply(x.array() + b);
  Eigen::internal::set_is_malloc_allowed(true);
  EXPECT_EQ(eigen_assert_failures.load(), before) << "assigning the expression allocated";
  for (Eigen::Index i = 0; i < 37; ++i) EXPECT_EQ(y(i), want(i)) << "at " << i;
}

// The allocation check above can fail: an expression that must evaluate into a temporary trips it.
TEST(NoMallocCheck, DetectsAnAllocation) {
  const Eigen::MatrixXf a = Eigen::MatrixXf::Ones(8, 8);
  Eigen::MatrixXf c(8, 8);
  const int before = eigen_assert_failures.load();
  Eigen::internal::set_is_malloc_allowed(false);
  c = a * a;  // a product into an aliasable destination evaluates into a temporary
  Eigen::internal::set_is_malloc_allowed(true);
  EXPECT_GT(eigen_assert_failures.load(), before);
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
