"""Recurrence rules (RFC 5545 RRULE) for the recurring series: parsing the supported
shapes, expanding them with python-dateutil in Europe/Paris wall time, and reading them back
in French. See `bot.services.events.series` for the series themselves.

Supported shapes (the ones `describe_rule` can say in French; others are refused clearly):
- weekly on given days: FREQ=WEEKLY[;INTERVAL=n];BYDAY=TU,TH
- monthly on the n-th (or last) weekday: FREQ=MONTHLY[;INTERVAL=n];BYDAY=1TU / -1SU
- monthly on a day of the month: FREQ=MONTHLY[;INTERVAL=n];BYMONTHDAY=15 / -1 (the last day).
  A 31 is skipped in shorter months (RFC 5545); « le dernier jour » is BYMONTHDAY=-1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from bot.clock import PARIS
from bot.dates import MONTH_NAMES, format_time
from bot.errors import ValidationError

ERR_RULE = (
    "Cette récurrence n'est pas prise en charge. Possibles\u00a0: chaque semaine (certains "
    "jours), chaque mois le n-ième jour de la semaine (le 1er mardi, le dernier dimanche) ou "
    "chaque mois à date fixe (le 15)."
)

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
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


def paris_instant(naive: datetime) -> datetime:
    """A Paris wall time as an aware UTC instant. A time inside the spring gap (2 h 30 on
    the last Sunday of March) does not exist: it is moved one hour later, as clocks do."""
    aware = naive.replace(tzinfo=PARIS, fold=0)
    if aware.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) != naive:
        aware = (naive + timedelta(hours=1)).replace(tzinfo=PARIS)
    return aware.astimezone(UTC)


def expand(rule: str, first: datetime, until: datetime, *, after: datetime | None = None) -> list[datetime]:
    """The starts (aware, UTC) of the rule from `first` to `until` included, in Paris wall
    time (the library does the calendar; `after` keeps only the later ones)."""
    parse_rule(rule)
    start = _wall(first)
    end_day = until.astimezone(PARIS).date()
    recurrence = rrulestr(rule.removeprefix("RRULE:"), dtstart=start)
    limit = datetime.combine(end_day, time(23, 59, 59))
    starts = [paris_instant(value) for value in recurrence.between(start, limit, inc=True)]
    return [s for s in starts if after is None or s > after]


# -- French -----------------------------------------------------------------------------------


def date_words(value: date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTH_NAMES[value.month - 1]} {value.year}"


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


def describe_rule(rule: str, first: datetime) -> str:
    """« le 1er mardi du mois à 14 h », « chaque lundi et jeudi à 9 h 30 »."""
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
        what = (
            "le dernier jour" if parsed.monthday == -1 else f"le {'1er' if parsed.monthday == 1 else parsed.monthday}"
        )
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
    """« le 1er mardi du mois à 14 h, du 1er septembre 2026 au 30 juin 2027 »."""
    first_day = first.astimezone(PARIS).date()
    last_day = until.astimezone(PARIS).date()
    return f"{describe_rule(rule, first)}, du {date_words(first_day)} au {date_words(last_day)}"


def end_of_day(day: date) -> datetime:
    """The last minute of a day in Paris (a series' `until`)."""
    return paris_instant(datetime.combine(day, time(23, 59)))


def announce_at(start: datetime, announce_days: int) -> datetime:
    """When an occurrence starting at `start` is created and announced."""
    return start - timedelta(days=announce_days)
