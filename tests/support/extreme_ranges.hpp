// Where each function's formula passes through an underflow or an overflow while its result is
// still a finite nonzero number: the inputs where a kernel that rounds an intermediate to the
// working type (e^z scaled to a subnormal before it is multiplied by x, x^3 formed in the
// working type) goes wrong, and which a sample spread over binades visits only a few times each.
// The accuracy tests sample every range densely (tail_sample) and the double sweep adds them.
//
// Derivation, for a result type T with smallest normal m = T::min() (double 2^-1022, float
// 2^-126) and largest finite M; a result below 2^-1075 (double) / 2^-150 (float), half the
// smallest subnormal, rounds to zero. Each function is, on x < 0,
//   result ~ V(x) * e^(z(x)),  z(x) -> -inf as x -> -inf,
//   sigmoid      V = 1,            z = x
//   silu, swish  V = |x|,          z = beta*x          (x*sigma(z), sigma(z) = e^z/(1 + e^z))
//   gelu_tanh    V = |x|,          z = 2*sqrt(2/pi)*(x + 0.044715*x^3)
//   gelu         V = 1/sqrt(2*pi), z = -x^2/2          (|x|*Phi(x) = phi(x)*(1 - 1/x^2 + ...))
// 1. Underflow, x < 0: e^z is subnormal where z < ln m, and the result is nonzero while
//    ln V + z > ln(2^-1075). The range runs from where the result reaches zero to where both
//    e^z and the result are normal again: [root of ln V + z = ln 2^-1075,
//    max(root of z = ln m, root of ln V + z = ln m)]. For V = |x| > 1 the start of it is where
//    e^z is subnormal and the result is normal (double gelu_tanh: x in [-21.18, -21.15]; silu:
//    [-714.97, -708.40]); the rest is the subnormal results. The naive form 1/(1 + e^-z)
//    overflows e^-z (z < -ln M) only inside this range.
// 2. Underflow, x > 0: the formula's small term (x - result, 1 - sigmoid) is the negative side's
//    result at -x (x*sigma(-z) for odd z; x*Phi(-x) for gelu), so its intermediate e^(-|z|) is
//    subnormal on the mirror of range 1, while the result (~ x or 1) is normal.
// 3. Overflow, x > 0: gelu's x^2 beyond sqrt(M), gelu_tanh's x^3 beyond cbrt(M), swish's beta*x
//    beyond M/beta for beta > 1 (silu and sigmoid form nothing that overflows); the result is x.
//    (For x < 0 the same overflows give -0, not a normal number.)
// The roots are found by bisection on these models; each range is then widened by 2% of its
// width on both sides, which covers the models' approximations (sigma ~ e^z, Mills' ratio).
#pragma once

#include "support/functions.hpp"
#include "support/ulp.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace activ_test {

struct InputRange {
  double lo, hi;     // lo <= hi, both in T
  std::string what;  // "e^z underflows", ...
};

// ln V(x) + z(x) and z(x) of the comment above, for x < 0, in long double.
struct TailModel {
  long double (*z)(long double x, long double beta);
  long double (*log_v)(long double x);
  long double beta;
};

