#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Tessera system-spec checker and planner (host side).

A system spec is a device-tree source that says which cores run a kernel, how much
memory each gets, which devices and IRQs each owns, the programs each starts, and the
channels (shared regions plus IPI ports) between them. This tool checks a spec against
a machine (the DTB QEMU `virt` would hand the partitioner) and computes the plan: every
core's region, every shared region and every IPI port.

The boot-time partitioner (boot/partitioner/) repeats the same checks and the same
arithmetic in C on the real machine DTB, so this file is written to be mirrored one for
one: a thin FDT reading layer, a machine model, a structural parse of the spec, then a
planner that runs its phases in a fixed order and reports the first refusal as one
stable line `spec: <node>: <rule>: <detail>`. docs/spec.md is the user reference.

Run it with /usr/bin/python3 (Debian's python3-libfdt).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import libfdt

KiB = 1024
MiB = 1024 * KiB

# The planner's constants; boot/partitioner/plan.h uses the same values.
PARTITIONER_RESERVE = 32 * MiB  # RAM start: the DTB QEMU places there and the partitioner
KERNEL_REGION = 2 * MiB         # first 2 MiB of every core region: kernel image and data
MIN_CORE_MEMORY = 4 * MiB       # kernel region plus at least one 2 MiB block for user space
SYSTEM_PAGE_SIZE = 4 * KiB      # first page of the shared area: the console line lock word
INBOX_SIZE = 4 * KiB            # one page of 64-bit port words per core in use
PAGE = 4 * KiB
BLOCK = 2 * MiB
SPI_FIRST, SPI_LAST = 32, 1019

# Capacities: what one core's boot info can carry (multikernel/bootinfo.h). The C
# planner keeps its plan in fixed arrays of these sizes, so a spec that needs more is
# refused here too, by the same rule. Names and paths count their terminating NUL.
MAX_CORES = 8                   # kernels, on CPUs 0-7 (BOOTINFO_MAX_CORES)
MAX_CHANNELS = 16               # channels in a system (BOOTINFO_MAX_SHARED)
MAX_PORTS = 64                  # IPI ports of one core, sent and received (BOOTINFO_MAX_PORTS)
MAX_CORE_DEVICES = 8            # devices of one core (BOOTINFO_MAX_DEVICES)
MAX_CORE_IRQS = 32              # SPIs of one core (BOOTINFO_MAX_IRQS)
MAX_PROGRAMS = 8                # programs of one core (BOOTINFO_MAX_PROGRAMS)
MAX_DEVICE_REGS = 4             # MMIO ranges of one device
MAX_DEVICE_SPIS = 4             # SPIs of one device (BOOTINFO_MAX_DEVICE_IRQS)
NAME_MAX = 32                   # channel and program names (BOOTINFO_NAME_MAX)
PATH_MAX = 64                   # core node paths, device paths (BOOTINFO_PATH_MAX)
MAX_MACHINE_CPUS = 512          # CPUs the machine model reads (QEMU virt's most)

SPEC_COMPATIBLE = "tessera,system-v1"
CORE_COMPATIBLE = "tessera,core"
CHANNEL_COMPATIBLE = "tessera,channel"
MEMORY_PROPS = ("memory-rest", "memory-size", "memory-range")
GIC_VERSIONS = {"arm,cortex-a15-gic": 2, "arm,gic-400": 2, "arm,gic-v3": 3}

# Every rule the checker can report, in check order. The C partitioner uses the same ids.
RULES = (
    "syntax", "not-a-spec", "bad-node", "bad-property", "name-too-long", "too-many-programs",
    "too-many-cores", "too-many-channels", "core-missing", "core-duplicate",
    "memory-misaligned", "memory-outside-ram", "memory-overlap",
    "region-empty", "region-oversized",
    "device-unknown", "device-ambiguous", "device-reserved", "device-unsupported",
    "device-duplicate", "device-shared-page", "too-many-devices",
    "irq-invalid", "irq-duplicate", "too-many-irqs",
    "channel-members", "channel-core", "ports-exhausted",
    "program-missing",
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = REPO_ROOT / "build" / "machines"


# ---------------------------------------------------------------------------------------
# Refusals

class SpecError(Exception):
    """One refusal: the spec node, the rule id and a detail for a human."""

    def __init__(self, node, rule, detail):
        assert rule in RULES, rule
        super().__init__(f"spec: {node}: {rule}: {detail}")
        self.node, self.rule, self.detail = node, rule, detail


class ToolError(Exception):
    """The tool could not do its job (a missing file, QEMU failing): exit status 2."""


class MachineError(ToolError):
    """The machine description could not be produced or read (not the spec's fault)."""


class Report:
    """Collects refusals: raises at the first one, or with `all` keeps going.

    Check functions call fail() and then skip the offending item, so that `--all` can
    list every independent refusal; the default stops at the first, as the partitioner does.
    """

    def __init__(self, all_errors=False):
        self.all_errors = all_errors
        self.errors = []

    def fail(self, node, rule, detail):
        """Record a refusal; in first-error mode this does not return."""
        error = SpecError(node, rule, detail)
        if not self.all_errors:
            raise error
        self.errors.append(error)

    def stop_if_failed(self):
        """End the run after a phase whose results later phases rely on."""
        if self.errors:
            first = self.errors[0]
            first.all = list(self.errors)
            raise first


# ---------------------------------------------------------------------------------------
# Formatting shared by messages and tables

def fmt_size(n):
    """A byte count the way people read it: GiB, MiB or KiB when exact, else bytes."""
    if n and n % (1024 * MiB) == 0:
        return f"{n // (1024 * MiB)} GiB"
    if n and n % MiB == 0:
        return f"{n // MiB} MiB"
    if n and n % KiB == 0:
        return f"{n // KiB} KiB"
    return f"{n} bytes"


def fmt_range(base, size):
    """A half-open physical range [base, base+size) as 0xSTART-0xEND."""
    return f"0x{base:x}-0x{base + size:x}"


def fmt_list(items):
    """A comma separated list, for details that enumerate choices."""
    return ", ".join(str(i) for i in items)


def align_up(n, a):
    return (n + a - 1) // a * a


def align_down(n, a):
    return n // a * a


# ---------------------------------------------------------------------------------------
# FDT layer: a device tree as {path: Node}, in tree order. Both the spec and the machine
# are read through it, and tests build the same structure directly.

@dataclass
class Node:
    path: str
    props: dict = field(default_factory=dict)     # name -> raw bytes
    children: list = field(default_factory=list)  # child paths, in tree order

    @property
    def name(self):
        return self.path.rsplit("/", 1)[-1] or "/"


def child_path(parent, name):
    return ("" if parent == "/" else parent) + "/" + name


def fdt_read(blob):
    """Read a flattened device tree into {path: Node}; raises libfdt.FdtException."""
    fdt = libfdt.FdtRo(bytearray(blob))
    tree = {}

    def walk(offset, path):
        node = tree[path] = Node(path)
        prop = fdt.first_property_offset(offset, quiet=(libfdt.NOTFOUND,))
        while prop >= 0:
            p = fdt.get_property_by_offset(prop)
            node.props[p.name] = bytes(p)
            prop = fdt.next_property_offset(prop, quiet=(libfdt.NOTFOUND,))
        sub = fdt.first_subnode(offset, quiet=(libfdt.NOTFOUND,))
        while sub >= 0:
            node.children.append(child_path(path, fdt.get_name(sub)))
            walk(sub, node.children[-1])
            sub = fdt.next_subnode(sub, quiet=(libfdt.NOTFOUND,))

    walk(fdt.path_offset("/"), "/")
    return tree


def prop_u32s(value):
    """A list of 32-bit cells, or None when the length is not a multiple of 4."""
    if len(value) % 4:
        return None
    return [int.from_bytes(value[i:i + 4], "big") for i in range(0, len(value), 4)]


def prop_strings(value):
    """A string list, or None unless it is one or more non-empty NUL-terminated strings."""
    if not value or value[-1] != 0:
        return None
    try:
        items = value[:-1].decode("ascii").split("\0")
    except UnicodeDecodeError:
        return None
    return items if all(items) else None


def cells_int(cells):
    """Big-endian cells joined into one integer (2 cells make a 64-bit value)."""
    n = 0
    for c in cells:
        n = (n << 32) | c
    return n


def prop_reg(value, address_cells, size_cells):
    """A reg property as [(base, size)]; None when its length does not fit the cells.

    Addresses and sizes are at most 2 cells (64 bits), as the C planner reads them; a
    node whose parent says more (a PCI bus) has no usable reg."""
    cells = prop_u32s(value)
    step = address_cells + size_cells
    if cells is None or step == 0 or len(cells) % step or address_cells > 2 or size_cells > 2:
        return None
    return [(cells_int(cells[i:i + address_cells]),
             cells_int(cells[i + address_cells:i + step])) for i in range(0, len(cells), step)]


def cells_of(tree, path, name, default):
    """#address-cells / #size-cells of a node, with the device-tree defaults."""
    value = prop_u32s(tree[path].props.get(name, b""))
    return value[0] if value else default


def parent_of(path):
    return path.rsplit("/", 1)[0] or "/"


# ---------------------------------------------------------------------------------------
# The machine: what the planner needs from the machine DTB, and nothing else. Tests may
# build a Machine directly (see dataclasses.replace) to cover many machines without QEMU.

@dataclass
class MachineDevice:
    path: str
    compatible: tuple
    regs: list          # [(base, size)] as in the node's reg (parent's address space)
    spis: list          # INTIDs of its GIC SPIs
    reserved: str = ""  # why no core may own it ("" when it can be given away)


@dataclass
class Machine:
    ram_base: int
    ram_size: int
    cpus: list          # CPU reg (MPIDR affinity) values, ascending; index = core reg
    gic_version: int
    devices: dict       # path -> MachineDevice, every node with a reg
    source: str = "machine"
    gicd: tuple = (0, 0)    # GIC distributor (base, size)
    gicc: tuple = (0, 0)    # GICv2 CPU interface; (0, 0) on GICv3
    gicr: tuple = (0, 0)    # GICv3 redistributors (the first region); (0, 0) on GICv2
    timer_intid: int = 0    # EL1 physical timer PPI as an INTID; 0 when not described
    psci: str = "none"      # PSCI conduit: "hvc", "smc" or "none"


def machine_ram(tree):
    """The first memory node's path and its first reg range (RAM base, size)."""
    ac, sc = cells_of(tree, "/", "#address-cells", 2), cells_of(tree, "/", "#size-cells", 1)
    for path in tree["/"].children:
        node = tree[path]
        if node.name.startswith("memory@") or node.props.get("device_type") == b"memory\0":
            regs = prop_reg(node.props.get("reg", b""), ac, sc)
            if regs and regs[0][0] + regs[0][1] >= 1 << 64:
                raise MachineError(f"{path}: RAM {fmt_range(*regs[0])} does not end "
                                   "below 2^64")
            if regs:
                return path, regs[0]
    raise MachineError("no /memory node with a reg")


def machine_cpus(tree):
    """CPU reg values of /cpus/cpu@* nodes, ascending."""
    if "/cpus" not in tree:
        raise MachineError("no /cpus node")
    ac = cells_of(tree, "/cpus", "#address-cells", 1)
    if ac > 2:
        raise MachineError(f"/cpus: #address-cells is {ac}; at most 2 are read")
    cpus = []
    for path in tree["/cpus"].children:
        node = tree[path]
        reg = prop_u32s(node.props.get("reg", b""))
        if node.name.startswith("cpu@") and reg:
            cpus.append(cells_int(reg[:ac]))
    if not cpus:
        raise MachineError("no /cpus/cpu@ nodes")
    if len(cpus) > MAX_MACHINE_CPUS:
        raise MachineError(f"{len(cpus)} CPUs; the planner reads at most {MAX_MACHINE_CPUS}")
    return sorted(cpus)


def machine_gic_regs(tree, gic_path, version):
    """(distributor, CPU interface, redistributors) from the GIC's reg: a GICv2 lists
    GICD then GICC, a GICv3 GICD then its (first) redistributor region."""
    node = tree[gic_path]
    parent = parent_of(gic_path)
    regs = prop_reg(node.props.get("reg", b""), cells_of(tree, parent, "#address-cells", 2),
                    cells_of(tree, parent, "#size-cells", 1)) or []
    if len(regs) < 2:
        second = "CPU interface" if version == 2 else "redistributors"
        raise MachineError(f"{gic_path}: reg must give the distributor and the {second}")
    if version == 2:
        return regs[0], regs[1], (0, 0)
    return regs[0], (0, 0), regs[1]


def node_compatible_with(node, names):
    """Whether one of the node's compatible strings is in names."""
    return any(c in names for c in prop_strings(node.props.get("compatible", b"")) or [])


TIMER_COMPATIBLE = ("arm,armv8-timer", "arm,armv7-timer")
PSCI_COMPATIBLE = ("arm,psci", "arm,psci-0.2", "arm,psci-1.0")


def machine_timer(tree):
    """The EL1 physical timer's INTID: the second `interrupts` entry of the first
    architected-timer node, a PPI <1 n flags>, is INTID 16 + n. 0 when absent."""
    for node in tree.values():
        if not node_compatible_with(node, TIMER_COMPATIBLE):
            continue
        cells = prop_u32s(node.props.get("interrupts", b""))
        if cells and len(cells) % 3 == 0 and len(cells) >= 6 and cells[3] == 1 and cells[4] < 16:
            return 16 + cells[4]
        return 0
    return 0


def machine_psci(tree):
    """The PSCI conduit ("hvc" or "smc") of the first PSCI node; "none" without one."""
    for node in tree.values():
        if node_compatible_with(node, PSCI_COMPATIBLE):
            method = prop_strings(node.props.get("method", b""))
            return method[0] if method in (["hvc"], ["smc"]) else "none"
    return "none"


def machine_gic(tree):
    """The GIC node's path, phandle and version (from its compatible)."""
    for path, node in tree.items():
        if "interrupt-controller" not in node.props:
            continue
        for compat in prop_strings(node.props.get("compatible", b"")) or []:
            if compat in GIC_VERSIONS:
                phandle = prop_u32s(node.props.get("phandle", b""))
                return path, (phandle[0] if phandle else None), GIC_VERSIONS[compat]
    raise MachineError("no GIC interrupt controller (arm,cortex-a15-gic or arm,gic-v3)")


def interrupt_parent(tree, path):
    """The phandle of a node's interrupt parent, inherited from its ancestors."""
    while True:
        value = prop_u32s(tree[path].props.get("interrupt-parent", b""))
        if value:
            return value[0]
        if path == "/":
            return None
        path = parent_of(path)


def device_spis(tree, path, gic_phandle):
    """INTIDs of a node's GIC SPIs: `interrupts` as 3-cell <type number flags>, type 0."""
    cells = prop_u32s(tree[path].props.get("interrupts", b""))
    if not cells or len(cells) % 3 or interrupt_parent(tree, path) != gic_phandle:
        return []
    return [SPI_FIRST + cells[i + 1] for i in range(0, len(cells), 3) if cells[i] == 0]


def device_reserved(path, ram_path, gic_path):
    """Why a node with a reg cannot be given to a core, or ""."""
    if path == ram_path:
        return "RAM, which the planner divides"
    if path.startswith("/cpus/"):
        return "a CPU, which is given by core reg"
    if path == gic_path or path.startswith(gic_path + "/"):
        return "part of the interrupt controller, which the partitioner keeps"
    return ""


def machine_from_tree(tree, source="machine"):
    """Build the Machine model from a machine device tree."""
    ram_path, (ram_base, ram_size) = machine_ram(tree)
    gic_path, gic_phandle, gic_version = machine_gic(tree)
    devices = {}
    for path, node in tree.items():
        if "reg" not in node.props or path == "/":
            continue
        parent = parent_of(path)
        regs = prop_reg(node.props["reg"], cells_of(tree, parent, "#address-cells", 2),
                        cells_of(tree, parent, "#size-cells", 1)) or []
        devices[path] = MachineDevice(
            path, tuple(prop_strings(node.props.get("compatible", b"")) or ()), regs,
            device_spis(tree, path, gic_phandle),
            device_reserved(path, ram_path, gic_path))
    cpus = machine_cpus(tree)
    gicd, gicc, gicr = machine_gic_regs(tree, gic_path, gic_version)
    return Machine(ram_base, ram_size, cpus, gic_version, devices, source,
                   gicd, gicc, gicr, machine_timer(tree), machine_psci(tree))


def parse_mem(text):
    """A QEMU -m size ("512M", "1G", "2048" = MiB) in bytes."""
    units = {"M": MiB, "G": 1024 * MiB, "T": 1024 * 1024 * MiB}
    text = text.strip().upper().rstrip("B")
    try:
        if text and text[-1] in units:
            return int(text[:-1]) * units[text[-1]]
        return int(text) * MiB
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a memory size: {text!r}") from None


def machine_dtb_name(smp, mem, gic, el2):
    """Cache file name that encodes every parameter of the QEMU machine."""
    return f"virt-gic{gic}-smp{smp}-mem{mem // MiB}M{'-el2' if el2 else ''}.dtb"


def machine_describe(smp, mem, gic, el2):
    """The QEMU machine in words, for headings and errors."""
    return (f"QEMU virt -smp {smp} -m {mem // MiB}M gic-version={gic}"
            + (" virtualization=on" if el2 else ""))


def machine_dump(cache, smp, mem, gic, el2):
    """The DTB QEMU virt would produce for these parameters, dumped once and cached."""
    path = Path(cache) / machine_dtb_name(smp, mem, gic, el2)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    machine = f"virt,gic-version={gic}" + (",virtualization=on" if el2 else "")
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        out = Path(tmp) / path.name
        cmd = ["qemu-system-aarch64", "-M", f"{machine},dumpdtb={out}", "-cpu", "cortex-a72",
               "-smp", str(smp), "-m", f"{mem // MiB}M", "-nographic"]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, check=False)
        except FileNotFoundError:
            raise MachineError("qemu-system-aarch64 not found; give --machine-dtb") from None
        if not out.exists():
            lines = [l.removeprefix("qemu-system-aarch64: ") for l in run.stderr.splitlines()]
            raise MachineError(f"{machine_describe(smp, mem, gic, el2)}: "
                               + (lines[0] if lines else f"QEMU exit {run.returncode}"))
        fdt = libfdt.Fdt(bytearray(out.read_bytes()))
        fdt.pack()  # QEMU pads its dump to 1 MiB
        out.write_bytes(bytes(fdt.as_bytearray()))
        os.replace(out, path)  # atomic: parallel tests may dump the same machine
    return path


def machine_load(path):
    """Read a machine DTB file (or a .dts, compiled by dtc) into the Machine model."""
    try:
        if Path(path).suffix == ".dts":
            with tempfile.TemporaryDirectory() as tmp:
                dtc_compile(path, Path(tmp) / "machine.dtb")
                blob = (Path(tmp) / "machine.dtb").read_bytes()
        else:
            blob = Path(path).read_bytes()
        return machine_from_tree(fdt_read(blob), str(path))
    except SyntaxFailure as e:
        raise MachineError(str(e).removeprefix("spec: ")) from None
    except (OSError, libfdt.FdtException) as e:
        raise MachineError(f"{path}: {e}") from None


# ---------------------------------------------------------------------------------------
# The spec, parsed: the structural phase (not-a-spec, bad-node, bad-property). Values are
# only typed here; what they mean for this machine is checked by the planner.

@dataclass
class CoreSpec:
    node: str
    reg: int
    memory: str         # "rest", "size" or "range"
    base: int           # memory-range base, else 0
    size: int           # memory-size / memory-range size, else 0
    devices: list
    interrupts: list
    programs: list


@dataclass
class ChannelSpec:
    node: str
    name: str
    cores: list         # as written (order and repeats kept for the checks)
    size: int


@dataclass
class Spec:
    model: str
    adapt: bool
    cores: list         # CoreSpec, in tree order
    channels: list      # ChannelSpec, in tree order


ROOT_PROPS = ("compatible", "model", "tessera,adapt-to-machine", "#address-cells", "#size-cells")
CONTAINER_PROPS = ("#address-cells", "#size-cells", "phandle")
CORE_PROPS = ("compatible", "reg") + MEMORY_PROPS + ("devices", "interrupts", "programs", "phandle")
CHANNEL_PROPS = ("compatible", "cores", "size", "phandle")


def spec_check_props(node, known, report):
    """Refuse properties the format does not define, so that typos are not ignored."""
    for name in node.props:
        if name not in known:
            report.fail(node.path, "bad-property",
                        f'unknown property "{name}" (known: {fmt_list(known)})')


def spec_check_compatible(node, expected, report):
    """A core or channel node must say what it is."""
    if prop_strings(node.props.get("compatible", b"")) != [expected]:
        report.fail(node.path, "bad-property", f'compatible must be "{expected}"')
        return False
    return True


def spec_parse_root(tree, report):
    """Root compatible, its flags, and which children it may have."""
    root = tree["/"]
    compat = prop_strings(root.props.get("compatible", b""))
    if not compat or SPEC_COMPATIBLE not in compat:
        found = f'"{fmt_list(compat)}"' if compat else "missing"
        report.fail("/", "not-a-spec", f'root compatible is {found}, expected "{SPEC_COMPATIBLE}"')
        report.stop_if_failed()
    spec_check_props(root, ROOT_PROPS, report)
    if root.props.get("tessera,adapt-to-machine", b"") != b"":
        report.fail("/", "bad-property", "tessera,adapt-to-machine takes no value")
    model = [""]
    if "model" in root.props:
        model = prop_strings(root.props["model"])
        if model is None or len(model) != 1:
            report.fail("/", "bad-property", "model must be one string")
            model = [""]
    for path in root.children:
        if tree[path].name not in ("cores", "channels"):
            report.fail(path, "bad-node", "unknown node; the root holds only /cores and /channels")
    if "/cores" not in tree:
        report.fail("/", "bad-node", "no /cores node")
    return model[0], "tessera,adapt-to-machine" in root.props


def spec_parse_memory(node, report):
    """Exactly one of memory-rest, memory-size, memory-range: (kind, base, size)."""
    present = [p for p in MEMORY_PROPS if p in node.props]
    if len(present) != 1:
        detail = (f"has {' and '.join(present)}; give exactly one" if present
                  else f"needs one of {fmt_list(MEMORY_PROPS)}")
        report.fail(node.path, "bad-property", detail)
        return None
    value = node.props[present[0]]
    cells = prop_u32s(value)
    if present[0] == "memory-rest" and value:
        report.fail(node.path, "bad-property", "memory-rest takes no value")
    elif present[0] == "memory-size" and (cells is None or len(cells) != 2):
        report.fail(node.path, "bad-property", "memory-size must be 2 cells (a 64-bit size)")
    elif present[0] == "memory-range" and (cells is None or len(cells) != 4):
        report.fail(node.path, "bad-property",
                    "memory-range must be 4 cells (a 64-bit base, then a 64-bit size)")
    elif present[0] == "memory-rest":
        return "rest", 0, 0
    elif present[0] == "memory-size":
        return "size", 0, cells_int(cells)
    else:
        return "range", cells_int(cells[:2]), cells_int(cells[2:])
    return None


def spec_parse_core(node, report):
    """One core node, typed; None when it is malformed."""
    if not spec_check_compatible(node, CORE_COMPATIBLE, report):
        return None
    spec_check_props(node, CORE_PROPS, report)
    reg = prop_u32s(node.props.get("reg", b""))
    if not reg or len(reg) != 1:
        report.fail(node.path, "bad-property", "reg must be one cell: the CPU index")
        return None
    memory = spec_parse_memory(node, report)
    devices = prop_strings(node.props["devices"]) if "devices" in node.props else []
    if devices is None:
        report.fail(node.path, "bad-property", "devices must be a list of non-empty strings")
    interrupts = prop_u32s(node.props["interrupts"]) if "interrupts" in node.props else []
    if interrupts is None or "interrupts" in node.props and not interrupts:
        report.fail(node.path, "bad-property", "interrupts must be one or more cells (INTIDs)")
        interrupts = None
    programs = None
    if "programs" not in node.props:
        report.fail(node.path, "bad-property", "programs is missing; name at least one program")
    else:
        programs = prop_strings(node.props["programs"])
        if programs is None:
            report.fail(node.path, "bad-property", "programs must be a list of non-empty strings")
    if None in (memory, devices, interrupts, programs):
        return None
    if not spec_check_core_capacity(node, programs, report):
        return None
    return CoreSpec(node.path, reg[0], *memory, devices, interrupts, programs)


def name_fits(what, name, limit, node, report):
    """A name the boot info stores in a fixed field of `limit` bytes with its NUL."""
    if len(name) >= limit:
        report.fail(node, "name-too-long", f"{what} is {len(name)} characters; "
                    f"at most {limit - 1} fit")
        return False
    return True


def spec_check_core_capacity(node, programs, report):
    """What one core's boot info can hold: its node path, and its programs."""
    if not name_fits("the node path", node.path, PATH_MAX, node.path, report):
        return False
    if len(programs) > MAX_PROGRAMS:
        report.fail(node.path, "too-many-programs",
                    f"{len(programs)} programs; a core starts at most {MAX_PROGRAMS}")
        return False
    return all(name_fits(f'program "{name}"', name, NAME_MAX, node.path, report)
               for name in programs)


def spec_parse_channel(node, report):
    """One channel node, typed; None when it is malformed."""
    if not spec_check_compatible(node, CHANNEL_COMPATIBLE, report):
        return None
    spec_check_props(node, CHANNEL_PROPS, report)
    cores = prop_u32s(node.props.get("cores", b""))
    size = prop_u32s(node.props.get("size", b""))
    if not cores:
        report.fail(node.path, "bad-property", "cores must be one or more cells (core regs)")
    if not size or len(size) > 2:
        report.fail(node.path, "bad-property", "size must be 1 or 2 cells (bytes)")
    if not cores or not size or len(size) > 2:
        return None
    if not name_fits("the channel name", node.name, NAME_MAX, node.path, report):
        return None
    return ChannelSpec(node.path, node.name, cores, cells_int(size))


def spec_parse_children(tree, path, parse, report):
    """Parse each child of /cores or /channels; nested nodes are not part of the format."""
    items = []
    spec_check_props(tree[path], CONTAINER_PROPS, report)
    for child in tree[path].children:
        for nested in tree[child].children:
            report.fail(nested, "bad-node", "unknown node; cores and channels have no subnodes")
        item = parse(tree[child], report)
        if item is not None:
            items.append(item)
    return items


def spec_parse(tree, report):
    """The structural phase: a Spec whose every value has the right shape."""
    model, adapt = spec_parse_root(tree, report)
    if "/cores" not in tree:
        report.stop_if_failed()
    if not tree["/cores"].children:
        report.fail("/cores", "bad-node", "no core nodes; add at least one core@N")
    cores = spec_parse_children(tree, "/cores", spec_parse_core, report)
    channels = []
    if "/channels" in tree:
        channels = spec_parse_children(tree, "/channels", spec_parse_channel, report)
    report.stop_if_failed()
    if len(cores) > MAX_CORES:
        report.fail("/cores", "too-many-cores",
                    f"{len(cores)} core nodes; a system runs at most {MAX_CORES} kernels")
    if len(channels) > MAX_CHANNELS:
        report.fail("/channels", "too-many-channels",
                    f"{len(channels)} channels; a system has at most {MAX_CHANNELS}")
    report.stop_if_failed()
    return Spec(model, adapt, cores, channels)


# ---------------------------------------------------------------------------------------
# The plan

@dataclass
class Device:
    path: str
    compatible: tuple
    regs: list
    spis: list


@dataclass
class CorePlan:
    spec: CoreSpec
    mpidr: int = 0
    base: int = 0
    size: int = 0
    inbox: int = 0
    devices: list = field(default_factory=list)   # Device
    irqs: list = field(default_factory=list)      # every SPI it owns, ascending

    @property
    def reg(self):
        return self.spec.reg


@dataclass
class ChannelPlan:
    spec: ChannelSpec
    base: int = 0

    @property
    def cores(self):
        return sorted(self.spec.cores)


@dataclass
class Port:
    channel: str
    src: int
    dst: int
    port: int


@dataclass
class Plan:
    spec: Spec
    machine: Machine
    ram_base: int = 0
    ram_end: int = 0
    shared_base: int = 0
    shared_end: int = 0
    system_page: int = 0
    cores: list = field(default_factory=list)      # CorePlan, ascending reg
    channels: list = field(default_factory=list)   # ChannelPlan, spec order
    ports: list = field(default_factory=list)      # Port, allocation order
    free: list = field(default_factory=list)       # [(base, size)] left unused
    dropped_cores: list = field(default_factory=list)
    dropped_channels: list = field(default_factory=list)


# Phase: cores --------------------------------------------------------------------------

def plan_cores(plan, report):
    """Which cores run a kernel: count, existence, duplicates; adapt drops absent ones."""
    spec, ncpus = plan.spec, len(plan.machine.cpus)
    if not spec.adapt and len(spec.cores) > ncpus:
        report.fail("/cores", "too-many-cores",
                    f"{len(spec.cores)} core nodes but the machine has {ncpus} CPUs")
        return
    cpus = f"CPUs 0-{ncpus - 1}" if ncpus > 1 else "only CPU 0"
    for core in spec.cores:
        if core.reg >= ncpus and spec.adapt:
            plan.dropped_cores.append(core.reg)
        elif core.reg >= ncpus:
            report.fail(core.node, "core-missing",
                        f"CPU {core.reg} does not exist; the machine has {cpus}")
        elif core.reg >= MAX_CORES:
            report.fail(core.node, "too-many-cores", f"CPU {core.reg} exists, but kernels run "
                        f"only on CPUs 0-{MAX_CORES - 1}")
    seen = {}
    for core in spec.cores:
        if core.reg in seen:
            report.fail(core.node, "core-duplicate",
                        f"CPU {core.reg} is already given to {seen[core.reg]}")
        seen.setdefault(core.reg, core.node)
    plan.cores = [CorePlan(c, mpidr=plan.machine.cpus[c.reg])
                  for c in sorted(spec.cores, key=lambda c: c.reg)
                  if c.reg < ncpus and seen[c.reg] == c.node]
    if not plan.cores and not report.errors:
        report.fail("/cores", "core-missing",
                    f"none of the cores exists; the machine has {cpus}")
    plan_select_channels(plan)


def plan_select_channels(plan):
    """Channels that stay: when adapting, a channel naming a dropped core goes too."""
    for channel in plan.spec.channels:
        if any(reg in plan.dropped_cores for reg in channel.cores):
            plan.dropped_channels.append(channel.name)
        else:
            plan.channels.append(ChannelPlan(channel))


# Phase: memory -------------------------------------------------------------------------

def plan_ram(plan, report):
    """Usable RAM: the first memory range, trimmed to 2 MiB boundaries."""
    m = plan.machine
    plan.ram_base = align_up(m.ram_base, BLOCK)
    plan.ram_end = align_down(m.ram_base + m.ram_size, BLOCK)
    if plan.ram_end < plan.ram_base + PARTITIONER_RESERVE + BLOCK:
        report.fail("/", "region-oversized", f"RAM {fmt_range(m.ram_base, m.ram_size)} is "
                    f"too small for the {fmt_size(PARTITIONER_RESERVE)} partitioner reserve")
        report.stop_if_failed()


def plan_shared_area(plan, report):
    """Step 1: the system page, inbox pages (ascending core reg), then channel regions
    (spec order)."""
    plan.shared_base = plan.ram_base + PARTITIONER_RESERVE
    plan.system_page = plan.shared_base
    cursor = plan.shared_base + SYSTEM_PAGE_SIZE
    for core in plan.cores:
        core.inbox = cursor
        cursor += INBOX_SIZE
    for channel in plan.channels:
        size = channel.spec.size
        if size == 0:
            report.fail(channel.spec.node, "region-empty", "size is 0")
            continue
        if size % PAGE:
            report.fail(channel.spec.node, "memory-misaligned",
                        f"size 0x{size:x} is not a multiple of 4 KiB")
            continue
        channel.base = align_up(cursor, PAGE)
        if size > plan.ram_end - channel.base:
            report.fail(channel.spec.node, "region-oversized",
                        f"size 0x{size:x} ({fmt_size(size)}) does not fit: the shared area "
                        f"would end past RAM end 0x{plan.ram_end:x}")
            continue
        cursor = channel.base + size
    plan.shared_end = align_up(cursor, BLOCK)


def core_size_name(core):
    """How the spec named a core's size, for details."""
    return "memory-size" if core.spec.memory == "size" else "memory-range size"


def plan_check_block(core, report):
    """A core's size (and base) must be whole 2 MiB blocks, and at least the minimum."""
    spec, what = core.spec, core_size_name(core)
    if spec.memory == "range" and spec.base % BLOCK:
        report.fail(spec.node, "memory-misaligned", f"base 0x{spec.base:x} is not 2 MiB aligned")
        return False
    if spec.size % BLOCK:
        report.fail(spec.node, "memory-misaligned",
                    f"{what} 0x{spec.size:x} is not a multiple of 2 MiB")
        return False
    if spec.size < MIN_CORE_MEMORY:
        report.fail(spec.node, "region-empty", f"{what} 0x{spec.size:x} ({fmt_size(spec.size)}) "
                    f"is below the {fmt_size(MIN_CORE_MEMORY)} minimum")
        return False
    return True


def plan_check_ram_size(plan, core, report):
    """A region larger than all of RAM can never fit."""
    ram = plan.ram_end - plan.ram_base
    if core.spec.size > ram:
        report.fail(core.spec.node, "region-oversized",
                    f"{core_size_name(core)} 0x{core.spec.size:x} ({fmt_size(core.spec.size)}) "
                    "is larger than RAM "
                    f"{fmt_range(plan.ram_base, ram)} ({fmt_size(ram)})")
        return False
    return True


def overlaps(a_base, a_size, b_base, b_size):
    return a_base < b_base + b_size and b_base < a_base + a_size


def plan_explicit_range(plan, core, placed, report):
    """Step 2: a memory-range core is placed as given, after checking where that is."""
    base, size, node = core.spec.base, core.spec.size, core.spec.node
    if not plan_check_block(core, report) or not plan_check_ram_size(plan, core, report):
        return
    # Written so that base + size is only formed once it cannot overflow 64 bits.
    if base < plan.ram_base or base > plan.ram_end or size > plan.ram_end - base:
        report.fail(node, "memory-outside-ram", f"{fmt_range(base, size)} is outside RAM "
                    f"{fmt_range(plan.ram_base, plan.ram_end - plan.ram_base)}")
        return
    others = [("the partitioner reserve", plan.ram_base, PARTITIONER_RESERVE),
              ("the shared area", plan.shared_base, plan.shared_end - plan.shared_base)]
    others += [(o.spec.node, o.base, o.size) for o in placed]
    for name, o_base, o_size in others:
        if overlaps(base, size, o_base, o_size):
            report.fail(node, "memory-overlap", f"{fmt_range(base, size)} overlaps {name} "
                        f"at {fmt_range(o_base, o_size)}")
            return
    core.base, core.size = base, size
    placed.append(core)


def ranges_subtract(free, base, size):
    """Remove [base, base+size) from a sorted list of free (base, size) ranges."""
    out = []
    for f_base, f_size in free:
        if not overlaps(f_base, f_size, base, size):
            out.append((f_base, f_size))
            continue
        if f_base < base:
            out.append((f_base, base - f_base))
        if base + size < f_base + f_size:
            out.append((base + size, f_base + f_size - base - size))
    return out


def free_take(plan, size):
    """First fit at the lowest address: the base taken, or None if no range is big enough."""
    for i, (f_base, f_size) in enumerate(plan.free):
        if f_size >= size:
            plan.free[i] = (f_base + size, f_size - size)
            plan.free = [r for r in plan.free if r[1]]
            return f_base
    return None


def free_largest(plan):
    """The largest free range, for the detail of a refusal."""
    if not plan.free:
        return "no free memory is left"
    base, size = max(plan.free, key=lambda r: (r[1], -r[0]))
    return f"the largest free range is 0x{size:x} ({fmt_size(size)}) at 0x{base:x}"


def plan_place(plan, core, size, what, report):
    """Place one core's region first fit; refuse naming the largest free range."""
    base = free_take(plan, size)
    if base is None:
        report.fail(core.spec.node, "region-oversized",
                    f"{what} 0x{size:x} ({fmt_size(size)}) does not fit: {free_largest(plan)}")
        return
    core.base, core.size = base, size


def plan_rest_share(plan, rest, report):
    """Step 5's share: the free bytes split evenly, in whole 2 MiB blocks."""
    total = sum(size for _, size in plan.free)
    share = total // len(rest) // BLOCK * BLOCK
    if share < MIN_CORE_MEMORY:
        report.fail(rest[0].spec.node, "region-empty",
                    f"the rest of RAM, 0x{total:x} ({fmt_size(total)}) over {len(rest)} "
                    f"memory-rest cores, is 0x{share:x} ({fmt_size(share)}) each, below the "
                    f"{fmt_size(MIN_CORE_MEMORY)} minimum")
        return None
    return share


def plan_memory(plan, report):
    """Steps 1-5: shared area, explicit ranges, then sized cores, then the rest."""
    plan_ram(plan, report)
    plan_shared_area(plan, report)
    placed = []
    for core in plan.cores:
        if core.spec.memory == "range":
            plan_explicit_range(plan, core, placed, report)
    plan.free = [(plan.shared_end, plan.ram_end - plan.shared_end)]
    for core in placed:
        plan.free = ranges_subtract(plan.free, core.base, core.size)
    plan.free = [r for r in plan.free if r[1]]
    for core in plan.cores:
        if core.spec.memory == "size" and plan_check_block(core, report) \
                and plan_check_ram_size(plan, core, report):
            plan_place(plan, core, core.spec.size, "memory-size", report)
    rest = [c for c in plan.cores if c.spec.memory == "rest"]
    share = plan_rest_share(plan, rest, report) if rest else None
    for core in rest if share else []:
        plan_place(plan, core, share, "memory-rest share", report)


# Phase: devices and IRQs ---------------------------------------------------------------

def device_resolve(plan, core, name, report):
    """A devices entry (a node path, or a compatible matching one node) to its device."""
    devices, node = plan.machine.devices, core.spec.node
    if name.startswith("/"):
        if name not in devices:
            report.fail(node, "device-unknown", f'"{name}" is not a node with a reg '
                        "in the machine's device tree")
            return None
        found = devices[name]
    else:
        matches = [d for d in devices.values() if name in d.compatible]
        if not matches:
            report.fail(node, "device-unknown", f'no machine node is compatible with "{name}"')
            return None
        if len(matches) > 1:
            shown = fmt_list(d.path for d in matches[:3]) + (", ..." if len(matches) > 3 else "")
            report.fail(node, "device-ambiguous", f'"{name}" matches {len(matches)} machine '
                        f"nodes ({shown}); name one by path")
            return None
        found = matches[0]
    if found.reserved:
        report.fail(node, "device-reserved", f"{found.path} is {found.reserved}")
        return None
    if not name_fits(found.path, found.path, PATH_MAX, node, report):
        return None
    return found if device_supported(found, node, report) else None


def device_supported(device, node, report):
    """A device the boot info can describe: a few MMIO ranges and SPIs."""
    if len(device.regs) > MAX_DEVICE_REGS:
        report.fail(node, "device-unsupported", f"{device.path} has {len(device.regs)} MMIO "
                    f"ranges; a device may have at most {MAX_DEVICE_REGS}")
        return False
    if len(device.spis) > MAX_DEVICE_SPIS:
        report.fail(node, "device-unsupported", f"{device.path} has {len(device.spis)} SPIs; "
                    f"a device may have at most {MAX_DEVICE_SPIS}")
        return False
    return True


def device_pages(device):
    """The 4 KiB pages a device's MMIO covers, as [(base, size)]: what a kernel maps."""
    return [(align_down(b, PAGE), align_up(b + s, PAGE) - align_down(b, PAGE))
            for b, s in device.regs if s]


def plan_device(plan, core, name, owners, report):
    """Give one device to a core: no other core may own it or share one of its pages."""
    found = device_resolve(plan, core, name, report)
    if found is None:
        return
    if found.path in owners:
        if owners[found.path] != core.spec.node:
            report.fail(core.spec.node, "device-duplicate",
                        f"{found.path} is already given to {owners[found.path]}")
        return
    for owner, other in core_devices_of_others(plan, core):
        page = device_shared_page(found, other)
        if page is not None:
            report.fail(core.spec.node, "device-shared-page", f"{found.path} shares the 4 KiB "
                        f"page 0x{page:x} with {other.path}, given to {owner}")
            return
    if len(core.devices) >= MAX_CORE_DEVICES:
        report.fail(core.spec.node, "too-many-devices", f"{found.path} would be device "
                    f"{len(core.devices) + 1}; a core owns at most {MAX_CORE_DEVICES}")
        return
    owners[found.path] = core.spec.node
    core.devices.append(Device(found.path, found.compatible, found.regs, found.spis))


def device_shared_page(a, b):
    """The lowest 4 KiB page two devices' MMIO both touch, or None."""
    shared = [max(ab, bb) for ab, asz in device_pages(a) for bb, bsz in device_pages(b)
              if overlaps(ab, asz, bb, bsz)]
    return min(shared) if shared else None


def core_devices_of_others(plan, core):
    """(owner node, device) for every device already given to another core."""
    return [(c.spec.node, d) for c in plan.cores if c is not core for d in c.devices]


def plan_irq(core, intid, irq_owners, report):
    """Give one SPI to a core; the same core naming it again is harmless."""
    if not SPI_FIRST <= intid <= SPI_LAST:
        report.fail(core.spec.node, "irq-invalid",
                    f"INTID {intid} is not an SPI ({SPI_FIRST}-{SPI_LAST})")
        return
    owner = irq_owners.setdefault(intid, core.spec.node)
    if owner != core.spec.node:
        report.fail(core.spec.node, "irq-duplicate", f"INTID {intid} is already given to {owner}")
        return
    if intid not in core.irqs and len(core.irqs) >= MAX_CORE_IRQS:
        report.fail(core.spec.node, "too-many-irqs", f"INTID {intid} would be SPI "
                    f"{len(core.irqs) + 1}; a core owns at most {MAX_CORE_IRQS}")
        return
    if intid not in core.irqs:
        core.irqs.append(intid)


def plan_devices(plan, report):
    """Step 8: each core's devices (with their implied SPIs), then its extra interrupts."""
    owners, irq_owners = {}, {}
    for core in plan.cores:
        for name in core.spec.devices:
            before = len(core.devices)
            plan_device(plan, core, name, owners, report)
            for device in core.devices[before:]:
                for intid in device.spis:
                    plan_irq(core, intid, irq_owners, report)
        for intid in core.spec.interrupts:
            plan_irq(core, intid, irq_owners, report)
        core.irqs.sort()


# Phase: channels and IPI ports ---------------------------------------------------------

def plan_check_members(plan, channel, report):
    """Two or more distinct members, each a core that runs a kernel."""
    spec = channel.spec
    for i, reg in enumerate(spec.cores):
        if reg in spec.cores[:i]:
            report.fail(spec.node, "channel-members", f"core {reg} is listed twice")
            return False
    if len(spec.cores) < 2:
        report.fail(spec.node, "channel-members",
                    f"needs at least 2 distinct cores, has {len(spec.cores)}")
        return False
    in_use = [c.reg for c in plan.cores]
    for reg in spec.cores:
        if reg not in in_use:
            report.fail(spec.node, "channel-core", f"core {reg} runs no kernel "
                        f"(the cores are {fmt_list(in_use)})")
            return False
    return True


def plan_channels(plan, report):
    """Step 7: for each channel, each destination, each source: the next port on dst.
    A port counts against both cores' MAX_PORTS (received on dst, sent by src)."""
    next_port = {c.reg: 0 for c in plan.cores}
    used = {c.reg: 0 for c in plan.cores}
    for channel in plan.channels:
        if not plan_check_members(plan, channel, report):
            continue
        for dst in channel.cores:
            for src in channel.cores:
                if src == dst:
                    continue
                full = next((c for c in (dst, src) if used[c] >= MAX_PORTS), None)
                if full is not None:
                    report.fail(channel.spec.node, "ports-exhausted", f"core {full} has no "
                                f"IPI port left ({MAX_PORTS} per core, sent and received)")
                    return
                plan.ports.append(Port(channel.spec.name, src, dst, next_port[dst]))
                next_port[dst] += 1
                used[dst] += 1
                used[src] += 1


# Phase: programs -----------------------------------------------------------------------

def plan_programs(plan, known, report):
    """Every program a core starts must be one the build provides (when told which)."""
    if known is None:
        return
    for core in plan.cores:
        for name in core.spec.programs:
            if name not in known:
                report.fail(core.spec.node, "program-missing", f'program "{name}" is not built '
                            f"(known: {fmt_list(sorted(known)) or 'none'})")


def plan_system(spec, machine, programs=None, report=None):
    """The whole planner: phases in their fixed order; returns the Plan or raises SpecError."""
    report = report or Report()
    plan = Plan(spec, machine)
    plan_cores(plan, report)
    report.stop_if_failed()
    plan_memory(plan, report)
    plan_devices(plan, report)
    plan_channels(plan, report)
    plan_programs(plan, programs, report)
    report.stop_if_failed()
    return plan


# ---------------------------------------------------------------------------------------
# Output: JSON (for tests and the C cross-check) and the table for people

def span(base, size):
    return {"base": base, "size": size}


def plan_to_json(plan):
    """The plan as plain data; every address and size is an integer."""
    m = plan.machine
    return {
        "spec": {"model": plan.spec.model, "adapt": plan.spec.adapt},
        "machine": {"ram": span(m.ram_base, m.ram_size), "cpus": m.cpus, "gic": m.gic_version,
                    "gicd": span(*m.gicd), "gicc": span(*m.gicc), "gicr": span(*m.gicr),
                    "timer_intid": m.timer_intid, "psci": m.psci},
        "constants": {"partitioner_reserve": PARTITIONER_RESERVE, "kernel_region": KERNEL_REGION,
                      "min_core_memory": MIN_CORE_MEMORY, "inbox_size": INBOX_SIZE,
                      "page": PAGE, "block": BLOCK, "max_ports": MAX_PORTS},
        "reserve": span(plan.ram_base, PARTITIONER_RESERVE),
        "shared": span(plan.shared_base, plan.shared_end - plan.shared_base),
        "system_page": plan.system_page,
        "cores": [{
            "reg": c.reg, "node": c.spec.node, "mpidr": c.mpidr, "memory": c.spec.memory,
            "region": span(c.base, c.size), "kernel": span(c.base, KERNEL_REGION),
            "user": span(c.base + KERNEL_REGION, c.size - KERNEL_REGION), "inbox": c.inbox,
            "devices": [{"path": d.path, "compatible": list(d.compatible),
                         "regs": [span(b, s) for b, s in d.regs], "spis": d.spis}
                        for d in c.devices],
            "irqs": c.irqs, "programs": c.spec.programs} for c in plan.cores],
        "channels": [{"name": ch.spec.name, "node": ch.spec.node, "base": ch.base,
                      "size": ch.spec.size, "cores": ch.cores} for ch in plan.channels],
        "ports": [vars(p) for p in plan.ports],
        "free": [span(b, s) for b, s in plan.free],
        "dropped": {"cores": plan.dropped_cores, "channels": plan.dropped_channels},
    }


def table(rows, indent="  "):
    """Rows of cells, left-aligned in columns; the first row is the heading."""
    widths = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(len(rows[0]))]
    return [indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
            for row in rows]


