#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check that IGT's result generator gives each subtest its own stderr.

igt_runner records a test binary's logs as packets in a "comms" file, and
igt_results (the same code igt_runner runs at the end) cuts them into one
"out" and one "err" per subtest.  IGT 2.2's comms_finish_subtest() cuts
"err" at the stdout offset: a subtest after one that printed more on
stdout than on stderr got bytes from past its stderr, or from past the end
of the buffer.  That is how vm-igt's vgem_basic@dmabuf-export came out
"warn" with garbage in its stderr, one run in three.
tests/igt/patches/0004 fixes it.

This writes such a results directory by hand, packet by packet, in the
format of IGT's lib/runnercomms.h (each packet behind the "1TGI" canary),
runs IGT_RESULTS on it and compares every subtest's out and err with what
the packets say.  Exit status 0 if all match, 1 if not.

usage: tooling/igt-resultgen-check.py IGT_RESULTS
"""

import json
import os
import struct
import subprocess
import sys
import tempfile

CANARY = ord('I') << 24 | ord('G') << 16 | ord('T') << 8 | ord('1')
LOG, EXEC, EXIT, SUBTEST_START, SUBTEST_RESULT = 1, 2, 3, 4, 5
STDOUT, STDERR = 1, 2
BINARY = 'resultgen_check'


def cstr(text):
    return text.encode() + b'\0'


def packet(ptype, data):
    """One packet: canary, then struct runnerpacket and its data."""
    return struct.pack('<I', CANARY) + \
        struct.pack('<IIii', 16 + len(data), ptype, 1, 1) + data


def log(stream, text):
    return packet(LOG, struct.pack('<B', stream) + cstr(text))


# The subtests: what each prints on stdout and on stderr.  The first prints
# more on stdout than on stderr, as vgem_basic's subtests do.
SUBTESTS = [
    ('first', ['Opened device: /dev/dri/card0\n',
               'a second stdout line, to make stdout the longer one\n'],
     ['first: on stderr\n']),
    ('second', ['Opened device: /dev/dri/card1\n'], []),
    ('third', [], ['third: on stderr\n']),
]


def comms():
    data = packet(EXEC, cstr(BINARY + ' --run-subtest ' +
                             ','.join(s[0] for s in SUBTESTS)))
    for name, out, err in SUBTESTS:
        data += packet(SUBTEST_START, cstr(name))
        for line in out:
            data += log(STDOUT, line)
        for line in err:
            data += log(STDERR, line)
        data += packet(SUBTEST_RESULT, cstr(name) + cstr('SUCCESS') +
                       cstr('0.001') + cstr(''))
    return data + packet(EXIT, struct.pack('<i', 0) + cstr('0.010'))


def expected(name, lines):
    return ''.join([f'Starting subtest: {name}\n'] + lines +
                   [f'Subtest {name}: SUCCESS (0.001s)\n'])


def write(path, data):
    with open(path, 'wb' if isinstance(data, bytes) else 'w') as f:
        f.write(data)


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        write(os.path.join(tmp, 'metadata.txt'),
              'name : resultgen-check\nmultiple_mode : 1\n'
              'dmesg_warn_level : 4\nprune_mode : 0\n'
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
    for name, out, err in SUBTESTS:
        test = tests.get(f'igt@{BINARY}@{name}', {})
        for field, lines in (('out', out), ('err', err)):
            got, want = test.get(field), expected(name, lines)
            if got == want:
                print(f'ok: {name}: {field} is its own')
            else:
                failed += 1
                print(f'not ok: {name}: {field} is {got!r}, want {want!r}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
