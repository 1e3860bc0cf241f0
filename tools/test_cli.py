#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Self-test of the developer tools: the CLI, the QEMU command builder and
the QEMU TAP harness.

They are what every other test runs through, so a regression here would show
up as confusing failures everywhere else. The pure parts are tested directly;
the harness is also run end to end against tiny stand-in guests built in a
temporary directory, when the cross compiler and QEMU are installed.
Run with: /usr/bin/python3 tools/test_cli.py
"""

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
sys.path.insert(0, str(TOOLS.parent / "tests" / "qemu"))
import qemu_tap  # noqa: E402
import tessera  # noqa: E402
import tessera_qemu  # noqa: E402

# A guest that prints MSG on the PL011 and exits with EXIT_CODE via semihosting.
GUEST_SOURCE = r"""
    .global _start
_start:
    ldr x2, =0x09000000
    adr x3, msg
1:  ldrb w4, [x3], #1
    cbz w4, 2f
    strb w4, [x2]
    b 1b
2:  mov w0, #0x18
    adr x1, block
#ifdef HANG
3:  wfi
    b 3b
#endif
    hlt #0xf000
    .align 3
block: .quad 0x20026, EXIT_CODE
msg: .asciz "1..2\r\nok 1 - hello\r\nnot ok 9 - broken\r\n"
"""


def run_tap(argv):
    """Run the harness in-process; return (status, TAP lines)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = qemu_tap.main(argv)
    return status, out.getvalue().splitlines()


class QemuCommandTest(unittest.TestCase):
    """The one QEMU command line everything boots with."""

    def test_default_command(self):
        self.assertEqual(tessera_qemu.qemu_command("k.elf"), [
            "qemu-system-aarch64", "-M", "virt,gic-version=2,dtb-randomness=off",
            "-cpu", "cortex-a72", "-smp", "4", "-m", "1024M", "-nographic",
            "-monitor", "none", "-serial", "stdio", "-nic", "none",
            "-semihosting-config", "enable=on,target=native", "-kernel", "k.elf"])

    def test_every_option(self):
        cmd = tessera_qemu.qemu_command("k.elf", smp=1, mem_mib=512, gic=3, el2=True,
                                        append="a b", gdb=True, icount=True,
                                        extra=["-d", "int"])
        self.assertIn("virt,gic-version=3,dtb-randomness=off,virtualization=on", cmd)
        max_cpu = tessera_qemu.qemu_command("k.elf", cpu="max")
        self.assertEqual(max_cpu[max_cpu.index("-cpu") + 1], "max")
        self.assertEqual(cmd[cmd.index("-kernel"):], [
            "-kernel", "k.elf", "-append", "a b", "-icount", "shift=0,sleep=off",
            "-S", "-gdb", "tcp:127.0.0.1:1234", "-d", "int"])

    def test_parse_mem(self):
        for text, mib in (("512M", 512), ("1G", 1024), ("2048M", 2048),
                          ("2g", 2048), ("1GiB", 1024), ("300", 300)):
            self.assertEqual(tessera_qemu.parse_mem(text), mib, text)
        for text in ("128M", "1T", "", "G", "-1G"):
            self.assertRaises(ValueError, tessera_qemu.parse_mem, text)

    def test_smp_and_gic_limits(self):
        self.assertEqual(tessera_qemu.parse_smp("8"), 8)
        for bad in ("0", "9", "x"):
            self.assertRaises(ValueError, tessera_qemu.parse_smp, bad)
        self.assertEqual(tessera_qemu.parse_gic("3"), 3)
        self.assertRaises(ValueError, tessera_qemu.parse_gic, "4")


