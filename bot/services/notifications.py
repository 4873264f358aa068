"""Durable notifications: the one path every message owed to a person goes through (event
reminders, waitlist promotions, event changes and cancellations, request reminders, passed
sessions, nudges of the coordination).

The guarantee
-------------
**At least once, deduplicated by a reference.** A feature queues a notification in the same
transaction as the change that causes it (the reminder recorded as sent, the seat given to
the first of the waitlist), so the two are committed together or not at all. Each has a
unique reference (`ref`, e.g. ``event_reminder:12:24:<user>``): queuing the same reference
again does nothing, so a job that runs twice notifies once.

Delivery (`bot.notifier`) starts right after the commit and is retried by a periodic job
(every minute, and at start-up) with back-off: 1, 5, 15, then 60 minutes between attempts,
`MAX_ATTEMPTS` attempts in all. The fallback order is: a private message (DM) → a mention in
the event's announcement channel or the request's thread → after the last attempt, or as
soon as both are refused for good (DMs closed and channel missing or forbidden), the
coordination is told in French who was not reached. A notification that has expired (a
reminder for an event that has started) goes straight to the coordination.

Discord cannot look a DM up by a key, so deduplication on Discord's side is best effort:
an attempt whose outcome is unknown (a 5xx or a connection reset after the request left, or
a process killed in flight) is marked `uncertain`, and the next attempt first reads the last
messages of the target (the DM channel or the channel) and counts a message of the bot with
the same text as delivered. A person may thus, very rarely, get the same message twice (the
history could not be read and the first message did arrive); they never get none without
the coordination being told.

Services never import discord: this module only stores and schedules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import insert_ignore
from bot.db.models import Member
from bot.db.models.notifications import CHANNEL, DM, GAVE_UP, PENDING, SENT, Notification
from bot.db.session import requires_lock
from bot.services.privacy import PrivacyHook

MAX_ATTEMPTS = 5
BACKOFF_MINUTES = (1, 5, 15, 60)  # after the 1st, 2nd, 3rd, 4th and later failed attempt
LEASE = timedelta(minutes=5)  # an attempt in flight is not taken again before this
ALERT_RETRY = timedelta(hours=1)  # when even the coordination could not be told
KEEP_FINISHED = timedelta(days=30)  # delivered or given-up rows are then deleted
MAX_REF = 160
MAX_ERROR = 200


@dataclass(frozen=True)
class NewNotification:
    """What a feature queues. `dm_text` None: no DM (a post in the channel only).
    `channel_text` holds the mention; `alert_text` is what the coordination is told."""

    kind: str
    ref: str
    alert_text: str
    recipient_id: int | None = None
    dm_text: str | None = None
    embed_json: str | None = None
    channel_id: int | None = None
    channel_text: str | None = None
    role_id: int | None = None
    expires_at: datetime | None = None


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt."""
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return timedelta(minutes=BACKOFF_MINUTES[index])


async def enqueue(
    session: AsyncSession, guild_id: int, items: Iterable[NewNotification], *, now: datetime
) -> list[int]:
    """Queue the notifications (a reference already queued is ignored). Returns the ids of
    those still pending, to deliver right after the commit."""
    refs = []
    for item in items:
        if len(item.ref) > MAX_REF:
            raise ValueError(f"notification reference too long: {item.ref!r}")
        route = DM if item.recipient_id and item.dm_text else CHANNEL
        await insert_ignore(
            session,
            Notification,
            {
                "guild_id": guild_id,
                "kind": item.kind,
                "ref": item.ref,
                "recipient_id": item.recipient_id,
                "role_id": item.role_id,
                "dm_text": item.dm_text,
                "embed_json": item.embed_json,
                "channel_id": item.channel_id,
                "channel_text": item.channel_text,
                "alert_text": item.alert_text,
                "route": route,
                "state": PENDING,
                "attempts": 0,
                "uncertain": False,
                "next_attempt_at": now,
                "expires_at": item.expires_at,
                "created_at": now,
                "updated_at": now,
            },
            ["ref"],
        )
        refs.append(item.ref)
    if not refs:
        return []
    return list(
        (
            await session.scalars(
                select(Notification.id)
                .where(Notification.ref.in_(refs), Notification.state == PENDING)
                .order_by(Notification.id)
            )
        ).all()
    )


async def due(session: AsyncSession, *, now: datetime, limit: int = 100) -> list[int]:
    """Pending notifications whose next attempt is due, oldest first."""
    return list(
        (
            await session.scalars(
                select(Notification.id)
                .where(Notification.state == PENDING, Notification.next_attempt_at <= now)
                .order_by(Notification.next_attempt_at, Notification.id)
                .limit(limit)
            )
        ).all()
    )


