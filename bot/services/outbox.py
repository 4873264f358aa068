"""The outbox's database side: scheduled posts with an idempotency key and their states.

A post is identified by (guild, kind, period): enqueuing it twice is harmless. Delivery
claims it (pending/failed → sending) with one conditional UPDATE, records each part as it
is posted, then marks it sent. A post found in "sending" at start-up was interrupted: the
dispatcher looks in the channel for the parts already posted before sending the rest.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import insert_ignore
from bot.db.models import OutboxPost
from bot.db.models.outbox import FAILED, PENDING, SENDING, SENT
from bot.services.guilds import ensure_guild

MAX_ATTEMPTS = 8


def retry_delay(attempts: int) -> timedelta:
    """Back-off after a failed delivery: 1, 2, 4… minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


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


async def interrupted(session: AsyncSession) -> list[OutboxPost]:
    """Posts left in "sending" (the process stopped during delivery)."""
    stmt = select(OutboxPost).where(OutboxPost.state == SENDING).order_by(OutboxPost.id)
    return list((await session.scalars(stmt)).all())


async def claim(session: AsyncSession, post_id: int, now: datetime, *, resume: bool = False) -> bool:
    """Take the post for delivery. Exactly one caller wins; `resume` takes back a post left
    in "sending" by a previous process."""
    states = (SENDING,) if resume else (PENDING, FAILED)
    result = await session.execute(
        update(OutboxPost)
        .where(OutboxPost.id == post_id, OutboxPost.state.in_(states))
        .values(state=SENDING, attempts=OutboxPost.attempts + 1, updated_at=now)
    )
    return result.rowcount == 1


async def record_part(session: AsyncSession, post_id: int, index: int, message_id: int) -> None:
    post = await session.get(OutboxPost, post_id, populate_existing=True)
    assert post is not None
    ids = parts(post)
    ids += [None] * (index + 1 - len(ids))
    ids[index] = message_id
    post.message_ids = json.dumps(ids)


async def mark_sent(session: AsyncSession, post_id: int, now: datetime) -> None:
    await session.execute(
        update(OutboxPost)
        .where(OutboxPost.id == post_id)
        .values(state=SENT, sent_at=now, last_error=None, updated_at=now)
    )


async def mark_failed(session: AsyncSession, post_id: int, now: datetime, error: str) -> OutboxPost:
    post = await session.get(OutboxPost, post_id, populate_existing=True)
    assert post is not None
    post.state = FAILED
    post.last_error = error[:1000]
    post.due_at = now + retry_delay(post.attempts)
    post.updated_at = now
    return post


async def get(session: AsyncSession, guild_id: int, kind: str, period: str) -> OutboxPost | None:
    return await session.scalar(
        select(OutboxPost).where(
            OutboxPost.guild_id == guild_id, OutboxPost.kind == kind, OutboxPost.period == period
        )
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

