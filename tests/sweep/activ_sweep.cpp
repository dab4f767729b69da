// activ_sweep — the exhaustive float32 accuracy sweep of docs/design.md §4, run on demand (not a test).
//
// For each function it evaluates every float input (all 2^32 bit patterns, or the floats of
// --range lo hi; with --stride S, every S-th of them, from the first) through activ's packet path — blocks of 4096 inputs in an Eigen array — and
// compares each result with the reference: the function in double with libm, rounded once to
// float (support/reference.hpp; near a rounding tie the direction is settled by MPFR when built
// with ACTIV_SWEEP_MPFR, else by the same definition in long double). Every 16th input is also
// run through the scalar functor, which must give the same bits. It prints a Markdown table: per
// function the max ULP and where it occurs, a histogram, NaN/inf mismatches, scalar/packet
// mismatches (bits, NaN payloads included) and the time, then per function a 64-bit FNV-1a hash
// of every output's bits in input order (a refactoring that must not change a result compares
// these). Exit status 1 when a bound or a bit-identity is broken.
//
//   activ_sweep [--func NAME]... [--derivatives] [--threads N] [--range LO HI] [--stride S]
//   NAME: gelu gelu_tanh sigmoid silu swish_0p5 swish_1p702 swish_2, the precise tier, and each
//         with fast:: before it (fast::gelu, ...), the fast tier (default: all of these);
//         the derivatives: gelu_derivative gelu_tanh_derivative sigmoid_derivative
//         silu_derivative swish_derivative_0p5 (_1p702, _2) swish_beta_derivative_0p5 (_1p702,
//         _2), and fast:: before each (--derivatives: all of them). Their reference is the closed
//         form of support/derivative_reference.hpp in double, rounded once to float (in long
//         double where the double lies within 2^-40 of a rounding boundary); within
//         the neighbourhood of a zero of f' (support/derivatives.hpp) the error counted is the
//         absolute one in the neighbourhood's unit, rounded up.
#include "support/accuracy.hpp"
#include "support/derivatives.hpp"
#include "support/functions.hpp"
#include "support/reference.hpp"
#include "support/ulp.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace activ_test {
namespace {

struct Options {
  std::vector<std::string> functions;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  bool ranged = false;
  float lo = 0, hi = 0;
  std::uint64_t stride = 1;
};

// The inputs of a run: input j of the sweep is the float at position j * stride (a bit pattern,
// or with --range an ordered position from the range's first float).
struct Inputs {
  std::uint64_t count;
  bool ranged;
  std::int64_t first;  // ordered position of the first input, with --range
  std::uint64_t stride = 1;
  std::uint32_t bits(std::uint64_t j) const {
    j *= stride;
    if (!ranged) return std::uint32_t(j);  // every pattern: -0 and every NaN included
    const std::int64_t pos = first + std::int64_t(j);
    return pos < 0 ? 0x80000000u | std::uint32_t(-pos) : std::uint32_t(pos);
  }
};

struct Stats {
  std::uint64_t count = 0;
  std::uint64_t max_ulp = 0;
  std::uint32_t worst_bits = 0;
  float worst_got = 0, worst_want = 0;
  std::array<std::uint64_t, 5> histogram{};  // 0, 1, 2, 3, >3 ULP
  std::uint64_t nan_inf_mismatches = 0;
  std::uint64_t scalar_mismatches = 0;
  std::uint64_t scalar_checked = 0;
  std::string first_scalar_mismatch;
  std::vector<std::uint64_t> chunk_hashes;  // FNV-1a of each chunk's output bits, by chunk

  void merge(const Stats& o) {
    count += o.count;
    // The worst input: the largest error, then the smallest ordered position (deterministic).
    if (o.max_ulp > max_ulp ||
        (o.max_ulp == max_ulp && o.count &&
         ordered(from_bits<float>(o.worst_bits)) < ordered(from_bits<float>(worst_bits)))) {
      max_ulp = o.max_ulp;
      worst_bits = o.worst_bits;
      worst_got = o.worst_got;
      worst_want = o.worst_want;
    }
    for (std::size_t i = 0; i < histogram.size(); ++i) histogram[i] += o.histogram[i];
    nan_inf_mismatches += o.nan_inf_mismatches;
    scalar_mismatches += o.scalar_mismatches;
    scalar_checked += o.scalar_checked;
    if (first_scalar_mismatch.empty()) first_scalar_mismatch = o.first_scalar_mismatch;
    chunk_hashes.resize(std::max(chunk_hashes.size(), o.chunk_hashes.size()));
    for (std::size_t i = 0; i < o.chunk_hashes.size(); ++i) chunk_hashes[i] |= o.chunk_hashes[i];
  }

