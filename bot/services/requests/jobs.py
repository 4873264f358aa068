"""What the requests sweep finds to do, and the flags that make it idempotent.

The sweep (a scheduler job) asks this module what is due and marks it done in the same
transaction that queues the durable notifications (reminders, nudges, passed-session
prompts; see `bot.services.notifications`), so a repeated or late run queues nothing twice
and a failed Discord call is retried by the notifier, never lost. A request message
(card) whose edit failed is marked stale and rendered again by the sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GuildSettings, Member
from bot.db.models.requests import (
    ACTIVE,
    DISCORD,
    OPEN,
    SCHEDULED,
    AccompanimentRequest,
    RequestSettings,
)
from bot.db.session import requires_lock
from bot.services.requests.settings import DEFAULT_NUDGE_DAYS

DAY_BEFORE, HOUR_BEFORE = "day", "hour"
MAX_THREAD_ATTEMPTS = 10
SESSION_GRACE = timedelta(hours=2)  # a session is "passed" this long after its start
NUDGE_FROM_HOUR = 9  # nudges are posted from 9 h (Paris), not at night


@dataclass(frozen=True)
class Due:
    request: AccompanimentRequest
    requester_discord_id: int | None
    which: str = ""


async def _with_requesters(session: AsyncSession, stmt: Any) -> list[tuple[AccompanimentRequest, int | None]]:
    rows = (
        await session.execute(
            stmt.add_columns(Member.discord_id).outerjoin(Member, Member.id == AccompanimentRequest.requester_member_id)
        )
    ).all()
    return [(row[0], row[1]) for row in rows]


async def threads_to_create(session: AsyncSession) -> list[Due]:
    """Active Discord requests without their thread or its request message yet (channel
    missing or not writable, Discord failed): the sweep tries again."""
    stmt = select(AccompanimentRequest).where(
        or_(AccompanimentRequest.thread_id.is_(None), AccompanimentRequest.message_id.is_(None)),
        AccompanimentRequest.source == DISCORD,
        AccompanimentRequest.status.in_(ACTIVE),
        AccompanimentRequest.thread_attempts < MAX_THREAD_ATTEMPTS,
    )
    return [Due(r, d) for r, d in await _with_requesters(session, stmt)]


async def due_reminders(session: AsyncSession, now: datetime) -> list[Due]:
    """Scheduled sessions needing their day-before or hour-before reminder now."""
    stmt = select(AccompanimentRequest).where(
        AccompanimentRequest.status == SCHEDULED,
        AccompanimentRequest.scheduled_at > now,
        AccompanimentRequest.scheduled_at <= now + timedelta(days=1),
    )
    due = []
    for request, requester in await _with_requesters(session, stmt):
        assert request.scheduled_at is not None  # selected on it
        left = request.scheduled_at - now
        if left <= timedelta(hours=1) and not request.reminded_hour_before:
            due.append(Due(request, requester, HOUR_BEFORE))
        elif not request.reminded_day_before and not request.reminded_hour_before:
            due.append(Due(request, requester, DAY_BEFORE))
    return due


@requires_lock
async def mark_reminded(session: AsyncSession, request_id: int, which: str) -> None:
    request = await session.get(AccompanimentRequest, request_id)
    if request is None:
        return
    request.reminded_day_before = True
    if which == HOUR_BEFORE:
        request.reminded_hour_before = True
    await session.flush()


async def passed_sessions(session: AsyncSession, now: datetime) -> list[Due]:
    """Scheduled sessions over (start + 2 h) and still not closed, not yet prompted."""
    stmt = select(AccompanimentRequest).where(
        AccompanimentRequest.status == SCHEDULED,
        AccompanimentRequest.scheduled_at <= now - SESSION_GRACE,
        AccompanimentRequest.overdue_prompted.is_(False),
    )
    return [Due(r, d) for r, d in await _with_requesters(session, stmt)]


@requires_lock
async def mark_prompted(session: AsyncSession, request_id: int) -> None:
    request = await session.get(AccompanimentRequest, request_id)
    if request is not None:
        request.overdue_prompted = True
        await session.flush()


@dataclass(frozen=True)
class GuildNudge:
    settings: GuildSettings
    requests: list[AccompanimentRequest]
    days: int


async def nudges(session: AsyncSession, now: datetime, today: date, local_hour: int) -> list[GuildNudge]:
    """Per server: open requests nobody claimed for the server's delay (default 3 days),
    not yet nudged today. Nothing before 9 h (Paris)."""
    if local_hour < NUDGE_FROM_HOUR:
        return []
    rows = (
        await session.execute(
            select(AccompanimentRequest, RequestSettings.nudge_after_days)
            .outerjoin(RequestSettings, RequestSettings.guild_id == AccompanimentRequest.guild_id)
            .where(
                AccompanimentRequest.status == OPEN,
                AccompanimentRequest.source == DISCORD,
                AccompanimentRequest.created_at <= now - timedelta(days=1),
            )
            .order_by(AccompanimentRequest.guild_id, AccompanimentRequest.number)
        )
    ).all()
    by_guild: dict[int, list[AccompanimentRequest]] = {}
    delays: dict[int, int] = {}
    for request, days in rows:
        days = days or DEFAULT_NUDGE_DAYS
        delays[request.guild_id] = days
        if request.created_at > now - timedelta(days=days):
            continue
        if request.last_nudge_on is not None and request.last_nudge_on >= today:
            continue
        by_guild.setdefault(request.guild_id, []).append(request)
    result = []
    for guild_id, requests in by_guild.items():
        settings = await session.get(GuildSettings, guild_id)
        if settings is not None:
            result.append(GuildNudge(settings, requests, delays[guild_id]))
    return result


@requires_lock
async def mark_nudged(session: AsyncSession, request_ids: list[int], today: date) -> None:
    for request_id in request_ids:
        request = await session.get(AccompanimentRequest, request_id)
        if request is not None:
            request.last_nudge_on = today
    await session.flush()


# -- the request message (card) in its thread ---------------------------------------------


@requires_lock
async def mark_card(session: AsyncSession, request_id: int, *, stale: bool, forget_message: bool = False) -> None:
    """The card's edit failed (stale) or was done (not stale). `forget_message`: the message
    is gone; an active request gets a new one from the sweep (`threads_to_create`)."""
    request = await session.get(AccompanimentRequest, request_id)
    if request is None:
        return
    request.card_stale = stale
    if forget_message:
        request.message_id = None
    await session.flush()


async def stale_cards(session: AsyncSession, limit: int = 50) -> list[Due]:
    """Requests whose card shows an old state (an edit failed): the sweep renders them again."""
    stmt = (
        select(AccompanimentRequest)
        .where(
            AccompanimentRequest.card_stale.is_(True),
            AccompanimentRequest.thread_id.is_not(None),
            AccompanimentRequest.message_id.is_not(None),
        )
        .order_by(AccompanimentRequest.id)
        .limit(limit)
    )
    return [Due(r, d) for r, d in await _with_requesters(session, stmt)]