class CliTest(unittest.TestCase):
    """Argument handling and result counting of ./tessera."""

    def test_test_passes_unknown_arguments_to_meson(self):
        args = tessera.parse_args(["test", "--suite", "unit", "--release", "--", "x"])
        self.assertEqual((args.flavour, args.passthrough), ("release", ["--suite", "unit", "x"]))

    def test_run_refuses_unknown_arguments(self):
        with self.assertRaises(tessera.TesseraError) as caught:
            tessera.parse_args(["run", "--frob"])
        self.assertEqual(caught.exception.status, 2)
        self.assertNotIn("\n", str(caught.exception))

    def test_run_defaults(self):
        args = tessera.parse_args(["run"])
        self.assertEqual((args.smp, args.mem, args.gic, args.timeout, args.flavour),
                         (4, 1024, 2, 0, "debug"))

    def test_examples_are_found_and_unknown_ones_refused(self):
        self.assertIn("kvstore", tessera.example_names())
        self.assertIn("pingpong", tessera.example_names())
        self.assertEqual(tessera.example_spec("kvstore"),
                         tessera.ROOT / "examples" / "kvstore" / "kvstore.dts")
        self.assertIsNone(tessera.example_spec(None))
        with self.assertRaisesRegex(tessera.TesseraError, r"no example 'nope'; the examples are: .*kvstore"):
            tessera.example_spec("nope")

    def test_example_and_spec_exclude_each_other(self):
        with self.assertRaises(tessera.TesseraError) as caught:
            tessera.parse_args(["run", "--example", "kvstore", "--spec", "specs/default.dts"])
        self.assertEqual(caught.exception.status, 2)

    def test_bad_option_is_one_line_with_status_2(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = tessera.main(["run", "--smp", "9"])
        self.assertEqual(status, 2)
        self.assertRegex(err.getvalue(), r"^tessera: error: argument --smp: .*\n$")

    def test_missing_packages_without_root_says_what_to_run(self):
        with mock.patch.object(tessera, "missing_packages", return_value=["meson"]), \
                mock.patch.object(os, "geteuid", return_value=1000):
            with self.assertRaisesRegex(tessera.TesseraError,
                                        r"sudo apt-get install -y meson$"):
                tessera.ensure_packages()

    def test_count_results(self):
        results = ["OK", "EXPECTEDFAIL", "FAIL", "TIMEOUT", "SKIP", "UNEXPECTEDPASS"]
        with tempfile.TemporaryDirectory() as tmp:
            log = Path(tmp) / "testlog.json"
            log.write_text("".join(f'{{"name": "t", "result": "{r}"}}\n' for r in results))
            counts = tessera.count_results(log)
            self.assertEqual(tessera.count_results(Path(tmp) / "absent.json"), (0, 0, 0))
        self.assertEqual(counts, (2, 3, 1))
        self.assertEqual(tessera.summary_line(*counts), "2 passed, 3 failed, 1 skipped")
        self.assertEqual(tessera.summary_line(2, 0, 0), "2 passed, 0 failed")


class TapReportTest(unittest.TestCase):
    """The harness's TAP for a given guest output, without QEMU."""

    def report(self, text, status, *argv):
        args = qemu_tap.build_parser().parse_args(["--image", "x", *argv])
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            qemu_tap.report(qemu_tap.Tap(), args, text, status)
        return out.getvalue().splitlines()

    def test_guest_results_renumbered_and_plan_checked(self):
        lines = self.report("boot\n1..3\nok 5 - a\nnot ok - b # TODO x\n", 0)
        self.assertEqual(lines, [
            "TAP version 13", "# boot", "ok 1 - a", "not ok 2 - b # TODO x",
            "not ok 3 - guest reported the 3 results it planned (it reported 2)",
            "ok 4 - guest exited before timeout", "ok 5 - exit status 0", "1..5"])

    def test_timeout_and_patterns(self):
        lines = self.report("up\nPANIC here\n", None, "--timeout", "3", "--expect",
                            "^up$", "--forbid", "PANIC", "--expect-count", "e=1")
        self.assertEqual(lines[3:], [
            "not ok 1 - guest exited before timeout # timed out after 3 s",
            "ok 2 - output matches /^up$/",
            "not ok 3 - output does not match /PANIC/ (line 2: PANIC here)",
            "not ok 4 - /e/ occurs 1 time (found 2 times)", "1..4"])

    def test_usage_error_exits_1(self):
        self.assertEqual(run_tap(["--image", "/nonexistent.elf"])[0], 1)


@unittest.skipUnless(shutil.which("aarch64-linux-gnu-gcc") and shutil.which(tessera_qemu.QEMU),
                     "needs aarch64-linux-gnu-gcc and qemu-system-aarch64")
class TapOnQemuTest(unittest.TestCase):
    """The harness end to end, on stand-in guests."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        source = Path(cls.tmp.name) / "guest.S"
        source.write_text(GUEST_SOURCE)
        cls.exits_3 = cls.build(source, "exit3.elf", "-DEXIT_CODE=3")
        cls.hangs = cls.build(source, "hang.elf", "-DEXIT_CODE=0", "-DHANG")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def build(cls, source, name, *defines):
        """Link a bare ELF where real images go: above the DTB at 0x4000_0000."""
        image = Path(cls.tmp.name) / name
        subprocess.run(["aarch64-linux-gnu-gcc", "-nostdlib", "-static", "-no-pie",
                        "-Wl,--no-warn-rwx-segments", "-Wl,--build-id=none",
                        "-Ttext=0x40200000", *defines, "-o", str(image), str(source)],
                       check=True)
        return str(image)

    def test_exit_status_and_guest_results(self):
        capture = Path(self.tmp.name) / "out" / "exit3.log"
        status, lines = run_tap(["--image", self.exits_3, "--expect-exit", "3",
                                 "--expect", "hello", "--capture", str(capture)])
        self.assertEqual(status, 0)
        self.assertEqual(lines[2:], [
            "ok 1 - hello", "not ok 2 - broken",
            "ok 3 - guest reported the 2 results it planned",
            "ok 4 - guest exited before timeout", "ok 5 - exit status 3",
            "ok 6 - output matches /hello/", "1..6"])
        self.assertIn(b"ok 1 - hello\r\n", capture.read_bytes())

    def test_hang_is_a_failure(self):
        status, lines = run_tap(["--image", self.hangs, "--timeout", "2"])
        self.assertEqual(status, 0)
        self.assertIn("not ok 4 - guest exited before timeout # timed out after 2 s", lines)

    def test_icount_reaches_qemu(self):
        status, lines = run_tap(["--image", self.exits_3, "--expect-exit", "3", "--smp", "1",
                                 "--icount"])
        self.assertEqual(status, 0)
        self.assertIn(" -icount shift=0,sleep=off", lines[1])
        self.assertIn("ok 5 - exit status 3", lines)


if __name__ == "__main__":
    unittest.main()
