"""What the requests sweep finds to do, and the flags that make it idempotent; retention
and the privacy hook of the accompaniment requests.

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
from bot.db.models.privacy import REQUEST_CARD
from bot.db.models.requests import (
    ACTIVE,
    CLOSED,
    DISCORD,
    OPEN,
    SCHEDULED,
    AccompanimentRequest,
    RequestEvent,
    RequestSettings,
)
from bot.services import redactions
from bot.services.members import ANONYMOUS_NAME
from bot.services.privacy import PrivacyHook
from bot.services.requests import DEFAULT_NUDGE_DAYS, kind_label, mode_label, status_label

DAY_BEFORE, HOUR_BEFORE = "day", "hour"
MAX_THREAD_ATTEMPTS = 10
SESSION_GRACE = timedelta(hours=2)  # a session is "passed" this long after its start
NUDGE_FROM_HOUR = 9  # nudges are posted from 9 h (Paris), not at night
RETENTION_MONTHS = 24


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
    return [(r, discord_id) for r, discord_id in rows]


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
        left = request.scheduled_at - now  # type: ignore[operator]
        if left <= timedelta(hours=1) and not request.reminded_hour_before:
            due.append(Due(request, requester, HOUR_BEFORE))
        elif not request.reminded_day_before and not request.reminded_hour_before:
            due.append(Due(request, requester, DAY_BEFORE))
    return due


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


async def mark_nudged(session: AsyncSession, request_ids: list[int], today: date) -> None:
    for request_id in request_ids:
        request = await session.get(AccompanimentRequest, request_id)
        if request is not None:
            request.last_nudge_on = today
    await session.flush()


# -- the request message (card) in its thread ---------------------------------------------


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


# -- retention --------------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant `months` calendar months earlier (day clamped to the month's end)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


async def purge_expired(
    session: AsyncSession, now: datetime, *, months: int = RETENTION_MONTHS, guild_id: int | None = None
) -> list[AccompanimentRequest]:
    """Remove the free text (subject, need, availability, outcome, history details) of
    requests closed more than `months` months ago. Figures stay. Returns the purged ones;
    their cards in the threads are owed a redaction (recorded here, same transaction)."""
    limit = months_before(now, months)
    stmt = select(AccompanimentRequest).where(
        AccompanimentRequest.status.in_(CLOSED),
        AccompanimentRequest.closed_at <= limit,
        AccompanimentRequest.purged_at.is_(None),
    )
    if guild_id is not None:
        stmt = stmt.where(AccompanimentRequest.guild_id == guild_id)
    purged = list((await session.scalars(stmt)).all())
    for request in purged:
        request.subject = request.details = request.availability = request.outcome = None
        request.purged_at = now
        for event in (await session.scalars(select(RequestEvent).where(RequestEvent.request_id == request.id))).all():
            event.detail = None
    with_cards: dict[int, list[int]] = {}
    for request in purged:
        if request.message_id is not None:
            with_cards.setdefault(request.guild_id, []).append(request.id)
    for owner, request_ids in with_cards.items():
        await redactions.record(session, owner, REQUEST_CARD, request_ids, now=now)
    await session.flush()
    return purged


# -- privacy ------------------------------------------------------------------------------


async def export_member(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    requests = (
        await session.scalars(
            select(AccompanimentRequest)
            .where(AccompanimentRequest.requester_member_id == member.id)
            .order_by(AccompanimentRequest.number)
        )
    ).all()
    return [
        {
            "numero": r.number,
            "type": kind_label(r.kind),
            "modalite": mode_label(r.mode) if r.mode else None,
            "statut": status_label(r.status),
            "territoire": r.territory_code,
            "creee_le": r.created_at.isoformat(),
            "close_le": r.closed_at.isoformat() if r.closed_at else None,
            "sujet": r.subject,
            "besoin": r.details,
            "disponibilites": r.availability,
            "resultat": r.outcome,
            "duree_minutes": r.duration_minutes,
            "personnes_touchees": r.people_reached,
            "note": r.rating,
        }
        for r in requests
    ]


async def anonymise_member(session: AsyncSession, member: Member, now: datetime) -> None:
    """Remove the member's free text from their requests and their name/id from histories
    (theirs and the ones they acted on); kind, territory, dates and figures stay."""
    for request in (
        await session.scalars(select(AccompanimentRequest).where(AccompanimentRequest.requester_member_id == member.id))
    ).all():
        request.subject = request.details = request.availability = request.outcome = None
        for event in (await session.scalars(select(RequestEvent).where(RequestEvent.request_id == request.id))).all():
            event.detail = None
    if member.discord_id is not None:
        for event in (
            await session.scalars(
                select(RequestEvent).where(
                    RequestEvent.guild_id == member.guild_id,
                    RequestEvent.actor_discord_id == member.discord_id,
                )
            )
        ).all():
            event.actor_discord_id = None
            event.actor_name = ANONYMOUS_NAME
        for request in (
            await session.scalars(
                select(AccompanimentRequest).where(
                    AccompanimentRequest.guild_id == member.guild_id,
                    AccompanimentRequest.claimed_by_discord_id == member.discord_id,
                )
            )
        ).all():
            request.claimed_by_discord_id = None
            request.claimed_by_name = ANONYMOUS_NAME
    await session.flush()


async def cards_of(session: AsyncSession, member: Member) -> list[tuple[str, int]]:
    """The request cards (thread messages) showing the member: as requester (name, free
    text) or as the coordinator who follows the request (name)."""
    mine = AccompanimentRequest.requester_member_id == member.id
    if member.discord_id is not None:
        mine = or_(mine, AccompanimentRequest.claimed_by_discord_id == member.discord_id)
    ids = (
        await session.scalars(
            select(AccompanimentRequest.id).where(
                AccompanimentRequest.guild_id == member.guild_id,
                AccompanimentRequest.message_id.is_not(None),
                mine,
            )
        )
    ).all()
    return [(REQUEST_CARD, request_id) for request_id in ids]


PRIVACY_COLUMNS = (
    "accompaniment_requests.subject",
    "accompaniment_requests.details",
    "accompaniment_requests.availability",
    "accompaniment_requests.outcome",
    "accompaniment_requests.claimed_by_discord_id",
    "accompaniment_requests.claimed_by_name",
    "accompaniment_request_events.actor_discord_id",
    "accompaniment_request_events.actor_name",
    "accompaniment_request_events.detail",
)


PRIVACY_HOOK = PrivacyHook(
    name="demandes_accompagnement",
    export=export_member,
    anonymise=anonymise_member,
    columns=PRIVACY_COLUMNS,
    messages=cards_of,
)
