"""What an event is made of: the labels of its types, formats and audiences, the limits of
its values, their parsing and checks, and the drafts (`EventDraft`, `EventChanges`) that
creation and changes take. No database access here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from bot.clock import PARIS
from bot.dates import format_when
from bot.db.models.events import (
    ALL,
    AUDIENCES,
    EVENT_TYPES,
    FORMATS,
    HYBRID,
    IN_PERSON,
    REMOTE,
    Event,
)
from bot.durations import parse_days
from bot.errors import ValidationError
from bot.parsing import parse_decimal, parse_int, refuse_foreign_digits
from bot.text import quote

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


def check_values(
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


def clean_capacity(value: int | None) -> int | None:
    if value is None or value == 0:
        return None
    if not 1 <= value <= MAX_CAPACITY:
        raise ValidationError(ERR_CAPACITY)
    return value


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 January, 1 January next year) of `year`, Europe/Paris, as aware datetimes."""
    return (
        datetime(year, 1, 1, tzinfo=PARIS),
        datetime(year + 1, 1, 1, tzinfo=PARIS),
    )


def local_date(value: datetime) -> date:
    return value.astimezone(PARIS).date()
