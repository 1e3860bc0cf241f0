#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Spec fixtures, as TAP: every refusal message is pinned by a fixture.

tests/spec/bad/<rule>[-N].dts must be refused with exactly the line in its
`// expect:` header (exit status 1); tests/spec/good/*.dts must be accepted, with
the `// expect:` line when given. `// machine: ARGS` lines give the machine options;
a good fixture is checked once per machine line. specs/default.dts is checked on
every machine the issue names (smp 1-4, 512M/1G/2G, GICv2 and v3, EL2).

Fixtures run through tools/spec.py's main() in this process (the CLI path, without
an interpreter start per fixture), from the repository root so that paths in
messages read as a user would type them. Machine DTBs are dumped by QEMU once into
--cache and reused.
"""

import argparse
import contextlib
import io
import os
import shlex
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import spec  # noqa: E402  (found through the path above)

DEFAULT_MATRIX = [f"--smp {smp} --mem {mem} --gic {gic}"
                  for smp in (1, 2, 3, 4) for mem in ("512M", "1G", "2G") for gic in (2, 3)]
DEFAULT_MATRIX += ["--smp 4 --el2", "--smp 2 --gic 3 --el2"]


def header(path):
    """The `// expect:` line and the `// machine:` lines at the top of a fixture."""
    expect, machines = None, []
    for line in path.read_text().splitlines():
        if not line.startswith("//"):
            break
        if line.startswith("// expect: "):
            expect = line[len("// expect: "):]
        elif line.startswith("// machine: "):
            machines.append(line[len("// machine: "):])
    return expect, machines or [""]


def run_check(path, machine, cache):
    """spec.py check PATH MACHINE: (exit status, its output as one string)."""
    argv = ["check", str(path.relative_to(ROOT)), *shlex.split(machine), "--machine-cache", cache]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            rc = spec.main(argv)
        except SystemExit as e:  # argparse refusing a fixture's machine line
            rc = e.code
    return rc, out.getvalue().strip()


def rule_of(path):
    """The rule a bad fixture is named after: `memory-overlap-2.dts` -> memory-overlap."""
    stem = path.stem
    head, _, tail = stem.rpartition("-")
    return head if tail.isdigit() else stem


def cases():
    """(name, function returning an error string or None), in a stable order."""
    out = []
    for path in sorted((HERE / "bad").glob("*.dts")):
        out.append((f"bad/{path.name}", lambda c, p=path: check_bad(p, c)))
    for path in sorted((HERE / "good").glob("*.dts")):
        expect, machines = header(path)
        for m in machines:
            out.append((f"good/{path.name} {m}".rstrip(),
                        lambda c, p=path, m=m, e=expect: check_good(p, m, e, c)))
    default = ROOT / "specs" / "default.dts"
    for m in DEFAULT_MATRIX:
        smp = int(shlex.split(m)[1])
        expect = spec.ok_line_counts(smp, smp - 1)
        out.append((f"specs/default.dts {m}", lambda c, m=m, e=expect: check_good(default, m, e, c)))
    out.append(("every rule has a bad fixture", lambda c: check_coverage()))
    return out


def check_bad(path, cache):
    """Refused with exactly the expected line, exit 1, and named after its rule."""
    expect, machines = header(path)
    if expect is None:
        return "no // expect: line"
    if f": {rule_of(path)}: " not in expect:
        return f"file name says rule {rule_of(path)}, the expected line does not"
    rc, got = run_check(path, machines[0], cache)
    if rc != 1 or got != expect:
        return f"got exit {rc}: {got}"
    return None


def check_good(path, machine, expect, cache):
    """Accepted (exit 0), with the expected ok line when the fixture gives one."""
    rc, got = run_check(path, machine, cache)
    if rc != 0 or (expect is not None and got != expect):
        return f"got exit {rc}: {got}"
    return None


def check_coverage():
    """Each rule the checker knows has at least one negative fixture."""
    have = {rule_of(p) for p in (HERE / "bad").glob("*.dts")}
    missing = [r for r in spec.RULES if r not in have]
    return f"no fixture for {', '.join(missing)}" if missing else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=str(spec.DEFAULT_CACHE),
                        help="directory for QEMU machine DTBs")
    args = parser.parse_args()
    if not shutil.which("qemu-system-aarch64"):
        print("1..1\nnot ok 1 - qemu-system-aarch64 not found: it describes the machines")
        return 0
    os.chdir(ROOT)
    todo = cases()
    print(f"1..{len(todo)}")
    failed = 0
    for n, (name, check) in enumerate(todo, 1):
        error = check(args.cache)
        print(f"ok {n} - {name}" if error is None else f"not ok {n} - {name}: {error}")
        failed += error is not None
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
