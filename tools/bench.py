# SPDX-License-Identifier: BSD-2-Clause
"""`./tessera bench`: boot the ipcbench program in several QEMU modes and
core counts, and report what it measured.

For each mode and each count N of busy cores, a system spec is written (cores
0..N-1 run ipcbench, core 0 owns the UART; a "suite" channel joins them and a
"cAB" channel joins each pair a<b), the partitioner image boots it through the
one QEMU command builder (tools/tessera_qemu.py), and the guest's `bench:`
lines become results (tools/bench_stats.py): a table on stdout, a JSON file
and a plot (tools/bench_report.py). Progress goes to stderr.

Modes: "mttcg" (QEMU's multi-threaded TCG), "stcg" (single-threaded TCG),
"plugin" (mttcg with tools/insncount counting each sample's instructions on
its vCPU) and "icount" (one core, -icount, instructions from the guest's PMU).
Timings under TCG are emulated, not hardware, time: compare them only with
each other, in the same mode. The tessera CLI (tools/tessera.py) does the
common steps (packages, build) and calls cmd_bench().
"""

import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import bench_report
import bench_stats
import tessera_qemu
from bench_stats import BenchError

PROGRAM = "ipcbench"
UART = "/pl011@9000000"
SUITE_CHANNEL_SIZE = 0x1000
PAIR_CHANNEL_SIZE = 0x10000
MACHINE_CPUS = 4          # every run but icount and side by side: -smp 4, -m 1G
MEM_MIB = 1024
MODES = ("mttcg", "stcg", "plugin", "icount")
QUICK_MODES = ("mttcg", "plugin", "icount")
DEFAULT_CORES = (1, 2, 3, 4)
QUICK_CORES = (1, 4)
SIDE_BY_SIDE_SMP = 2
SIDE_BY_SIDE_BENCHMARK = "ipc-inter-0w"
SIDE_BY_SIDE_NAME = f"aggregate-{SIDE_BY_SIDE_BENCHMARK}-smp{SIDE_BY_SIDE_SMP}"
BASE_APPEND = "tessera.fatal=exit"  # a kernel fatal error ends the run, not a hang
DEFAULT_TIMEOUT_S = 300


@dataclass(frozen=True)
class Run:
    """One boot: a mode on a machine of `smp` CPUs with `busy` of them running ipcbench."""
    mode: str
    smp: int
    busy: int
    side_by_side: bool = False

    @property
    def label(self):
        """How progress lines and errors name the run."""
        cores = f"{self.busy} core{'s' if self.busy != 1 else ''} busy"
        extra = f" side by side (-smp {self.smp})" if self.side_by_side else ""
        return f"{self.mode}{extra}, {cores}"

    @property
    def stem(self):
        """File name stem of this run's console log and plugin output."""
        return f"{self.mode}-smp{self.smp}-busy{self.busy}"


@dataclass
class Paths:
    """Where a bench of one build flavour reads and writes."""
    root: Path
    build: Path
    out: Path = field(init=False)

    def __post_init__(self):
        self.out = self.build / "bench"

    @property
    def image(self):
        return self.build / "boot" / "partitioner" / "partitioner.elf"

    @property
    def plugin(self):
        return self.build / "tools" / "insncount" / "insncount.so"


# --- The system spec ------------------------------------------------------------

def spec_source(busy):
    """The .dts of a system with cores 0..busy-1 running ipcbench.

    "suite" joins all busy cores, "cAB" each pair a<b of them. With one busy
    core there are no channels: a channel needs two members (docs/spec.md).
    """
    cores = []
    for core in range(busy):
        owns = f' devices = "{UART}";' if core == 0 else ""
        cores.append(f'\t\tcore@{core} {{ compatible = "tessera,core"; reg = <{core}>; '
                     f'memory-rest;{owns} programs = "{PROGRAM}"; }};')
    channels = []
    if busy > 1:
        members = " ".join(str(core) for core in range(busy))
        channels.append(channel_line("suite", members, SUITE_CHANNEL_SIZE))
    for a in range(busy):
        for b in range(a + 1, busy):
            channels.append(channel_line(f"c{a}{b}", f"{a} {b}", PAIR_CHANNEL_SIZE))
    body = "\n".join(cores)
    channel_block = ("\tchannels {\n" + "\n".join(channels) + "\n\t};\n") if channels else ""
    return ("// SPDX-License-Identifier: BSD-2-Clause\n"
            f"// Written by tools/bench.py: {busy} busy core(s) running {PROGRAM}.\n"
            "/dts-v1/;\n/ {\n"
            '\tcompatible = "tessera,system-v1";\n'
            f'\tmodel = "{PROGRAM}: {busy} busy core(s)";\n'
            "\tcores {\n\t\t#address-cells = <1>;\n\t\t#size-cells = <0>;\n"
            f"{body}\n\t}};\n{channel_block}}};\n")


