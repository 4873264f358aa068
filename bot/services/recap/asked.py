"""The periods users ask for (/bilan annuel, /bilan mois) and the periods the scheduled
posts publish."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.clock import PARIS
from bot.dates import MONTH_NAMES
from bot.errors import ValidationError
from bot.parsing import refuse_foreign_digits
from bot.text import quote

ERR_YEAR = "L'année doit être comprise entre 2000 et {max} (vous avez indiqué {value})."
ERR_MONTH = "«\u00a0{value}\u00a0» n'est pas un mois valide. Écrivez-le sous la forme MM/AAAA, par exemple 06/2027."
ERR_MONTH_FUTURE = "Le mois {value} n'a pas encore commencé\u00a0: choisissez un mois passé ou le mois en cours."


def check_year(year: int, today: date) -> int:
    if not 2000 <= year <= today.year:
        raise ValidationError(ERR_YEAR.format(max=today.year, value=year))
    return year


def parse_month(value: str | None, today: date) -> tuple[int, int]:
    """ "06/2027", "2027-06", "juin 2027"; empty = the month just past."""
    if not value or not value.strip():
        last = today.replace(day=1) - timedelta(days=1)
        return last.year, last.month
    refuse_foreign_digits(value)
    text = (
        value.strip().lower()[:40].replace("fevrier", "février").replace("aout", "août").replace("decembre", "décembre")
    )
    match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{4})|(\d{4})\s*-\s*(\d{1,2})|([a-zéû]+)\s+(\d{4})", text, re.ASCII)
    month = year = 0
    if match:
        if match[1]:
            month, year = int(match[1]), int(match[2])
        elif match[3]:
            year, month = int(match[3]), int(match[4])
        elif match[5] in MONTH_NAMES:
            month, year = MONTH_NAMES.index(match[5]) + 1, int(match[6])
    if not (1 <= month <= 12 and 2000 <= year):
        raise ValidationError(ERR_MONTH.format(value=quote(value)))
    if (year, month) > (today.year, today.month):
        raise ValidationError(ERR_MONTH_FUTURE.format(value=f"{month:02d}/{year}"))
    return year, month


def previous_month_period(fire_time: datetime) -> str:
    """The monthly summary fired on 1 July publishes "2027-06" (Paris time)."""
    local = fire_time.astimezone(PARIS).date()
    last = local.replace(day=1) - timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"


def previous_year_period(fire_time: datetime) -> str:
    """The year-end recap fired in January 2028 publishes "2027"."""
    return str(fire_time.astimezone(PARIS).year - 1)
