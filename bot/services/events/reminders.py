"""Reminders before an event: which are due, when the next one falls due, and recording them
as sent (once per event and delay)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import insert_ignore
from bot.db.models import Member
from bot.db.models.events import REGISTERED, Event, EventReminder
from bot.db.session import requires_lock
from bot.services.events.registrations import recipients
from bot.services.events.rules import MAX_REMINDER_HOURS, reminder_hours


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


@requires_lock
async def take_due_reminders(
    session: AsyncSession, *, now: datetime, guild_ids: list[int] | None = None
) -> list[DueReminder]:
    """Reminders due at `now` in the servers `guild_ids` (all when None), recorded as sent (so a second run sends
    nothing). When several are due at once (an event created late), one reminder goes out,
    the closest to the start. Queue the reminders'
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
