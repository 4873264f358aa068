"""Events (network sessions): creation, changes, cancellation, listings and the figures of
the year-end recap. Registrations, the waitlist, attendance and reminders are in
`bot.services.events_registrations`; the calendar file in `bot.services.events_ics`.

Figures (DESIGN.md §3, "Network sessions"), for a period and a territory or "commun":
- sessions held: events not cancelled that start in the period;
- in person / remote: a hybrid session counts as in person (and is also counted as hybrid);
- total days: sum of `duration_days` (half day = 0.5);
- attendance: registrations marked present (walk-ins included);
- unique Promeneurs reached: distinct members marked present;
- registration rate = registered / capacity, fill rate = present / capacity, both over the
  sessions that have a capacity only (None when no session has one).
A territory's own sessions carry its code, "commun" ones none (key None); the total counts
each event once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.dates import format_when
from bot.db.models.events import (
    ALL,
    AUDIENCES,
    EVENT_TYPES,
    FORMATS,
    HYBRID,
    IN_PERSON,
    REGISTERED,
    REMOTE,
    Event,
    EventRegistration,
)
from bot.durations import parse_days
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.parsing import parse_decimal, parse_id, parse_int, refuse_foreign_digits
from bot.services.guilds import ensure_guild, require_territory
from bot.services.text import clean_text, quote

TYPE_LABELS = {
    "welcome_meeting": "Réunion d'accueil",
    "onboarding_training": "Formation initiale",
    "thematic_training": "Formation thématique",
    "practice_exchange": "Échange de pratiques",
    "practice_review": "Analyse de la pratique",
    "conference": "Conférence",
    "other": "Autre temps de réseau",
}
FORMAT_LABELS = {IN_PERSON: "Présentiel", REMOTE: "Visio", HYBRID: "Hybride"}
AUDIENCE_LABELS = {
    "all": "Tous les Promeneurs",
    "newcomers": "Nouveaux Promeneurs (arrivés depuis moins de 12 mois)",
    "youth": "Volet Jeunesse",
    "parenting": "Volet Parentalité",
}
SHARED_WORDS = {"", "commun", "aucun", "tous"}
MAX_TITLE = 100
MAX_PLACE = 200
MAX_LINK = 500
MAX_DESCRIPTION = 2000
MAX_CAPACITY = 10_000
MAX_DAYS = 30.0
MAX_REMINDER_HOURS = 14 * 24
DEFAULT_REMINDERS = "24,1"
HALF_DAY = timedelta(hours=4)

ERR_UNKNOWN_EVENT = "Cet événement est introuvable sur ce serveur. Choisissez-le dans la liste proposée."
ERR_TYPE = "Type d'événement inconnu\u00a0: choisissez-en un dans la liste proposée."
ERR_FORMAT = "Format inconnu\u00a0: choisissez présentiel, visio ou hybride."
ERR_AUDIENCE = "Public inconnu\u00a0: choisissez tous, nouveaux Promeneurs, Jeunesse ou Parentalité."
ERR_PAST_START = "La date de début ({when}) est déjà passée. Indiquez une date à venir, par exemple 15/06/2027 9h30."
ERR_NOT_HELD_YET = (
    "Ce temps de réseau ({when}) n'a pas encore eu lieu : pour un événement à venir, utilisez /evenement creer."
)
ERR_END_BEFORE_START = "La fin ({end}) doit être après le début ({start})."
ERR_DURATION = (
    "La durée «\u00a0{value}\u00a0» n'est pas valide\u00a0: indiquez un nombre de jours par demi-journées, "
    "par exemple une demi-journée, 1 jour ou 1,5."
)
ERR_NEED_PLACE = "Indiquez le lieu d'un événement en présentiel ou hybride (option «\u00a0lieu\u00a0»)."
ERR_NEED_LINK = "Indiquez le lien de visio d'un événement à distance ou hybride (option «\u00a0lien\u00a0»)."
ERR_LINK = "Le lien «\u00a0{value}\u00a0» n'est pas une adresse web valide (elle commence par https://)."
ERR_CAPACITY = "La capacité doit être un nombre de places entre 1 et 10 000 (ou 0 pour aucune limite)."
ERR_CAPACITY_BELOW = (
    "Impossible de passer à {capacity} places\u00a0: {count} personnes sont déjà inscrites. "
    "Indiquez au moins {count} places."
)
ERR_DEADLINE_AFTER_START = "La date limite d'inscription ({deadline}) doit précéder le début de l'événement ({start})."
ERR_DEADLINE_PAST = "La date limite d'inscription ({deadline}) est déjà passée."
ERR_REMINDERS = (
    "Rappels «\u00a0{value}\u00a0» non valides\u00a0: indiquez des heures avant le début séparées par des "
    "virgules, par exemple 24,1 (ou «\u00a0aucun\u00a0»)."
)
ERR_CANCELLED = "Cet événement a été annulé."
ERR_ALREADY_CANCELLED = "Cet événement est déjà annulé."
ERR_NOTHING_TO_CHANGE = "Indiquez au moins une information à modifier."


# -- validation -------------------------------------------------------------------------------


def _fmt(value: datetime) -> str:
    return format_when(value)


def clean_link(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if (
        len(value) > MAX_LINK
        or parts.scheme not in ("http", "https")
        or "." not in (parts.hostname or "")
        or any(c.isspace() for c in value)
    ):
        raise ValidationError(ERR_LINK.format(value=quote(value)))
    return value


def parse_duration(value: str | float | None) -> float | None:
    """ "0,5" / "1" / 1.5 / "une demi-journée" / "2 jours" → days; a positive multiple of
    a half day."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        days = parse_days(value, error=ERR_DURATION)
        if not 0.5 <= days <= MAX_DAYS:
            raise ValidationError(ERR_DURATION.format(value=quote(value)))
    else:
        days = parse_decimal(value, minimum=0.5, maximum=MAX_DAYS, error=ERR_DURATION)
    if (days * 2) != int(days * 2):
        raise ValidationError(ERR_DURATION.format(value=quote(value)))
    return days


