"""The evaluation indicators' figures for the recap: sums of the monthly counts, the
structure flags and the weekly slots, per scope (`bot.services.periods.scopes`; definitions:
bot.services.indicators). Every figure is one SQL aggregation grouped by territory."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member, MemberPeriod
from bot.db.models.indicators import MonthlyCount, PresenceSlot
from bot.services.indicators import FORMS, QPV, REACHED, RURAL, SLOT_HOURS, SLOT_MEMBERS
from bot.services.periods import scopes


async def year_figures(
    session: AsyncSession, guild_id: int, first: date, last: date, members_where: tuple[ColumnElement[bool], ...]
) -> dict[str, dict[str, float]]:
    """scope -> code -> value for the days [first, last] (a calendar year). `members_where`
    selects the Promeneurs of the period joined to their period at its end
    (`bot.services.recap.members.members_of`)."""
    out: dict[str, dict[str, float]] = {}

    def add(scope: str | None, code: str, value: float) -> None:
        for s in scopes(scope):
            bucket = out.setdefault(s, {})
            bucket[code] = bucket.get(code, 0) + value

    rows = await session.execute(
        select(MonthlyCount.territory_code, MonthlyCount.indicator, func.sum(MonthlyCount.value), func.count())
        .where(MonthlyCount.guild_id == guild_id, MonthlyCount.month >= first, MonthlyCount.month <= last)
        .group_by(MonthlyCount.territory_code, MonthlyCount.indicator)
    )
    for territory, code, total, count in rows:
        add(territory, code, int(total or 0))
        if code == REACHED:
            add(territory, FORMS, count)
    flags = await session.execute(
        select(
            MemberPeriod.territory_code,
            func.count(distinct(Member.id)).filter(Member.priority_district.is_(True)),
            func.count(distinct(Member.id)).filter(Member.rural_area.is_(True)),
        )
        .select_from(Member)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .where(*members_where)
        .group_by(MemberPeriod.territory_code)
    )
    for territory, qpv, rural in flags:
        add(territory, QPV, qpv or 0)
        add(territory, RURAL, rural or 0)
    slots = await session.execute(
        select(
            MemberPeriod.territory_code,
            func.sum(PresenceSlot.end_minute - PresenceSlot.start_minute),
            func.count(distinct(PresenceSlot.member_id)),
        )
        .select_from(Member)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .join(PresenceSlot, and_(PresenceSlot.member_id == Member.id, PresenceSlot.guild_id == guild_id))
        .where(
            *members_where,
            PresenceSlot.created_on <= last,
            or_(PresenceSlot.removed_on.is_(None), PresenceSlot.removed_on > last),
        )
        .group_by(MemberPeriod.territory_code)
    )
    for territory, minutes, people in slots:
        add(territory, SLOT_HOURS, round((minutes or 0) / 60, 2))
        add(territory, SLOT_MEMBERS, people or 0)
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
