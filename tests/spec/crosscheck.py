#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""The C planner against the Python one, as TAP.

The boot-time partitioner plans with boot/partitioner/plan*.c; the build plans with
tools/spec.py. They must agree byte for byte on every refusal line and on every plan,
so that what `spec show` prints is what the machine boots. This runs the host build of
the C planner (tests/unit/test_plan) on:

- every bad fixture: its line must be the fixture's `// expect:` line (the `syntax`
  fixture is dtc's business: it only asserts that dtc refuses it);
- every good fixture on each of its `// machine:` lines, and specs/default.dts on the
  machine matrix of run_fixtures.py: the C plan JSON must equal spec.py's;
- the random specs on random machines of test_planner.py (same seeds, same
  generator): the fabricated machines are written out as DTBs (a QEMU dump with its
  RAM and CPUs rewritten), the specs as DTBs through libfdt, and both planners must
  give the same plan or the same refusal line.

Usage: crosscheck.py --test-plan BUILD/tests/unit/test_plan --cache DIR [--count N]
"""

import argparse
import collections
import dataclasses
import itertools
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(HERE))
import libfdt  # noqa: E402
import run_fixtures  # noqa: E402
import spec  # noqa: E402
import test_planner  # noqa: E402


# Outcomes: ("plan", canonical JSON text) or ("refused", line) or ("error", text) --------

def canonical(data):
    """JSON text that keeps key order, so that order differences count too."""
    return json.dumps(data)


def python_outcome(tree, machine, known):
    """spec.py's answer for a spec tree on a Machine."""
    try:
        parsed = spec.spec_parse(tree, spec.Report())
        return "plan", canonical(spec.plan_to_json(spec.plan_system(parsed, machine, known)))
    except spec.SpecError as e:
        return "refused", str(e)
    except spec.MachineError as e:
        return "refused", f"spec: machine: {e}"


def c_outcome(binary, spec_dtb, machine_dtb, known):
    """test_plan's answer for the same blobs."""
    cmd = [binary, str(spec_dtb), str(machine_dtb)]
    if known is not None:
        cmd += ["--programs", ",".join(sorted(known))]
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if run.returncode == 0:
        try:
            return "plan", canonical(json.loads(run.stdout))
        except json.JSONDecodeError as e:
            return "error", f"not JSON ({e}): {run.stdout[:200]}"
    if run.returncode in (1, 2) and run.stderr.count("\n") == 1:
        return "refused", run.stderr.strip()
    return "error", f"exit {run.returncode}: {run.stderr.strip()[:500]}"