def channel_line(name, members, size):
    return (f'\t\t{name} {{ compatible = "tessera,channel"; cores = <{members}>; '
            f"size = <{size:#x}>; }};")


def write_spec(out_dir, busy):
    """Write and compile the spec for `busy` cores; return the .dtb path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / f"{PROGRAM}-busy{busy}.dts"
    source.write_text(spec_source(busy), encoding="utf-8")
    try:
        return tessera_qemu.compile_spec(source, out_dir)
    except ValueError as err:
        raise BenchError(f"spec {err}") from None


# --- What to run ----------------------------------------------------------------

def parse_cores(text):
    """--cores: a comma list of busy-core counts, each 1..4."""
    counts = []
    for word in text.split(","):
        word = word.strip()
        if not word.isdigit() or not 1 <= int(word) <= MACHINE_CPUS:
            raise ValueError(f"core counts are 1..{MACHINE_CPUS}, got {word!r}")
        if int(word) not in counts:
            counts.append(int(word))
    return sorted(counts)


def parse_modes(text):
    """--modes: a comma list of modes (the option may also be repeated)."""
    modes = [word.strip() for word in text.split(",") if word.strip()]
    unknown = [mode for mode in modes if mode not in MODES]
    if unknown or not modes:
        raise ValueError(f"unknown mode {', '.join(unknown) or text!r}; "
                         f"the modes are {', '.join(MODES)}")
    return modes


def chosen_modes(args):
    """The modes in the canonical order, from --modes or the defaults."""
    asked = [m for group in args.modes for m in group] if args.modes else \
        (QUICK_MODES if args.quick else MODES)
    return [mode for mode in MODES if mode in asked]


def plan_runs(modes, cores):
    """Every boot, in order. icount runs once (one core, -smp 1: QEMU 7.2
    loses SGIs under icount with more vCPUs); with mttcg come the side-by-side
    runs (-smp 2, 1 then 2 busy cores)."""
    runs = []
    for mode in modes:
        if mode == "icount":
            runs.append(Run(mode, smp=1, busy=1))
            continue
        runs += [Run(mode, smp=MACHINE_CPUS, busy=n) for n in cores]
        if mode == "mttcg":
            runs += [Run(mode, smp=SIDE_BY_SIDE_SMP, busy=n, side_by_side=True)
                     for n in range(1, SIDE_BY_SIDE_SMP + 1)]
    return runs


def check_built(paths, runs):
    """Refuse before the first boot when something a run needs was not built."""
    needed = [paths.image]
    if any(run.mode == "plugin" for run in runs):
        needed.append(paths.plugin)
    for path in needed:
        if not path.is_file():
            raise BenchError(f"{os.path.relpath(path)} was not built")


# --- One boot -------------------------------------------------------------------

def run_command(paths, run, spec_dtb, plugin_out):
    """The QEMU argv of one run, from the shared command builder."""
    extra = []
    if run.mode == "stcg":
        extra += ["-accel", "tcg,thread=single"]
    if run.mode == "plugin":
        extra += ["-plugin", f"{paths.plugin},outfile={plugin_out}"]
    append = BASE_APPEND + (" tessera.pmu=user" if run.mode == "icount" else "")
    return tessera_qemu.qemu_command(paths.image, smp=run.smp, mem_mib=MEM_MIB,
                                     append=append, spec_dtb=spec_dtb,
                                     icount=run.mode == "icount", extra=extra)


def run_guest(cmd, cwd, timeout):
    """Run QEMU with its console captured: (exit status, text), or None for
    the status when it was still running after `timeout` seconds (0: no limit)."""
    try:
        done = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout or None, check=False)
    except subprocess.TimeoutExpired as expired:
        return None, (expired.stdout or b"").decode("utf-8", "replace")
    return done.returncode, done.stdout.decode("utf-8", "replace")


def boot(paths, run, timeout):
    """Boot one run; return the parsed output and the plugin's file text."""
    spec_dtb = write_spec(paths.out, run.busy)
    plugin_out = paths.out / f"{run.stem}.insncount"
    if plugin_out.exists():
        plugin_out.unlink()  # never read a previous run's counts
    status, text = run_guest(run_command(paths, run, spec_dtb, plugin_out), paths.root, timeout)
    log = paths.out / f"{run.stem}.log"
    log.write_text(text, encoding="utf-8")
    where = f"(console in {os.path.relpath(log)})"
    if status is None:
        raise BenchError(f"{run.label}: guest still running after {timeout:g} s (timeout) {where}")
    if status != 0:
        raise BenchError(f"{run.label}: guest exited with status {status} {where}")
    output = bench_stats.parse_guest_output(text)
    if not output.samples:
        raise BenchError(f"{run.label}: the guest printed no samples {where}")
    if run.mode != "plugin":
        return output, None
    if not plugin_out.is_file():
        raise BenchError(f"{run.label}: the plugin wrote no {os.path.relpath(plugin_out)}")
    return output, plugin_out.read_text(encoding="utf-8")


