#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check that IGT's result generator gives each subtest its own logs.

igt_runner records a test binary's logs as packets in a "comms" file, and
igt_results (the same code igt_runner runs at the end) cuts them into one
"out" and one "err" per subtest and dynamic subtest.  IGT 2.2 cuts them
wrongly in two places, fixed by tests/igt/patches/0004 and 0005:

 - comms_finish_subtest() cuts "err" at the subtest's stdout offset: when
   the binary has logged more on stdout than on stderr so far, err reads
   past the end of the buffer (heap bytes; how vm-igt's
   vgem_basic@dmabuf-export came out "warn"), when less, it starts inside
   earlier subtests' stderr;
 - a subtest's first dynamic subtest starts at a stale offset, getting the
   logs of earlier subtests.

This writes a results directory by hand, packet by packet, in the format
of IGT's lib/runnercomms.h (each packet behind the "1TGI" canary, native
byte order), with subtests that make each of these cases, runs
IGT_RESULTS on it and compares every subtest's and dynamic subtest's out,
err and result with IGT's attribution of the packets (see expected()).  Exit status 0 if all match, 1 if not
(or if IGT_RESULTS failed), 2 on usage errors.

usage: tooling/igt-resultgen-check.py IGT_RESULTS
"""

import json
import os
import struct
import subprocess
import sys
import tempfile

CANARY = ord('I') << 24 | ord('G') << 16 | ord('T') << 8 | ord('1')
(LOG, EXEC, EXIT, SUBTEST_START, SUBTEST_RESULT, DYNAMIC_SUBTEST_START,
 DYNAMIC_SUBTEST_RESULT) = range(1, 8)
STDOUT, STDERR = 1, 2
BINARY = 'resultgen_check'


def cstr(text):
    return text.encode() + b'\0'


def packet(ptype, data):
    """One packet: canary, then struct runnerpacket and its data."""
    return struct.pack('=I', CANARY) + \
        struct.pack('=IIii', 16 + len(data), ptype, 1, 1) + data


def log(stream, text):
    return packet(LOG, struct.pack('=B', stream) + cstr(text))


# The subtests: (name, stdout lines, stderr lines, dynamic subtests as
# (name, stdout lines, stderr lines)).  "first" and "second" log more on
# stdout than on stderr, as vgem_basic's subtests do; "noisy" then logs
# enough on stderr for stderr to be the longer stream at "third";
# "parent" has dynamic subtests after all of them, and "parent2" logs
# before its first dynamic subtest, after "parent"'s last one.
SUBTESTS = [
    ('first', ['Opened device: /dev/dri/card0\n',
               'a second stdout line, to make stdout the longer one\n'],
     ['first: on stderr\n'], []),
    ('second', ['Opened device: /dev/dri/card1\n'], [], []),
    ('noisy', [], ['noisy: a long line on stderr, the first of three\n',
                   'noisy: a long line on stderr, the second of three\n',
                   'noisy: a long line on stderr, the third of three\n'], []),
    ('third', [], ['third: on stderr\n'], []),
    ('parent', [], [], [('d1', ['d1: on stdout\n'], ['d1: on stderr\n']),
                        ('d2', [], [])]),
    ('parent2', ['parent2: set up\n'], [],
     [('d3', ['d3: on stdout\n'], []), ('d4', [], [])]),
]


def result(ptype, name):
    return packet(ptype, cstr(name) + cstr('SUCCESS') + cstr('0.001') +
                  cstr(''))


def comms():
    data = packet(EXEC, cstr(BINARY + ' --run-subtest ' +
                             ','.join(s[0] for s in SUBTESTS)))
    for name, out, err, dynamics in SUBTESTS:
        data += packet(SUBTEST_START, cstr(name))
        data += b''.join(log(STDOUT, line) for line in out)
        data += b''.join(log(STDERR, line) for line in err)
        for dname, dout, derr in dynamics:
            data += packet(DYNAMIC_SUBTEST_START, cstr(dname))
            data += b''.join(log(STDOUT, line) for line in dout)
            data += b''.join(log(STDERR, line) for line in derr)
            data += result(DYNAMIC_SUBTEST_RESULT, dname)
        data += result(SUBTEST_RESULT, name)
    return data + packet(EXIT, struct.pack('=i', 0) + cstr('0.010'))


def dynamic_block(name, lines):
    return ''.join([f'Starting dynamic subtest: {name}\n'] + lines +
                   [f'Dynamic subtest {name}: SUCCESS (0.001s)\n'])


def expected():
    """{results.json name: (out, err, result)}, as IGT with 0004 and 0005
    attributes the logs:
    a subtest's or dynamic subtest's logs begin right after the previous
    result line (or its parent's start line), so what a subtest logs
    before its first dynamic subtest is that dynamic subtest's too, and the
    last dynamic subtest's run to the end of its parent's, result line
    included (the text-mode parser does the same).  The result is "warn"
    if stderr holds a line of the test's own, else "pass"."""
    want = {}
    for name, out, err, dynamics in SUBTESTS:
        texts = []
        for lines, field in ((out, 1), (err, 2)):
            inner = ''.join(dynamic_block(d[0], d[field]) for d in dynamics)
            if dynamics:
                # Logs before the first dynamic subtest are in its block.
                inner = ''.join(lines) + inner
                lines = []
            texts.append(''.join([f'Starting subtest: {name}\n'] + lines) +
                         inner + f'Subtest {name}: SUCCESS (0.001s)\n')
        own_err = err + [line for d in dynamics for line in d[2]]
        want[f'igt@{BINARY}@{name}'] = (*texts,
                                         'warn' if own_err else 'pass')
        for i, (dname, dout, derr) in enumerate(dynamics):
            head = ''.join(out) if i == 0 else ''
            herr = ''.join(err) if i == 0 else ''
            tail = f'Subtest {name}: SUCCESS (0.001s)\n' \
                if i == len(dynamics) - 1 else ''
            want[f'igt@{BINARY}@{name}@{dname}'] = (
                head + dynamic_block(dname, dout) + tail,
                herr + dynamic_block(dname, derr) + tail,
                'warn' if derr or herr else 'pass')
    return want


def write(path, data):
    with open(path, 'wb' if isinstance(data, bytes) else 'w') as f:
        f.write(data)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    if not os.access(sys.argv[1], os.X_OK):
        print(f'not ok: no {sys.argv[1]}: build it with make igt')
        return 1
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        write(os.path.join(tmp, 'metadata.txt'),
              'name : resultgen-check\nmultiple_mode : 1\n'
              'dmesg_warn_level : 4\nprune_mode : 2\n'
              f'test_root : {tmp}\nresults_path : {tmp}\n')
        write(os.path.join(tmp, 'joblist.txt'), BINARY + ' ' +
              ','.join(s[0] for s in SUBTESTS) + '\n')
        write(os.path.join(tmp, 'uname.txt'), 'Linux\n')
        job = os.path.join(tmp, '0')
        os.mkdir(job)
        write(os.path.join(job, 'comms'), comms())
        for name in ('out.txt', 'err.txt', 'dmesg.txt', 'journal.txt'):
            write(os.path.join(job, name), '')
        run = subprocess.run([sys.argv[1], tmp], capture_output=True,
                             text=True, check=False)
        path = os.path.join(tmp, 'results.json')
        if run.returncode or not os.path.exists(path):
            print(f'not ok: {sys.argv[1]} exited {run.returncode}:'
                  f' {run.stdout}{run.stderr}')
            return 1
        with open(path, 'rb') as f:
            tests = json.loads(f.read().decode('utf-8', 'replace'))['tests']
    for name, (out, err, res) in expected().items():
        test = tests.get(name, {})
        for field, want in (('out', out), ('err', err), ('result', res)):
            got = test.get(field)
            if got == want:
                print(f'ok: {name}: {field} is right')
            else:
                failed += 1
                print(f'not ok: {name}: {field} is {got!r}, want {want!r}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
