#!/usr/bin/env python3
"""Turn bench_activations' Google Benchmark JSON into a ratio table.

Per function, type and n: activ's time per item, the speed-up over the scalar <cmath> loop
(scalar time / activ time) and activ's time relative to Eigen's built-in expression
(activ time / Eigen time), each as the ratio of the medians over the repetitions with the
widest range the repetitions allow, [min/max, max/min]. Targets (docs/performance.md): gelu >= 20x the
scalar loop; activ/Eigen <= 1.25 at n = 4096 and <= 1.1 at n = 16777216 for every function.

    bench_activations --benchmark_repetitions=5 --benchmark_display_aggregates_only=true \\
        --benchmark_out=bench.json --benchmark_out_format=json
    python3 bench/compare.py bench.json            # several files: their repetitions are pooled

Reads individual repetitions when the file has them (--benchmark_display_aggregates_only keeps
them in the file); with --benchmark_report_aggregates_only it uses the median/min/max
aggregates instead. Standard library only.
"""
import argparse
import json
import re
import statistics
import sys
from collections import defaultdict

NAME = re.compile(r"^BM_(?P<fn>\w+)<(?P<type>\w+)>/(?P<impl>activ|fast|scalar|eigen|copy)/(?P<n>\d+)$")
TO_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
SPEEDUP_TARGET = {"gelu": 20.0}          # scalar time / activ time, at least
EIGEN_TARGET = {4096: 1.25, 16777216: 1.1}  # activ time / Eigen time, at most
FN_ORDER = ["gelu", "gelu_tanh", "sigmoid", "silu", "swish"]
IMPLS = ("activ", "fast", "scalar", "eigen")


def load(paths, metric, name=NAME, key_of=lambda m: (m["fn"], m["type"], int(m["n"]), m["impl"]),
         items_of=lambda m, b: int(m["n"])):
    """Returns ({key: {'median','min','max','reps'} of ns per item}, context) for the benchmarks
    whose name matches `name`; key_of(match) is the key, items_of(match, benchmark) the items
    per iteration."""
    reps = defaultdict(list)
    aggs = defaultdict(dict)
    context = {}
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        context = context or data.get("context", {})
        for b in data.get("benchmarks", []):
            m = name.match(b.get("run_name", b["name"]))
            if not m or b.get("error_occurred"):
                continue
            key = key_of(m)
            iteration = b.get("run_type", "iteration") == "iteration"
            if not iteration and b.get("aggregate_name") not in ("median", "min", "max"):
                continue
            ns_per_item = b[metric] * TO_NS[b.get("time_unit", "ns")] / items_of(m, b)
            if iteration:
                reps[key].append(ns_per_item)
            else:
                aggs[key][b["aggregate_name"]] = ns_per_item
    stats = {}
    for key in set(reps) | set(aggs):
        if reps[key]:
            v = reps[key]
            stats[key] = {"median": statistics.median(v), "min": min(v), "max": max(v),
                          "reps": len(v)}
        elif "median" in aggs[key]:
            a = aggs[key]
            stats[key] = {"median": a["median"], "min": a.get("min", a["median"]),
                          "max": a.get("max", a["median"]), "reps": "agg"}
    return stats, context


def ratio(num, den):
    """Ratio of medians and the widest range the repetitions allow."""
    return (num["median"] / den["median"], num["min"] / den["max"], num["max"] / den["min"])


def fmt_ratio(r, digits=2):
    if r is None:
        return "–"
    mid, lo, hi = r
    return f"{mid:.{digits}f} [{lo:.{digits}f}–{hi:.{digits}f}]"


def print_context(ctx):
    print(f"host: {ctx.get('host_name', '?')}, {ctx.get('num_cpus', '?')} CPUs at "
          f"{ctx.get('mhz_per_cpu', '?')} MHz; cpu: {ctx.get('cpu_model', '?')}")
    print(f"compiler: {ctx.get('compiler', '?')}; build: {ctx.get('build', '?')}; "
          f"Eigen {ctx.get('eigen_version', '?')} ({ctx.get('eigen_simd', '?')}), "
          f"EIGEN_FAST_MATH={ctx.get('eigen_fast_math', '?')}")
    for t in ("float", "double"):
        if f"packet_access_{t}" in ctx:
            print(f"vectorized ({t}): {ctx[f'packet_access_{t}']}")


