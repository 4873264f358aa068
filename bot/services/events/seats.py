"""Seats of an event: how many are taken, the waitlist's order, and the promotions from the
waitlist into free seats. Used by the lifecycle (a larger capacity), registrations and attendance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member
from bot.db.models.events import REGISTERED, WAITLISTED, Event, EventRegistration


@dataclass(frozen=True)
class Seat:
    """Someone whose place changed (promoted from the waitlist): who to tell."""

    member_id: int
    discord_id: int | None
    display_name: str
    position: int = 0  # the registration's place in the queue (a new one on each return)


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


async def registered_count(session: AsyncSession, event_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(EventRegistration.event_id == event_id, EventRegistration.status == REGISTERED)
        )
        or 0
    )


async def next_position(session: AsyncSession, event_id: int) -> int:
    current = await session.scalar(
        select(func.max(EventRegistration.position)).where(EventRegistration.event_id == event_id)
    )
    return int(current or 0) + 1


async def waitlist_rank(session: AsyncSession, registration: EventRegistration) -> int:
    ahead = await session.scalar(
        select(func.count()).where(
            EventRegistration.event_id == registration.event_id,
            EventRegistration.status == WAITLISTED,
            EventRegistration.position < registration.position,
        )
    )
    return int(ahead or 0) + 1


async def find_registration(session: AsyncSession, event_id: int, member_id: int) -> EventRegistration | None:
    return await session.scalar(
        select(EventRegistration)
        .where(EventRegistration.event_id == event_id, EventRegistration.member_id == member_id)
        .execution_options(populate_existing=True)
    )


async def fill_seats(session: AsyncSession, event: Event, *, now: datetime) -> list[Seat]:
    """Promote the first of the waitlist into free seats (event already locked)."""
    if event.cancelled_at is not None or event.starts_at <= now:
        return []
    free = None if event.capacity is None else event.capacity - await registered_count(session, event.id)
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
