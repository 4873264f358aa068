"""/evenement attestation: a participant gets the attendance certificate of a session they
were marked present at; the coordination gets one person's, or everyone's in one PDF (one
page per person). Nothing is stored: the PDF is made in memory for this reply."""

from __future__ import annotations

import asyncio
import io

import discord
from discord import app_commands

from bot import interactions
from bot.app import PdnBot
from bot.errors import NotFoundError, PermissionDeniedError
from bot.interactions import Interaction, reply
from bot.services import certificates as certificates_service
from bot.services import members as members_service
from bot.services.events import lifecycle as events_service
from bot.services.events.lifecycle import parse_event_id
from bot.text import slug
from bot.ui import certificates as certificates_ui
from bot.ui.report.typography import fr, plural
from cogs.events import _texts as T
from cogs.events._render import choice_name


async def send(bot: PdnBot, interaction: Interaction, evenement: str, membre: str | None) -> None:
    guild_id = interactions.guild_id(interaction)
    event_id = parse_event_id(evenement)
    coordinator = await bot.is_coordinator(interaction)
    async with bot.db.transaction() as session:
        me = await members_service.find_by_discord(session, guild_id, interaction.user.id)
        if membre is not None:
            member_id = await members_service.resolve_member_id(session, guild_id, membre)
            own = me is not None and me.id == member_id
            if not (coordinator or own):
                raise PermissionDeniedError(T.CERTIFICATE_OTHERS)
        elif coordinator:
            member_id, own = None, False
        else:
            if me is None:
                raise NotFoundError(members_service.ERR_NO_PROFILE)
            member_id, own = me.id, True
        data = await certificates_service.certificates(session, guild_id, event_id, member_id=member_id, own=own)
    await interaction.response.defer(ephemeral=True, thinking=True)
    pdf = await asyncio.to_thread(certificates_ui.certificates_pdf, data, bot.today())
    if len(data.attendees) == 1:
        name = data.attendees[0].name
        filename = T.CERTIFICATE_FILE.format(title=slug(data.title), name=slug(name, 30))
        text = T.CERTIFICATE_ONE.format(title=data.title, name=name)
    else:
        filename = T.CERTIFICATE_FILE_ALL.format(title=slug(data.title))
        count = plural(len(data.attendees), "personne présente", "personnes présentes")
        text = T.CERTIFICATE_ALL.format(title=data.title, count=count)
    await reply(interaction, fr(text), file=discord.File(io.BytesIO(pdf), filename=filename))


async def event_choices(bot: PdnBot, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The coordination: every session already started; a member: the sessions they were
    marked present at."""
    guild_id = interaction.guild_id
    if guild_id is None:
        return []
    if await bot.is_coordinator(interaction):
        async with bot.db.transaction() as session:
            events = await events_service.list_events(
                session, guild_id, now=bot.now(), scope=events_service.STARTED, text=current, limit=25
            )
    else:
        async with bot.db.transaction() as session:
            me = await members_service.find_by_discord(session, guild_id, interaction.user.id)
            if me is None:
                return []
            events = await certificates_service.attended_events(session, guild_id, me.id, text=current)
    return [app_commands.Choice(name=choice_name(e), value=str(e.id)) for e in events]
