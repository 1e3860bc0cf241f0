#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Planner properties, as TAP: for random specs on random machines, a plan is either
refused with a known rule, or every region is disjoint, aligned and inside RAM.

The boot-time partitioner mirrors tools/spec.py, so these properties are the ones its
C code must keep too. Machines are fabricated from one QEMU dump per GIC version (RAM
size and CPU count replaced), so hundreds of machines cost two QEMU runs. Specs are
built as device trees in memory (the same {path: Node} structure the FDT layer
reads); a few are also written as .dts and planned through dtc and the CLI, to show
that both routes agree. Also pins the default spec's plan on the default machine.
"""

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import spec  # noqa: E402
from spec import BLOCK, MiB, PAGE, Node  # noqa: E402

PROGRAMS = ("hello", "console", "net", "blk")
LINE = re.compile(r"^spec: (/[^:]*): ([a-z-]+): \S.*$")


# Random specs --------------------------------------------------------------------------

def rand_size(rng, big):
    """A memory size, mostly whole 2 MiB blocks, sometimes broken on purpose."""
    size = rng.randrange(0, big // BLOCK + 1) * BLOCK
    roll = rng.random()
    if roll < 0.03:
        return size + PAGE                  # misaligned
    if roll < 0.05:
        return rng.choice((0, BLOCK))       # too small
    return size


def rand_core(rng, reg, machine, budget):
    """One core's properties as a dict of Python values (rendered twice below)."""
    ram_end = machine.ram_base + machine.ram_size
    core = {"reg": reg, "programs": rng.sample(PROGRAMS + ("shell",), rng.randint(1, 2))}
    kind = rng.choices(("rest", "size", "range"), (5, 3, 2))[0]
    if kind == "size":
        core["memory-size"] = rand_size(rng, budget)
    elif kind == "range":
        size = rand_size(rng, budget)
        blocks = machine.ram_size // BLOCK
        low = blocks // 2 if rng.random() < 0.8 else 0   # mostly clear of the reserve
        base = machine.ram_base + rng.randrange(low, blocks) * BLOCK
        core["memory-range"] = (min(base, ram_end - size) if rng.random() < 0.9 else base, size)
    else:
        core["memory-rest"] = True
    if rng.random() < 0.3:
        names = [d.path for d in machine.devices.values() if not d.reserved]
        names += ["arm,pl011", "arm,pl031", "/nope", "virtio,mmio", "/intc@8000000"]
        core["devices"] = rng.sample(names, rng.randint(1, 2))
    if rng.random() < 0.2:
        core["interrupts"] = [rng.randint(32, 64) if rng.random() < 0.9 else rng.randint(0, 1100)
                              for _ in range(rng.randint(1, 3))]
    return core


