"""The accompaniment figures: the one implementation behind the monthly summary and the
year-end recap (`bot.services.recap.year` and `.month` assemble them).

Definitions (DESIGN.md §3), for a window of days (`bot.services.periods.Window`, Paris time):
- **requested**: requests created in the window, every source and status;
- **done** (the accompaniments of the recap): requests closed as done in the window, help
  recorded outside Discord included; by kind (individual and team shown apart);
- **cancelled**: requests cancelled in the window.

Each request counts in the scopes of the territory it was made from (`periods.scopes`: its
territory, or « commun » when it has none, and all territories). Every figure is one SQL
aggregation grouped by territory, and by window when several windows are asked at once
(`figures_by_window`: the recap's years).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.requests import CANCELLED, DONE, AccompanimentRequest
from bot.services.periods import Window, scopes
from bot.services.window_table import WindowTable


@dataclass
class ScopeFigures:
    """The requests figures of one scope (a territory, « commun » or all) in a window."""

    requested: int = 0
    done: int = 0
    cancelled: int = 0
    done_by_kind: dict[str, int] = field(default_factory=dict)


async def figures(session: AsyncSession, guild_id: int, w: Window) -> dict[str, ScopeFigures]:
    """scope -> figures of the requests made, done and cancelled in the window `w`; a scope
    with nothing in the window is absent."""
    return (await figures_by_window(session, guild_id, [w]))[w]


async def figures_by_window(
    session: AsyncSession, guild_id: int, windows: Iterable[Window], *, done_only: bool = False
) -> dict[Window, dict[str, ScopeFigures]]:
    """window -> scope -> its figures (as `figures`), every window in the same two queries
    (grouped by window); `done_only`: the requests done only (one query; the requests made
    and cancelled are left at 0), all the year recap shows."""
    windows = list(windows)
    if not windows:
        return {}
    t = WindowTable(windows)
    r = AccompanimentRequest
    out: dict[Window, dict[str, ScopeFigures]] = {w: {} for w in t.windows}
    if not done_only:
        made = (
            select(t.key, r.territory_code, func.count())
            .select_from(t.table)
            .join(r, and_(r.guild_id == guild_id, r.created_at >= t.start, r.created_at < t.end))
            .group_by(t.key, r.territory_code)
        )
        for key, territory, count in await session.execute(made):
            for scope in scopes(territory):
                out[t[key]].setdefault(scope, ScopeFigures()).requested += count
    closed = (
        select(t.key, r.territory_code, r.status, r.kind, func.count())
        .select_from(t.table)
        .join(
            r,
            and_(
                r.guild_id == guild_id,
                r.status.in_((DONE,) if done_only else (DONE, CANCELLED)),
                r.closed_at >= t.start,
                r.closed_at < t.end,
            ),
        )
        .group_by(t.key, r.territory_code, r.status, r.kind)
    )
    for key, territory, status, kind, count in await session.execute(closed):
        for scope in scopes(territory):
            s = out[t[key]].setdefault(scope, ScopeFigures())
            if status == DONE:
                s.done += count
                s.done_by_kind[kind] = s.done_by_kind.get(kind, 0) + count
            else:
                s.cancelled += count
    return out
