"""Events (network sessions): creation, changes, cancellation and listings. The values an
event is made of (labels, limits, parsing) are in `rules`; registrations, attendance and
reminders in their own modules; the figures of the recap in `figures`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.events import Event
from bot.db.session import requires_lock
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.parsing import parse_id
from bot.services.events import seats
from bot.services.events.rules import (
    ERR_ALREADY_CANCELLED,
    ERR_CANCELLED,
    ERR_CAPACITY_BELOW,
    ERR_NOTHING_TO_CHANGE,
    ERR_UNKNOWN_EVENT,
    MAX_DESCRIPTION,
    MAX_PLACE,
    MAX_TITLE,
    SHARED_WORDS,
    EventChanges,
    EventDraft,
    check_values,
    clean_capacity,
    clean_link,
    computed_duration,
    parse_duration,
    parse_reminders,
)
from bot.services.events.seats import Seat
from bot.services.guilds import ensure_guild, require_territory
from bot.text import clean_text


async def _territory(session: AsyncSession, guild_id: int, value: str | None) -> str | None:
    if value is None or value.strip().casefold() in SHARED_WORDS:
        return None
    return (await require_territory(session, guild_id, value)).code


async def create_event(
    session: AsyncSession,
    guild_id: int,
    draft: EventDraft,
    *,
    now: datetime,
    created_by: int | None = None,
    allow_past: bool = False,
) -> Event:
    """Check and store a new event: the one validation of every way to create one (the slash
    options, the form, a copy, a series' first date). `allow_past`: a session already held,
    recorded for the history (the coordination catching up on a year): its start must be
    past, no reminders, attendance can be taken at once."""
    await ensure_guild(session, guild_id)
    duration = draft.duration_days
    if duration is not None:
        duration = parse_duration(duration)
    values: dict[str, Any] = {
        "title": clean_text(draft.title, "Le titre", MAX_TITLE, required=True),
        "type": draft.type,
        "starts_at": draft.starts_at,
        "ends_at": draft.ends_at,
        "format": draft.format,
        "place": clean_text(draft.place, "Le lieu", MAX_PLACE),
        "link": clean_link(draft.link),
        "capacity": clean_capacity(draft.capacity),
        "registration_deadline": draft.registration_deadline,
        "audience": draft.audience,
    }
    check_values(values, now=now, dates_changed=True, deadline_changed=True, allow_past=allow_past)
    event = Event(
        guild_id=guild_id,
        duration_days=duration or computed_duration(draft.starts_at, draft.ends_at),
        territory_code=await _territory(session, guild_id, draft.territory),
        waitlist_enabled=draft.waitlist_enabled,
        description=clean_text(draft.description, "La description", MAX_DESCRIPTION, multiline=True),
        reminder_hours="" if allow_past else parse_reminders(draft.reminders),
        created_by=created_by,
        created_at=now,
        updated_at=now,
        **values,
    )
    session.add(event)
    await session.flush()
    return event


async def get_event(session: AsyncSession, guild_id: int, event_id: int, *, lock: bool = False) -> Event:
    """The event of this server (locked FOR UPDATE when `lock`, fresh from the database)."""
    stmt = select(Event).where(Event.id == event_id, Event.guild_id == guild_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    event = await session.scalar(stmt)
    if event is None:
        raise NotFoundError(ERR_UNKNOWN_EVENT)
    return event


async def find_event(session: AsyncSession, event_id: int) -> Event | None:
    """The event by its id alone (jobs and announcements that carry only the id), or None."""
    return await session.get(Event, event_id)


def parse_event_id(value: str | int | None) -> int:
    """The id an autocomplete choice carries ("12"); anything else is refused clearly."""
    return parse_id(value, unknown=ERR_UNKNOWN_EVENT)


# Labels of the fields shown to registrants when an event changes.
CHANGE_LABELS = {
    "title": "titre",
    "type": "type",
    "starts_at": "début",
    "ends_at": "fin",
    "duration_days": "durée",
    "format": "format",
    "place": "lieu",
    "link": "lien",
    "territory_code": "territoire",
    "capacity": "places",
    "waitlist_enabled": "liste d'attente",
    "registration_deadline": "date limite d'inscription",
    "audience": "public",
    "description": "description",
    "reminder_hours": "rappels",
}


@dataclass
class UpdateResult:
    event: Event
    changed: list[str]  # model field names
    promoted: list[Seat] = field(default_factory=list)


@requires_lock
async def update_event(
    session: AsyncSession, guild_id: int, event_id: int, changes: EventChanges, *, now: datetime
) -> UpdateResult:
    """Change an event. A larger (or removed) capacity promotes people from the waitlist."""
    if changes.is_empty():
        raise ValidationError(ERR_NOTHING_TO_CHANGE)
    event = await get_event(session, guild_id, event_id, lock=True)
    if event.cancelled_at is not None:
        raise ConflictError(ERR_CANCELLED)
    new: dict[str, Any] = {}
    if changes.title is not None:
        new["title"] = clean_text(changes.title, "Le titre", MAX_TITLE, required=True)
    for name in ("type", "starts_at", "ends_at", "format", "audience", "waitlist_enabled"):
        if getattr(changes, name) is not None:
            new[name] = getattr(changes, name)
    if changes.place is not None:
        new["place"] = clean_text(changes.place, "Le lieu", MAX_PLACE)
    if changes.link is not None:
        new["link"] = clean_link(changes.link)
    if changes.territory is not None:
        new["territory_code"] = await _territory(session, guild_id, changes.territory)
    if changes.capacity is not None:
        new["capacity"] = clean_capacity(changes.capacity)
    if changes.clear_deadline:
        new["registration_deadline"] = None
    elif changes.registration_deadline is not None:
        new["registration_deadline"] = changes.registration_deadline
    if changes.description is not None:
        new["description"] = clean_text(changes.description, "La description", MAX_DESCRIPTION, multiline=True)
    if changes.reminders is not None:
        new["reminder_hours"] = parse_reminders(changes.reminders)
    if changes.duration_days is not None:
        new["duration_days"] = parse_duration(changes.duration_days)
    elif "starts_at" in new or "ends_at" in new:
        new["duration_days"] = computed_duration(
            new.get("starts_at", event.starts_at), new.get("ends_at", event.ends_at)
        )

    merged = {
        name: new.get(name, getattr(event, name))
        for name in (
            "type",
            "starts_at",
            "ends_at",
            "format",
            "place",
            "link",
            "capacity",
            "registration_deadline",
            "audience",
        )
    }
    check_values(
        merged,
        now=now,
        dates_changed="starts_at" in new and new["starts_at"] != event.starts_at,
        deadline_changed=new.get("registration_deadline") not in (None, event.registration_deadline),
    )
    if "capacity" in new and new["capacity"] is not None:
        count = (await seats.counts(session, [event.id])).get(event.id, (0, 0))[0]
        if new["capacity"] < count:
            raise ValidationError(ERR_CAPACITY_BELOW.format(capacity=new["capacity"], count=count))

    changed = [name for name, value in new.items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, new[name])
    event.updated_at = now
    await session.flush()
    promoted = await seats.fill_seats(session, event, now=now) if changed else []
    return UpdateResult(event=event, changed=changed, promoted=promoted)


@requires_lock
async def cancel_event(session: AsyncSession, guild_id: int, event_id: int, *, now: datetime) -> Event:
    event = await get_event(session, guild_id, event_id, lock=True)
    if event.cancelled_at is not None:
        raise ConflictError(ERR_ALREADY_CANCELLED)
    event.cancelled_at = now
    event.updated_at = now
    await session.flush()
    return event


# -- announcement ---------------------------------------------------------------------------


async def set_announcement(
    session: AsyncSession, guild_id: int, event_id: int, *, channel_id: int | None, message_id: int | None
) -> None:
    """Where the event's announcement is (None, None: it is gone, forget it)."""
    await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.guild_id == guild_id)
        .values(announcement_channel_id=channel_id, announcement_message_id=message_id)
    )