def show_memory_map(plan):
    """Every byte of usable RAM, in address order."""
    rows = [("range", "size", "use"),
            (fmt_range(plan.ram_base, PARTITIONER_RESERVE), fmt_size(PARTITIONER_RESERVE),
             "partitioner reserve (DTB, partitioner, images)"),
            (fmt_range(plan.shared_base, plan.shared_end - plan.shared_base),
             fmt_size(plan.shared_end - plan.shared_base),
             "shared area (system page, inboxes, channels)")]
    spans = [(c.base, c.size, f"core {c.reg}") for c in plan.cores]
    spans += [(b, s, "unused") for b, s in plan.free]
    rows += [(fmt_range(b, s), fmt_size(s), use) for b, s, use in sorted(spans)]
    return ["memory map"] + table(rows)


def show_cores(plan):
    """Per core: its kernel window, user memory, devices, IRQs, programs."""
    rows = [("core", "mpidr", "kernel", "user memory", "size", "devices", "irqs", "programs")]
    for c in plan.cores:
        rows.append((str(c.reg), f"0x{c.mpidr:x}", fmt_range(c.base, KERNEL_REGION),
                     fmt_range(c.base + KERNEL_REGION, c.size - KERNEL_REGION),
                     fmt_size(c.size - KERNEL_REGION),
                     fmt_list(d.path for d in c.devices) or "-",
                     fmt_list(c.irqs) or "-", fmt_list(c.spec.programs)))
    return ["cores"] + table(rows)


