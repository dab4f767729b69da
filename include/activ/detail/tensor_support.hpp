// Eigen::Tensor support without the Tensor module: a forward declaration of Eigen::TensorBase,
// so that the element-wise functions and the GLU variants can declare their tensor overloads in
// the headers every user includes, and the trait that says whether <activ/tensor.hpp> (which
// includes Eigen's Tensor module and the tensor GLU adapter) was included. Without it, a tensor
// argument fails with one message that names the header to include, instead of "no matching
// function".
#pragma once

#include <type_traits>

namespace Eigen {
template <typename Derived, int AccessLevel>
class TensorBase;
}  // namespace Eigen

namespace activ {
namespace detail {

/// True once <activ/tensor.hpp> is included (it specializes this for every T).
template <class T, class Enable = void>
struct tensor_support : std::false_type {};

template <class T>
inline constexpr bool tensor_support_v = tensor_support<T>::value;

#define ACTIV_DETAIL_TENSOR_NEEDS_HEADER \
  "activ: Eigen::Tensor arguments need #include <activ/tensor.hpp>"

}  // namespace detail
}  // namespace activ