def computed_duration(starts_at: datetime, ends_at: datetime) -> float:
    """Half a day up to 4 hours on one day, a day for a longer day, and one day per calendar
    day (Europe/Paris) for a session over several days."""
    first, last = starts_at.astimezone(PARIS).date(), ends_at.astimezone(PARIS).date()
    if first == last:
        return 0.5 if ends_at - starts_at <= HALF_DAY else 1.0
    return float((last - first).days + 1)


def parse_reminders(value: str | None) -> str:
    """ "24,1" → "24,1" (sorted, unique); "aucun" → "" (no reminder)."""
    if value is None:
        return DEFAULT_REMINDERS
    text = value.strip().lower().replace(" ", "").replace("h", "")
    if text in {"", "aucun", "aucune", "non", "0"}:
        return ""
    parts = [part for part in text.replace(";", ",").split(",") if part]
    if not parts or len(parts) > 5:
        raise ValidationError(ERR_REMINDERS.format(value=quote(value)))
    refuse_foreign_digits(value)
    try:
        hours = sorted({parse_int(part, minimum=1, maximum=MAX_REMINDER_HOURS) for part in parts}, reverse=True)
    except ValidationError:
        raise ValidationError(ERR_REMINDERS.format(value=quote(value))) from None
    return ",".join(str(h) for h in hours)


def reminder_hours(event: Event) -> list[int]:
    return [int(h) for h in (event.reminder_hours or "").split(",") if h]


async def _territory(session: AsyncSession, guild_id: int, value: str | None) -> str | None:
    if value is None or value.strip().casefold() in SHARED_WORDS:
        return None
    return (await require_territory(session, guild_id, value)).code


@dataclass(frozen=True)
class EventDraft:
    """What the coordination gives to create an event (dates already parsed, aware)."""

    title: str
    type: str
    starts_at: datetime
    ends_at: datetime
    format: str
    duration_days: float | None = None
    place: str | None = None
    link: str | None = None
    territory: str | None = None  # code, name, "commun" or None
    capacity: int | None = None  # None or 0: no limit
    waitlist_enabled: bool = True
    registration_deadline: datetime | None = None
    audience: str = ALL
    description: str | None = None
    reminders: str | None = None


