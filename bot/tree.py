"""The command tree, with the one tree-level error handler."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.interactions import report_error
from bot.permissions import COORDINATION, gate_of, is_coordinator


class PdnTree(app_commands.CommandTree):
    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Autocomplete of a coordination-only command offers nothing to a plain member
        (its choices name members, requests, feeds…). Commands are checked by their gate."""
        if interaction.type is discord.InteractionType.autocomplete:
            command = interaction.command
            if (
                command is not None
                and gate_of(command) == COORDINATION
                and not await is_coordinator(interaction)
            ):
                await interaction.response.autocomplete([])
                return False
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)
