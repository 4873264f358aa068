"""The activities entered by the coordination (presentations of the project, coordination
hours…), summed per scope and kind over a window: one SQL aggregation."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.activity import Activity
from bot.services.periods import SHARED, Window


async def activity_totals(
    session: AsyncSession, guild_id: int, w: Window, *, kinds: tuple[str, ...] | None = None
) -> dict[tuple[str, str], tuple[int, float]]:
    """(scope, kind) -> (entries, sum of quantities); scope is a code or "commun".
    Reads a covering index only (by day, or by kind when `kinds` is given)."""
    stmt = (
        select(Activity.territory_code, Activity.kind, func.count(), func.sum(Activity.quantity))
        .where(
            Activity.guild_id == guild_id,
            Activity.occurred_on >= w.first,
            Activity.occurred_on <= w.last,
        )
        .group_by(Activity.territory_code, Activity.kind)
    )
    if kinds is not None:
        stmt = stmt.where(Activity.kind.in_(kinds))
    return {
        (territory or SHARED, kind): (count, float(total or 0))
        for territory, kind, count, total in await session.execute(stmt)
    }
