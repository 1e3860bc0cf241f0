# SPDX-License-Identifier: BSD-2-Clause
"""The pure half of the benchmark runner: guest lines in, statistics out.

`./tessera bench` (tools/bench.py) boots the ipcbench program and hands this
module what came back: the console text and, in plugin mode, the file the
instruction-counting plugin wrote. Here those are parsed, each guest sample is
paired with the plugin window that bracketed it, turned into figures (round
trips per second, instructions per round trip, ...) and summarised. Nothing
here starts a process or touches a file, so all of it is unit tested on
synthetic output (tools/test_bench.py). Standard library only.

The guest's lines (one sample each; other console lines are ignored):
    bench: start core=C busy=N freq=F
    bench: name=NAME role=ROLE core=C busy=N peer=P iters=I bytes=B ticks=T pmu=X
    bench: done core=C
The plugin's lines (tools/insncount):
    window vcpu=V index=K el0=N el1=M
    total vcpu=V el0=N el1=M windows=W errors=E
"""

import re
import statistics
from dataclasses import dataclass

BENCH_RE = re.compile(r"\bbench: (.*)$")
DIGEST_RE = re.compile(r"\bcore \d+: up, .*\bimage ([0-9a-f]+)\s*$")
SAMPLE_FIELDS = ("name", "role", "core", "busy", "peer", "iters", "bytes", "ticks", "pmu")
EVENT_FIELDS = {"start": ("core", "busy", "freq"), "done": ("core",)}
WINDOW_FIELDS = ("vcpu", "index", "el0", "el1")
TOTAL_FIELDS = ("vcpu", "el0", "el1", "windows", "errors")

# What one iteration of a benchmark is called in its units ("rt/s", "insns/rt").
# A benchmark the runner does not know yet still gets figures, per "iter".
ITERATION_WORDS = {
    "ipc-inter-0w": "rt", "ipc-inter-4w": "rt", "ipc-intra-0w": "rt", "ipc-intra-4w": "rt",
    "ntfn-latency": "handoff", "chan-pingpong": "rt", "chan-stream": "msg", "chan-burst": "msg",
}
RATE_UNITS = {"rt": "rt/s", "handoff": "handoffs/s", "msg": "msgs/s", "iter": "iters/s"}
# Roles whose time figures would only repeat their partner's (a pong's round
# trips are its ping's): they get instruction counts only.
UNTIMED_ROLES = {("chan-pingpong", "pong")}
RESULT_KEYS = ("benchmark", "mode", "cores_busy", "core", "peer", "unit",
               "median", "min", "max", "stddev", "samples")


class BenchError(Exception):
    """A failure of a benchmark run, reported as one line."""


@dataclass(frozen=True)
class Sample:
    """One `bench: name=...` line; peer and pmu are None where the guest printed '-'."""
    name: str
    role: str
    core: int
    busy: int
    peer: object
    iters: int
    bytes: int
    ticks: int
    pmu: object
    line: int  # 1-based line number in the console output, for messages

    @property
    def benchmark(self):
        """The result's name: the role is part of it unless it is 'main'."""
        return self.name if self.role == "main" else f"{self.name}-{self.role}"


@dataclass
class GuestOutput:
    """What a boot of ipcbench printed that the runner uses."""
    samples: list
    freqs: dict   # core -> counter frequency in Hz, from its start line
    done: set     # cores that printed their done line
    digest: object  # the kernels' image digest, or None if no "up" line was seen


@dataclass(frozen=True)
class Window:
    """One plugin window: instructions at EL0 and EL1 between the markers."""
    el0: int
    el1: int

    @property
    def total(self):
        return self.el0 + self.el1


# --- Parsing ------------------------------------------------------------------

def parse_fields(text, where):
    """`key=value` words into a dict; anything else is a malformed line."""
    fields = {}
    for word in text.split():
        key, sep, value = word.partition("=")
        if not sep or not key or key in fields:
            raise BenchError(f"{where}: malformed word {word!r}")
        fields[key] = value
    return fields


def whole(fields, key, where, optional=False):
    """A non-negative integer field; '-' is None where optional allows it."""
    text = fields.get(key)
    if text is None:
        raise BenchError(f"{where}: {key}= is missing")
    if optional and text == "-":
        return None
    if not text.isdigit():
        raise BenchError(f"{where}: {key}={text} is not a whole number")
    return int(text)


