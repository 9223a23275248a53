#!/usr/bin/env python3
"""Generates YamlDumper test vectors with the YAML dumper of DVC 3.67.1 (ruamel.yaml 0.19.1).

Usage (from the repository root, with a Python that has dvc or ruamel.yaml installed):

    python mlops-maven-plugin/src/test/python/gen_yaml_vectors.py \
        > mlops-maven-plugin/src/test/resources/io/mlops/engine/yaml/yaml-vectors.jsonl

    # a large differential run (not committed), checked with
    #   ./mvnw -o -pl mlops-maven-plugin test -Dtest=YamlDumperTest -Dyaml.vectors=/tmp/yaml-big.jsonl
    python mlops-maven-plugin/src/test/python/gen_yaml_vectors.py --count 20000 --seed 1 > /tmp/yaml-big.jsonl

Each line is {"name": ..., "input": <value>, "expected": <YAML text>}. The input is plain JSON (written
with allow_nan=True, so NaN/Infinity appear as bare tokens); floats always carry a '.' or an exponent,
so they read back as floats. Mapping order is the order in the JSON text.
"""
import argparse
import json
import random
import string
import struct

try:
    from dvc.utils.serialize._yaml import dumps_yaml
except ImportError:  # same setup as dvc/utils/serialize/_yaml.py
    import io
    from collections import OrderedDict

    from ruamel.yaml import YAML

    def dumps_yaml(d):
        yaml = YAML()
        yaml.default_flow_style = False
        yaml.Representer.add_representer(OrderedDict, yaml.Representer.represent_dict)
        stream = io.StringIO()
        yaml.dump(d, stream)
        return stream.getvalue()


# ---------------------------------------------------------------------------------------------------
# Strings
# ---------------------------------------------------------------------------------------------------

RESOLVER_BAIT = [
    "", "0", "-0", "+12", "012", "0123", "0o17", "0o", "0x1F", "0xG", "0b101", "0b2", "1_000", "-_", "+_",
    "_1", "12e3", "12E+3", "1e", "1.", ".5", "-.5", "+.5e+3", ".5e3", "1.5e", "1e+5", "1e-05", "2.0",
    "1.0.0", "3.14", "6.02e23", ".", "..", "-", "+", "-.", "NaN", "nan", ".NaN", ".nan", ".NAN", ".Nan",
    ".inf", ".Inf", "-.inf", "+.inf", "inf", "-inf", "Infinity", "2001-12-14", "2001-1-1",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43Z",
    "2001-12-14 21:59:43", "2001-12-14x", "20011-12-14", "true", "True", "TRUE", "tRue", "false",
    "False", "FALSE", "yes", "Yes", "no", "No", "on", "On", "ON", "off", "y", "n", "Y", "N", "~", "null",
    "Null", "NULL", "nUll", "none", "None", "<<", "<", "=", "==", "!", "&", "*", "!!", "&a", "*a",
    "12345678901234567890123456789012", "1234567890123456789012345678901e",
    "12e45678901234567890123456789012", "8761c4e9acad696bee718615e23e22db.dir",
    "00411460f7c92d2124a67ea0f4cb5f85", "0000000018e6137ac2caab16074784a6", "1e10", "1_2.3_4",
    "---", "...", "--- x", "... x", "----", "-a", "- a", "-\ta", "?", "? a", "?a", ":", ": a", ":a",
    "a:", "a: b", "a:b", "a :b", "a#b", "a #b", "#a", "a #", "a,b", "[a]", "{a}", "a[b]", "a{b}",
    "@a", "`a", "%a", "|a", ">a", "'a", '"a', "a'b", 'a"b', "a'", "it's \"x\"", "\\", "a\\b",
    "a ", " a", "  ", " ", "a  b", "a\tb", "\t", "a\n", "\na", "a\nb", "a\n\nb", "a \nb", "a\n b",
    "\n", "a\rb", "\r\n", "a\x00b", "\x07\x08\x0b\x0c\x1b", "\x7f", "\x80", "\x85", "a\x85b",
    "\xa0", "a\xa0", "\xa0a", "caf\xe9", "na\xefve", "\u4e2d\u6587", "\U0001F600", "a\U0001F600b",
    "\u2028", "a\u2028b", "a\u2029b", "\ufeff", "a\ufeffb", "\ue000", "\ufffd", "\ufffe", "\uffff",
    "\u200b", "\u00ad",
]

