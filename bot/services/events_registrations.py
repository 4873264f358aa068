"""Registrations to events: registering, the waitlist and its promotions, withdrawals,
attendance after the event, reminders, and the member's personal data.

Every function that reads then writes (the last seat) locks the event row first
(`get_event(..., lock=True)`: `SELECT ... FOR UPDATE` on PostgreSQL) and must run inside
`Database.transaction(lock=True)` (`BEGIN IMMEDIATE` on SQLite), so that concurrent
registrations are served one after the other: never more registered than seats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import format_when
from bot.db import insert_ignore
from bot.db.models import Member
from bot.db.models.events import (
    NEWCOMERS,
    PARENTING,
    REGISTERED,
    WAITLISTED,
    WALK_IN,
    WITHDRAWN,
    YOUTH,
    Event,
    EventFormDraft,
    EventRegistration,
    EventReminder,
)
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.services import members as members_service
from bot.services.events import MAX_REMINDER_HOURS, get_event, local_date, reminder_hours
from bot.services.text import sort_key

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
ERR_ATTENDANCE_EARLY = "Les présences se saisissent une fois l'événement commencé (le {when})."
ERR_ATTENDANCE_CANCELLED = "Cet événement a été annulé\u00a0: il n'y a pas de présences à saisir."
ERR_WALK_IN_UNKNOWN = "Ce membre est introuvable dans l'annuaire de ce serveur."

STRAND_NAMES = {YOUTH: "Jeunesse", PARENTING: "Parentalité"}


@dataclass(frozen=True)
class Seat:
    """Someone whose place changed (promoted from the waitlist): who to tell."""

    member_id: int
    discord_id: int | None
    display_name: str
    position: int = 0  # the registration's place in the queue (a new one on each return)


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


# -- counts -----------------------------------------------------------------------------------


async def counts(session: AsyncSession, event_ids: list[int]) -> dict[int, tuple[int, int]]:
    """event id → (registered, waitlisted)."""
    if not event_ids:
        return {}
    rows = (
        await session.execute(
            select(EventRegistration.event_id, EventRegistration.status, func.count())
            .where(
                EventRegistration.event_id.in_(event_ids),
                EventRegistration.status.in_((REGISTERED, WAITLISTED)),
            )
            .group_by(EventRegistration.event_id, EventRegistration.status)
        )
    ).all()
    result = {event_id: (0, 0) for event_id in event_ids}
    for event_id, status, count in rows:
        registered, waitlisted = result[event_id]
        result[event_id] = (count, waitlisted) if status == REGISTERED else (registered, count)
    return result


async def _registered_count(session: AsyncSession, event_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(EventRegistration.event_id == event_id, EventRegistration.status == REGISTERED)
        )
        or 0
    )


async def _next_position(session: AsyncSession, event_id: int) -> int:
    current = await session.scalar(
        select(func.max(EventRegistration.position)).where(EventRegistration.event_id == event_id)
    )
    return int(current or 0) + 1


async def _rank(session: AsyncSession, registration: EventRegistration) -> int:
    ahead = await session.scalar(
        select(func.count()).where(
            EventRegistration.event_id == registration.event_id,
            EventRegistration.status == WAITLISTED,
            EventRegistration.position < registration.position,
        )
    )
    return int(ahead or 0) + 1


async def _find(session: AsyncSession, event_id: int, member_id: int) -> EventRegistration | None:
    return await session.scalar(
        select(EventRegistration)
        .where(EventRegistration.event_id == event_id, EventRegistration.member_id == member_id)
        .execution_options(populate_existing=True)
    )


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


async def register(
    session: AsyncSession, guild_id: int, event_id: int, discord_id: int, *, now: datetime
) -> RegistrationResult:
    """Register the member (by Discord id) to the event; when full, on the waitlist (in
    order) if it has one. Run inside `transaction(lock=True)`."""
    event = await get_event(session, guild_id, event_id, lock=True)
    _open_for_registration(event, now)
    member = await members_service.require_profile(session, guild_id, discord_id)
    check_audience(event, member)
    existing = await _find(session, event.id, member.id)
    if existing is not None and existing.status == REGISTERED:
        raise ConflictError(ERR_ALREADY_REGISTERED)
    if existing is not None and existing.status == WAITLISTED:
        raise ConflictError(ERR_ALREADY_WAITLISTED.format(rank=await _rank(session, existing)))

    if event.capacity is None or await _registered_count(session, event.id) < event.capacity:
        status = REGISTERED
    elif event.waitlist_enabled:
        status = WAITLISTED
    else:
        raise ConflictError(ERR_FULL)
    position = await _next_position(session, event.id)
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
    rank = await _rank(session, existing) if status == WAITLISTED else None
    return RegistrationResult(event=event, status=status, rank=rank)


async def fill_seats(session: AsyncSession, event: Event, *, now: datetime) -> list[Seat]:
    """Promote the first of the waitlist into free seats (event already locked)."""
    if event.cancelled_at is not None or event.starts_at <= now:
        return []
    free = None if event.capacity is None else event.capacity - await _registered_count(session, event.id)
    stmt = (
        select(EventRegistration, Member)
        .join(Member, Member.id == EventRegistration.member_id)
        .where(EventRegistration.event_id == event.id, EventRegistration.status == WAITLISTED)
        .order_by(EventRegistration.position)
    )
    if free is not None:
        if free <= 0:
            return []
        stmt = stmt.limit(free)
    promoted = []
    for registration, member in (await session.execute(stmt)).all():
        registration.status, registration.updated_at = REGISTERED, now
        promoted.append(Seat(member.id, member.discord_id, member.display_name, registration.position))
    await session.flush()
    return promoted


async def withdraw(
    session: AsyncSession, guild_id: int, event_id: int, discord_id: int, *, now: datetime
) -> WithdrawalResult:
    """Withdraw the member; a freed seat goes to the first of the waitlist. Run inside
    `transaction(lock=True)`."""
    event = await get_event(session, guild_id, event_id, lock=True)
    member = await members_service.require_profile(session, guild_id, discord_id)
    registration = await _find(session, event.id, member.id)
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
        rank = await _rank(session, registration) if registration.status == WAITLISTED else None
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


# -- attendance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    member_id: int
    name: str
    status: str  # REGISTERED or WALK_IN
    attended: bool | None


@dataclass(frozen=True)
class AttendanceSheet:
    event: Event
    rows: list[AttendanceRow]

    @property
    def registered(self) -> int:
        return sum(1 for r in self.rows if r.status == REGISTERED)

    @property
    def present(self) -> int:
        return sum(1 for r in self.rows if r.attended)

    @property
    def walk_ins(self) -> int:
        return sum(1 for r in self.rows if r.status == WALK_IN)

    @property
    def no_shows(self) -> int:
        """Registered people marked absent."""
        return sum(1 for r in self.rows if r.status == REGISTERED and r.attended is False)

    @property
    def unmarked(self) -> int:
        """Registered people not marked yet (neither present nor absent)."""
        return sum(1 for r in self.rows if r.status == REGISTERED and r.attended is None)

    @property
    def marked(self) -> bool:
        return any(r.attended is not None for r in self.rows)

    @property
    def fill_rate(self) -> float | None:
        return self.present / self.event.capacity if self.event.capacity else None


def _check_attendance_open(event: Event, now: datetime) -> None:
    if event.cancelled_at is not None:
        raise ConflictError(ERR_ATTENDANCE_CANCELLED)
    if event.starts_at > now:
        raise ValidationError(ERR_ATTENDANCE_EARLY.format(when=format_when(event.starts_at)))


async def attendance_taken(session: AsyncSession, event_ids: list[int]) -> set[int]:
    """Among `event_ids`, the events whose attendance is already taken (someone marked)."""
    if not event_ids:
        return set()
    rows = await session.scalars(
        select(EventRegistration.event_id)
        .where(EventRegistration.event_id.in_(event_ids), EventRegistration.attended.is_not(None))
        .distinct()
    )
    return set(rows.all())


async def attendance_sheet(session: AsyncSession, guild_id: int, event_id: int, *, now: datetime) -> AttendanceSheet:
    """Registered people and walk-ins of a started event, by name."""
    event = await get_event(session, guild_id, event_id)
    _check_attendance_open(event, now)
    rows = (
        await session.execute(
            select(EventRegistration, Member)
            .join(Member, Member.id == EventRegistration.member_id)
            .where(
                EventRegistration.event_id == event.id,
                EventRegistration.status.in_((REGISTERED, WALK_IN)),
            )
            .order_by(func.lower(Member.display_name), Member.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    return AttendanceSheet(
        event,
        sorted(
            (AttendanceRow(m.id, m.display_name, r.status, r.attended) for r, m in rows),
            key=lambda row: (sort_key(row.name), row.member_id),
        ),
    )


async def set_attendance(
    session: AsyncSession,
    guild_id: int,
    event_id: int,
    *,
    shown: list[int],
    present: set[int] | list[int],
    now: datetime,
) -> AttendanceSheet:
    """Among the members `shown` (one page of the sheet), mark `present` ones present and the
    others absent."""
    event = await get_event(session, guild_id, event_id, lock=True)
    _check_attendance_open(event, now)
    present = set(present)
    registrations = (
        await session.scalars(
            select(EventRegistration).where(
                EventRegistration.event_id == event.id,
                EventRegistration.member_id.in_(shown),
                EventRegistration.status.in_((REGISTERED, WALK_IN)),
            )
        )
    ).all()
    for registration in registrations:
        registration.attended = registration.member_id in present
        registration.updated_at = now
    await session.flush()
    return await attendance_sheet(session, guild_id, event_id, now=now)


async def add_walk_in(
    session: AsyncSession, guild_id: int, event_id: int, member_id: int, *, now: datetime
) -> tuple[AttendanceSheet, Member]:
    """Someone came without a seat (not registered, waitlisted or withdrawn): present."""
    event = await get_event(session, guild_id, event_id, lock=True)
    _check_attendance_open(event, now)
    member = await session.get(Member, member_id)
    if member is None or member.guild_id != guild_id or member.anonymised_at is not None:
        raise NotFoundError(ERR_WALK_IN_UNKNOWN)
    registration = await _find(session, event.id, member.id)
    if registration is None:
        session.add(
            EventRegistration(
                guild_id=guild_id,
                event_id=event.id,
                member_id=member.id,
                status=WALK_IN,
                position=await _next_position(session, event.id),
                attended=True,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        if registration.status != REGISTERED:
            registration.status = WALK_IN
        registration.attended, registration.updated_at = True, now
    await session.flush()
    return await attendance_sheet(session, guild_id, event_id, now=now), member


# -- reminders --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueReminder:
    event: Event
    hours_before: int
    recipients: list[Member]


async def _due_reminders(
    session: AsyncSession, now: datetime, guild_ids: list[int] | None
) -> list[tuple[Event, list[int]]]:
    """The events with reminders due at `now` and not sent yet, with those hours."""
    stmt = select(Event)
    if guild_ids is not None:
        stmt = stmt.where(Event.guild_id.in_(guild_ids))
    events = (
        await session.scalars(
            stmt.where(
                Event.cancelled_at.is_(None),
                Event.starts_at > now,
                Event.starts_at <= now + timedelta(hours=MAX_REMINDER_HOURS),
                Event.reminder_hours != "",
            ).order_by(Event.starts_at)
        )
    ).all()
    if not events:
        return []
    sent = {
        (event_id, hours)
        for event_id, hours in (
            await session.execute(
                select(EventReminder.event_id, EventReminder.hours_before).where(
                    EventReminder.event_id.in_([e.id for e in events])
                )
            )
        ).all()
    }
    due = []
    for event in events:
        hours = [
            h
            for h in reminder_hours(event)
            if event.starts_at - timedelta(hours=h) <= now and (event.id, h) not in sent
        ]
        if hours:
            due.append((event, hours))
    return due


async def next_reminder_due(
    session: AsyncSession, *, now: datetime, within: timedelta, guild_ids: list[int] | None = None
) -> datetime | None:
    """When the next reminder not sent yet falls due, if it is within `within` after `now`
    (the sweep plans a precise wake-up for it)."""
    stmt = select(Event)
    if guild_ids is not None:
        stmt = stmt.where(Event.guild_id.in_(guild_ids))
    events = (
        await session.scalars(
            stmt.where(
                Event.cancelled_at.is_(None),
                Event.starts_at > now,
                Event.starts_at <= now + within + timedelta(hours=MAX_REMINDER_HOURS),
                Event.reminder_hours != "",
            )
        )
    ).all()
    moments = [
        event.starts_at - timedelta(hours=h)
        for event in events
        for h in reminder_hours(event)
        if now < event.starts_at - timedelta(hours=h) <= now + within
    ]
    return min(moments) if moments else None


async def has_due_reminders(session: AsyncSession, *, now: datetime, guild_ids: list[int] | None = None) -> bool:
    """Whether a reminder is due (a plain read: the sweep takes the write lock only then)."""
    return bool(await _due_reminders(session, now, guild_ids))


async def take_due_reminders(
    session: AsyncSession, *, now: datetime, guild_ids: list[int] | None = None
) -> list[DueReminder]:
    """Reminders due at `now` in the servers `guild_ids` (all when None), recorded as sent (so a second run sends
    nothing). When several are due at once (an event created late), one reminder goes out,
    the closest to the start. Run inside `transaction(lock=True)` and queue the reminders'
    notifications in the same transaction (`bot.services.notifications`), so that a reminder
    is never recorded as sent without its messages being owed."""
    due: list[DueReminder] = []
    for event, hours in await _due_reminders(session, now, guild_ids):
        for h in hours:
            await insert_ignore(
                session,
                EventReminder,
                {"guild_id": event.guild_id, "event_id": event.id, "hours_before": h, "sent_at": now},
                ["event_id", "hours_before"],
            )
        due.append(DueReminder(event, min(hours), await recipients(session, event.id, (REGISTERED,))))
    await session.flush()
    return due


# -- personal data ----------------------------------------------------------------------------


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
