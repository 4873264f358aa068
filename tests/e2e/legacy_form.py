"""A test-only extension: a form as an older version of the bot could have shown it, whose
custom_id no current form declares (see tests/e2e/test_restart.py)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.interactions import GuardedModal


class LegacyForm(GuardedModal, title="Ancien formulaire"):
    def __init__(self) -> None:
        super().__init__(custom_id="ancien:formulaire")
        self.add_item(discord.ui.TextInput(label="Note", custom_id="note", style=discord.TextStyle.paragraph))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Reçu.", ephemeral=True)


class Legacy(commands.Cog):
    @app_commands.command(name="ancien-formulaire")
    async def ancien_formulaire(self, interaction: discord.Interaction) -> None:
        """Ouvrir l'ancien formulaire."""
        await interaction.response.send_modal(LegacyForm())


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Legacy())