WORD_CHARS = string.ascii_letters + string.digits + "_-./=+,"
SPECIAL_CHARS = list(":#-?[]{},&*!|>'\"%@`=~<\\ \t") + ["\n", "\xe9", "\u4e2d", "\U0001F600", "\xa0",
                                                        "\x85", "\u2028", "\x00", "\x1b", "\ufeff"]


def rand_word(rng, maxlen=12):
    n = rng.randint(1, maxlen)
    if rng.random() < 0.15:
        return "".join(rng.choice(WORD_CHARS + "".join(SPECIAL_CHARS)) for _ in range(n))
    return "".join(rng.choice(WORD_CHARS) for _ in range(n))


def rand_cmd(rng, target=None):
    """A command line of about `target` characters."""
    target = target if target is not None else rng.randint(40, 260)
    words = []
    length = 0
    while length < target:
        r = rng.random()
        if r < 0.05:
            w = "/".join(rand_word(rng, 10) for _ in range(rng.randint(3, 12)))  # long path
        elif r < 0.08:
            w = "x" * rng.randint(70, 120)  # a word longer than the line
        elif r < 0.12:
            w = rng.choice(["'quoted arg'", '"dq arg"', "a=b", "--flag=1", "&&", "|", ">", "#", "2>&1",
                            "$(pwd)", "${item}", "--lr", "0.001", "'", '"'])
        else:
            w = rand_word(rng)
        words.append(w)
        length += len(w) + 1
    sep = " "
    text = ""
    for i, w in enumerate(words):
        if i:
            r = rng.random()
            if r < 0.03:
                text += "  "
            elif r < 0.04:
                text += "\n"
            elif r < 0.045:
                text += " \n "
            else:
                text += sep
        text += w
    return text


def rand_string(rng):
    r = rng.random()
    if r < 0.30:
        s = rng.choice(RESOLVER_BAIT)
        if rng.random() < 0.2:  # decorate the bait
            s = rng.choice(["", " ", "a", "-", "x "]) + s + rng.choice(["", " ", "b", ":", " #"])
        return s
    if r < 0.55:
        return rand_word(rng, 20)
    if r < 0.80:
        return rand_cmd(rng)
    if r < 0.90:
        return "".join(rng.choice(SPECIAL_CHARS + list("ab ")) for _ in range(rng.randint(1, 12)))
    # long strings mixing everything, exercising quoted folding
    parts = []
    for _ in range(rng.randint(5, 40)):
        parts.append(rng.choice([rand_word(rng), rng.choice(RESOLVER_BAIT), rng.choice(SPECIAL_CHARS)]))
    return rng.choice([" ", " ", " ", "  ", "\n", ""]).join(parts)


def rand_key(rng):
    r = rng.random()
    if r < 0.6:
        return rand_word(rng, 12)
    if r < 0.75:
        return rng.choice(RESOLVER_BAIT)
    if r < 0.85:
        return "k" * rng.randint(115, 130)  # around the 128-char simple key limit
    if r < 0.9:
        return rand_cmd(rng, rng.randint(80, 200))
    return rand_string(rng)


# ---------------------------------------------------------------------------------------------------
# Scalars and structures
# ---------------------------------------------------------------------------------------------------


def rand_float(rng):
    r = rng.random()
    if r < 0.3:
        return rng.choice([0.0, -0.0, 1.0, 100.0, 0.001, 1e-05, 1e16, 1.5e16, 1e22, 0.1, 2.5e-07,
                           float("nan"), float("inf"), float("-inf"), 123456789012345680.0, 5e-324])
    if r < 0.6:
        return float(f"{rng.randint(1, 10 ** rng.randint(1, 17))}e{rng.randint(-25, 25)}")
    if r < 0.8:
        d = struct.unpack(">d", struct.pack(">Q", rng.getrandbits(64)))[0]
        return float("nan") if d != d else d
    return rng.uniform(-1000, 1000)


def rand_scalar(rng):
    r = rng.random()
    if r < 0.45:
        return rand_string(rng)
    if r < 0.6:
        return rng.choice([0, 1, -1, 42, 10 ** 20, -(2 ** 63), rng.randint(-10 ** 6, 10 ** 6)])
    if r < 0.75:
        return rand_float(rng)
    if r < 0.85:
        return rng.choice([True, False])
    return None