def judge(value, target, at_least, what, missed):
    """'ok' or 'MISS' against a target (value >= target if at_least, else <=); a miss is added to
    `missed` as `what`."""
    ok = value >= target if at_least else value <= target
    if not ok:
        missed.append(what)
    return ("ok" if ok else "MISS") + (f" ≥{target:g}x" if at_least else f" ≤{target:g}")


def finish(missed, check):
    """Prints the misses; exits with status 1 if there are any and `check` asks for it."""
    if missed:
        print("\nmissed (median): " + "; ".join(missed))
    sys.exit(1 if check and missed else 0)


def parse_args(doc, metric_help="which time to compare (default: cpu_time, robust to preemption)"):
    """The command line shared by the compare scripts: JSON files, --metric, --check."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("json", nargs="+", help="--benchmark_out JSON file(s)")
    ap.add_argument("--metric", choices=("cpu_time", "real_time"), default="cpu_time",
                    help=metric_help)
    ap.add_argument("--check", action="store_true",
                    help="exit with status 1 when a median misses a target")
    return ap.parse_args()


def main():
    args = parse_args(__doc__)

    stats, ctx = load(args.json, args.metric)
    if not stats:
        sys.exit("no BM_<fn><<type>>/<impl>/<n> results in " + ", ".join(args.json))

    print_context(ctx)
    print(f"metric: {args.metric}; ns/item = median over repetitions; "
          "ratios: median [min–max range over repetitions]\n")

    print("| function | type | n | reps | activ ns/item | fast ns/item | scalar ns/item "
          "| Eigen ns/item | speed-up vs scalar | activ / Eigen time | fast / Eigen time "
          "| fast / memcpy time | targets |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    keys = sorted({k[:3] for k in stats if k[0] != "memcpy"},
                  key=lambda k: (FN_ORDER.index(k[0]) if k[0] in FN_ORDER else 99, k[0],
                                 k[1] != "float", k[2]))
    missed = []
    for fn, t, n in keys:
        s = {impl: stats.get((fn, t, n, impl)) for impl in IMPLS}
        a = s["activ"]
        speedup = ratio(s["scalar"], a) if a and s["scalar"] else None
        vs_eigen = ratio(a, s["eigen"]) if a and s["eigen"] else None
        f = s["fast"]
        fast_vs_eigen = ratio(f, s["eigen"]) if f and s["eigen"] else None
        copy = stats.get(("memcpy", t, n, "copy"))
        fast_vs_copy = ratio(f, copy) if f and copy else None
        verdict = []
        if fn in SPEEDUP_TARGET and speedup:
            verdict.append(judge(speedup[0], SPEEDUP_TARGET[fn], True,
                                 f"{fn}<{t}>/{n} speed-up {speedup[0]:.1f}x", missed))
        if n in EIGEN_TARGET and vs_eigen:
            verdict.append(judge(vs_eigen[0], EIGEN_TARGET[n], False,
                                 f"{fn}<{t}>/{n} activ/Eigen {vs_eigen[0]:.2f}", missed))
        cell = lambda x: f"{x['median']:.3f}" if x else "–"
        reps = a["reps"] if a else "–"
        print(f"| {fn} | {t} | {n} | {reps} | {cell(a)} | {cell(f)} | {cell(s['scalar'])} | "
              f"{cell(s['eigen'])} | {fmt_ratio(speedup, 1)} | {fmt_ratio(vs_eigen)} | "
              f"{fmt_ratio(fast_vs_eigen)} | {fmt_ratio(fast_vs_copy)} | {', '.join(verdict)} |")
    finish(missed, args.check)


if __name__ == "__main__":
    main()