def parse_sample(fields, where, number):
    """A sample line's fields, checked, as a Sample."""
    missing = [key for key in SAMPLE_FIELDS if key not in fields]
    if missing:
        raise BenchError(f"{where}: {', '.join(k + '=' for k in missing)} missing")
    sample = Sample(name=fields["name"], role=fields["role"],
                    core=whole(fields, "core", where), busy=whole(fields, "busy", where),
                    peer=whole(fields, "peer", where, optional=True),
                    iters=whole(fields, "iters", where), bytes=whole(fields, "bytes", where),
                    ticks=whole(fields, "ticks", where),
                    pmu=whole(fields, "pmu", where, optional=True), line=number)
    if sample.iters == 0 or sample.ticks == 0:
        raise BenchError(f"{where}: a sample needs iters and ticks above 0")
    return sample


def parse_guest_output(text):
    """Parse a console capture; lines that are not ipcbench's are skipped.

    A line that starts like ipcbench's but does not parse is an error rather
    than noise: a half-understood sample would silently skew the results.
    """
    out = GuestOutput(samples=[], freqs={}, done=set(), digest=None)
    for number, line in enumerate(text.splitlines(), 1):
        digest = DIGEST_RE.search(line)
        if digest:
            if out.digest not in (None, digest.group(1)):
                raise BenchError(f"console line {number}: kernels report different image "
                                 f"digests ({out.digest}, {digest.group(1)})")
            out.digest = digest.group(1)
        match = BENCH_RE.search(line.rstrip("\r"))
        if match:
            parse_bench_line(match.group(1), f"console line {number}", number, out)
    return out


def parse_bench_line(text, where, number, out):
    """One `bench:` line's content into `out`."""
    event, _, rest = text.partition(" ")
    if event in EVENT_FIELDS:
        fields = parse_fields(rest, where)
        values = {key: whole(fields, key, where) for key in EVENT_FIELDS[event]}
        if event == "start":
            if values["freq"] == 0:
                raise BenchError(f"{where}: freq=0")
            out.freqs[values["core"]] = values["freq"]
        else:
            out.done.add(values["core"])
    else:
        out.samples.append(parse_sample(parse_fields(text, where), where, number))


def parse_plugin_output(text):
    """The plugin's file as ({vcpu: [Window, ...]}, {vcpu: (windows, errors)}).

    Windows must come in index order from 0 on each vCPU: a gap means a lost
    line, and then no sample could be matched to the right window.
    """
    windows, totals = {}, {}
    for number, line in enumerate(text.splitlines(), 1):
        kind, _, rest = line.strip().partition(" ")
        where = f"plugin output line {number}"
        if kind == "window":
            fields = parse_fields(rest, where)
            vcpu, index, el0, el1 = (whole(fields, k, where) for k in WINDOW_FIELDS)
            seen = windows.setdefault(vcpu, [])
            if index != len(seen):
                raise BenchError(f"{where}: vcpu {vcpu} window {index} follows window "
                                 f"{len(seen) - 1}")
            seen.append(Window(el0, el1))
        elif kind == "total":
            fields = parse_fields(rest, where)
            vcpu, _, _, count, errors = (whole(fields, k, where) for k in TOTAL_FIELDS)
            totals[vcpu] = (count, errors)
        elif line.strip():
            raise BenchError(f"{where}: unknown line {line.strip()!r}")
    return windows, totals


# --- Pairing samples with windows ---------------------------------------------

def match_windows(samples, windows, totals):
    """The plugin window of each sample, in the order of `samples`.

    Each sample line is bracketed by exactly one window on its own core, and a
    core is its vCPU on QEMU virt; so the K-th sample a core printed is window
    K of that vCPU. Any disagreement in number, or a marker error the plugin
    counted, means the pairing cannot be trusted: that is an error.
    """
    by_core = {}
    for sample in samples:
        by_core.setdefault(sample.core, []).append(sample)
    for core, printed in sorted(by_core.items()):
        have = windows.get(core, [])
        if len(have) != len(printed):
            raise BenchError(f"plugin: vcpu {core} has {len(have)} windows but core {core} "
                             f"printed {len(printed)} samples")
        count, errors = totals.get(core, (len(have), 0))
        if errors or count != len(have):
            raise BenchError(f"plugin: vcpu {core} reports {errors} marker errors and "
                             f"{count} windows ({len(have)} listed)")
    position = {core: 0 for core in by_core}
    matched = []
    for sample in samples:
        matched.append(windows[sample.core][position[sample.core]])
        position[sample.core] += 1
    return matched


