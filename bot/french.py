"""French as a French publication writes it: typography, numbers, percentages, plurals.

- `typo(text)`: a no-break space (U+00A0) before ``: ; ! ?`` and inside « », so that
  « ». » or « ? » never wraps alone at the start of a line. A narrow no-break space (U+202F)
  already there is kept. URLs, Discord markup (``<t:…:F>``, ``<#id>``), code spans and emoji
  codes (``:tada:``) are left alone, and so are times (``9:30``) and option syntax
  (``numero:12``): a colon is only spaced when a space (or the end of the text) follows it.
- `violations(text)`: what `typo` would change (the tests scan every text with it).
- `num`, `pct`, `percent`, `plural`, `agree`: numbers the French way (Babel, fr_FR), percentages
  rounded half up (62,5 → 63 %), plurals by count (French: singular below 2, « 1,5 jour »).

Services may import this module (it knows nothing about Discord).
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel.numbers import format_decimal

LOCALE = "fr_FR"
NBSP = "\u00a0"
NNBSP = "\u202f"

# Segments never touched: URLs, Discord markup <…>, `code`, emoji codes :name:, {placeholders}.
_PROTECTED = re.compile(r"https?://[^\s<>»]+|<[^<>\n]*>|`[^`\n]*`|(?<![\w:]):[a-z0-9_+-]+:(?![\w:])|\{[^{}\n]*\}")
_AFTER = r"(?=[\s*_)\]»\"'~|]|$)"  # what may follow the sign: a space, closing markup, the end
_SPACE_BEFORE = re.compile(r"[ \t]+([:;!?])" + _AFTER)
_SENTINEL = "\ue000"  # stands for a protected segment while the text is fixed
_GLUED = re.compile(r"(?<=[\w»)\]*_])([;!?]|:(?=\s|$))" + _AFTER)
_OPEN = re.compile(r"«[ \t]+")
_CLOSE = re.compile(r"[ \t]+»")
_OPEN_OK = re.compile(f"«(?![{NBSP}{NNBSP}])")
_CLOSE_OK = re.compile(f"(?<![{NBSP}{NNBSP}])»")


def _fix(piece: str, glued: bool) -> str:
    piece = _SPACE_BEFORE.sub(NBSP + r"\1", piece)
    if glued:
        piece = _GLUED.sub(NBSP + r"\1", piece)
    piece = _OPEN.sub("«" + NBSP, piece)
    piece = _OPEN_OK.sub("«" + NBSP, piece)
    piece = _CLOSE.sub(NBSP + "»", piece)
    return _CLOSE_OK.sub(NBSP + "»", piece)


def typo(text: str, *, glued: bool = True) -> str:
    """`text` with French typography (idempotent: typo(typo(t)) == typo(t)). `glued=False`
    leaves signs written without a space alone ("Note: x", English) and only turns the spaces
    written before them, and inside « », into no-break spaces."""
    kept = _PROTECTED.findall(text)
    if _SENTINEL in text:  # (never in practice) do not confuse it with a kept segment
        return text
    fixed = _fix(_PROTECTED.sub(_SENTINEL, text), glued)
    pieces = fixed.split(_SENTINEL)
    return "".join(p + (kept[i] if i < len(kept) else "") for i, p in enumerate(pieces))


def violations(text: str) -> list[str]:
    """Short excerpts of `text` where the typography is wrong (empty when it is right)."""
    fixed = typo(text)
    if fixed == text:
        return []
    found: list[str] = []
    i = j = 0
    while i < len(text) and j < len(fixed):
        if text[i] == fixed[j]:
            i += 1
            j += 1
            continue
        found.append(text[max(0, i - 25) : i + 10].replace("\n", "⏎"))
        # Resynchronise: typo only replaces spaces by NBSP or inserts one NBSP.
        if fixed[j] == NBSP and text[i] in " \t":
            while i < len(text) and text[i] in " \t":
                i += 1
            j += 1
        else:
            j += 1
    return found or [text[:40]]


# -- numbers ------------------------------------------------------------------------------


def _decimal(value: float | int | Decimal | Fraction) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    # floats (numpy's too): 0.625 * 100 → 62.5, not 62.49999…
    return Decimal(repr(round(float(value), 9)))


def _half_up(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def num(value: float | int | Decimal | Fraction | None, digits: int = 1) -> str:
    """12 → « 12 », 12.5 → « 12,5 », 1234 → « 1 234 » (narrow no-break space),
    2.25 → « 2,3 » (half up, `digits` decimals at most), None → « — »."""
    if value is None:
        return "—"
    rounded = _half_up(_decimal(value), digits)
    if rounded == rounded.to_integral_value():
        return format_decimal(int(rounded), locale=LOCALE)
    return format_decimal(rounded, format="#,##0." + "#" * digits, locale=LOCALE)


def pct(share: float | Fraction | None) -> str:
    """A share of 1: 0.625 → « 63 % » (rounded half up, the French convention), None → « — »."""
    if share is None:
        return "—"
    whole = int(_half_up(_decimal(share) * 100, 0))
    return f"{whole}{NBSP}%"


def percent(part: int | float, total: int | float) -> str:
    """`part` out of `total` as a whole percentage: 5 of 8 → « 63 % »; « — » when total is 0."""
    if not total:
        return "—"
    if isinstance(part, int) and isinstance(total, int):
        return pct(Fraction(part, total))
    return pct(part / total)


def is_plural(count: float | int | Decimal | Fraction | None) -> bool:
    """French: singular below 2 (« 0 lien », « 1 lien », « 1,5 jour »), plural from 2."""
    return abs(_decimal(count or 0)) >= 2


def agree(count: float | int | Decimal | Fraction | None, one: str, many: str) -> str:
    """The word alone, agreed with `count`: agree(3, "lien", "liens") → « liens »."""
    return many if is_plural(count) else one


def plural(count: float | int | Decimal | Fraction | None, one: str, many: str) -> str:
    """The count and its word: « 1 lien », « 3 liens », « 1,5 jour », « 0 présentation »."""
    shown = None if count is None else _half_up(_decimal(count), 1)
    return f"{num(shown)} {agree(shown, one, many)}"


def collation_key(value: str | None) -> str:
    """How French lists are sorted: accents and case ignored (« Léa » before « Lucas »,
    « élodie » with the E's, « œ » as « oe »). Stored beside names (`members.sort_name`) so
    that SQL sorts and searches the French way on SQLite and PostgreSQL alike.

    Decision: a casefold + NFKD accent-stripping key rather than PyICU (a heavy native
    dependency) or `locale.strxfrm` (depends on the system's installed locales)."""
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", (value or "").casefold()) if not unicodedata.combining(c)
    )
    return stripped.replace("œ", "oe").replace("æ", "ae")
