"""The weekly watch (veille): links, the draft of the next digest, numbered digests, feeds.

Vocabulary:
- an *item* is a link (published as the member gave it, minus trackers; matched on its
  canonical key, see `watch_urls`) with a category, an optional comment and its
  contributors; it is *pending* (in the draft) while it belongs to no digest;
- the *draft* is the pending items not removed: accepted ones (shared by members or
  accepted by the coordinator) and proposals from feeds (published only once accepted);
- a *digest* is created the first time the outbox renders a period's post: it gets the next
  number of the server ("Veille n°34") and the accepted pending items, once. A retried post
  renders the same digest again (same number, same items); items added meanwhile wait for
  the next one.

Statistics (`figures`): a digest counts in a period when it was published in it (the outbox
post was sent); its accepted items count per category; contributors are distinct members
(or Discord accounts without a profile) who shared at least one of those items.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db import insert_ignore
from bot.db.models import Counter as CounterRow
from bot.db.models import Member, OutboxPost
from bot.db.models.watch import (
    ACCEPTED,
    PROPOSED,
    REMOVED,
    WatchContribution,
    WatchDigest,
    WatchFeed,
    WatchItem,
    WatchSettings,
)
from bot.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from bot.services import feed_memory
from bot.services import lists as lists_service
from bot.services import members as members_service
from bot.services.guilds import ensure_guild, next_number
from bot.services.schedules import MONTHLY, ScheduleValue
from bot.services.text import clean_text
from bot.services.watch_fetch import FeedResult, newest_first, stored_header
from bot.services.watch_urls import (  # noqa: F401 (ERR_*, MAX_URL, extract_url: re-exported)
    ERR_URL,
    ERR_URL_TOO_LONG,
    MAX_URL,
    extract_url,
    parse_link,
)

KIND = "digest"
COUNTER = "digest"
MAX_COMMENT = 500
MAX_EDITORIAL = 1500
FIRST_FEED_ENTRIES = 5
NEW_FEED_ENTRIES = 20

ERR_NO_LINK = "Ce message ne contient pas de lien web (http ou https). Utilisez /veille ajouter pour proposer un lien."
ERR_ALREADY_YOURS = "Vous avez déjà partagé ce lien pour la prochaine veille\u00a0: il y figure bien."
ERR_REMOVED = (
    "Ce lien a été écarté de la prochaine veille par la coordination. Parlez-en avec elle "
    "si vous pensez qu'il y a sa place."
)
ERR_ITEM_UNKNOWN = "Ce lien n'est pas (ou plus) dans le brouillon de la veille."
ERR_NOT_YOUR_ITEM = (
    "Vous ne pouvez retirer que les liens que vous êtes seul·e à avoir partagés. "
    "Demandez à la coordination pour les autres."
)
ERR_NOT_CONTRIBUTOR = "Seule la personne qui a partagé ce lien peut changer sa catégorie."
ERR_DIGEST_UNKNOWN = "La veille n°{number} n'existe pas (encore) sur ce serveur."
ERR_FEED_EXISTS = "Ce flux est déjà suivi."
ERR_FEED_UNKNOWN = "Ce flux n'est pas suivi sur ce serveur."
ERR_NOTHING_TO_PUBLISH = (
    "Rien à publier\u00a0: le brouillon ne contient aucun lien retenu. Les membres peuvent en "
    "proposer avec /veille ajouter."
)

# -- URLs (see watch_urls) ----------------------------------------------------------------


def normalise_url(raw: str) -> str:
    """The link as it is published: validated, trackers removed, otherwise as given.
    Kept for callers of the former name; matching uses `parse_link(...).key`."""
    return parse_link(raw).url


# -- settings and locking ---------------------------------------------------------------


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


async def _category(session: AsyncSession, guild_id: int, value: str | None) -> str:
    if not value:
        return (await categories(session, guild_id))[0]
    return await require_category(session, guild_id, value)


# -- items ------------------------------------------------------------------------------


@dataclass
class AddResult:
    item: WatchItem
    created: bool  # a new item (False: joined an item already in the draft)
    others: list[str] = field(default_factory=list)  # who had shared it before


async def pending_by_url(session: AsyncSession, guild_id: int, url: str) -> WatchItem | None:
    """The draft's item for the same page as `url` (same canonical key), if any."""
    return await pending_by_key(session, guild_id, parse_link(url).key)


