"""The evaluation indicators' figures for the recap: sums of the monthly counts, the
structure flags and the weekly slots, per scope (`bot.services.periods.scopes`; definitions:
bot.services.indicators). Every figure is one SQL aggregation grouped by territory (and by
window when several windows are asked at once: the recap's years)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member, MemberPeriod
from bot.db.models.indicators import MonthlyCount, PresenceSlot
from bot.services.indicators import FORMS, REACHED, SLOT_HOURS, SLOT_MEMBERS
from bot.services.periods import Window, scopes
from bot.services.recap.members import FLAGS, member_figures_by_window, select_members
from bot.services.window_table import WindowTable


async def year_figures(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, float]]:
    """scope -> code -> value for the days of `w` (a calendar year); the structure flags and
    the slots are those of the Promeneurs of the period, joined to their period at its end
    (`bot.services.recap.members.members_of`)."""
    members = await member_figures_by_window(session, guild_id, [w])
    return (await figures_by_window(session, guild_id, [w], members))[w]


async def figures_by_window(
    session: AsyncSession,
    guild_id: int,
    windows: Iterable[Window],
    members: dict[Window, dict[str, dict[str, int]]],
) -> dict[Window, dict[str, dict[str, float]]]:
    """window -> its `year_figures`, every window in the same two queries; `members` are the
    Promeneurs' figures of the same windows (`members.member_figures_by_window`), which
    count the structure flags with the rest."""
    windows = list(windows)
    if not windows:
        return {}
    t = WindowTable(windows)
    out: dict[Window, dict[str, dict[str, float]]] = {w: {} for w in t.windows}

    def add(key: int, scope: str | None, code: str, value: float) -> None:
        for s in scopes(scope):
            bucket = out[t[key]].setdefault(s, {})
            bucket[code] = bucket.get(code, 0) + value

    for w in t.windows:
        for scope, figures in members.get(w, {}).items():
            for code in FLAGS:
                out[w].setdefault(scope, {})[code] = figures[code]
    rows = await session.execute(
        select(t.key, MonthlyCount.territory_code, MonthlyCount.indicator, func.sum(MonthlyCount.value), func.count())
        .select_from(t.table)
        .join(
            MonthlyCount,
            and_(MonthlyCount.guild_id == guild_id, MonthlyCount.month >= t.first, MonthlyCount.month <= t.last),
        )
        .group_by(t.key, MonthlyCount.territory_code, MonthlyCount.indicator)
    )
    for key, territory, code, total, count in rows:
        add(key, territory, code, int(total or 0))
        if code == REACHED:
            add(key, territory, FORMS, count)
    slots = await session.execute(
        select_members(
            t,
            guild_id,
            t.key,
            MemberPeriod.territory_code,
            func.sum(PresenceSlot.end_minute - PresenceSlot.start_minute),
            func.count(distinct(PresenceSlot.member_id)),
        )
        .join(PresenceSlot, and_(PresenceSlot.member_id == Member.id, PresenceSlot.guild_id == guild_id))
        .where(
            PresenceSlot.created_on <= t.last,
            or_(PresenceSlot.removed_on.is_(None), PresenceSlot.removed_on > t.last),
        )
        .group_by(t.key, MemberPeriod.territory_code)
    )
    for key, territory, minutes, people in slots:
        add(key, territory, SLOT_HOURS, round((minutes or 0) / 60, 2))
        add(key, territory, SLOT_MEMBERS, people or 0)
    return out


async def months_of_year(session: AsyncSession, guild_id: int, year: int) -> dict[int, dict[str, int]]:
    """month number -> code -> total over every territory (the report's month table)."""
    rows = await session.execute(
        select(MonthlyCount.month, MonthlyCount.indicator, func.sum(MonthlyCount.value), func.count())
        .where(
            MonthlyCount.guild_id == guild_id,
            MonthlyCount.month >= date(year, 1, 1),
            MonthlyCount.month <= date(year, 12, 31),
        )
        .group_by(MonthlyCount.month, MonthlyCount.indicator)
    )
    out: dict[int, dict[str, int]] = {}
    for month, code, total, count in rows:
        bucket = out.setdefault(month.month, {})
        bucket[code] = int(total or 0)
        if code == REACHED:
            bucket[FORMS] = count
    return out
