"""Discord's limits on what a bot sends, and the functions that make a message fit them.

Discord refuses (HTTP 400) a message over a limit: the member then sees "Échec de
l'interaction" or an endless "réfléchit…". `bot.interactions.reply` passes everything through
`fit_message`, the tree fits every autocomplete answer with `fit_choices`; other send paths
(announcements, the outbox) can call `fit_message` too. Cutting is the last resort: messages
are built to fit, and inputs are quoted short (`bot.text.quote`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

import discord
from discord import app_commands

from bot.text import shorten

CONTENT = 2000
EMBEDS = 10
EMBED_TOTAL = 6000
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100


def fit_content(content: str | None) -> str | None:
    return None if content is None else shorten(content, CONTENT)


def _cut(text: str | None, limit: int, budget: int) -> str | None:
    """`text` within its own limit and the embeds' remaining budget (None if nothing fits)."""
    if text is None:
        return None
    room = min(limit, budget)
    if room <= 0:
        return None
    return shorten(text, room)


def fit_embeds(embeds: Sequence[discord.Embed]) -> list[discord.Embed]:
    """Copies of `embeds` within Discord's limits: at most 10, each part within its own limit,
    at most 25 fields, 6,000 characters in all (what does not fit is cut, then dropped, from
    the end). The first parts (titles, descriptions) are kept whole before the last fields."""
    budget = EMBED_TOTAL
    fitted: list[discord.Embed] = []
    for original in list(embeds)[:EMBEDS]:
        data = original.to_dict()
        embed = discord.Embed.from_dict(copy.deepcopy(data))  # from_dict keeps the lists it gets
        embed.clear_fields()
        for key, limit in (("title", TITLE), ("description", DESCRIPTION)):
            value = data.get(key)
            text = _cut(value if isinstance(value, str) else None, limit, budget)
            setattr(embed, key, text)
            budget -= len(text or "")
        author = data.get("author")
        embed.remove_author()
        name = _cut(author.get("name"), AUTHOR, budget) if author else None
        if author and name:
            embed.set_author(name=name, url=author.get("url"), icon_url=author.get("icon_url"))
            budget -= len(name)
        footer = data.get("footer")
        footer_text = footer.get("text") if footer else None
        footer_size = min(len(footer_text or ""), FOOTER)
        budget -= footer_size
        for field in (data.get("fields") or [])[:FIELDS]:
            name = shorten(field.get("name") or "\u200b", FIELD_NAME)
            value = _cut(field.get("value") or "\u200b", FIELD_VALUE, budget - len(name))
            if value is None:
                break
            embed.add_field(name=name, value=value, inline=field.get("inline", True))
            budget -= len(name) + len(value)
        if footer_text:
            budget += footer_size
            text = _cut(footer_text, FOOTER, budget)
            if text:
                embed.set_footer(text=text, icon_url=footer.get("icon_url") if footer else None)
            else:
                embed.remove_footer()
            budget -= len(text or "")
        fitted.append(embed)
        if budget <= 0:
            break
    return fitted


def fit_message(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of a send/edit (`content`, `embed`, `embeds`) made to fit."""
    out = dict(kwargs)
    if isinstance(out.get("content"), str):
        out["content"] = fit_content(out["content"])
    if isinstance(out.get("embed"), discord.Embed):
        out["embed"] = fit_embeds([out["embed"]])[0]
    if isinstance(out.get("embeds"), Iterable) and out.get("embeds") is not discord.utils.MISSING:
        out["embeds"] = fit_embeds(out["embeds"])
    return out


def fit_choices(choices: Iterable[app_commands.Choice[Any]]) -> list[app_commands.Choice[Any]]:
    """At most 25 autocomplete choices, names of 1 to 100 characters; a string value longer
    than 100 characters cannot be sent back to us whole, so its choice is left out."""
    fitted = []
    for choice in choices:
        if isinstance(choice.value, str) and not 0 < len(choice.value) <= CHOICE_VALUE:
            continue
        name = shorten(" ".join(str(choice.name).split()), CHOICE_NAME) or "…"
        fitted.append(app_commands.Choice(name=name, value=choice.value))
        if len(fitted) == CHOICES:
            break
    return fitted
