"""The command tree, with the one tree-level error handler."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.interactions import report_error


class PdnTree(app_commands.CommandTree):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)
