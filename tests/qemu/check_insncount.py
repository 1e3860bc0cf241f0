#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check the insncount QEMU plugin's counts against windows of known length.

Boots the system (the "markers" program, tests/user/markers.c, on every
core) with tools/insncount's plugin loaded, then compares the plugin's
report with the expectations the guest prints, one per window:

    markers: expect window K el0=N el1=0 (name, round R)    (or el1>0)

On every vCPU the guest ran on, each window's EL0 count must equal N
exactly, windows must come in order with none missing or extra, and the
plugin must report no marker errors. A window with a system call must
have EL1 instructions. A pure EL0 window must have none, except that an
interrupt (the kernel's 100 Hz tick, an IPI) may be taken inside it: QEMU
takes interrupts between blocks, so the EL0 count stays exact, but the
handler's EL1 instructions count. Such a window passes with a note, and
each pure window must then be free of EL1 instructions in at least one of
its rounds on every vCPU (a tick lands in a short window rarely; in the
same window of every round, practically never). Output is TAP. --skew N adds N to the
first expected count, so a run must fail (the should_fail test);
--self-test checks the judging on made-up reports, no QEMU needed.

The QEMU command comes from tools/tessera_qemu.py, as for qemu_tap.py.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import tessera_qemu  # noqa: E402  (found through the path set just above)

EXPECT_LINE = re.compile(r"^markers: expect window (\d+) el0=(\d+) el1(=0|>0) \((.*)\)\s*$",
                         re.MULTILINE)
WINDOW_LINE = re.compile(r"^window vcpu=(\d+) index=(\d+) el0=(\d+) el1=(\d+)$")
ROUND_SUFFIX = re.compile(r", round \d+.*$")
TOTAL_LINE = re.compile(r"^total vcpu=(\d+) el0=(\d+) el1=(\d+) windows=(\d+) errors=(\d+)$")


class Tap:
    """TAP results, numbered in order; the plan goes last."""

    def __init__(self):
        self.count = 0
        self.failed = 0
        print("TAP version 13")

    def check(self, ok, what):
        self.count += 1
        self.failed += not ok
        print(f"{'ok' if ok else 'not ok'} {self.count} - {what}", flush=True)

    @staticmethod
    def comment(text):
        for line in text.splitlines():
            print(f"# {line}".rstrip())

    def plan(self):
        print(f"1..{self.count}", flush=True)


# --- Parsing ------------------------------------------------------------------

def parse_expectations(console, skew=0):
    """[(el0, el1_some, name)] by window index, from the guest's console."""
    found = {}
    for m in EXPECT_LINE.finditer(console):
        found[int(m.group(1))] = (int(m.group(2)), m.group(3) == ">0", m.group(4))
    expected = [found[k] for k in sorted(found)]
    if sorted(found) != list(range(len(found))):
        raise ValueError(f"expectation indices are not 0..N-1: {sorted(found)}")
    if skew and expected:
        el0, el1_some, name = expected[0]
        expected[0] = (el0 + skew, el1_some, name + f", skewed by {skew}")
    return expected


def parse_report(text):
    """{vcpu: {'windows': [(index, el0, el1)], 'total': (el0, el1, windows, errors)}}."""
    vcpus = {}
    for line in text.splitlines():
        if m := WINDOW_LINE.match(line):
            v, k, el0, el1 = map(int, m.groups())
            vcpus.setdefault(v, {"windows": [], "total": None})["windows"].append((k, el0, el1))
        elif m := TOTAL_LINE.match(line):
            v, *total = map(int, m.groups())
            vcpus.setdefault(v, {"windows": [], "total": None})["total"] = tuple(total)
        elif line.strip():
            raise ValueError(f"unexpected report line: {line!r}")
    return vcpus


# --- Judging ------------------------------------------------------------------

def judge_window(vcpu, k, got, want):
    """(ok, description) for one window; a pure window's EL1 instructions
    are noted here and judged across rounds by judge_clean_rounds."""
    el0_want, el1_some, name = want
    _, el0, el1 = got
    rule = "el1>0" if el1_some else "el1=0"
    desc = f"vcpu {vcpu} window {k} ({name}): el0={el0} (want {el0_want}), el1={el1} (want {rule})"
    if not el1_some and el1 > 0:
        desc += " # an interrupt was taken inside it"
    return el0 == el0_want and (el1 > 0 or not el1_some), desc


def judge_clean_rounds(vcpu, windows, expected):
    """[(ok, description)]: each pure window has el1=0 in some round."""
    clean = {}
    for k, (el0_want, el1_some, name) in enumerate(expected):
        if not el1_some:
            case = ROUND_SUFFIX.sub("", name)
            got_clean = k < len(windows) and windows[k][2] == 0
            clean[case] = clean.get(case, False) or got_clean
    return [(ok, f"vcpu {vcpu} {case}: no EL1 instructions in at least one round")
            for case, ok in clean.items()]


def judge_vcpu(vcpu, entry, expected):
    """[(ok, description)] for one vCPU's windows and total."""
    if entry is None:
        return [(False, f"vcpu {vcpu} is in the report")]
    results = []
    total = entry["total"]
    windows = entry["windows"]
    indices = [w[0] for w in windows]
    results.append((total is not None and total[2] == len(windows) == len(expected)
                    and indices == list(range(len(windows))),
                    f"vcpu {vcpu}: {len(windows)} windows in order (want {len(expected)}), "
                    f"total line {'agrees' if total and total[2] == len(windows) else 'missing or disagrees'}"))
    results.append((total is not None and total[3] == 0,
                    f"vcpu {vcpu}: no marker errors ({total[3] if total else 'no total'})"))
    for k, want in enumerate(expected):
        if k < len(windows):
            results.append(judge_window(vcpu, k, windows[k], want))
        else:
            results.append((False, f"vcpu {vcpu} window {k} ({want[2]}) was reported"))
    return results + judge_clean_rounds(vcpu, windows, expected)


def judge(report, expected, vcpus):
    """Every check of a run: the guest's expectations against the report."""
    results = [(len(expected) > 0, f"the guest printed {len(expected)} window expectations")]
    for v in vcpus:
        results += judge_vcpu(v, report.get(v), expected)
    return results


# --- Running ------------------------------------------------------------------

def run_qemu(args, outfile, tmp):
    """Boot with the plugin; (console text, exit status or None on a timeout)."""
    spec = tessera_qemu.compile_spec(args.spec, tmp) if args.spec else None
    cmd = tessera_qemu.qemu_command(args.image, smp=args.smp, append=args.append, spec_dtb=spec,
                                    extra=args.qemu_arg + ["-plugin", f"{args.plugin},outfile={outfile}"])
    Tap.comment("$ " + " ".join(cmd))
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=args.timeout, check=False)
    except subprocess.TimeoutExpired as err:
        return (err.output or b"").decode(errors="replace"), None
    return done.stdout.decode(errors="replace"), done.returncode


