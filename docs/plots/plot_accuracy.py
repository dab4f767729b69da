#!/usr/bin/env python3
"""Draw docs/accuracy.md's pictures from accuracy_data's output.

    plot_accuracy.py <data dir> <output dir>

reads <data dir>/<function>.csv (written by accuracy_data) and writes <output dir>/<function>.png:
the largest error in ULP per bin of width 0.01 over x in [-15, 5], of activ, of Eigen's
expression and of the float <cmath> formula, on a symmetric-log axis (linear from 0 to 1 ULP,
logarithmic above), and NaN results as crosses along the top.
The usual way to run it is the accuracy_plots target (docs/plots/CMakeLists.txt).
"""
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TITLES = {
    "gelu": ("gelu(x) = x·Φ(x)", "0.5f*x*(1 + (x*√½).erf())", "0.5f*x*(1 + std::erf(x*√½))"),
    "gelu_tanh": ("gelu_tanh(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))",
                  "0.5f*x*(1 + (c*(x + 0.044715f*x.cube())).tanh())",
                  "0.5f*x*(1 + std::tanh(c*(x + 0.044715f*x*x*x)))"),
    "sigmoid": ("sigmoid(x) = 1/(1 + e^−x)", "x.logistic()", "1/(1 + std::exp(-x))"),
    "silu": ("silu(x) = x·sigmoid(x)", "x*x.logistic()", "x/(1 + std::exp(-x))"),
}
SERIES = [("eigen", "Eigen 3.4: {}", "tab:red", 2.0, "-"),
          ("libm", "float <cmath>: {}", "tab:orange", 1.3, "--"),
          ("activ", "activ::{}", "tab:blue", 2.2, "-")]


def read(path):
    simd = ""
    rows = []
    with open(path) as f:
        first = f.readline()
        if "Eigen SIMD:" in first:
            sets = first.split("Eigen SIMD:", 1)[1].strip()
            simd = "AVX-512" if "AVX512" in sets else "AVX2 + FMA" if "AVX2" in sets else "SSE2"
        for row in csv.DictReader(f):
            rows.append(row)
    return simd, rows


def draw(name, data_dir, out_dir):
    simd, rows = read(os.path.join(data_dir, name + ".csv"))
    x = [float(r["x"]) for r in rows]
    title, eigen_formula, libm_formula = TITLES[name]
    formulas = {"eigen": eigen_formula, "libm": libm_formula, "activ": name}
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=110)
    top = max(float(r[key]) for r in rows for key, *_ in SERIES if r[key] != "nan")
    nan_level = 10 ** math.ceil(math.log10(max(top, 10)) + 0.5)
    for key, label, color, width, style in SERIES:
        ys = [float(r[key]) if r[key] != "nan" else math.nan for r in rows]
        ax.step(x, ys, where="post", color=color, linewidth=width, linestyle=style,
                label=label.format(formulas[key]))
        nan_x = [xi for xi, r in zip(x, rows) if r[key] == "nan"]
        if nan_x:
            ax.plot(nan_x, [nan_level] * len(nan_x), "x", color=color, markersize=4,
                    label="NaN ({})".format(key))
    ax.set_yscale("symlog", linthresh=1, linscale=0.5)
    ax.set_ylim(0, nan_level * 3)
    ax.set_xlim(x[0], x[-1] + 0.01)
    ax.set_xlabel("x (float)")
    ax.set_ylabel("max error per 0.01 of x, ULP")
    ax.set_title("{}\nerror in float ULP against the function in long double; built for {}".format(title, simd),
                 fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    path = os.path.join(out_dir, name + ".png")
    fig.savefig(path)
    plt.close(fig)
    print("wrote", path)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    for name in TITLES:
        draw(name, sys.argv[1], sys.argv[2])


if __name__ == "__main__":
    main()
