#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run one QEMU system test under several kernel options and compare a line.

The same test program must behave identically whatever a kernel option
changes that is meant to be invisible (e.g. tessera.fastpath=off): each run
goes through qemu_tap.py (all its checks apply, the guest's TAP included),
its console is captured, and the line matching --line (one capture group,
e.g. a digest the program folds over every value it received) must be
present and the same in every run. Output is TAP: each run passes or
fails as a whole, then one result compares the lines.

    compare_runs.py --line 'ipc digest: (0x[0-9a-f]+)' \\
        --run 'tessera.fatal=exit' --run 'tessera.fatal=exit tessera.fastpath=off' \\
        -- QEMU_TAP_ARGS...

The runs go in parallel (each QEMU is one host thread with -smp 1).

--self-test checks the comparison itself on made-up output: equal lines
pass, different or missing ones fail, so a test that could never fail is
caught.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True
QEMU_TAP = Path(__file__).resolve().parent / "qemu_tap.py"
TAP_RESULT = re.compile(r"^(not )?ok\b", re.MULTILINE)


def tap_failures(tap_text):
    """The `not ok` lines of one qemu_tap.py run, or a note if it had no results."""
    results = TAP_RESULT.findall(tap_text)
    if not results:
        return ["no TAP results"]
    return [line for line in tap_text.splitlines() if line.startswith("not ok")]


def extract(regex, console):
    """The one value the pattern's group captures in the console, or None."""
    found = regex.findall(console)
    if len(found) != 1:
        return None
    return found[0]


def compare(values):
    """(ok, detail) for the captured values of every run."""
    if any(v is None for v in values):
        return False, "a run printed no such line (or more than one)"
    if len(set(values)) != 1:
        return False, "they differ: " + ", ".join(values)
    return True, values[0]


def run_all(runs, tap_args, workdir):
    """Start every run at once; return [(tap text, console text)] in order."""
    procs = []
    for i, append in enumerate(runs):
        capture = Path(workdir) / f"run{i}.out"
        cmd = [sys.executable, str(QEMU_TAP), *tap_args, "--append", append, "--capture", str(capture)]
        procs.append((subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT), capture))
    outputs = []
    for proc, capture in procs:
        tap_text = proc.communicate()[0].decode("utf-8", "replace")
        console = capture.read_bytes().decode("utf-8", "replace").replace("\r", "") if capture.exists() else ""
        outputs.append((tap_text, console))
    return outputs


def report(runs, outputs, regex):
    """TAP: each run as one result (its failures as comments), then the comparison."""
    print("TAP version 13")
    values = []
    for i, (append, (tap_text, console)) in enumerate(zip(runs, outputs), 1):
        failures = tap_failures(tap_text)
        for line in failures:
            print(f"# run {i}: {line}")
        print(f"{'not ' if failures else ''}ok {i} - run with --append '{append}' passes")
        values.append(extract(regex, console))
    ok, detail = compare(values)
    print(f"{'' if ok else 'not '}ok {len(runs) + 1} - every run printed the same /{regex.pattern}/: {detail}")
    print(f"1..{len(runs) + 1}")


def self_test():
    """The comparison must fail when it should."""
    regex = re.compile(r"^ipc digest: (0x[0-9a-f]+)$", re.MULTILINE)
    same = [extract(regex, "a\nipc digest: 0x12\n"), extract(regex, "ipc digest: 0x12\nb\n")]
    differ = [extract(regex, "ipc digest: 0x12\n"), extract(regex, "ipc digest: 0x13\n")]
    missing = [extract(regex, "ipc digest: 0x12\n"), extract(regex, "nothing\n")]
    twice = [extract(regex, "ipc digest: 0x12\nipc digest: 0x12\n"), "0x12"]
    checks = [
        (compare(same)[0], "equal digests compare equal"),
        (not compare(differ)[0], "different digests fail"),
        (not compare(missing)[0], "a missing digest fails"),
        (not compare(twice)[0], "a digest printed twice fails"),
        (tap_failures("ok 1 - a\nnot ok 2 - b\n") == ["not ok 2 - b"], "a failed run is seen"),
        (tap_failures("") == ["no TAP results"], "a run without results fails"),
    ]
    print("TAP version 13")
    for n, (ok, what) in enumerate(checks, 1):
        print(f"{'' if ok else 'not '}ok {n} - {what}")
    print(f"1..{len(checks)}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--line", help="regex with one group: the value to compare")
    parser.add_argument("--run", action="append", default=[], metavar="APPEND",
                        help="the kernel options (--append) of one run; give two or more")
    parser.add_argument("--self-test", action="store_true", help="check the comparison itself")
    parser.add_argument("tap_args", nargs="*", help="qemu_tap.py's arguments, after --")
    args = parser.parse_args(argv)
    if args.self_test:
        return self_test()
    if not args.line or len(args.run) < 2:
        parser.error("--line and at least two --run are needed")
    regex = re.compile(args.line, re.MULTILINE)
    with tempfile.TemporaryDirectory(prefix="tessera-compare-") as workdir:
        report(args.run, run_all(args.run, args.tap_args, workdir), regex)
    return 0


if __name__ == "__main__":
    sys.exit(main())
