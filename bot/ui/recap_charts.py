"""The recap's charts (matplotlib, Agg backend, PNG bytes). Blocking: callers run
`render_charts` with `asyncio.to_thread`."""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.french import pct, percent
from bot.services.periods import ALL
from bot.services.recap import indicators as R
from bot.services.recap.data import Q_HOURS, Q_NETWORKS, WEEKLY_HOURS, YearRecap
from bot.ui.recap_cells import scope_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

# matplotlib is imported on first use, in the rendering thread: it costs ~0.7 s and ~38 MB,
# which a bot that never draws a chart should not pay at start.
plt: Any = None
MaxNLocator: Any = None


def load_matplotlib() -> None:
    global plt, MaxNLocator
    if plt is None:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot
        from matplotlib.ticker import MaxNLocator as locator

        plt, MaxNLocator = pyplot, locator


PALETTE = ("#1b7f79", "#f4a261", "#2a6f97", "#e76f51", "#8ab17d", "#9c6644", "#6d597a")
DPI = 110
MAX_TERRITORIES = 8  # beyond, the per-territory bars are unreadable: the table has them
PIE_SLICES = 7


@dataclass(frozen=True)
class Chart:
    filename: str
    title: str
    png: bytes


def _png(fig: MplFigure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _style(ax, title: str) -> None:
    ax.set_title(title, fontsize=13, fontweight="bold", loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if ax.get_xlim() else "y", alpha=0.25)


def promeneurs_per_year(recap: YearRecap) -> Chart:
    years = recap.evolution_years
    scopes = recap.codes if len(recap.codes) <= MAX_TERRITORIES else []  # national: totals only
    fig, ax = plt.subplots(figsize=(8, 4.5))
    width = 0.8 / max(1, len(scopes))
    for i, code in enumerate(scopes):
        values = [recap.evolution[y].get(code, {}).get(R.PROMENEURS, R.Figure(None)).value or 0 for y in years]
        xs = [y + (i - (len(scopes) - 1) / 2) * width for y in years]
        bars = ax.bar(xs, values, width, label=scope_name(recap.territories, code), color=PALETTE[i % len(PALETTE)])
        ax.bar_label(bars, labels=[f"{v:g}" if v else "" for v in values], fontsize=8, padding=2)
    totals = [recap.evolution[y][ALL][R.PROMENEURS].value or 0 for y in years]
    ax.plot(years, totals, color="#333333", marker="o", label="Ensemble")
    for y, t in zip(years, totals, strict=True):
        ax.annotate(
            f"{t:g}", (y, t), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=9, fontweight="bold"
        )
    ax.set_xticks(years, [str(y) for y in years])
    ax.set_ylabel("Promeneurs")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(totals + [1]) * 1.18)
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    _style(ax, "Promeneurs du Net par année et par territoire")
    ax.grid(axis="x", visible=False)
    return Chart("promeneurs_par_annee.png", "Promeneurs par année", _png(fig))


def _horizontal(title: str, filename: str, items: list[tuple[str, int]], *, unit: str = "") -> Chart:
    items = list(reversed(items))
    # Long names (structure types) wrap on two lines rather than shrinking the whole chart.
    labels = [textwrap.shorten(name, 60, placeholder="…") for name, _ in items]
    labels = [textwrap.fill(name, 32) for name in labels]
    values = [v for _, v in items]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig, ax = plt.subplots(figsize=(8, max(2.2, 0.22 * lines + 0.16 * len(items) + 1)))
    bars = ax.barh(labels, values, color=PALETTE[0])
    ax.bar_label(bars, labels=[f"{v:g}{unit}" for v in values], fontsize=9, padding=3)
    ax.tick_params(axis="y", labelsize=10)
    ax.set_xlim(0, max(values + [1]) * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _style(ax, title)
    ax.grid(axis="y", visible=False)
    return Chart(filename, title, _png(fig))


def structure_types(recap: YearRecap) -> Chart | None:
    if not recap.structure_types:
        return None
    return _horizontal(
        f"Promeneurs {recap.year} par type de structure", "types_de_structures.png", recap.structure_types
    )


def weekly_hours(recap: YearRecap) -> Chart | None:
    if recap.survey is None or not recap.survey.respondents:
        return None
    counts = dict(recap.survey.distributions.get(Q_HOURS, []))
    items = [(option, counts.get(option, 0)) for option in WEEKLY_HOURS]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    bars = ax.bar([n for n, _ in items], [c for _, c in items], color=PALETTE[2])
    total = recap.survey.respondents
    ax.bar_label(bars, labels=[f"{c} ({percent(c, total)})" for _, c in items], fontsize=9, padding=2)
    ax.set_ylim(0, max([c for _, c in items] + [1]) * 1.2)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("Répondants")
    _style(ax, "Temps de présence en ligne par semaine")
    ax.grid(axis="x", visible=False)
    return Chart("heures_en_ligne.png", "Temps en ligne", _png(fig))


def networks(recap: YearRecap) -> Chart | None:
    if recap.survey is None or not recap.survey.respondents:
        return None
    items = sorted(recap.survey.distributions.get(Q_NETWORKS, []), key=lambda x: -x[1])
    if not items:
        return None
    return _horizontal("Réseaux sociaux utilisés", "reseaux_sociaux.png", items)


def coordination_split(recap: YearRecap) -> Chart | None:
    if not recap.coordination_split:
        return None
    ranked = sorted(recap.coordination_split, key=lambda item: -item[1])
    shown, rest = ranked[:PIE_SLICES], ranked[PIE_SLICES:]
    labels = [scope_name(recap.territories, s) for s, _, _ in shown]
    hours = [h for _, h, _ in shown]
    if rest:  # a national network: the biggest slices, then the others together
        labels.append(f"{len(rest)} autres territoires")
        hours.append(sum(h for _, h, _ in rest))
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.pie(
        hours,
        labels=labels,
        colors=PALETTE[: len(hours)],
        autopct=lambda p: pct(p / 100),
        startangle=90,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
        textprops={"fontsize": 10},
    )
    ax.set_title(f"Temps de coordination {recap.year}\npar territoire", fontsize=13, fontweight="bold")
    return Chart("temps_de_coordination.png", "Temps de coordination", _png(fig))


def render_charts(recap: YearRecap) -> list[Chart]:
    """Every chart that has data (blocking: run in a thread)."""
    load_matplotlib()
    charts = [promeneurs_per_year(recap)]
    for make in (structure_types, weekly_hours, networks, coordination_split):
        chart = make(recap)
        if chart is not None:
            charts.append(chart)
    return charts
