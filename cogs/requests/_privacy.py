"""Redaction of a request's card (its thread message) after an erasure or the retention
purge: re-rendered from the database, which no longer holds the erased data."""

from __future__ import annotations

import discord

from bot.app import PdnBot
from bot.db.models.privacy import THREAD_LINE
from bot.redactions import edit_own_message, redact_text
from bot.services import guilds as guilds_service
from bot.services import redactions
from bot.services.requests import queries as request_queries
from cogs.requests import _texts as T
from cogs.requests._render import request_embed, request_view

MAX_SCANNED = 200  # thread messages looked at for lines to scrub


async def redact_card(bot: PdnBot, request_id: int, _message_id: int = 0) -> None:
    async with bot.db.transaction() as session:
        request = await request_queries.find(session, request_id)
        if request is None or request.thread_id is None or request.message_id is None:
            return
        item = await request_queries.view(session, request)
        settings = await guilds_service.get_settings(session, request.guild_id)
    role_id = settings.coordination_role_id
    role = T.THREAD_OPENING_ROLE.format(role=f"<@&{role_id}>") if role_id else ""
    requester = f"<@{item.requester_discord_id}>" if item.requester_discord_id else item.requester_name
    await edit_own_message(
        bot,
        request.thread_id,
        request.message_id,
        guild_id=request.guild_id,
        content=T.THREAD_OPENING.format(role=role, requester=requester or T.EMPTY),
        embed=request_embed(item),
        view=request_view(request),
        allowed_mentions=discord.AllowedMentions.none(),
    )


async def scrub_thread(bot: PdnBot, request_id: int, discord_id: int, names: tuple[str, ...]) -> None:
    """The bot's lines in the request's thread (who claimed, cancelled…, reminders and
    prompts that mention the requester) without the erased member's names or mention."""
    async with bot.db.transaction() as session:
        request = await request_queries.find(session, request_id)
    if request is None or request.thread_id is None or bot.user is None:
        return
    thread = bot.get_partial_messageable(request.thread_id, guild_id=request.guild_id)
    async for message in thread.history(limit=MAX_SCANNED):
        if message.author.id != bot.user.id or message.id == request.message_id:
            continue
        redacted = redact_text(message.content or "", discord_id, names)
        if redacted == message.content:
            continue
        try:
            await edit_own_message(
                bot,
                request.thread_id,
                message.id,
                guild_id=request.guild_id,
                content=redacted,
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.NotFound:
            continue
        except discord.HTTPException:
            # The names are not kept: the retry masks the whole line instead.
            async with bot.db.transaction() as session:
                await redactions.record(
                    session,
                    request.guild_id,
                    THREAD_LINE,
                    [request.id],
                    now=bot.now(),
                    message_id=message.id,
                )


async def mask_line(bot: PdnBot, request_id: int, message_id: int) -> None:
    """The retry of a line the scrub could not edit: the whole line is masked."""
    async with bot.db.transaction() as session:
        request = await request_queries.find(session, request_id)
    if request is None or request.thread_id is None:
        return
    await edit_own_message(
        bot,
        request.thread_id,
        message_id,
        guild_id=request.guild_id,
        content=T.LINE_MASKED,
        allowed_mentions=discord.AllowedMentions.none(),
    )
