// activ_sweep_double — the float64 accuracy sweep, run on demand (not a test).
//
// For each function it draws --count doubles (default 10^8) from a seeded generator and compares
// activ's packet-path result for each (blocks of 4096 in an Eigen array) with the correctly
// rounded value from MPFR; every 16th input also goes through the scalar functor, which must give
// the same bits. The inputs, per function:
//   40%  every binade of both signs (2 x 2047 strata, the subnormals one of them, equally likely),
//        random significand;
//   30%  uniform in [-40, 40], where activations are used;
//   30%  the ranges where an intermediate of the formula underflows or overflows while the result
//        is a finite nonzero number (support/extreme_ranges.hpp), equally shared.
// Block b of function f draws from its own generator (seed, f, b), so the inputs and the
// results do not depend on --threads.
//
// The reference, rigorous and cheap (Ziv's strategy). MPFR evaluates the definition at P bits
// (--precision, default 96: two 64-bit limbs, ~1.6x faster than the tests' 160). Every step
// rounds to nearest, and the worst amplification of those roundings is the condition number of
// the result in the step's operand: |z| for sigmoid, swish and gelu_tanh (at most ~760 outside
// the saturated ranges below), x^2 for gelu (at most ~1600); with a few roundings per step, the
// value r is within |r| * 2^(13 - P) of the exact result. When that interval lies strictly
// between the two rounding boundaries (midpoints) next to round(r), round(r) is the correctly
// rounded result; otherwise the same is tried at 192 and then 1200 bits (subnormal x, where the
// result is x/2 plus a term ~2^-1075 relative, needs ~1100). Inputs still undecided at 1200 bits
// are counted (none so far).
// Saturated inputs, where the condition number is unbounded but the rounded result is known:
//   sigmoid: x >= 40 -> 1 (1 - sigmoid < e^-40 < 2^-54), x <= -750 -> +0 (below 2^-1076);
//   x*sigmoid(z) (silu, swish, gelu_tanh): z >= 40 -> x, z + ln|x| <= -750 -> -0;
//   gelu: x >= 10 -> x (Phi(-10) < 2^-75), x <= -40 -> -0 (|x| Phi(x) < e^-800).
// There the known value is the reference, and MPFR's value at P bits is checked against it
// (a disagreement is reported as a reference error).
//
// Output: a Markdown table, per function the max ULP and the input where it occurs (the smallest
// such input), a histogram, the max per input class, scalar/packet mismatches, escalations and
// the time. Exit status 1 when the 2 ULP bound, a bit-identity or a reference check fails.
//
//   activ_sweep_double [--func NAME]... [--threads N] [--count N] [--seed S] [--precision P]
//   NAME: gelu gelu_tanh sigmoid silu swish_0p5 swish_1p702 swish_2 (default: all)
#include "support/accuracy.hpp"
#include "support/extreme_ranges.hpp"
#include "support/functions.hpp"
#include "support/reference.hpp"
#include "support/ulp.hpp"

