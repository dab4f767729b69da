#!/usr/bin/env python3
"""The performance report: build, run and write docs/performance.md and its charts, per ISA level.

    python3 bench/report.py                     # everything: about 25 minutes on an idle machine
    python3 bench/report.py --json-dir build/bench-report --targets    # verdicts from the last run

Per level (native: -march=native; x86-64-v3: AVX2 + FMA; sse2: the x86-64 baseline that users get
by default) it configures build/bench-<level> with the `bench` preset and
-DACTIV_BENCH_ARCH=<arch>, builds bench_activations and bench_glu, and runs each with JSON output
into --work-dir (build/bench-report): activations-<level>.json, glu-<level>.json. bench_activations
runs every n from 1 024 to 16 M (--sizes=sweep) in float for the chart levels, n = 4 096 and 16 M
otherwise; bench_glu runs d = 1 024 in L1 and at DRAM size, value-first precise and fast, the scalar
loop and the Eigen composition. --json-dir reads such files instead of building and running.

The page has, per level, float and double at n = 4 096 and 16 M: ns/element of the precise and
fast tiers, their time relative to Eigen's built-in expression, their speed-up over the scalar
<cmath> loop and the fast tier's time relative to memcpy of the same bytes; the GLU table; the
targets' verdicts; and one chart per function (float, ns/element against n, log-log). Ratios are
those of the medians over the repetitions with the widest range the repetitions allow, as in
compare.py, whose loader this script shares. Sections of the existing --out file under headings
that this script does not write (measured by hand: the demo, compile time) are kept at its end.

Standard library, plus matplotlib for the charts (Debian: python3-matplotlib; if the python3 on
PATH lacks it, the script re-runs itself under /usr/bin/python3 when that one has it, and
otherwise writes the page without charts).
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import textwrap
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import FN_ORDER, NAME, fmt_ratio, judge, load, ratio  # noqa: E402
from compare_glu import DENSE, items as glu_items  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEVELS = {"native": "native", "x86-64-v3": "x86-64-v3", "sse2": ""}  # level -> -march= value
TABLE_N = (4096, 16777216)
LABEL = {"swish": "swish, β = 1.702"}  # what bench_activations times
TYPES = ("float", "double")
GLU_FNS = ("geglu", "swiglu", "glu")
GLU_D = 1024
GLU_SIZES = ("L1", "DRAM")
RUN_INFO = "run.json"  # in the JSON folder: duration, --min-time and the command of the run
GLU_FILTER = f"/d:{GLU_D}/({'|'.join(GLU_SIZES)})/(activ_value_first|fast|scalar|eigen)$"
# What the generated page is made of; other "## " sections of an existing page are kept.
GENERATED = ("How to read", "Element-wise functions", "Charts", "GLU family", "Targets",
             "Regenerate")

# Targets, all at n = 4 096 in float. Fast tier / Eigen time, at most, per level:
FAST_VS_EIGEN = {fn: {"native": 1.0, "x86-64-v3": 1.1, "sse2": 1.25}
                 for fn in ("sigmoid", "silu", "swish", "gelu_tanh")}
FAST_VS_EIGEN["gelu"] = {"native": 2.0, "x86-64-v3": 2.25, "sse2": 2.5}
PRECISE_OVER_SCALAR = {"sse2": 3.0}  # scalar loop time / precise tier time, at least, per level

CHART_IMPLS = (("activ", "precise", "C0", "-"), ("fast", "fast", "C1", "-"),
               ("eigen", "Eigen expression", "C2", "--"), ("scalar", "scalar loop", "C3", ":"),
               ("copy", "memcpy", "0.4", "-."))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.split("\n")[2:5]))
    ap.add_argument("--levels", default="native,x86-64-v3,sse2",
                    help="comma-separated instruction-set levels: native, x86-64-v3, sse2")
    ap.add_argument("--chart-levels", default="native,sse2",
                    help="levels drawn in the charts, one panel each (default native,sse2)")
    ap.add_argument("--repetitions", type=int, default=3, help="repetitions of each benchmark")
    ap.add_argument("--min-time", type=float, default=None,
                    help="--benchmark_min_time in seconds (default: the library's, 0.5)")
    ap.add_argument("--filter", default=None,
                    help="--benchmark_filter for bench_activations (default: float at every n, "
                         "double at 4096 and 16777216)")
    ap.add_argument("--glu-filter", default=GLU_FILTER,
                    help=f"--benchmark_filter for bench_glu (default {GLU_FILTER!r})")
    ap.add_argument("--metric", choices=("cpu_time", "real_time"), default="cpu_time")
    ap.add_argument("--jobs", type=int, default=None, help="parallel build jobs (cmake --build -j)")
    ap.add_argument("--skip-build", action="store_true", help="run the binaries already built")
    ap.add_argument("--json-dir", default=None,
                    help="read activations-<level>.json and glu-<level>.json from this folder "
                         "instead of building and running")
    ap.add_argument("--work-dir", default="build/bench-report",
                    help="where the runs write their JSON (default build/bench-report)")
    ap.add_argument("--out", default="docs/performance.md", help="the page to write")
    ap.add_argument("--no-charts", action="store_true", help="write the page without charts")
    ap.add_argument("--targets", action="store_true",
                    help="only print the targets' verdicts; write no page and no charts")
    args = ap.parse_args()
    args.levels = [lv.strip() for lv in args.levels.split(",") if lv.strip()]
    args.chart_levels = [lv.strip() for lv in args.chart_levels.split(",") if lv.strip()]
    for lv in args.levels + args.chart_levels:
        if lv not in LEVELS:
            ap.error(f"unknown level {lv!r}: want one of {', '.join(LEVELS)}")
    if args.repetitions < 1:
        ap.error("--repetitions must be at least 1")
    return args


def regenerate_command(args):
    """The command line that reproduces this page: the options that change what is measured."""
    cmd = ["python3", "bench/report.py"]
    if args.levels != ["native", "x86-64-v3", "sse2"]:
        cmd += ["--levels", ",".join(args.levels)]
    if args.chart_levels != ["native", "sse2"]:
        cmd += ["--chart-levels", ",".join(args.chart_levels)]
    if args.repetitions != 3:
        cmd += ["--repetitions", str(args.repetitions)]
    if args.min_time is not None:
        cmd += ["--min-time", f"{args.min_time:g}"]
    if args.filter is not None:
        cmd += ["--filter", args.filter]
    if args.glu_filter != GLU_FILTER:
        cmd += ["--glu-filter", args.glu_filter]
    if args.metric != "cpu_time":
        cmd += ["--metric", args.metric]
    if args.out != "docs/performance.md":
        cmd += ["--out", args.out]
    return " ".join(shlex.quote(c) for c in cmd)


def ensure_matplotlib(args):
    """Imports matplotlib (Agg) or re-runs this script under /usr/bin/python3 when only that one
    has it; returns pyplot, or None (charts skipped) when no Python here has it."""
    if args.targets or args.no_charts:
        return None
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        return plt
    except ImportError:
        pass
    system = "/usr/bin/python3"
    if (os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system)
            and subprocess.run([system, "-c", "import matplotlib"], capture_output=True).returncode == 0):
        print(f"report: matplotlib is not in {sys.executable}; re-running under {system}", flush=True)
        os.execv(system, [system] + sys.argv)
    print("report: no matplotlib (Debian: python3-matplotlib): the page gets no charts",
          file=sys.stderr)
    return None


def sh(cmd, **kw):
    print("+ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def build(level, jobs):
    bdir = f"build/bench-{level}"
    sh(["cmake", "--preset", "bench", "-B", bdir, f"-DACTIV_BENCH_ARCH={LEVELS[level]}"],
       stdout=subprocess.DEVNULL)
    sh(["cmake", "--build", bdir, "--target", "bench_activations", "bench_glu"]
       + ([f"-j{jobs}"] if jobs else []))


def run(level, args, charted):
    """Runs both programs of one level; returns the JSON paths."""
    bdir = os.path.join(ROOT, f"build/bench-{level}/bench")
    work = os.path.join(ROOT, args.work_dir)
    os.makedirs(work, exist_ok=True)
    common = [f"--benchmark_repetitions={args.repetitions}",
              "--benchmark_display_aggregates_only=true", "--benchmark_out_format=json"]
    if args.min_time is not None:
        common.append(f"--benchmark_min_time={args.min_time:g}")
    if charted:  # float at every n for the charts, double at the table's sizes
        sizes, filt = "sweep", r"^BM_[a-z_]+<float>/|/(4096|16777216)$"
    else:
        sizes, filt = ",".join(map(str, TABLE_N)), "."
    act = os.path.join(work, f"activations-{level}.json")
    glu = os.path.join(work, f"glu-{level}.json")
    sh([os.path.join(bdir, "bench_activations"), f"--sizes={sizes}",
        f"--benchmark_filter={args.filter or filt}", f"--benchmark_out={act}"] + common)
    sh([os.path.join(bdir, "bench_glu"), f"--benchmark_filter={args.glu_filter}",
        f"--benchmark_out={glu}"] + common)
    return act, glu


# ------------------------------------------------------------------------------------------------
# Formatting


def fmt_n(n):
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20} M"
    return f"{n:,}".replace(",", " ")


def fmt_r(r, digits=2):
    """A ratio as compare.py prints it, without the range where it is a single value (one
    repetition)."""
    text = fmt_ratio(r, digits)
    if r is not None and f"{r[1]:.{digits}f}" == f"{r[2]:.{digits}f}":
        text = f"{r[0]:.{digits}f}"
    return text


def fmt_ns(s):
    if not s:
        return "–"
    v = s["median"]
    return f"{v:.2f}" if v >= 0.1 else f"{v:.3f}"


def march_flag(level, ctx=None):
    """The optimization flags of a level's build, from its JSON context where it says."""
    march = (ctx or {}).get("march")
    if march is None:
        march = f"-march={LEVELS[level]}" if LEVELS[level] else ""
    return "-O3 " + march if march.startswith("-march=") else "-O3"


