"""The growth table: the commands benchmark at several sizes of the network (0.25×, 1×, 4×
by default), each in its own process on its own database, then p50 / p99 per size, the
growth exponent of the p50 (slope of log p50 against log size: 0 = flat, 1 = linear) and
a PNG plot (bench/growth.png).

    python -m bench growth [--scales 0.25 1 4] [--iterations 60] [--only ...]
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

GOAL_P99_MS = 25.0
GOAL_EXPONENT = 0.2
PLOT = Path(__file__).with_name("growth.png")


def exponent(sizes: list[float], values: list[float]) -> float:
    """Least-squares slope of log(value) against log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(v, 1e-6)) for v in values]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def _measure(scale: float, iterations: int, only: list[str] | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rows.json"
        command = [
            sys.executable,
            "-m",
            "bench",
            "commands",
            "--scale",
            f"{scale:g}",
            "--iterations",
            str(iterations),
            "--json",
            str(out),
        ]
        if only:
            command += ["--only", *only]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        print(done.stdout, file=sys.stderr)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"bench commands --scale {scale:g} failed:\n{done.stderr[-3000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def table(results: list[dict]) -> str:
    scales = [r["scale"] for r in results]
    names = [row["name"] for row in results[0]["rows"]]
    by = [{row["name"]: row for row in r["rows"]} for r in results]
    head = "".join(f" {f'{s:g}× p50 / p99':>18}" for s in scales)
    lines = [f"{'command':<40}{head} {'exp p50':>8} {'exp p99':>8} {'goal':>5}", "-" * (60 + 19 * len(scales))]
    for name in names:
        rows = [b.get(name) for b in by]
        if any(r is None for r in rows):
            continue
        p50 = [r["p50"] for r in rows]
        p99 = [r["p99"] for r in rows]
        e50, e99 = exponent(scales, p50), exponent(scales, p99)
        judged = not name.startswith(("/bench", "/bilan"))
        ok = ("ok" if max(p99) < GOAL_P99_MS and e50 < GOAL_EXPONENT else "MISS") if judged else "n/a"
        cells = "".join(f" {f'{a:.1f} / {b:.1f}':>18}" for a, b in zip(p50, p99, strict=True))
        lines.append(f"{name + (' [final]' if rows[0]['final'] else ''):<40}{cells} {e50:>8.2f} {e99:>8.2f} {ok:>5}")
    lines.append(
        "(milliseconds inside the bot; exponent: slope of log(ms) against log(size); "
        f"goal: p99 < {GOAL_P99_MS:g} ms at every size and p50 exponent < {GOAL_EXPONENT})"
    )
    return "\n".join(lines)


def plot(results: list[dict], path: Path = PLOT) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import NullFormatter

    scales = [r["scale"] for r in results]
    names = [row["name"] for row in results[0]["rows"] if not row["name"].startswith("/bilan")]
    fig, (left, right) = pyplot.subplots(1, 2, figsize=(12, 6.5), sharey=True)
    colours = pyplot.get_cmap("tab20").colors  # more lines than the default cycle's 10 colours
    for axis in (left, right):
        axis.set_prop_cycle(color=colours[::2] + colours[1::2])
    for name in names:
        p50 = [next(row["p50"] for row in r["rows"] if row["name"] == name) for r in results]
        p99 = [next(row["p99"] for row in r["rows"] if row["name"] == name) for r in results]
        left.plot(scales, p50, marker="o", label=name.strip())
        right.plot(scales, p99, marker="o", label=name.strip())
    for axis, title in ((left, "p50"), (right, "p99")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xticks(scales, [f"{s:g}×" for s in scales])
        axis.xaxis.set_minor_formatter(NullFormatter())
        axis.set_xlabel("size of the network (1× = national)")
        axis.set_title(f"{title} (ms, inside the bot)")
        axis.grid(True, which="both", alpha=0.3)
    right.axhline(GOAL_P99_MS, color="red", linestyle="--", label=f"goal {GOAL_P99_MS:g} ms")
    handles, labels = right.get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="lower center", ncol=4, frameon=False)  # below: it hid the p99s
    fig.tight_layout(rect=(0, 0.17, 1, 1))
    fig.savefig(path, dpi=90)
    return path


def run(scales: list[float], *, iterations: int = 60, only: list[str] | None = None, replot: bool = False) -> str:
    """Measure every size (or, with `replot`, redraw the table and plot from growth.json)."""
    if replot:
        results = json.loads(PLOT.with_suffix(".json").read_text(encoding="utf-8"))
        return table(results) + f"\n(plot: {plot(results)})"
    results = [_measure(scale, iterations, only) for scale in scales]
    (PLOT.with_suffix(".json")).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return table(results) + f"\n(plot: {plot(results)})"
