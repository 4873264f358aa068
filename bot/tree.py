"""The command tree, with the one tree-level error handler; every autocomplete answer it
registers is made to fit Discord's limits (25 choices, names of 100 characters)."""

from __future__ import annotations

import functools
from typing import Any

import discord
from discord import app_commands

from bot.interactions import report_error
from bot.limits import fit_choices
from bot.permissions import COORDINATION, gate_of, is_coordinator

_FITTED = "__pdn_fitted__"


def _fitted(callback: Any) -> Any:
    """`callback` (an autocomplete function, bound to its cog or not) whose choices are cut
    to Discord's limits. `functools.wraps` keeps the attributes discord.py reads on it
    (`pass_command_binding`, the checks)."""
    if getattr(callback, _FITTED, False):
        return callback

    @functools.wraps(callback)
    async def wrapper(*args: Any) -> list[app_commands.Choice[Any]]:
        return fit_choices(await callback(*args))

    setattr(wrapper, _FITTED, True)
    return wrapper


def fit_autocomplete(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> None:
    """Wrap the autocomplete callbacks of `command` (and of its subcommands)."""
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            fit_autocomplete(child)
        return
    # discord.py keeps the parameters in `_params`; it has no public setter for them.
    for param in command._params.values():
        if param.autocomplete is not None:
            param.autocomplete = _fitted(param.autocomplete)


class PdnTree(app_commands.CommandTree):
    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        """Autocomplete of a coordination-only command offers nothing to a plain member
        (its choices name members, requests, feeds…). Commands are checked by their gate."""
        if interaction.type is discord.InteractionType.autocomplete:
            command = interaction.command
            if command is not None and gate_of(command) == COORDINATION and not await is_coordinator(interaction):
                await interaction.response.autocomplete([])
                return False
        return True

    def add_command(self, command: Any, /, **kwargs: Any) -> None:
        if isinstance(command, (app_commands.Command, app_commands.Group)):
            fit_autocomplete(command)
        super().add_command(command, **kwargs)

    async def on_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)