@dataclass(frozen=True)
class EventChanges:
    """A change of an event; None leaves a field as it is. `capacity=0` removes the limit,
    `clear_deadline` removes the deadline."""

    title: str | None = None
    type: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    format: str | None = None
    duration_days: float | None = None
    place: str | None = None
    link: str | None = None
    territory: str | None = None
    capacity: int | None = None
    waitlist_enabled: bool | None = None
    registration_deadline: datetime | None = None
    clear_deadline: bool = False
    audience: str | None = None
    description: str | None = None
    reminders: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, False) for f in fields(self))


def check_dates(starts_at: datetime, ends_at: datetime, *, now: datetime, allow_past: bool = False) -> None:
    """A start to come (unless `allow_past`) and an end after it. Used by every creation
    path, the form's first step included."""
    if not allow_past and starts_at <= now:
        raise ValidationError(ERR_PAST_START.format(when=_fmt(starts_at)))
    if ends_at <= starts_at:
        raise ValidationError(ERR_END_BEFORE_START.format(end=_fmt(ends_at), start=_fmt(starts_at)))


def _check_values(
    values: dict[str, Any], *, now: datetime, dates_changed: bool, deadline_changed: bool, allow_past: bool = False
) -> None:
    """`allow_past`: a session already held, recorded afterwards (its start must be past; no
    place, link nor deadline is required)."""
    if values["type"] not in EVENT_TYPES:
        raise ValidationError(ERR_TYPE)
    if values["format"] not in FORMATS:
        raise ValidationError(ERR_FORMAT)
    if values["audience"] not in AUDIENCES:
        raise ValidationError(ERR_AUDIENCE)
    starts_at, ends_at = values["starts_at"], values["ends_at"]
    if allow_past and starts_at > now:
        raise ValidationError(ERR_NOT_HELD_YET.format(when=_fmt(starts_at)))
    check_dates(starts_at, ends_at, now=now, allow_past=allow_past or not dates_changed)
    if values["format"] in (IN_PERSON, HYBRID) and not values["place"] and not allow_past:
        raise ValidationError(ERR_NEED_PLACE)
    if values["format"] in (REMOTE, HYBRID) and not values["link"] and not allow_past:
        raise ValidationError(ERR_NEED_LINK)
    capacity = values["capacity"]
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationError(ERR_CAPACITY)
    deadline = values["registration_deadline"]
    if deadline is not None:
        if deadline > starts_at:
            raise ValidationError(ERR_DEADLINE_AFTER_START.format(deadline=_fmt(deadline), start=_fmt(starts_at)))
        if deadline_changed and deadline <= now and not allow_past:
            raise ValidationError(ERR_DEADLINE_PAST.format(deadline=_fmt(deadline)))


def _capacity(value: int | None) -> int | None:
    if value is None or value == 0:
        return None
    if not 1 <= value <= MAX_CAPACITY:
        raise ValidationError(ERR_CAPACITY)
    return value


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
        "capacity": _capacity(draft.capacity),
        "registration_deadline": draft.registration_deadline,
        "audience": draft.audience,
    }
    _check_values(values, now=now, dates_changed=True, deadline_changed=True, allow_past=allow_past)
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
    promoted: list[Any] = field(default_factory=list)  # events_registrations.Seat


async def update_event(
    session: AsyncSession, guild_id: int, event_id: int, changes: EventChanges, *, now: datetime
) -> UpdateResult:
    """Change an event. Reads then writes: run in `transaction(lock=True)`. A larger (or
    removed) capacity promotes people from the waitlist."""
    from bot.services import events_registrations as regs

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
        new["capacity"] = _capacity(changes.capacity)
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
    _check_values(
        merged,
        now=now,
        dates_changed="starts_at" in new and new["starts_at"] != event.starts_at,
        deadline_changed=new.get("registration_deadline") not in (None, event.registration_deadline),
    )
    if "capacity" in new and new["capacity"] is not None:
        count = (await regs.counts(session, [event.id])).get(event.id, (0, 0))[0]
        if new["capacity"] < count:
            raise ValidationError(ERR_CAPACITY_BELOW.format(capacity=new["capacity"], count=count))

    changed = [name for name, value in new.items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, new[name])
    event.updated_at = now
    await session.flush()
    promoted = await regs.fill_seats(session, event, now=now) if changed else []
    return UpdateResult(event=event, changed=changed, promoted=promoted)


