# SPDX-License-Identifier: BSD-2-Clause
"""The developer command line behind `./tessera`.

One command takes a newcomer from a fresh clone to a booted system: every
subcommand first makes sure the Debian packages are there, configures the
Meson build the first time and rebuilds incrementally, then does its job.
Tessera's own messages go to stderr, so stdout carries only the guest's
console (for `run`) or Meson's test output (for `test`). Errors are one line,
never a traceback.

A new subcommand is one `cmd_<name>(args)` function returning an exit status
plus one `add_command(...)` entry in build_parser(). Standard library only;
run by /usr/bin/python3 (see FACTS.md).
"""

import argparse
import glob
import json
import math
import os
import shlex
import subprocess
import sys
import termios
import time
from pathlib import Path

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (found through the path set just above)
import tessera_qemu  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CROSS_FILE = "meson/aarch64.cross"
FLAVOURS = ("debug", "release")

PACKAGES = ("qemu-system-arm", "gcc-aarch64-linux-gnu", "meson", "ninja-build",
            "device-tree-compiler", "python3-libfdt", "python3-pyelftools",
            "python3-matplotlib", "gdb-multiarch")
APT_LISTS = "/var/lib/apt/lists"
APT_LISTS_MAX_AGE_S = 7 * 24 * 3600

ANNOUNCE_AFTER_S = 1.0  # a build step slower than this gets a progress line
TIMEOUT_STATUS = 124    # what `timeout(1)` returns, so scripts can tell a hang
PASSED_RESULTS = {"OK", "EXPECTEDFAIL"}
SKIPPED_RESULTS = {"SKIP"}


class TesseraError(Exception):
    """A failure to report as one line, with the exit status to return."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def note(message):
    """Progress on stderr, so a guest's stdout stays clean for pipes."""
    print(f"tessera: {message}", file=sys.stderr, flush=True)


def shown_path(path):
    """A path as the user should type it from where they stand."""
    return os.path.relpath(path)


# --- Packages ---------------------------------------------------------------

def missing_packages():
    """The required packages dpkg does not report as installed.

    One dpkg-query call for all of them keeps the common case (nothing
    missing) fast; unknown packages simply produce no line.
    """
    cmd = ["dpkg-query", "-W", "-f=${Package}\t${Status}\n", *PACKAGES]
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True, check=False).stdout
    except FileNotFoundError:
        raise TesseraError("dpkg-query not found: Tessera needs a Debian 12 host") from None
    installed = {line.split("\t")[0] for line in out.splitlines()
                 if line.endswith("install ok installed")}
    return [pkg for pkg in PACKAGES if pkg not in installed]


def apt_lists_stale():
    """True when apt has no package lists, or the newest is over a week old.

    Lists are often stored compressed (…_Packages.lz4), hence the wildcard.
    """
    lists = glob.glob(os.path.join(APT_LISTS, "*_Packages*"))
    if not lists:
        return True
    newest = max(os.path.getmtime(path) for path in lists)
    return time.time() - newest > APT_LISTS_MAX_AGE_S


def apt(*args):
    """Run apt-get with its output on stderr; a failure ends the command."""
    cmd = ["apt-get", *args]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.call(cmd, stdout=sys.stderr, env=env) != 0:
        raise TesseraError(f"package installation failed: {shlex.join(cmd)}")


def ensure_packages():
    """Install what is missing when root; otherwise say exactly what to run."""
    missing = missing_packages()
    if not missing:
        return
    if os.geteuid() != 0:
        raise TesseraError("missing packages; run: sudo apt-get update && "
                           f"sudo apt-get install -y {' '.join(missing)}")
    note(f"installing missing packages: {' '.join(missing)}")
    if apt_lists_stale():
        apt("update")
    apt("install", "-y", "--no-install-recommends", *missing)


# --- Configure and build ----------------------------------------------------

def build_dir(flavour):
    """Each flavour has its own build tree, so switching costs nothing."""
    return ROOT / "build" / flavour


def run_quiet(cmd, step, announce):
    """Run a build step with its output captured, shown only on failure.

    A step still running after a second gets a progress line, so a long
    first build is not silent while an up-to-date one prints nothing.
    Returns the captured output.
    """
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = proc.communicate(timeout=ANNOUNCE_AFTER_S)
    except subprocess.TimeoutExpired:
        note(announce)
        out, _ = proc.communicate()
    if proc.returncode != 0:
        sys.stderr.write(out)
        raise TesseraError(f"{step} failed: {shlex.join(cmd)}")
    return out


