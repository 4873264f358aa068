"""The cells of the recap's tables: numbers, percentages, figures (marked when imported),
scope and month names, in French, for every output (embeds, spreadsheets, documents)."""

from __future__ import annotations

from bot.dates import MONTH_NAMES
from bot.french import num, pct
from bot.services.periods import ALL, SHARED
from bot.services.recap.indicators import Figure

UNKNOWN = "—"
IMPORTED_MARK = "*"


def number(value: float | None) -> str:
    """12 → "12", 12.5 → "12,5", 1234 → "1 234", None → "—"."""
    return UNKNOWN if value is None else num(value)


def percent(value: float | None) -> str:
    """0.625 → "63 %" (half up), None → "—"."""
    return UNKNOWN if value is None else pct(value)


def cell(fig: Figure | None, *, mark: bool = True) -> str:
    if fig is None or fig.value is None:
        return UNKNOWN
    text = number(fig.value)
    return text + (IMPORTED_MARK if mark and fig.imported else "")


def scope_name(recap_territories: dict[str, str], scope: str) -> str:
    if scope == ALL:
        return "Ensemble des territoires"
    if scope == SHARED:
        return "Commun"
    name = recap_territories.get(scope, "")
    return f"{scope} {name}".strip() if name != scope else scope


def month_name(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"
