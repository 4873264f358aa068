"""Recurring events: a series (an RRULE from a first start to an end date) whose occurrences
become real events, one by one, `announce_days` before they start.

The rule is RFC 5545 text ("FREQ=MONTHLY;BYDAY=1TU"), expanded by python-dateutil in
Europe/Paris wall time (the session stays at 14 h across daylight saving) and read back in
French: see `bot.services.events.recurrence`.

Each occurrence is an `Event` with `series_id` and `occurrence_start` (the start the rule
gave it, kept when that one occurrence is moved): registrations, reminders, the Events tab
mirror, the calendar feeds and the recap treat it as any event. Moving or cancelling one
occurrence is `/evenement modifier` / `annuler` on it; the whole series is `update_series` /
`cancel_series`, which change every occurrence already created and the ones to come.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db.models.events import Event, EventSeries
from bot.db.session import requires_lock
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.parsing import parse_id
from bot.services.events import lifecycle as events_service
from bot.services.events import rules as event_rules
from bot.services.events.lifecycle import UpdateResult
from bot.services.events.recurrence import date_words, describe, expand, paris_instant, parse_rule
from bot.services.events.rules import EventChanges, EventDraft
from bot.text import clean_text

DEFAULT_ANNOUNCE_DAYS = 14
MAX_ANNOUNCE_DAYS = 90
MAX_OCCURRENCES = 120
MAX_SPAN = timedelta(days=2 * 366)

ERR_NO_OCCURRENCE = "Cette série n'a aucune date entre le {first} et le {until}."
ERR_TOO_MANY = "Cette série aurait {count} dates\u00a0: {max} au plus. Raccourcissez-la."
ERR_SPAN = "Une série dure deux ans au plus."
ERR_UNTIL = "La date de fin de la série ({until}) doit suivre la première date ({first})."
ERR_ANNOUNCE = "Le délai d'annonce est un nombre de jours entre 1 et 90."
ERR_UNKNOWN_SERIES = "Cette série est introuvable sur ce serveur. Choisissez-la dans la liste proposée."
ERR_SERIES_CANCELLED = "Cette série est déjà annulée."


def describe_series(series: EventSeries) -> str:
    return describe(series.rule, series.first_start, series.until)


# -- series -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesDraft:
    """A series: the event details of its first occurrence, the rule and its end."""

    event: EventDraft
    rule: str
    until: datetime
    announce_days: int = DEFAULT_ANNOUNCE_DAYS


def _parse_announce_days(value: int) -> int:
    if not 1 <= value <= MAX_ANNOUNCE_DAYS:
        raise ValidationError(ERR_ANNOUNCE)
    return value


async def create_series(
    session: AsyncSession, guild_id: int, draft: SeriesDraft, *, now: datetime, created_by: int | None = None
) -> tuple[EventSeries, list[Event]]:
    """Check the series (its first occurrence as any new event), store it and create the
    occurrences already due for announcement. Returns the series and those events."""
    rule = parse_rule(draft.rule).text()
    first, until = draft.event.starts_at, draft.until
    if until.astimezone(PARIS).date() < first.astimezone(PARIS).date():
        raise ValidationError(
            ERR_UNTIL.format(
                until=date_words(until.astimezone(PARIS).date()), first=date_words(first.astimezone(PARIS).date())
            )
        )
    if until - first > MAX_SPAN:
        raise ValidationError(ERR_SPAN)
    starts = expand(rule, first, until)
    if not starts:
        raise ValidationError(
            ERR_NO_OCCURRENCE.format(
                first=date_words(first.astimezone(PARIS).date()), until=date_words(until.astimezone(PARIS).date())
            )
        )
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError(ERR_TOO_MANY.format(count=len(starts), max=MAX_OCCURRENCES))
    # The first occurrence is checked as any new event (texts, place/link, capacity...).
    length = draft.event.ends_at - draft.event.starts_at
    probe = await events_service.create_event(
        session,
        guild_id,
        replace(draft.event, starts_at=starts[0], ends_at=starts[0] + length),
        now=now,
        created_by=created_by,
    )
    series = EventSeries(
        guild_id=guild_id,
        title=probe.title,
        rule=rule,
        first_start=first,
        until=until,
        duration_minutes=int(length.total_seconds() // 60),
        type=probe.type,
        format=probe.format,
        place=probe.place,
        link=probe.link,
        territory_code=probe.territory_code,
        capacity=probe.capacity,
        waitlist_enabled=probe.waitlist_enabled,
        audience=probe.audience,
        description=probe.description,
        reminder_hours=probe.reminder_hours,
        announce_days=_parse_announce_days(draft.announce_days),
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(series)
    await session.flush()
    # The probe is the first occurrence only if it is already due; else it waits its turn.
    if starts[0] - timedelta(days=series.announce_days) <= now:
        probe.series_id, probe.occurrence_start = series.id, starts[0]
        created = [probe, *await materialise(session, series, now=now)]
    else:
        await session.delete(probe)
        await session.flush()
        created = await materialise(session, series, now=now)
    return series, created


def _occurrence(series: EventSeries, start: datetime, now: datetime) -> Event:
    return Event(
        guild_id=series.guild_id,
        title=series.title,
        type=series.type,
        starts_at=start,
        ends_at=start + timedelta(minutes=series.duration_minutes),
        duration_days=event_rules.computed_duration(start, start + timedelta(minutes=series.duration_minutes)),
        format=series.format,
        place=series.place,
        link=series.link,
        territory_code=series.territory_code,
        capacity=series.capacity,
        waitlist_enabled=series.waitlist_enabled,
        audience=series.audience,
        description=series.description,
        reminder_hours=series.reminder_hours,
        created_by=series.created_by,
        created_at=now,
        updated_at=now,
        series_id=series.id,
        occurrence_start=start,
    )


async def materialise(session: AsyncSession, series: EventSeries, *, now: datetime) -> list[Event]:
    """Create the occurrences of `series` due for announcement (start within
    `announce_days`, not started) that do not exist yet (moved or cancelled ones exist)."""
    if series.cancelled_at is not None:
        return []
    horizon = now + timedelta(days=series.announce_days)
    starts = [s for s in expand(series.rule, series.first_start, series.until, after=now) if s <= horizon]
    if not starts:
        return []
    existing = set(await session.scalars(select(Event.occurrence_start).where(Event.series_id == series.id)))
    created = [_occurrence(series, s, now) for s in starts if s not in existing]
    session.add_all(created)
    await session.flush()
    return created


async def materialise_due(session: AsyncSession, *, now: datetime, guild_ids: list[int] | None = None) -> list[Event]:
    """The series job: every active series' occurrences now due (see `materialise`)."""
    stmt = select(EventSeries).where(EventSeries.cancelled_at.is_(None), EventSeries.until >= now - timedelta(days=1))
    if guild_ids is not None:
        stmt = stmt.where(EventSeries.guild_id.in_(guild_ids))
    created: list[Event] = []
    for series in (await session.scalars(stmt.order_by(EventSeries.id))).all():
        created += await materialise(session, series, now=now)
    return created


