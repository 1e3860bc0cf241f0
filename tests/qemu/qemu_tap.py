#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot one image on QEMU and report what happened as TAP, for `meson test`.

A system test is a guest that prints on the UART and ends with a semihosting
exit status. This harness runs it with a timeout (a hang is a failure, not a
stuck CI job), echoes the console as TAP comments so a failure log shows the
whole boot, re-emits the guest's own `ok`/`not ok` lines as results numbered
in sequence, and adds its own checks: the guest exited, with the expected
status, the output matches what it must (--expect, --expect-count) and not
what it must not (--forbid). Meson judges the TAP, so after a run this exits
0 whatever the results; it exits 1 only when it was called wrongly.

The QEMU command comes from tools/tessera_qemu.py, so a failing test
reproduces with `./tessera run` and the same options.
"""

import argparse
import re
import shlex
import tempfile
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import tessera_qemu  # noqa: E402  (found through the path set just above)

GUEST_RESULT = re.compile(r"(not )?ok\b\s*(?:\d+\b)?\s*(.*)")
GUEST_PLAN = re.compile(r"1\.\.(\d+)\b")
GUEST_BAIL_OUT = re.compile(r"Bail out!\s*(.*)")


class UsageError(Exception):
    """The harness was called wrongly: a test definition to fix."""


class Tap:
    """TAP output, numbering results in the order they are reported."""

    def __init__(self):
        self.count = 0
        print("TAP version 13")

    def result(self, ok, description):
        """One result; the description may end in a `# ...` note."""
        self.count += 1
        print(f"{'ok' if ok else 'not ok'} {self.count} {description}".rstrip())

    def check(self, ok, what, failure_detail=""):
        """A harness check: `what` is the claim, the detail says why not."""
        detail = f" ({failure_detail})" if failure_detail and not ok else ""
        self.result(ok, f"- {what}{detail}")

    @staticmethod
    def comment(text):
        """Diagnostic text, which TAP consumers show but do not judge."""
        print(f"# {text}".rstrip())

    def plan(self):
        """The plan goes last, once every result is known."""
        print(f"1..{self.count}", flush=True)


# --- Arguments ----------------------------------------------------------------

class Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 1 as this harness promises."""

    def error(self, message):
        raise UsageError(message)


def qemu_type(parse):
    """Use a tessera_qemu option parser as an argparse type, keeping its
    message, so the harness and `./tessera run` refuse the same values."""
    def convert(text):
        try:
            return parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
    return convert


def parse_timeout(text):
    """A system test must always have a limit, so 0 is refused here."""
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"not a number of seconds: {text!r}") from None
    if not 0 < seconds < float("inf"):
        raise ValueError(f"timeout must be more than 0 seconds, got {text}")
    return seconds


def parse_expect_count(text):
    """REGEX=N: the regex must occur exactly N times. Split at the last `=`
    so the regex itself may contain one."""
    regex, sep, count = text.rpartition("=")
    if not sep or not regex or not count.isdigit():
        raise ValueError(f"expected REGEX=N, got {text!r}")
    return compile_regex(regex), int(count)


def compile_regex(text):
    """Patterns match per line anywhere in the output (re.MULTILINE)."""
    try:
        return re.compile(text, re.MULTILINE)
    except re.error as err:
        raise ValueError(f"bad regex {text!r}: {err}") from None