# -- listings ---------------------------------------------------------------------------------

UPCOMING = "upcoming"
STARTED = "started"


async def list_events(
    session: AsyncSession,
    guild_id: int,
    *,
    now: datetime,
    scope: str = UPCOMING,
    territory: str | None = None,
    type: str | None = None,
    text: str = "",
    limit: int = 200,
) -> list[Event]:
    """Events not cancelled: upcoming ones (soonest first) or started ones (latest first).
    `territory`: a code, or "commun" for shared events only."""
    stmt = await _events_where(session, select(Event), guild_id, now, scope, territory, type)
    if scope == UPCOMING:
        stmt = stmt.order_by(Event.starts_at, Event.id)
    else:
        stmt = stmt.order_by(Event.starts_at.desc(), Event.id.desc())
    wanted = text.strip().casefold()
    if not wanted:
        return list((await session.scalars(stmt.limit(limit))).all())
    # Filtered here, not in SQL: SQLite's lower() ignores accents ("Échange").
    found = [e for e in (await session.scalars(stmt.limit(2000))).all() if wanted in e.title.casefold()]
    return found[:limit]


async def _events_where(
    session: AsyncSession, stmt, guild_id: int, now: datetime, scope: str, territory: str | None, type: str | None
):
    stmt = stmt.where(Event.guild_id == guild_id, Event.cancelled_at.is_(None))
    stmt = stmt.where(Event.starts_at > now) if scope == UPCOMING else stmt.where(Event.starts_at <= now)
    if territory is not None:
        if territory.strip().casefold() in SHARED_WORDS:
            stmt = stmt.where(Event.territory_code.is_(None))
        else:
            stmt = stmt.where(Event.territory_code == (await require_territory(session, guild_id, territory)).code)
    if type:
        stmt = stmt.where(Event.type == type)
    return stmt


async def list_events_page(
    session: AsyncSession,
    guild_id: int,
    *,
    now: datetime,
    territory: str | None = None,
    type: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[Event], int]:
    """One page of the upcoming events (soonest first) and the true total."""
    stmt = await _events_where(session, select(Event), guild_id, now, UPCOMING, territory, type)
    page = stmt.order_by(Event.starts_at, Event.id).offset(max(offset, 0)).limit(limit)
    events = list((await session.scalars(page)).all())
    counted = await _events_where(
        session, select(func.count()).select_from(Event), guild_id, now, UPCOMING, territory, type
    )
    return events, int(await session.scalar(counted) or 0)


# -- figures for the recap --------------------------------------------------------------------