def show_shared(plan):
    """The system page, inbox pages and channel regions with the cores that map them."""
    rows = [("shared", "range", "size", "cores"),
            ("system", fmt_range(plan.system_page, SYSTEM_PAGE_SIZE), fmt_size(SYSTEM_PAGE_SIZE),
             "all (console line lock)")]
    for c in plan.cores:
        senders = sorted({p.src for p in plan.ports if p.dst == c.reg})
        rows.append((f"inbox {c.reg}", fmt_range(c.inbox, INBOX_SIZE), fmt_size(INBOX_SIZE),
                     f"{c.reg} reads" + (f"; {fmt_list(senders)} signal" if senders else "")))
    rows += [(ch.spec.name, fmt_range(ch.base, ch.spec.size), fmt_size(ch.spec.size),
              fmt_list(ch.cores)) for ch in plan.channels]
    return ["shared regions"] + table(rows)


def show_ports(plan):
    """IPI ports: on each destination core, which source signals which port."""
    rows = [("core", "inbox", "receives (port←source)", "sends (destination:port)")]
    for c in plan.cores:
        ins = [f"in {p.port}←{p.src} ({p.channel})" for p in plan.ports if p.dst == c.reg]
        outs = [f"out {p.dst}:{p.port} ({p.channel})" for p in plan.ports if p.src == c.reg]
        rows.append((str(c.reg), f"0x{c.inbox:x}", fmt_list(ins) or "-", fmt_list(outs) or "-"))
    return ["ipi ports"] + table(rows)