def build_parser():
    """The harness's options; machine options mirror `./tessera run`."""
    parser = Parser(prog="qemu_tap.py", description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--image", required=True, help="the ELF to boot")
    add("--smp", type=qemu_type(tessera_qemu.parse_smp), default=4, metavar="N")
    add("--mem", type=qemu_type(tessera_qemu.parse_mem), default=1024, metavar="SIZE")
    add("--gic", type=qemu_type(tessera_qemu.parse_gic), default=2, metavar="{2,3}")
    add("--el2", action="store_true", help="start the cores at EL2")
    add("--cpu", default=tessera_qemu.CPU, choices=[tessera_qemu.CPU, "max"],
        help="CPU model (max: ARMv8.1 LSE atomics and more)")
    add("--icount", action="store_true",
        help="run with -icount shift=0,sleep=off: exactly repeatable, PMU instruction counts work "
             "(use with --smp 1)")
    add("--append", metavar="ARGS", help="boot arguments (/chosen/bootargs)")
    add("--spec", metavar="FILE", help="system spec (.dts or .dtb) for the partitioner")
    add("--timeout", type=qemu_type(parse_timeout), default=60.0, metavar="S",
        help="seconds before the guest counts as hung (default 60)")
    add("--expect-exit", type=int, default=0, metavar="N",
        help="the exit status the guest must end with (default 0)")
    add("--expect", type=qemu_type(compile_regex), action="append", default=[],
        metavar="REGEX", help="must occur in the output")
    add("--forbid", type=qemu_type(compile_regex), action="append", default=[],
        metavar="REGEX", help="must not occur in the output")
    add("--expect-count", type=qemu_type(parse_expect_count), action="append",
        default=[], metavar="REGEX=N", help="must occur exactly N times")
    add("--expect-digest", metavar="IMAGE",
        help="every 'core N: up' line must report this flat image's digest")
    add("--expect-cores", type=int, metavar="N",
        help="exactly kernels 0..N-1 come up, in disjoint 2 MiB-aligned partitions")
    add("--capture", metavar="FILE", help="save the raw guest output here")
    return parser


def parse_args(argv):
    """Parse and check what can be checked before booting anything."""
    args = build_parser().parse_args(argv)
    if not Path(args.image).is_file():
        raise UsageError(f"no such image: {args.image}")
    return args


# --- Running the guest --------------------------------------------------------

def run_guest(cmd, timeout):
    """Run QEMU to its end or the timeout, whichever comes first.

    Returns (raw output, exit status), the status None on a timeout. stdin
    is /dev/null so a guest can never wait on the terminal of whoever runs
    the tests; stderr joins stdout so QEMU's own complaints land in the log.
    """
    try:
        done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as err:
        return err.output or b"", None
    return done.stdout, done.returncode


def save_capture(path, raw):
    """Keep the exact bytes for later study (e.g. by a benchmark parser)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)


# --- Reporting ----------------------------------------------------------------

def echo_guest(tap, lines):
    """Echo the console as comments, re-emitting the guest's own results.

    The guest's plan lines are dropped (the harness adds results, so the
    plan must be its own); their sum is returned (each core of a multi-core
    run, and each part of a program, may plan its own results), or None. A guest that
    bails out gets a failed result rather than ending the whole TAP stream.
    Returns (guest plan, number of guest results).
    """
    plan, results = None, 0
    for line in lines:
        result = GUEST_RESULT.match(line)
        planned = GUEST_PLAN.match(line)
        bail_out = GUEST_BAIL_OUT.match(line)
        if result:
            results += 1
            tap.result(not result.group(1), result.group(2))
        elif planned:
            plan = int(planned.group(1)) + (plan or 0)
        elif bail_out:
            tap.check(False, f"guest bailed out: {bail_out.group(1)}")
        else:
            tap.comment(line)
    return plan, results


def check_plan(tap, plan, results):
    """A guest that planned N results must report exactly N: fewer means it
    stopped early, which its exit status alone may not show."""
    if plan is not None:
        tap.check(results == plan, f"guest reported the {plan} results it planned",
                  f"it reported {results}")


def describe_status(status):
    """An exit status in words; negative means killed by a signal."""
    return f"signal {-status}" if status < 0 else str(status)


def check_exit(tap, status, expected, timeout):
    """The guest must end by itself, and with the expected status."""
    timed_out = f" # timed out after {timeout:g} s" if status is None else ""
    tap.result(status is not None, f"- guest exited before timeout{timed_out}")
    if status is not None:
        tap.check(status == expected, f"exit status {expected}",
                  f"got {describe_status(status)}")


def first_match_line(regex, text):
    """Where a pattern first matched, as `line N: text`, for a failure."""
    match = regex.search(text)
    number = text.count("\n", 0, match.start()) + 1
    line = text.splitlines()[number - 1] if text.splitlines() else ""
    return f"line {number}: {line.strip()}"


def times(count):
    """`1 time`, `2 times`: failure lines are read by people."""
    return f"{count} time" if count == 1 else f"{count} times"


def check_patterns(tap, text, args):
    """The --expect, --forbid and --expect-count checks, in that order."""
    for regex in args.expect:
        tap.check(regex.search(text) is not None,
                  f"output matches /{regex.pattern}/", "not found")
    for regex in args.forbid:
        found = regex.search(text) is not None
        tap.check(not found, f"output does not match /{regex.pattern}/",
                  first_match_line(regex, text) if found else "")
    for regex, expected in args.expect_count:
        found = len(regex.findall(text))
        tap.check(found == expected, f"/{regex.pattern}/ occurs {times(expected)}",
                  f"found {times(found)}")
    if args.expect_digest:
        check_digest(tap, text, tessera_qemu.image_digest(args.expect_digest))
    if args.expect_cores is not None:
        check_partitions(tap, text, args.expect_cores)


UP_LINE = re.compile(r"^core (\d+): up, kernel 0x([0-9a-f]+)-0x([0-9a-f]+), "
                     r"memory 0x([0-9a-f]+)-0x([0-9a-f]+), image [0-9a-f]{16}$", re.MULTILINE)


def check_partitions(tap, text, count):
    """The multikernel promise: one kernel per planned core, none sharing memory."""
    found = [(int(m[1]), [int(x, 16) for x in m.groups()[1:]]) for m in UP_LINE.finditer(text)]
    cores = sorted(core for core, _ in found)
    tap.check(cores == list(range(count)), f"kernels 0..{count - 1} each report up once",
              f"got cores {cores}")
    ranges = [(core, name, lo, hi) for core, (k0, k1, m0, m1) in found
              for name, lo, hi in (("kernel", k0, k1), ("memory", m0, m1))]
    clashes = [f"core {a[0]} {a[1]} and core {b[0]} {b[1]}" for i, a in enumerate(ranges)
               for b in ranges[i + 1:] if a[2] < b[3] and b[2] < a[3]]
    tap.check(not clashes, "all kernel and memory ranges are disjoint", "; ".join(clashes[:3]))
    misaligned = [f"core {c} {n} 0x{lo:x}-0x{hi:x}" for c, n, lo, hi in ranges
                  if lo % 0x200000 or hi % 0x200000 or hi <= lo]
    tap.check(not misaligned, "every range is non-empty and 2 MiB aligned", "; ".join(misaligned))


def check_digest(tap, text, digest):
    """Every kernel that came up runs the bytes of the image the build made."""
    reported = re.findall(r"^core \d+: up, .*image ([0-9a-f]{16})$", text, re.MULTILINE)
    wrong = sorted(set(d for d in reported if d != digest))
    tap.check(bool(reported) and not wrong,
              f"{len(reported)} kernel(s) report the image digest {digest}",
              f"reported {', '.join(wrong)}" if wrong else "no 'core N: up' line")


def report(tap, args, text, status):
    """All TAP after the command line: guest results, then the checks."""
    plan, results = echo_guest(tap, text.splitlines())
    check_plan(tap, plan, results)
    check_exit(tap, status, args.expect_exit, args.timeout)
    check_patterns(tap, text, args)
    tap.plan()


def boot_and_report(args, spec_dir):
    """Compile the spec (if any) into spec_dir, boot, report; the exit status."""
    spec_dtb = None
    if args.spec:
        try:
            spec_dtb = tessera_qemu.compile_spec(args.spec, spec_dir)
        except ValueError as err:
            print(f"qemu_tap.py: error: spec {err}", file=sys.stderr)
            return 1
    cmd = tessera_qemu.qemu_command(args.image, smp=args.smp, mem_mib=args.mem,
                                    gic=args.gic, el2=args.el2, append=args.append, icount=args.icount,
                                    spec_dtb=spec_dtb, cpu=args.cpu)
    tap = Tap()
    tap.comment(shlex.join(cmd))
    try:
        raw, status = run_guest(cmd, args.timeout)
    except OSError as err:
        print(f"Bail out! cannot run {cmd[0]}: {err.strerror}", flush=True)
        return 1
    if args.capture:
        save_capture(args.capture, raw)
    report(tap, args, raw.decode("utf-8", "replace").replace("\r", ""), status)
    return 0


def main(argv=None):
    """Boot, then report; exit 1 only for a wrongly called harness. A compiled
    spec lives in a temporary directory that goes when the run ends."""
    try:
        args = parse_args(argv)
    except UsageError as err:
        print(f"qemu_tap.py: error: {err}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="tessera-spec-") as spec_dir:
        return boot_and_report(args, spec_dir)


if __name__ == "__main__":
    sys.exit(main())