def level_title(level, ctx):
    flags = march_flag(level, ctx)
    baseline = "" if "-march=" in flags else ", the x86-64 baseline"
    isa = ctx.get("build", "?").replace("optimized, ", "").replace("optimized", "")
    return (f"**{level}**: `{flags}`{baseline}" + (f" ({isa})" if isa else "")
            + f"; Eigen's SIMD: {ctx.get('eigen_simd', '?').replace('AVX SSE', 'AVX, SSE')}")


# ------------------------------------------------------------------------------------------------
# The tables


def elementwise_rows(stats):
    """Markdown rows of one level's element-wise table."""
    rows = []
    for fn in FN_ORDER:
        for t in TYPES:
            for n in TABLE_N:
                s = {impl: stats.get((fn, t, n, impl)) for impl in ("activ", "fast", "scalar", "eigen")}
                if not any(s.values()):
                    continue
                copy = stats.get(("memcpy", t, n, "copy"))
                p, f, e, sc = s["activ"], s["fast"], s["eigen"], s["scalar"]
                r = lambda a, b, digits=2: fmt_r(ratio(a, b) if a and b else None, digits)
                rows.append(f"| {LABEL.get(fn, fn)} | {t} | {fmt_n(n)} | {fmt_ns(p)} | {fmt_ns(f)} | {r(p, e)} | "
                            f"{r(f, e)} | {r(sc, p, 1)} | {r(sc, f, 1)} | {r(f, copy)} |")
    return rows


