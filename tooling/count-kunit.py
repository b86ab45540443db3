#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Count the test cases in a kunit.py --json report.

Prints "passed failed skipped" for the leaves of the test tree (each
parameterised case counts once per parameter) and, with --list, one line
per failed case.  With --known FILE, failed cases that FILE lists (upstream
cases known to fail on the base, each with a reason) count as skipped, and
--list names them apart with their reason; the drm_gem_forward suites can
never be known failures.
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


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        report = json.load(f)
    known = []
    if "--known" in sys.argv:
        known = known_failures(sys.argv[sys.argv.index("--known") + 1])
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    failed = []
    # A group without cases (a crashed suite) has no status: a failure.
    for name, status in leaves(report, []):
        status = status or "NO RESULTS"
        if status not in ("PASS", "SKIP"):
            reason = next((r for g, r in known if fnmatch.fnmatchcase(name, g)),
                          None)
            if reason:
                counts["SKIP"] += 1
                failed.append(f"known upstream failure: {name}: {status} ({reason})")
                continue
            failed.append(f"{name}: {status}")
        counts[status if status in counts else "FAIL"] += 1
    if "--list" in sys.argv:
        print("\n".join(failed))
    else:
        print(counts["PASS"], counts["FAIL"], counts["SKIP"])


if __name__ == "__main__":
    main()
