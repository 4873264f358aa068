"""The Promeneurs' figures of the recap (DESIGN.md §3): the members whose membership
intersects a window, counted in the territory and strand of the period they had on the last
day of their active part of it; their distinct structure types and professions; arrivals and
departures. Every figure is one SQL aggregation (grouped by window too when several windows
are asked at once: the recap's years)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, literal, null, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member, MemberPeriod
from bot.db.models.member import PARENTING, YOUTH
from bot.services.indicators import QPV, RURAL
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
from bot.services.window_table import WindowTable

COUNTS = (PROMENEURS, YOUTH_COUNT, PARENTING_COUNT, AT_YEAR_END, ARRIVALS, DEPARTURES)
DISTINCTS = (STRUCTURE_TYPES, PROFESSIONS)  # distinct values among the scope's Promeneurs
# The Promeneurs in a priority district (QPV) / a rural area, on their profile: evaluation
# indicators (`bot.services.indicators`; reported by `evaluation`), counted here with the rest.
FLAGS = (QPV, RURAL)
FIGURES = COUNTS + DISTINCTS + FLAGS
UNKNOWN = "Non renseigné"  # a structure type or profession left empty


def members_of(guild_id: int, w: Window) -> tuple[ColumnElement[bool], ...]:
    """Members of the window joined to the period they had at the end of their active part."""
    return members_between(guild_id, w.first, literal(w.last))


def members_between(
    guild_id: int, first: date | ColumnElement[date], last: ColumnElement[date]
) -> tuple[ColumnElement[bool], ...]:
    """`members_of` for the days [first, last], given as values or as the columns of a
    `WindowTable` (every window's members in one query)."""
    end_day = case((and_(Member.left_on.is_not(None), Member.left_on < last), Member.left_on), else_=last)
    return (
        Member.guild_id == guild_id,
        Member.joined_on <= last,
        or_(Member.left_on.is_(None), Member.left_on >= first),
        MemberPeriod.member_id == Member.id,
        MemberPeriod.valid_from <= end_day,
        or_(MemberPeriod.valid_to.is_(None), MemberPeriod.valid_to > end_day),
    )


def select_members(t: WindowTable, guild_id: int, *columns: Any) -> Select[Any]:
    """SELECT `columns` FROM the windows of `t`, each window's members and the period they
    had at the end of their active part of it (group by `t.key`)."""
    return (
        select(*columns)
        .select_from(t.table)
        .join(Member, Member.guild_id == guild_id)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .where(*members_between(guild_id, t.first, t.last))
    )


async def member_counts(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, int]]:
    """scope -> {promeneurs, jeunesse, parentalité, au 31/12, arrivées, départs}."""
    figures = (await member_figures_by_window(session, guild_id, [w]))[w]
    return {scope: {key: f[key] for key in COUNTS} for scope, f in figures.items()}


async def distinct_counts(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, int]]:
    """scope -> {distinct structure types, distinct professions}; ALL is distinct overall."""
    figures = (await member_figures_by_window(session, guild_id, [w]))[w]
    out = {scope: {key: f[key] for key in DISTINCTS} for scope, f in figures.items()}
    out.setdefault(ALL, dict.fromkeys(DISTINCTS, 0))
    return out


async def member_figures_by_window(
    session: AsyncSession, guild_id: int, windows: Iterable[Window]
) -> dict[Window, dict[str, dict[str, int]]]:
    """window -> scope -> the Promeneurs' `FIGURES` of the scopes that had members in the
    window (ALL: the whole network; its distinct values are counted over every territory, its
    flags are the sum of the scopes'). One statement: each window's members, joined once to
    their period, then grouped by (window, territory) and by window."""
    windows = list(windows)
    if not windows:
        return {}
    t = WindowTable(windows)
    one = literal(1)
    rows = select_members(
        t,
        guild_id,
        t.key.label("key"),
        MemberPeriod.territory_code.label("territory"),
        case((MemberPeriod.strand == YOUTH, one), else_=0).label("youth"),
        case((MemberPeriod.strand == PARENTING, one), else_=0).label("parenting"),
        case((Member.joined_on >= t.first, one), else_=0).label("arrival"),
        case((Member.left_on <= t.last, one), else_=0).label("departure"),
        case((or_(Member.left_on.is_(None), Member.left_on >= t.last), one), else_=0).label("at_end"),
        Member.structure_type.label("structure_type"),
        Member.profession.label("profession"),
        case((Member.priority_district.is_(True), Member.id)).label("qpv"),
        case((Member.rural_area.is_(True), Member.id)).label("rural"),
    ).cte("window_members")
    figures = (
        func.count(),
        func.sum(rows.c.youth),
        func.sum(rows.c.parenting),
        func.sum(rows.c.at_end),
        func.sum(rows.c.arrival),
        func.sum(rows.c.departure),
        func.count(distinct(rows.c.structure_type)),
        func.count(distinct(rows.c.profession)),
    )
    flags = (func.count(distinct(rows.c.qpv)), func.count(distinct(rows.c.rural)))
    per_territory = select(literal(False).label("overall"), rows.c.key, rows.c.territory, *figures, *flags).group_by(
        rows.c.key, rows.c.territory
    )
    # The flags of the whole network are the sum of the territories' (computed below).
    overall = select(literal(True), rows.c.key, null(), *figures, literal(0), literal(0)).group_by(rows.c.key)
    out: dict[Window, dict[str, dict[str, int]]] = {w: {} for w in t.windows}
    row: Any
    for row in await session.execute(union_all(per_territory, overall)):
        is_overall, key, territory, *values = row
        scope = ALL if is_overall else territory or SHARED
        out[t[key]][scope] = {name: int(value or 0) for name, value in zip(FIGURES, values, strict=True)}
    for by_scope in out.values():
        if ALL in by_scope:
            for flag in FLAGS:
                by_scope[ALL][flag] = sum(f[flag] for scope, f in by_scope.items() if scope != ALL)
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
