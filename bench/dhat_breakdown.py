#!/usr/bin/env python3
"""Summarises a valgrind DHAT profile of a tagwarden run (bench/profile.sh --dhat) by stage.

usage: dhat_breakdown.py DHAT_JSON

Each allocation site is given to a stage with the rules of perf_breakdown.py (the first rule
whose pattern appears in its call stack). Prints, per stage: blocks and bytes allocated over the
run, and bytes still live at the moment of peak heap use (t-gmax), largest first.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perf_breakdown import STAGES  # noqa: E402


def function_name(frame):
    """'0x4A2F1: ns::f(int) (file.cpp:12)' -> 'ns::f'."""
    f = re.sub(r"^0x[0-9A-Fa-f]+: ", "", frame).replace("(anonymous namespace)", "\x00")
    f = f.split(" (in ", 1)[0]
    f = f.split("(", 1)[0] if "(" in f else f
    return f.replace("\x00", "(anonymous namespace)").strip()


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as fh:
        data = json.load(fh)
    names = [function_name(f) for f in data["ftbl"]]
    compiled = [(n, re.compile(p)) for n, p in STAGES]
    rows = {}
    for pp in data["pps"]:
        frames = [names[i] for i in pp["fs"]]
        stage = next((n for n, rx in compiled if any(rx.search(s) for s in frames)), "other")
        r = rows.setdefault(stage, [0, 0, 0])
        r[0] += pp["tbk"]
        r[1] += pp["tb"]
        r[2] += pp.get("gb", 0)
    tbk = sum(r[0] for r in rows.values())
    tb = sum(r[1] for r in rows.values())
    gb = sum(r[2] for r in rows.values())
    print(f"{'stage':<58} {'blocks':>12} {'bytes':>10} {'live at peak':>13}")
    for stage, (k, b, g) in sorted(rows.items(), key=lambda kv: -kv[1][1]):
        print(f"{stage:<58} {k:>12,} {b / 2**20:8.0f} MB {g / 2**20:10.1f} MB")
    print(f"{'total':<58} {tbk:>12,} {tb / 2**20:8.0f} MB {gb / 2**20:10.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
