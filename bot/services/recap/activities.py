"""The activities entered by the coordination (presentations of the project, coordination
hours…), summed per scope and kind over a window: one SQL aggregation (grouped by window
too when several windows are asked at once: the recap's years)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.activity import Activity
from bot.services.periods import SHARED, Window
from bot.services.window_table import WindowTable

Totals = dict[tuple[str, str], tuple[int, float]]  # (scope, kind) -> (entries, sum of quantities)


async def activity_totals(
    session: AsyncSession, guild_id: int, w: Window, *, kinds: tuple[str, ...] | None = None
) -> Totals:
    """(scope, kind) -> (entries, sum of quantities); scope is a code or "commun".
    Reads a covering index only (by day, or by kind when `kinds` is given)."""
    return (await activity_totals_by_window(session, guild_id, [w], kinds=kinds))[w]


async def activity_totals_by_window(
    session: AsyncSession, guild_id: int, windows: Iterable[Window], *, kinds: tuple[str, ...] | None = None
) -> dict[Window, Totals]:
    """window -> its `activity_totals`, every window in one query."""
    windows = list(windows)
    if not windows:
        return {}
    t = WindowTable(windows)
    within = [Activity.guild_id == guild_id, Activity.occurred_on >= t.first, Activity.occurred_on <= t.last]
    if kinds is not None:
        within.append(Activity.kind.in_(kinds))
    stmt = (
        select(t.key, Activity.territory_code, Activity.kind, func.count(), func.sum(Activity.quantity))
        .select_from(t.table)
        .join(Activity, and_(*within))
        .group_by(t.key, Activity.territory_code, Activity.kind)
    )
    out: dict[Window, Totals] = {w: {} for w in t.windows}
    for key, territory, kind, count, total in await session.execute(stmt):
        out[t[key]][(territory or SHARED, kind)] = (count, float(total or 0))
    return out