def glu_table(glu_by_level):
    """The GLU table: a row per variant and type, a column per level and size, each cell the
    precise tier's and the fast tier's time relative to the Eigen composition (medians)."""
    cols = [(lv, size) for lv in glu_by_level for size in GLU_SIZES]
    first = next(iter(glu_by_level))
    lines = [f"| variant | type | fast ns ({first}, L1) | "
             + " | ".join(f"{lv}, {size}" for lv, size in cols) + " |",
             "|---|---|---:|" + "---|" * len(cols)]
    for fn in GLU_FNS:
        for t in TYPES:
            cells = []
            for level, size in cols:
                get = lambda impl: glu_by_level[level].get((fn, t, GLU_D, size, impl))
                e, p, f = get("eigen"), get("activ_value_first"), get("fast")
                cells.append(" / ".join(f"{ratio(x, e)[0]:.2f}" if x and e else "–" for x in (p, f)))
            if any(c != "– / –" for c in cells):
                fast_ns = fmt_ns(glu_by_level[first].get((fn, t, GLU_D, "L1", "fast")))
                lines.append(f"| {fn} | {t} | {fast_ns} | " + " | ".join(cells) + " |")
    return lines


def targets(act_by_level):
    """[(label, {function: cell})], one row per target and level, and the list of misses; all at
    n = 4 096 in float (medians)."""
    missed, table = [], []
    n, t = 4096, "float"
    for level, stats in act_by_level.items():
        cells = {}
        for fn in FN_ORDER:
            f, e = stats.get((fn, t, n, "fast")), stats.get((fn, t, n, "eigen"))
            if f and e and level in FAST_VS_EIGEN.get(fn, {}):
                r = ratio(f, e)
                cells[fn] = f"{r[0]:.2f} " + judge(r[0], FAST_VS_EIGEN[fn][level], False,
                                                    f"{level}: fast {fn} / Eigen {r[0]:.2f}", missed)
        table.append((f"fast / Eigen, {level}", cells))
    for level, stats in act_by_level.items():
        if level not in PRECISE_OVER_SCALAR:
            continue
        cells = {}
        for fn in FN_ORDER:
            p, sc = stats.get((fn, t, n, "activ")), stats.get((fn, t, n, "scalar"))
            if p and sc:
                r = ratio(sc, p)
                cells[fn] = f"{r[0]:.1f}× " + judge(r[0], PRECISE_OVER_SCALAR[level], True,
                                                     f"{level}: precise {fn} over scalar {r[0]:.1f}x",
                                                     missed)
        table.append((f"precise over scalar loop, {level}", cells))
    return table, missed


