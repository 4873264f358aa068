"""A bench-only extension: `/bench noop` (the stack's floor) and `/bench reference` (one
indexed read and one insert: the floor for a write). Loaded by the benchmarks only, with
`create_bot(settings, extra_extensions=("bench.cog",))`."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.db.models.requests import RequestEvent
from bot.interactions import reply
from bot.services import members as members_service


class BenchCog(commands.Cog):
    bench = app_commands.Group(name="bench", description="Mesures (banc d'essai)", guild_only=True)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @bench.command(name="noop")
    async def noop(self, interaction: discord.Interaction) -> None:
        """Ne fait rien (référence de la pile)."""
        await reply(interaction, "ok")

    @bench.command(name="reference")
    async def reference(self, interaction: discord.Interaction) -> None:
        """Une lecture indexée et une insertion (plancher d'une écriture)."""
        async with self.bot.db.transaction() as session:  # type: ignore[attr-defined]
            member = await members_service.find_by_discord(
                session,
                interaction.guild_id,
                interaction.user.id,  # type: ignore[arg-type]
            )
            session.add(
                RequestEvent(
                    guild_id=interaction.guild_id,
                    request_id=1,
                    at=self.bot.now(),  # type: ignore[attr-defined]
                    action="bench",
                    actor_discord_id=interaction.user.id,
                    actor_name=member.display_name if member else None,
                )
            )
        await reply(interaction, "ok")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(BenchCog(bot))
