"""/bilan (coordination): the year-end recap, the monthly summary, the import of past years
and the exports; and the two scheduled posts (outbox kinds "monthly_summary" and
"year_recap")."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PdnBot
from bot.db.models import OutboxPost
from bot.errors import ValidationError
from bot.interactions import reply
from bot.permissions import COORDINATION_DEFAULT, coordination_only
from bot.posts import OutgoingMessage, PostKind
from bot.services import report as report_service
from bot.services.recap import asked, history
from bot.services.recap import month as month_service
from bot.services.recap import year as recap_service
from bot.services.schedules import MONTHLY, YEARLY, ScheduleKind, ScheduleValue
from bot.ui import recap_exports, recap_files, recap_tables
from bot.ui import report as report_ui
from bot.ui.report.typography import fr, num, plural
from cogs.recap import _texts as T
from cogs.recap._modals import ReportTextModal

FORMAT_CHOICES = [app_commands.Choice(name=label, value=key) for key, label in recap_exports.FORMATS.items()]
SECTION_CHOICES = [
    app_commands.Choice(name=title, value=key) for key, (title, _) in report_service.TEXT_SECTIONS.items()
]
MEGABYTE = 1024 * 1024


def report_attachments(files: report_ui.ReportFiles, year: int, limit: int) -> tuple[list[discord.File], list[str]]:
    """The files that fit the server's attachment limit, and a French line for each one
    that does not."""
    attached, refused = [], []
    for ext, data in (("docx", files.docx), ("pdf", files.pdf)):
        name = report_ui.filename(year, ext)
        if len(data) > limit:
            refused.append(
                T.REPORT_TOO_BIG.format(
                    name=name, size=num(round(len(data) / MEGABYTE, 1)), limit=num(limit // MEGABYTE)
                )
            )
        else:
            attached.append(discord.File(io.BytesIO(data), filename=name))
    return attached, refused


async def build_year(bot: PdnBot, guild_id: int, year: int) -> recap_service.YearRecap:
    async with bot.db.transaction() as session:
        return await recap_service.year_recap(session, guild_id, year, now=bot.now())


async def year_messages(bot: PdnBot, guild_id: int, year: int) -> list[OutgoingMessage]:
    """The recap as messages: embeds packed under Discord's limits; charts and the
    spreadsheet attached to the last one. They are drawn in a child process, so the bot's
    process never loads matplotlib (`bot.ui.recap_files`)."""
    recap = await build_year(bot, guild_id, year)
    files = await recap_files.render_in_child(recap)
    groups = recap_tables.pack(recap_tables.year_embeds(recap))
    intro = (T.YEAR_EMPTY_INTRO if recap.is_empty else T.YEAR_INTRO).format(year=year)
    messages = [OutgoingMessage(content=intro if i == 0 else None, embeds=g) for i, g in enumerate(groups)]
    messages[-1].files = [discord.File(io.BytesIO(data), filename=name) for name, data in files]
    return messages


async def month_messages(bot: PdnBot, guild_id: int, year: int, month: int) -> list[OutgoingMessage]:
    async with bot.db.transaction() as session:
        summary = await month_service.month_summary(session, guild_id, year, month)
    return [OutgoingMessage(embeds=[recap_tables.month_embed(summary)])]


async def _render_year(bot: PdnBot, post: OutboxPost) -> list[OutgoingMessage]:
    return await year_messages(bot, post.guild_id, int(post.period))


async def _render_month(bot: PdnBot, post: OutboxPost) -> list[OutgoingMessage]:
    year, month = (int(x) for x in post.period.split("-"))
    return await month_messages(bot, post.guild_id, year, month)


MONTHLY_KIND = PostKind(
    schedule=ScheduleKind(
        name="monthly_summary",
        label=T.MONTHLY_LABEL,
        default=ScheduleValue(frequency=MONTHLY, day_of_month=1, hour=9),
        frequencies=(MONTHLY,),
    ),
    channel_id=lambda settings: settings.recaps_channel_id,
    period=asked.previous_month_period,
    render=_render_month,
)
YEARLY_KIND = PostKind(
    schedule=ScheduleKind(
        name="year_recap",
        label=T.YEARLY_LABEL,
        default=ScheduleValue(frequency=YEARLY, hour=10),
        frequencies=(YEARLY,),
    ),
    channel_id=lambda settings: settings.recaps_channel_id,
    period=asked.previous_year_period,
    render=_render_year,
    yearly_days="2-8",
    lookback=timedelta(days=40),  # caught up at start even after a long stop,
)


async def send_messages(interaction: discord.Interaction, messages: list[OutgoingMessage]) -> None:
    for message in messages:
        await interaction.followup.send(
            content=message.content or discord.utils.MISSING,
            embeds=message.embeds,
            files=message.files or discord.utils.MISSING,
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


@coordination_only()
class Recaps(commands.Cog):
    bilan = app_commands.Group(
        name="bilan", description=T.GROUP, guild_only=True, default_permissions=COORDINATION_DEFAULT
    )

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot

    @bilan.command(name="annuel")
    @app_commands.describe(annee="L'année du bilan (l'année passée par défaut)")
    async def bilan_annuel(self, interaction: discord.Interaction, annee: int | None = None) -> None:
        """Le bilan d'une année : synthèse, évolution, graphiques et tableur."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        today = self.bot.today()
        year = asked.check_year(annee if annee is not None else today.year - 1, today)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await send_messages(interaction, await year_messages(self.bot, guild_id, year))

    @bilan.command(name="mensuel")
    @app_commands.describe(mois="Le mois (MM/AAAA, le mois passé par défaut)")
    async def bilan_mensuel(self, interaction: discord.Interaction, mois: str | None = None) -> None:
        """Le résumé d'un mois : arrivées, demandes, temps de réseau, veille, activités."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        year, month = asked.parse_month(mois, self.bot.today())
        await interaction.response.defer(ephemeral=True, thinking=True)
        await send_messages(interaction, await month_messages(self.bot, guild_id, year, month))

    @bilan.command(name="importer")
    @app_commands.describe(fichier="Le CSV annee,territoire,indicateur,valeur,note des années passées")
    async def bilan_importer(self, interaction: discord.Interaction, fichier: discord.Attachment) -> None:
        """Importer les chiffres des années d'avant le bot (CSV)."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        if not fichier.filename.lower().endswith((".csv", ".txt", ".tsv")):
            raise ValidationError(T.ERR_NOT_CSV)
        if fichier.size > history.MAX_BYTES:
            raise ValidationError(
                history.ERR_TOO_BIG.format(size=round(fichier.size / 1000), max=history.MAX_BYTES // 1000)
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await fichier.read()
        async with self.bot.db.transaction(lock=True) as session:
            result = await history.import_csv(session, guild_id, data, now=self.bot.now())
        await reply(
            interaction,
            T.IMPORTED.format(
                rows=(T.FIGURES_ONE if result.rows == 1 else T.FIGURES_MANY).format(count=result.rows),
                years=", ".join(str(y) for y in result.years),
                replaced=(
                    T.REPLACED_NONE
                    if not result.replaced
                    else T.REPLACED_ONE
                    if result.replaced == 1
                    else T.REPLACED_MANY
                ).format(count=result.replaced),
                skipped=(
                    ""
                    if not result.skipped_computed
                    else (T.SKIPPED_ONE if result.skipped_computed == 1 else T.SKIPPED_MANY).format(
                        count=result.skipped_computed
                    )
                ),
            ),
        )

    @bilan.command(name="export")
    @app_commands.describe(annee="L'année du bilan", format="Tableur (XLSX), CSV ou Markdown")
    @app_commands.choices(format=FORMAT_CHOICES)
    async def bilan_export(
        self, interaction: discord.Interaction, annee: int, format: app_commands.Choice[str]
    ) -> None:
        """Télécharger les tableaux d'un bilan (XLSX, CSV ou Markdown)."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        year = asked.check_year(annee, self.bot.today())
        await interaction.response.defer(ephemeral=True, thinking=True)
        recap = await build_year(self.bot, guild_id, year)
        data = await asyncio.to_thread(recap_exports.export, recap, format.value)
        file = discord.File(io.BytesIO(data), filename=recap_exports.filename(year, format.value))
        await reply(interaction, T.EXPORT_DONE.format(year=year, format=format.name), file=file)

    @bilan.command(name="rapport")
    @app_commands.describe(annee="L'année du rapport (l'année passée par défaut)")
    async def bilan_rapport(self, interaction: discord.Interaction, annee: int | None = None) -> None:
        """Le rapport d'activité de l'année : document modifiable (DOCX) et PDF à imprimer."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        today = self.bot.today()
        year = asked.check_year(annee if annee is not None else today.year - 1, today)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.transaction() as session:
            data = await report_service.report_data(session, guild_id, year, now=self.bot.now())
        files = await asyncio.to_thread(report_ui.render, data)
        limit = interaction.guild.filesize_limit if interaction.guild else 10 * MEGABYTE
        attached, refused = report_attachments(files, year, limit)
        lines = [T.REPORT_DONE.format(year=year)]
        missing = [title for key, (title, _) in report_service.TEXT_SECTIONS.items() if key not in data.texts]
        if missing:
            count = plural(len(missing), "texte", "textes")
            lines.append(T.REPORT_TODO.format(count=count, sections=", ".join(f"«\u00a0{m}\u00a0»" for m in missing)))
        lines += refused
        if not attached:
            lines.append(T.REPORT_NONE_SENT)
        await reply(interaction, fr("\n".join(lines)), files=attached or discord.utils.MISSING)

    @bilan.command(name="rapport-texte")
    @app_commands.describe(annee="L'année du rapport", section="Le texte à écrire ou à modifier")
    @app_commands.choices(section=SECTION_CHOICES)
    async def bilan_rapport_texte(
        self, interaction: discord.Interaction, annee: int, section: app_commands.Choice[str]
    ) -> None:
        """Écrire un texte du rapport d'activité (faits marquants, perspectives…)."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        year = asked.check_year(annee, self.bot.today())
        async with self.bot.db.transaction() as session:
            current = await report_service.text(session, guild_id, year, section.value)
        await interaction.response.send_modal(ReportTextModal(year, section.value, current))
