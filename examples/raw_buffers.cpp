// activ on memory you already own (a float* from a framework, a file, a C API): wrap it in an
// Eigen::Map, which copies nothing, and assign an activ expression to it.
#include <activ/activ.hpp>

#include <cstdio>
#include <vector>

int main() {
  constexpr int n = 8;
  std::vector<float> storage = {-6.0f, -3.0f, -1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 3.0f};
  const float* in = storage.data();  // stands for any raw buffer of n floats
  std::vector<float> result(n);
  float* out = result.data();

  // Out of place: read one buffer, write another. One pass, no temporary.
  Eigen::Map<const Eigen::ArrayXf> x(in, n);
  Eigen::Map<Eigen::ArrayXf> y(out, n);
  y = activ::gelu(x);

  // In place: element-wise, so reading and writing the same buffer is safe.
  std::vector<float> inplace(storage);
  Eigen::Map<Eigen::ArrayXf> z(inplace.data(), n);
  z = activ::silu(z);

  // Any expression can feed an activation, e.g. a bias add fused into the same loop.
  std::vector<float> biased(n);
  Eigen::Map<Eigen::ArrayXf>(biased.data(), n) = activ::gelu(x + 0.5f);

  std::printf("%8s %14s %14s %14s\n", "x", "gelu(x)", "silu(x)", "gelu(x+0.5)");
  for (int i = 0; i < n; ++i)
    std::printf("%8.2f %14.7g %14.7g %14.7g\n", in[i], out[i], inplace[i], biased[i]);
  return 0;
}
