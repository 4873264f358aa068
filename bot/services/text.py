"""Cleaning free text typed by users (shared by every service)."""

from __future__ import annotations

from bot.errors import ValidationError

ERR_REQUIRED = "{field} est obligatoire."
ERR_TOO_LONG = "{field} dépasse {max} caractères ({length}). Raccourcissez-le."


def clean_text(
    value: str | None, field: str, limit: int, *, required: bool = False, multiline: bool = False
) -> str | None:
    """Trim (and fold spaces unless `multiline`); refuse empty when required or too long.
    `field` is the French label with its article: "Le titre", "La description"."""
    if value is not None:
        if multiline:
            value = "\n".join(" ".join(line.split()) for line in value.strip().splitlines())
        else:
            value = " ".join(value.split())
    if not value:
        if required:
            raise ValidationError(ERR_REQUIRED.format(field=field))
        return None
    if len(value) > limit:
        raise ValidationError(ERR_TOO_LONG.format(field=field, max=limit, length=len(value)))
    return value


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with "…" when cut (labels, choice names)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
