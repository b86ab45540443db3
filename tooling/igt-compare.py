#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Compare upstream IGT's results on a stock kernel and on the series.

usage: igt-compare.py [--ours REGEX]... [--testlist FILE] STOCK.JSON SERIES.JSON

Both files are igt_runner's results.json. Tests whose name (without the
"igt@" prefix) matches an --ours regex are ours and left out; of the
others, prints how many had each result on each kernel and every test
whose result differs. A regression is a test that passed on the stock
kernel and did not pass with the series (or has no result there).

With --testlist, every upstream test of the list must have a result on
the stock kernel other than notrun, incomplete or abort: a stock run that
did not run them all compares nothing.

Exit status: 0 without regressions, 1 with, 2 on bad input or an
incomplete stock run.
"""

import argparse
import collections
import importlib.util
import json
import os
import re
import sys

# igt-results.py's reading of a testlist, shared.
_SPEC = importlib.util.spec_from_file_location(
    "igt_results", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "igt-results.py"))
igt_results = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(igt_results)

UNRUN = ("notrun", "incomplete", "abort")


def short(name):
    return name[4:] if name.startswith("igt@") else name


def load(path, ours):
    """{name: result} of the tests that are not ours."""
    with open(path, encoding="utf-8", errors="replace") as f:
        tests = json.load(f)["tests"]
    out = {}
    for name, test in tests.items():
        if not any(r.fullmatch(short(name)) for r in ours):
            out[short(name)] = test["result"]
    return out


def listed(path, ours):
    """The upstream tests of an igt_runner test list."""
    return [n for n in igt_results.requested(path)
            if not any(r.fullmatch(n) for r in ours)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", action="append", default=[])
    ap.add_argument("--testlist")
    ap.add_argument("stock")
    ap.add_argument("series")
    args = ap.parse_args()
    try:
        ours = [re.compile(r) for r in args.ours]
        stock = load(args.stock, ours)
        series = load(args.series, ours)
        wanted = listed(args.testlist, ours) if args.testlist else []
    except (OSError, ValueError, KeyError, TypeError, AttributeError,
            re.error) as e:
        print(f"igt-compare: {e}", file=sys.stderr)
        return 2

    results = sorted(set(stock.values()) | set(series.values()))
    print(f"{'upstream IGT':<16}" + "".join(f"{r:>10}" for r in results) +
          f"{'total':>10}")
    for label, res in (("stock", stock), ("series", series)):
        n = collections.Counter(res.values())
        print(f"{label:<16}" + "".join(f"{n[r]:>10}" for r in results) +
              f"{len(res):>10}")

    regressions = 0
    for name in sorted(set(stock) | set(series)):
        a, b = stock.get(name, "none"), series.get(name, "none")
        if a == b:
            continue
        worse = a == "pass" and b != "pass"
        regressions += worse
        print(f"{'REGRESSION' if worse else 'differs':<11} {name}: "
              f"stock {a}, series {b}")

    # A listed test counts through its dynamic subtests, if it has any.
    unrun = [n for n in wanted
             if not any((k == n or k.startswith(n + "@")) and r not in UNRUN
                        for k, r in stock.items())]
    for n in unrun:
        print(f"NOT RUN     {n}: no result on the stock kernel")
    print(f"{regressions} regressions in {len(stock)} upstream tests"
          + (f"; {len(unrun)} listed tests not run on the stock kernel"
             if unrun else ""))
    if unrun:
        return 2
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
