// Stratified input samples for the accuracy tests (docs/design.md §4: "every binade, both signs, the
// tails, the edge cases"). Deterministic: a fixed seed and std::mt19937_64, whose output the
// standard fixes (the std:: distributions are implementation-defined, so none is used).
#pragma once

#include "support/ulp.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <vector>

namespace activ_test {

template <class T>
struct FloatLayout {
  static constexpr int kMantissaBits = std::numeric_limits<T>::digits - 1;  // 23, 52
  // 255, 2047: every biased exponent but that of inf and NaN
  static constexpr int kBiasedExponents = 2 * std::numeric_limits<T>::max_exponent - 1;
  static constexpr UIntOf<T> kMantissaMask = (UIntOf<T>(1) << kMantissaBits) - 1;
};

// Values every sample holds: zeros, the subnormal and normal boundaries, the largest finite
// value, infinities, NaN, the neighbours of 0, ±1, ±2, the integers and half-integers up to ±64.
template <class T>
std::vector<T> edge_values() {
  using L = std::numeric_limits<T>;
  const T inf = L::infinity();
  std::vector<T> magnitudes = {T(0),
                               L::denorm_min(),
                               2 * L::denorm_min(),
                               3 * L::denorm_min(),
                               L::min() - L::denorm_min(),
                               L::min(),
                               std::nextafter(L::min(), inf),
                               L::epsilon(),
                               L::max(),
                               std::nextafter(L::max(), T(0)),
                               inf};
  for (T one : {T(1), T(2), T(0.5)}) {
    magnitudes.push_back(std::nextafter(one, T(0)));
    magnitudes.push_back(std::nextafter(one, inf));
  }
  for (int k = 1; k <= 128; ++k) magnitudes.push_back(T(k) / 2);
  std::vector<T> out;
  for (T m : magnitudes) {
    out.push_back(m);
    out.push_back(-m);
  }
  out.push_back(L::quiet_NaN());
  out.push_back(-L::quiet_NaN());
  return out;
}

// Appends `per_binade` values from each binade of both signs, the subnormals counting as one
// binade: the smallest, next and largest mantissas, then uniformly random mantissas.
template <class T>
void append_binades(std::vector<T>& out, std::size_t per_binade, std::mt19937_64& rng) {
  using U = UIntOf<T>;
  using L = FloatLayout<T>;
  const U sign = U(1) << (8 * sizeof(T) - 1);
  const U fixed[] = {0, 1, 2, L::kMantissaMask, L::kMantissaMask - 1, L::kMantissaMask / 2 + 1};
  for (U s : {U(0), sign}) {
    for (U e = 0; e < U(L::kBiasedExponents); ++e) {
      for (std::size_t i = 0; i < per_binade; ++i) {
        const U mantissa = i < std::size(fixed) ? fixed[i] : U(rng()) & L::kMantissaMask;
        out.push_back(from_bits<T>(s | (e << L::kMantissaBits) | mantissa));
      }
    }
  }
}

// Appends n values, one uniformly random value in each of n equal cells of [lo, hi]. The explicit
// fma keeps the sample identical in every ISA variant: GCC contracts a*b + c into an FMA under
// -mfma even in ISO C++ mode, which would move the points and defeat the shared MPFR cache.
template <class T>
void append_dense(std::vector<T>& out, double lo, double hi, std::size_t n, std::mt19937_64& rng) {
  const double cell = (hi - lo) / double(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double u = double(rng() >> 11) * 0x1p-53;  // [0, 1)
    out.push_back(static_cast<T>(std::fma(double(i) + u, cell, lo)));
  }
}

// A float sample of more than 2^24 inputs: 16384 per binade of both signs (8.4 M), one in each
// 2^-18-wide cell of [-16, 16] (8.4 M), every 64th float with a random phase in ±[8, 256] where
// the results saturate or underflow (1.3 M: gelu's subnormal range ends near -14, sigmoid's near
// -104, swish β=0.5's near -217), and the edge values.
inline std::vector<float> float_sample() {
  std::mt19937_64 rng(0xac71f10a7ULL);
  std::vector<float> out = edge_values<float>();
  out.reserve(18'100'000);
  append_binades(out, 16384, rng);
  append_dense<float>(out, -16.0, 16.0, std::size_t(1) << 23, rng);
  for (float sign : {1.0f, -1.0f}) {
    const std::int64_t lo = ordered(sign * 8.0f), hi = ordered(sign * 256.0f);
    const std::int64_t first = std::min(lo, hi), last = std::max(lo, hi);
    for (std::int64_t k = first; k < last; k += 64) {
      const std::int64_t pos = k + std::int64_t(rng() % 64);
      const std::uint32_t magnitude = std::uint32_t(pos < 0 ? -pos : pos);
      out.push_back(from_bits<float>(magnitude | (pos < 0 ? 0x80000000u : 0u)));
    }
  }
  return out;
}

// A double sample of more than 10^6 inputs: 192 per binade of both signs (0.79 M), 2^17 in
// [-16, 16], 2^16 in [-40, -16] (gelu underflows near -38.5), 2^17 more in [-38.7, -2] (where
// double gelu's error peaks: its rational function is partly evaluated in plain double), 2^17 in
// [-1600, -40] (sigmoid and silu underflow near -745 and -751, swish β=0.5 near -1500), 2^16 in
// [16, 1600], and the edges.
// Its size is bounded by MPFR's cost: erfc at 160 bits takes 20-500 µs for 2 < z < 16.
inline std::vector<double> double_sample() {
  std::mt19937_64 rng(0xac71f64ULL);
  std::vector<double> out = edge_values<double>();
  append_binades(out, 192, rng);
  append_dense<double>(out, -16.0, 16.0, std::size_t(1) << 17, rng);
  append_dense<double>(out, -40.0, -16.0, std::size_t(1) << 16, rng);
  append_dense<double>(out, -38.7, -2.0, std::size_t(1) << 17, rng);
  append_dense<double>(out, -1600.0, -40.0, std::size_t(1) << 17, rng);
  append_dense<double>(out, 16.0, 1600.0, std::size_t(1) << 16, rng);
  return out;
}

// About 1100 inputs where kernels branch or lose accuracy, for the tests that compare paths
// rather than values: the edge values, values near zero, the underflow tails of every function
// at both precisions, a spread over [-20, 20], and 128 random bit patterns (NaNs included).
template <class T>
std::vector<T> hard_values() {
  std::mt19937_64 rng(0x4a7d5ULL);
  std::vector<T> out = edge_values<T>();
  append_dense<T>(out, -20.0, 20.0, 256, rng);
  append_dense<T>(out, -1e-3, 1e-3, 64, rng);
  append_dense<T>(out, -16.0, -12.0, 96, rng);    // gelu, float
  append_dense<T>(out, -40.0, -30.0, 64, rng);    // gelu, double
  append_dense<T>(out, -110.0, -80.0, 96, rng);   // sigmoid, silu, float
  append_dense<T>(out, -225.0, -170.0, 64, rng);  // swish β=0.5, float
  append_dense<T>(out, -760.0, -700.0, 64, rng);  // sigmoid, silu, double
  for (int i = 0; i < 128; ++i) out.push_back(from_bits<T>(UIntOf<T>(rng())));
  return out;
}

}  // namespace activ_test