def show_plan(plan, spec_file):
    """The human table printed by `spec.py show`."""
    m = plan.machine
    head = [f"spec:    {spec_file}" + (f' ("{plan.spec.model}")' if plan.spec.model else ""),
            f"machine: {m.source}: {len(m.cpus)} CPUs, RAM {fmt_range(m.ram_base, m.ram_size)} "
            f"({fmt_size(m.ram_size)}), GICv{m.gic_version}"]
    if plan.dropped_cores:
        head.append(f"adapted: dropped cores {fmt_list(plan.dropped_cores)} (the machine has "
                    f"{len(m.cpus)} CPUs)" + (f" and channels {fmt_list(plan.dropped_channels)}"
                                              " that name them" if plan.dropped_channels else ""))
    parts = [head, show_memory_map(plan), show_cores(plan), show_shared(plan), show_ports(plan)]
    return "\n\n".join("\n".join(p) for p in parts)


def ok_line_counts(cores, channels):
    """The success line of `check` for these counts; scripts may match it."""
    def count(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"
    return f"spec: ok: {count(cores, 'core')}, {count(channels, 'channel')}"


def ok_line(plan):
    return ok_line_counts(len(plan.cores), len(plan.channels))


# ---------------------------------------------------------------------------------------
# Command line

class SyntaxFailure(Exception):
    """The spec file could not be compiled or read as a device tree."""


def dtc_compile(source, out):
    """Compile a .dts with dtc; dtc's first error line becomes the refusal."""
    run = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out), str(source)],
                         capture_output=True, text=True, check=False)
    if run.returncode:
        lines = [l for l in run.stderr.splitlines() if l.strip()] or [f"dtc exit {run.returncode}"]
        first = next((l for l in lines if "rror" in l), lines[0])
        raise SyntaxFailure(f"spec: {source}: syntax: {first.removeprefix('Error: ')}")


