# SPDX-License-Identifier: BSD-2-Clause
"""What `./tessera bench` hands back: the table, the JSON file and the plot.

The records come from bench_stats.collect_results(); this module only lays
them out, so the runner (tools/bench.py) and the tests (tools/test_bench.py)
share one definition of the JSON shape. matplotlib (Debian's
python3-matplotlib) is imported only when a plot is drawn, with the Agg
backend: no display is needed.
"""

import json
from pathlib import Path

MODE_ORDER = ("mttcg", "stcg", "plugin", "icount")
PANEL_BENCHMARK = "ipc-inter-0w"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def bench_json(machine, modes, results):
    """The whole JSON document:
    {"machine": {...}, "mode": "mttcg+plugin", "results": [record, ...]}."""
    return {"machine": dict(machine), "mode": "+".join(modes), "results": list(results)}


def write_json(path, machine, modes, results):
    """Write the JSON document, creating the directory it goes in."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(bench_json(machine, modes, results), indent=1) + "\n",
                    encoding="utf-8")


# --- Table ----------------------------------------------------------------------

def sort_key(record):
    """Group by mode, then benchmark and unit; rows by cores busy, core, peer."""
    mode = record["mode"]
    rank = MODE_ORDER.index(mode) if mode in MODE_ORDER else len(MODE_ORDER)
    return (rank, mode, record["benchmark"], record["unit"], record["cores_busy"],
            -1 if record["core"] is None else record["core"],
            -1 if record["peer"] is None else record["peer"])


def number(value):
    """A figure as people read it: 4 significant digits, whole numbers from 1000."""
    return f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"


def format_table(results):
    """The results as text: a heading per mode, a block per benchmark."""
    header = (f"  {'benchmark':<30} {'unit':<16} {'busy':>4} {'core':>4} {'peer':>4} "
              f"{'median':>10} {'min':>10} {'max':>10} {'stddev':>10} {'n':>4}")
    lines, mode, block = [], None, None
    for r in sorted(results, key=sort_key):
        if r["mode"] != mode:
            mode, block = r["mode"], None
            lines += ([""] if lines else []) + [f"{mode}", header]
        if (r["benchmark"], r["unit"]) != block and block is not None:
            lines.append("")
        block = (r["benchmark"], r["unit"])
        core = "all" if r["core"] is None else str(r["core"])
        peer = "-" if r["peer"] is None else str(r["peer"])
        lines.append(f"  {r['benchmark']:<30} {r['unit']:<16} {r['cores_busy']:>4} {core:>4} "
                     f"{peer:>4} {number(r['median']):>10} {number(r['min']):>10} "
                     f"{number(r['max']):>10} {number(r['stddev']):>10} {r['samples']:>4}")
    return "\n".join(lines) + "\n"


# --- Plot -----------------------------------------------------------------------

def series(results, mode, benchmark, unit, label_of):
    """{label: [(cores_busy, median), ...]} sorted by cores busy."""
    lines = {}
    for r in results:
        if (r["mode"], r["benchmark"], r["unit"]) == (mode, benchmark, unit):
            lines.setdefault(label_of(r), []).append((r["cores_busy"], r["median"]))
    return {label: sorted(points) for label, points in sorted(lines.items())}


def per_core(record):
    return f"core {record['core']}"


def per_pair(record):
    return f"cores {record['core']}-{record['peer']}"


def cross_core_panel(results):
    """Panel 3's (title, ylabel, series): ping-pong latency per pair, else
    stream throughput per pair, else None when neither was measured."""
    latency = series(results, "mttcg", "chan-pingpong-ping", "ns/rt", per_pair)
    if latency:
        return "cross-core ping-pong latency (mttcg)", "ns per round trip", latency
    stream = series(results, "mttcg", "chan-stream-rx", "msgs/s", per_pair)
    if stream:
        return "cross-core stream (mttcg)", "messages/s received", stream
    return None


def draw_panel(axes, title, ylabel, lines):
    """One panel: a line per series against cores busy, or a 'no data' note."""
    axes.set_title(title, fontsize=10)
    axes.set_xlabel("cores busy")
    axes.set_ylabel(ylabel)
    if not lines:
        axes.text(0.5, 0.5, "no data", ha="center", va="center", transform=axes.transAxes)
        return
    for label, points in lines.items():
        xs, ys = zip(*points)
        axes.plot(xs, ys, marker="o", label=label)
    axes.set_xticks(sorted({x for points in lines.values() for x, _ in points}))
    axes.legend(fontsize=8)


def plot(results, path):
    """Write the figure (PNG) to `path`: 2 or 3 panels side by side."""
    from matplotlib.figure import Figure  # Agg is used by savefig when no GUI
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    panels = [
        (f"same-core round trips ({PANEL_BENCHMARK}, mttcg)", "round trips/s (median)",
         series(results, "mttcg", PANEL_BENCHMARK, "rt/s", per_core)),
        (f"instructions per round trip ({PANEL_BENCHMARK}, plugin)", "instructions (median)",
         series(results, "plugin", PANEL_BENCHMARK, "insns/rt", per_core)),
    ]
    third = cross_core_panel(results)
    if third:
        panels.append(third)
    figure = Figure(figsize=(5.5 * len(panels), 4.5))
    FigureCanvasAgg(figure)
    for i, (title, ylabel, lines) in enumerate(panels, 1):
        draw_panel(figure.add_subplot(1, len(panels), i), title, ylabel, lines)
    figure.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", dpi=100)
