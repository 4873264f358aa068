"""Several statistics windows (`bot.services.periods.Window`) as one SQL derived table, for the
figures of every window in one query (the recap's ten years, a year and its months)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import CTE, ColumnElement, Date, Integer, Select, literal, select, union_all

from bot.db.base import UTCDateTime
from bot.services.periods import Window


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
