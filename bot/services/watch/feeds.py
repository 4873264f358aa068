"""RSS/Atom feeds followed by a server: their new entries are proposed in the draft."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.watch import PROPOSED, WatchFeed, WatchItem
from bot.db.session import requires_lock
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.services.guilds import ensure_guild
from bot.services.watch import draft as watch_draft
from bot.services.watch import feed_memory
from bot.services.watch.fetch import FeedResult, newest_first, stored_header
from bot.services.watch.items import next_position
from bot.services.watch.urls import parse_link

FIRST_FEED_ENTRIES = 5
NEW_FEED_ENTRIES = 20

ERR_FEED_EXISTS = "Ce flux est déjà suivi."
ERR_FEED_UNKNOWN = "Ce flux n'est pas suivi sur ce serveur."


@requires_lock
async def add_feed(session: AsyncSession, guild_id: int, url: str, *, category: str | None, now: datetime) -> WatchFeed:
    link = parse_link(url)
    await ensure_guild(session, guild_id)
    existing = await session.scalar(
        select(WatchFeed).where(WatchFeed.guild_id == guild_id, WatchFeed.url_key == link.key)
    )
    if existing is not None:
        raise ConflictError(ERR_FEED_EXISTS)
    feed = WatchFeed(
        guild_id=guild_id,
        url=link.url,
        url_key=link.key,
        category=await watch_draft.category(session, guild_id, category),
        created_at=now,
    )
    session.add(feed)
    await session.flush()
    return feed


async def feeds(session: AsyncSession, guild_id: int | None = None) -> list[WatchFeed]:
    stmt = select(WatchFeed).order_by(WatchFeed.guild_id, WatchFeed.id)
    if guild_id is not None:
        stmt = stmt.where(WatchFeed.guild_id == guild_id)
    return list((await session.scalars(stmt)).all())


async def remove_feed(session: AsyncSession, guild_id: int, feed_id: int) -> WatchFeed:
    feed = await session.get(WatchFeed, feed_id)
    if feed is None or feed.guild_id != guild_id:
        raise NotFoundError(ERR_FEED_UNKNOWN)
    await session.delete(feed)
    return feed


async def record_feed_failure(session: AsyncSession, feed_id: int, reason: str, now: datetime) -> None:
    feed = await session.get(WatchFeed, feed_id)
    if feed is not None:
        feed.last_error, feed.last_checked_at = reason[:500], now


def _length(column: str) -> int:
    kind = WatchFeed.__table__.c[column].type
    assert isinstance(kind, String) and kind.length is not None
    return kind.length


@requires_lock
async def record_feed_result(session: AsyncSession, feed_id: int, result: FeedResult, now: datetime) -> list[WatchItem]:
    """Store a fetched feed's state and propose its new entries in the draft, newest first
    by date: entries the feed has shown before (proposed or not) and entries whose link is
    already an item of the server (in the draft, removed or published) are skipped. The
    first reading proposes only the latest few entries; the others are remembered as seen.
    Header values too long for their column are not stored."""
    feed = await session.get(WatchFeed, feed_id)
    if feed is None:
        return []
    await watch_draft.watch_settings(session, feed.guild_id, lock=True)
    feed.last_checked_at, feed.last_error = now, None
    feed.etag = stored_header(result.etag, _length("etag"))
    feed.last_modified = stored_header(result.last_modified, _length("last_modified"))
    if result.title:
        feed.title = result.title
    if result.not_modified:
        return []
    limit = NEW_FEED_ENTRIES if await feed_memory.has_memory(session, feed.id) else FIRST_FEED_ENTRIES
    links: dict[str, tuple[str, str | None]] = {}  # key -> (published link, title)
    for entry in newest_first(result.entries):
        try:
            link = parse_link(entry.url)
        except ValidationError:
            continue
        links.setdefault(link.key, (link.url, entry.title))
    if not links:
        return []
    fresh = await feed_memory.remember(session, feed.id, links, now)
    known = set(
        (
            await session.scalars(
                select(WatchItem.url_key).where(WatchItem.guild_id == feed.guild_id, WatchItem.url_key.in_(list(links)))
            )
        ).all()
    )
    position = await next_position(session, feed.guild_id)
    added: list[WatchItem] = []
    for key, (url, title) in links.items():
        if key not in fresh or key in known or len(added) >= limit:
            continue
        item = WatchItem(
            guild_id=feed.guild_id,
            url=url,
            url_key=key,
            title=title,
            category=feed.category,
            status=PROPOSED,
            featured=False,
            position=position,
            feed_id=feed.id,
            created_at=now,
        )
        position += 1
        session.add(item)
        added.append(item)
    await session.flush()
    return added
