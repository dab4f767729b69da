// activ — accurate, vectorized activation functions for Eigen.
//
// Umbrella header: every element-wise activation and the GLU family. Eigen::Tensor support is
// opt-in through <activ/tensor.hpp>.
#pragma once

#include "activ/detail/config.hpp"  // first: the C++17 check

#include "activ/gelu.hpp"
#include "activ/gelu_tanh.hpp"
#include "activ/glu.hpp"
#include "activ/identity.hpp"
#include "activ/layout.hpp"
#include "activ/relu.hpp"
#include "activ/sigmoid.hpp"
#include "activ/silu.hpp"
#include "activ/swish.hpp"
#include "activ/version.hpp"
