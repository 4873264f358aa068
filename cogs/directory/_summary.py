"""/profil bilan: a one-page PDF of a Promeneur's year (sessions attended, activities,
requests) for their employer; the coordination may ask for any member's. Made in memory
for this reply, never stored."""

from __future__ import annotations

import asyncio
import io

import discord

from bot import interactions
from bot.app import PdnBot
from bot.errors import NotFoundError, PermissionDeniedError
from bot.interactions import Interaction, reply
from bot.services import certificates as certificates_service
from bot.services import members as members_service
from bot.services.recap.asked import check_year
from bot.text import slug
from bot.ui import certificates as certificates_ui
from cogs.directory import _texts as T


async def send(bot: PdnBot, interaction: Interaction, annee: int | None, membre: str | None) -> None:
    guild_id = interactions.guild_id(interaction)
    today = bot.today()
    year = check_year(annee if annee is not None else today.year, today)
    async with bot.db.transaction() as session:
        me = await members_service.find_by_discord(session, guild_id, interaction.user.id)
        if membre is None:
            if me is None:
                raise NotFoundError(members_service.ERR_NO_PROFILE)
            member_id = me.id
        else:
            member_id = await members_service.resolve_member_id(session, guild_id, membre)
            if (me is None or me.id != member_id) and not await bot.is_coordinator(interaction):
                raise PermissionDeniedError(T.SUMMARY_OTHERS)
        summary = await certificates_service.year_summary(session, guild_id, member_id, year)
    own = me is not None and me.id == member_id
    await interaction.response.defer(ephemeral=True, thinking=True)
    pdf = await asyncio.to_thread(certificates_ui.summary_pdf, summary, today)
    text = (T.SUMMARY_DONE if own else T.SUMMARY_DONE_OTHER).format(year=year, name=summary.name)
    filename = T.SUMMARY_FILE.format(year=year, name=slug(summary.name, 30))
    await reply(interaction, text, file=discord.File(io.BytesIO(pdf), filename=filename))
