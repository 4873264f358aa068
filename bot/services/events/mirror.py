"""The state of an event's mirror in Discord's Events tab (a guild scheduled event).

The bot's announcement and registrations stay the source of truth; the mirror follows them.
What to do with the mirror is decided here (create, edit, delete, nothing); the Discord
calls are the cog's. A mirror Discord refused or could not take is marked pending, and a
periodic job tries again.

The mirror columns are written with a Core UPDATE that keeps `updated_at`: that column
gives the event's SEQUENCE in calendars, which a mirror's bookkeeping must not change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.events import Event

CREATE, EDIT, DELETE = "create", "edit", "delete"


def action(event: Event, *, now: datetime) -> str | None:
    """What the mirror needs: a cancelled event loses it; an event already started is left
    to Discord (it starts and completes it by itself); otherwise it is created or brought up
    to date."""
    if event.cancelled_at is not None:
        return DELETE if event.scheduled_event_id else None
    if event.starts_at <= now:
        return None  # started: Discord runs its course (and refuses a start in the past)
    return EDIT if event.scheduled_event_id else CREATE


async def mark(session: AsyncSession, event_id: int, *, scheduled_event_id: int | None, pending: bool) -> bool:
    """Record the mirror's state; returns whether it was already pending before."""
    before = await session.scalar(select(Event.mirror_pending).where(Event.id == event_id))
    await session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(
            scheduled_event_id=scheduled_event_id,
            mirror_pending=pending,
            updated_at=Event.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(before)


async def pending(session: AsyncSession, *, now: datetime, guild_ids: Iterable[int]) -> list[Event]:
    """Events whose mirror still has to be brought up to date (those not started yet, and
    cancelled ones still holding a mirror)."""
    ids = list(guild_ids)
    if not ids:
        return []
    rows = await session.scalars(
        select(Event).where(Event.mirror_pending.is_(True), Event.guild_id.in_(ids)).order_by(Event.starts_at)
    )
    return [e for e in rows if action(e, now=now) is not None]