def check_run(args):
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="insncount-") as tmp:
        outfile = Path(tmp) / "insncount.txt"
        console, status = run_qemu(args, outfile, tmp)
        Tap.comment(console)
        tap.check(status == 0, f"QEMU exited with status 0 (got {status})")
        report_text = outfile.read_text() if outfile.is_file() else ""
        Tap.comment("report:\n" + report_text)
    try:
        expected = parse_expectations(console, args.skew)
        report = parse_report(report_text)
    except ValueError as err:
        tap.check(False, str(err))
        tap.plan()
        return
    tap.check(bool(report), "the plugin wrote a report")
    for ok, desc in judge(report, expected, range(args.smp)):
        tap.check(ok, desc)
    tap.plan()


# --- Self-test ----------------------------------------------------------------

SELF_EXPECT = ("markers: expect window 0 el0=1000 el1=0 (nops, round 0)\n"
               "markers: expect window 1 el0=2 el1>0 (yield, round 0)\n"
               "markers: expect window 2 el0=1000 el1=0 (nops, round 1)\n")


def self_report(el0_first=1000, el1_first=0, el1_second=57, el1_third=0, errors=0,
                drop_second=False):
    lines = [f"window vcpu=0 index=0 el0={el0_first} el1={el1_first}"]
    if not drop_second:
        lines.append(f"window vcpu=0 index=1 el0=2 el1={el1_second}")
    lines.append(f"window vcpu=0 index={len(lines)} el0=1000 el1={el1_third}")
    lines.append(f"total vcpu=0 el0=5000 el1=9000 windows={len(lines)} errors={errors}")
    return "\n".join(lines) + "\n"


def self_test():
    """The judge passes a right report and fails each kind of wrong one."""
    tap = Tap()
    cases = [
        ("a right report passes", self_report(), 0, True),
        ("a wrong EL0 count fails", self_report(el0_first=999), 0, False),
        ("an interrupt in one round of a pure window passes", self_report(el1_first=260), 0, True),
        ("EL1 instructions in every round of a pure window fail",
         self_report(el1_first=1, el1_third=1), 0, False),
        ("no EL1 instructions in a system-call window fails", self_report(el1_second=0), 0, False),
        ("a missing window fails", self_report(drop_second=True), 0, False),
        ("marker errors fail", self_report(errors=1), 0, False),
        ("a wrong expectation (--skew 1) fails", self_report(), 1, False),
        ("a missing vCPU fails", self_report().replace("vcpu=0", "vcpu=1"), 0, False),
    ]
    for what, report, skew, want_pass in cases:
        results = judge(parse_report(report), parse_expectations(SELF_EXPECT, skew), [0])
        passed = all(ok for ok, _ in results)
        tap.check(passed == want_pass, what)
    tap.check(not all(ok for ok, _ in judge({}, [], [0])), "no expectations fails")
    tap.plan()


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--self-test", action="store_true", help="check the judging, boot nothing")
    parser.add_argument("--image", help="partitioner ELF to boot")
    parser.add_argument("--plugin", help="insncount.so")
    parser.add_argument("--spec", help="system spec (.dts or .dtb)")
    parser.add_argument("--smp", type=tessera_qemu.parse_smp, default=1)
    parser.add_argument("--append", help="boot arguments")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--qemu-arg", action="append", default=[], metavar="ARG",
                        help="one more QEMU argument (e.g. -accel tcg,thread=single)")
    parser.add_argument("--skew", type=int, default=0,
                        help="add this to the first expected EL0 count (must then fail)")
    args = parser.parse_args(argv)
    if args.self_test:
        self_test()
        return 0
    if not args.image or not args.plugin:
        parser.error("--image and --plugin are required unless --self-test")
    check_run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
