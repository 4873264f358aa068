"""French typography for the report: no-break spaces, numbers (Babel), plurals by count."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "fr_FR"
NBSP = "\u00a0"
_OPEN = re.compile(r"«[ \u202f\u00a0]*")
_CLOSE = re.compile(r"[ \u202f\u00a0]*»")


def fr(text: str) -> str:
    """A no-break space before : ; ! ? (where the writer put a space) and inside « »;
    URLs (``https://``) are left alone."""
    text = re.sub(r"[ \u202f]+([:;!?])(?=\s|$)", NBSP + r"\1", text)
    text = _OPEN.sub("«" + NBSP, text)
    return _CLOSE.sub(NBSP + "»", text)


def num(value: float | None) -> str:
    """12 → "12", 12.5 → "12,5", 1234 → "1 234" (narrow no-break space), None → "—"."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return format_decimal(int(value), locale=LOCALE)
    return format_decimal(round(value, 1), format="#,##0.#", locale=LOCALE)


def pct(share: float | None) -> str:
    """0.175 → "18 %" (rounded half up)."""
    if share is None:
        return "—"
    whole = int(Decimal(str(share * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{whole}{NBSP}%"


def plural(count: float | None, singular: str, plural_form: str) -> str:
    """"1 présentation", "0 présentation", "1,5 jour", "12,5 jours": the French rule (< 2)."""
    return f"{num(count)} {singular if (count or 0) < 2 else plural_form}"


def month_year(day) -> str:
    """date(2021, 3, 2) → "mars 2021"."""
    return format_date(day, "LLLL y", locale=LOCALE)


def short_day(day) -> str:
    """date(2021, 9, 16) → "16 sept." (a table's narrow date column)."""
    return format_date(day, "d MMM", locale=LOCALE)


def enumerate_fr(items: list[str]) -> str:
    """["a", "b", "c"] → "a, b et c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
