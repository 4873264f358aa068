"""French typography for the report: dates and lists; no-break spaces, numbers,
percentages and plurals come from `bot.french` (one helper for the whole bot)."""

from __future__ import annotations

from babel.dates import format_date

from bot.french import LOCALE, NBSP, num, pct, plural
from bot.french import typo as fr

__all__ = ["LOCALE", "NBSP", "enumerate_fr", "fr", "month_year", "num", "pct", "plural", "short_day"]


def month_year(day) -> str:
    """date(2021, 3, 2) → "mars 2021"."""
    return format_date(day, "LLLL y", locale=LOCALE)


def short_day(day) -> str:
    """date(2021, 9, 16) → "16 sept." (a table's narrow date column)."""
    return format_date(day, "d MMM", locale=LOCALE)


def enumerate_fr(items: list[str]) -> str:
    """["a", "b", "c"] → "a, b et c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