async def get_series(session: AsyncSession, guild_id: int, series_id: int) -> EventSeries:
    series = await session.scalar(
        select(EventSeries).where(EventSeries.id == series_id, EventSeries.guild_id == guild_id)
    )
    if series is None:
        raise NotFoundError(ERR_UNKNOWN_SERIES)
    return series


def parse_series_id(value: str | int | None) -> int:
    return parse_id(value, unknown=ERR_UNKNOWN_SERIES)


async def list_series(session: AsyncSession, guild_id: int, *, now: datetime, text: str = "") -> list[EventSeries]:
    """Active series (not cancelled, not over), soonest end first; `text` filters titles."""
    found = (
        await session.scalars(
            select(EventSeries)
            .where(EventSeries.guild_id == guild_id, EventSeries.cancelled_at.is_(None), EventSeries.until >= now)
            .order_by(EventSeries.title, EventSeries.id)
        )
    ).all()
    wanted = text.strip().casefold()
    return [s for s in found if wanted in s.title.casefold()][:25]


async def upcoming_occurrences(session: AsyncSession, series_id: int, *, now: datetime) -> list[Event]:
    """The occurrences already created that have not started and are not cancelled."""
    return list(
        await session.scalars(
            select(Event)
            .where(Event.series_id == series_id, Event.cancelled_at.is_(None), Event.starts_at > now)
            .order_by(Event.starts_at)
        )
    )


