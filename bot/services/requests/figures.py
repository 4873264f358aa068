"""The accompaniment figures: the one implementation behind the monthly summary and the
year-end recap (`bot.services.recap.year` and `.month` assemble them).

Definitions (DESIGN.md §3), for a window of days (`bot.services.periods.Window`, Paris time):
- **requested**: requests created in the window, every source and status;
- **done** (the accompaniments of the recap): requests closed as done in the window, help
  recorded outside Discord included; by kind (individual and team shown apart);
- **cancelled**: requests cancelled in the window.

Each request counts in the scopes of the territory it was made from (`periods.scopes`: its
territory, or « commun » when it has none, and all territories). Every figure is one SQL
aggregation grouped by territory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.requests import CANCELLED, DONE, AccompanimentRequest
from bot.services.periods import Window, scopes


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
    r = AccompanimentRequest
    out: dict[str, ScopeFigures] = {}
    made = (
        select(r.territory_code, func.count())
        .where(r.guild_id == guild_id, r.created_at >= w.start, r.created_at < w.end)
        .group_by(r.territory_code)
    )
    for territory, count in await session.execute(made):
        for scope in scopes(territory):
            out.setdefault(scope, ScopeFigures()).requested += count
    closed = (
        select(r.territory_code, r.status, r.kind, func.count())
        .where(
            r.guild_id == guild_id,
            r.status.in_((DONE, CANCELLED)),
            r.closed_at >= w.start,
            r.closed_at < w.end,
        )
        .group_by(r.territory_code, r.status, r.kind)
    )
    for territory, status, kind, count in await session.execute(closed):
        for scope in scopes(territory):
            s = out.setdefault(scope, ScopeFigures())
            if status == DONE:
                s.done += count
                s.done_by_kind[kind] = s.done_by_kind.get(kind, 0) + count
            else:
                s.cancelled += count
    return out
