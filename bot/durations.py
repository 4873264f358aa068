"""French durations as people type them: "1 h 30", "90 minutes", "1,5 h", "une heure",
"une heure et demie", "une demi-journée", "2 jours".

Two readers, one per unit the project stores:
- `parse_minutes` (a help session): a bare number is minutes ("90"); hours may be decimal
  ("1,5 h") or followed by minutes ("1h30", "1 h 30 min"); « une demi-journée » is 4 h and
  « une journée » 7 h (the network's working day).
- `parse_days` (an event): a bare number is days ("0,5", "1,5"); "une demi-journée", "une
  journée", "2 jours", "1 jour et demi".
Each returns the number and leaves the range to its caller (whose message names the bounds);
anything else raises the caller's `error` ({value}: the quoted input). Only ASCII digits are
digits (bot.parsing rule); inputs longer than MAX_INPUT are refused unread.
"""

from __future__ import annotations

import re
import unicodedata

from bot.errors import ValidationError
from bot.parsing import refuse_foreign_digits
from bot.text import quote

MAX_INPUT = 40
HALF_DAY_MINUTES = 4 * 60
DAY_MINUTES = 7 * 60

_WORDS = {
    "un": "1", "une": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "six": "6",
    "sept": "7", "huit": "8", "neuf": "9", "dix": "10", "douze": "12", "quinze": "15",
    "vingt": "20", "trente": "30", "quarante-cinq": "45", "quarante": "40", "soixante": "60",
}  # fmt: skip
_MINUTE_PHRASES = {
    "demi-heure": 30, "1 demi-heure": 30, "quart d'heure": 15, "1 quart d'heure": 15,
    "3 quarts d'heure": 45, "demi-journee": HALF_DAY_MINUTES, "1 demi-journee": HALF_DAY_MINUTES,
    "journee": DAY_MINUTES, "1 journee": DAY_MINUTES,
}  # fmt: skip
_DAY_PHRASES = {"demi-journee": 0.5, "1 demi-journee": 0.5, "journee": 1.0}
_NUMBER = r"\d{1,4}(?:[.,]\d{1,2})?"
_HOURS = re.compile(rf"^(?P<h>{_NUMBER})h(?:(?P<m>\d{{1,2}})(?:min)?|(?P<extra>etdemie?|etquart))?$", re.ASCII)
_MINUTES = re.compile(r"^(?P<m>\d{1,4})(?:min|m)?$", re.ASCII)
_DAYS = re.compile(rf"^(?P<d>{_NUMBER})(?:j|jours?|journees?)?(?P<half>etdemie?)?$", re.ASCII)


def _plain(value: str) -> str:
    """Lower case, accents off, one space, number words as digits ("Une heure" → "1 heure")."""
    text = unicodedata.normalize("NFKD", value.replace("’", "'").strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\s+", " ", text.replace("demi journee", "demi-journee"))
    text = re.sub(r"demi heure", "demi-heure", text)
    return " ".join(_WORDS.get(word, word) for word in text.split(" "))


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _read(value: str | None, error: str) -> str:
    value = value or ""
    refuse_foreign_digits(value)
    if not value.strip() or len(value) > MAX_INPUT:
        raise ValidationError(error.format(value=quote(value)))
    return _plain(value)


def parse_minutes(value: str, *, error: str) -> int:
    """A duration in minutes: "90", "45 min", "1h30", "1 h 30", "1,5 h", "une heure",
    "deux heures et demie", "une demi-heure", "une demi-journée" (4 h)."""
    text = _read(value, error)
    if text in _MINUTE_PHRASES:
        return _MINUTE_PHRASES[text]
    compact = re.sub(r"(heures?|hrs?)", "h", text)
    compact = re.sub(r"(minutes?|mins?|mn)", "min", compact).replace(" ", "")
    match = _HOURS.match(compact)
    if match:
        hours = _number(match["h"])
        if match["m"] is not None and (hours != int(hours) or int(match["m"]) > 59):
            raise ValidationError(error.format(value=quote(value)))
        extra = {None: 0, "etquart": 15}.get(match["extra"], 30)
        return round(hours * 60) + int(match["m"] or 0) + extra
    match = _MINUTES.match(compact)
    if match:
        return int(match["m"])
    raise ValidationError(error.format(value=quote(value)))


def parse_days(value: str, *, error: str) -> float:
    """A duration in days: "0,5", "1", "1,5 jour", "une demi-journée", "une journée",
    "2 jours", "1 jour et demi"."""
    text = _read(value, error)
    if text in _DAY_PHRASES:
        return _DAY_PHRASES[text]
    match = _DAYS.match(text.replace(" ", ""))
    if not match:
        raise ValidationError(error.format(value=quote(value)))
    return _number(match["d"]) + (0.5 if match["half"] else 0.0)
