#!/usr/bin/env python3
"""Writes the seed corpus of the libFuzzer targets: tests/fuzz/corpus/<target>/<name>.

Each seed is one input in the byte layout documented at the top of fuzz_elementwise.cpp and
fuzz_glu.cpp: special values, the tails where results turn subnormal, subnormal inputs, odd
widths, strides, offsets, every layout, form and input kind, and each documented error.
Run from anywhere: python3 tests/fuzz/make_seeds.py (deterministic; rewrites the seed files,
leaves other files in the corpus directories alone).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

NAN_F = struct.unpack("<f", struct.pack("<I", 0x7FC00000))[0]


def f32(x):
    return struct.pack("<f", x)


def f64(x):
    return struct.pack("<d", x)


def bits32(u):
    return struct.pack("<I", u)


def bits64(u):
    return struct.pack("<Q", u)


# Special bit patterns: quiet NaN, negative NaN with a payload, signalling NaN, ±inf, ±0,
# ±denorm_min, the largest subnormal, ±smallest normal, ±largest finite, ±1.
SPECIAL_F32 = [0x7FC00000, 0xFFC12345, 0x7F800001, 0x7F800000, 0xFF800000, 0x00000000,
               0x80000000, 0x00000001, 0x80000001, 0x007FFFFF, 0x00800000, 0x80800000,
               0x7F7FFFFF, 0xFF7FFFFF, 0x3F800000, 0xBF800000]
SPECIAL_F64 = [0x7FF8000000000000, 0xFFF8000000012345, 0x7FF0000000000001, 0x7FF0000000000000,
               0xFFF0000000000000, 0x0000000000000000, 0x8000000000000000, 0x0000000000000001,
               0x8000000000000001, 0x000FFFFFFFFFFFFF, 0x0010000000000000, 0x8010000000000000,
               0x7FEFFFFFFFFFFFFF, 0xFFEFFFFFFFFFFFFF, 0x3FF0000000000000, 0xBFF0000000000000]


def values(double, xs=None, bits=None):
    if bits is not None:
        return b"".join(bits64(u) if double else bits32(u) for u in bits)
    return b"".join(f64(x) if double else f32(x) for x in xs)


# ---------------------------------------------------------------------------------------------
# fuzz_elementwise: b0 function (| 0x80 double), b1 container, b2 offset | extra << 4,
# b3 count or rows, b4 output offset or cols | block origin << 4, b5..b8 beta, values.

FUNCS = {"gelu": 0, "gelu_tanh": 1, "sigmoid": 2, "silu": 3, "swish": 4, "relu": 5}


def elementwise(fn, double, container, b2, b3, b4, vals, beta=(0, 0, 0, 0)):
    return bytes([FUNCS[fn] | (0x80 if double else 0), container, b2, b3, b4, *beta]) + vals


def elementwise_seeds():
    s = {}
    for fn in FUNCS:
        for double in (False, True):
            t = "double" if double else "float"
            # The special values, 64 elements from offset 3 (unaligned body, scalar head and tail).
            s[f"{fn}_{t}_specials"] = elementwise(
                fn, double, 0, 3, 64, 5, values(double, bits=SPECIAL_F64 if double else SPECIAL_F32))
    # Tails: results that turn subnormal and then zero.
    s["gelu_float_tail"] = elementwise("gelu", False, 0, 0, 47, 1, values(
        False, [-13.0, -13.2, -13.5, -13.9, -14.0, -14.2, -14.5, -15.0, -5.2, -6.0, -10.0, 3.0]))
    s["gelu_double_tail"] = elementwise("gelu", True, 0, 1, 33, 0, values(
        True, [-37.5, -38.0, -38.3, -38.5, -38.7, -39.0, -40.0, -27.0, -10.0, -1e-300, 1e300]))
    s["gelu_tanh_float_tail"] = elementwise("gelu_tanh", False, 2, 0x12, 7, 3, values(
        False, [-5.0, -7.5, -9.0, -9.6, -10.0, -11.0, -20.0, 4.0, 1e10, -1e10]))
    s["gelu_tanh_double_tail"] = elementwise("gelu_tanh", True, 3, 0x21, 5, 4, values(
        True, [-12.0, -20.0, -25.0, -26.5, -27.0, -30.0, 2.0, -0.75]))
    s["sigmoid_float_tail"] = elementwise("sigmoid", False, 1, 0x21, 40, 2, values(
        False, [-87.0, -88.0, -88.72, -100.0, -103.0, -103.97, -104.0, -110.0, 16.0, 17.5, 88.0]))
    s["sigmoid_double_tail"] = elementwise("sigmoid", True, 4, 0x33, 9, 2, values(
        True, [-700.0, -708.4, -709.0, -744.0, -745.1, -746.0, 36.0, 37.5, 710.0]))
    s["silu_float_tail"] = elementwise("silu", False, 5, 0x12, 11, 5, values(
        False, [-80.0, -87.0, -88.0, -100.0, -103.0, -104.0, 17.0, 1e30]))
    s["silu_double_tail"] = elementwise("silu", True, 6, 0x16, 13, 0x57, values(
        True, [-700.0, -708.0, -740.0, -745.0, -746.0, 40.0, 1e300]))
    # swish with non-preset betas (exponent b5 % 17 - 8).
    s["swish_float_beta_small"] = elementwise("swish", False, 0, 7, 21, 9, values(
        False, [-200.0, -30.0, -1.5, 0.25, 3.0, 1e6, -1e6, -1e-40]), beta=(64 + 3, 0x12, 0x34, 0x56))
    s["swish_double_beta_large"] = elementwise("swish", True, 2, 0x10, 6, 6, values(
        True, [-3.0, -2.0, -0.001, 0.5, -1e-310, 5.0]), beta=(64 + 16, 0xAB, 0xCD, 0x8F))
    s["swish_float_beta_1p702"] = elementwise("swish", False, 3, 0x31, 17, 3, values(
        False, [-8.43, -8.59, -6.0, -10.0, 0.7, -60.0]), beta=(2, 0, 0, 0))
    # Subnormal inputs through every container.
    for i, fn in enumerate(["gelu", "gelu_tanh", "silu", "swish", "sigmoid", "relu"]):
        double = i % 2 == 1
        sub = [0x00000003, 0x80000003, 0x00400001, 0x80400001, 0x007FFFFE] if not double else \
            [0x3, 0x8000000000000003, 0x0008000000000001, 0x8008000000000001]
        s[f"{fn}_subnormals_container{i + 1}"] = elementwise(
            fn, double, (i + 1) % 7, 0x25, 19, 0x43, values(double, bits=sub))
    return s


# ---------------------------------------------------------------------------------------------
# fuzz_glu: b0 variant (| 0x80 double), b1 form | row_major << 3 | kind << 4, b2 rows,
# b3 d | dest << 5, b4 offset | pad << 3 | (inner - 1) << 5, b5 errors, b6..b9 beta/alpha,
# b10 b11 limit, values.

VARIANTS = {"geglu": 0, "geglu_tanh": 1, "swiglu": 2, "swiglu_beta": 3, "reglu": 4, "glu": 5,
            "bilinear": 6, "swiglu_oai": 7}
FORMS = {"value_first": 0, "gate_first": 1, "interleaved": 2, "default": 3, "two_input": 4}
KINDS = {"outer_stride": 0, "strided": 1, "block": 2, "expression": 3, "product": 4}
DESTS = {"plain": 0, "into": 1, "in_place": 2, "into_padded": 3}


def glu(variant, double, form, row_major, kind, rows, d, dest, offset, pad, inner, errors, vals,
        beta=(0, 0, 0, 0), limit=(0, 0)):
    b1 = FORMS[form] | (8 if row_major else 0) | (KINDS[kind] << 4)
    b3 = d | (DESTS[dest] << 5)
    b4 = offset | (pad << 3) | ((inner - 1) << 5)
    return bytes([VARIANTS[variant] | (0x80 if double else 0), b1, rows, b3, b4, errors, *beta,
                  *limit]) + vals


MIXED = [-3.0, 1.5, -0.5, 2.0, 0.25, -14.0, 7.5, -1.0, 3.0, -20.0, 0.0, 9.0]
MIXED_D = [-3.0, 1.5, -0.5, 2.0, 0.25, -38.5, 7.5, -1.0, 3.0, -40.0, 0.0, 9.0]


def glu_seeds():
    s = {}
    # Every variant, both types, in a different form/kind/destination each.
    combos = [("value_first", False, "outer_stride", "plain"),
              ("gate_first", True, "strided", "into"),
              ("interleaved", True, "outer_stride", "into_padded"),
              ("interleaved", False, "block", "in_place"),
              ("default", False, "outer_stride", "in_place"),
              ("two_input", True, "outer_stride", "into"),
              ("value_first", True, "expression", "into_padded"),
              ("interleaved", False, "product", "plain")]
    for i, v in enumerate(VARIANTS):
        for double in (False, True):
            form, row_major, kind, dest = combos[(i + (3 if double else 0)) % len(combos)]
            t = "double" if double else "float"
            rows, d = (3 + i) % 13, (5 + 3 * i) % 18
            s[f"{v}_{t}_{form}_{kind}"] = glu(
                v, double, form, row_major, kind, rows, d, dest, i % 8, i % 4, 1 + i % 2, 0,
                values(double, MIXED_D if double else MIXED),
                beta=(64 + 9, 0x10, 0x20, 0x30) if v == "swiglu_beta" else (2, 0, 0, 0),
                limit=(128 + 11, 5) if v == "swiglu_oai" else (0, 0))
    # Row-major interleaved, d = 17 (float: a 16-lane packet and a tail), unit inner stride: the
    # de-interleaving packet loads read up to the row's last column.
    s["geglu_float_interleaved_rowmajor_d17"] = glu(
        "geglu", False, "interleaved", True, "outer_stride", 5, 17, "into", 0, 0, 1, 0,
        values(False, MIXED + [13.0, -13.5, 0.5, -2.5]))
    s["swiglu_oai_double_interleaved_rowmajor_d9"] = glu(
        "swiglu_oai", True, "interleaved", True, "outer_stride", 2, 9, "into_padded", 3, 1, 1, 0,
        values(True, [-9.0, 8.0, 6.5, -7.5, 100.0, -100.0, 0.0]), limit=(0, 0))
    # Inner stride 3, row-major interleaved (gather path).
    s["glu_float_interleaved_rowmajor_strided"] = glu(
        "glu", False, "interleaved", True, "strided", 4, 6, "plain", 2, 2, 3, 0,
        values(False, MIXED))
    # Special values as value and gate: inf·0, NaN payloads, subnormal gates.
    s["geglu_float_specials"] = glu(
        "geglu", False, "value_first", False, "outer_stride", 2, 16, "into", 1, 0, 1, 0,
        values(False, bits=SPECIAL_F32))
    s["geglu_tanh_double_specials"] = glu(
        "geglu_tanh", True, "gate_first", True, "outer_stride", 3, 8, "plain", 0, 1, 1, 0,
        values(True, bits=SPECIAL_F64))
    s["swiglu_oai_float_specials_inf_limit"] = glu(
        "swiglu_oai", False, "interleaved", False, "outer_stride", 2, 8, "into", 0, 0, 1, 0,
        values(False, bits=SPECIAL_F32), limit=(1, 0))
    # Underflowing gates times large values (the slack of glu.hpp's accuracy note).
    s["geglu_float_subnormal_gate"] = glu(
        "geglu", False, "two_input", False, "outer_stride", 1, 5, "into", 0, 0, 1, 0,
        values(False, [3e38, -14.0, -1e20, -14.2, 1e30, -13.9, 5.0, -14.5]))
    # Empty shapes.
    s["reglu_float_zero_rows"] = glu(
        "reglu", False, "interleaved", True, "outer_stride", 0, 7, "into", 3, 1, 1, 0,
        values(False, MIXED))
    s["bilinear_double_zero_width"] = glu(
        "bilinear", True, "value_first", False, "block", 4, 0, "plain", 5, 2, 2, 0,
        values(True, MIXED_D))
    # Errors: odd width (each layout), mismatched two inputs, a destination of the wrong shape,
    # a negative and a NaN limit.
    for i, form in enumerate(["value_first", "gate_first", "interleaved", "default"]):
        s[f"error_odd_width_{form}"] = glu(
            list(VARIANTS)[i * 2], i % 2 == 1, form, i % 2 == 0, list(KINDS)[i], 3, 3,
            "into", 1, 0, 1, 0x01, values(False, MIXED))
    s["error_mismatch_rows"] = glu("swiglu_beta", False, "two_input", False, "outer_stride", 3,
                                   4, "plain", 0, 0, 1, 0x02, values(False, MIXED))
    s["error_mismatch_transposed"] = glu("glu", True, "two_input", True, "strided", 3, 4,
                                         "plain", 0, 0, 2, 0x02 | (2 << 4), values(True, MIXED_D))
    s["error_destination_cols"] = glu("geglu", False, "interleaved", True, "outer_stride", 3, 4,
                                      "into", 0, 0, 1, 0x04 | (1 << 4), values(False, MIXED))
    s["error_destination_rows_minus"] = glu("geglu_tanh", True, "value_first", False, "block", 3,
                                            4, "in_place", 1, 1, 1, 0x04 | 0x40,
                                            values(True, MIXED_D))
    s["error_negative_limit"] = glu("swiglu_oai", False, "interleaved", False, "outer_stride", 2,
                                    4, "plain", 0, 0, 1, 0x08, values(False, MIXED),
                                    limit=(0, 0))
    s["error_nan_limit"] = glu("swiglu_oai", True, "two_input", False, "outer_stride", 2, 4,
                               "plain", 0, 0, 1, 0x08, values(True, MIXED_D), limit=(0, 1))
    s["error_odd_width_and_destination"] = glu("reglu", False, "value_first", False,
                                               "outer_stride", 2, 4, "into", 0, 0, 1, 0x05,
                                               values(False, MIXED))
    return s


def write(target, seeds):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    return len(seeds), sum(len(v) for v in seeds.values())


if __name__ == "__main__":
    for target, seeds in (("fuzz_elementwise", elementwise_seeds()), ("fuzz_glu", glu_seeds())):
        n, total = write(target, seeds)
        print(f"{target}: {n} seeds, {total} bytes")