async def pending_by_key(session: AsyncSession, guild_id: int, key: str) -> WatchItem | None:
    return await session.scalar(
        select(WatchItem)
        .where(
            WatchItem.guild_id == guild_id,
            WatchItem.url_key == key,
            WatchItem.digest_id.is_(None),
        )
        .order_by(WatchItem.id)
        .limit(1)
    )


async def _next_position(session: AsyncSession, guild_id: int) -> int:
    top = await session.scalar(
        select(func.max(WatchItem.position)).where(WatchItem.guild_id == guild_id, WatchItem.digest_id.is_(None))
    )
    return (top or 0) + 1


async def add_link(
    session: AsyncSession,
    guild_id: int,
    *,
    url: str,
    discord_id: int,
    display_name: str,
    now: datetime,
    category: str | None = None,
    comment: str | None = None,
    title: str | None = None,
    source_channel_id: int | None = None,
    source_message_id: int | None = None,
) -> AddResult:
    """Add a member's link to the draft. The same page already in the draft (same canonical
    key: `…/parents` and `…/parents/#top`) gets one more contributor instead of a second
    item; its published link stays the first one. Call inside `transaction(lock=True)`."""
    link = parse_link(url)
    comment = clean_text(comment, "Le commentaire", MAX_COMMENT, multiline=True)
    await watch_settings(session, guild_id, lock=True)
    chosen = await _category(session, guild_id, category) if category else None
    member = await members_service.find_by_discord(session, guild_id, discord_id)
    item = await pending_by_key(session, guild_id, link.key)
    created = item is None
    others: list[str] = []
    if item is None:
        item = WatchItem(
            guild_id=guild_id,
            url=link.url,
            url_key=link.key,
            title=title,
            category=chosen or await _category(session, guild_id, None),
            comment=comment,
            status=ACCEPTED,
            featured=False,
            position=await _next_position(session, guild_id),
            source_channel_id=source_channel_id,
            source_message_id=source_message_id,
            created_at=now,
        )
        session.add(item)
        await session.flush()
    else:
        contributions = await _contributions(session, [item.id])
        if any(c.discord_id == discord_id for c in contributions.get(item.id, [])):
            raise ConflictError(ERR_ALREADY_YOURS)
        if item.status == REMOVED:
            raise ConflictError(ERR_REMOVED)
        others = [c.display_name or "un membre" for c in contributions.get(item.id, [])]
        if item.status == PROPOSED:  # a member vouches for a feed's proposal
            item.status = ACCEPTED
            if chosen:
                item.category = chosen
        item.title = item.title or title
        if comment and not item.comment:
            item.comment = comment
        if item.source_message_id is None and source_message_id is not None:
            item.source_channel_id, item.source_message_id = source_channel_id, source_message_id
    session.add(
        WatchContribution(
            guild_id=guild_id,
            item_id=item.id,
            member_id=member.id if member else None,
            discord_id=discord_id,
            display_name=(member.display_name if member else display_name)[:100],
            comment=comment,
            created_at=now,
        )
    )
    await session.flush()
    return AddResult(item=item, created=created, others=others)


async def _contributions(session: AsyncSession, item_ids: list[int]) -> dict[int, list[WatchContribution]]:
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


async def pending_item(session: AsyncSession, guild_id: int, item_id: int) -> WatchItem:
    item = await session.get(WatchItem, item_id, with_for_update=True, populate_existing=True)
    if item is None or item.guild_id != guild_id or item.digest_id is not None or item.status == REMOVED:
        raise NotFoundError(ERR_ITEM_UNKNOWN)
    return item


