// The MPFR references of the double sample cost about a minute of CPU (erfc at 160 bits is slow
// for 2 < z < 16), and the same sample is checked by three ISA variants. The first run stores them
// in a file keyed by a hash of everything they depend on; later runs read it back. Concurrent
// runs are safe: a file appears under its final name only complete (write, then rename).
//
// Location: $ACTIV_TEST_CACHE_DIR, else the working directory (CTest: the test's build folder).
// ACTIV_TEST_CACHE_DIR set to the empty string turns the cache off.
#pragma once

#include "support/parallel.hpp"
#include "support/reference.hpp"

#include <mpfr.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace activ_test {

// Bump when a reference formula changes: old files then no longer match.
inline constexpr const char* kReferenceFormat = "activ-mpfr-reference-3";

// FNV-1a, 64 bits.
inline std::uint64_t fnv1a(const void* data, std::size_t n,
                           std::uint64_t h = 0xcbf29ce484222325ULL) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

// The cache folder: $ACTIV_TEST_CACHE_DIR, else the working directory; empty: no cache.
inline std::string reference_cache_dir() {
  const char* dir = std::getenv("ACTIV_TEST_CACHE_DIR");
  return dir ? dir : ".";
}

// Returns compute(x) for every x in xs, from the cache file of `name` when it holds exactly these.
template <class T, class Compute>
std::vector<T> cached_references(const std::string& name, const std::vector<T>& xs,
                                 Compute compute) {
  std::uint64_t key = fnv1a(kReferenceFormat, std::strlen(kReferenceFormat));
  key = fnv1a(name.data(), name.size(), key);
  const long precision = kMpfrPrecision;
  key = fnv1a(&precision, sizeof precision, key);
  key = fnv1a(mpfr_get_version(), std::strlen(mpfr_get_version()), key);
  key = fnv1a(xs.data(), xs.size() * sizeof(T), key);
  const std::uint64_t header[2] = {key, xs.size()};

  const std::string dir = reference_cache_dir();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(key));
  const std::string path = dir + "/activ-reference-" + name + "-" + hex + ".bin";

  std::vector<T> out(xs.size());
  if (!dir.empty()) {
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
      std::uint64_t stored[2] = {};
      const bool ok = std::fread(stored, sizeof stored, 1, f) == 1 && stored[0] == header[0] &&
                      stored[1] == header[1] &&
                      std::fread(out.data(), sizeof(T), out.size(), f) == out.size();
      std::fclose(f);
      if (ok) return out;
    }
  }

  parallel_for(xs.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i] = compute(xs[i]);
  });

  if (!dir.empty()) {
    const std::string tmp = path + ".tmp" + std::to_string(std::random_device{}());  // per process
    if (std::FILE* f = std::fopen(tmp.c_str(), "wb")) {
      const bool ok = std::fwrite(header, sizeof header, 1, f) == 1 &&
                      std::fwrite(out.data(), sizeof(T), out.size(), f) == out.size();
      if (std::fclose(f) == 0 && ok) std::rename(tmp.c_str(), path.c_str());
      std::remove(tmp.c_str());  // no-op after a successful rename
    }
  }
  return out;
}

}  // namespace activ_test