def targets_markdown(table):
    lines = ["| float, n = 4 096 | " + " | ".join(FN_ORDER) + " |",
             "|---|" + "---|" * len(FN_ORDER)]
    for label, cells in table:
        lines.append(f"| {label} | " + " | ".join(cells.get(fn, "–") for fn in FN_ORDER) + " |")
    return lines


# ------------------------------------------------------------------------------------------------
# The charts


def charts(plt, act_by_level, ctxs, chart_levels, plot_dir):
    """One PNG per function: float, ns/element against n, one panel per chart level. Returns
    {fn: path}."""
    levels = [lv for lv in chart_levels if lv in act_by_level]
    if not levels:
        return {}
    os.makedirs(plot_dir, exist_ok=True)
    out = {}
    for fn in FN_ORDER:
        fig, axes = plt.subplots(1, len(levels), figsize=(5.2 * len(levels), 3.9), sharey=True,
                                 squeeze=False)
        drawn = False
        for ax, level in zip(axes[0], levels):
            stats = act_by_level[level]
            for impl, label, color, style in CHART_IMPLS:
                key_fn = "memcpy" if impl == "copy" else fn
                pts = sorted((k[2], v) for k, v in stats.items()
                             if k[0] == key_fn and k[1] == "float" and k[3] == impl)
                if len(pts) < 2:
                    continue
                ns = [p[0] for p in pts]
                ax.plot(ns, [p[1]["median"] for p in pts], style, color=color, marker="o",
                        markersize=3, label=label)
                ax.fill_between(ns, [p[1]["min"] for p in pts], [p[1]["max"] for p in pts],
                                color=color, alpha=0.2, linewidth=0)
                drawn = True
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ticks = sorted({k[2] for k in stats if k[1] == "float"})
            ax.set_xticks(ticks)
            ax.set_xticklabels([fmt_n(x).replace(" ", "\u2009") for x in ticks], fontsize=8)
            ax.minorticks_off()
            ax.grid(True, which="major", alpha=0.3)
            ax.set_xlabel("n (elements; in + out = 8n bytes)")
            flags = march_flag(level, ctxs.get(level))
            ax.set_title(f"{LABEL.get(fn, fn)}, float, {level} ({flags if '-march' in flags else 'x86-64 baseline'})",
                         fontsize=10)
        axes[0][0].set_ylabel("ns per element (median; band: min–max)")
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=9, frameon=False)
        fig.tight_layout(rect=(0, 0.07, 1, 1))
        path = os.path.join(plot_dir, f"perf_{fn}.png")
        if drawn:
            fig.savefig(path, dpi=100)
            out[fn] = path
        plt.close(fig)
    return out


# ------------------------------------------------------------------------------------------------
# The page


def kept_sections(path):
    """The "## " sections of an existing page that this script does not write, verbatim."""
    if not os.path.exists(path):
        return []
    kept, keep = [], False
    with open(path) as f:
        for line in f.read().splitlines():
            if line.startswith("## "):
                keep = not any(line[3:].startswith(g) for g in GENERATED + ("Element-wise", "GLU"))
            elif line.startswith("# "):
                keep = False
            if keep:
                kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def para(text):
    """A paragraph wrapped at 100 columns, as the project's Markdown is."""
    return textwrap.wrap(text, 100, break_on_hyphens=False, break_long_words=False)


