"""What the /evenement commands and forms share to read a coordinator's input: the choices
of type, format and audience, and the end and deadline parsers."""

from __future__ import annotations

from datetime import datetime, time

from discord import app_commands

from bot.clock import PARIS
from bot.dates import is_clock, localize, parse_clock, parse_date, parse_datetime
from bot.db.models.events import (
    ALL,
    EVENT_TYPES,
    HYBRID,
    IN_PERSON,
    NEWCOMERS,
    PARENTING,
    REMOTE,
    YOUTH,
)
from bot.errors import ValidationError
from bot.services.events.rules import TYPE_LABELS

TYPE_CHOICES = [app_commands.Choice(name=TYPE_LABELS[t], value=t) for t in EVENT_TYPES]
FORMAT_CHOICES = [
    app_commands.Choice(name="Présentiel", value=IN_PERSON),
    app_commands.Choice(name="Visio", value=REMOTE),
    app_commands.Choice(name="Hybride (présentiel et visio)", value=HYBRID),
]
AUDIENCE_CHOICES = [
    app_commands.Choice(name="Tous les Promeneurs", value=ALL),
    app_commands.Choice(name="Nouveaux Promeneurs (moins de 12 mois)", value=NEWCOMERS),
    app_commands.Choice(name="Volet Jeunesse", value=YOUTH),
    app_commands.Choice(name="Volet Parentalité", value=PARENTING),
]
ERR_END_TIME = "«\u00a0{value}\u00a0» n'est pas une heure valide. Écrivez par exemple 16h30 ou 22/06/2027 16h30."


def parse_end(value: str, start: datetime) -> datetime:
    """The end: a full date and time, or only a time on the start's day ("16h30")."""
    if not is_clock(value):
        return parse_datetime(value, now=start)  # "jeudi 16h": the next one after the start
    hour, minute = parse_clock(value, ERR_END_TIME)
    day = start.astimezone(PARIS).date()
    return localize(datetime.combine(day, time(hour, minute)), original=value)


def parse_deadline(value: str, now: datetime | None = None) -> datetime:
    """A deadline: a date and time, or a day alone (until 23 h 59 that day, Paris time)."""
    try:
        return parse_datetime(value, now=now)
    except ValidationError:
        day = parse_date(value, today=now.astimezone(PARIS).date() if now else None)
        return localize(datetime.combine(day, time(23, 59)), original=value)
