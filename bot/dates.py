"""French dates: parsing what people type, formatting what they read (Europe/Paris).

Formatting goes through Babel; parsing accepts the forms French users write: the written-out
forms ("15/06/2027 9h30", "15/06/2027 à 09:30", "2027-06-15") and the spoken ones
("mardi 15h", "demain 14h30", "15/12 15h", "15 décembre 9h30", "lundi prochain",
"aujourd'hui"), read by `bot.natural_dates` (dateparser, French). A date without a year is
the next one to come (or the last one gone, for things already done). Local times that do not
exist (the spring daylight-saving gap) are refused.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from babel.dates import format_date, format_datetime, get_month_names

from bot import clock
from bot.clock import PARIS
from bot.errors import ValidationError
from bot.parsing import refuse_foreign_digits
from bot.text import quote

LOCALE = "fr_FR"
# « janvier » … « décembre », as Babel writes them in French.
MONTH_NAMES: tuple[str, ...] = tuple(get_month_names("wide", locale=LOCALE)[m] for m in range(1, 13))

ERR_DATE = "«\u00a0{value}\u00a0» n'est pas une date valide. Écrivez par exemple 15/06/2027, 15 juin ou mardi prochain."
ERR_DATETIME = (
    "«\u00a0{value}\u00a0» n'est pas une date et une heure valides. Écrivez par exemple "
    "15/06/2027 9h30, mardi 15h ou 15 décembre 9h30."
)
ERR_YEAR = (
    "« {value} » : l'année {year} n'est pas plausible. Indiquez une année entre {min} et {max}, par exemple 15/06/2027."
)
ERR_TIME = "« {value} » n'est pas une heure valide. Écrivez par exemple 9h, 9h30 ou 14:00."
ERR_NO_SUCH_TIME = (
    "Le {value} n'existe pas à l'heure de Paris (passage à l'heure d'été). "
    "Choisissez une heure avant 2 h ou à partir de 3 h."
)

FUTURE = "future"
PAST = "past"
MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_INPUT = 40  # "15/06/2027 à 09:30" is 18 characters
_DATE_RE = re.compile(
    r"^\s*(?:(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{2}|\d{4})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
    r"(?:\s*(?:à|a|,|T)?\s*(?P<h>\d{1,2})\s*(?:h|:|H)\s*(?P<min>\d{2})?)?\s*$",
    re.ASCII,
)
_CLOCK_RE = re.compile(r"^\s*(?P<h>\d{1,2})\s*(?:h|H|:)\s*(?P<m>\d{2})?\s*$", re.ASCII)
_TODAY_WORDS = {"aujourd'hui": 0, "aujourd’hui": 0, "aujourdhui": 0, "hier": -1, "demain": 1}


def _date_of(match: re.Match[str], value: str, error: str) -> date:
    """Two-digit years are this century's ("15/06/27" is 2027); four-digit years must lie
    between MIN_YEAR and MAX_YEAR ("01/01/0001" is refused, not read as 2001)."""
    if match["iy"]:
        year, month, day = int(match["iy"]), int(match["im"]), int(match["id"])
    else:
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if len(match["y"]) == 2:
            year += 2000
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(ERR_YEAR.format(value=quote(value), year=year, min=MIN_YEAR, max=MAX_YEAR))
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(error.format(value=quote(value))) from None


def parse_date(value: str, *, today: date | None = None, prefer: str = FUTURE) -> date:
    """A calendar date typed by a user ("15/06/2027", "2027-06-15", "aujourd'hui",
    "15 juin", "mardi prochain"). Without a year, the date is the next one to come
    (`prefer=PAST`: the last one gone, for something already done)."""
    value = value or ""
    word = value.strip().lower()
    if word in _TODAY_WORDS and today is not None:
        return today + timedelta(days=_TODAY_WORDS[word])
    refuse_foreign_digits(value)
    match = _DATE_RE.match(value) if len(value) <= MAX_INPUT else None
    if match is None:
        return _natural(value, today or clock.today(), prefer, ERR_DATE, with_time=False)[0]
    if match["h"]:
        raise ValidationError(ERR_DATE.format(value=quote(value)))
    return _date_of(match, value, ERR_DATE)


def parse_datetime(value: str, *, now: datetime | None = None, prefer: str = FUTURE) -> datetime:
    """A date and time typed by a user, read in Europe/Paris; returns an aware UTC datetime.
    "15/06/2027 9h30", "mardi 15h", "demain 14h30", "15 décembre à 9h30"; a date without a
    year is the next one to come (`prefer=PAST`: the last one gone)."""
    value = value or ""
    refuse_foreign_digits(value)
    match = _DATE_RE.match(value) if len(value) <= MAX_INPUT else None
    if match is None:
        today = clock.today(now)
        day, clock_time = _natural(value, today, prefer, ERR_DATETIME, with_time=True)
        assert clock_time is not None
        return localize(datetime.combine(day, time(*clock_time)), original=value)
    day = _date_of(match, value, ERR_DATETIME)
    if not match["h"]:
        raise ValidationError(ERR_DATETIME.format(value=quote(value)))
    hour, minute = int(match["h"]), int(match["min"] or 0)
    if hour > 23 or minute > 59:
        raise ValidationError(ERR_DATETIME.format(value=quote(value)))
    return localize(datetime.combine(day, time(hour, minute)), original=value)


def _natural(
    value: str, today: date, prefer: str, error: str, *, with_time: bool
) -> tuple[date, tuple[int, int] | None]:
    """The spoken forms, through bot.natural_dates; year bounds checked here."""
    from bot.natural_dates import read  # dateparser loads lazily: only when needed

    if len(value) > MAX_INPUT:
        raise ValidationError(error.format(value=quote(value)))
    found = read(value, today, prefer=prefer, with_time=with_time)
    if found is None:
        raise ValidationError(error.format(value=quote(value)))
    day, clock_time = found
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationError(ERR_YEAR.format(value=quote(value), year=day.year, min=MIN_YEAR, max=MAX_YEAR))
    return day, clock_time


def parse_clock(value: str, error: str = ERR_TIME) -> tuple[int, int]:
    """A time of day typed by a user ("9h", "9h30", "14:00") → (hour, minute). `error` is the
    French message for anything else ({value} is the quoted input)."""
    value = value or ""
    refuse_foreign_digits(value)
    match = _CLOCK_RE.match(value) if len(value) <= MAX_INPUT else None
    if not match or int(match["h"]) > 23 or int(match["m"] or 0) > 59:
        raise ValidationError(error.format(value=quote(value)))
    return int(match["h"]), int(match["m"] or 0)


def is_clock(value: str | None) -> bool:
    """Whether `value` is written as a time of day alone ("16h30"), not a date."""
    if not value:
        return False
    return len(value) <= MAX_INPUT and _CLOCK_RE.match(value) is not None


def localize(naive: datetime, *, original: str | None = None) -> datetime:
    """Attach Europe/Paris to a wall-clock time; refuse one inside the spring gap.

    In the autumn overlap (the hour that happens twice) the first occurrence is taken.
    """
    aware = naive.replace(tzinfo=PARIS, fold=0)
    roundtrip = aware.astimezone(UTC).astimezone(PARIS)
    if roundtrip.replace(tzinfo=None) != naive:
        raise ValidationError(ERR_NO_SUCH_TIME.format(value=quote(original or naive.isoformat())))
    return aware.astimezone(UTC)


def _day(value: date) -> str:
    return "1er" if value.day == 1 else str(value.day)


def format_day(value: date | datetime) -> str:
    """ "mardi 15 juin 2027" (a datetime is first converted to Paris time)."""
    if isinstance(value, datetime):
        value = value.astimezone(PARIS).date()
    return f"{format_date(value, 'EEEE', locale=LOCALE)} {_day(value)} " + format_date(value, "MMMM y", locale=LOCALE)


def format_short_day(value: date) -> str:
    """ "15/06/2027"."""
    return value.strftime("%d/%m/%Y")


def format_time(value: datetime) -> str:
    """ "9 h 30", "14 h" in Paris time."""
    local = value.astimezone(PARIS)
    if local.minute == 0:
        return f"{local.hour} h"
    return format_datetime(local, "H 'h' mm", locale=LOCALE)


def format_when(value: datetime) -> str:
    """ "mardi 15 juin 2027 à 9 h 30" (Europe/Paris)."""
    return f"{format_day(value)} à {format_time(value)}"


def format_input(value: datetime) -> str:
    """The form a user would type back: "15/06/2027 9h30"."""
    local = value.astimezone(PARIS)
    return local.strftime("%d/%m/%Y ") + f"{local.hour}h{local.minute:02d}"
