"""Recurring events: a series (an RRULE from a first start to an end date) whose occurrences
become real events, one by one, `announce_days` before they start.

The rule is RFC 5545 text ("FREQ=MONTHLY;BYDAY=1TU"), expanded by python-dateutil's
`rrulestr` in Europe/Paris wall time (the session stays at 14 h across daylight saving); the
supported shapes are the ones `describe` can say in French:
- weekly on given days: FREQ=WEEKLY[;INTERVAL=n];BYDAY=TU,TH
- monthly on the n-th (or last) weekday: FREQ=MONTHLY[;INTERVAL=n];BYDAY=1TU / -1SU
- monthly on a day of the month: FREQ=MONTHLY[;INTERVAL=n];BYMONTHDAY=15 / -1 (the last day).
  A 31 is skipped in shorter months (RFC 5545); « le dernier jour » is BYMONTHDAY=-1.

Each occurrence is an `Event` with `series_id` and `occurrence_start` (the start the rule
gave it, kept when that one occurrence is moved): registrations, reminders, the Events tab
mirror, the calendar feeds and the recap treat it as any event. Moving or cancelling one
occurrence is `/evenement modifier` / `annuler` on it; the whole series is `update_series` /
`cancel_series`, which change every occurrence already created and the ones to come.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from dateutil.rrule import rrulestr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.dates import format_time
from bot.db.models.events import Event, EventSeries
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.parsing import parse_id
from bot.services import events as events_service
from bot.services.events import EventChanges, EventDraft, UpdateResult
from bot.services.text import clean_text

DEFAULT_ANNOUNCE_DAYS = 14
MAX_ANNOUNCE_DAYS = 90
MAX_OCCURRENCES = 120
MAX_SPAN = timedelta(days=2 * 366)

ERR_RULE = (
    "Cette récurrence n'est pas prise en charge. Possibles\u00a0: chaque semaine (certains "
    "jours), chaque mois le n-ième jour de la semaine (le 1er mardi, le dernier dimanche) ou "
    "chaque mois à date fixe (le 15)."
)
ERR_NO_OCCURRENCE = "Cette série n'a aucune date entre le {first} et le {until}."
ERR_TOO_MANY = "Cette série aurait {count} dates\u00a0: {max} au plus. Raccourcissez-la."
ERR_SPAN = "Une série dure deux ans au plus."
ERR_UNTIL = "La date de fin de la série ({until}) doit suivre la première date ({first})."
ERR_ANNOUNCE = "Le délai d'annonce est un nombre de jours entre 1 et 90."
ERR_UNKNOWN_SERIES = "Cette série est introuvable sur ce serveur. Choisissez-la dans la liste proposée."
ERR_SERIES_CANCELLED = "Cette série est déjà annulée."

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)
_ORDINALS = {1: "1er", 2: "2e", 3: "3e", 4: "4e", -1: "dernier", -2: "avant-dernier"}

# Shapes offered by the command (the first date gives the day).
WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY_NTH = "monthly_nth"
MONTHLY_LAST = "monthly_last"
MONTHLY_DAY = "monthly_day"


# -- rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    freq: str  # WEEKLY or MONTHLY
    interval: int = 1
    days: tuple[int, ...] = ()  # weekly: weekday numbers (0 = Monday)
    nth: int | None = None  # monthly by weekday: 1..4 or -1, -2
    weekday: int | None = None
    monthday: int | None = None  # monthly by date: 1..31 or -1

    def text(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.freq == "WEEKLY":
            parts.append("BYDAY=" + ",".join(_DAYS[d] for d in self.days))
        elif self.monthday is not None:
            parts.append(f"BYMONTHDAY={self.monthday}")
        else:
            parts.append(f"BYDAY={self.nth}{_DAYS[self.weekday or 0]}")
        return ";".join(parts)


def parse_rule(text: str) -> Rule:
    """An RRULE of a supported shape (see the module doc), else a clear French refusal."""
    try:
        pairs = dict(part.split("=", 1) for part in text.strip().upper().removeprefix("RRULE:").split(";") if part)
    except ValueError:
        raise ValidationError(ERR_RULE) from None
    freq = pairs.pop("FREQ", "")
    interval_text = pairs.pop("INTERVAL", "1")
    if not interval_text.isdigit() or not 1 <= int(interval_text) <= 12:
        raise ValidationError(ERR_RULE)
    interval = int(interval_text)
    byday = pairs.pop("BYDAY", None)
    bymonthday = pairs.pop("BYMONTHDAY", None)
    if pairs or freq not in ("WEEKLY", "MONTHLY"):
        raise ValidationError(ERR_RULE)
    if freq == "WEEKLY":
        days = (byday or "").split(",")
        if bymonthday is not None or not all(d in _DAYS for d in days):
            raise ValidationError(ERR_RULE)
        return Rule("WEEKLY", interval, days=tuple(sorted({_DAYS.index(d) for d in days})))
    if byday is not None and bymonthday is None:
        day, number = byday[-2:], byday[:-2].lstrip("+")
        if day not in _DAYS or number not in ("1", "2", "3", "4", "-1", "-2"):
            raise ValidationError(ERR_RULE)
        return Rule("MONTHLY", interval, nth=int(number), weekday=_DAYS.index(day))
    if bymonthday is not None and byday is None:
        if bymonthday not in {str(n) for n in range(1, 32)} | {"-1"}:
            raise ValidationError(ERR_RULE)
        return Rule("MONTHLY", interval, monthday=int(bymonthday))
    raise ValidationError(ERR_RULE)


def rule_for(shape: str, first: datetime) -> Rule:
    """The rule of a shape offered by the command, from the first date (Paris time):
    « 1er mardi » if the first date is the first Tuesday of its month, etc."""
    local = first.astimezone(PARIS)
    weekday = local.weekday()
    if shape == WEEKLY:
        return Rule("WEEKLY", days=(weekday,))
    if shape == FORTNIGHTLY:
        return Rule("WEEKLY", interval=2, days=(weekday,))
    if shape == MONTHLY_NTH:
        nth = (local.day - 1) // 7 + 1
        return Rule("MONTHLY", nth=-1 if nth == 5 else nth, weekday=weekday)
    if shape == MONTHLY_LAST:
        return Rule("MONTHLY", nth=-1, weekday=weekday)
    if shape == MONTHLY_DAY:
        return Rule("MONTHLY", monthday=local.day)
    raise ValidationError(ERR_RULE)


def _wall(value: datetime) -> datetime:
    """Paris wall time, naive (what the rule counts in)."""
    return value.astimezone(PARIS).replace(tzinfo=None)


def _aware(naive: datetime) -> datetime:
    """A Paris wall time as an aware UTC instant. A time inside the spring gap (2 h 30 on
    the last Sunday of March) does not exist: it is moved one hour later, as clocks do."""
    aware = naive.replace(tzinfo=PARIS, fold=0)
    if aware.astimezone(timezone.utc).astimezone(PARIS).replace(tzinfo=None) != naive:
        aware = (naive + timedelta(hours=1)).replace(tzinfo=PARIS)
    return aware.astimezone(timezone.utc)


def expand(rule: str, first: datetime, until: datetime, *, after: datetime | None = None) -> list[datetime]:
    """The starts (aware, UTC) of the rule from `first` to `until` included, in Paris wall
    time (the library does the calendar; `after` keeps only the later ones)."""
    parse_rule(rule)
    start = _wall(first)
    end_day = until.astimezone(PARIS).date()
    recurrence = rrulestr(rule.removeprefix("RRULE:"), dtstart=start)
    limit = datetime.combine(end_day, time(23, 59, 59))
    starts = [_aware(value) for value in recurrence.between(start, limit, inc=True)]
    return [s for s in starts if after is None or s > after]


# -- French -----------------------------------------------------------------------------------


def _date_words(value: date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def describe_rule(rule: str, first: datetime) -> str:
    """ « le 1er mardi du mois à 14 h », « chaque lundi et jeudi à 9 h 30 »."""
    parsed = parse_rule(rule)
    at = f"à {format_time(first)}"
    if parsed.freq == "WEEKLY":
        days = _join([_DAY_NAMES[d] for d in parsed.days])
        if parsed.interval == 1:
            return f"chaque {days} {at}"
        if parsed.interval == 2:
            return f"un {days} sur deux {at}"
        return f"un {days} toutes les {parsed.interval} semaines {at}"
    if parsed.monthday is not None:
        what = "le dernier jour" if parsed.monthday == -1 else f"le {'1er' if parsed.monthday == 1 else parsed.monthday}"
    else:
        ordinal = _ORDINALS[parsed.nth or 1]
        article = "l'" if ordinal.startswith("a") else "le "
        what = f"{article}{ordinal} {_DAY_NAMES[parsed.weekday or 0]}"
    if parsed.interval == 1:
        text = f"{what} du mois {at}"
    elif parsed.interval == 2:
        text = f"{what} du mois, un mois sur deux, {at}"
    else:
        text = f"{what} du mois, tous les {parsed.interval} mois, {at}"
    if parsed.monthday is not None and parsed.monthday > 28:
        text += f" (les mois qui ont un {parsed.monthday})"
    return text


def describe(rule: str, first: datetime, until: datetime) -> str:
    """ « le 1er mardi du mois à 14 h, du 1er septembre 2026 au 30 juin 2027 »."""
    first_day = first.astimezone(PARIS).date()
    last_day = until.astimezone(PARIS).date()
    return f"{describe_rule(rule, first)}, du {_date_words(first_day)} au {_date_words(last_day)}"


def end_of_day(day: date) -> datetime:
    """The last minute of a day in Paris (a series' `until`)."""
    return _aware(datetime.combine(day, time(23, 59)))


def announce_at(start: datetime, announce_days: int) -> datetime:
    """When an occurrence starting at `start` is created and announced."""
    return start - timedelta(days=announce_days)


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
        raise ValidationError(ERR_UNTIL.format(until=_date_words(until.astimezone(PARIS).date()),
                                               first=_date_words(first.astimezone(PARIS).date())))
    if until - first > MAX_SPAN:
        raise ValidationError(ERR_SPAN)
    starts = expand(rule, first, until)
    if not starts:
        raise ValidationError(ERR_NO_OCCURRENCE.format(
            first=_date_words(first.astimezone(PARIS).date()), until=_date_words(until.astimezone(PARIS).date())
        ))
    if len(starts) > MAX_OCCURRENCES:
        raise ValidationError(ERR_TOO_MANY.format(count=len(starts), max=MAX_OCCURRENCES))
    # The first occurrence is checked as any new event (texts, place/link, capacity...).
    length = draft.event.ends_at - draft.event.starts_at
    probe = await events_service.create_event(
        session, guild_id, replace(draft.event, starts_at=starts[0], ends_at=starts[0] + length),
        now=now, created_by=created_by,
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
        duration_days=events_service.computed_duration(start, start + timedelta(minutes=series.duration_minutes)),
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
    existing = set(
        await session.scalars(select(Event.occurrence_start).where(Event.series_id == series.id))
    )
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


async def cancel_series(session: AsyncSession, guild_id: int, series_id: int, *, now: datetime) -> tuple[EventSeries, list[Event]]:
    """Cancel the series (no more occurrences) and its created occurrences to come; returns
    those (their registrants are told by the caller). Run in `transaction(lock=True)`."""
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
    return _aware(datetime.combine(local_day, time(*clock)))


async def update_series(
    session: AsyncSession, guild_id: int, series_id: int, changes: SeriesChanges, *, now: datetime
) -> SeriesUpdate:
    """Change the series and each created occurrence to come (a new time keeps each one's
    day, a moved occurrence included). Run in `transaction(lock=True)`."""
    if changes.is_empty():
        raise ValidationError(events_service.ERR_NOTHING_TO_CHANGE)
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
            session, guild_id, event.id,
            EventChanges(title=changes.title, starts_at=starts_at, ends_at=ends_at, place=changes.place,
                         link=changes.link, description=changes.description),
            now=now,
        )
        if changes.clock and event.occurrence_start is not None:
            event.occurrence_start = _at_clock(event.occurrence_start, changes.clock)
        update.results.append(result)
    if changes.clock:
        series.first_start = _at_clock(series.first_start, changes.clock)
    series.duration_minutes = minutes
    if changes.title is not None:
        series.title = clean_text(changes.title, "Le titre", events_service.MAX_TITLE, required=True)
    if changes.place is not None:
        series.place = clean_text(changes.place, "Le lieu", events_service.MAX_PLACE)
    if changes.link is not None:
        series.link = events_service.clean_link(changes.link)
    if changes.description is not None:
        series.description = clean_text(changes.description, "La description", events_service.MAX_DESCRIPTION, multiline=True)
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
    return {"title": series.title, "rule": describe_series(series),
            "count": len(expand(series.rule, series.first_start, series.until))}