def window_instructions(matched):
    """For collect_results(): the i-th sample's (total, el0, el1) from the
    window match_windows() paired with it."""
    def insns_of(i, _sample):
        return matched[i].total, matched[i].el0, matched[i].el1
    return insns_of


# --- Figures and statistics ---------------------------------------------------

def sample_figures(sample, freq, insns=None):
    """The figures one sample gives, as [(unit, value)].

    `insns` is (total, el0, el1) instructions of the sample (el0 and el1 may
    be None when only the total is known, as from the PMU), or None when the
    mode does not count instructions.
    """
    word = ITERATION_WORDS.get(sample.name, "iter")
    figures = []
    # Rates as iters * freq / ticks: one rounding, so exact numbers stay exact.
    if (sample.name, sample.role) not in UNTIMED_ROLES:
        figures.append((RATE_UNITS[word], sample.iters * freq / sample.ticks))
    if sample.name == "chan-pingpong":
        if sample.role == "ping":
            figures.append((f"ns/{word}", sample.ticks * 1e9 / (freq * sample.iters)))
    elif sample.name in ("chan-stream", "chan-burst"):
        figures.append(("bytes/s", sample.iters * sample.bytes * freq / sample.ticks))
    if insns is not None:
        total, el0, el1 = insns
        figures.append((f"insns/{word}", total / sample.iters))
        if el0 is not None:
            figures.append((f"el0 insns/{word}", el0 / sample.iters))
            figures.append((f"el1 insns/{word}", el1 / sample.iters))
    return figures


def summarise(values):
    """samples, min, median, max and the population standard deviation (the
    samples are the whole run measured, not a draw to generalise from)."""
    if not values:
        raise BenchError("no values to summarise")
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "stddev": statistics.pstdev(values), "samples": len(values)}


def collect_results(mode, busy, output, insns_of=None):
    """Result records for one boot: one per (benchmark, core, peer, unit).

    `insns_of(i, sample)` gives the instructions of the i-th sample, or is None.
    Each sample's counter frequency is its core's (or, if that core printed no
    start line, any core's: the counter is system-wide).
    """
    if not output.samples:
        raise BenchError("the guest printed no samples")
    groups = {}
    for i, sample in enumerate(output.samples):
        if sample.busy != busy:
            raise BenchError(f"console line {sample.line}: busy={sample.busy}, "
                             f"but {busy} cores were busy")
        freq = output.freqs.get(sample.core) or next(iter(output.freqs.values()), None)
        if not freq:
            raise BenchError("no 'bench: start' line gives the counter frequency")
        insns = insns_of(i, sample) if insns_of else None
        for unit, value in sample_figures(sample, freq, insns):
            key = (sample.benchmark, sample.core, sample.peer, unit)
            groups.setdefault(key, []).append(value)
    return [result_record(mode, busy, key, values) for key, values in groups.items()]


def result_record(mode, busy, key, values):
    """A result with exactly RESULT_KEYS, in that order."""
    benchmark, core, peer, unit = key
    record = {"benchmark": benchmark, "mode": mode, "cores_busy": busy, "core": core,
              "peer": peer, "unit": unit}
    record.update(summarise(values))
    return record


def aggregate_record(results, benchmark, unit, name):
    """Several cores' results of one run as one: the sum over cores.

    median, min and max are the sums of the cores' medians, minima and maxima;
    stddev is the root of the summed variances (the cores measured side by
    side, taken as independent); samples is the fewest any core gave.
    """
    parts = [r for r in results if r["benchmark"] == benchmark and r["unit"] == unit]
    if not parts:
        raise BenchError(f"no {benchmark} {unit} results to add up")
    record = {"benchmark": name, "mode": parts[0]["mode"],
              "cores_busy": parts[0]["cores_busy"], "core": None, "peer": None, "unit": unit}
    record.update({"median": sum(r["median"] for r in parts),
                   "min": sum(r["min"] for r in parts), "max": sum(r["max"] for r in parts),
                   "stddev": sum(r["stddev"] ** 2 for r in parts) ** 0.5,
                   "samples": min(r["samples"] for r in parts)})
    return record
