"""Declared permission gates.

Every command, context menu and persistent component that changes shared state or shows
other people's data declares its gate with `@coordination_only()`, on the command itself,
on a whole cog, or on a `DynamicItem` class. The gate is checked server-side before the
handler runs; a plain member gets the French refusal, ephemerally, and nothing is written.
Autocomplete of a gated command offers nothing to a plain member (PdnTree).

The project's permission meta-test walks the command tree and the registered persistent
components and recognises this decorator: anything neither gated nor on its explicit list
of member-open entries (each with its reason) fails it.
"""

from __future__ import annotations

from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.interactions import Interaction, RefusedCheck, report_error

ERR_COORDINATION_ONLY = (
    "Cette action est réservée à la coordination (rôle de coordination ou permission «\u00a0Gérer le serveur\u00a0»)."
)

COORDINATION = "coordination"

# The default permission of a command reserved as a whole to the coordination: Discord hides
# it from members who lack it (the server-side gate stays). An admin grants it to the
# coordination role in Server Settings → Intégrations (docs/configuration.md). Discord puts
# default permissions on top-level commands only, so a group with member subcommands
# (/evenement, /accompagnement, /veille, /questionnaire) carries none: its coordination
# subcommands stay visible and refused server-side, and /aide lists only what a person can do.
COORDINATION_DEFAULT = discord.Permissions(manage_guild=True)
GATE_ATTRIBUTE = "__pdn_gate__"

T = TypeVar("T")


async def is_coordinator(interaction: discord.Interaction[Any]) -> bool:
    return await interaction.client.is_coordinator(interaction)


async def coordination_predicate(interaction: Interaction) -> bool:
    """The check of a coordination-only command: refuse with the French reason."""
    if not await is_coordinator(interaction):
        raise RefusedCheck(ERR_COORDINATION_ONLY)
    return True


async def _cog_check(self: commands.Cog, interaction: discord.Interaction[Any]) -> bool:
    if interaction.type is discord.InteractionType.autocomplete:
        return True  # the tree answers a plain member's autocomplete with nothing
    return await coordination_predicate(interaction)


async def _item_check(self: Any, interaction: discord.Interaction[Any]) -> bool:
    """A refused click gets its answer here: discord.py drops a component silently when
    its check fails, which the member would see as « Échec de l'interaction »."""
    if await is_coordinator(interaction):
        return True
    await report_error(interaction, RefusedCheck(ERR_COORDINATION_ONLY))
    return False


def coordination_only() -> Any:
    """Reserve to the coordination a slash command (function or built command), a whole
    cog (every command of it), or a persistent component class (`DynamicItem` or `View`)."""

    def decorator(target: T) -> T:
        if isinstance(target, type):
            if issubclass(target, (discord.ui.DynamicItem, discord.ui.View)):
                target.interaction_check = _item_check  # type: ignore[method-assign]  # the gate is the class check
            elif issubclass(target, commands.Cog):
                target.interaction_check = _cog_check  # type: ignore[method-assign]  # the gate is the class check
            else:
                raise TypeError(f"coordination_only() cannot gate {target!r}")
            setattr(target, GATE_ATTRIBUTE, COORDINATION)
            return target
        return app_commands.check(coordination_predicate)(target)

    return decorator


def gate_of(entry: Any) -> str | None:
    """The gate declared for a command, context menu or component class (None: open)."""
    if isinstance(entry, type):
        return getattr(entry, GATE_ATTRIBUTE, None)
    if coordination_predicate in getattr(entry, "checks", ()):
        return COORDINATION
    binding = getattr(entry, "binding", None)
    if binding is not None and getattr(type(binding), GATE_ATTRIBUTE, None) == COORDINATION:
        return COORDINATION
    return None