def page(args, act_by_level, ctx_by_level, glu_by_level, target_table, plots, out_path, run_info):
    ctx = next(iter(ctx_by_level.values()))
    reps = sorted({str(v["reps"]) for stats in act_by_level.values() for v in stats.values()})
    reps_text = "1 repetition" if reps == ["1"] else " or ".join(reps) + " repetitions"
    reps_text = reps_text.replace("agg repetitions", "repetitions")
    min_time = run_info.get("min_time")
    min_time = f"{min_time:g}" if min_time is not None else "0.5"
    metric = "CPU time" if args.metric == "cpu_time" else "wall-clock time"
    L = ["# Performance", ""]
    L += para("activ's first goal is accuracy ([accuracy.md](accuracy.md)). The precise tier "
              "(`activ::gelu`, …) computes float results in double and rounds once; the fast tier "
              "(`activ::fast::gelu`, …) computes in the lane type's own arithmetic, within 4 ULP, "
              "with the same tails. This page times both against Eigen's built-in expression of "
              "the same formula (a cheap approximation that loses the tails), a scalar `<cmath>` "
              "loop and `memcpy` of the same bytes, at each instruction-set level below. "
              f"`bench/report.py` wrote it from one run: one thread, {metric}, {reps_text} of at "
              f"least {min_time} s each.")
    L += [""] + para(
        f"Machine: {ctx.get('cpu_model') or '?'}, {ctx.get('num_cpus', '?')} CPUs at "
        f"{ctx.get('mhz_per_cpu', '?')} MHz; {ctx.get('compiler', '?')}; Eigen "
        f"{ctx.get('eigen_version', '?')} (`EIGEN_FAST_MATH={ctx.get('eigen_fast_math', '?')}`); "
        f"measured {ctx.get('date', '?')[:10]}.") + [""]
    L += [
         "## How to read", "",
         "- **ns**: time per element, median over the repetitions, on 3·N(0, 1) input (the same values",
         "  every iteration; about 0.3 % of them beyond |x| = 9, where the cheap forms break).",
         "- **/ Eigen**: activ's time / Eigen's; below 1, activ is faster. **over scalar**: the scalar",
         "  loop's time / activ's. **fast / memcpy**: the fast tier's time / the time to copy the same",
         "  bytes, the floor of any element-wise kernel. Ratios of the medians, then the widest range",
         "  the repetitions allow, [min/max – max/min]; a wide range means a busy machine.",
         "- n = 4 096 (in + out in L1/L2) is the compute-bound case; n = 16 M (64 MiB each way in",
         "  float) streams from memory and shows how well a kernel hides behind that traffic.",
         "- Eigen 3.4 vectorizes `erf` and `tanh` only for float: its double `gelu` and `gelu_tanh`",
         "  are essentially the scalar loop. `logistic()` is vectorized for both types.",
         "- Speed is not the whole comparison: Eigen's GELU forms cancel for x < −4 and its float",
         "  `logistic()` loses thousands of ULP near −8.4; activ pays for the tails in these numbers.",
         "  [bench/README.md](../bench/README.md) describes each implementation.",
         "", "## Element-wise functions", ""]
    for level, stats in act_by_level.items():
        L += [level_title(level, ctx_by_level[level]), "",
              "| function | type | n | precise ns | fast ns | precise / Eigen | fast / Eigen "
              "| precise over scalar | fast over scalar | fast / memcpy |",
              "|---|---|---:|---:|---:|---|---|---|---|---|"]
        L += elementwise_rows(stats) + [""]
    if plots:
        rel = os.path.relpath(os.path.dirname(next(iter(plots.values()))), os.path.dirname(out_path))
        L += ["## Charts", ""] + para(
            "Float, ns per element against n, log-log, one panel per level; the band spans the "
            "repetitions. Where a line meets memcpy's, that kernel is bound by memory traffic.") + [""]
        L += [f"![{fn}]({rel}/{os.path.basename(p)})" for fn, p in plots.items()] + [""]
    if glu_by_level:
        L += ["## GLU family", ""] + para(
            f"`bench/bench_glu`: input [rows, 2d] row-major, d = {fmt_n(GLU_D)}, about 24 KiB (L1) "
            "and 192 MiB (DRAM) in all; the precise and fast tiers in the value-first layout "
            "against the best composition of Eigen built-ins on `leftCols`/`rightCols` "
            "(`a * (0.5*b*(1 + (b*M_SQRT1_2).erf()))`, `a * (b*b.logistic())`, "
            "`a * b.logistic()`). Each cell: precise / Eigen time, fast / Eigen time (medians); the "
            "ns are per output element.") + [""]
        L += glu_table(glu_by_level) + [""]
    L += ["## Targets", ""] + para(
        "At n = 4 096 in float (medians): the fast tier within 1.0×, 1.1× and 1.25× of Eigen's "
        "time at native, x86-64-v3 and sse2 (gelu: 2.0×, 2.25×, 2.5×); the precise tier at least "
        "3× the scalar loop at sse2. `--targets` prints these verdicts without writing the "
        "page.") + [""]
    L += targets_markdown(target_table) + [""]
    elapsed = run_info.get("seconds")
    took = f"; this run took about {max(1, round(elapsed / 60))} minutes, builds included" if elapsed else ""
    L += ["## Regenerate", ""] + para(
        "From the repository root, on an otherwise idle machine (it configures and builds "
        f"build/bench-<level>, runs the benchmarks and rewrites this page and its charts{took}):")
    L += ["", "```sh", run_info.get("regenerate") or regenerate_command(args), "```", ""]
    kept = kept_sections(out_path)
    if kept:
        L += kept + [""]
    return "\n".join(L)