def configure(flavour):
    """Set up the Meson build tree the first time; later Ninja re-runs Meson
    itself whenever a meson.build changes."""
    bdir = build_dir(flavour)
    if (bdir / "build.ninja").exists():
        return
    cmd = ["meson", "setup", str(bdir.relative_to(ROOT)), "--cross-file", CROSS_FILE,
           f"-Dflavour={flavour}", f"-Dbuildtype={flavour}"]
    if (bdir / "meson-private" / "coredata.dat").exists():
        cmd.append("--wipe")  # an earlier setup failed halfway; start clean
    note(f"configuring build/{flavour}")
    run_quiet(cmd, "configure", f"configuring build/{flavour} ...")


def build(flavour):
    """Configure if needed, then build incrementally with Ninja."""
    configure(flavour)
    cmd = ["ninja", "-C", str(build_dir(flavour).relative_to(ROOT))]
    out = run_quiet(cmd, "build", f"building ({flavour}) ...")
    if "ninja: no work to do." not in out:
        note(f"built ({flavour})")


# --- run --------------------------------------------------------------------

def save_terminal():
    """QEMU puts a terminal on stdio into raw mode and restores it only if it
    exits cleanly; remember the settings so a killed QEMU leaves no mess."""
    try:
        return termios.tcgetattr(sys.stdin.fileno()) if sys.stdin.isatty() else None
    except (termios.error, ValueError, OSError):
        return None


def restore_terminal(saved):
    """Put back what save_terminal() remembered, if anything."""
    if saved is not None:
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, saved)


def wait_guest(proc, timeout):
    """Wait for QEMU and turn its end into tessera's exit status.

    The guest's semihosting SYS_EXIT code is QEMU's status; death by a signal
    maps to 128 + signal as a shell would report it.
    """
    try:
        status = proc.wait(timeout=timeout or None)
    except subprocess.TimeoutExpired:
        raise TesseraError(f"guest still running after {timeout:g} s (timeout)",
                           TIMEOUT_STATUS) from None
    return status if status >= 0 else 128 - status