def rand_tree(rng, depth):
    r = rng.random()
    if depth <= 0 or r < 0.45:
        return rand_scalar(rng)
    if r < 0.5:
        return rng.choice([[], {}])
    if r < 0.75:
        return [rand_tree(rng, depth - 1) for _ in range(rng.randint(1, 4))]
    d = {}
    for _ in range(rng.randint(1, 4)):
        d[rand_key(rng)] = rand_tree(rng, depth - 1)
    return d


def md5ish(rng):
    r = rng.random()
    if r < 0.1:
        return "".join(rng.choice("0123456789") for _ in range(32))
    if r < 0.2:
        return "".join(rng.choice("0123456789e") for _ in range(32))
    s = "".join(rng.choice("0123456789abcdef") for _ in range(32))
    return s + (".dir" if rng.random() < 0.2 else "")


def rand_entry(rng, dvcfile=False):
    path = rng.choice([rand_word(rng, 20), rand_cmd(rng, rng.randint(10, 120)).replace("\n", " "),
                       rng.choice(RESOLVER_BAIT)])
    e = {}
    if dvcfile:
        e["md5"] = md5ish(rng)
        e["size"] = rng.randint(0, 10 ** 9)
        if rng.random() < 0.3:
            e["nfiles"] = rng.randint(1, 100)
        if rng.random() < 0.1:
            e["isexec"] = True
        e["hash"] = "md5"
        e["path"] = path
    else:
        e["path"] = path
        if rng.random() < 0.9:
            e["hash"] = "md5"
        e["md5"] = md5ish(rng)
        e["size"] = rng.randint(0, 10 ** 9)
        if rng.random() < 0.3:
            e["nfiles"] = rng.randint(1, 100)
        if rng.random() < 0.1:
            e["isexec"] = True
    return e