#include <mpfr.h>
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
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace activ_test {
namespace {

struct Options {
  std::vector<std::string> functions;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::uint64_t count = 100'000'000;
  std::uint64_t seed = 0xd0b1e5eedULL;
  long precision = 96;
};

// --- the reference --------------------------------------------------------------------------

// The definition of Fn on MPFR operands (support/reference.hpp).
void evaluate(GeluFn, MpfrReference& m, mpfr_ptr r, mpfr_srcptr x) { m.gelu_into(r, x); }
void evaluate(GeluTanhFn, MpfrReference& m, mpfr_ptr r, mpfr_srcptr x) { m.gelu_tanh_into(r, x); }
void evaluate(SigmoidFn, MpfrReference& m, mpfr_ptr r, mpfr_srcptr x) { m.sigmoid_into(r, x); }
template <class Fn>
void evaluate(Fn, MpfrReference& m, mpfr_ptr r, mpfr_srcptr x) {
  m.swish_into(r, x, Fn::template beta_at<double>());
}

// The argument z of the logistic function in Fn's formula, in double (saturation tests only).
double logistic_argument(GeluTanhFn, double x) {
  return 2 * double(ref::kSqrt2OverPi) * (x + double(ref::kGeluTanhCubic) * x * x * x);
}
template <class Fn>
double logistic_argument(Fn, double x) {
  return Fn::template beta_at<double>() * x;
}

// The correctly rounded result where the formula saturates (see the file comment), else nothing.
template <class Fn>
std::optional<double> saturated(double x) {
  using Precise = precise_of_t<Fn>;
  if constexpr (std::is_same_v<Precise, SigmoidFn>) {
    if (x >= 40) return 1.0;
    if (x <= -750) return 0.0;
  } else if constexpr (std::is_same_v<Precise, GeluFn>) {
    if (x >= 10) return x;
    if (x <= -40) return -0.0;
  } else {
    const double z = logistic_argument(Precise{}, x);
    if (z >= 40) return x;
    if (x < 0 && z + std::log(-x) <= -750) return -0.0;
  }
  return std::nullopt;
}

// Registers and evaluators of one thread at one precision.
struct Precision {
  explicit Precision(mpfr_prec_t p) : bits(p), eval(p) {
    mpfr_inits2(p, x, r, static_cast<mpfr_ptr>(nullptr));
    mpfr_init2(mid, 64);  // a midpoint of two doubles is exact in 54 bits
  }
  ~Precision() { mpfr_clears(x, r, mid, static_cast<mpfr_ptr>(nullptr)); }
  Precision(const Precision&) = delete;
  Precision& operator=(const Precision&) = delete;
  mpfr_prec_t bits;
  MpfrReference eval;
  mpfr_t x, r, mid;
};

// Whether [r - e, r + e], e = |r| * 2^(13 - bits), lies strictly between the rounding boundaries
// around d = round(r). Exact zeros (x = 0) are decided.
bool decided(Precision& p, double d) {
  if (mpfr_zero_p(p.r)) return true;
  const double inf = std::numeric_limits<double>::infinity();
  const mpfr_exp_t e_err = mpfr_get_exp(p.r) + 13 - p.bits;  // error < 2^e_err
  for (double toward : {-inf, inf}) {
    const double nb = std::nextafter(d, toward);
    if (std::isinf(nb)) continue;  // past the largest double: r is not near it (|x*...| <= |x|)
    mpfr_set_d(p.mid, d, MPFR_RNDN);
    mpfr_add_d(p.mid, p.mid, nb, MPFR_RNDN);  // exact: 64 bits hold the sum of two neighbours
    mpfr_div_2ui(p.mid, p.mid, 1, MPFR_RNDN);
    mpfr_sub(p.mid, p.mid, p.r, MPFR_RNDN);  // the distance, to the 64 bits of p.mid
    if (mpfr_zero_p(p.mid) || mpfr_get_exp(p.mid) <= e_err + 1) return false;
  }
  return true;
}

struct ThreadReference {
  Precision low, mid, high;
  explicit ThreadReference(mpfr_prec_t p)
      : low(p), mid(std::max<mpfr_prec_t>(192, 2 * p)), high(1200) {}
};

struct Verdict {
  double value;
  int level;           // 0: decided at P bits, 1: at 192, 2: at 1200, 3: undecided, 4: saturated
  bool saturation_ok;  // MPFR at P bits agrees with the saturated value
};

template <class Fn>
Verdict reference(ThreadReference& t, double x) {
  if (const auto s = saturated<Fn>(x)) {
    mpfr_set_d(t.low.x, x, MPFR_RNDN);
    evaluate(precise_of_t<Fn>{}, t.low.eval, t.low.r, t.low.x);
    const double d = mpfr_get_d(t.low.r, MPFR_RNDN);
    return {*s, 4, bit_identical(d, *s)};
  }
  Precision* levels[] = {&t.low, &t.mid, &t.high};
  double d = 0;
  for (int i = 0; i < 3; ++i) {
    Precision& p = *levels[i];
    mpfr_set_d(p.x, x, MPFR_RNDN);
    evaluate(precise_of_t<Fn>{}, p.eval, p.r, p.x);
    d = mpfr_get_d(p.r, MPFR_RNDN);
    if (decided(p, d)) return {d, i, true};
  }
  return {d, 3, true};
}

// --- the inputs -----------------------------------------------------------------------------

std::uint64_t splitmix(std::uint64_t v) {
  v += 0x9e3779b97f4a7c15ULL;
  v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ULL;
  v = (v ^ (v >> 27)) * 0x94d049bb133111ebULL;
  return v ^ (v >> 31);
}

enum InputClass { kBinade, kCore, kExtreme, kClasses };

double draw(std::mt19937_64& rng, const std::vector<InputRange>& ranges, InputClass& cls) {
  const std::uint64_t u = rng() % 10;
  if (u < 4) {
    cls = kBinade;
    const std::uint64_t stratum = rng() % (2 * 2047);  // sign and biased exponent, finite
    const std::uint64_t sign = stratum / 2047, exponent = stratum % 2047;
    return from_bits<double>(sign << 63 | exponent << 52 |
                             (rng() & ((std::uint64_t(1) << 52) - 1)));
  }
  if (u < 7) {
    cls = kCore;
    return -40.0 + 80.0 * (double(rng() >> 11) * 0x1p-53);
  }
  cls = kExtreme;
  const InputRange& r = ranges[rng() % ranges.size()];
  const std::int64_t first = ordered(r.lo), last = ordered(r.hi);
  const std::int64_t pos = first + std::int64_t(rng() % std::uint64_t(last - first + 1));
  return from_bits<double>(pos < 0 ? (std::uint64_t(1) << 63) | std::uint64_t(-pos)
                                   : std::uint64_t(pos));
}

// --- the sweep ------------------------------------------------------------------------------

struct Worst {
  std::uint64_t ulp = 0;
  double x = 0, got = 0, want = 0;
  bool any = false;
  void offer(std::uint64_t d, double x_, double got_, double want_) {
    if (!any || d > ulp || (d == ulp && ordered(x_) < ordered(x))) {
      any = true;
      ulp = d;
      x = x_;
      got = got_;
      want = want_;
    }
  }
};

struct Stats {
  std::uint64_t count = 0;
  Worst worst;
  std::array<Worst, kClasses> worst_in{};
  std::array<std::uint64_t, 5> histogram{};  // 0, 1, 2, 3, >3 ULP
  std::array<std::uint64_t, 5> levels{};     // Verdict::level
  std::uint64_t saturation_mismatches = 0, scalar_mismatches = 0, scalar_checked = 0;
  std::string first_problem;

  void merge(const Stats& o) {
    count += o.count;
    if (o.worst.any) worst.offer(o.worst.ulp, o.worst.x, o.worst.got, o.worst.want);
    for (int c = 0; c < kClasses; ++c) {
      const Worst& w = o.worst_in[c];
      if (w.any) worst_in[c].offer(w.ulp, w.x, w.got, w.want);
    }
    for (std::size_t i = 0; i < 5; ++i) {
      histogram[i] += o.histogram[i];
      levels[i] += o.levels[i];
    }
    saturation_mismatches += o.saturation_mismatches;
    scalar_mismatches += o.scalar_mismatches;
    scalar_checked += o.scalar_checked;
    if (first_problem.empty()) first_problem = o.first_problem;
  }
};

template <class Fn>
Stats sweep(const Options& opt, std::uint64_t function_index) {
  constexpr std::uint64_t kBlock = 4096;
  constexpr std::uint64_t kScalarEvery = 16;
  const std::vector<InputRange> ranges = extreme_ranges<Fn, double>();
  const std::uint64_t blocks = (opt.count + kBlock - 1) / kBlock;
  std::atomic<std::uint64_t> next{0};
  std::mutex mutex;
  Stats total;
  auto worker = [&] {
    Stats s;
    ThreadReference t(opt.precision);
    const auto f = Fn::functor();
    Eigen::ArrayXd in(kBlock), out(kBlock);
    std::vector<InputClass> classes(kBlock);
    for (std::uint64_t b; (b = next.fetch_add(1)) < blocks;) {
      std::mt19937_64 rng(splitmix(opt.seed ^ splitmix(function_index << 40 ^ b)));
      const auto n = Eigen::Index(std::min(kBlock, opt.count - b * kBlock));
      for (Eigen::Index i = 0; i < n; ++i) in(i) = draw(rng, ranges, classes[std::size_t(i)]);
      out.head(n) = Fn::apply(in.head(n));
      for (Eigen::Index i = 0; i < n; ++i) {
        const double x = in(i), got = out(i);
        const Verdict v = reference<Fn>(t, x);
        const std::uint64_t d = ulp_distance(got, v.value);
        ++s.count;
        ++s.histogram[std::min<std::uint64_t>(d, 4)];
        ++s.levels[std::size_t(v.level)];
        s.worst.offer(d, x, got, v.value);
        s.worst_in[classes[std::size_t(i)]].offer(d, x, got, v.value);
        if (!v.saturation_ok && s.saturation_mismatches++ == 0 && s.first_problem.empty()) {
          s.first_problem = "MPFR disagrees with the saturated value at x = " + show(x);
        }
        if (std::uint64_t(i) % kScalarEvery == 0) {
          ++s.scalar_checked;
          const double scalar = f(x);
          if (!bit_identical(scalar, got) && s.scalar_mismatches++ == 0 &&
              s.first_problem.empty()) {
            s.first_problem = "scalar differs from packet at x = " + show(x) + ": packet " +
                              show(got) + ", scalar " + show(scalar);
          }
        }
      }
    }
    std::lock_guard<std::mutex> lock(mutex);
    total.merge(s);
  };
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < opt.threads; ++i) pool.emplace_back(worker);
  for (auto& th : pool) th.join();
  return total;
}

struct Row {
  std::string name;
  Stats stats;
  double seconds;
};

template <class... Fns>
std::vector<std::string> names(FunctionList<Fns...>) {
  return {Fns::name()...};
}

template <class... Fns>
void run_selected(FunctionList<Fns...>, const Options& opt, std::vector<Row>& rows) {
  std::uint64_t index = 0;
  auto one = [&](auto fn) {
    using Fn = decltype(fn);
    const std::uint64_t my_index = index++;
    if (std::find(opt.functions.begin(), opt.functions.end(), Fn::name()) == opt.functions.end())
      return;
    const auto t0 = std::chrono::steady_clock::now();
    Stats s = sweep<Fn>(opt, my_index);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr,
                 "%s: max %" PRIu64 " ULP over %" PRIu64 " inputs, %.1f s (%.2f us/input/thread)\n",
                 Fn::name().c_str(), s.worst.ulp, s.count, seconds,
                 seconds * 1e6 * opt.threads / double(std::max<std::uint64_t>(1, s.count)));
    rows.push_back({Fn::name(), std::move(s), seconds});
  };
  (one(Fns{}), ...);
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(
      stderr,
      "%s\nusage: activ_sweep_double [--func NAME]... [--threads N] [--count N] [--seed S] "
      "[--precision P]\nNAME: gelu gelu_tanh sigmoid silu swish_0p5 swish_1p702 swish_2 "
      "(default: all)\n",
      why);
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options opt;
  const std::vector<std::string> known = names(AccuracyFunctionList{});
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--func" && has_value) {
      opt.functions.push_back(argv[++i]);
      if (std::find(known.begin(), known.end(), opt.functions.back()) == known.end())
        usage("unknown function");
    } else if (a == "--threads" && has_value) {
      opt.threads = unsigned(std::max(1, std::atoi(argv[++i])));
    } else if (a == "--count" && has_value) {
      opt.count = std::uint64_t(std::max(1.0, std::strtod(argv[++i], nullptr)));  // 1e8 accepted
    } else if (a == "--seed" && has_value) {
      opt.seed = std::strtoull(argv[++i], nullptr, 0);
    } else if (a == "--precision" && has_value) {
      opt.precision = std::atol(argv[++i]);
      if (opt.precision < 80) usage("--precision must be at least 80 (53 bits + 13 + margin)");
    } else {
      usage(("unknown argument " + a).c_str());
    }
  }
  if (opt.functions.empty()) opt.functions = known;
  return opt;
}

