"""The Promeneurs' figures of the recap (DESIGN.md §3): the members whose membership
intersects a window, counted in the territory and strand of the period they had on the last
day of their active part of it; their distinct structure types and professions; arrivals and
departures. Every figure is one SQL aggregation."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, distinct, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member, MemberPeriod
from bot.db.models.member import PARENTING, YOUTH
from bot.services.periods import ALL, SHARED, Window
from bot.services.recap.indicators import (
    ARRIVALS,
    AT_YEAR_END,
    DEPARTURES,
    PARENTING_COUNT,
    PROFESSIONS,
    PROMENEURS,
    STRUCTURE_TYPES,
    YOUTH_COUNT,
)

UNKNOWN = "Non renseigné"  # a structure type or profession left empty


def members_of(guild_id: int, w: Window) -> tuple[ColumnElement[bool], ...]:
    """Members of the window joined to the period they had at the end of their active part."""
    end_day = case(
        (and_(Member.left_on.is_not(None), Member.left_on < w.last), Member.left_on),
        else_=literal(w.last),
    )
    return (
        Member.guild_id == guild_id,
        Member.joined_on <= w.last,
        or_(Member.left_on.is_(None), Member.left_on >= w.first),
        MemberPeriod.member_id == Member.id,
        MemberPeriod.valid_from <= end_day,
        or_(MemberPeriod.valid_to.is_(None), MemberPeriod.valid_to > end_day),
    )


async def member_counts(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, int]]:
    """scope -> {promeneurs, jeunesse, parentalité, au 31/12, arrivées, départs}."""
    one = literal(1)
    stmt = (
        select(
            MemberPeriod.territory_code,
            MemberPeriod.strand,
            func.count(),
            func.sum(case((Member.joined_on >= w.first, one), else_=0)),
            func.sum(case((Member.left_on <= w.last, one), else_=0)),
            func.sum(case((or_(Member.left_on.is_(None), Member.left_on >= w.last), one), else_=0)),
        )
        .select_from(Member)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .where(*members_of(guild_id, w))
        .group_by(MemberPeriod.territory_code, MemberPeriod.strand)
    )
    out: dict[str, dict[str, int]] = {}
    for territory, strand, count, arrivals, departures, at_end in await session.execute(stmt):
        for scope in (territory or SHARED, ALL):
            s = out.setdefault(
                scope, dict.fromkeys((PROMENEURS, YOUTH_COUNT, PARENTING_COUNT, AT_YEAR_END, ARRIVALS, DEPARTURES), 0)
            )
            s[PROMENEURS] += count
            s[YOUTH_COUNT if strand == YOUTH else PARENTING_COUNT] += count if strand in (YOUTH, PARENTING) else 0
            s[ARRIVALS] += int(arrivals or 0)
            s[DEPARTURES] += int(departures or 0)
            s[AT_YEAR_END] += int(at_end or 0)
    return out


async def distinct_counts(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, int]]:
    """scope -> {distinct structure types, distinct professions}; ALL is distinct overall."""
    cols = (
        func.count(distinct(Member.structure_type)),
        func.count(distinct(Member.profession)),
    )
    joined = (MemberPeriod, MemberPeriod.member_id == Member.id)
    out: dict[str, dict[str, int]] = {}
    per = (
        select(MemberPeriod.territory_code, *cols)
        .select_from(Member)
        .join(*joined)
        .where(*members_of(guild_id, w))
        .group_by(MemberPeriod.territory_code)
    )
    for territory, structures, professions in await session.execute(per):
        out[territory or SHARED] = {STRUCTURE_TYPES: structures, PROFESSIONS: professions}
    overall = select(*cols).select_from(Member).join(*joined).where(*members_of(guild_id, w))
    structures, professions = (await session.execute(overall)).one()
    out[ALL] = {STRUCTURE_TYPES: structures, PROFESSIONS: professions}
    return out


async def structure_type_distribution(session: AsyncSession, guild_id: int, w: Window) -> list[tuple[str, int]]:
    """How many Promeneurs of the period per structure type (for the chart)."""
    stmt = (
        select(Member.structure_type, func.count())
        .select_from(Member)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .where(*members_of(guild_id, w))
        .group_by(Member.structure_type)
        .order_by(func.count().desc(), Member.structure_type)
    )
    return [(name or UNKNOWN, count) for name, count in await session.execute(stmt)]


async def profession_distribution(session: AsyncSession, guild_id: int, w: Window) -> list[tuple[str, int]]:
    """How many Promeneurs of the period per profession (the report's list)."""
    stmt = (
        select(Member.profession, func.count())
        .select_from(Member)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .where(*members_of(guild_id, w))
        .group_by(Member.profession)
        .order_by(func.count().desc(), Member.profession)
    )
    return [(name or UNKNOWN, count) for name, count in await session.execute(stmt)]
