"""Registrations to events: registering, the waitlist, withdrawals, who is registered, and
the member's personal data. Seats and promotions are in `seats`, attendance in `attendance`,
reminders in `reminders`.

Every function that reads then writes (the last seat) locks the event row first
(`get_event(..., lock=True)`: `SELECT ... FOR UPDATE` on PostgreSQL) and is marked
`@requires_lock` (`BEGIN IMMEDIATE` on SQLite), so that concurrent registrations are served
one after the other: never more registered than seats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member
from bot.db.models.events import (
    NEWCOMERS,
    PARENTING,
    REGISTERED,
    WAITLISTED,
    WITHDRAWN,
    YOUTH,
    Event,
    EventFormDraft,
    EventRegistration,
)
from bot.db.session import requires_lock
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.services import members as members_service
from bot.services.events.lifecycle import get_event
from bot.services.events.rules import local_date
from bot.services.events.seats import (
    Seat,
    fill_seats,
    find_registration,
    next_position,
    registered_count,
    waitlist_rank,
)

ERR_CANCELLED = "Cet événement a été annulé\u00a0: les inscriptions sont fermées."
ERR_STARTED = "Cet événement a déjà commencé\u00a0: les inscriptions sont fermées."
ERR_DEADLINE = (
    "La date limite d'inscription est passée. Contactez la coordination si vous souhaitez tout de même venir."
)
ERR_ALREADY_REGISTERED = "Vous êtes déjà inscrit·e à cet événement."
ERR_ALREADY_WAITLISTED = "Vous êtes déjà sur la liste d'attente de cet événement (position {rank})."
ERR_FULL = "Cet événement est complet et n'a pas de liste d'attente."
ERR_AUDIENCE_NEWCOMERS = (
    "Cet événement est réservé aux nouveaux Promeneurs (arrivés dans le réseau depuis moins de "
    "12 mois). Si votre date d'arrivée est fausse, corrigez-la avec /profil modifier."
)
ERR_AUDIENCE_STRAND = (
    "Cet événement est réservé au volet {strand}. Si votre volet a changé, mettez à jour votre "
    "profil avec /profil modifier."
)
ERR_NOT_REGISTERED = "Vous n'êtes pas inscrit·e à cet événement."
ERR_WITHDRAW_STARTED = "Cet événement a déjà commencé\u00a0: il n'est plus possible de se désinscrire."

STRAND_NAMES = {YOUTH: "Jeunesse", PARENTING: "Parentalité"}


@dataclass(frozen=True)
class RegistrationResult:
    event: Event
    status: str  # REGISTERED or WAITLISTED
    rank: int | None  # 1-based rank on the waitlist


@dataclass(frozen=True)
class WithdrawalResult:
    event: Event
    previous_status: str
    promoted: list[Seat]


# -- audience ---------------------------------------------------------------------------------


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def check_audience(event: Event, member: Member) -> None:
    """Newcomers = joined less than 12 months before the event's day."""
    if event.audience == NEWCOMERS:
        if member.joined_on <= _year_before(local_date(event.starts_at)):
            raise ValidationError(ERR_AUDIENCE_NEWCOMERS)
    elif event.audience in (YOUTH, PARENTING):
        period = member.current_period
        if period is None or period.strand != event.audience:
            raise ValidationError(ERR_AUDIENCE_STRAND.format(strand=STRAND_NAMES[event.audience]))


def _open_for_registration(event: Event, now: datetime) -> None:
    if event.cancelled_at is not None:
        raise ConflictError(ERR_CANCELLED)
    if event.starts_at <= now:
        raise ConflictError(ERR_STARTED)
    if event.registration_deadline is not None and event.registration_deadline < now:
        raise ConflictError(ERR_DEADLINE)


# -- register / withdraw ----------------------------------------------------------------------


@requires_lock
async def register(
    session: AsyncSession, guild_id: int, event_id: int, discord_id: int, *, now: datetime
) -> RegistrationResult:
    """Register the member (by Discord id) to the event; when full, on the waitlist (in
    order) if it has one."""
    event = await get_event(session, guild_id, event_id, lock=True)
    _open_for_registration(event, now)
    member = await members_service.require_profile(session, guild_id, discord_id)
    check_audience(event, member)
    existing = await find_registration(session, event.id, member.id)
    if existing is not None and existing.status == REGISTERED:
        raise ConflictError(ERR_ALREADY_REGISTERED)
    if existing is not None and existing.status == WAITLISTED:
        raise ConflictError(ERR_ALREADY_WAITLISTED.format(rank=await waitlist_rank(session, existing)))

    if event.capacity is None or await registered_count(session, event.id) < event.capacity:
        status = REGISTERED
    elif event.waitlist_enabled:
        status = WAITLISTED
    else:
        raise ConflictError(ERR_FULL)
    position = await next_position(session, event.id)
    if existing is None:
        existing = EventRegistration(
            guild_id=guild_id,
            event_id=event.id,
            member_id=member.id,
            status=status,
            position=position,
            created_at=now,
            updated_at=now,
        )
        session.add(existing)
    else:  # came back after a withdrawal: at the end of the queue
        existing.status, existing.position, existing.updated_at = status, position, now
    await session.flush()
    rank = await waitlist_rank(session, existing) if status == WAITLISTED else None
    return RegistrationResult(event=event, status=status, rank=rank)