namespace tail_detail {

inline long double z_linear(long double x, long double beta) { return beta * x; }
inline long double z_gelu_tanh(long double x, long double) {
  return 2 * ref::kSqrt2OverPi * (x + ref::kGeluTanhCubic * x * x * x);
}
inline long double z_gelu(long double x, long double) { return -x * x / 2; }
inline long double log_one(long double) { return 0; }
inline long double log_abs(long double x) { return std::log(std::fabs(x)); }
inline long double log_inv_sqrt_2pi(long double) { return -0.918938533204672741780329736L; }

// The x < 0 where f(x) = level, f increasing on [lo, hi] with f(lo) < level < f(hi).
template <class F>
double solve(F f, long double level, double lo, double hi) {
  for (int i = 0; i < 200 && lo < hi; ++i) {
    const double mid = lo + (hi - lo) / 2;
    if (mid == lo || mid == hi) break;
    (f(mid) < level ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace tail_detail

inline TailModel tail_model(GeluFn) {
  return {tail_detail::z_gelu, tail_detail::log_inv_sqrt_2pi, 0};
}
inline TailModel tail_model(GeluTanhFn) {
  return {tail_detail::z_gelu_tanh, tail_detail::log_abs, 0};
}
inline TailModel tail_model(SigmoidFn) { return {tail_detail::z_linear, tail_detail::log_one, 1}; }
template <class Derived, class T>
TailModel tail_model_swish() {
  return {tail_detail::z_linear, tail_detail::log_abs, Derived::template beta_at<T>()};
}

// The largest T below which Fn's formula forms nothing that overflows for x > 0, or 0.
template <class Fn, class T>
double overflow_threshold(const char*& what) {
  const long double max = std::numeric_limits<T>::max();
  if constexpr (std::is_same_v<precise_of_t<Fn>, GeluFn>) {
    what = "x^2 overflows";
    return double(T(std::sqrt(max)));
  } else if constexpr (std::is_same_v<precise_of_t<Fn>, GeluTanhFn>) {
    what = "x^3 overflows";
    return double(T(std::cbrt(max)));
  } else if constexpr (std::is_base_of_v<SwishReferences<precise_of_t<Fn>>, Fn>) {
    const double beta = Fn::template beta_at<T>();
    what = "beta*x overflows";
    return beta > 1 ? double(T(max / beta)) : 0.0;
  } else {
    return 0.0;
  }
}

// The ranges of the comment above for Fn's formula evaluated in T.
template <class Fn, class T>
std::vector<InputRange> extreme_ranges() {
  TailModel model;
  using Precise = precise_of_t<Fn>;
  if constexpr (std::is_base_of_v<SwishReferences<Precise>, Precise>) {
    model = tail_model_swish<Precise, T>();
  } else {
    model = tail_model(Precise{});
  }
  using L = std::numeric_limits<T>;
  const long double ln_min = std::log(static_cast<long double>(L::min()));
  const long double ln_zero = std::log(static_cast<long double>(L::denorm_min()) / 2);
  const auto z = [&](double x) { return model.z(x, model.beta); };
  const auto log_result = [&](double x) { return model.log_v(x) + model.z(x, model.beta); };
  // Every root lies in [-4000, -1e-3] for the betas tested (swish beta = 0.5: ~ -1502).
  const double far = -4000, near = -1e-3;
  const double zero_at = tail_detail::solve(log_result, ln_zero, far, near);
  const double normal_at = std::max(tail_detail::solve(z, ln_min, far, near),
                                    tail_detail::solve(log_result, ln_min, far, near));
  const double margin = (normal_at - zero_at) / 50;
  const double lo = double(T(zero_at - margin)), hi = double(T(normal_at + margin));

  std::vector<InputRange> out = {
      {lo, hi, "x < 0: e^z subnormal or result subnormal"},
      {-hi, -lo, "x > 0: e^-|z| subnormal, result normal"},
  };
  const char* what = "";
  if (const double t = overflow_threshold<Fn, T>(what); t > 0) {
    out.push_back({t, double(L::max()), what});
  }
  return out;
}

// n inputs of T spread uniformly over the representable values of [lo, hi] (uniform in the
// ordered bit positions: uniform in value inside a binade, and every binade of a wide range
// visited in proportion to its count of values), from rng.
template <class T>
void append_range(std::vector<T>& out, const InputRange& r, std::size_t n, std::mt19937_64& rng) {
  const std::int64_t first = ordered(T(r.lo)), last = ordered(T(r.hi));
  const auto span = static_cast<std::uint64_t>(last - first) + 1;
  n = std::min<std::uint64_t>(n, span);
  for (std::size_t i = 0; i < n; ++i) {
    // one input in each of n equal cells of the positions, at a random offset in its cell
    const std::uint64_t cell_lo = span / n * i + std::min<std::uint64_t>(i, span % n);
    const std::uint64_t cell = span / n + (i < span % n ? 1 : 0);
    const std::int64_t pos = first + std::int64_t(cell_lo + (cell ? rng() % cell : 0));
    const auto magnitude = static_cast<UIntOf<T>>(pos < 0 ? -pos : pos);
    out.push_back(from_bits<T>(magnitude | (pos < 0 ? UIntOf<T>(1) << (8 * sizeof(T) - 1) : 0)));
  }
}

// Inputs per range in the unit tests.
inline constexpr std::size_t kPerExtremeRange = 100000;

// kPerExtremeRange inputs in each of Fn's extreme ranges for T, deterministic per function.
template <class Fn, class T>
std::vector<T> extreme_sample() {
  const std::string name = precise_of_t<Fn>::name();  // both tiers: the same sample
  std::uint64_t seed = 0x7a11ULL;
  for (char c : name) seed = seed * 131 + std::uint64_t(c);
  std::mt19937_64 rng(seed + sizeof(T));
  std::vector<T> out;
  for (const InputRange& r : extreme_ranges<Fn, T>()) append_range(out, r, kPerExtremeRange, rng);
  return out;
}

}  // namespace activ_test
