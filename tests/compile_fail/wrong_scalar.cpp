// An integer input: one static_assert that names the supported scalar types, and nothing else
// (no error from the kernels it would have instantiated, none from the assignment).
#include <activ/activ.hpp>
#if defined(CASE_tensor_gelu)
#include <activ/tensor.hpp>
#endif

int main() {
#if defined(CASE_gelu)
  Eigen::ArrayXi x = Eigen::ArrayXi::Zero(4);
  Eigen::ArrayXi y = activ::gelu(x);
#elif defined(CASE_swish)
  Eigen::MatrixXi x = Eigen::MatrixXi::Zero(2, 2);
  Eigen::MatrixXi y = activ::swish(x, 1.5);
#elif defined(CASE_tensor_gelu)
  Eigen::Tensor<int, 2> x(2, 3);
  x.setZero();
  Eigen::Tensor<int, 2> y = activ::gelu(x);
#elif defined(CASE_geglu)
  Eigen::ArrayXXi x = Eigen::ArrayXXi::Zero(2, 4);
  Eigen::ArrayXXi y = activ::geglu(x, activ::interleaved);
#elif defined(CASE_swiglu_two_input)
  Eigen::ArrayXXi x = Eigen::ArrayXXi::Zero(2, 4);
  Eigen::ArrayXXi y = activ::swiglu(x, x, 0.5);
#elif defined(CASE_into)
  Eigen::ArrayXXi x = Eigen::ArrayXXi::Zero(2, 4);
  Eigen::ArrayXXi y(2, 2);
  activ::glu.into(y, x);
#endif
  return int(y.size());
}