def main():
    args = parse_args()
    plt = ensure_matplotlib(args)
    if args.json_dir:
        json_dir = os.path.join(ROOT, args.json_dir)
        paths = {lv: (os.path.join(json_dir, f"activations-{lv}.json"),
                      os.path.join(json_dir, f"glu-{lv}.json")) for lv in args.levels}
        run_info = {"min_time": args.min_time}  # how the JSON was made, if this script made it
        if os.path.exists(os.path.join(json_dir, RUN_INFO)):
            with open(os.path.join(json_dir, RUN_INFO)) as f:
                run_info = json.load(f)
    else:
        start = time.monotonic()
        paths = {}
        for level in args.levels:
            if not args.skip_build:
                build(level, args.jobs)
            paths[level] = run(level, args, level in args.chart_levels)
        run_info = {"seconds": time.monotonic() - start, "min_time": args.min_time,
                    "regenerate": regenerate_command(args)}
        with open(os.path.join(ROOT, args.work_dir, RUN_INFO), "w") as f:
            json.dump(run_info, f, indent=1)

    act_by_level, ctx_by_level, glu_by_level = {}, {}, {}
    for level, (act, glu) in paths.items():
        if not os.path.exists(act):
            print(f"report: no {act}: level {level} left out", file=sys.stderr)
            continue
        act_by_level[level], ctx_by_level[level] = load([act], args.metric, NAME)
        if os.path.exists(glu):
            glu_by_level[level], _ = load(
                [glu], args.metric, DENSE,
                lambda m: (m["fn"], m["type"], int(m["d"]), m["size"], m["impl"]), glu_items)
    if not act_by_level:
        sys.exit("report: no bench_activations results")

    target_table, missed = targets(act_by_level)
    print("\nTargets (median; reported, not enforced):")
    print("\n".join(targets_markdown(target_table)))
    print("\nmissed: " + ("; ".join(missed) if missed else "none"))
    if args.targets:
        return

    out_path = os.path.join(ROOT, args.out)
    plots = charts(plt, act_by_level, ctx_by_level, args.chart_levels,
                   os.path.join(os.path.dirname(out_path), "plots")) if plt else {}
    text = page(args, act_by_level, ctx_by_level, glu_by_level, target_table, plots, out_path,
                run_info)
    with open(out_path, "w") as f:
        f.write(text)
    print(f"\nwrote {os.path.relpath(out_path, ROOT)} ({text.count(chr(10))} lines)"
          + (f" and {len(plots)} charts in {os.path.relpath(os.path.dirname(next(iter(plots.values()))), ROOT)}"
             if plots else ""))


if __name__ == "__main__":
    main()
