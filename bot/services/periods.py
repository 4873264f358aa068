"""Periods and scopes of the statistics, shared by every feature's figures and the recap.

A `Window` is a period of days in Paris time, with its UTC instants. A figure is counted per
scope: a territory's code, `SHARED` for what belongs to no territory (« commun »), and `ALL`
for the whole network (each thing counted once, « commun » included).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.clock import PARIS

ALL = ""  # the all-territories scope (as in the import format)
SHARED = "commun"  # sessions and activities with no territory


def paris_instant(day: date) -> datetime:
    """Midnight of `day` in Paris, as a UTC instant."""
    return datetime.combine(day, time(0), PARIS).astimezone(UTC)


def scopes(territory_code: str | None) -> tuple[str, str]:
    """The scopes a thing of `territory_code` counts in: its own (or « commun ») and all."""
    return (territory_code or SHARED, ALL)


@dataclass(frozen=True)
class Window:
    """A period of days [first, last], with its UTC instants [start, end)."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return paris_instant(self.first)

    @property
    def end(self) -> datetime:
        return paris_instant(self.last + timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> Window:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Window:
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return cls(date(year, month, 1), nxt - timedelta(days=1))
