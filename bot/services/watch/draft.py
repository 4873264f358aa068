"""The draft of the next digest and what a digest shows, and the server's watch settings
(categories, editorial, the note when there is nothing to publish).

The *draft* is the pending items not removed: accepted ones (shared by members or accepted
by the coordinator) and proposals from feeds (published only once accepted).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import insert_ignore
from bot.db.models import Counter as CounterRow
from bot.db.models.watch import ACCEPTED, PROPOSED, REMOVED, WatchContribution, WatchDigest, WatchItem, WatchSettings
from bot.db.session import requires_lock
from bot.services import lists as lists_service
from bot.services.guilds import ensure_guild
from bot.text import clean_text

COUNTER = "digest"  # the server's counter of digest numbers
MAX_EDITORIAL = 1500


# -- settings --------------------------------------------------------------------------


async def watch_settings(session: AsyncSession, guild_id: int, *, lock: bool = False) -> WatchSettings:
    """The server's watch settings row (created if missing). `lock=True` takes it FOR UPDATE:
    it serialises the server's watch writes (de-duplication, positions) on PostgreSQL; on
    SQLite the unit of work's BEGIN IMMEDIATE already does."""
    await ensure_guild(session, guild_id)
    await insert_ignore(session, WatchSettings, {"guild_id": guild_id, "empty_note": False}, ["guild_id"])
    stmt = select(WatchSettings).where(WatchSettings.guild_id == guild_id)
    if lock:
        stmt = stmt.with_for_update()
    row = await session.scalar(stmt.execution_options(populate_existing=True))
    assert row is not None
    return row


async def categories(session: AsyncSession, guild_id: int) -> list[str]:
    return await lists_service.values(session, guild_id, lists_service.WATCH_CATEGORIES)


async def require_category(session: AsyncSession, guild_id: int, value: str) -> str:
    return await lists_service.require_choice(session, guild_id, lists_service.WATCH_CATEGORIES, value)


async def category(session: AsyncSession, guild_id: int, value: str | None) -> str:
    if not value:
        return (await categories(session, guild_id))[0]
    return await require_category(session, guild_id, value)


@requires_lock
async def set_editorial(session: AsyncSession, guild_id: int, text: str | None) -> str | None:
    """The draft's editorial (published at the top of the next digest)."""
    row = await watch_settings(session, guild_id, lock=True)
    row.editorial = clean_text(text, "L'éditorial", MAX_EDITORIAL, multiline=True)
    return row.editorial


@requires_lock
async def toggle_empty_note(session: AsyncSession, guild_id: int) -> bool:
    row = await watch_settings(session, guild_id, lock=True)
    row.empty_note = not row.empty_note
    return row.empty_note


async def empty_note_wanted(session: AsyncSession, guild_id: int) -> bool:
    return (await watch_settings(session, guild_id)).empty_note


# -- the draft and a digest's content -------------------------------------------------


@dataclass
class DigestContent:
    """What a digest (or the draft) shows: items in publication order and contributors."""

    guild_id: int
    number: int | None
    period: str | None
    period_start: date | None
    period_end: date | None
    editorial: str | None
    items: list[WatchItem]
    contributors: dict[int, list[WatchContribution]]
    category_order: list[str]
    digest: WatchDigest | None = None

    @property
    def accepted(self) -> list[WatchItem]:
        return [i for i in self.items if i.status == ACCEPTED]

    @property
    def proposed(self) -> list[WatchItem]:
        return [i for i in self.items if i.status == PROPOSED]


def in_order(items: list[WatchItem], category_order: list[str]) -> list[WatchItem]:
    rank = {name: n for n, name in enumerate(category_order)}

    def key(item: WatchItem) -> tuple:
        position = item.position if item.position is not None else 10**9
        if item.featured:  # "À la une" first, in its own order, whatever the category
            return (0, 0, "", position, item.id)
        return (1, rank.get(item.category, len(rank)), item.category, position, item.id)

    return sorted(items, key=key)


async def draft_items(session: AsyncSession, guild_id: int) -> DigestContent:
    """The next digest as it stands: pending items (accepted and proposed)."""
    settings = await watch_settings(session, guild_id)
    items = list(
        (
            await session.scalars(
                select(WatchItem).where(
                    WatchItem.guild_id == guild_id,
                    WatchItem.digest_id.is_(None),
                    WatchItem.status != REMOVED,
                )
            )
        ).all()
    )
    order = await categories(session, guild_id)
    counter = await session.get(CounterRow, (guild_id, COUNTER))
    return DigestContent(
        guild_id=guild_id,
        number=(counter.value if counter else 0) + 1,
        period=None,
        period_start=None,
        period_end=None,
        editorial=settings.editorial,
        items=in_order(items, order),
        contributors=await contributions(session, [i.id for i in items]),
        category_order=order,
    )


async def digest_content(session: AsyncSession, digest: WatchDigest) -> DigestContent:
    items = list(
        (
            await session.scalars(
                select(WatchItem).where(WatchItem.digest_id == digest.id, WatchItem.status == ACCEPTED)
            )
        ).all()
    )
    order = await categories(session, digest.guild_id)
    return DigestContent(
        guild_id=digest.guild_id,
        number=digest.number,
        period=digest.period,
        period_start=digest.period_start,
        period_end=digest.period_end,
        editorial=digest.editorial,
        items=in_order(items, order),
        contributors=await contributions(session, [i.id for i in items]),
        category_order=order,
        digest=digest,
    )


async def contributions(session: AsyncSession, item_ids: list[int]) -> dict[int, list[WatchContribution]]:
    if not item_ids:
        return {}
    rows = (
        await session.scalars(
            select(WatchContribution).where(WatchContribution.item_id.in_(item_ids)).order_by(WatchContribution.id)
        )
    ).all()
    result: dict[int, list[WatchContribution]] = defaultdict(list)
    for row in rows:
        result[row.item_id].append(row)
    return result
