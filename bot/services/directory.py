"""The directory: who is a member on a given day (pages, search) and its export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload

from bot import spreadsheets
from bot.db import changes
from bot.db.models import Member, MemberPeriod
from bot.services.members import FRENCH_ORDER, strand_label

_PERIOD = MemberPeriod.member_id == Member.id


@dataclass(frozen=True)
class DirectoryRow:
    member: Member
    territory_code: str | None
    strand: str | None


async def directory(
    session: AsyncSession,
    guild_id: int,
    *,
    on: date,
    territory: str | None = None,
    strand: str | None = None,
) -> list[DirectoryRow]:
    """Members active on day `on`, with the territory and strand they had that day."""
    stmt = (
        select(Member, MemberPeriod)
        .join(MemberPeriod, _PERIOD)
        .where(*_directory_where(guild_id, on, territory, strand))
        .order_by(*FRENCH_ORDER)
        # The row carries the period of that day: do not load every member's history too.
        .options(raiseload(Member.periods))
    )
    rows = (await session.execute(stmt)).all()
    return [DirectoryRow(member, period.territory_code, period.strand) for member, period in rows]


def _directory_where(guild_id: int, on: date, territory: str | None, strand: str | None) -> list[ColumnElement[bool]]:
    """The members of the directory on day `on` (their period of that day joined)."""
    where = [
        Member.guild_id == guild_id,
        Member.joined_on <= on,
        or_(Member.left_on.is_(None), Member.left_on >= on),
        MemberPeriod.valid_from <= on,
        or_(MemberPeriod.valid_to.is_(None), MemberPeriod.valid_to > on),
        Member.anonymised_at.is_(None),
    ]
    if territory:
        where.append(MemberPeriod.territory_code == territory)
    if strand:
        where.append(MemberPeriod.strand == strand)
    return where


# The directory's total scans every member of the day (≈ 10 ms at 12,000 members): kept
# until the directory changes (see bot.db.changes), so paging through it costs one page.
_directory_totals: changes.VersionedCache[int] = changes.VersionedCache(("members", "member_periods", "guilds"))


@dataclass(frozen=True)
class DirectoryLine:
    """What the directory list shows of a member (no ORM object: only these columns)."""

    name: str
    structure: str | None
    territory_code: str | None
    strand: str | None


async def directory_page(
    session: AsyncSession,
    guild_id: int,
    *,
    on: date,
    territory: str | None = None,
    strand: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[DirectoryLine], int]:
    """One page of `directory` (same members, same order) and the true total: the page's
    columns only, sorted and cut in SQL."""
    columns = select(Member.display_name, Member.structure_name, MemberPeriod.territory_code, MemberPeriod.strand)
    stmt = (
        columns.join(MemberPeriod, _PERIOD)
        .where(*_directory_where(guild_id, on, territory, strand))
        .order_by(*FRENCH_ORDER)
        .offset(max(offset, 0))
        .limit(limit)
    )
    rows = [
        DirectoryLine(name, structure, territory_code, period_strand)
        for name, structure, territory_code, period_strand in (await session.execute(stmt)).all()
    ]
    key = (str(session.get_bind().engine.url), guild_id, on, territory, strand)  # the database too (tests)
    total = _directory_totals.get(key)
    if total is None:
        seen = changes.version(*_directory_totals.tables)
        total = int(
            await session.scalar(
                select(func.count())
                .select_from(Member)
                .join(MemberPeriod, _PERIOD)
                .where(*_directory_where(guild_id, on, territory, strand))
            )
            or 0
        )
        _directory_totals.put(key, total, seen)
    return rows, total


CSV_COLUMNS = (
    "id",
    "nom",
    "sur_discord",
    "territoire",
    "volet",
    "structure",
    "type_structure",
    "metier",
    "arrivee",
    "depart",
)


async def export_table(session: AsyncSession, guild_id: int) -> tuple[tuple[str, ...], list[list[object]]]:
    """Every member of the server (past ones too), one line each: the header and the rows
    (dates as dates, text as given: the spreadsheet writers neutralise it)."""
    members = (await session.scalars(select(Member).where(Member.guild_id == guild_id).order_by(*FRENCH_ORDER))).all()
    rows: list[list[object]] = []
    for m in members:
        period = m.current_period
        rows.append(
            [
                m.id,
                m.display_name,
                "oui" if m.is_on_discord else "non",
                period.territory_code if period else "",
                strand_label(period.strand if period else None),
                m.structure_name or "",
                m.structure_type or "",
                m.profession or "",
                m.joined_on,
                m.left_on,
            ]
        )
    return CSV_COLUMNS, rows


async def export_csv(session: AsyncSession, guild_id: int) -> bytes:
    """The directory as a CSV for French Excel / LibreOffice (see bot.spreadsheets)."""
    header, rows = await export_table(session, guild_id)
    return spreadsheets.csv_bytes(header, rows)
