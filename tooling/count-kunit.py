#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Count the test cases in a kunit.py --json report.

usage: count-kunit.py JSON [--known FILE] [--kinds GLOB] [--skipped FILE]
                           [--list]

Prints "passed failed skipped" for the leaves of the test tree (each
parameterised case counts once per parameter) and, with --list, one line
per failed case.  With --known FILE, failed cases that FILE lists (upstream
cases known to fail on the base, each with a reason) count as skipped, and
--list names them apart with their reason; the drm_gem_forward suites can
never be known failures.  With --kinds GLOB, prints count lines for
build/results/*.count instead (see tooling/lib.sh): "ours P F S" for the
suites matching GLOB, "upstream P F S" for the others; --skipped FILE then
appends "upstream<TAB>known failure: NAME (REASON)" for each known failure.
"""

import fnmatch
import json
import sys


def known_failures(path):
    known = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            glob, _, reason = line.partition("\t")
            if "drm_gem_forward" in glob:
                sys.exit(f"{path}: drm_gem_forward cases cannot be known failures")
            if not reason:
                sys.exit(f"{path}: {glob}: no reason given")
            known.append((glob, reason))
    return known


def leaves(node, path):
    subs = node.get("sub_groups") or []
    cases = node.get("test_cases") or []
    name = path + [node.get("name", "")]
    if not subs and not cases:
        yield "/".join(n for n in name if n), node.get("status")
        return
    for sub in subs:
        yield from leaves(sub, name)
    for case in cases:
        yield from leaves(case, name)


def kind(name, ours):
    """ours or upstream: the suite is the name's second part (the first
    is the root group); a run without suites is ours to fix."""
    parts = name.split("/")
    if len(parts) < 2 or fnmatch.fnmatchcase(parts[1], ours):
        return "ours"
    return "upstream"


def option(name):
    if name in sys.argv:
        return sys.argv[sys.argv.index(name) + 1]
    return None


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        report = json.load(f)
    known = []
    if option("--known"):
        known = known_failures(option("--known"))
    ours = option("--kinds")
    counts = {}
    failed = []
    skipped = []
    # A group without cases (a crashed suite) has no status: a failure.
    for name, status in leaves(report, []):
        status = status or "NO RESULTS"
        k = kind(name, ours) if ours else "all"
        c = counts.setdefault(k, {"PASS": 0, "FAIL": 0, "SKIP": 0})
        if status not in ("PASS", "SKIP"):
            reason = next((r for g, r in known if fnmatch.fnmatchcase(name, g)),
                          None)
            if reason:
                c["SKIP"] += 1
                failed.append(f"known upstream failure: {name}: {status} ({reason})")
                skipped.append(f"{k}\tknown failure: {name} ({reason})")
                continue
            failed.append(f"{name}: {status}")
        c[status if status in c else "FAIL"] += 1
    if "--list" in sys.argv:
        print("\n".join(failed))
    elif ours:
        for k, c in sorted(counts.items()):
            print(k, c["PASS"], c["FAIL"], c["SKIP"])
        if option("--skipped") and skipped:
            with open(option("--skipped"), "a", encoding="utf-8") as f:
                f.write("".join(s + "\n" for s in skipped))
    else:
        c = counts.get("all", {"PASS": 0, "FAIL": 0, "SKIP": 0})
        print(c["PASS"], c["FAIL"], c["SKIP"])


if __name__ == "__main__":
    main()
