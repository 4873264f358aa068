"""The form of a report text (/bilan rapport-texte): one section of one year."""

from __future__ import annotations

import re
from typing import cast

import discord

from bot.app import PdnBot
from bot.errors import ValidationError
from bot.interactions import reply
from bot.services import report as report_service
from bot.text import shorten
from bot.ui.custom_ids import custom_id, template
from bot.ui.persistent import PersistentModal
from bot.ui.report.typography import fr, plural
from cogs.recap import _texts as T


class ReportTextModal(PersistentModal):
    # ``report:text:<year>:<section>``; forms opened as ``report-text:<year>:<section>`` (before
    # the custom_id scheme) are still answered.
    template = template("report", r"(?:text:)?(?P<year>\d{4}):(?P<section>[a-z_-]{1,30})", legacy=("report-text",))

    def __init__(self, year: int, section: str, current: str | None) -> None:
        title, hint = report_service.TEXT_SECTIONS[section]
        super().__init__(
            title=T.TEXT_MODAL_TITLE.format(year=year, section=title)[:45],
            timeout=1800,
            custom_id=custom_id("report", "text", year, section),
        )
        self.year, self.section = year, section
        self.body: discord.ui.TextInput[ReportTextModal] = discord.ui.TextInput(
            label=T.TEXT_LABEL,
            custom_id="body",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=report_service.MAX_TEXT,
            placeholder=shorten(hint, 100),  # (textwrap.shorten would fold the no-break spaces)
            default=current,
        )
        self.add_item(self.body)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, match: re.Match[str]) -> ReportTextModal:
        if match["section"] not in report_service.TEXT_SECTIONS:
            raise ValidationError(report_service.ERR_SECTION)
        return cls(int(match["year"]), match["section"], None)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        bot = cast(PdnBot, interaction.client)
        await bot.require_coordinator(interaction)
        async with bot.db.transaction(lock=True) as session:
            stored = await report_service.save_text(
                session,
                guild_id,
                self.year,
                self.section,
                self.body.value,
                now=bot.now(),
            )
        title = report_service.TEXT_SECTIONS[self.section][0]
        if stored is None:
            await reply(interaction, fr(T.TEXT_CLEARED.format(section=title, year=self.year)))
        else:
            length = plural(len(stored), "caractère", "caractères")
            await reply(interaction, fr(T.TEXT_SAVED.format(section=title, year=self.year, length=length)))
