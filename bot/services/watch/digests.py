"""Numbered digests: the period a post closes, the digest created (once) when the outbox
first renders it, its publication, the archives.

A *digest* is created the first time the outbox renders a period's post: it gets the next
number of the server ("Veille n°34") and the accepted pending items, once. A retried post
renders the same digest again (same number, same items); items added meanwhile wait for the
next one.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db.models import OutboxPost
from bot.db.models.outbox import FAILED
from bot.db.models.watch import ACCEPTED, WatchDigest, WatchItem
from bot.db.session import requires_lock
from bot.errors import NotFoundError, ValidationError
from bot.services import outbox as outbox_service
from bot.services.guilds import next_number
from bot.services.schedules import MONTHLY, WEEKLY, ScheduleValue
from bot.services.watch import draft as watch_draft
from bot.services.watch.draft import COUNTER, DigestContent, digest_content

KIND = "digest"  # the outbox kind (and schedule) of digests
DEFAULT_SCHEDULE = ScheduleValue(frequency=WEEKLY, weekday=0, hour=9)  # Mondays at 9:00

ERR_DIGEST_UNKNOWN = "La veille n°{number} n'existe pas (encore) sur ce serveur."
ERR_NOTHING_TO_PUBLISH = (
    "Rien à publier\u00a0: le brouillon ne contient aucun lien retenu. Les membres peuvent en "
    "proposer avec /veille ajouter."
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


WEEK_KEY = re.compile(r"^(\d{4})-W(\d{2})$")
MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
MANUAL_KEY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-\d{4}(?:-\d+)?$")  # "-2": same minute


async def period_bounds(session: AsyncSession, guild_id: int, period: str, today: date) -> tuple[date, date]:
    if match := WEEK_KEY.match(period):
        start = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return start, start + timedelta(days=6)
    if match := MONTH_KEY.match(period):
        year, month = int(match[1]), int(match[2])
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    end = date(int(m[1]), int(m[2]), int(m[3])) if (m := MANUAL_KEY.match(period)) else today
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


@requires_lock
async def prepare_digest(session: AsyncSession, guild_id: int, period: str, *, today: date) -> DigestContent | None:
    """The digest of a period, created the first time (next number, the accepted pending
    items, the draft editorial) and reused after (same number and items). None when there
    is nothing to publish."""
    settings = await watch_draft.watch_settings(session, guild_id, lock=True)
    digest = await session.scalar(
        select(WatchDigest).where(WatchDigest.guild_id == guild_id, WatchDigest.period == period)
    )
    if digest is not None:
        return await digest_content(session, digest)
    draft = await watch_draft.draft_items(session, guild_id)
    if not draft.accepted:
        return None
    start, end = await period_bounds(session, guild_id, period, today)
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


@requires_lock
async def publish_now(session: AsyncSession, guild_id: int, now: datetime, *, channel_id: int) -> str:
    """/veille publier: the digest post due now in `channel_id`; returns its period. A digest
    that failed (retried now, fresh attempts) or was abandoned while being sent (the
    dispatcher takes it back) goes first: its links are reserved to it. Otherwise a new post,
    unless there is nothing to publish and no note is wanted."""
    owed = [p for p in await outbox_service.failing(session, guild_id, now) if p.kind == KIND]
    if owed:
        failed = max(owed, key=lambda p: p.id)
        await outbox_service.rearm(session, failed, now, channel_id=channel_id)
        return failed.period
    draft = await watch_draft.draft_items(session, guild_id)
    settings = await watch_draft.watch_settings(session, guild_id)
    if not draft.accepted and not settings.empty_note:
        raise ValidationError(ERR_NOTHING_TO_PUBLISH)
    # A key free even when /veille publier ran a minute ago (minute resolution).
    period = await outbox_service.free_period(session, guild_id, KIND, manual_period(now))
    await outbox_service.enqueue(session, guild_id, KIND, period, channel_id=channel_id, due_at=now)
    return period


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
    return [(row[0], int(row[1])) for row in rows.all()]


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


async def digest_post(session: AsyncSession, post_id: int) -> OutboxPost | None:
    """The outbox post `post_id` if it is a digest's (redacted after an erasure)."""
    post = await session.get(OutboxPost, post_id)
    return post if post is not None and post.kind == KIND else None


async def last_failed_post(session: AsyncSession, guild_id: int) -> OutboxPost | None:
    """The digest post that failed and waits for a retry, if any (told to the coordinator)."""
    return await session.scalar(
        select(OutboxPost)
        .where(OutboxPost.guild_id == guild_id, OutboxPost.kind == KIND, OutboxPost.state == FAILED)
        .order_by(OutboxPost.id.desc())
        .limit(1)
    )