  // The hash of all outputs in input order: FNV-1a over the chunks' hashes.
  std::uint64_t output_hash() const {
    std::uint64_t h = kFnvOffset;
    for (std::uint64_t c : chunk_hashes) h = fnv1a(h, c);
    return h;
  }

  static constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325u;
  static std::uint64_t fnv1a(std::uint64_t h, std::uint64_t word) {
    for (int i = 0; i < 8; ++i) h = (h ^ ((word >> (8 * i)) & 0xffu)) * 0x100000001b3u;
    return h;
  }
};

// The float reference: the libm double value, rounded once; near a tie, a more precise evaluation.
template <class Fn>
float reference(float x) {
  return round_to_float(Fn::template libm<float>(double(x)), [x] {
#ifdef ACTIV_SWEEP_MPFR
    return Fn::template mpfr<float>(double(x));
#else
    return static_cast<float>(Fn::template libm<float>(static_cast<long double>(x)));
#endif
  });
}

// A derivative of support/derivatives.hpp as a sweep function.
template <class Dn>
struct DerivativeSweepFn {
  static std::string name() {
    std::string s =
        std::string(Dn::kFast ? "fast::" : "") + derivative_base_name(Dn::kKind) + "_derivative";
    if (Dn::kHasBeta) s += Dn::base_name().substr(derivative_base_name(Dn::kKind).size());
    return s;
  }
  static auto functor() { return Dn::functor(); }
  template <class X>
  static auto apply(const X& x) {
    return Dn::derivative(x);
  }
  static long double exact(float x) {
    return ld::derivative(Dn::kKind, x, Dn::template beta_at<float>());
  }
  // The closed form in double, rounded once; in long double where that double lies within
  // 2^-40 of a rounding boundary (round_to_float; 4-5x faster than long double throughout).
  static float reference(float x) {
    const double beta = Dn::template beta_at<float>();
    return round_to_float(closed::derivative<double>(Dn::kKind, x, beta),
                          [x] { return static_cast<float>(exact(x)); });
  }
  static std::uint64_t error(float x, float got, float want) {
    static const std::optional<ZeroNeighbourhood> zero = zero_neighbourhood<Dn, float>();
    if (zero && zero->contains(x) && !std::isnan(got)) {
      return std::uint64_t(std::ceil(std::fabs(got - exact(x)) / zero->unit));
    }
    return ulp_distance(got, want);
  }
  static constexpr std::uint64_t bound() { return derivative_bound<Dn, float>(); }
};

template <class Fn, class = void>
struct is_derivative_sweep : std::false_type {};
template <class Fn>
struct is_derivative_sweep<Fn, std::void_t<decltype(Fn::error(0.f, 0.f, 0.f))>> : std::true_type {};

template <class Fn>
float sweep_reference(float x) {
  if constexpr (is_derivative_sweep<Fn>::value) {
    return Fn::reference(x);
  } else {
    return reference<Fn>(x);
  }
}
template <class Fn>
std::uint64_t sweep_error(float x, float got, float want) {
  if constexpr (is_derivative_sweep<Fn>::value) {
    return Fn::error(x, got, want);
  } else {
    return ulp_distance(got, want);
  }
}
template <class Fn>
constexpr std::uint64_t sweep_bound() {
  if constexpr (is_derivative_sweep<Fn>::value) {
    return Fn::bound();
  } else {
    return bound_of<Fn, float>();
  }
}

using G = Derivative;
using DerivativeSweepList = FunctionList<
    DerivativeSweepFn<D<G::gelu>>, DerivativeSweepFn<D<G::gelu_tanh>>,
    DerivativeSweepFn<D<G::sigmoid>>, DerivativeSweepFn<D<G::silu>>,
    DerivativeSweepFn<D<G::swish, 500>>, DerivativeSweepFn<D<G::swish, 1702>>,
    DerivativeSweepFn<D<G::swish, 2000>>, DerivativeSweepFn<D<G::swish_beta, 500>>,
    DerivativeSweepFn<D<G::swish_beta, 1702>>, DerivativeSweepFn<D<G::swish_beta, 2000>>,
    DerivativeSweepFn<FastD<G::gelu>>, DerivativeSweepFn<FastD<G::gelu_tanh>>,
    DerivativeSweepFn<FastD<G::sigmoid>>, DerivativeSweepFn<FastD<G::silu>>,
    DerivativeSweepFn<FastD<G::swish, 500>>, DerivativeSweepFn<FastD<G::swish, 1702>>,
    DerivativeSweepFn<FastD<G::swish, 2000>>, DerivativeSweepFn<FastD<G::swish_beta, 500>>,
    DerivativeSweepFn<FastD<G::swish_beta, 1702>>, DerivativeSweepFn<FastD<G::swish_beta, 2000>>>;

template <class Fn>
Stats sweep(const Inputs& inputs, unsigned threads) {
  constexpr std::uint64_t kChunk = std::uint64_t(1) << 20;
  constexpr Eigen::Index kBlock = 4096;
  constexpr std::uint64_t kScalarEvery = 16;
  std::atomic<std::uint64_t> next{0};
  std::mutex mutex;
  Stats total;
  total.chunk_hashes.assign((inputs.count + kChunk - 1) / kChunk, 0);
  auto worker = [&] {
    Stats s;
    s.chunk_hashes.assign(total.chunk_hashes.size(), 0);
    const auto f = Fn::functor();
    Eigen::ArrayXf in(kBlock), out(kBlock);
    for (std::uint64_t begin; (begin = next.fetch_add(kChunk)) < inputs.count;) {
      const std::uint64_t end = std::min(inputs.count, begin + kChunk);
      std::uint64_t hash = Stats::kFnvOffset;
      for (std::uint64_t b = begin; b < end; b += kBlock) {
        const Eigen::Index n = Eigen::Index(std::min<std::uint64_t>(kBlock, end - b));
        for (Eigen::Index i = 0; i < n; ++i)
          in(i) = from_bits<float>(inputs.bits(b + std::uint64_t(i)));
        out.head(n) = Fn::apply(in.head(n));
        for (Eigen::Index i = 0; i < n; ++i) {
          const float x = in(i), got = out(i), want = sweep_reference<Fn>(x);
          hash = Stats::fnv1a(hash, bits_of(got));
          const std::uint64_t d = sweep_error<Fn>(x, got, want);
          ++s.count;
          ++s.histogram[std::min<std::uint64_t>(d, 4)];
          if (std::isnan(got) != std::isnan(want) ||
              ((std::isinf(got) || std::isinf(want)) && got != want)) {
            ++s.nan_inf_mismatches;
          }
          if (d > s.max_ulp || s.count == 1) {
            s.max_ulp = d;
            s.worst_bits = bits_of(x);
            s.worst_got = got;
            s.worst_want = want;
          }
          if ((b + std::uint64_t(i)) % kScalarEvery == 0) {
            ++s.scalar_checked;
            const float scalar = f(x);
            if (!bit_identical(scalar, got) && s.scalar_mismatches++ == 0) {
              s.first_scalar_mismatch =
                  "x = " + show(x) + ": packet " + show(got) + ", scalar " + show(scalar);
            }
          }
        }
      }
      s.chunk_hashes[begin / kChunk] = hash;
    }
    std::lock_guard<std::mutex> lock(mutex);
    total.merge(s);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  return total;
}

struct Row {
  std::string name;
  Stats stats;
  double seconds;
  std::uint64_t bound;
};

template <class... Fns>
std::vector<std::string> names(FunctionList<Fns...>) {
  return {Fns::name()...};
}

template <class... Fns>
void run_selected(FunctionList<Fns...>, const Options& opt, const Inputs& inputs,
                  std::vector<Row>& rows) {
  auto one = [&](auto fn) {
    using Fn = decltype(fn);
    if (std::find(opt.functions.begin(), opt.functions.end(), Fn::name()) == opt.functions.end())
      return;
    const auto t0 = std::chrono::steady_clock::now();
    Stats s = sweep<Fn>(inputs, opt.threads);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "%s: max %" PRIu64 " ULP, %.1f s\n", Fn::name().c_str(), s.max_ulp,
                 seconds);
    rows.push_back({Fn::name(), std::move(s), seconds, sweep_bound<Fn>()});
  };
  (one(Fns{}), ...);
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(
      stderr,
      "%s\nusage: activ_sweep [--func NAME]... [--derivatives] [--threads N] [--range LO HI] "
      "[--stride S]\n"
      "NAME: gelu gelu_tanh sigmoid silu swish_0p5 swish_1p702 swish_2, and each with fast:: "
      "before\n"
      "it (default: all); the derivatives gelu_derivative ... swish_beta_derivative_2 and their\n"
      "fast:: twins (--derivatives: all of them)\n",
      why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options opt;
  std::vector<std::string> known = names(AccuracyFunctionList{});
  const std::vector<std::string> derivatives = names(DerivativeSweepList{});
  known.insert(known.end(), derivatives.begin(), derivatives.end());
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--func" && i + 1 < argc) {
      opt.functions.push_back(argv[++i]);
      if (std::find(known.begin(), known.end(), opt.functions.back()) == known.end())
        usage("unknown function");
    } else if (a == "--derivatives") {
      opt.functions.insert(opt.functions.end(), derivatives.begin(), derivatives.end());
    } else if (a == "--threads" && i + 1 < argc) {
      opt.threads = unsigned(std::max(1, std::atoi(argv[++i])));
    } else if (a == "--range" && i + 2 < argc) {
      opt.ranged = true;
      opt.lo = std::strtof(argv[i + 1], nullptr);
      opt.hi = std::strtof(argv[i + 2], nullptr);
      i += 2;
      if (!(opt.lo <= opt.hi)) usage("--range needs LO <= HI");
    } else if (a == "--stride" && i + 1 < argc) {
      const long long stride = std::atoll(argv[++i]);
      if (stride < 1) usage("--stride needs S >= 1");
      opt.stride = std::uint64_t(stride);
    } else {
      usage(("unknown argument " + a).c_str());
    }
  }
  if (opt.functions.empty()) opt.functions = names(AccuracyFunctionList{});
  return opt;
}