def first_difference(a, b):
    """Where two JSON texts part, for a readable failure."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"at {i}: C ...{a[max(0, i - 60):i + 40]}... spec.py ...{b[max(0, i - 60):i + 40]}..."
    return f"lengths {len(a)} and {len(b)}"


def compare(c, py):
    """None when both planners agree, else what differs."""
    if c == py:
        return None
    if c[0] == py[0] == "plan":
        return "plans differ " + first_difference(c[1], py[1])
    return f"C: {c[0]}: {c[1][:300]} / spec.py: {py[0]}: {py[1][:300]}"


# Blobs -------------------------------------------------------------------------------

def tree_to_dtb(tree):
    """A {path: Node} tree as a DTB, through libfdt (children in the tree's order)."""
    fdt = libfdt.Fdt.create_empty_tree(1 << 16)

    def fill(path, offset):
        for name, value in tree[path].props.items():
            fdt.setprop(offset, name, value)
        # fdt_add_subnode puts a new node first among its siblings: add the last first.
        for child in reversed(tree[path].children):
            fill(child, fdt.add_subnode(offset, tree[child].name))

    fill("/", 0)
    fdt.pack()
    return bytes(fdt.as_bytearray())


def u64(value):
    return value.to_bytes(8, "big")


def fabricate_machine(template_blob, ram_size, smp):
    """A QEMU dump with the RAM size and the CPU count of a fabricated Machine."""
    fdt = libfdt.Fdt(bytearray(template_blob))
    fdt.resize(len(template_blob) + (1 << 14))
    mem = fdt.path_offset("/memory@40000000")
    base = int.from_bytes(bytes(fdt.getprop(mem, "reg"))[:8], "big")
    fdt.setprop(mem, "reg", u64(base) + u64(ram_size))
    cpus = fdt.path_offset("/cpus")
    present = []
    sub = fdt.first_subnode(cpus, quiet=(libfdt.NOTFOUND,))
    while sub >= 0:
        present.append(fdt.get_name(sub))
        sub = fdt.next_subnode(sub, quiet=(libfdt.NOTFOUND,))
    model = fdt.path_offset("/cpus/cpu@0")
    props = {n: bytes(fdt.getprop(model, n)) for n in ("device_type", "compatible", "enable-method")}
    for name in present:
        if name.startswith("cpu@") and int(name[4:], 16) >= smp:
            fdt.del_node(fdt.path_offset(f"/cpus/{name}"))
    for n in range(smp):
        if f"cpu@{n:x}" not in present:
            node = fdt.add_subnode(fdt.path_offset("/cpus"), f"cpu@{n:x}")
            for name, value in props.items():
                fdt.setprop(node, name, value)
            fdt.setprop(node, "reg", n.to_bytes(4, "big"))
    fdt.pack()
    return bytes(fdt.as_bytearray())


def same_machine(dtb, fabricated):
    """The DTB reads back as the fabricated Machine. The CPU and memory nodes aside:
    the fabricated Machine keeps its template's as devices, but they are reserved
    devices, which the random specs never name."""
    got = spec.machine_from_tree(spec.fdt_read(dtb))

    def strip(m):
        return {k: v for k, v in vars(m).items() if k not in ("source", "devices")}, \
            {p: d for p, d in m.devices.items()
             if not p.startswith("/cpus/") and not p.startswith("/memory@")}
    return strip(got) == strip(fabricated)


# Cases -------------------------------------------------------------------------------

class Runner:
    """What every case needs: the C binary, the machine cache, a scratch directory."""

    def __init__(self, binary, cache, tmp):
        self.binary, self.cache, self.tmp = binary, cache, Path(tmp)
        self.counter = itertools.count()  # next() on it is atomic: cases run in threads
        self.outcomes, self.lock = collections.Counter(), threading.Lock()

    def record(self, outcome, family="random"):
        """Count a random case's outcome ("plan" or its rule), for the summary lines."""
        kind = "plan" if outcome[0] == "plan" else outcome[1].split(": ")[2] \
            if outcome[1].count(": ") >= 2 else outcome[0]
        with self.lock:
            self.outcomes[family, kind] += 1

    def scratch(self, name):
        return self.tmp / f"{next(self.counter)}-{name}"

    def compile_spec(self, path):
        out = self.scratch(path.stem + ".dtb")
        spec.dtc_compile(path, out)
        return out

    def machine(self, line):
        """The machine DTB and the known programs that a `// machine:` line names."""
        args = spec.arg_parser().parse_args(["check", "x.dts", *shlex.split(line)])
        known = None if args.programs is None else set(filter(None, args.programs.split(",")))
        if args.machine_dtb and args.machine_dtb.endswith(".dts"):
            out = self.scratch(Path(args.machine_dtb).stem + ".dtb")
            spec.dtc_compile(ROOT / args.machine_dtb, out)
            return out, known
        if args.machine_dtb:
            return ROOT / args.machine_dtb, known
        return spec.machine_dump(self.cache, args.smp, args.mem, args.gic, args.el2), known


def check_bad(runner, path):
    """The C line is exactly the fixture's expected line, exit 1."""
    expect, machines = run_fixtures.header(path)
    if run_fixtures.rule_of(path) == "syntax":
        try:
            runner.compile_spec(path)
        except spec.SyntaxFailure:
            return None
        return "dtc compiled the syntax fixture"
    machine, known = runner.machine(machines[0])
    got = c_outcome(runner.binary, runner.compile_spec(path), machine, known)
    return None if got == ("refused", expect) else f"C gave {got[0]}: {got[1][:300]}"


def check_good(runner, path, line):
    """Both planners give the same plan for a spec that plans."""
    machine, known = runner.machine(line)
    spec_dtb = runner.compile_spec(path)
    py = python_outcome(spec.fdt_read(spec_dtb.read_bytes()), spec.machine_load(machine), known)
    if py[0] != "plan":
        return f"spec.py refused: {py[1]}"
    return compare(c_outcome(runner.binary, spec_dtb, machine, known), py)


def check_random(runner, seed, templates, blobs):
    """test_planner's random case `seed`, through both planners."""
    rng = random.Random(seed)
    machine = test_planner.rand_machine(rng, templates)
    desc = test_planner.rand_spec(rng, machine)
    known = set(test_planner.PROGRAMS) if rng.random() < 0.5 else None
    tree = test_planner.to_tree(desc)
    spec_dtb, machine_dtb = runner.scratch("spec.dtb"), runner.scratch("machine.dtb")
    spec_dtb.write_bytes(tree_to_dtb(tree))
    machine_dtb.write_bytes(fabricate_machine(blobs[machine.gic_version], machine.ram_size,
                                              len(machine.cpus)))
    if spec.fdt_read(spec_dtb.read_bytes()) != tree:
        return "the spec DTB does not read back as the generated tree"
    if not same_machine(machine_dtb.read_bytes(), machine):
        return "the machine DTB does not read back as the fabricated machine"
    py = python_outcome(tree, machine, known)
    runner.record(py)
    return compare(c_outcome(runner.binary, spec_dtb, machine_dtb, known), py)


def rand_name(rng, longest):
    """A name, mostly short, sometimes past the boot info's 31 characters."""
    length = rng.randint(2, 12) if rng.random() < 0.99 else rng.randint(25, longest)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz-") for _ in range(length - 1)) + "x"


def rand_dense_spec(rng, machine):
    """A spec that presses on the capacities: many cores, channels, ports, devices,
    SPIs and programs, long names. In test_planner's desc format."""
    pool = len(machine.cpus) + (1 if rng.random() < 0.2 else 0)
    most = min(pool, 9 if rng.random() < 0.05 else 8)
    regs = rng.sample(range(pool), rng.randint(max(1, most - 2), most))
    devices = [d.path for d in machine.devices.values() if not d.reserved]
    cores = []
    for reg in regs:
        core = {"reg": reg, "memory-rest": True,
                "programs": [rand_name(rng, 40)
                             for _ in range(rng.choices((1, 2, 8, 9), (60, 30, 8, 2))[0])]}
        if rng.random() < 0.3:
            core["devices"] = rng.sample(devices, rng.choices((1, 2, 8, 9), (50, 30, 15, 5))[0])
        if rng.random() < 0.3:
            core["interrupts"] = [rng.randint(32, 200)
                                  for _ in range(rng.choices((1, 10, 32, 40), (40, 40, 15, 5))[0])]
        cores.append(core)
    channels = []
    for i in range(rng.choices((0, 2, 4, 10, 16, 17), (2, 4, 4, 4, 3, 1))[0] if len(regs) > 1 else 0):
        members = rng.sample(regs, len(regs) if rng.random() < 0.5 else rng.randint(2, len(regs)))
        channels.append({"name": f"{rand_name(rng, 36)}{i}", "cores": members,
                         "size": rng.choice((spec.PAGE, 16 * spec.PAGE))})
    return {"adapt": rng.random() < 0.5, "cores": cores, "channels": channels}


def check_dense(runner, seed, templates, blobs):
    """A dense random spec on a machine with 1-12 CPUs, through both planners."""
    rng = random.Random(1_000_000 + seed)
    smp = rng.randint(1, 8) if rng.random() < 0.85 else rng.randint(9, 12)
    machine = dataclasses.replace(rng.choice(templates), cpus=list(range(smp)),
                                  ram_size=rng.choice((512, 1024, 4096)) * spec.MiB)
    desc = rand_dense_spec(rng, machine)
    known = None
    if rng.random() < 0.3:
        known = {p for core in desc["cores"] for p in core["programs"]}
        known = set(rng.sample(sorted(known), max(1, len(known) - rng.randint(0, 1))))
    tree = test_planner.to_tree(desc)
    spec_dtb, machine_dtb = runner.scratch("spec.dtb"), runner.scratch("machine.dtb")
    spec_dtb.write_bytes(tree_to_dtb(tree))
    machine_dtb.write_bytes(fabricate_machine(blobs[machine.gic_version], machine.ram_size, smp))
    if not same_machine(machine_dtb.read_bytes(), machine):
        return "the machine DTB does not read back as the fabricated machine"
    py = python_outcome(tree, machine, known)
    runner.record(py, "dense")
    return compare(c_outcome(runner.binary, spec_dtb, machine_dtb, known), py)


def cases(runner, count):
    """(name, function returning None or what failed), in a stable order."""
    out = []
    for path in sorted((HERE / "bad").glob("*.dts")):
        out.append((f"bad/{path.name}", lambda p=path: check_bad(runner, p)))
    for path in sorted((HERE / "good").glob("*.dts")):
        for line in run_fixtures.header(path)[1]:
            out.append((f"good/{path.name} {line}".rstrip(),
                        lambda p=path, m=line: check_good(runner, p, m)))
    default = ROOT / "specs" / "default.dts"
    for line in run_fixtures.DEFAULT_MATRIX:
        out.append((f"specs/default.dts {line}", lambda m=line: check_good(runner, default, m)))
    paths = {gic: spec.machine_dump(runner.cache, 4, 1024 * spec.MiB, gic, False) for gic in (2, 3)}
    templates = [spec.machine_load(paths[gic]) for gic in (2, 3)]
    blobs = {gic: paths[gic].read_bytes() for gic in (2, 3)}
    for seed in range(count):
        out.append((f"random spec {seed}",
                    lambda s=seed: check_random(runner, s, templates, blobs)))
    for seed in range(count // 2):
        out.append((f"dense random spec {seed}",
                    lambda s=seed: check_dense(runner, s, templates, blobs)))
    return out


def run_case(case):
    name, check = case
    try:
        return name, check()
    except Exception as e:  # a crash in the harness is a failure of that case, not of all
        return name, f"harness error: {type(e).__name__}: {e}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test-plan", required=True, help="the host build of the C planner")
    parser.add_argument("--cache", default=str(spec.DEFAULT_CACHE), help="machine DTB cache")
    parser.add_argument("--count", type=int, default=500, help="random specs (test_planner's seeds)")
    args = parser.parse_args()
    if not shutil.which("qemu-system-aarch64"):
        print("1..1\nnot ok 1 - qemu-system-aarch64 not found: it describes the machines")
        return 0
    os.chdir(ROOT)  # fixture machine lines name files relative to the repository
    with tempfile.TemporaryDirectory() as tmp:
        runner = Runner(str(Path(args.test_plan).resolve()), args.cache, tmp)
        pending_cases = cases(runner, args.count)
        print(f"1..{len(pending_cases)}", flush=True)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = list(pool.map(run_case, pending_cases))
    failed = 0
    for n, (name, error) in enumerate(results, 1):
        print(f"ok {n} - {name}" if error is None else f"not ok {n} - {name}: {error}")
        failed += error is not None
    for family in ("random", "dense"):
        print(f"# {family} outcomes: " + ", ".join(
            f"{k} {v}" for (f, k), v in sorted(runner.outcomes.items()) if f == family))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
