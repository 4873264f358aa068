"""The queue of bot messages to redact after an erasure or the retention purge.

Recorded in the same transaction as the erasure (nothing is lost if Discord fails or the
bot stops), done right after by the Discord side, retried by a periodic job with a growing
delay while Discord refuses (403, 5xx). A message that no longer exists shows nothing any
more: its row is simply done.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import insert_ignore
from bot.db.models.privacy import MessageRedaction
from bot.db.session import requires_lock

FIRST_RETRY = timedelta(minutes=5)
MAX_DELAY = timedelta(hours=24)
BATCH = 50


def retry_delay(attempts: int) -> timedelta:
    """5 min, 10 min, 20 min… at most a day between two tries (never given up)."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_DELAY)


async def record(
    session: AsyncSession,
    guild_id: int,
    kind: str,
    target_ids: list[int],
    *,
    now: datetime,
    message_id: int = 0,
) -> None:
    """Owe a redaction of each target's message (once per target: a pending one stays);
    `message_id` names one message of the target (a thread line), 0 the target's own."""
    for target_id in dict.fromkeys(target_ids):
        await insert_ignore(
            session,
            MessageRedaction,
            {
                "guild_id": guild_id,
                "kind": kind,
                "target_id": target_id,
                "message_id": message_id,
                "attempts": 0,
                "due_at": now,
                "created_at": now,
            },
            ["kind", "target_id", "message_id"],
        )
    await session.flush()


async def due(session: AsyncSession, now: datetime, *, limit: int = BATCH) -> list[MessageRedaction]:
    return list(
        (
            await session.scalars(
                select(MessageRedaction)
                .where(MessageRedaction.due_at <= now)
                .order_by(MessageRedaction.due_at, MessageRedaction.id)
                .limit(limit)
            )
        ).all()
    )


async def pending(session: AsyncSession, guild_id: int | None = None) -> list[MessageRedaction]:
    stmt = select(MessageRedaction).order_by(MessageRedaction.id)
    if guild_id is not None:
        stmt = stmt.where(MessageRedaction.guild_id == guild_id)
    return list((await session.scalars(stmt)).all())


async def mark_done(session: AsyncSession, redaction_id: int) -> None:
    await session.execute(delete(MessageRedaction).where(MessageRedaction.id == redaction_id))


@requires_lock
async def mark_failed(
    session: AsyncSession, redaction_id: int, now: datetime, *, status: int | None
) -> MessageRedaction | None:
    row = await session.get(MessageRedaction, redaction_id)
    if row is None:
        return None
    row.attempts += 1
    row.last_status = status
    row.due_at = now + retry_delay(row.attempts)
    await session.flush()
    return row
