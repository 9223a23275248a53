#!/usr/bin/env python3
"""Regenerates the PyJson test vectors from the real CPython implementation.

Usage (from the repository root):

    python3 mlops-maven-plugin/src/test/python/gen_pyjson_vectors.py \
        > mlops-maven-plugin/src/test/resources/io/mlops/engine/json/pyjson-vectors.jsonl

    # a much larger set for a one-off differential run (not committed):
    python3 mlops-maven-plugin/src/test/python/gen_pyjson_vectors.py --count 200000 > /tmp/pyjson-big.jsonl

Each output line is a JSON object with a "kind" field:

* {"kind": "repr", "bits": "<16 hex digits>", "expected": repr(float)}
* {"kind": "dumps", "input": <value>, "expected": json.dumps(value, sort_keys=True)}
* {"kind": "str", "input": <value>, "expected": str(value)}

"input" values are written with json.dumps(allow_nan=True), so NaN/Infinity appear as bare tokens and
floats always carry a '.' or an exponent (so they read back as floats, not ints).
"""
import argparse
import json
import random
import struct


def bits(d):
    return struct.pack(">d", d).hex()


def from_bits(h):
    return struct.unpack(">d", bytes.fromhex(h))[0]


NAMED_FLOATS = [
    0.1, 0.2, 0.3, 0.30000000000000004, 1e-05, 1e-4, 0.0001, 0.001, 1e16, 1e15, 9999999999999998.0,
    1e17, 1e22, 1e23, 123456789012345680.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
    1.0, 100.0, 2.5e-07, 0.5, -0.0, 0.0, -1.5, 3.141592653589793, 2.718281828459045, 1 / 3, 2 / 3,
    12345.678, 1.5e16, 1.5e-5, 123456789.0, 0.000123, 1234567890123456.0, 12345678901234567.0,
    4.35, 0.9, 0.12346, 1e-07, 9.999999999999999e-05, 2.0 ** -1074,
    2.0 ** -1022, 2.0 ** 1023, 1e300, 1e-300, 6.02214076e23, 1.602176634e-19, 299792458.0, 0.1 + 0.7,
    float("inf"), float("-inf"), float("nan"), 8.41e21, 5.0e-324 * 3, 4.4501477170144023e-308,
    float(2 ** 53), float(2 ** 53 + 2), float(2 ** 63), float(2 ** 64),
]


def random_floats(rng, count):
    out = []
    for _ in range(count):
        r = rng.random()
        if r < 0.4:
            # uniformly random bit patterns (excluding NaN payload variety)
            d = from_bits("%016x" % rng.getrandbits(64))
            if d != d:
                d = float("nan")
        elif r < 0.7:
            # short decimals, the common case in params files
            digits = rng.randint(1, 17)
            mant = rng.randint(1, 10 ** digits - 1)
            exp = rng.randint(-30, 30)
            d = float(f"{mant}e{exp}")
        elif r < 0.85:
            # power-of-two boundaries, where the rounding interval is asymmetric
            d = 2.0 ** rng.randint(-1074, 1023)
            if rng.random() < 0.5:
                d = float.fromhex(d.hex()) * (1 + 2 ** -52) if d < 1e308 else d
        else:
            d = rng.uniform(-1e6, 1e6)
        if rng.random() < 0.3:
            d = -d
        out.append(d)
    return out


def dumps_cases():
    return [
        [],
        {},
        [{"md5": "acbd18db4cc2f85cedef654fccc4a4d8", "relpath": "foo"}],
        {"b": 1, "a": [1, 2.5, None, True, False], "c": {"z": "y", "x": {}}},
        {"ctrl": "\x00\x01\x1f\x7f\x80\x9f", "esc": "\"\\/\b\f\n\r\t", "uni": "na\u00efve \u2028 \ufeff \ufffd"},
        {"astral": "\U0001F600 \U00010000 \U0010FFFF", "\U0001F600": 1, "\ufffd": 2, "z": 3, "\u00e9": 4},
        {"ints": [0, -1, 2 ** 31, -(2 ** 63), 2 ** 64, 10 ** 30]},
        {"floats": [0.1, 1e-05, 1e16, -0.0, 1.0, 100.0, 123456789012345680.0, float("inf"), float("-inf"), float("nan")]},
        {"": "", " ": " ", "A": "a", "a": "A", "aa": "a", "a-b": 1, "a/b": 2, "a0": 3},
        [[[]], [{}], [[1], {"k": [2]}]],
        {"cmd": "python script.py", "deps": [{"hash": "md5", "md5": "2254342becceafbd04538e0a38696791", "path": "dep"}], "outs": ["out"]},
    ]


def str_cases():
    return [
        None, True, False, 0, -5, 10 ** 20, 0.1, 1e-05, 1e16, 100.0, -0.0, float("inf"), float("nan"),
        "plain", "", [], {}, ["a", 1, 2.5], {"a": 1}, {"a": {"b": [1, None, True]}},
        ["it's"], ['say "hi"'], ["both ' and \""], ["back\\slash"], ["tab\tnl\nret\r"],
        ["\x00\x1f\x7f\x80\x9f\xa0\xad"], ["na\u00efve", "\u2028", "\u200b", "\ufeff", "\U0001F600", "\ue000"],
        [[1, [2, [3]]], {"k": ["v"]}], [0.30000000000000004, 1e22, 5e-324],
        {"x": "it's", "y": 'a"b'}, {1: "int key", "s": 2}, [None, False],
    ]


def line(obj):
    return json.dumps(obj, ensure_ascii=True, allow_nan=True, sort_keys=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=400, help="number of random floats")
    ap.add_argument("--seed", type=int, default=20251201)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    for d in NAMED_FLOATS + random_floats(rng, args.count):
        print(line({"kind": "repr", "bits": bits(d), "expected": repr(d)}))
    for v in dumps_cases():
        print(line({"kind": "dumps", "input": v, "expected": json.dumps(v, sort_keys=True)}))
    for v in str_cases():
        if isinstance(v, dict) and any(not isinstance(k, str) for k in v):
            continue  # JSON cannot carry non-string keys
        print(line({"kind": "str", "input": v, "expected": str(v)}))


if __name__ == "__main__":
    main()
