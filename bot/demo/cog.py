"""Demo-only commands (loaded by `python -m bot demo`, never in production)."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import interactions
from bot.app import PdnBot
from bot.db.models.outbox import SENT
from bot.interactions import Interaction, reply
from bot.permissions import coordination_only
from bot.services import outbox as outbox_service
from bot.services import schedules as schedules_service

PUBLISHED = "C'est publié\u00a0: **{label}** ({period}) dans {channel}."
ALREADY = "**{label}** pour la période {period} est déjà publiée\u00a0: chaque publication ne part qu'une fois."
NOTHING = "**{label}**\u00a0: rien à publier pour la période {period}."
FAILED = "La publication a échoué ({error})\u00a0; le bot réessaiera."


class Demo(commands.Cog):
    demo = app_commands.Group(name="demo", description="Commandes de la démonstration", guild_only=True)

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot

    @demo.command(name="publier")
    @app_commands.describe(publication="La publication programmée à lancer maintenant")
    @coordination_only()
    async def demo_publier(self, interaction: Interaction, publication: str) -> None:
        """Lancer maintenant une publication programmée (lettre de veille, bilans)."""
        kind = schedules_service.find_kind(self.bot.features.schedule_kinds(), publication)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.now()
        post = await self.bot.outbox.enqueue(interactions.guild_id(interaction), publication, now)
        if post.state == SENT:
            await reply(interaction, ALREADY.format(label=kind.label, period=post.period))
            return
        await self.bot.outbox.dispatch_due(now)
        async with self.bot.db.transaction() as session:
            sent = await outbox_service.get(session, post.guild_id, publication, post.period)
        if sent is None or sent.state != SENT:
            await reply(interaction, FAILED.format(error=sent.last_error if sent else "?"))
        elif not outbox_service.parts(sent):
            await reply(interaction, NOTHING.format(label=kind.label, period=sent.period))
        else:
            channel = f"<#{sent.channel_id}>" if sent.channel_id else "le salon prévu"
            await reply(interaction, PUBLISHED.format(label=kind.label, period=sent.period, channel=channel))

    @demo_publier.autocomplete("publication")
    async def _kinds(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=k.label, value=k.name)
            for k in self.bot.features.schedule_kinds().values()
            if current.casefold() in k.label.casefold()
        ][:25]


async def setup(bot: PdnBot) -> None:
    await bot.add_cog(Demo(bot))
