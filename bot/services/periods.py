"""Periods and scopes of the statistics, shared by every feature's figures and the recap.

A `Window` is a period of days in Paris time, with its UTC instants. A figure is counted per
scope: a territory's code, `SHARED` for what belongs to no territory (« commun »), and `ALL`
for the whole network (each thing counted once, « commun » included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import CTE, ColumnElement, Date, Integer, Select, literal, select, union_all

from bot.clock import PARIS
from bot.db.base import UTCDateTime

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


class WindowTable:
    """Several windows as a small derived table (a `UNION ALL` of one row per window: `key`,
    its position in `windows`; `first_day`, `last_day`; `start_at`, `end_at`), to JOIN with
    range predicates (`Event.starts_at >= t.start_at`…) and GROUP BY `t.key`: the figures of
    every window in one query, each window counted as if it were asked alone. No date function
    on the stored values (the bounds are Paris-time days; the indexes stay usable), the same
    SQL on SQLite and PostgreSQL. Repeated windows are kept once."""

    def __init__(self, windows: Iterable[Window], name: str = "windows") -> None:
        self.windows = list(dict.fromkeys(windows))
        if not self.windows:
            raise ValueError("no window")
        rows: list[Select] = [
            select(
                literal(key, Integer).label("key"),
                literal(w.first, Date).label("first_day"),
                literal(w.last, Date).label("last_day"),
                literal(w.start, UTCDateTime()).label("start_at"),
                literal(w.end, UTCDateTime()).label("end_at"),
            )
            for key, w in enumerate(self.windows)
        ]
        self.table: CTE = (union_all(*rows) if len(rows) > 1 else rows[0]).cte(name)

    @property
    def key(self) -> ColumnElement[int]:
        return self.table.c.key

    @property
    def first(self) -> ColumnElement[date]:
        return self.table.c.first_day

    @property
    def last(self) -> ColumnElement[date]:
        return self.table.c.last_day

    @property
    def start(self) -> ColumnElement[datetime]:
        return self.table.c.start_at

    @property
    def end(self) -> ColumnElement[datetime]:
        return self.table.c.end_at

    def __getitem__(self, key: int) -> Window:
        return self.windows[key]