async def cancel_event(session: AsyncSession, guild_id: int, event_id: int, *, now: datetime) -> Event:
    event = await get_event(session, guild_id, event_id, lock=True)
    if event.cancelled_at is not None:
        raise ConflictError(ERR_ALREADY_CANCELLED)
    event.cancelled_at = now
    event.updated_at = now
    await session.flush()
    return event


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


@dataclass(frozen=True)
class SessionFigures:
    sessions: int = 0
    in_person: int = 0  # hybrid included
    remote: int = 0
    hybrid: int = 0
    days: float = 0.0
    attendance: int = 0  # people marked present (walk-ins included)
    promeneurs_reached: int = 0  # distinct members marked present
    registered: int = 0  # registrations with status "registered"
    capacity: int = 0  # sum of the capacities of the sessions that have one
    registered_with_capacity: int = 0
    present_with_capacity: int = 0

    @property
    def registration_rate(self) -> float | None:
        return self.registered_with_capacity / self.capacity if self.capacity else None

    @property
    def fill_rate(self) -> float | None:
        return self.present_with_capacity / self.capacity if self.capacity else None


@dataclass(frozen=True)
class EventFigures:
    """`by_territory[code]` for each territory's own sessions, `by_territory[None]` for the
    "commun" ones; `total` counts every session once."""

    by_territory: dict[str | None, SessionFigures]
    total: SessionFigures


async def figures(session: AsyncSession, guild_id: int, start: datetime, end: datetime) -> EventFigures:
    """Network-session figures for events starting in [start, end) (see the module doc)."""
    events = list(
        (
            await session.scalars(
                select(Event).where(
                    Event.guild_id == guild_id,
                    Event.cancelled_at.is_(None),
                    Event.starts_at >= start,
                    Event.starts_at < end,
                )
            )
        ).all()
    )
    ids = [e.id for e in events]
    rows = (
        (
            await session.execute(
                select(
                    EventRegistration.event_id,
                    EventRegistration.member_id,
                    EventRegistration.status,
                    EventRegistration.attended,
                ).where(EventRegistration.event_id.in_(ids))
            )
        ).all()
        if ids
        else []
    )
    by_event: dict[int, list[Any]] = {}
    for row in rows:
        by_event.setdefault(row.event_id, []).append(row)

    def compute(selected: list[Event]) -> SessionFigures:
        result = SessionFigures()
        reached: set[int] = set()
        for e in selected:
            regs = by_event.get(e.id, [])
            present = [r for r in regs if r.attended]
            registered = sum(1 for r in regs if r.status == REGISTERED)
            reached.update(r.member_id for r in present)
            extra: dict[str, Any] = {}
            if e.capacity:
                extra = {
                    "capacity": result.capacity + e.capacity,
                    "registered_with_capacity": result.registered_with_capacity + registered,
                    "present_with_capacity": result.present_with_capacity + len(present),
                }
            result = replace(
                result,
                sessions=result.sessions + 1,
                in_person=result.in_person + (e.format in (IN_PERSON, HYBRID)),
                remote=result.remote + (e.format == REMOTE),
                hybrid=result.hybrid + (e.format == HYBRID),
                days=result.days + e.duration_days,
                attendance=result.attendance + len(present),
                registered=result.registered + registered,
                **extra,
            )
        return replace(result, promeneurs_reached=len(reached))

    groups: dict[str | None, list[Event]] = {}
    for e in events:
        groups.setdefault(e.territory_code, []).append(e)
    return EventFigures(
        by_territory={code: compute(group) for code, group in groups.items()},
        total=compute(events),
    )


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 January, 1 January next year) of `year`, Europe/Paris, as aware datetimes."""
    return (
        datetime(year, 1, 1, tzinfo=PARIS),
        datetime(year + 1, 1, 1, tzinfo=PARIS),
    )


def local_date(value: datetime) -> date:
    return value.astimezone(PARIS).date()


__all__ = [
    "AUDIENCE_LABELS",
    "EventChanges",
    "EventDraft",
    "EventFigures",
    "FORMAT_LABELS",
    "SessionFigures",
    "TYPE_LABELS",
    "cancel_event",
    "create_event",
    "figures",
    "get_event",
    "list_events",
    "update_event",
]
