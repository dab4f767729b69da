// A minimal parallel loop for the reference computations (MPFR is the slow part of the suite).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace activ_test {

// Threads used by the tests: ACTIV_TEST_THREADS, else 2 (the CI machine has 2 cores).
inline unsigned test_threads() {
  if (const char* env = std::getenv("ACTIV_TEST_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return unsigned(n);
  }
  return 2;
}

// Calls body(begin, end) on disjoint chunks covering [0, n), from `threads` threads. Chunks are
// handed out dynamically because the cost per input varies by orders of magnitude.
template <class Body>
void parallel_for(std::size_t n, Body body, unsigned threads = test_threads(),
                  std::size_t chunk = 4096) {
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t begin; (begin = next.fetch_add(chunk)) < n;)
      body(begin, std::min(n, begin + chunk));
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

}  // namespace activ_test