async def removable_item(
    session: AsyncSession, guild_id: int, item_id: int, *, discord_id: int, coordinator: bool
) -> WatchItem:
    """The item, if this person may take it out of the draft (nothing is changed)."""
    item = await pending_item(session, guild_id, item_id)
    if not coordinator:
        contributors = {c.discord_id for c in (await _contributions(session, [item.id])).get(item.id, [])}
        if contributors != {discord_id}:
            raise PermissionDeniedError(ERR_NOT_YOUR_ITEM)
    return item


async def remove_item(
    session: AsyncSession, guild_id: int, item_id: int, *, discord_id: int, coordinator: bool
) -> WatchItem:
    """Take an item out of the draft: the coordination, or its only contributor."""
    item = await removable_item(session, guild_id, item_id, discord_id=discord_id, coordinator=coordinator)
    item.status = REMOVED
    item.featured = False
    return item


async def set_comment(session: AsyncSession, guild_id: int, item_id: int, comment: str | None) -> WatchItem:
    item = await pending_item(session, guild_id, item_id)
    item.comment = clean_text(comment, "Le commentaire", MAX_COMMENT, multiline=True)
    return item


async def toggle_featured(session: AsyncSession, guild_id: int, item_id: int) -> WatchItem:
    item = await pending_item(session, guild_id, item_id)
    item.featured = not item.featured
    if item.featured:
        item.status = ACCEPTED
    return item


async def accept_item(session: AsyncSession, guild_id: int, item_id: int) -> WatchItem:
    item = await pending_item(session, guild_id, item_id)
    item.status = ACCEPTED
    return item


async def set_category(
    session: AsyncSession, guild_id: int, item_id: int, category: str, *, discord_id: int | None
) -> WatchItem:
    """Change an item's category: the coordination (`discord_id=None`) or a contributor."""
    item = await pending_item(session, guild_id, item_id)
    if discord_id is not None:
        contributors = {c.discord_id for c in (await _contributions(session, [item.id])).get(item.id, [])}
        if discord_id not in contributors:
            raise PermissionDeniedError(ERR_NOT_CONTRIBUTOR)
    item.category = await _category(session, guild_id, category)
    return item


async def move_item(session: AsyncSession, guild_id: int, item_id: int, offset: int) -> WatchItem:
    """Move an item up (-1) or down (+1) among the draft items of its section."""
    await watch_settings(session, guild_id, lock=True)
    item = await pending_item(session, guild_id, item_id)
    draft = await draft_items(session, guild_id)
    section = [i for i in draft.items if _section(i) == _section(item)]
    index = next(n for n, i in enumerate(section) if i.id == item.id)
    target = index + offset
    if 0 <= target < len(section):
        section[index], section[target] = section[target], section[index]
        positions = sorted(i.position or 0 for i in section)
        if len(set(positions)) < len(positions):  # repair duplicates first
            positions = list(range(min(positions), min(positions) + len(positions)))
        for new_position, moved in zip(positions, section):
            moved.position = new_position
    return item


def _section(item: WatchItem) -> str:
    return "\0featured" if item.featured else item.category


async def set_editorial(session: AsyncSession, guild_id: int, text: str | None) -> str | None:
    row = await watch_settings(session, guild_id, lock=True)
    row.editorial = clean_text(text, "L'éditorial", MAX_EDITORIAL, multiline=True)
    return row.editorial


async def toggle_empty_note(session: AsyncSession, guild_id: int) -> bool:
    row = await watch_settings(session, guild_id, lock=True)
    row.empty_note = not row.empty_note
    return row.empty_note


# -- the draft and digests ---------------------------------------------------------------


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


