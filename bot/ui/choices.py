"""Autocomplete choices shared by the cogs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands

from bot.interactions import Interaction
from bot.services import guilds as guilds_service
from bot.services import lists
from bot.services import members as members_service
from bot.text import folded

if TYPE_CHECKING:
    from bot.app import PdnBot

MAX_CHOICES = 25
MAX_NAME = 100
FORMER = " · ancien·ne"


def choices(values: list[str], current: str) -> list[app_commands.Choice[str]]:
    """Up to 25 choices containing `current` (accents and case ignored), names cut to 100."""
    wanted = folded(current)
    return [
        app_commands.Choice(name=value[:MAX_NAME], value=value[:MAX_NAME])
        for value in values
        if wanted in folded(value) or lists.match_key(current) in lists.match_key(value)
    ][:MAX_CHOICES]


async def territory_choices(
    bot: PdnBot, guild_id: int | None, current: str, *, shared: str | None = None
) -> list[app_commands.Choice[str]]:
    """The server's territories ("63 Puy-de-Dôme" → "63"); `shared` adds a "commun"
    choice with that value first."""
    if guild_id is None:
        return []
    async with bot.db.transaction() as session:
        territories = await guilds_service.territories(session, guild_id)
    options = ([("Commun (tous les territoires)", shared)] if shared is not None else []) + [
        (f"{t.code} {t.name}", t.code) for t in territories
    ]
    wanted = folded(current)
    return [
        app_commands.Choice(name=name[:MAX_NAME], value=value) for name, value in options if wanted in folded(name)
    ][:MAX_CHOICES]


async def member_choices(
    bot: PdnBot, interaction: Interaction, current: str, *, active_only: bool = False
) -> list[app_commands.Choice[str]]:
    """Members of the directory by name ("Camille Bernard · MJC de Riom" → its id), for the
    coordination only (others get no choice)."""
    if interaction.guild_id is None or not await bot.is_coordinator(interaction):
        return []
    async with bot.db.transaction() as session:
        found = await members_service.search(
            session, interaction.guild_id, current, limit=MAX_CHOICES, active_only=active_only
        )
    return [
        app_commands.Choice(
            name=(
                m.display_name
                + (f" · {m.structure_name}" if m.structure_name else "")
                + (FORMER if m.left_on is not None else "")
            )[:MAX_NAME],
            value=str(m.id),
        )
        for m in found
    ]