def spec_tree(path):
    """A spec file (.dts compiled by dtc, or .dtb) as a tree."""
    path = Path(path)
    if not path.is_file():
        raise ToolError(f"{path}: no such file")
    if path.suffix == ".dtb":
        blob = path.read_bytes()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            dtc_compile(path, Path(tmp) / "spec.dtb")
            blob = (Path(tmp) / "spec.dtb").read_bytes()
    try:
        return fdt_read(blob)
    except libfdt.FdtException as e:
        raise SyntaxFailure(f"spec: {path}: syntax: not a flattened device tree ({e})") from None


def machine_from_args(args):
    """The machine named on the command line: a given DTB, or a cached QEMU dump."""
    if args.machine_dtb:
        return machine_load(args.machine_dtb)
    path = machine_dump(args.machine_cache, args.smp, args.mem, args.gic, args.el2)
    machine = machine_load(path)
    return replace(machine, source=machine_describe(args.smp, args.mem, args.gic, args.el2))


def plan_from_args(args, report):
    """Read spec and machine, then plan; the shared front half of check/show/plan."""
    tree = spec_tree(args.file)
    spec = spec_parse(tree, report)
    programs = None if args.programs is None else set(filter(None, args.programs.split(",")))
    return plan_system(spec, machine_from_args(args), programs, report)