@requires_lock
async def withdraw(
    session: AsyncSession, guild_id: int, event_id: int, discord_id: int, *, now: datetime
) -> WithdrawalResult:
    """Withdraw the member; a freed seat goes to the first of the waitlist."""
    event = await get_event(session, guild_id, event_id, lock=True)
    member = await members_service.require_profile(session, guild_id, discord_id)
    registration = await find_registration(session, event.id, member.id)
    if registration is None or registration.status not in (REGISTERED, WAITLISTED):
        raise NotFoundError(ERR_NOT_REGISTERED)
    if event.cancelled_at is not None:
        raise ConflictError(ERR_CANCELLED)
    if event.starts_at <= now:
        raise ConflictError(ERR_WITHDRAW_STARTED)
    previous = registration.status
    registration.status, registration.updated_at = WITHDRAWN, now
    await session.flush()
    promoted = await fill_seats(session, event, now=now) if previous == REGISTERED else []
    return WithdrawalResult(event=event, previous_status=previous, promoted=promoted)


@dataclass(frozen=True)
class MyRegistration:
    event: Event
    status: str
    rank: int | None


async def my_registrations(
    session: AsyncSession, guild_id: int, discord_id: int, *, now: datetime
) -> list[MyRegistration]:
    """The member's registrations to upcoming events (registered or waitlisted)."""
    member = await members_service.require_profile(session, guild_id, discord_id)
    rows = (
        await session.execute(
            select(EventRegistration, Event)
            .join(Event, Event.id == EventRegistration.event_id)
            .where(
                EventRegistration.member_id == member.id,
                EventRegistration.status.in_((REGISTERED, WAITLISTED)),
                Event.cancelled_at.is_(None),
                Event.starts_at > now,
            )
            .order_by(Event.starts_at, Event.id)
        )
    ).all()
    result = []
    for registration, event in rows:
        rank = await waitlist_rank(session, registration) if registration.status == WAITLISTED else None
        result.append(MyRegistration(event, registration.status, rank))
    return result


async def recipients(
    session: AsyncSession, event_id: int, statuses: tuple[str, ...] = (REGISTERED, WAITLISTED)
) -> list[Member]:
    """Members with these statuses (for notifications), in registration order."""
    return list(
        (
            await session.scalars(
                select(Member)
                .join(EventRegistration, EventRegistration.member_id == Member.id)
                .where(EventRegistration.event_id == event_id, EventRegistration.status.in_(statuses))
                .order_by(EventRegistration.position)
            )
        ).all()
    )


@dataclass(frozen=True)
class Registrants:
    event: Event
    registered: list[Member]
    waitlisted: list[Member]


async def registrants(session: AsyncSession, guild_id: int, event_id: int) -> Registrants:
    """Who is registered and who waits, in order (the coordinator's view before the day)."""
    event = await get_event(session, guild_id, event_id)
    return Registrants(
        event,
        await recipients(session, event.id, (REGISTERED,)),
        await recipients(session, event.id, (WAITLISTED,)),
    )


async def export_member(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = (
        await session.execute(
            select(EventRegistration, Event)
            .join(Event, Event.id == EventRegistration.event_id)
            .where(EventRegistration.member_id == member.id)
            .order_by(Event.starts_at)
        )
    ).all()
    return [
        {
            "evenement": event.title,
            "debut": event.starts_at.isoformat(),
            "statut": registration.status,
            "present": registration.attended,
            "inscrit_le": registration.created_at.isoformat(),
        }
        for registration, event in rows
    ]


async def anonymise_member(session: AsyncSession, member: Member, now: datetime) -> None:
    """Registrations hold no free text: they stay (attendance figures), linked only to the
    anonymised member row. The member's unfinished event forms (drafts) are deleted."""
    if member.discord_id:
        await session.execute(
            delete(EventFormDraft).where(
                EventFormDraft.guild_id == member.guild_id, EventFormDraft.author_id == member.discord_id
            )
        )