def run_results(run, output, plugin_text):
    """The result records of one boot, instructions paired in by mode."""
    insns_of = None
    if plugin_text is not None:
        windows, totals = bench_stats.parse_plugin_output(plugin_text)
        matched = bench_stats.match_windows(output.samples, windows, totals)
        insns_of = bench_stats.window_instructions(matched)
    elif run.mode == "icount":
        insns_of = pmu_instructions
    results = bench_stats.collect_results(run.mode, run.busy, output, insns_of)
    if run.side_by_side:
        return [bench_stats.aggregate_record(results, SIDE_BY_SIDE_BENCHMARK, "rt/s",
                                             SIDE_BY_SIDE_NAME)]
    return results


def pmu_instructions(_, sample):
    """icount: the guest's PMU gives the sample's EL0+EL1 instructions."""
    if sample.pmu is None:
        raise BenchError(f"console line {sample.line}: pmu=- under icount "
                         "(did the kernel get tessera.pmu=user?)")
    return sample.pmu, None, None


def measure(paths, runs, timeout, progress):
    """Boot every run; return (results, the kernels' image digest)."""
    results, digests = [], set()
    for run in runs:
        started = time.monotonic()
        output, plugin_text = boot(paths, run, timeout)
        try:
            results += run_results(run, output, plugin_text)
        except BenchError as err:
            raise BenchError(f"{run.label}: {err}") from None
        unfinished = sorted({s.core for s in output.samples} - output.done)
        if unfinished:  # exit status 0 says it ended well; still, say so
            progress(f"bench: warning: {run.label}: no 'bench: done' line from core "
                     f"{', '.join(map(str, unfinished))}")
        digests |= {output.digest} - {None}
        if len(digests) > 1:
            raise BenchError(f"{run.label}: kernels report different image digests "
                             f"({', '.join(sorted(digests))})")
        progress(f"bench: {run.label} ... {time.monotonic() - started:.0f} s")
    return results, next(iter(digests), None)


# --- The command ----------------------------------------------------------------

def qemu_version():
    """QEMU's first --version line, e.g. 'QEMU emulator version 7.2.22 (...)'."""
    try:
        out = subprocess.run([tessera_qemu.QEMU, "--version"], capture_output=True,
                             text=True, check=False).stdout
    except FileNotFoundError:
        return None
    return out.splitlines()[0].strip() if out.strip() else None


def machine_info(flavour, digest):
    """The JSON "machine" object: where and on what the figures were taken."""
    return {"host": platform.node(), "host_cpus": os.cpu_count(), "qemu": qemu_version(),
            "build": flavour, "kernel_digest": digest}


def add_options(command, option_type, parse_timeout):
    """bench's options, on the subparser tools/tessera.py made; it lends its
    argparse adapter and timeout parser so every command reads alike."""
    command.add_argument("--quick", action="store_true",
                         help="modes mttcg, plugin and icount, cores 1,4: under two minutes")
    command.add_argument("--cores", type=option_type(parse_cores), metavar="LIST",
                         help="busy-core counts, e.g. 1,2,4 (default 1,2,3,4; --quick 1,4)")
    command.add_argument("--modes", type=option_type(parse_modes), action="append",
                         metavar="LIST",
                         help=f"some of {','.join(MODES)} (default all; --quick "
                              f"{','.join(QUICK_MODES)}); mttcg adds the side-by-side "
                              "runs on -smp 2")
    command.add_argument("--json", metavar="FILE",
                         help="results file (default build/FLAVOUR/bench/bench.json)")
    command.add_argument("--plot", metavar="FILE",
                         help="plot, PNG (default build/FLAVOUR/bench/bench.png)")
    command.add_argument("--timeout", type=option_type(parse_timeout),
                         default=DEFAULT_TIMEOUT_S, metavar="S",
                         help=f"seconds one boot may take (default {DEFAULT_TIMEOUT_S}; "
                              "0: no limit)")


def cmd_bench(args, root, build, progress=None):
    """Run the benchmarks of one build; print the table; write JSON and plot."""
    progress = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    paths = Paths(Path(root), Path(build))
    modes = chosen_modes(args)
    runs = plan_runs(modes, args.cores or (QUICK_CORES if args.quick else DEFAULT_CORES))
    check_built(paths, runs)
    results, digest = measure(paths, runs, args.timeout, progress)
    json_path = Path(args.json) if args.json else paths.out / "bench.json"
    plot_path = Path(args.plot) if args.plot else paths.out / "bench.png"
    bench_report.write_json(json_path, machine_info(args.flavour, digest), modes, results)
    bench_report.plot(results, plot_path)
    sys.stdout.write(bench_report.format_table(results))
    progress(f"bench: results in {os.path.relpath(json_path)}, plot in "
             f"{os.path.relpath(plot_path)}")
    return 0
