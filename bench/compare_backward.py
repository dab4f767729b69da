#!/usr/bin/env python3
"""Turn bench_backward's Google Benchmark JSON into the ratio table of docs/performance.md.

Per function, type and n: the backward pass's time per element relative to the forward pass of
the same tier (activ / forward, fast / fast_forward) and the fast tier's relative to Eigen's
expression of the usual formula (fast / eigen), each the ratio of the medians over the
repetitions, with the widest range the repetitions allow [min/max, max/min]. Targets: backward
<= 1.5x its forward; fast backward <= 1.25x Eigen's expression (float, n = 4096).

    bench_backward --benchmark_repetitions=5 --benchmark_out=bw.json --benchmark_out_format=json
    python3 bench/compare_backward.py bw.json [--chart docs/plots/perf_backward.png]

--chart draws, for one type and n (float, 4096 unless --chart-type/--chart-n say otherwise), the
median ns per element of each implementation per function, as grouped bars (matplotlib;
Debian: python3-matplotlib).
"""
import argparse
import re
import sys

from compare import fmt_ratio, load, ratio

NAME = re.compile(r"^BM_(?P<fn>\w+)_backward<(?P<type>\w+)>/(?P<impl>\w+)/(?P<n>\d+)$")
FN_ORDER = ["gelu", "gelu_tanh", "sigmoid", "silu", "swish", "geglu"]


def relative(stats, key_a, key_b):
    a, b = stats.get(key_a), stats.get(key_b)
    return fmt_ratio(ratio(a, b) if a and b else None)


IMPLS = [("forward", "forward (precise)"), ("activ", "backward (precise)"),
         ("fast_forward", "fast forward"), ("fast", "fast backward"),
         ("eigen", "Eigen expression"), ("scalar", "scalar loop")]


def chart(stats, context, path, typ, n):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fns = [fn for fn in FN_ORDER if any(k[:3] == (fn, typ, n) for k in stats)]
    width = 0.8 / len(IMPLS)
    fig, ax = plt.subplots(figsize=(9, 4.2))
    for i, (impl, label) in enumerate(IMPLS):
        xs, ys, lo, hi = [], [], [], []
        for j, fn in enumerate(fns):
            s = stats.get((fn, typ, n, impl))
            if s:
                xs.append(j - 0.4 + width * (i + 0.5))
                ys.append(s["median"])
                lo.append(s["median"] - s["min"])
                hi.append(s["max"] - s["median"])
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=label)
    ax.set_xticks(range(len(fns)))
    ax.set_xticklabels(fns)
    ax.set_yscale("log")
    ax.set_ylabel("ns per element (log scale; bars: min to max)")
    cpu = context.get("cpu_model") or "unknown CPU"
    ax.set_title("Backward passes, %s, n = %d, one thread\n%s, %s" %
                 (typ, n, cpu, context.get("eigen_simd", "")), fontsize=9)
    ax.legend(fontsize=8, ncol=3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print("wrote %s" % path, file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+")
    parser.add_argument("--metric", default="cpu_time", choices=["cpu_time", "real_time"])
    parser.add_argument("--chart", help="write a bar chart (PNG) of ns per element here")
    parser.add_argument("--chart-type", default="float")
    parser.add_argument("--chart-n", type=int, default=4096)
    args = parser.parse_args()
    stats, context = load(args.json, args.metric, name=NAME)
    if args.chart:
        chart(stats, context, args.chart, args.chart_type, args.chart_n)
    rows = sorted({(k[0], k[1], k[2]) for k in stats},
                  key=lambda r: (r[1], r[2], FN_ORDER.index(r[0]) if r[0] in FN_ORDER else 99))
    print("| function | type | n | activ ns/elem | backward / forward | fast ns/elem | "
          "fast backward / fast forward | fast / Eigen expression |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for fn, typ, n in rows:
        k = lambda impl: (fn, typ, n, impl)
        ns = lambda impl: "%.3f" % stats[k(impl)]["median"] if k(impl) in stats else "—"
        print("| %s | %s | %d | %s | %s | %s | %s | %s |" % (
            fn, typ, n, ns("activ"), relative(stats, k("activ"), k("forward")), ns("fast"),
            relative(stats, k("fast"), k("fast_forward")), relative(stats, k("fast"), k("eigen"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
