#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Count the test cases in a kunit.py --json report.

Prints "passed failed skipped" for the leaves of the test tree (each
parameterised case counts once per parameter) and, with --list, one line
per failed case.
"""

import json
import sys


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
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    failed = []
    # A group without cases (a crashed suite) has no status: a failure.
    for name, status in leaves(report, []):
        status = status or "NO RESULTS"
        counts[status if status in counts else "FAIL"] += 1
        if status not in ("PASS", "SKIP"):
            failed.append(f"{name}: {status}")
    if "--list" in sys.argv:
        print("\n".join(failed))
    else:
        print(counts["PASS"], counts["FAIL"], counts["SKIP"])


if __name__ == "__main__":
    main()