def rand_lock(rng):
    stages = {}
    for _ in range(rng.randint(1, 3)):
        name = rng.choice([rand_word(rng, 12), rand_word(rng, 12) + "@" + rand_word(rng, 5),
                           rng.choice(RESOLVER_BAIT)])
        st = {}
        if rng.random() < 0.8:
            st["cmd"] = rand_cmd(rng) if rng.random() < 0.85 else rand_string(rng)
        else:
            st["cmd"] = [rand_cmd(rng) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.8:
            st["deps"] = [rand_entry(rng) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.5:
            params = {"params.yaml": {rand_key(rng): rand_tree(rng, 2) for _ in range(rng.randint(1, 4))}}
            if rng.random() < 0.3:
                params[rand_word(rng) + ".yaml"] = {rand_key(rng): rand_scalar(rng)}
            st["params"] = params
        if rng.random() < 0.8:
            st["outs"] = [rand_entry(rng) for _ in range(rng.randint(1, 3))]
        stages[name] = st
    return {"schema": "2.0", "stages": stages}


def rand_dvcfile(rng):
    d = {}
    if rng.random() < 0.2:
        d["md5"] = md5ish(rng)
    if rng.random() < 0.1:
        d["frozen"] = True
    if rng.random() < 0.2:
        d["deps"] = [rand_entry(rng, True)]
    d["outs"] = [rand_entry(rng, True) for _ in range(rng.randint(1, 2))]
    return d


def rand_deep_cmd(rng):
    """A long scalar at a random nesting depth, inside maps and lists."""
    v = rand_cmd(rng) if rng.random() < 0.7 else rand_string(rng)
    if rng.random() < 0.2:
        v = [v, rand_quoted(rng)]
    # occasionally nest deeper than the line width (indentation beyond column 80)
    for _ in range(rng.randint(0, 6) if rng.random() < 0.9 else rng.randint(30, 50)):
        v = [v] if rng.random() < 0.4 else {rand_word(rng, 8): v}
    return v


QUOTE_STRESS = ["a", "bb", "ccc", "dddd", " ", " ", " ", "  ", "\n", "\n ", " \n", "'", '"', "\\", "\t",
                "\xe9", "\U0001F600", "\x85", "\u2028", "\x00", "\ufeff", "x" * 30, ":", "#", "-"]


def rand_quoted(rng):
    """Long strings that need single or double quotes, to exercise quoted-scalar folding."""
    n = rng.randint(1, 120)
    parts = [rng.choice(QUOTE_STRESS) for _ in range(n)]
    s = "".join(parts)
    r = rng.random()
    if r < 0.3:
        s = rng.choice(["'", '"', "- ", "!", "&", " ", "\n"]) + s
    elif r < 0.4:
        s = s.replace("\n", "").replace("'", "")  # single-quoted candidates
    return s


def rand_value(rng):
    r = rng.random()
    if r < 0.3:
        return "lock", rand_lock(rng)
    if r < 0.4:
        return "dvcfile", rand_dvcfile(rng)
    if r < 0.55:
        return "deep", {"stages": {"x": rand_deep_cmd(rng)}}
    if r < 0.7:
        v = rand_quoted(rng)
        for _ in range(rng.randint(0, 5)):
            v = [v] if rng.random() < 0.4 else {rand_word(rng, 8): v}
        return "quoted", v
    if r < 0.95:
        return "tree", rand_tree(rng, 5)
    return "root", rand_scalar(rng) if rng.random() < 0.5 else [rand_scalar(rng)]


# ---------------------------------------------------------------------------------------------------
# Fixed cases
# ---------------------------------------------------------------------------------------------------


def fixed_cases():
    cases = []
    # every bait string as a mapping value, a list item, a key and a root scalar
    for s in RESOLVER_BAIT:
        cases.append(("bait", {"v": s, "l": [s], s: 1}))
    for s in RESOLVER_BAIT[:40]:
        cases.append(("root", s))
    # cmd strings of every length from 60 to 250 at the depth of dvc.lock, and inside a list
    rng = random.Random(12345)
    for n in range(60, 251):
        words = []
        while len(" ".join(words)) < n:
            words.append(rng.choice(["python", "train.py", "--epochs", "10", "-o", "data/out",
                                     "some/long/path/to/a/file.csv", "&&", "echo", "done", "x" * 9]))
        cmd = " ".join(words)[:n].rstrip()
        cases.append(("cmd%d" % n, {"stages": {"train": {"cmd": cmd, "outs": [{"path": cmd}]}}}))
        if n % 3 == 0:
            cases.append(("cmdlist%d" % n, {"stages": {"train": {"cmd": [cmd, "echo 'it''s' " + cmd]}}}))
    for n in range(70, 200, 7):
        text = " ".join("w%02d" % i for i in range(n // 4))
        cases.append(("quoted%d" % n, {"a": {"b": {"single": "'" + text, "double": text + "\n",
                                                      "tab": "\t" + text, "bait": "- " + text}}}))
    cases += [
        ("floats", {"f": [1e-05, 0.001, 1e16, 100.0, float("nan"), float("inf"), -float("inf"), -0.0,
                          1e22, 12345678901234567890.0, 5e-324, 0.30000000000000004]}),
        ("null", {"a": None, "b": [None, 1, None], "c": {"d": None}}),
        ("empties", {"a": {}, "b": [], "c": [[], {}, [[]], [{}]], "d": ""}),
        ("nested", [[1, 2], [3, [4, [5, []]]], {"a": [{"b": [1, {"c": 2}]}]}]),
        ("rootnull", None),
        ("rootempty", {}),
        ("rootemptylist", []),
        ("longkeys", {"k" * 122: 1, "k" * 123: 2, "k" * 124: [1], "k" * 200: {"a": 1}, "a\nb": 3,
                      "q" * 60 + " " + "q" * 60: "v"}),
        ("multiline", {"stages": {"x": {"cmd": "echo one\necho two\n  indented\n\nlast line"}}}),
    ]
    return cases


def line(name, value):
    return json.dumps({"name": name, "input": value, "expected": dumps_yaml(value)},
                      ensure_ascii=True, allow_nan=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=200, help="number of random cases")
    ap.add_argument("--seed", type=int, default=20251201)
    ap.add_argument("--no-fixed", action="store_true")
    args = ap.parse_args()
    if not args.no_fixed:
        for name, value in fixed_cases():
            print(line(name, value))
    rng = random.Random(args.seed)
    for i in range(args.count):
        name, value = rand_value(rng)
        print(line("%s-%d" % (name, i), value))


if __name__ == "__main__":
    main()
