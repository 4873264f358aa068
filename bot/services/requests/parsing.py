"""What a request's forms accept: kind and mode, durations, people reached, text limits."""

from __future__ import annotations

from bot.db.models.requests import KINDS, MODES
from bot.durations import parse_minutes
from bot.errors import ValidationError
from bot.parsing import parse_int
from bot.services.requests.labels import KIND_LABELS

MAX_SUBJECT, MAX_DETAILS, MAX_AVAILABILITY, MAX_OUTCOME = 100, 1500, 200, 1000
MAX_DURATION_MINUTES = 24 * 60
MAX_PEOPLE = 500

ERR_KIND = "Type d'accompagnement inconnu\u00a0: choisissez parmi {labels}."
ERR_MODE = "Modalité inconnue\u00a0: choisissez téléphone, visio ou sur place."
ERR_DURATION = (
    "«\u00a0{value}\u00a0» n'est pas une durée valide\u00a0: écrivez par exemple 45 min, 1 h 30, "
    "une heure ou 90 minutes."
)
ERR_DURATION_RANGE = "La durée doit être comprise entre 1 minute et 24 heures."
ERR_PEOPLE = "Le nombre de personnes touchées doit être un nombre entier entre 1 et {max}."


def parse_duration(value: str | None) -> int | None:
    """ "90", "45 min", "1h30", "1 h 30", "1,5 h", "une heure" → minutes; empty → None."""
    if not (value or "").strip():
        return None
    minutes = parse_minutes(value or "", error=ERR_DURATION)
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(ERR_DURATION_RANGE)
    return minutes


def parse_people(value: str | int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_int(value, minimum=1, maximum=MAX_PEOPLE, error=ERR_PEOPLE)


def check_kind_mode(kind: str, mode: str | None) -> None:
    if kind not in KINDS:
        raise ValidationError(ERR_KIND.format(labels=", ".join(KIND_LABELS.values())))
    if mode is not None and mode not in MODES:
        raise ValidationError(ERR_MODE)
