"""What each watch feed has already shown: the entries weighed at a reading are remembered
(by a SHA-256 of their link's de-duplication key), so an entry is never weighed twice, and
the entries not proposed at the first reading never come back as new at the next one."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.watch import WatchFeedEntry

FORGET_AFTER = timedelta(days=400)  # entries gone from the feed for longer are forgotten


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


async def has_memory(session: AsyncSession, feed_id: int) -> bool:
    """False until a reading has recorded entries: that reading is the feed's first."""
    return bool(await session.scalar(select(exists().where(WatchFeedEntry.feed_id == feed_id))))


async def remember(session: AsyncSession, feed_id: int, keys: Iterable[str], now: datetime) -> set[str]:
    """Record the keys of a reading; return those never seen before. Call in the feed's
    unit of work (the server's watch lock serialises readings)."""
    by_hash = {key_hash(key): key for key in keys}
    if not by_hash:
        return set()
    known = set(
        (
            await session.scalars(
                select(WatchFeedEntry.key_hash).where(
                    WatchFeedEntry.feed_id == feed_id, WatchFeedEntry.key_hash.in_(list(by_hash))
                )
            )
        ).all()
    )
    fresh = {h: key for h, key in by_hash.items() if h not in known}
    session.add_all(WatchFeedEntry(feed_id=feed_id, key_hash=h, seen_at=now) for h in fresh)
    await session.execute(
        delete(WatchFeedEntry).where(
            WatchFeedEntry.feed_id == feed_id,
            WatchFeedEntry.seen_at < now - FORGET_AFTER,
            WatchFeedEntry.key_hash.not_in(list(by_hash)),
        )
    )
    await session.flush()
    return set(fresh.values())
