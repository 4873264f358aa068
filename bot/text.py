"""Cleaning free text typed by users (shared by every service), and quoting it back in a
message."""

from __future__ import annotations

import re
import unicodedata

from bot.errors import ValidationError
from bot.french import collation_key

ERR_REQUIRED = "{field} est obligatoire."
ERR_TOO_LONG = "{field} dépasse {max} caractères ({length}). Raccourcissez-le."

QUOTE_LIMIT = 80
# Letters that draw nothing (Hangul fillers, the blank Braille pattern): the usual way to make a
# name "look empty" on Discord, along with format characters (zero-width space, joiners, word
# joiner, BOM, soft hyphen, bidi controls) and combining marks on no letter.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Mn", "Me", "Zs", "Zl", "Zp"})
# Embeddings, overrides and isolates reorder the text that follows them, even outside the
# user's own text once it is quoted in a message: they are removed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _invisible(char: str) -> bool:
    return char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def has_visible(value: str | None) -> bool:
    """Whether `value` shows anything: not only spaces, zero-width or format characters,
    combining marks alone, bidi controls or blank letters."""
    if not value:
        return False
    return any(not _invisible(c) for c in value)


def _strip_controls(value: str) -> str:
    """NFC, without bidi controls, control characters (line breaks and tabs are kept) nor
    lone surrogates (they cannot be stored as UTF-8)."""
    value = unicodedata.normalize("NFC", value)
    return "".join(
        c for c in value if c not in _BIDI_CONTROLS and (c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    )


def _trim(value: str) -> str:
    """Without leading and trailing spaces, format characters and blank letters."""
    start, end = 0, len(value)
    while start < end and (value[start].isspace() or _edge(value[start])):
        start += 1
    while end > start and (value[end - 1].isspace() or _edge(value[end - 1])):
        end -= 1
    return value[start:end]


def _edge(char: str) -> bool:
    # Tag characters (U+E0020-E007F) end the flags of England, Scotland, Wales: kept.
    return char in _BLANK_LETTERS or (unicodedata.category(char) == "Cf" and not "\U000e0000" <= char <= "\U000e007f")


# Runs of spaces and line breaks fold into one space; the no-break spaces of French
# typography (before « : ; ! ? », inside « ») are kept as typed.
_FOLDED = re.compile(r"[^\S\u00a0\u202f]+")


def _fold(value: str) -> str:
    return _FOLDED.sub(" ", value)


def one_line(value: str | None) -> str:
    """`value` on one line: NFC, no controls, spaces folded (no-break spaces kept), nothing
    invisible at either end."""
    return _trim(_fold(_strip_controls(value or "")))


def clean_text(
    value: str | None, field: str, limit: int, *, required: bool = False, multiline: bool = False
) -> str | None:
    """Trim (and fold spaces unless `multiline`); refuse empty when required or too long.
    Text that shows nothing (see `has_visible`) is empty. `field` is the French label with
    its article: "Le titre", "La description"."""
    if value is not None:
        value = _strip_controls(value)
        if multiline:
            value = "\n".join(_trim(_fold(line)) for line in value.strip().splitlines())
            value = value.strip("\n")
        else:
            value = one_line(value)
    if not value or not has_visible(value):
        if required:
            raise ValidationError(ERR_REQUIRED.format(field=field))
        return None
    if len(value) > limit:
        raise ValidationError(ERR_TOO_LONG.format(field=field, max=limit, length=len(value)))
    return value


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with "…" when cut (labels, choice names)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quote(value: object, limit: int = QUOTE_LIMIT) -> str:
    """What the user typed, to quote it back in a message: on one line, without controls,
    at most `limit` characters ("…" when cut). Every error message that echoes an input
    goes through here, so that an overlong input never makes an overlong message."""
    text = _strip_controls(str(value if value is not None else ""))
    return shorten(_trim(_fold(text)), limit)


def sort_key(value: str | None) -> tuple[str, str]:
    """How French lists are sorted (`bot.french.collation_key`), ties broken by the exact
    text so the order is stable. Apply it where lists are built in Python; SQL sorts
    members by their stored `sort_name`, the same key."""
    return collation_key(value), value or ""


def folded(value: str | None) -> str:
    """`value` without accents nor case, to compare what people type with list values."""
    return sort_key(one_line(value))[0]


def slug(text: str, limit: int = 40) -> str:
    """ "Démarrer et progresser !" → "demarrer-et-progresser" (a file name's part, cut
    between words to at most `limit` characters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > limit:
        cut = words[: limit + 1]
        words = cut.rsplit("-", 1)[0] if "-" in cut else words[:limit]
    return words.strip("-") or "document"