def cmd_check(args):
    report = Report(all_errors=args.all)
    plan = plan_from_args(args, report)
    print(ok_line(plan))
    return 0


def cmd_show(args):
    print(show_plan(plan_from_args(args, Report()), args.file))
    return 0


def cmd_plan(args):
    print(json.dumps(plan_to_json(plan_from_args(args, Report())), indent=2))
    return 0


def cmd_compile(args):
    """dtc wrapper for the build; with --check, refuse a spec that does not plan."""
    if args.check:
        plan_from_args(args, Report())
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    dtc_compile(args.file, out)
    return 0


def add_machine_options(p):
    """Options that name the machine a spec is checked against."""
    p.add_argument("--smp", type=int, default=4, help="CPUs (default 4)")
    p.add_argument("--mem", type=parse_mem, default=parse_mem("1G"), help="RAM (default 1G)")
    p.add_argument("--gic", type=int, choices=(2, 3), default=2, help="GIC version (default 2)")
    p.add_argument("--el2", action="store_true", help="boot at EL2 (virtualization=on)")
    p.add_argument("--machine-dtb", metavar="FILE", help="use this machine DTB instead of QEMU")
    p.add_argument("--machine-cache", metavar="DIR", default=str(DEFAULT_CACHE),
                   help=f"where QEMU machine dumps are cached (default {DEFAULT_CACHE})")
    p.add_argument("--programs", metavar="A,B", help="programs the build provides (checked when given)")


