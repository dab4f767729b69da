// An Eigen::Tensor with <activ/activ.hpp> and Eigen's Tensor module but not <activ/tensor.hpp>:
// one error that says which header to include.
#include <activ/activ.hpp>
#include <unsupported/Eigen/CXX11/Tensor>

int main() {
  Eigen::Tensor<float, 2> x(2, 4);
  x.setZero();
#if defined(CASE_gelu)
  Eigen::Tensor<float, 2> y = activ::gelu(x);
#elif defined(CASE_swish)
  Eigen::Tensor<float, 2> y = activ::swish(x * x, 1.5);
#elif defined(CASE_geglu)
  Eigen::Tensor<float, 2> y = activ::geglu(x, activ::gate_first);
#endif
  return int(y.size());
}
