"""/questionnaire: launch (coordination), answer, results (coordination)."""

from __future__ import annotations

from datetime import timedelta

from discord import app_commands
from discord.ext import commands

from bot import interactions
from bot.app import PdnBot
from bot.clock import PARIS
from bot.dates import format_short_day, format_when, parse_date
from bot.db.models.outbox import SENT
from bot.errors import NotFoundError
from bot.interactions import Interaction, reply
from bot.parsing import parse_id
from bot.permissions import coordination_only
from bot.services import outbox as outbox_service
from bot.services import survey as survey_service
from bot.ui.recap_tables import survey_results_embed
from cogs.survey import _texts as T
from cogs.survey._views import open_form
from cogs.survey.announcement import last_day


class Surveys(commands.Cog):
    questionnaire = app_commands.Group(name="questionnaire", description=T.GROUP, guild_only=True)

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot

    @questionnaire.command(name="lancer")
    @app_commands.describe(cloture="Dernier jour pour répondre (JJ/MM/AAAA)")
    @coordination_only()
    async def questionnaire_lancer(self, interaction: Interaction, cloture: str) -> None:
        """Lancer le questionnaire d'évaluation (coordination)."""
        guild_id = interactions.guild_id(interaction)
        closes_on = parse_date(cloture, today=self.bot.today())
        now = self.bot.now()
        # The campaign and its announcement (an outbox post) are committed together: a
        # Discord failure never leaves a campaign whose announcement is silently lost.
        async with self.bot.db.transaction(lock=True) as session:
            campaign, channel_id = await survey_service.launch_announced(
                session, guild_id, closes_on, now=now, launched_by=interaction.user.id
            )
        period = survey_service.announcement_period(campaign)
        where = T.LAUNCHED_NOT_POSTED
        if channel_id:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await self.bot.outbox.dispatch_due(now)
            async with self.bot.db.transaction() as session:
                post = await outbox_service.get(session, guild_id, survey_service.ANNOUNCEMENT_KIND, period)
            assert post is not None
            if post.state == SENT:
                where = T.LAUNCHED_POSTED.format(channel=f"<#{channel_id}>")
            else:
                where = T.LAUNCHED_POST_FAILED.format(
                    channel=f"<#{channel_id}>", reason=post.last_error or "", when=format_when(post.due_at)
                )
        await reply(
            interaction,
            T.LAUNCHED.format(
                number=campaign.number, day=last_day(campaign), eligible=campaign.eligible_count, where=where
            ),
        )

    @questionnaire.command(name="repondre")
    async def questionnaire_repondre(self, interaction: Interaction) -> None:
        """Répondre au questionnaire en cours (quatre questions)."""
        await open_form(interaction)

    @questionnaire.command(name="resultats")
    @app_commands.describe(questionnaire="Le questionnaire (le dernier par défaut)")
    @coordination_only()
    async def questionnaire_resultats(self, interaction: Interaction, questionnaire: str | None = None) -> None:
        """Taux de réponse et répartition des réponses (coordination)."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            if questionnaire:
                campaign_id = parse_id(questionnaire, unknown=survey_service.ERR_UNKNOWN_CAMPAIGN)
                campaign = await survey_service.get(session, guild_id, campaign_id)
            else:
                latest = await survey_service.latest(session, guild_id)
                if latest is None:
                    raise NotFoundError(survey_service.ERR_NO_CAMPAIGN)
                campaign = latest
            results = await survey_service.results(session, campaign)
        embed = survey_results_embed(results, title=T.RESULTS_TITLE.format(number=campaign.number))
        await reply(interaction, embed=embed)

    @questionnaire_resultats.autocomplete("questionnaire")
    async def _campaign_autocomplete(self, interaction: Interaction, current: str):
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            rows = await survey_service.campaigns(session, guild_id)
        out = []
        for c in rows:
            name = T.CAMPAIGN_CHOICE.format(
                number=c.number,
                start=format_short_day(c.launched_at.astimezone(PARIS).date()),
                end=format_short_day((c.closes_at - timedelta(seconds=1)).astimezone(PARIS).date()),
            )
            if current.casefold().strip() in name.casefold():
                out.append(app_commands.Choice(name=name, value=str(c.id)))
        return out[:25]