def arg_parser():
    parser = argparse.ArgumentParser(prog="spec.py", description="Check and plan Tessera system specs.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("check", "check a spec against a machine"),
                            ("show", "print the plan as tables"),
                            ("plan", "print the plan as JSON"),
                            ("compile", "compile a .dts spec to a .dtb")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("file", metavar="FILE", help="spec (.dts or .dtb)")
        add_machine_options(p)
        if name == "check":
            p.add_argument("--all", action="store_true", help="list every refusal, not the first")
        if name == "plan":
            p.add_argument("--json", action="store_true", help="JSON output (the only format)")
        if name == "compile":
            p.add_argument("-o", dest="output", required=True, metavar="OUT", help="output .dtb")
            p.add_argument("--check", action="store_true", help="check against the machine first")
    return parser


def main(argv=None):
    """Exit status: 0 accepted, 1 refused (one line per refusal on stderr), 2 tool error."""
    args = arg_parser().parse_args(argv)
    commands = {"check": cmd_check, "show": cmd_show, "plan": cmd_plan, "compile": cmd_compile}
    try:
        return commands[args.command](args)
    except SpecError as e:
        errors = getattr(e, "all", None) or [e]
        for error in errors:
            print(error, file=sys.stderr)
        return 1
    except SyntaxFailure as e:
        print(e, file=sys.stderr)
        return 1
    except MachineError as e:
        print(f"spec: machine: {e}", file=sys.stderr)
        return 2
    except ToolError as e:
        print(f"spec: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
