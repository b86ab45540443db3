#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Judge igt_runner's results.json against tests/igt/expectations.

usage: igt-results.py --expect FILE --testlist FILE [--ours REGEX]...
                      [--counts FILE] [--skipped FILE] RESULTS.JSON

Every result that is not a pass must be listed in the expectations, in
drm-ci's xfails format ("NAME,RESULT", NAME a regular expression matched
against the whole test name without the "igt@" prefix, e.g.
kms_writeback@writeback-fb-id or prime_mmap_forward@read-only@.*), under
a comment line that gives the reason; an expectation that no result
matches with its RESULT is stale and fails too, as does a test of the
testlist that has no result, and fewer passes than "# min-passed: N".

Results are counted on the leaves: a subtest with dynamic subtests counts
through them, and by itself only if it did not pass or skip while none of
them failed (a parent's "warn" is counted: with IGT's result generator
fixed, tests/igt/patches/0004 and 0005, it is a real one).
--counts appends "KIND PASSED FAILED SKIPPED" lines (tooling/lib.sh) for
the kinds ours (names matching an --ours regex) and upstream; --skipped
appends "KIND<TAB>NAME: REASON" for each skip.

Exit status: 0 if everything is as expected, 1 if not, 2 if the
expectations file is malformed.
"""

import argparse
import json
import re
import sys

# results.json's results, by drm-ci's names.
RESULTS = {
    "pass": "Pass",
    "fail": "Fail",
    "skip": "Skip",
    "warn": "Warn",
    "dmesg-warn": "DmesgWarn",
    "dmesg-fail": "DmesgFail",
    "crash": "Crash",
    "timeout": "Timeout",
    "abort": "Abort",
    "incomplete": "Incomplete",
    "notrun": "NotRun",
}


def parse_expectations(path):
    """[(regex, name, result, reason)], min_passed; raises ValueError."""
    entries = []
    min_passed = 0
    reason = None
    after_entry = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                reason = None
                continue
            m = re.match(r"#\s*min-passed:\s*(\d+)\s*$", line)
            if m:
                min_passed = int(m.group(1))
                continue
            if line.startswith("#"):
                # A comment after entries starts the next reason.
                text = line.lstrip("#").strip()
                if reason is None or after_entry:
                    reason = text
                else:
                    reason += " " + text
                after_entry = False
                continue
            after_entry = True
            name, sep, result = line.rpartition(",")
            if not sep or result not in RESULTS.values() or result == "Pass":
                raise ValueError(f"{path}:{n}: want NAME,RESULT with RESULT one of "
                                 f"{', '.join(v for v in RESULTS.values() if v != 'Pass')}: {line}")
            if not reason:
                raise ValueError(f"{path}:{n}: {line}: no comment line with the reason above it")
            try:
                regex = re.compile(name)
            except re.error as e:
                raise ValueError(f"{path}:{n}: bad regular expression {name}: {e}") from e
            entries.append((regex, name, result, reason))
    return entries, min_passed


def requested(path):
    """The igt@... names of the testlist, without the prefix."""
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line.startswith("igt@"):
                names.append(line[len("igt@"):])
    return names


def leaves(tests):
    """{name: result} of the results to count (see the module doc)."""
    out = {}
    for key, value in tests.items():
        name = key[len("igt@"):] if key.startswith("igt@") else key
        result = RESULTS.get(value.get("result"), value.get("result"))
        children = [k for k in tests if k.startswith(key + "@")]
        if children:
            child_bad = any(tests[k].get("result") not in ("pass", "skip")
                            for k in children)
            # A passing or skipped parent, or one with a bad child (which
            # is counted), is counted through its children.
            if result in ("Pass", "Skip") or child_bad:
                continue
        out[name] = result
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--expect", required=True)
    ap.add_argument("--testlist", required=True)
    ap.add_argument("--ours", action="append", default=[])
    ap.add_argument("--counts")
    ap.add_argument("--skipped")
    ap.add_argument("results")
    args = ap.parse_args()

    try:
        expectations, min_passed = parse_expectations(args.expect)
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2

    with open(args.results, encoding="utf-8", errors="replace") as f:
        tests = json.load(f).get("tests", {})
    results = leaves(tests)
    ours = [re.compile(r) for r in args.ours]

    def kind(name):
        return "ours" if any(r.fullmatch(name) for r in ours) else "upstream"

    counts = {"ours": [0, 0, 0], "upstream": [0, 0, 0]}
    skipped = []
    bad = []
    used = set()
    for name in sorted(results):
        result = results[name]
        k = kind(name)
        if result == "Pass":
            counts[k][0] += 1
            print(f"ok {name}")
            continue
        match = next((e for e in expectations
                      if e[2] == result and e[0].fullmatch(name)), None)
        if match is None:
            counts[k][1] += 1
            bad.append(f"{name}: {result}, not in the expectations")
            print(f"not ok {name} # {result}, unexpected")
            continue
        used.add(match[1] + "," + match[2])
        if result == "Skip":
            counts[k][2] += 1
            skipped.append(f"{k}\t{name}: {match[3]}")
            print(f"ok {name} # SKIP {match[3]}")
        else:
            # An expected failure counts as skipped: known, not a pass.
            counts[k][2] += 1
            skipped.append(f"{k}\t{name}: expected {result}: {match[3]}")
            print(f"ok {name} # expected {result}: {match[3]}")

    for regex, name, result, _ in expectations:
        if name + "," + result not in used:
            bad.append(f"expectation {name},{result} matched no result: stale")
            counts[kind(name)][1] += 1
    for name in requested(args.testlist):
        if not any(r == name or r.startswith(name + "@") for r in results):
            bad.append(f"{name}: in the testlist, no result")
            counts[kind(name)][1] += 1
    passed = counts["ours"][0] + counts["upstream"][0]
    if passed < min_passed:
        bad.append(f"{passed} passed, fewer than min-passed {min_passed}")
        counts["upstream"][1] += 1

    for k, (p, f, s) in counts.items():
        print(f"# {k}: pass:{p} fail:{f} skip:{s}")
    for line in bad:
        print(f"not ok: {line}")
    if args.counts:
        with open(args.counts, "a", encoding="utf-8") as f:
            for k, (p, fl, s) in counts.items():
                if p or fl or s:
                    f.write(f"{k} {p} {fl} {s}\n")
    if args.skipped:
        with open(args.skipped, "a", encoding="utf-8") as f:
            for line in skipped:
                f.write(line + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