def run_guest(cmd, timeout):
    """Run QEMU with the user's terminal as the guest UART, stdin included."""
    saved = save_terminal()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    try:
        return wait_guest(proc, timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        restore_terminal(saved)


def announce_gdb(flavour):
    """QEMU starts stopped under --gdb; tell the user how to attach."""
    kernel = shown_path(build_dir(flavour) / "kernel" / "kernel.elf")
    attach = shlex.join(["gdb-multiarch", kernel, "-ex",
                         f"target remote {tessera_qemu.GDB_ADDRESS}"])
    note(f"QEMU waits for gdb on {tessera_qemu.GDB_ADDRESS}; attach with:\n  {attach}")


def example_names():
    """The examples that are whole systems: examples/NAME/NAME.dts."""
    return sorted(d.name for d in (ROOT / "examples").iterdir()
                  if (d / f"{d.name}.dts").is_file())


def example_spec(name):
    """The spec of example `name`, or None when no example was asked for."""
    if name is None:
        return None
    if name not in example_names():
        raise TesseraError(f"no example {name!r}; the examples are: "
                           f"{', '.join(example_names())}", status=2)
    return ROOT / "examples" / name / f"{name}.dts"


def cmd_run(args):
    """Boot the partitioner image, and with it the whole system, on QEMU."""
    image = build_dir(args.flavour) / "boot" / "partitioner" / "partitioner.elf"
    if not image.is_file():
        raise TesseraError(f"{shown_path(image)} was not built")
    spec_dtb = None
    spec = args.spec or example_spec(args.example)
    if spec:
        try:
            spec_dtb = tessera_qemu.compile_spec(spec, build_dir(args.flavour) / "specs")
        except ValueError as err:
            raise TesseraError(f"spec {err}") from None
    cmd = tessera_qemu.qemu_command(
        image.relative_to(ROOT), smp=args.smp, mem_mib=args.mem, gic=args.gic,
        el2=args.el2, append=args.append, gdb=args.gdb, icount=args.icount, spec_dtb=spec_dtb)
    if args.gdb:
        announce_gdb(args.flavour)
    return run_guest(cmd, args.timeout)


# --- test -------------------------------------------------------------------

def testlog_path(flavour):
    """Meson's machine-readable log: one JSON object per test, per line."""
    return build_dir(flavour) / "meson-logs" / "testlog.json"


def count_results(testlog):
    """Count (passed, failed, skipped) in a testlog.json; a missing log is
    no tests at all. Anything not passed or skipped is a failure: a timeout
    or an unexpected pass needs a look as much as a plain failure does."""
    counts = [0, 0, 0]
    if not os.path.exists(testlog):
        return tuple(counts)
    with open(testlog, encoding="utf-8") as log:
        for line in filter(str.strip, log):
            result = json.loads(line).get("result")
            if result in PASSED_RESULTS:
                counts[0] += 1
            elif result in SKIPPED_RESULTS:
                counts[2] += 1
            else:
                counts[1] += 1
    return tuple(counts)


def summary_line(passed, failed, skipped):
    """The `N passed, N failed` line that CI reads (Meson's own differs)."""
    line = f"{passed} passed, {failed} failed"
    return line + (f", {skipped} skipped" if skipped else "")


def cmd_test(args):
    """Run the Meson test suites (host unit tests and QEMU system tests).

    --no-rebuild: the common steps just built everything, quietly; Meson's
    own rebuild would only print Ninja's chatter.
    """
    testlog = testlog_path(args.flavour)
    if testlog.exists():
        testlog.unlink()  # never count a previous run's results
    cmd = ["meson", "test", "-C", str(build_dir(args.flavour).relative_to(ROOT)),
           "--print-errorlogs", "--no-rebuild", *args.passthrough]
    status = subprocess.call(cmd, cwd=ROOT, stdin=subprocess.DEVNULL)
    passed, failed, skipped = count_results(testlog)
    print(summary_line(passed, failed, skipped), flush=True)
    return 0 if status == 0 and failed == 0 and passed > 0 else 1


# --- bench ------------------------------------------------------------------

def cmd_bench(args):
    """Measure IPC and channels in QEMU: tools/bench.py does the work."""
    try:
        return bench.cmd_bench(args, ROOT, build_dir(args.flavour))
    except bench.BenchError as err:
        raise TesseraError(str(err)) from None


# --- Command line -----------------------------------------------------------

class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one `tessera: error:` line."""

    def error(self, message):
        raise TesseraError(f"{message} (see {self.prog} --help)", status=2)


def option_type(parse):
    """Wrap a text -> value parser that raises ValueError (such as those in
    tessera_qemu, which the test harness shares) as an argparse type, so the
    user sees the parser's own words."""
    def convert(text):
        try:
            return parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
    return convert


def parse_timeout(text):
    """Seconds to let the guest run; 0 means no limit."""
    try:
        seconds = float(text)
    except ValueError:
        raise ValueError(f"not a number of seconds: {text!r}") from None
    if not 0 <= seconds < math.inf:
        raise ValueError(f"timeout must be 0 (none) or more seconds, got {text}")
    return seconds


def existing_file(text):
    """A path that must exist now, checked before any build work starts."""
    if not os.path.isfile(text):
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return text


def cmd_spec(args):
    """Check or show a system spec against a machine: tools/spec.py does it;
    QEMU's dumps of the machines it asks about are cached in the build."""
    if not args.passthrough or args.passthrough[0] not in ("check", "show", "plan"):
        raise TesseraError("usage: ./tessera spec check|show|plan FILE [--smp N] [--mem SIZE] "
                           "[--gic 2|3] [--el2] (see ./tessera spec -- --help)", status=2)
    cmd = [sys.executable, str(ROOT / "tools" / "spec.py"), *args.passthrough,
           "--machine-cache", str(build_dir(args.flavour) / "machines")]
    return subprocess.run(cmd, check=False).returncode


def add_command(subparsers, name, handler, summary, passthrough=False, flavour="debug",
                description=None):
    """Register a subcommand; every one takes --release and builds first.

    With passthrough, arguments tessera does not know are handed to the
    command (as args.passthrough) instead of being refused. A command whose
    default `flavour` is release takes --debug instead (--release is then
    accepted and changes nothing). `description`, when given, is the
    command's --help text in place of the one-line summary.
    """
    usage = "%(prog)s [-h] [--release] [args for the command ...]" if passthrough else None
    command = subparsers.add_parser(name, help=summary, description=description or summary,
                                    usage=usage, allow_abbrev=False)
    command.add_argument("--release", dest="flavour", action="store_const",
                         const="release", default=flavour,
                         help="use the release build (build/release)" +
                              (" (the default)" if flavour == "release" else " instead of debug"))
    if flavour == "release":
        command.add_argument("--debug", dest="flavour", action="store_const", const="debug",
                             default=flavour, help="use the debug build (build/debug) instead")
    command.set_defaults(handler=handler, accepts_passthrough=passthrough,
                         command_parser=command)
    return command


def add_run_options(run):
    """The machine and boot options of `run`."""
    run.add_argument("--smp", type=option_type(tessera_qemu.parse_smp), default=4,
                     metavar="N", help="number of cores, 1..8 (default 4)")
    run.add_argument("--mem", type=option_type(tessera_qemu.parse_mem),
                     default=1024, metavar="SIZE",
                     help="RAM size, e.g. 512M or 2G; at least 256M (default 1G)")
    run.add_argument("--gic", type=option_type(tessera_qemu.parse_gic), default=2,
                     metavar="{2,3}", help="GIC version (default 2, QEMU's default)")
    run.add_argument("--el2", action="store_true",
                     help="start the cores at EL2 (virtualization=on) instead of EL1")
    run.add_argument("--gdb", action="store_true",
                     help=f"start stopped and wait for gdb on {tessera_qemu.GDB_ADDRESS}")
    run.add_argument("--icount", action="store_true",
                     help="count instructions (-icount shift=0,sleep=off): exactly repeatable "
                          "runs and working PMU instruction counts; use with --smp 1")
    run.add_argument("--timeout", type=option_type(parse_timeout), default=0,
                     metavar="S", help=f"stop the guest after S seconds and exit "
                     f"{TIMEOUT_STATUS} (default 0: no limit)")
    run.add_argument("--append", metavar="ARGS",
                     help="boot arguments, passed in /chosen/bootargs")
    source = run.add_mutually_exclusive_group()
    source.add_argument("--spec", type=existing_file, metavar="FILE",
                        help="system spec (.dts) to boot instead of the default")
    source.add_argument("--example", metavar="NAME",
                        help="boot an example system, examples/NAME/NAME.dts "
                             "(kvstore, pingpong)")


def build_parser():
    """The whole command line: one add_command() entry per subcommand."""
    parser = Parser(prog="./tessera", description="Build, boot and test Tessera, "
                    "a static multikernel for 64-bit Arm, on QEMU.",
                    epilog="Run './tessera COMMAND --help' for a command's options.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    run = add_command(commands, "run", cmd_run,
                      "boot the system on QEMU, console on this terminal; exits "
                      "with the guest's status (Ctrl-C stops it)")
    add_run_options(run)
    add_command(commands, "test", cmd_test,
                "build and run all tests (host unit tests and QEMU system tests); "
                "other arguments go to 'meson test', e.g. --suite unit",
                passthrough=True)
    add_command(commands, "spec", cmd_spec,
                "check a system spec against a machine ('spec check FILE [--smp N] "
                "[--mem SIZE] [--gic 2|3] [--el2]') or print its plan ('spec show FILE ...')",
                passthrough=True)
    measure = add_command(commands, "bench", cmd_bench,
                          "measure IPC and channels in QEMU (release build unless --debug): "
                          "a table, JSON and a plot", flavour="release", description=
                          "measure IPC and channel throughput and instructions per operation "
                          "in QEMU (mttcg, stcg, plugin and icount modes); a table on stdout, "
                          "JSON and a plot in build/FLAVOUR/bench/. Uses the release build: "
                          "debug kernels check invariants after every system call, which "
                          "swamps what is measured (--debug to measure it anyway). stddev is the "
                          "population standard deviation of a run's samples")
    bench.add_options(measure, option_type, parse_timeout)
    return parser


def parse_args(argv):
    """Parse, letting only passthrough commands keep unknown arguments."""
    args, unknown = build_parser().parse_known_args(argv)
    if unknown and not args.accepts_passthrough:
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if "--" in unknown:
        unknown.remove("--")  # `--` only ends tessera's options
    args.passthrough = unknown
    return args


def main(argv=None):
    """Common steps, then the subcommand; every failure becomes one line."""
    try:
        args = parse_args(argv)
        ensure_packages()
        build(args.flavour)
        return args.handler(args)
    except TesseraError as err:
        print(f"tessera: error: {err}", file=sys.stderr)
        return err.status
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # noqa: BLE001  a last resort: still one line
        print(f"tessera: error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
