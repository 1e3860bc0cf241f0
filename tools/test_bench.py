#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Self-test of the benchmark runner (`./tessera bench`, tools/bench*.py).

Everything runs on synthetic guest and plugin output: parsing among noise,
pairing samples with plugin windows, figures and statistics on known numbers,
the JSON shape, the table, the plot file, the generated system specs (with dtc
and tools/spec.py, against QEMU's machine) and one whole bench with QEMU
replaced by canned output. Run with: /usr/bin/python3 tools/test_bench.py
"""

import contextlib
import io
import json
import math
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
import bench  # noqa: E402
import bench_report  # noqa: E402
import bench_stats  # noqa: E402
import tessera  # noqa: E402
from bench_stats import BenchError  # noqa: E402

FREQ = 62_500_000  # QEMU virt's counter: 16 ns a tick

# Two cores of a 2-busy run, their lines interleaved, among kernel and other noise.
CONSOLE = "\r\n".join([
    "partitioner: plan ok",
    "core 0: up, kernel 0x42200000-0x42400000, memory 0x42400000-0x61000000, image 0123456789abcdef",
    "core 1: up, kernel 0x61000000-0x61200000, memory 0x61200000-0x7fe00000, image 0123456789abcdef",
    "bench: start core=0 busy=2 freq=62500000",
    "bench: start core=1 busy=2 freq=62500000",
    "hello from somewhere else",
    "bench: name=ipc-inter-0w role=main core=0 busy=2 peer=- iters=1000 bytes=0 ticks=62500 pmu=-",
    "bench: name=ipc-inter-0w role=main core=1 busy=2 peer=- iters=1000 bytes=0 ticks=125000 pmu=-",
    "bench: name=ipc-inter-0w role=main core=0 busy=2 peer=- iters=1000 bytes=0 ticks=31250 pmu=-",
    "[core 1] bench: name=ipc-inter-0w role=main core=1 busy=2 peer=- iters=1000 bytes=0 ticks=125000 pmu=-",
    "bench: name=chan-pingpong role=ping core=0 busy=2 peer=1 iters=100 bytes=8 ticks=6250 pmu=-",
    "bench: name=chan-pingpong role=pong core=1 busy=2 peer=0 iters=100 bytes=8 ticks=6250 pmu=-",
    "bench: name=chan-stream role=rx core=1 busy=2 peer=0 iters=500 bytes=64 ticks=625000 pmu=-",
    "bench: name=chan-stream role=tx core=0 busy=2 peer=1 iters=500 bytes=64 ticks=625000 pmu=-",
    "bench: done core=1",
    "bench: done core=0",
    "",
])

# One window per sample, per core in the order that core printed them.
PLUGIN = "\n".join([
    "window vcpu=0 index=0 el0=34000 el1=375000",
    "window vcpu=0 index=1 el0=36000 el1=377000",
    "window vcpu=0 index=2 el0=5000 el1=20000",
    "window vcpu=0 index=3 el0=40000 el1=60000",
    "total vcpu=0 el0=115000 el1=832000 windows=4 errors=0",
    "window vcpu=1 index=0 el0=34000 el1=375000",
    "window vcpu=1 index=1 el0=34000 el1=375000",
    "window vcpu=1 index=2 el0=6000 el1=21000",
    "window vcpu=1 index=3 el0=50000 el1=70000",
    "total vcpu=1 el0=124000 el1=841000 windows=4 errors=0",
    "",
])


def find(results, **keys):
    """The one result matching all `keys`."""
    found = [r for r in results if all(r[k] == v for k, v in keys.items())]
    assert len(found) == 1, (keys, found)
    return found[0]


class ParseTest(unittest.TestCase):
    """Guest lines among other console output."""

    def test_samples_events_and_digest(self):
        out = bench_stats.parse_guest_output(CONSOLE)
        self.assertEqual(len(out.samples), 8)
        self.assertEqual(out.freqs, {0: FREQ, 1: FREQ})
        self.assertEqual(out.done, {0, 1})
        self.assertEqual(out.digest, "0123456789abcdef")
        first, prefixed = out.samples[0], out.samples[3]
        self.assertEqual((first.name, first.role, first.core, first.busy, first.peer,
                          first.iters, first.bytes, first.ticks, first.pmu, first.line),
                         ("ipc-inter-0w", "main", 0, 2, None, 1000, 0, 62500, None, 7))
        self.assertEqual((prefixed.core, prefixed.ticks), (1, 125000))
        self.assertEqual(out.samples[4].benchmark, "chan-pingpong-ping")
        self.assertEqual(out.samples[4].peer, 1)

    def test_noise_only_gives_nothing(self):
        out = bench_stats.parse_guest_output("booting\nbenchmarks: none\nbench:mark\n")
        self.assertEqual((out.samples, out.freqs, out.digest), ([], {}, None))

    def test_icount_pmu_field(self):
        out = bench_stats.parse_guest_output(
            "bench: name=ipc-intra-4w role=main core=0 busy=1 peer=- iters=10 bytes=16 "
            "ticks=99 pmu=3970\n")
        self.assertEqual(out.samples[0].pmu, 3970)

    def test_malformed_lines_are_errors_naming_the_line(self):
        bad = [
            "bench: name=ipc-inter-0w role=main core=0 busy=1 peer=- iters=10 bytes=0 pmu=-",
            "bench: name=ipc-inter-0w role=main core=x busy=1 peer=- iters=1 bytes=0 ticks=1 pmu=-",
            "bench: name=ipc-inter-0w role=main core=0 busy=1 peer=- iters=0 bytes=0 ticks=1 pmu=-",
            "bench: start core=0 busy=1",
            "bench: start core=0 busy=1 freq=0",
            "bench: name=a role=main core=0 core=1",
        ]
        for line in bad:
            with self.subTest(line=line), self.assertRaisesRegex(BenchError, r"^console line 2: "):
                bench_stats.parse_guest_output("noise\n" + line + "\n")

    def test_different_digests_are_an_error(self):
        text = ("core 0: up, kernel 0x1-0x2, image 00000000000000aa\n"
                "core 1: up, kernel 0x3-0x4, image 00000000000000bb\n")
        with self.assertRaisesRegex(BenchError, "different image digests"):
            bench_stats.parse_guest_output(text)


class WindowTest(unittest.TestCase):
    """Pairing each sample with the plugin window on its own vCPU."""

    def setUp(self):
        self.samples = bench_stats.parse_guest_output(CONSOLE).samples

    def test_kth_sample_of_a_core_is_its_kth_window(self):
        windows, totals = bench_stats.parse_plugin_output(PLUGIN)
        self.assertEqual(totals, {0: (4, 0), 1: (4, 0)})
        matched = bench_stats.match_windows(self.samples, windows, totals)
        # Output order: c0 s0, c1 s0, c0 s1, c1 s1, ping c0 s2, pong c1 s2, rx c1 s3, tx c0 s3.
        self.assertEqual([(w.el0, w.el1) for w in matched], [
            (34000, 375000), (34000, 375000), (36000, 377000), (34000, 375000),
            (5000, 20000), (6000, 21000), (50000, 70000), (40000, 60000)])

    def test_fewer_windows_than_samples_is_an_error(self):
        short = "\n".join(line for line in PLUGIN.splitlines() if "vcpu=1 index=3" not in line)
        windows, _ = bench_stats.parse_plugin_output(short)
        with self.assertRaisesRegex(BenchError, "vcpu 1 has 3 windows but core 1 printed 4"):
            bench_stats.match_windows(self.samples, windows, {})

    def test_marker_errors_are_an_error(self):
        one_error = PLUGIN.replace("windows=4 errors=0\nwindow vcpu=1",
                                   "windows=4 errors=1\nwindow vcpu=1")
        windows, totals = bench_stats.parse_plugin_output(one_error)
        with self.assertRaisesRegex(BenchError, "vcpu 0 reports 1 marker errors"):
            bench_stats.match_windows(self.samples, windows, totals)

    def test_window_gap_and_junk_are_errors(self):
        with self.assertRaisesRegex(BenchError, "line 2: vcpu 0 window 2 follows window 0"):
            bench_stats.parse_plugin_output("window vcpu=0 index=0 el0=1 el1=2\n"
                                            "window vcpu=0 index=2 el0=1 el1=2\n")
        with self.assertRaisesRegex(BenchError, "unknown line"):
            bench_stats.parse_plugin_output("windows vcpu=0\n")


class StatisticsTest(unittest.TestCase):
    """Figures and statistics on numbers worked out by hand."""

    def test_summary_of_known_numbers(self):
        self.assertEqual(bench_stats.summarise([4, 1, 3, 2, 100]),
                         {"median": 3, "min": 1, "max": 100, "samples": 5,
                          "stddev": math.sqrt(((22 - 4) ** 2 + 21 ** 2 + 19 ** 2 + 20 ** 2
                                               + 78 ** 2) / 5)})
        even = bench_stats.summarise([2.0, 4.0, 6.0, 8.0])
        self.assertEqual((even["median"], even["stddev"]), (5.0, math.sqrt(5.0)))
        self.assertEqual(bench_stats.summarise([7])["stddev"], 0)

    def test_figures_of_one_sample(self):
        ipc, ping, pong, rx = (bench_stats.parse_guest_output(CONSOLE).samples[i]
                               for i in (0, 4, 5, 6))
        # 1000 round trips in 62500 ticks at 62.5 MHz = 1 ms: 1e6 rt/s.
        self.assertEqual(bench_stats.sample_figures(ipc, FREQ, (409000, 34000, 375000)), [
            ("rt/s", 1e6), ("insns/rt", 409.0), ("el0 insns/rt", 34.0), ("el1 insns/rt", 375.0)])
        # 100 round trips in 6250 ticks = 100 us: 1e6 rt/s, 1000 ns each.
        figures = dict(bench_stats.sample_figures(ping, FREQ))
        self.assertAlmostEqual(figures["rt/s"], 1e6)
        self.assertAlmostEqual(figures["ns/rt"], 1000.0)
        self.assertEqual(bench_stats.sample_figures(pong, FREQ, (2000, None, None)),
                         [("insns/rt", 20.0)])
        # 500 messages of 64 bytes in 10 ms.
        figures = dict(bench_stats.sample_figures(rx, FREQ))
        self.assertAlmostEqual(figures["msgs/s"], 50000.0)
        self.assertAlmostEqual(figures["bytes/s"], 3.2e6)

    def test_unknown_benchmark_counts_iterations(self):
        sample = bench_stats.Sample("new-thing", "main", 0, 1, None, 10, 0, 625, None, 1)
        self.assertEqual(bench_stats.sample_figures(sample, FREQ),
                         [("iters/s", 1e6)])

    def test_results_from_plugin_run(self):
        out = bench_stats.parse_guest_output(CONSOLE)
        windows = bench_stats.match_windows(out.samples,
                                            *bench_stats.parse_plugin_output(PLUGIN))
        results = bench_stats.collect_results("plugin", 2, out,
                                              bench_stats.window_instructions(windows))
        core0 = find(results, benchmark="ipc-inter-0w", core=0, unit="rt/s")
        self.assertEqual((core0["median"], core0["min"], core0["max"], core0["samples"]),
                         (1.5e6, 1e6, 2e6, 2))
        self.assertEqual(core0["stddev"], 0.5e6)
        insns = find(results, benchmark="ipc-inter-0w", core=0, unit="insns/rt")
        self.assertEqual(insns["median"], 411.0)
        self.assertEqual(find(results, benchmark="chan-stream-tx", unit="insns/msg")["median"],
                         200.0)
        self.assertEqual(find(results, benchmark="chan-pingpong-pong", unit="insns/rt")["peer"], 0)
        self.assertFalse([r for r in results if r["benchmark"] == "chan-pingpong-pong"
                          and r["unit"] == "rt/s"])

    def test_busy_mismatch_and_no_samples_are_errors(self):
        out = bench_stats.parse_guest_output(CONSOLE)
        with self.assertRaisesRegex(BenchError, "busy=2, but 3 cores were busy"):
            bench_stats.collect_results("mttcg", 3, out)
        with self.assertRaisesRegex(BenchError, "no samples"):
            bench_stats.collect_results("mttcg", 1, bench_stats.parse_guest_output("x\n"))

    def test_side_by_side_sums_the_cores(self):
        out = bench_stats.parse_guest_output(CONSOLE)
        results = bench_stats.collect_results("mttcg", 2, out)
        total = bench_stats.aggregate_record(results, "ipc-inter-0w", "rt/s", "agg")
        self.assertEqual((total["benchmark"], total["core"], total["peer"], total["cores_busy"]),
                         ("agg", None, None, 2))
        self.assertEqual((total["median"], total["min"], total["max"], total["samples"]),
                         (1.5e6 + 0.5e6, 1.5e6, 2.5e6, 2))
        self.assertEqual(total["stddev"], 0.5e6)


class ReportTest(unittest.TestCase):
    """JSON shape, table and plot."""

    def results(self):
        out = bench_stats.parse_guest_output(CONSOLE)
        results = []
        for mode, busy in (("mttcg", 2), ("plugin", 2)):
            windows = bench_stats.match_windows(out.samples,
                                                *bench_stats.parse_plugin_output(PLUGIN))
            insns = bench_stats.window_instructions(windows) if mode == "plugin" else None
            results += bench_stats.collect_results(mode, busy, out, insns)
        one = bench_stats.parse_guest_output(CONSOLE.replace("busy=2", "busy=1"))
        return results + bench_stats.collect_results("mttcg", 1, one)

    def test_json_shape_has_every_key(self):
        machine = {"host": "h", "host_cpus": 2, "qemu": "QEMU emulator version 7.2.22",
                   "build": "release", "kernel_digest": "0123456789abcdef"}
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "sub" / "bench.json"
            bench_report.write_json(path, machine, ["mttcg", "plugin"], self.results())
            doc = json.loads(path.read_text())
        self.assertEqual(list(doc), ["machine", "mode", "results"])
        self.assertEqual(list(doc["machine"]),
                         ["host", "host_cpus", "qemu", "build", "kernel_digest"])
        self.assertEqual(doc["mode"], "mttcg+plugin")
        for record in doc["results"]:
            self.assertEqual(tuple(record), bench_stats.RESULT_KEYS)
        record = find(doc["results"], mode="mttcg", cores_busy=2, benchmark="chan-pingpong-ping",
                      unit="ns/rt")
        self.assertEqual((record["core"], record["peer"], record["samples"]), (0, 1, 1))
        self.assertIsNone(find(doc["results"], mode="mttcg", cores_busy=2, core=0,
                               benchmark="ipc-inter-0w", unit="rt/s")["peer"])

    def test_table_groups_by_mode_then_benchmark(self):
        lines = bench_report.format_table(self.results()).splitlines()
        self.assertEqual(lines[0], "mttcg")
        self.assertIn("plugin", lines)
        self.assertLess(lines.index("mttcg"), lines.index("plugin"))
        mttcg = lines[:lines.index("plugin")]
        names = [line.split()[0] for line in mttcg[2:] if line.strip()]
        self.assertEqual(names, sorted(names))
        self.assertRegex("\n".join(mttcg),
                         r"ipc-inter-0w +rt/s +1 +0 +- +1500000 +1000000 +2000000 +500000 +2")

    def test_plot_is_a_png(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name, results in (("full.png", self.results()), ("empty.png", [])):
                path = Path(tmp) / name
                bench_report.plot(results, path)
                self.assertEqual(path.read_bytes()[:8], bench_report.PNG_MAGIC, name)

    def test_third_panel_prefers_latency(self):
        title, _, lines = bench_report.cross_core_panel(self.results())
        self.assertIn("latency", title)
        self.assertEqual(list(lines), ["cores 0-1"])
        self.assertIsNone(bench_report.cross_core_panel([]))


class SpecTest(unittest.TestCase):
    """The generated systems compile and pass the checker on their machines."""

    def test_channels_of_each_core_count(self):
        self.assertNotIn("channels", bench.spec_source(1))
        three = bench.spec_source(3)
        self.assertIn('suite { compatible = "tessera,channel"; cores = <0 1 2>; size = <0x1000>;',
                      three)
        for pair in ("c01", "c02", "c12"):
            self.assertIn(f'\t\t{pair} {{ compatible = "tessera,channel"; cores = <{pair[1]} '
                          f'{pair[2]}>; size = <0x10000>;', three)
        self.assertNotIn("c03", three)
        self.assertEqual(three.count('devices = "/pl011@9000000"'), 1)
        self.assertEqual(three.count('programs = "ipcbench"'), 3)

    # busy cores -> the checker's summary: "suite" plus one channel per pair.
    CHECKED = {1: "1 core, 0 channels", 2: "2 cores, 2 channels", 3: "3 cores, 4 channels",
               4: "4 cores, 7 channels"}

    @unittest.skipUnless(shutil.which("dtc") and shutil.which("qemu-system-aarch64"),
                         "needs dtc and qemu-system-aarch64")
    def test_specs_pass_the_checker(self):
        machines = [(4, busy) for busy in range(1, 5)] + [(2, 1), (2, 2), (1, 1)]
        with tempfile.TemporaryDirectory() as tmp:
            for smp, busy in machines:
                with self.subTest(smp=smp, busy=busy):
                    dtb = bench.write_spec(Path(tmp) / f"smp{smp}", busy)
                    self.assertEqual(dtb.read_bytes()[:4], b"\xd0\x0d\xfe\xed")
                    done = subprocess.run(
                        [sys.executable, str(TOOLS / "spec.py"), "check",
                         str(dtb.with_suffix(".dts")),
                         "--smp", str(smp), "--programs", "ipcbench,hello",
                         "--machine-cache", str(Path(tmp) / "machines")],
                        capture_output=True, text=True, check=False)
                    self.assertEqual((done.returncode, done.stdout.strip()),
                                     (0, f"spec: ok: {self.CHECKED[busy]}"), done.stderr)


class PlanTest(unittest.TestCase):
    """Which boots a command line asks for."""

    def runs(self, *argv):
        args = tessera.parse_args(["bench", *argv])
        return [(r.mode, r.smp, r.busy, r.side_by_side) for r in
                bench.plan_runs(bench.chosen_modes(args),
                                args.cores or (bench.QUICK_CORES if args.quick
                                               else bench.DEFAULT_CORES))]

    def test_quick(self):
        self.assertEqual(self.runs("--quick"), [
            ("mttcg", 4, 1, False), ("mttcg", 4, 4, False),
            ("mttcg", 2, 1, True), ("mttcg", 2, 2, True),
            ("plugin", 4, 1, False), ("plugin", 4, 4, False), ("icount", 1, 1, False)])

    def test_default_and_chosen(self):
        runs = self.runs()
        self.assertEqual(len(runs), 4 + 2 + 4 + 4 + 1)
        self.assertIn(("stcg", 4, 3, False), runs)
        self.assertEqual(self.runs("--modes", "icount,stcg", "--cores", "2"),
                         [("stcg", 4, 2, False), ("icount", 1, 1, False)])
        self.assertEqual(self.runs("--modes", "plugin", "--modes", "mttcg", "--cores", "4,1,4"),
                         [("mttcg", 4, 1, False), ("mttcg", 4, 4, False), ("mttcg", 2, 1, True),
                          ("mttcg", 2, 2, True), ("plugin", 4, 1, False), ("plugin", 4, 4, False)])

    def test_flavour_defaults_to_release(self):
        self.assertEqual(tessera.parse_args(["bench"]).flavour, "release")
        self.assertEqual(tessera.parse_args(["bench", "--debug"]).flavour, "debug")
        self.assertEqual(tessera.parse_args(["run"]).flavour, "debug")

    def test_bad_options_are_usage_errors(self):
        for argv in (["--cores", "5"], ["--cores", "0,1"], ["--modes", "kvm"], ["--frob"]):
            with self.subTest(argv=argv), self.assertRaises(tessera.TesseraError) as caught:
                tessera.parse_args(["bench", *argv])
            self.assertEqual(caught.exception.status, 2)

    def test_commands_of_the_modes(self):
        paths = bench.Paths(Path("/r"), Path("/r/build/release"))
        stcg = bench.run_command(paths, bench.Run("stcg", 4, 2), "s.dtb", "p")
        self.assertEqual(stcg[-2:], ["-accel", "tcg,thread=single"])
        self.assertEqual(stcg[stcg.index("-smp") + 1], "4")
        plugin = bench.run_command(paths, bench.Run("plugin", 4, 2), "s.dtb", "/o/p.txt")
        self.assertEqual(plugin[-2:], [
            "-plugin", "/r/build/release/tools/insncount/insncount.so,outfile=/o/p.txt"])
        icount = bench.run_command(paths, bench.Run("icount", 1, 1), "s.dtb", "p")
        self.assertEqual(icount[icount.index("-append") + 1], "tessera.fatal=exit tessera.pmu=user")
        self.assertIn("-icount", icount)
        self.assertEqual(icount[icount.index("-smp") + 1], "1")


class WholeBenchTest(unittest.TestCase):
    """cmd_bench end to end, QEMU replaced by canned console and plugin output."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.build = Path(self.tmp.name) / "build" / "release"
        for built in ("boot/partitioner/partitioner.elf", "tools/insncount/insncount.so"):
            (self.build / built).parent.mkdir(parents=True, exist_ok=True)
            (self.build / built).write_bytes(b"")

    def tearDown(self):
        self.tmp.cleanup()

    def fake_guest(self, status, console):
        """A run_guest stand-in: a 2-core console with `busy` rewritten to
        what the spec on the command line asks, and the plugin's file."""
        def run_guest(cmd, cwd, timeout):
            busy = int(cmd[cmd.index("-device") + 1].split("busy")[1].split(".")[0])
            plugin = [a for a in cmd if ",outfile=" in a]
            if plugin:
                Path(plugin[0].split(",outfile=")[1]).write_text(PLUGIN)
            return status, console.replace("busy=2", f"busy={busy}")
        return run_guest

    def bench(self, *argv, status=0, console=CONSOLE):
        args = tessera.parse_args(["bench", *argv])
        out, err = io.StringIO(), []
        with mock.patch.object(bench, "run_guest", self.fake_guest(status, console)), \
                contextlib.redirect_stdout(out):
            code = bench.cmd_bench(args, self.tmp.name, self.build, err.append)
        return code, out.getvalue(), err

    def test_quick_mttcg_and_plugin(self):
        code, table, progress = self.bench("--modes", "mttcg,plugin", "--cores", "2")
        self.assertEqual(code, 0)
        self.assertEqual(progress[0], "bench: mttcg, 2 cores busy ... 0 s")
        self.assertIn("bench: mttcg side by side (-smp 2), 1 core busy ... 0 s", progress)
        doc = json.loads((self.build / "bench" / "bench.json").read_text())
        self.assertEqual(doc["machine"]["kernel_digest"], "0123456789abcdef")
        self.assertEqual(doc["machine"]["build"], "release")
        self.assertEqual(doc["mode"], "mttcg+plugin")
        aggregate = find(doc["results"], benchmark="aggregate-ipc-inter-0w-smp2", cores_busy=2)
        self.assertEqual(aggregate["median"], 2e6)
        self.assertEqual(find(doc["results"], mode="plugin", benchmark="ipc-inter-0w", core=1,
                              unit="el1 insns/rt")["median"], 375.0)
        self.assertEqual((self.build / "bench" / "bench.png").read_bytes()[:8],
                         bench_report.PNG_MAGIC)
        self.assertIn("aggregate-ipc-inter-0w-smp2", table)
        self.assertTrue((self.build / "bench" / "ipcbench-busy2.dts").is_file())

    def test_missing_done_line_is_a_warning(self):
        code, _, progress = self.bench("--modes", "stcg", "--cores", "2",
                                       console=CONSOLE.replace("bench: done core=1", ""))
        self.assertEqual(code, 0)
        self.assertEqual(progress[0], "bench: warning: stcg, 2 cores busy: no 'bench: done' "
                                      "line from core 1")

    def test_failing_guest_names_mode_and_cores(self):
        with self.assertRaisesRegex(BenchError, r"^stcg, 3 cores busy: guest exited with "
                                                r"status 3 \(console in .*stcg-smp4-busy3.log\)$"):
            self.bench("--modes", "stcg", "--cores", "3", status=3)
        with self.assertRaisesRegex(BenchError, r"^stcg, 1 core busy: guest still running "
                                                r"after 9 s \(timeout\)"):
            self.bench("--modes", "stcg", "--cores", "1", "--timeout", "9", status=None)

    def test_icount_without_pmu_is_an_error(self):
        with self.assertRaisesRegex(BenchError, r"^icount, 1 core busy: console line 7: pmu=-"):
            self.bench("--modes", "icount")

    def test_missing_plugin_is_refused_before_booting(self):
        (self.build / "tools/insncount/insncount.so").unlink()
        with self.assertRaisesRegex(BenchError, r"insncount.so was not built"):
            self.bench("--modes", "plugin")


if __name__ == "__main__":
    unittest.main()