@requires_lock
async def cancel_series(
    session: AsyncSession, guild_id: int, series_id: int, *, now: datetime
) -> tuple[EventSeries, list[Event]]:
    """Cancel the series (no more occurrences) and its created occurrences to come; returns
    those (their registrants are told by the caller)."""
    series = await get_series(session, guild_id, series_id)
    if series.cancelled_at is not None:
        raise ConflictError(ERR_SERIES_CANCELLED)
    series.cancelled_at = now
    series.updated_at = now
    cancelled = []
    for event in await upcoming_occurrences(session, series.id, now=now):
        cancelled.append(await events_service.cancel_event(session, guild_id, event.id, now=now))
    await session.flush()
    return series, cancelled


@dataclass(frozen=True)
class SeriesChanges:
    """A change of the whole series: the time of day, the length, where, what."""

    clock: tuple[int, int] | None = None  # new start time (hour, minute), Paris
    duration_minutes: int | None = None
    title: str | None = None
    place: str | None = None
    link: str | None = None
    description: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


@dataclass
class SeriesUpdate:
    series: EventSeries
    results: list[UpdateResult] = field(default_factory=list)


def _at_clock(value: datetime, clock: tuple[int, int]) -> datetime:
    local_day = value.astimezone(PARIS).date()
    return paris_instant(datetime.combine(local_day, time(*clock)))


@requires_lock
async def update_series(
    session: AsyncSession, guild_id: int, series_id: int, changes: SeriesChanges, *, now: datetime
) -> SeriesUpdate:
    """Change the series and each created occurrence to come (a new time keeps each one's
    day, a moved occurrence included)."""
    if changes.is_empty():
        raise ValidationError(event_rules.ERR_NOTHING_TO_CHANGE)
    series = await get_series(session, guild_id, series_id)
    if series.cancelled_at is not None:
        raise ConflictError(ERR_SERIES_CANCELLED)
    update = SeriesUpdate(series)
    minutes = changes.duration_minutes or series.duration_minutes
    for event in await upcoming_occurrences(session, series.id, now=now):
        starts_at = _at_clock(event.starts_at, changes.clock) if changes.clock else None
        ends_at = None
        if starts_at is not None or changes.duration_minutes:
            ends_at = (starts_at or event.starts_at) + timedelta(minutes=minutes)
        result = await events_service.update_event(
            session,
            guild_id,
            event.id,
            EventChanges(
                title=changes.title,
                starts_at=starts_at,
                ends_at=ends_at,
                place=changes.place,
                link=changes.link,
                description=changes.description,
            ),
            now=now,
        )
        if changes.clock and event.occurrence_start is not None:
            event.occurrence_start = _at_clock(event.occurrence_start, changes.clock)
        update.results.append(result)
    if changes.clock:
        series.first_start = _at_clock(series.first_start, changes.clock)
    series.duration_minutes = minutes
    if changes.title is not None:
        title = clean_text(changes.title, "Le titre", event_rules.MAX_TITLE, required=True)
        assert title is not None  # required: refused when empty
        series.title = title
    if changes.place is not None:
        series.place = clean_text(changes.place, "Le lieu", event_rules.MAX_PLACE)
    if changes.link is not None:
        series.link = event_rules.clean_link(changes.link)
    if changes.description is not None:
        series.description = clean_text(
            changes.description, "La description", event_rules.MAX_DESCRIPTION, multiline=True
        )
    series.updated_at = now
    await session.flush()
    return update


async def series_text(session: AsyncSession, event: Event) -> str | None:
    """The French rule of the event's series (for its announcement), None for a lone event
    or once the series is stopped."""
    if event.series_id is None:
        return None
    series = await session.get(EventSeries, event.series_id)
    if series is None or series.cancelled_at is not None:
        return None
    return describe_series(series)


def series_values(series: EventSeries) -> dict[str, Any]:
    """For a reply: the French description and the count of dates."""
    return {
        "title": series.title,
        "rule": describe_series(series),
        "count": len(expand(series.rule, series.first_start, series.until)),
    }
