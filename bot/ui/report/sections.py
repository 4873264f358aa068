"""The report's sections, in the seed's order. Each is a small function of the report's data
(figures from the recap only: `data.recap`) returning a `Section` made of blocks, or None
when it has nothing to show. To add an indicator: write such a function (in `narrative` or
`figures`, with the helpers of `common`) and put it in `SECTIONS` where the seed would."""

from __future__ import annotations

from collections.abc import Callable

from bot.services import report as report_service
from bot.services.report import ReportData
from bot.ui import recap_charts
from bot.ui.report.blocks import Cover, Section
from bot.ui.report.common import NETWORK
from bot.ui.report.figures import evolution, synthesis
from bot.ui.report.indicators import indicators
from bot.ui.report.narrative import (
    accompaniment,
    animation,
    coordinator_path,
    evaluation,
    governance,
    highlights,
    perspectives,
    promotion,
)

# -- cover -------------------------------------------------------------------------------


def cover(data: ReportData) -> Cover:
    carrier_lines = [
        line.strip() for line in (data.texts.get(report_service.CARRIER) or "").splitlines() if line.strip()
    ]
    return Cover(
        title=f"Bilan d'activités {data.year}",
        network=NETWORK,
        territories=[f"{name} ({code})" for code, name in data.recap.territories.items()],
        year=data.year,
        carrier=carrier_lines[:1],
        contact=carrier_lines[1:],
    )


# The seed's order (p. 1–20). The time split is inside "Instances", as in the seed.
SECTIONS: list[Callable[[ReportData], Section | None]] = [
    highlights,
    promotion,
    accompaniment,
    animation,
    evaluation,
    indicators,
    coordinator_path,
    governance,
    perspectives,
    synthesis,
    evolution,
]


def build(data: ReportData) -> tuple[Cover, list[Section]]:
    """Every section with something to show (blocking: draws charts)."""
    recap_charts.load_matplotlib()
    sections = [s for make in SECTIONS if (s := make(data)) is not None]
    return cover(data), sections
