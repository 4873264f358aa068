"""Reading the ids and numbers people type: the one place that turns user text into an int or
a float.

Rules, the same for every command and form:
- only the ASCII digits 0-9 are digits. "²", "٣" or the fullwidth "１" are refused with a
  message that says so (`int()` would read some of them, and "²" crashes it);
- a number is at most MAX_CHARS characters long (a 10,000-digit input is refused before any
  conversion), has no exponent, and is never NaN or infinite;
- an id is a positive INTEGER (the primary keys), so at most 2**31 - 1 (PostgreSQL's
  INTEGER), and a Discord id at most 2**63 - 1 (BIGINT): a larger one is simply unknown;
- every message quotes the input through `quote` (at most ~80 characters).

No discord import: services use it too.
"""

from __future__ import annotations

import re

from bot.errors import NotFoundError, ValidationError
from bot.text import quote

INT32_MAX = 2**31 - 1  # INTEGER columns: primary keys, numbers, counts
INT64_MAX = 2**63 - 1  # BIGINT columns: Discord ids
MAX_CHARS = 20

ERR_DIGITS = "« {value} » : écrivez les nombres avec les chiffres 0 à 9."
ERR_WHOLE = "« {value} » n'est pas un nombre entier entre {min} et {max}."
ERR_DECIMAL = "« {value} » n'est pas un nombre entre {min} et {max}."

_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)", re.ASCII)
_ID_PREFIXES = ("n°", "#")


def has_foreign_digits(text: str) -> bool:
    """Whether `text` holds a digit or number sign other than 0-9 ("²", "٣", "１", "½")."""
    return any(not c.isascii() and (c.isdigit() or c.isnumeric()) for c in text)


def refuse_foreign_digits(value: str) -> None:
    if has_foreign_digits(value):
        raise ValidationError(ERR_DIGITS.format(value=quote(value)))


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def parse_id(value: str | int | None, *, unknown: str, maximum: int = INT32_MAX) -> int:
    """An id picked in an autocomplete list ("12"; "#12" and "n°12" are read too). Anything
    that is not such an id is refused with `unknown` (the French "not found" message of the
    caller), non-ASCII digits with a message that says so."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= maximum:
            raise NotFoundError(unknown)
        return value
    text = _text(value)
    refuse_foreign_digits(text)
    lowered = text.casefold()
    for prefix in _ID_PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    if not (0 < len(text) <= MAX_CHARS and text.isascii() and text.isdigit()):
        raise NotFoundError(unknown)
    number = int(text)
    if not 1 <= number <= maximum:
        raise NotFoundError(unknown)
    return number


def is_id(value: str | None) -> bool:
    """Whether `value` looks like an id (ASCII digits only), as opposed to a name."""
    text = _text(value)
    return 0 < len(text) and text.isascii() and text.isdigit()


def parse_int(value: str | int | None, *, minimum: int, maximum: int, error: str = ERR_WHOLE) -> int:
    """A whole number typed by a user, within [minimum, maximum]. `error` is the French
    message for anything else; it may use {value}, {min} and {max}."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        text = _text(value).replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    refuse_foreign_digits(text)
    if len(text) > MAX_CHARS or not _WHOLE.fullmatch(text):
        raise ValidationError(error.format(value=quote(value), min=minimum, max=maximum))
    number = int(text)
    if not minimum <= number <= maximum:
        raise ValidationError(error.format(value=quote(value), min=minimum, max=maximum))
    return number


def parse_decimal(value: str | float | None, *, minimum: float, maximum: float, error: str = ERR_DECIMAL) -> float:
    """A decimal number typed by a user ("1,5", "0.5", "2"), within [minimum, maximum]: no
    exponent, no NaN nor infinity. `error` may use {value}, {min} and {max}."""
    shown = {"min": f"{minimum:g}".replace(".", ","), "max": f"{maximum:g}".replace(".", ",")}
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = float(value)
        if not (number == number and minimum <= number <= maximum):
            raise ValidationError(error.format(value=quote(f"{value:g}"), **shown))
        return number
    text = _text(value).replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    refuse_foreign_digits(text)
    if len(text) > MAX_CHARS or not _DECIMAL.fullmatch(text):
        raise ValidationError(error.format(value=quote(value), **shown))
    number = float(text.replace(",", "."))
    if not minimum <= number <= maximum:
        raise ValidationError(error.format(value=quote(value), **shown))
    return number