@dataclass(frozen=True)
class Attempt:
    """A notification taken for one attempt. `reconcile`: the previous attempt may have
    reached Discord; look for the message before sending again."""

    notification: Notification
    reconcile: bool

    @property
    def last(self) -> bool:
        return self.notification.attempts >= MAX_ATTEMPTS

    def expired(self, now: datetime) -> bool:
        expires = self.notification.expires_at
        return expires is not None and expires <= now


@requires_lock
async def take(session: AsyncSession, notification_id: int, *, now: datetime) -> Attempt | None:
    """Take the notification for one attempt, or None if it is not due (delivered, or taken
    by another run: the conditional update makes two runs never take the same attempt).
    The row is marked uncertain and leased: if the process dies in flight, the attempt is
    picked up again after `LEASE`, looking for the message first."""
    row = await session.get(Notification, notification_id, populate_existing=True)
    if row is None or row.state != PENDING or row.next_attempt_at > now:
        return None
    reconcile = row.uncertain
    result = await session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.state == PENDING,
            Notification.attempts == row.attempts,
        )
        .values(attempts=row.attempts + 1, uncertain=True, next_attempt_at=now + LEASE, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        return None
    await session.refresh(row)
    return Attempt(row, reconcile)


async def _set(session: AsyncSession, notification_id: int, **values: Any) -> None:
    await session.execute(
        update(Notification)
        .where(Notification.id == notification_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def mark_sent(
    session: AsyncSession, notification_id: int, *, via: str, message_id: int | None, now: datetime
) -> None:
    await _set(
        session,
        notification_id,
        state=SENT,
        delivered_via=via,
        message_id=message_id,
        uncertain=False,
        finished_at=now,
        updated_at=now,
    )


async def mark_route(session: AsyncSession, notification_id: int, route: str, *, now: datetime) -> None:
    """The DM was refused for good (closed DMs, unknown user): the channel from now on."""
    await _set(session, notification_id, route=route, uncertain=False, updated_at=now)


async def mark_retry(
    session: AsyncSession,
    notification_id: int,
    *,
    attempts: int,
    route: str,
    uncertain: bool,
    error: str,
    now: datetime,
    wait: timedelta | None = None,
) -> datetime:
    """The attempt failed; the next one is due after the back-off. Returns when."""
    when = now + (wait if wait is not None else backoff(attempts))
    await _set(
        session,
        notification_id,
        route=route,
        uncertain=uncertain,
        next_attempt_at=when,
        last_error=error[:MAX_ERROR],
        updated_at=now,
    )
    return when


async def mark_gave_up(session: AsyncSession, notification_id: int, *, via: str, error: str, now: datetime) -> None:
    """Never delivered to the person; the coordination was told (`via` = coordination)."""
    await _set(
        session,
        notification_id,
        state=GAVE_UP,
        delivered_via=via,
        uncertain=False,
        last_error=error[:MAX_ERROR],
        finished_at=now,
        updated_at=now,
    )


async def get(session: AsyncSession, notification_id: int) -> Notification | None:
    return await session.get(Notification, notification_id, populate_existing=True)


async def purge_finished(session: AsyncSession, *, now: datetime) -> int:
    """Delete delivered or given-up notifications finished more than `KEEP_FINISHED` ago
    (they hold texts and Discord ids that are no longer needed)."""
    result = await session.execute(
        delete(Notification).where(
            Notification.state.in_((SENT, GAVE_UP)),
            Notification.finished_at <= now - KEEP_FINISHED,
        )
    )
    return cast(CursorResult[Any], result).rowcount or 0


# -- personal data ---------------------------------------------------------------------------


async def export_member(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    if member.discord_id is None:
        return []
    rows = (
        await session.scalars(
            select(Notification)
            .where(Notification.guild_id == member.guild_id, Notification.recipient_id == member.discord_id)
            .order_by(Notification.id)
        )
    ).all()
    return [
        {
            "type": row.kind,
            "message": row.dm_text or row.channel_text,
            "etat": row.state,
            "cree_le": row.created_at.isoformat(),
        }
        for row in rows
    ]


async def anonymise_member(session: AsyncSession, member: Member, now: datetime) -> None:
    """Delete the member's notifications (their Discord id and texts), pending ones included."""
    if member.discord_id is None:
        return
    await session.execute(
        delete(Notification).where(
            Notification.guild_id == member.guild_id, Notification.recipient_id == member.discord_id
        )
    )


# The member's rows are deleted whole, so every column of theirs goes with them.
ERASED_COLUMNS = tuple(
    f"notifications.{name}"
    for name in (
        "recipient_id",
        "dm_text",
        "channel_text",
        "alert_text",
        "embed_json",
        "ref",
        "kind",
        "route",
        "state",
        "delivered_via",
        "last_error",
        "channel_id",
        "message_id",
        "role_id",
    )
)


PRIVACY_HOOK = PrivacyHook(
    name="notifications",
    export=export_member,
    anonymise=anonymise_member,
    columns=ERASED_COLUMNS,
)