def _order(items: list[WatchItem], category_order: list[str]) -> list[WatchItem]:
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
        items=_order(items, order),
        contributors=await _contributions(session, [i.id for i in items]),
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
        items=_order(items, order),
        contributors=await _contributions(session, [i.id for i in items]),
        category_order=order,
        digest=digest,
    )


def schedule_period(fire_time: datetime, value: ScheduleValue) -> str:
    """The period a scheduled digest closes: the ISO week ("2027-W24") or the month
    ("2027-06") containing the day before the fire time (Paris): Monday 21 June publishes
    the week of 14–20 June, 1 July publishes June."""
    day = fire_time.astimezone(PARIS).date() - timedelta(days=1)
    if value.frequency == MONTHLY:
        return f"{day.year}-{day.month:02d}"
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def manual_period(now: datetime) -> str:
    """The key of a digest published by hand (/veille publier): "2027-06-16-1030"."""
    local = now.astimezone(PARIS)
    return local.strftime("%Y-%m-%d-%H%M")


_WEEK_KEY = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
_MANUAL_KEY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-\d{4}(?:-\d+)?$")  # "-2": same minute


async def _period_bounds(session: AsyncSession, guild_id: int, period: str, today: date) -> tuple[date, date]:
    if match := _WEEK_KEY.match(period):
        start = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return start, start + timedelta(days=6)
    if match := _MONTH_KEY.match(period):
        year, month = int(match[1]), int(match[2])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    end = date(int(m[1]), int(m[2]), int(m[3])) if (m := _MANUAL_KEY.match(period)) else today
    previous = await session.scalar(select(func.max(WatchDigest.period_end)).where(WatchDigest.guild_id == guild_id))
    if previous is not None and previous < end:
        return previous + timedelta(days=1), end
    first = await session.scalar(
        select(func.min(WatchItem.created_at)).where(
            WatchItem.guild_id == guild_id, WatchItem.digest_id.is_(None), WatchItem.status == ACCEPTED
        )
    )
    start = first.astimezone(PARIS).date() if first else end
    return min(start, end), end


async def prepare_digest(session: AsyncSession, guild_id: int, period: str, *, today: date) -> DigestContent | None:
    """The digest of a period, created the first time (next number, the accepted pending
    items, the draft editorial) and reused after (same number and items). None when there
    is nothing to publish. Call inside `transaction(lock=True)`."""
    settings = await watch_settings(session, guild_id, lock=True)
    digest = await session.scalar(
        select(WatchDigest).where(WatchDigest.guild_id == guild_id, WatchDigest.period == period)
    )
    if digest is not None:
        return await digest_content(session, digest)
    draft = await draft_items(session, guild_id)
    if not draft.accepted:
        return None
    start, end = await _period_bounds(session, guild_id, period, today)
    digest = WatchDigest(
        guild_id=guild_id,
        number=await next_number(session, guild_id, COUNTER),
        period=period,
        period_start=start,
        period_end=end,
        editorial=settings.editorial,
    )
    session.add(digest)
    await session.flush()
    for item in draft.accepted:
        item.digest_id = digest.id
    settings.editorial = None
    await session.flush()
    return await digest_content(session, digest)


async def empty_note_wanted(session: AsyncSession, guild_id: int) -> bool:
    return (await watch_settings(session, guild_id)).empty_note


async def mark_published(session: AsyncSession, guild_id: int, period: str, now: datetime) -> None:
    """The digest of `period` was posted at `now` (called when the outbox marks it sent)."""
    digest = await session.scalar(
        select(WatchDigest).where(WatchDigest.guild_id == guild_id, WatchDigest.period == period)
    )
    if digest is not None and digest.published_at is None:
        digest.published_at = now


async def digest_by_period(session: AsyncSession, guild_id: int, period: str) -> DigestContent | None:
    digest = await session.scalar(
        select(WatchDigest).where(WatchDigest.guild_id == guild_id, WatchDigest.period == period)
    )
    return await digest_content(session, digest) if digest is not None else None


