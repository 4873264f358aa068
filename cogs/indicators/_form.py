"""What the monthly form shows before it opens: the values already given, laid out as its
inputs, and the answer to a refused value (see cogs/indicators/_modals.py for the form)."""

from __future__ import annotations

from typing import Any

from bot.errors import UserError
from bot.interactions import Interaction, reply
from bot.services import indicators as svc
from bot.text import quote
from bot.ui.persistent import typed_values
from cogs.indicators import _texts as T


def _pair(values: dict[str, int], codes: tuple[str, ...]) -> str:
    return " / ".join(str(values.get(c, 0)) for c in codes)


def prefill_contacts(values: dict[str, int]) -> dict[str, str]:
    if not values:
        return {}
    networks = ", ".join(f"{label} {values[code]}" for code, label in svc.NETWORK_CODES.items() if values.get(code))
    return {
        "reached": str(values.get(svc.REACHED, 0)),
        "private": str(values.get(svc.PRIVATE, 0)),
        "project": str(values.get(svc.PROJECT, 0)),
        "ages": _pair(values, tuple(svc.AGES)),
        "networks": networks,
    }


def prefill_themes(values: dict[str, int]) -> list[str]:
    if not any(code in values for code in svc.THEMES):
        return [""] * len(svc.THEME_PAIRS)
    return [_pair(values, codes) for codes in svc.THEME_PAIRS]


async def refused(interaction: Interaction, error: UserError) -> None:
    data: dict[str, Any] = dict(interaction.data or {})
    values = typed_values(data.get("components") or [])
    lines = [error.message + T.REFUSED_TYPED, *(f"> {quote(v)}" for v in values)]
    await reply(interaction, "\n".join(lines))
