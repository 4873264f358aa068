"""Attendance after an event: the sheet of registered people and walk-ins, marking them
present or absent, adding someone who came without a seat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.dates import format_when
from bot.db.models import Member
from bot.db.models.events import REGISTERED, WALK_IN, Event, EventRegistration
from bot.db.session import requires_lock
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.services.events.lifecycle import get_event
from bot.services.events.seats import find_registration, next_position
from bot.text import sort_key

ERR_ATTENDANCE_EARLY = "Les présences se saisissent une fois l'événement commencé (le {when})."
ERR_ATTENDANCE_CANCELLED = "Cet événement a été annulé\u00a0: il n'y a pas de présences à saisir."
ERR_WALK_IN_UNKNOWN = "Ce membre est introuvable dans l'annuaire de ce serveur."


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


@requires_lock
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


@requires_lock
async def add_walk_in(
    session: AsyncSession, guild_id: int, event_id: int, member_id: int, *, now: datetime
) -> tuple[AttendanceSheet, Member]:
    """Someone came without a seat (not registered, waitlisted or withdrawn): present."""
    event = await get_event(session, guild_id, event_id, lock=True)
    _check_attendance_open(event, now)
    member = await session.get(Member, member_id)
    if member is None or member.guild_id != guild_id or member.anonymised_at is not None:
        raise NotFoundError(ERR_WALK_IN_UNKNOWN)
    registration = await find_registration(session, event.id, member.id)
    if registration is None:
        session.add(
            EventRegistration(
                guild_id=guild_id,
                event_id=event.id,
                member_id=member.id,
                status=WALK_IN,
                position=await next_position(session, event.id),
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