def rand_spec(rng, machine):
    """A random spec: cores (sometimes repeated or absent), memory kinds, channels."""
    cpus = len(machine.cpus) if rng.random() < 0.85 else 9
    regs = rng.sample(range(cpus), rng.randint(1, cpus))
    if rng.random() < 0.05:
        regs.append(regs[0])                # a core listed twice
    budget = machine.ram_size // (len(regs) + 1)
    cores = [rand_core(rng, r, machine, budget) for r in regs]
    channels = []
    for i in range(rng.choices((0, 1, 2, 4, 8), (2, 3, 2, 2, 1))[0] if len(regs) > 1 else 0):
        wanted = rng.choice((2, 2, 2, 3, 4)) if rng.random() < 0.97 else 1
        members = rng.sample(regs, min(len(regs), wanted))
        if rng.random() < 0.03:
            members.append(rng.randint(0, 9))
        size = rng.choice((PAGE, 16 * PAGE, 64 * 1024, rng.randint(0, 64) * PAGE, 2 * MiB)
                          if rng.random() < 0.95 else (0, 3 * PAGE // 2))
        channels.append({"name": f"ch{i}", "cores": members, "size": size})
    return {"adapt": rng.random() < 0.4, "cores": cores, "channels": channels}


# Rendering: an in-memory tree, and .dts text ---------------------------------------------

def cells(*values):
    return b"".join(v.to_bytes(4, "big") for v in values)


def u64(value):
    return cells(value >> 32, value & 0xFFFFFFFF)


def strings(items):
    return b"".join(s.encode() + b"\0" for s in items)


def core_props(core):
    """A core dict as raw device-tree properties."""
    props = {"compatible": strings(["tessera,core"]), "reg": cells(core["reg"]),
             "programs": strings(core["programs"])}
    if "memory-rest" in core:
        props["memory-rest"] = b""
    if "memory-size" in core:
        props["memory-size"] = u64(core["memory-size"])
    if "memory-range" in core:
        props["memory-range"] = u64(core["memory-range"][0]) + u64(core["memory-range"][1])
    if "devices" in core:
        props["devices"] = strings(core["devices"])
    if "interrupts" in core:
        props["interrupts"] = cells(*core["interrupts"])
    return props


def to_tree(desc):
    """The spec as the {path: Node} structure that spec.fdt_read produces."""
    root = {"compatible": strings(["tessera,system-v1"])}
    if desc["adapt"]:
        root["tessera,adapt-to-machine"] = b""
    tree = {"/": Node("/", root, ["/cores"]), "/cores": Node("/cores")}
    for i, core in enumerate(desc["cores"]):
        path = f"/cores/core{i}@{core['reg']:x}"
        tree[path] = Node(path, core_props(core))
        tree["/cores"].children.append(path)
    if desc["channels"]:
        tree["/"].children.append("/channels")
        tree["/channels"] = Node("/channels")
    for ch in desc["channels"]:
        path = f"/channels/{ch['name']}"
        tree[path] = Node(path, {"compatible": strings(["tessera,channel"]),
                                 "cores": cells(*ch["cores"]), "size": u64(ch["size"])})
        tree["/channels"].children.append(path)
    return tree


def dts_value(raw):
    """Raw property bytes as a dts value: cells, or a byte string when not cell-sized."""
    if len(raw) % 4:
        return "[" + " ".join(f"{b:02x}" for b in raw) + "]"
    return "<" + " ".join(f"0x{c:x}" for c in spec.prop_u32s(raw)) + ">"


def to_dts(tree):
    """The same tree as .dts text, written the way a person would for strings."""
    def node(path, depth):
        tab = "\t" * depth
        name = "/" if path == "/" else path.rsplit("/", 1)[1]
        lines = [f"{tab}{name} {{"]
        for key, raw in tree[path].props.items():
            text = spec.prop_strings(raw) if key in ("compatible", "programs", "devices") else None
            value = ", ".join(f'"{s}"' for s in text) if text else dts_value(raw)
            lines.append(f"{tab}\t{key};" if raw == b"" else f"{tab}\t{key} = {value};")
        for child in tree[path].children:
            lines += node(child, depth + 1)
        return lines + [f"{tab}}};"]
    return "/dts-v1/;\n" + "\n".join(node("/", 0)) + "\n"


# Properties ----------------------------------------------------------------------------

def overlaps(a, b):
    return a[0] < b[0] + b[1] and b[0] < a[0] + a[1]


def check_plan(plan):
    """Every property a plan must have; returns the first one broken, or None."""
    reserve = (plan.ram_base, spec.PARTITIONER_RESERVE)
    shared = (plan.shared_base, plan.shared_end - plan.shared_base)
    regions = [(c.reg, (c.base, c.size)) for c in plan.cores]
    if plan.shared_end % BLOCK or plan.shared_base != plan.ram_base + spec.PARTITIONER_RESERVE \
            or plan.system_page != plan.shared_base:
        return "shared area or system page not where the algorithm puts it"
    for reg, r in regions:
        if r[0] % BLOCK or r[1] % BLOCK or r[1] < spec.MIN_CORE_MEMORY:
            return f"core {reg}: {spec.fmt_range(*r)} misaligned or below the minimum"
        if r[0] < plan.ram_base or r[0] + r[1] > plan.ram_end:
            return f"core {reg}: {spec.fmt_range(*r)} outside RAM"
        if overlaps(r, reserve) or overlaps(r, shared):
            return f"core {reg}: {spec.fmt_range(*r)} overlaps the reserve or shared area"
        for reg2, r2 in regions:
            if reg2 > reg and overlaps(r, r2):
                return f"cores {reg} and {reg2} overlap"
    if len({c.reg for c in plan.cores}) != len(plan.cores) or \
            any(c.reg >= len(plan.machine.cpus) for c in plan.cores):
        return "core regs repeated or absent from the machine"
    rest = {c.size for c in plan.cores if c.spec.memory == "rest"}
    if len(rest) > 1:
        return "memory-rest cores got different sizes"
    return check_shared(plan, shared) or check_ports(plan) or check_devices(plan) \
        or check_capacities(plan)


def check_shared(plan, shared):
    """System page, inboxes and channel regions: page aligned, inside the shared area,
    disjoint."""
    spans = [(plan.system_page, spec.SYSTEM_PAGE_SIZE)]
    spans += [(c.inbox, spec.INBOX_SIZE) for c in plan.cores]
    spans += [(ch.base, ch.spec.size) for ch in plan.channels]
    for i, s in enumerate(spans):
        if s[0] % PAGE or s[1] % PAGE or s[1] == 0:
            return f"shared region {spec.fmt_range(*s)} not 4 KiB aligned"
        if s[0] < shared[0] or s[0] + s[1] > shared[0] + shared[1]:
            return f"shared region {spec.fmt_range(*s)} outside the shared area"
        if any(overlaps(s, t) for t in spans[i + 1:]):
            return f"shared region {spec.fmt_range(*s)} overlaps another"
    return None


def check_ports(plan):
    """One port per (channel, source, destination); unique and in range per destination."""
    seen = {(p.dst, p.port) for p in plan.ports}
    if len(seen) != len(plan.ports) or any(p.port >= spec.MAX_PORTS for p in plan.ports):
        return "IPI ports repeated or out of range on a destination"
    want = sorted((ch.spec.name, s, d) for ch in plan.channels for s in ch.cores
                  for d in ch.cores if s != d)
    if sorted((p.channel, p.src, p.dst) for p in plan.ports) != want:
        return "IPI ports do not match the channel members"
    for c in plan.cores:
        if sum((p.src == c.reg) + (p.dst == c.reg) for p in plan.ports) > spec.MAX_PORTS:
            return f"core {c.reg} has more than {spec.MAX_PORTS} ports, sent and received"
    return None


def check_capacities(plan):
    """Everything fits the fixed arrays of the boot info (and of the C planner)."""
    if len(plan.cores) > spec.MAX_CORES or any(c.reg >= spec.MAX_CORES for c in plan.cores) \
            or len(plan.channels) > spec.MAX_CHANNELS:
        return "more cores or channels than the boot info holds"
    for c in plan.cores:
        if len(c.devices) > spec.MAX_CORE_DEVICES or len(c.irqs) > spec.MAX_CORE_IRQS \
                or len(c.spec.programs) > spec.MAX_PROGRAMS:
            return f"core {c.reg}: more devices, SPIs or programs than the boot info holds"
        if any(len(d.path) >= spec.PATH_MAX or len(d.regs) > spec.MAX_DEVICE_REGS
               or len(d.spis) > spec.MAX_DEVICE_SPIS for d in c.devices):
            return f"core {c.reg}: a device the boot info cannot describe"
    return None


def check_devices(plan):
    """No device, device page or SPI belongs to two cores."""
    owner_dev, owner_irq, pages = {}, {}, []
    for c in plan.cores:
        for d in c.devices:
            if owner_dev.setdefault(d.path, c.reg) != c.reg:
                return f"{d.path} given twice"
            for page in spec.device_pages(d):
                if any(r != c.reg and overlaps(page, p) for r, p in pages):
                    return f"{d.path} shares a page with another core's device"
                pages.append((c.reg, page))
        for irq in c.irqs:
            if not spec.SPI_FIRST <= irq <= spec.SPI_LAST or owner_irq.setdefault(irq, c.reg) != c.reg:
                return f"INTID {irq} invalid or given twice"
    return None


# Cases ---------------------------------------------------------------------------------

def rand_machine(rng, templates):
    """A QEMU virt machine with random RAM (256 MiB-4 GiB) and CPUs (1-8)."""
    mem = rng.choice((256, 512, 1024, 2048, 4096, rng.randint(128, 2048) * 2, rng.randint(256, 4096)))
    smp = rng.randint(1, 8)
    return replace(rng.choice(templates), ram_size=mem * MiB, cpus=list(range(smp)),
                   source=f"fabricated -smp {smp} -m {mem}M")


def plan_or_error(desc, machine, known):
    """Plan a random spec; (plan, None) or (None, SpecError)."""
    try:
        parsed = spec.spec_parse(to_tree(desc), spec.Report())
        return spec.plan_system(parsed, machine, known), None
    except spec.SpecError as e:
        return None, e


def random_case(seed, templates, rules):
    """One seeded spec on one seeded machine: refused properly, or a sound plan."""
    rng = random.Random(seed)
    machine = rand_machine(rng, templates)
    desc = rand_spec(rng, machine)
    known = set(PROGRAMS) if rng.random() < 0.5 else None
    plan, error = plan_or_error(desc, machine, known)
    if error is not None:
        rules[error.rule] = rules.get(error.rule, 0) + 1
        if error.rule not in spec.RULES or not LINE.match(str(error)) or "\n" in str(error):
            return f"bad refusal line: {error}"
        return None
    rules["ok"] = rules.get("ok", 0) + 1
    again, _ = plan_or_error(desc, machine, known)
    if json.dumps(spec.plan_to_json(again)) != json.dumps(spec.plan_to_json(plan)):
        return "planning twice gave different plans"
    return check_plan(plan)


def roundtrip_case(seed, templates, paths):
    """The same random spec through dtc and the CLI gives the same plan or refusal."""
    rng = random.Random(seed)
    gic = rng.randrange(len(templates))
    desc = rand_spec(rng, templates[gic])
    plan, error = plan_or_error(desc, templates[gic], None)
    with tempfile.TemporaryDirectory() as tmp:
        dts = Path(tmp) / "random.dts"
        dts.write_text(to_dts(to_tree(desc)))
        run = subprocess.run([sys.executable, str(ROOT / "tools" / "spec.py"), "plan", "--json",
                              str(dts), "--machine-dtb", str(paths[gic])],
                             capture_output=True, text=True, check=False)
    if error is not None:
        return None if run.returncode == 1 and run.stderr.strip() == str(error) else \
            f"in-process refused ({error}), CLI gave {run.returncode}: {run.stderr.strip()}"
    if run.returncode != 0:
        return f"CLI refused what in-process planned: {run.stderr.strip()}"
    got = json.loads(run.stdout)
    return None if got == json.loads(json.dumps(spec.plan_to_json(plan))) else "plans differ"


def default_case(paths):
    """The default spec on the default machine: the numbers docs/spec.md shows."""
    tree = spec.spec_tree(ROOT / "specs" / "default.dts")
    plan = spec.plan_system(spec.spec_parse(tree, spec.Report()), spec.machine_load(paths[0]))
    got = [(c.reg, hex(c.base), c.size // MiB) for c in plan.cores]
    want = [(0, "0x42200000", 246), (1, "0x51800000", 246), (2, "0x60e00000", 246),
            (3, "0x70400000", 246)]
    if got != want:
        return f"cores {got}"
    channels = [(ch.spec.name, hex(ch.base)) for ch in plan.channels]
    if channels != [("console1", "0x42005000"), ("console2", "0x42015000"),
                    ("console3", "0x42025000")]:
        return f"channels {channels}"
    inboxes = [hex(c.inbox) for c in plan.cores]
    if hex(plan.system_page) != "0x42000000" or inboxes != ["0x42001000", "0x42002000",
                                                             "0x42003000", "0x42004000"]:
        return f"system page {hex(plan.system_page)}, inboxes {inboxes}"
    ports = [(p.channel, p.src, p.dst, p.port) for p in plan.ports]
    if ports[:2] != [("console1", 1, 0, 0), ("console1", 0, 1, 0)] or len(ports) != 6:
        return f"ports {ports}"
    small = spec.plan_system(spec.spec_parse(tree, spec.Report()),
                             replace(plan.machine, cpus=[0, 1]))
    if [c.reg for c in small.cores] != [0, 1] or [c.spec.name for c in small.channels] != ["console1"]:
        return "with 2 CPUs the default spec must plan cores 0-1 and console1 only"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=str(spec.DEFAULT_CACHE), help="machine DTB cache")
    parser.add_argument("--count", type=int, default=500, help="random specs to plan")
    parser.add_argument("--roundtrip", type=int, default=12, help="of those, also through dtc")
    args = parser.parse_args()
    if not shutil.which("qemu-system-aarch64"):
        print("1..1\nnot ok 1 - qemu-system-aarch64 not found: it describes the machines")
        return 0
    paths = [spec.machine_dump(args.cache, 4, 1024 * MiB, gic, False) for gic in (2, 3)]
    templates = [spec.machine_load(p) for p in paths]
    rules = {}
    cases = [("default spec plan on -smp 4 -m 1G", lambda: default_case(paths))]
    cases += [(f"random spec {s}", lambda s=s: random_case(s, templates, rules))
              for s in range(args.count)]
    cases += [(f"random spec {s} through dtc and the CLI",
               lambda s=s: roundtrip_case(s, templates, paths)) for s in range(args.roundtrip)]
    cases.append(("the random specs both plan and refuse, for many rules",
                  lambda: None if rules.get("ok", 0) >= args.count // 5 and len(rules) >= 10
                  else f"outcomes too narrow: {rules}"))
    print(f"1..{len(cases)}")
    failed = 0
    for n, (name, case) in enumerate(cases, 1):
        error = case()
        print(f"ok {n} - {name}" if error is None else f"not ok {n} - {name}: {error}")
        failed += error is not None
    print("# outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(rules.items())))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
