"""The outbox's database side: scheduled posts with an idempotency key and their states.

A post is identified by (guild, kind, period): enqueuing it twice is harmless. Delivery
claims it (pending/failed → sending) with one conditional UPDATE, records each part as it
is posted, then marks it sent. A post found in "sending" at start-up, or still "sending" a
few minutes after its last sign of life (`STALE_AFTER`), was interrupted: the dispatcher
looks in the channel for the parts already posted before sending the rest. So does every
retry of a post whose last send may have reached Discord (`maybe_sent`).

The functions here that read then write are marked `@requires_lock` (bot.db.session): they
run only inside `transaction(lock=True)`.

`coordination_alerts` rows remember what the coordination was told (bot.alerts).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any, cast

from babel.dates import format_date
from sqlalchemy import ColumnElement, CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from bot.db import insert_ignore
from bot.db.models import OutboxPost
from bot.db.models.outbox import FAILED, PENDING, SENDING, SENT, CoordinationAlert
from bot.db.session import requires_lock
from bot.french import LOCALE, NBSP
from bot.services.guilds import ensure_guild

MAX_ATTEMPTS = 8
# A post in "sending" without news for this long was abandoned (a crash, a bug): taken again.
STALE_AFTER = timedelta(minutes=5)

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MINUTE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(?:-(\d+))?$")


def period_label(period: str) -> str:
    """A period key in words, one-to-one (the outbox finds a post's parts by it):
    "2026" → "2026", "2026-10" → "octobre 2026", "2027-W24" → "semaine du 14 juin 2027",
    "2027-06-16-1030" → "16 juin 2027 à 10 h 30", "2027-06-16-1030-2" → "… (2)"; any other
    key is shown as it is."""
    try:
        if _YEAR.match(period):
            return period
        if match := _MONTH.match(period):
            return format_date(date(int(match[1]), int(match[2]), 1), "LLLL y", locale=LOCALE)
        if match := _WEEK.match(period):
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return f"semaine du {format_date(monday, 'd MMMM y', locale=LOCALE)}"
        if match := _MINUTE.match(period):
            day = format_date(date(int(match[1]), int(match[2]), int(match[3])), "d MMMM y", locale=LOCALE)
            text = f"{day} à {int(match[4])}{NBSP}h{NBSP}{match[5]}"
            return f"{text} ({match[6]})" if match[6] else text
    except ValueError:  # "2027-13": not a date after all
        pass
    return period


def retry_delay(attempts: int) -> timedelta:
    """Back-off after a failed delivery: 1, 2, 4… minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


@requires_lock
async def enqueue(
    session: AsyncSession,
    guild_id: int,
    kind: str,
    period: str,
    *,
    channel_id: int | None,
    due_at: datetime,
) -> OutboxPost:
    """The post for (guild, kind, period), created pending if it does not exist yet."""
    await ensure_guild(session, guild_id)
    await insert_ignore(
        session,
        OutboxPost,
        {
            "guild_id": guild_id,
            "kind": kind,
            "period": period,
            "channel_id": channel_id,
            "due_at": due_at,
            "state": PENDING,
            "attempts": 0,
            "message_ids": "[]",
        },
        ["guild_id", "kind", "period"],
    )
    post = await session.scalar(
        select(OutboxPost)
        .where(OutboxPost.guild_id == guild_id, OutboxPost.kind == kind, OutboxPost.period == period)
        .execution_options(populate_existing=True)
    )
    assert post is not None
    return post


async def due(session: AsyncSession, now: datetime) -> list[OutboxPost]:
    """Posts to deliver now: pending or failed, due, with attempts left."""
    stmt = (
        select(OutboxPost)
        .where(
            OutboxPost.state.in_((PENDING, FAILED)),
            OutboxPost.due_at <= now,
            OutboxPost.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxPost.due_at, OutboxPost.id)
    )
    return list((await session.scalars(stmt)).all())


async def interrupted(session: AsyncSession, *, stale_before: datetime | None = None) -> list[OutboxPost]:
    """Posts left in "sending": all of them at start-up (the previous process stopped during
    delivery), or those without news since `stale_before` (abandoned)."""
    stmt = select(OutboxPost).where(OutboxPost.state == SENDING)
    if stale_before is not None:
        stmt = stmt.where(OutboxPost.updated_at < stale_before)
    return list((await session.scalars(stmt.order_by(OutboxPost.id))).all())


async def claim(
    session: AsyncSession,
    post_id: int,
    now: datetime,
    *,
    resume: bool = False,
    stale_before: datetime | None = None,
) -> bool:
    """Take the post for delivery. Exactly one caller wins; `resume` takes back a post left
    in "sending" (by a previous process, or since `stale_before`)."""
    condition: ColumnElement[bool] = OutboxPost.state.in_((SENDING,) if resume else (PENDING, FAILED))
    if resume and stale_before is not None:
        condition = condition & (OutboxPost.updated_at < stale_before)
    result = await session.execute(
        update(OutboxPost)
        .where(OutboxPost.id == post_id, condition)
        .values(state=SENDING, attempts=OutboxPost.attempts + 1, updated_at=now)
    )
    return cast(CursorResult[Any], result).rowcount == 1


async def _locked(session: AsyncSession, post_id: int) -> OutboxPost:
    post = await session.scalar(
        select(OutboxPost).where(OutboxPost.id == post_id).with_for_update().execution_options(populate_existing=True)
    )
    assert post is not None
    return post


def _touch(post: OutboxPost, now: datetime) -> None:
    """updated_at = now, written even when unchanged (else the column's onupdate default
    would stamp another clock's time)."""
    post.updated_at = now
    flag_modified(post, "updated_at")


@requires_lock
async def record_part(
    session: AsyncSession, post_id: int, index: int, message_id: int, *, now: datetime | None = None
) -> None:
    """Part `index` of the post is in the channel as `message_id`."""
    await record_parts(session, post_id, {index: message_id}, now=now)


@requires_lock
async def record_parts(
    session: AsyncSession,
    post_id: int,
    found: dict[int, int],
    *,
    now: datetime | None = None,
    reconciled: bool = False,
) -> OutboxPost:
    """Parts found or posted, by index. `reconciled`: the channel was searched, so what may
    have reached Discord is now known (clears `maybe_sent`)."""
    post = await _locked(session, post_id)
    ids = parts(post)
    for index, message_id in found.items():
        ids += [None] * (index + 1 - len(ids))
        ids[index] = message_id
    post.message_ids = json.dumps(ids)
    if reconciled:
        post.maybe_sent = False
    if now is not None:
        _touch(post, now)
    return post


@requires_lock
async def mark_sent(session: AsyncSession, post_id: int, now: datetime) -> OutboxPost:
    post = await _locked(session, post_id)
    post.state, post.sent_at = SENT, now
    post.last_error, post.maybe_sent = None, False
    _touch(post, now)
    return post


@requires_lock
async def mark_failed(
    session: AsyncSession, post_id: int, now: datetime, error: str, *, maybe_sent: bool = False
) -> OutboxPost:
    """Failed: retried after a back-off while attempts are left. `error` is the French
    explanation shown to the coordination; `maybe_sent`: the last send may have reached
    Discord (kept until the channel has been searched)."""
    post = await _locked(session, post_id)
    post.state = FAILED
    post.last_error = error[:1000]
    post.due_at = now + retry_delay(post.attempts)
    post.maybe_sent = post.maybe_sent or maybe_sent
    _touch(post, now)
    return post


def alert_key(post: OutboxPost) -> str:
    """The key under which the coordination is told that `post` was given up."""
    return f"outbox:{post.id}"


@requires_lock
async def retry_now(session: AsyncSession, guild_id: int, channels: dict[str, int | None], now: datetime) -> int:
    """After the server's channels were (re)chosen: every post still owed (pending or failed,
    even after its last attempt) is due now with fresh attempts, in the channel its kind now
    uses (`channels`, by kind) unless part of it may already be in the old one. Returns how
    many posts are owed."""
    posts = (
        await session.scalars(
            select(OutboxPost)
            .where(OutboxPost.guild_id == guild_id, OutboxPost.state.in_((PENDING, FAILED)))
            .with_for_update()
        )
    ).all()
    for post in posts:
        await rearm(session, post, now, channel_id=channels.get(post.kind))
    return len(posts)


@requires_lock
async def rearm(session: AsyncSession, post: OutboxPost, now: datetime, *, channel_id: int | None) -> None:
    """A post still owed is due now, with fresh attempts (a failed one, after a fix), in
    `channel_id` unless part of it may already be in its old channel; the coordination will
    be told again if it fails to the end. A post in "sending" is left to the dispatcher."""
    if post.state == SENDING:
        return
    if channel_id and not post.maybe_sent and not any(parts(post)):
        post.channel_id = channel_id
    if post.state == FAILED:
        post.attempts, post.due_at = 0, now
        await session.execute(
            delete(CoordinationAlert).where(
                CoordinationAlert.guild_id == post.guild_id, CoordinationAlert.key == alert_key(post)
            )
        )
    _touch(post, now)


async def given_up(session: AsyncSession, since: datetime) -> list[OutboxPost]:
    """Posts that failed their last attempt since `since` (their alert may not have gone out)."""
    stmt = select(OutboxPost).where(
        OutboxPost.state == FAILED,
        OutboxPost.attempts >= MAX_ATTEMPTS,
        OutboxPost.updated_at >= since,
    )
    return list((await session.scalars(stmt.order_by(OutboxPost.id))).all())


def exhausted(post: OutboxPost) -> bool:
    """No automatic attempt is left: only a manual retry (or a new configuration) helps."""
    return post.state == FAILED and post.attempts >= MAX_ATTEMPTS


async def failing(session: AsyncSession, guild_id: int, now: datetime) -> list[OutboxPost]:
    """The server's posts that need attention: failed, or stuck in "sending"."""
    stmt = (
        select(OutboxPost)
        .where(
            OutboxPost.guild_id == guild_id,
            (OutboxPost.state == FAILED)
            | ((OutboxPost.state == SENDING) & (OutboxPost.updated_at < now - STALE_AFTER)),
        )
        .order_by(OutboxPost.due_at)
    )
    return list((await session.scalars(stmt)).all())


async def get(session: AsyncSession, guild_id: int, kind: str, period: str) -> OutboxPost | None:
    return await session.scalar(
        select(OutboxPost)
        .where(OutboxPost.guild_id == guild_id, OutboxPost.kind == kind, OutboxPost.period == period)
        .execution_options(populate_existing=True)
    )


async def free_period(session: AsyncSession, guild_id: int, kind: str, base: str) -> str:
    """`base`, or `base-2`, `base-3`… when a post of that key already exists (a post made by
    hand twice in the same minute is two posts)."""
    taken = set(
        (
            await session.scalars(
                select(OutboxPost.period).where(
                    OutboxPost.guild_id == guild_id,
                    OutboxPost.kind == kind,
                    OutboxPost.period.like(f"{base}%"),
                )
            )
        ).all()
    )
    period, n = base, 1
    while period in taken:
        n += 1
        period = f"{base}-{n}"
    return period


async def existing_periods(session: AsyncSession, guild_id: int) -> set[tuple[str, str]]:
    """(kind, period) of the server's posts (the sweep owes only the missing ones)."""
    rows = await session.execute(select(OutboxPost.kind, OutboxPost.period).where(OutboxPost.guild_id == guild_id))
    return {(kind, period) for kind, period in rows.all()}


# -- what the coordination was told (bot.alerts) ----------------------------------------


async def alert_delivered(session: AsyncSession, guild_id: int, key: str) -> bool:
    row = await session.scalar(
        select(CoordinationAlert).where(CoordinationAlert.guild_id == guild_id, CoordinationAlert.key == key[:200])
    )
    return row is not None and row.sent_at is not None


async def record_alert(
    session: AsyncSession,
    guild_id: int,
    key: str,
    *,
    channel_id: int,
    message_id: int,
    now: datetime,
) -> None:
    await insert_ignore(
        session,
        CoordinationAlert,
        {"guild_id": guild_id, "key": key[:200], "created_at": now},
        ["guild_id", "key"],
    )
    await session.execute(
        update(CoordinationAlert)
        .where(CoordinationAlert.guild_id == guild_id, CoordinationAlert.key == key[:200])
        .values(channel_id=channel_id, message_id=message_id, sent_at=now)
    )


async def history(
    session: AsyncSession, guild_id: int, *, kind: str | None = None, limit: int = 20
) -> list[OutboxPost]:
    stmt = select(OutboxPost).where(OutboxPost.guild_id == guild_id)
    if kind:
        stmt = stmt.where(OutboxPost.kind == kind)
    stmt = stmt.order_by(OutboxPost.due_at.desc()).limit(limit)
    return list((await session.scalars(stmt)).all())


def parts(post: OutboxPost) -> list[int | None]:
    return list(json.loads(post.message_ids or "[]"))
