#!/usr/bin/env python3
"""Turn bench_glu's Google Benchmark JSON into ratio tables.

Per function, type, d and size (L1, L2, DRAM): activ's time per output element for each layout,
the speed-up over the scalar loop (scalar time / activ value-first time) and each layout's time
relative to the Eigen composition (activ time / Eigen time), as ratios of the medians over the
repetitions with the widest range the repetitions allow. Then the Tensor rows: time with 1
thread / time with 2 threads (wall clock). Targets: geglu >= 20x the scalar loop; value-first and
gate-first <= 1.25x the Eigen composition in cache (L1, L2) and <= 1.1x at DRAM; the Tensor >= 1.6x
with 2 threads.

    bench_glu --benchmark_repetitions=3 --benchmark_display_aggregates_only=true \\
        --benchmark_out=glu.json --benchmark_out_format=json
    python3 bench/compare_glu.py glu.json

Standard library only; shares its loader with compare.py.
"""
import re
import sys

from compare import finish, fmt_ratio, judge, load, parse_args, print_context, ratio

DENSE = re.compile(r"^(?P<fn>\w+)<(?P<type>\w+)>/d:(?P<d>\d+)/(?P<size>L1|L2|DRAM)/(?P<impl>\w+)$")
TENSOR = re.compile(r"^(?P<fn>\w+)<(?P<type>\w+)>/d:(?P<d>\d+)/(?P<size>DRAM)/tensor_threads:(?P<threads>\d+)"
                    r"(/real_time)?$")
LAYOUTS = ("activ_value_first", "activ_gate_first", "activ_interleaved", "activ_value_first_cm",
           "activ_interleaved_cm")
SIZES = ("L1", "L2", "DRAM")
EIGEN_TARGET = {"L1": 1.25, "L2": 1.25, "DRAM": 1.1}  # value-first and gate-first / Eigen, at most
SPEEDUP_TARGET = {"geglu": 20.0}                       # scalar / value-first, at least
THREADS_TARGET = 1.6                                   # 1 thread / 2 threads, at least


def items(m, b):
    return int(b["rows"]) * int(m["d"])


def main():
    args = parse_args(__doc__, "time of the one-thread rows (default cpu_time); Tensor rows: real_time")

    dense, ctx = load(args.json, args.metric, DENSE,
                      lambda m: (m["fn"], m["type"], int(m["d"]), m["size"], m["impl"]), items)
    tensor, _ = load(args.json, "real_time", TENSOR,
                     lambda m: (m["fn"], m["type"], int(m["d"]), int(m["threads"])), items)
    if not dense and not tensor:
        sys.exit("no bench_glu results in " + ", ".join(args.json))
    print_context(ctx)
    print(f"metric: {args.metric}; ns per output element = median over repetitions; "
          "ratios: median [min–max range over repetitions]\n")

    missed = []
    print("| function | type | d | size | value-first ns | speed-up vs scalar | value-first / Eigen "
          "| gate-first / Eigen | interleaved / Eigen | column-major value-first / Eigen | targets |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|")
    keys = sorted({k[:4] for k in dense}, key=lambda k: (k[0], k[1] != "float", k[2], SIZES.index(k[3])))
    for fn, t, d, size in keys:
        s = {impl: dense.get((fn, t, d, size, impl)) for impl in LAYOUTS + ("scalar", "eigen")}
        vf, eigen = s["activ_value_first"], s["eigen"]
        speedup = ratio(s["scalar"], vf) if vf and s["scalar"] else None
        vs = {impl: ratio(s[impl], eigen) if s[impl] and eigen else None for impl in LAYOUTS}
        verdict = []
        if fn in SPEEDUP_TARGET and speedup:
            verdict.append(judge(speedup[0], SPEEDUP_TARGET[fn], True,
                                 f"{fn}<{t}>/d:{d}/{size} speed-up {speedup[0]:.1f}x", missed))
        for impl in ("activ_value_first", "activ_gate_first"):
            if vs[impl]:
                verdict.append(judge(vs[impl][0], EIGEN_TARGET[size], False,
                                     f"{fn}<{t}>/d:{d}/{size} {impl}/Eigen {vs[impl][0]:.2f}", missed))
        print(f"| {fn} | {t} | {d} | {size} | {vf['median']:.3f} | {fmt_ratio(speedup, 1)} | "
              f"{fmt_ratio(vs['activ_value_first'])} | {fmt_ratio(vs['activ_gate_first'])} | "
              f"{fmt_ratio(vs['activ_interleaved'])} | {fmt_ratio(vs['activ_value_first_cm'])} | "
              f"{', '.join(verdict)} |" if vf else f"| {fn} | {t} | {d} | {size} | – |||||||")

    if tensor:
        print("\n| Tensor | type | d | 1 thread ns | 2 threads ns | 1 thread / 2 threads | target |")
        print("|---|---|---:|---:|---:|---:|---|")
        for fn, t, d in sorted({k[:3] for k in tensor}):
            one, two = tensor.get((fn, t, d, 1)), tensor.get((fn, t, d, 2))
            if not one or not two:
                continue
            r = ratio(one, two)
            verdict = judge(r[0], THREADS_TARGET, True, f"{fn}<{t}>/d:{d} tensor 2 threads {r[0]:.2f}x", missed)
            print(f"| {fn} | {t} | {d} | {one['median']:.3f} | {two['median']:.3f} | {fmt_ratio(r)} | {verdict} |")
    finish(missed, args.check)


if __name__ == "__main__":
    main()
