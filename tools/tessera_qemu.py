# SPDX-License-Identifier: BSD-2-Clause
"""The one place that turns run options into a QEMU command line.

`./tessera run`, the QEMU system-test harness (tests/qemu/qemu_tap.py) and the
benchmark runner all boot the same machine. Building the command here keeps
them identical, so a test failure reproduces with `./tessera run` and a
measurement runs on the machine the tests checked. Standard library only.
"""

from pathlib import Path
import subprocess
import re

QEMU = "qemu-system-aarch64"
CPU = "cortex-a72"
GDB_ADDRESS = "127.0.0.1:1234"

SMP_MIN, SMP_MAX = 1, 8
GIC_VERSIONS = (2, 3)
MEM_MIN_MIB = 256

_MEM_RE = re.compile(r"(\d+)\s*([mg]?)(?:i?b)?", re.IGNORECASE)


def parse_mem(text):
    """Parse a RAM size such as 512M, 1G or 2048M into MiB.

    A bare number means MiB, as it does for QEMU's -m. Sizes below 256 MiB
    are refused: the partitioner needs room for several kernels and their
    programs, and failing here is clearer than a boot-time refusal.
    """
    match = _MEM_RE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"bad memory size {text!r} (use e.g. 512M, 1G, 2048M)")
    mib = int(match.group(1)) * (1024 if match.group(2).lower() == "g" else 1)
    if mib < MEM_MIN_MIB:
        raise ValueError(f"memory size {text} is below the minimum of {MEM_MIN_MIB}M")
    return mib


def _whole_number(text):
    """int(), with an error message fit for a user."""
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"not a whole number: {text!r}") from None


def parse_smp(text):
    """Parse a core count, refusing what the virt machine (and the
    partitioner) cannot use."""
    smp = _whole_number(text)
    if not SMP_MIN <= smp <= SMP_MAX:
        raise ValueError(f"core count must be {SMP_MIN}..{SMP_MAX}, got {smp}")
    return smp


def parse_gic(text):
    """Parse a GIC version, refusing those Tessera has no driver for."""
    gic = _whole_number(text)
    if gic not in GIC_VERSIONS:
        versions = " or ".join(str(v) for v in GIC_VERSIONS)
        raise ValueError(f"GIC version must be {versions}, got {gic}")
    return gic


def machine_option(gic, el2):
    """The -M value: dtb-randomness=off keeps the DTB identical run to run
    (no rng or KASLR seeds), so runs and measurements are repeatable."""
    machine = f"virt,gic-version={gic},dtb-randomness=off"
    return machine + ",virtualization=on" if el2 else machine


# Where a spec given with --spec is loaded; the partitioner looks there first
# (plat/qemu-virt/include/plat/board.h: BOARD_SPEC_PA).
SPEC_LOAD_ADDRESS = 0x41000000


def compile_spec(source, out_dir):
    """A .dts spec compiled with dtc into out_dir (a .dtb is used as it is).

    Raises ValueError with dtc's first complaint when the source is broken."""
    source = Path(source)
    if source.suffix == ".dtb":
        return source
    out = Path(out_dir) / (source.stem + ".dtb")
    out.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(out), str(source)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["dtc failed"]
        raise ValueError(f"{source}: {lines[0]}")
    return out


def qemu_command(image, *, smp=4, mem_mib=1024, gic=2, el2=False, append=None,
                 gdb=False, icount=False, spec_dtb=None, cpu=CPU, extra=()):
    """Return the argv that boots `image` on QEMU's virt machine.

    The UART is on stdio and the monitor is off, so the process's output is
    exactly the guest's console. Semihosting lets the guest end the run with
    an exit status (SYS_EXIT), which becomes QEMU's. `el2` starts the cores at
    EL2 (PSCI by smc). `icount` makes a run exactly repeatable, but QEMU 7.2
    loses SGIs to sleeping vCPUs under icount with more than one core, so use
    it with smp=1. `cpu` is the CPU model: the default Cortex-A72 is ARMv8.0
    (no LSE atomics), "max" has them. `gdb` makes QEMU wait, stopped, for a debugger. No
    network card: the guest has no driver, and virt's default one needs a
    boot ROM from ipxe-qemu, which a --no-install-recommends QEMU lacks.
    """
    cmd = [QEMU, "-M", machine_option(gic, el2), "-cpu", cpu,
           "-smp", str(smp), "-m", f"{mem_mib}M",
           "-nographic", "-monitor", "none", "-serial", "stdio", "-nic", "none",
           "-semihosting-config", "enable=on,target=native",
           "-kernel", str(image)]
    if append is not None:
        cmd += ["-append", append]
    if spec_dtb is not None:
        cmd += ["-device", f"loader,file={spec_dtb},addr={SPEC_LOAD_ADDRESS:#x},force-raw=on"]
    if icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    if gdb:
        cmd += ["-S", "-gdb", f"tcp:{GDB_ADDRESS}"]
    return cmd + list(extra)


def image_ro_size(elf_path):
    """Bytes of text and read-only data at the start of the flat image: the
    kernel's __ro_end - _start, read from the ELF's symbol table."""
    from elftools.elf.elffile import ELFFile  # Debian's python3-pyelftools
    with open(elf_path, "rb") as f:
        symbols = ELFFile(f).get_section_by_name(".symtab")
        start = symbols.get_symbol_by_name("_start")[0]["st_value"]
        end = symbols.get_symbol_by_name("__ro_end")[0]["st_value"]
    return end - start


def image_digest(path):
    """FNV-1a 64 of a flat kernel image's read-only part, as every kernel
    reports it.

    The kernel hashes its text and read-only data as it runs them: exactly the
    first __ro_end - _start bytes of kernel.bin (kernel.elf beside it says how
    many), so equal digests mean identical copies. Writable data after them
    changes at run time and is not covered.
    """
    data = Path(path).read_bytes()
    elf = Path(path).with_suffix(".elf")
    if elf.is_file():
        data = data[:image_ro_size(elf)]
    h = 0xcbf29ce484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001b3) & 0xffffffffffffffff
    return f"{h:016x}"