async def digest_by_number(session: AsyncSession, guild_id: int, number: int) -> DigestContent:
    digest = await session.scalar(
        select(WatchDigest).where(WatchDigest.guild_id == guild_id, WatchDigest.number == number)
    )
    if digest is None:
        raise NotFoundError(ERR_DIGEST_UNKNOWN.format(number=number))
    return await digest_content(session, digest)


async def digests(session: AsyncSession, guild_id: int, *, limit: int = 200) -> list[tuple[WatchDigest, int]]:
    """Past digests, newest first, with their number of items."""
    count = (
        select(func.count(WatchItem.id))
        .where(WatchItem.digest_id == WatchDigest.id, WatchItem.status == ACCEPTED)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(WatchDigest, count)
        .where(WatchDigest.guild_id == guild_id)
        .order_by(WatchDigest.number.desc())
        .limit(limit)
    )
    return [(d, n) for d, n in rows.all()]


async def search_archives(
    session: AsyncSession, guild_id: int, query: str, *, limit: int = 100
) -> list[tuple[WatchItem, WatchDigest]]:
    """Published items whose title, link, comment or category contains `query`."""
    words = [w for w in (query or "").split() if w][:5]
    stmt = (
        select(WatchItem, WatchDigest)
        .join(WatchDigest, WatchItem.digest_id == WatchDigest.id)
        .where(WatchItem.guild_id == guild_id, WatchItem.status == ACCEPTED)
    )
    for word in words:
        pattern = f"%{word.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(WatchItem.title).like(pattern),
                func.lower(WatchItem.url).like(pattern),
                func.lower(WatchItem.comment).like(pattern),
                func.lower(WatchItem.category).like(pattern),
            )
        )
    rows = await session.execute(stmt.order_by(WatchDigest.number.desc(), WatchItem.id).limit(limit))
    return [(i, d) for i, d in rows.all()]


async def search_pending(session: AsyncSession, guild_id: int, query: str) -> list[WatchItem]:
    draft = await draft_items(session, guild_id)
    wanted = (query or "").casefold().strip()
    return [item for item in draft.items if wanted in (item.title or "").casefold() or wanted in item.url.casefold()]


async def last_failed_post(session: AsyncSession, guild_id: int) -> OutboxPost | None:
    """The digest post that failed and waits for a retry, if any (told to the coordinator)."""
    from bot.db.models.outbox import FAILED

    return await session.scalar(
        select(OutboxPost)
        .where(OutboxPost.guild_id == guild_id, OutboxPost.kind == KIND, OutboxPost.state == FAILED)
        .order_by(OutboxPost.id.desc())
        .limit(1)
    )


# -- feeds ------------------------------------------------------------------------------


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
        category=await _category(session, guild_id, category),
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


async def record_feed_result(session: AsyncSession, feed_id: int, result: FeedResult, now: datetime) -> list[WatchItem]:
    """Store a fetched feed's state and propose its new entries in the draft, newest first
    by date: entries the feed has shown before (proposed or not) and entries whose link is
    already an item of the server (in the draft, removed or published) are skipped. The
    first reading proposes only the latest few entries; the others are remembered as seen.
    Header values too long for their column are not stored. Call in `transaction(lock=True)`."""
    feed = await session.get(WatchFeed, feed_id)
    if feed is None:
        return []
    await watch_settings(session, feed.guild_id, lock=True)
    feed.last_checked_at, feed.last_error = now, None
    feed.etag = stored_header(result.etag, WatchFeed.__table__.c.etag.type.length)
    feed.last_modified = stored_header(result.last_modified, WatchFeed.__table__.c.last_modified.type.length)
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
    position = await _next_position(session, feed.guild_id)
    added = []
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


# -- figures for the recap ---------------------------------------------------------------


@dataclass(frozen=True)
class WatchFigures:
    digests: int
    items: int
    items_by_category: dict[str, int]
    contributors: int


