// The accuracy promise of docs/design.md §4, measured: the ULP distance of every result to its reference,
// the worst input, a histogram, and the first inputs over the bound.
#pragma once

#include "support/ulp.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>

#include <array>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

namespace activ_test {

// docs/design.md §4: float32 within 1 ULP of double libm (the float kernels are computed in
// double and rounded once; the exhaustive sweep measured 1), float64 within 2 ULP of MPFR.
inline constexpr std::uint64_t kMaxUlpFloat = 1;
inline constexpr std::uint64_t kMaxUlpDouble = 2;

template <class T>
constexpr std::uint64_t max_ulp() {
  return std::is_same_v<T, float> ? kMaxUlpFloat : kMaxUlpDouble;
}

// The fast tier (activ::fast): within 4 ULP in float (the exhaustive sweep) and double (MPFR).
inline constexpr std::uint64_t kMaxUlpFast = 4;

template <class T>
struct ErrorReport {
  std::size_t count = 0;
  std::uint64_t max_ulp = 0;
  T worst_x{}, worst_got{}, worst_want{};
  std::size_t over_bound = 0;
  std::array<std::size_t, 5> histogram{};  // 0, 1, 2, 3, more than 3 ULP
  std::vector<std::string> first_over;     // up to 8 inputs over the bound

  std::string summary() const {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "max %" PRIu64 " ULP over %zu inputs; histogram 0:%zu 1:%zu 2:%zu 3:%zu >3:%zu",
                  max_ulp, count, histogram[0], histogram[1], histogram[2], histogram[3],
                  histogram[4]);
    std::string s = buf;
    if (max_ulp == kNanMismatch) s += " (a NaN where a number was due, or the reverse)";
    if (max_ulp > 0) {
      s += "; worst x = " + show(worst_x) + ": got " + show(worst_got) + ", want " +
           show(worst_want);
    }
    return s;
  }
};

// Compares got[i] with want[i] for inputs x[i].
template <class T>
ErrorReport<T> compare(const std::vector<T>& x, const std::vector<T>& got,
                       const std::vector<T>& want, std::uint64_t bound) {
  ErrorReport<T> r;
  r.count = x.size();
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::uint64_t d = ulp_distance(got[i], want[i]);
    ++r.histogram[d > 3 ? 4 : d];
    if (d > r.max_ulp) {
      r.max_ulp = d;
      r.worst_x = x[i];
      r.worst_got = got[i];
      r.worst_want = want[i];
    }
    if (d > bound) {
      ++r.over_bound;
      if (r.first_over.size() < 8) {
        r.first_over.push_back(
            "x = " + show(x[i]) + ": got " + show(got[i]) + ", want " + show(want[i]) +
            (d == kNanMismatch ? " (NaN mismatch)" : " (" + std::to_string(d) + " ULP)"));
      }
    }
  }
  return r;
}

// Fn on every input through the public free function: Eigen's packet path (docs/design.md §2).
template <class Fn, class T>
std::vector<T> packet_path_results(const std::vector<T>& xs) {
  using Column = Eigen::Array<T, Eigen::Dynamic, 1>;
  std::vector<T> out(xs.size());
  Eigen::Map<Column>(out.data(), Eigen::Index(out.size())) =
      Fn::apply(Eigen::Map<const Column>(xs.data(), Eigen::Index(xs.size())));
  return out;
}

// Fn on every input through the functor's scalar operator().
template <class Fn, class T>
std::vector<T> scalar_path_results(const std::vector<T>& xs) {
  const auto f = Fn::functor();
  std::vector<T> out(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) out[i] = f(xs[i]);
  return out;
}

// Prints the measurement and fails the test when it exceeds the bound.
template <class T>
void expect_within_bound(const std::string& what, const std::vector<T>& x,
                         const std::vector<T>& got, const std::vector<T>& want,
                         std::uint64_t bound = max_ulp<T>()) {
  const ErrorReport<T> r = compare(x, got, want, bound);
  std::printf("%-28s %s\n", what.c_str(), r.summary().c_str());
  std::fflush(stdout);
  ::testing::Test::RecordProperty("max_ulp", std::to_string(r.max_ulp));
  std::string first;
  for (const auto& s : r.first_over) first += "\n  " + s;
  EXPECT_EQ(r.over_bound, 0u) << what << ": " << r.over_bound << " inputs over " << bound
                              << " ULP; " << r.summary() << first;
}

}  // namespace activ_test