int main_(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  Inputs inputs{std::uint64_t(1) << 32, false, 0};
  if (opt.ranged) {
    inputs = {std::uint64_t(ordered(opt.hi) - ordered(opt.lo) + 1), true, ordered(opt.lo)};
  }
  inputs.stride = opt.stride;
  inputs.count = (inputs.count + opt.stride - 1) / opt.stride;
  std::vector<Row> rows;
  run_selected(AccuracyFunctionList{}, opt, inputs, rows);
  run_selected(DerivativeSweepList{}, opt, inputs, rows);

  std::printf(
      "activ float32 sweep: %s%s; Eigen SIMD: %s; %s; %u threads; reference: double libm "
      "(derivatives: double closed forms, long double at ties), "
      "the functions' ties settled by %s\n\n",
      opt.ranged ? ("every float in [" + show(opt.lo) + ", " + show(opt.hi) + "]").c_str()
                 : "all 2^32 inputs",
      opt.stride == 1 ? ""
                      : (": every " + std::to_string(opt.stride) + "th, " +
                         std::to_string(inputs.count) + " inputs")
                            .c_str(),
      Eigen::SimdInstructionSetsInUse(), "compiler " __VERSION__, opt.threads,
#ifdef ACTIV_SWEEP_MPFR
      "MPFR"
#else
      "long double"
#endif
  );
  std::printf(
      "| function | max ULP | at x | 0 ULP | 1 ULP | 2 ULP | 3 ULP | >3 ULP | NaN/inf mismatches | "
      "scalar ≠ packet | time (s) |\n");
  std::printf("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  bool ok = true;
  for (const Row& r : rows) {
    const Stats& s = r.stats;
    char x[64];
    std::snprintf(x, sizeof x, "%.9g", double(from_bits<float>(s.worst_bits)));
    std::printf("| %s | %" PRIu64 " | %s | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64
                " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " of %" PRIu64 " | %.1f |\n",
                r.name.c_str(), s.max_ulp, s.max_ulp ? x : "—", s.histogram[0], s.histogram[1],
                s.histogram[2], s.histogram[3], s.histogram[4], s.nan_inf_mismatches,
                s.scalar_mismatches, s.scalar_checked, r.seconds);
    ok = ok && s.max_ulp <= r.bound && s.nan_inf_mismatches == 0 && s.scalar_mismatches == 0;
  }
  std::printf("\n");
  for (const Row& r : rows) {
    const Stats& s = r.stats;
    if (s.max_ulp > 0) {
      std::printf("- %s: worst x = %s, got %s, want %s\n", r.name.c_str(),
                  show(from_bits<float>(s.worst_bits)).c_str(), show(s.worst_got).c_str(),
                  show(s.worst_want).c_str());
    }
    if (!s.first_scalar_mismatch.empty()) {
      std::printf("- %s: scalar functor differs from the packet path, first at %s\n",
                  r.name.c_str(), s.first_scalar_mismatch.c_str());
    }
  }
  std::printf("\n");
  for (const Row& r : rows) {
    std::printf("- %s: output hash %016" PRIx64 " (FNV-1a of %" PRIu64 " outputs' bits)\n",
                r.name.c_str(), r.stats.output_hash(), r.stats.count);
  }
  std::printf("\nbounds (precise %" PRIu64 " ULP, fast %" PRIu64 " ULP; derivatives %" PRIu64
              " and %" PRIu64 " ULP): %s\n",
              kMaxUlpFloat, kMaxUlpFast, kBoundFloatPrecise, kBoundFloatFast,
              ok ? "hold" : "BROKEN");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::main_(argc, argv); }