async def figures(session: AsyncSession, guild_id: int, start: datetime, end: datetime) -> WatchFigures:
    """Digests published in [start, end), their accepted items per category, distinct
    contributors."""
    published = WatchDigest.published_at
    digest_ids = list(
        (
            await session.scalars(
                select(WatchDigest.id).where(WatchDigest.guild_id == guild_id, published >= start, published < end)
            )
        ).all()
    )
    if not digest_ids:
        return WatchFigures(0, 0, {}, 0)
    items = (
        await session.execute(
            select(WatchItem.id, WatchItem.category).where(
                WatchItem.digest_id.in_(digest_ids), WatchItem.status == ACCEPTED
            )
        )
    ).all()
    per_category = Counter(category for _id, category in items)
    people = (
        await session.execute(
            select(WatchContribution.member_id, WatchContribution.discord_id).where(
                WatchContribution.item_id.in_([i for i, _c in items] or [-1])
            )
        )
    ).all()
    contributors = {
        ("m", member_id) if member_id is not None else ("d", discord_id)
        for member_id, discord_id in people
        if member_id is not None or discord_id is not None
    }
    return WatchFigures(len(digest_ids), len(items), dict(per_category), len(contributors))


# -- personal data -----------------------------------------------------------------------


def _theirs(member: Member):
    conditions = [WatchContribution.member_id == member.id]
    if member.discord_id is not None:
        conditions.append(WatchContribution.discord_id == member.discord_id)
    return (WatchContribution.guild_id == member.guild_id) & or_(*conditions)


async def export_member(session: AsyncSession, member: Member) -> list[dict]:
    rows = (
        await session.execute(
            select(WatchContribution, WatchItem, WatchDigest.number)
            .join(WatchItem, WatchContribution.item_id == WatchItem.id)
            .outerjoin(WatchDigest, WatchItem.digest_id == WatchDigest.id)
            .where(_theirs(member))
            .order_by(WatchContribution.id)
        )
    ).all()
    return [
        {
            "lien": item.url,
            "titre": item.title,
            "categorie": item.category,
            "commentaire": contribution.comment,
            "partage_le": contribution.created_at.isoformat(),
            "veille_numero": number,
        }
        for contribution, item, number in rows
    ]


async def anonymise_member(session: AsyncSession, member: Member, now: datetime) -> None:
    """Remove the member's name, Discord id and comments from their contributions (and
    their comment shown on an item); the contribution stays counted, unlinkable."""
    contributions = (await session.scalars(select(WatchContribution).where(_theirs(member)))).all()
    for contribution in contributions:
        if contribution.comment:
            item = await session.get(WatchItem, contribution.item_id)
            if item is not None and item.comment == contribution.comment:
                item.comment = None
        contribution.discord_id = None
        contribution.display_name = None
        contribution.comment = None
        contribution.member_id = member.id
    await session.flush()


async def digests_showing(session: AsyncSession, member: Member) -> list[tuple[str, int]]:
    """The published digests (their outbox posts) crediting the member by name."""
    from bot.db.models import OutboxPost
    from bot.db.models.privacy import DIGEST

    post_ids = (
        await session.scalars(
            select(OutboxPost.id)
            .join(
                WatchDigest,
                (WatchDigest.guild_id == OutboxPost.guild_id) & (WatchDigest.period == OutboxPost.period),
            )
            .join(WatchItem, WatchItem.digest_id == WatchDigest.id)
            .join(WatchContribution, WatchContribution.item_id == WatchItem.id)
            .where(OutboxPost.kind == KIND, OutboxPost.message_ids != "[]", _theirs(member))
            .distinct()
        )
    ).all()
    return [(DIGEST, post_id) for post_id in post_ids]


PRIVACY_COLUMNS = (
    "watch_contributions.discord_id",
    "watch_contributions.display_name",
    "watch_contributions.comment",
    "watch_items.comment",
)