std::string short_x(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

int main_(int argc, char** argv) {
  const Options opt = parse(argc, argv);
  std::vector<Row> rows;
  run_selected(AccuracyFunctionList{}, opt, rows);

  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
  std::printf(
      "activ float64 sweep, %s: %" PRIu64 " inputs per function (seed %#" PRIx64
      "; 40%% every "
      "binade of both signs, 30%% [-40, 40], 30%% the extreme ranges), packet path, every 16th "
      "also scalar; Eigen SIMD: %s; compiler " __VERSION__
      "; %u threads; reference: MPFR %s at "
      "%ld bits, undecided roundings at 192 / 1200 bits\n\n",
      date, opt.count, opt.seed, Eigen::SimdInstructionSetsInUse(), opt.threads, mpfr_get_version(),
      opt.precision);
  std::printf(
      "| function | inputs | max ULP | at x | 0 ULP | 1 ULP | 2 ULP | 3 ULP | >3 ULP | max: "
      "binades / "
      "[-40, 40] / extreme | scalar ≠ packet | re-evaluated at 192 / 1200 bits | time (s) |\n");
  std::printf("|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---|---:|\n");
  bool ok = true;
  for (const Row& r : rows) {
    const Stats& s = r.stats;
    std::printf("| %s | %" PRIu64 " | %" PRIu64 " | %s | %" PRIu64 " | %" PRIu64 " | %" PRIu64
                " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " / %" PRIu64 " / %" PRIu64 " | %" PRIu64
                " of %" PRIu64 " | %" PRIu64 " / %" PRIu64 " | %.0f |\n",
                r.name.c_str(), s.count, s.worst.ulp,
                s.worst.ulp ? short_x(s.worst.x).c_str() : "—", s.histogram[0], s.histogram[1],
                s.histogram[2], s.histogram[3], s.histogram[4], s.worst_in[kBinade].ulp,
                s.worst_in[kCore].ulp, s.worst_in[kExtreme].ulp, s.scalar_mismatches,
                s.scalar_checked, s.levels[1], s.levels[2], r.seconds);
    const std::uint64_t bound = r.name.rfind("fast::", 0) == 0 ? kMaxUlpFast : kMaxUlpDouble;
    ok = ok && s.worst.ulp <= bound && s.scalar_mismatches == 0 && s.saturation_mismatches == 0 &&
         s.levels[3] == 0;
  }
  std::printf("\n");
  for (const Row& r : rows) {
    const Stats& s = r.stats;
    std::printf("- %s: %" PRIu64 " inputs settled by saturation (MPFR agreeing), %" PRIu64
                " undecided at 1200 bits",
                r.name.c_str(), s.levels[4], s.levels[3]);
    if (s.worst.ulp > 0) {
      std::printf("; worst x = %s, got %s, want %s", show(s.worst.x).c_str(),
                  show(s.worst.got).c_str(), show(s.worst.want).c_str());
    }
    if (!s.first_problem.empty()) std::printf("; %s", s.first_problem.c_str());
    std::printf("\n");
  }
  std::printf("\nbounds (precise %" PRIu64 " ULP, fast %" PRIu64 " ULP): %s\n", kMaxUlpDouble,
              kMaxUlpFast, ok ? "hold" : "BROKEN");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::main_(argc, argv); }
