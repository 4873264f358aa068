"""The watch's figures, for the monthly summary and the year-end recap (the only
implementation: `bot.services.recap.year` and `.month` call it).

- A digest counts in a window when it was published in it (its outbox post was sent).
- Its links are its accepted items, also counted per category.
- Contributors: distinct members (or Discord accounts without a profile) who shared at
  least one of those links.
- Links shared in a window: the items added to the draft in it (by members or proposed by
  a feed), whatever became of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.watch import ACCEPTED, WatchContribution, WatchDigest, WatchItem
from bot.services.periods import Window


@dataclass(frozen=True)
class WatchFigures:
    digests: int  # published in the window
    items: int  # the accepted links of those digests
    items_by_category: dict[str, int] = field(default_factory=dict)
    contributors: int = 0


def _published(guild_id: int, w: Window) -> tuple[ColumnElement[bool], ...]:
    return (WatchDigest.guild_id == guild_id, WatchDigest.published_at >= w.start, WatchDigest.published_at < w.end)


async def figures(session: AsyncSession, guild_id: int, w: Window) -> WatchFigures:
    """Digests published in the window, their accepted links (per category), contributors."""
    digests = await session.scalar(select(func.count(WatchDigest.id)).where(*_published(guild_id, w)))
    published = _published(guild_id, w)
    per_category = {
        category: int(count)
        for category, count in (
            await session.execute(
                select(WatchItem.category, func.count(WatchItem.id))
                .join(WatchDigest, WatchDigest.id == WatchItem.digest_id)
                .where(*published, WatchItem.status == ACCEPTED)
                .group_by(WatchItem.category)
            )
        ).tuples()
    }
    # A contributor is a member, or a Discord account without a profile: the two counts are
    # of disjoint sets (counted in SQL, read from the digests of the window down).
    members, accounts = (
        await session.execute(
            select(
                func.count(distinct(WatchContribution.member_id)),
                func.count(distinct(case((WatchContribution.member_id.is_(None), WatchContribution.discord_id)))),
            )
            .select_from(WatchDigest)
            .join(WatchItem, WatchItem.digest_id == WatchDigest.id)
            .join(WatchContribution, WatchContribution.item_id == WatchItem.id)
            .where(*published, WatchItem.status == ACCEPTED)
        )
    ).one()
    contributors = int(members or 0) + int(accounts or 0)
    return WatchFigures(int(digests or 0), sum(per_category.values()), per_category, contributors)


async def items_shared(session: AsyncSession, guild_id: int, w: Window) -> int:
    """Links added to the draft in the window (by members or proposed by feeds)."""
    count = await session.scalar(
        select(func.count(WatchItem.id)).where(
            WatchItem.guild_id == guild_id, WatchItem.created_at >= w.start, WatchItem.created_at < w.end
        )
    )
    return int(count or 0)
