#!/usr/bin/env python3
"""Turn bench_backward's Google Benchmark JSON into the ratio table of docs/performance.md.

Per function, type and n: the backward pass's time per element relative to the forward pass of
the same tier (activ / forward, fast / fast_forward) and the fast tier's relative to Eigen's
expression of the usual formula (fast / eigen), each the ratio of the medians over the
repetitions, with the widest range the repetitions allow [min/max, max/min]. Targets: backward
<= 1.5x its forward; fast backward <= 1.25x Eigen's expression (float, n = 4096).

    bench_backward --benchmark_repetitions=5 --benchmark_out=bw.json --benchmark_out_format=json
    python3 bench/compare_backward.py bw.json
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+")
    parser.add_argument("--metric", default="cpu_time", choices=["cpu_time", "real_time"])
    args = parser.parse_args()
    stats, context = load(args.json, args.metric, name=NAME)
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
