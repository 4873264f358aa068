"""The private thread of a request: its creation (requester added, coordination mentioned
once), the request message (card) with its buttons kept up to date, the lines saying what
happened, archiving. Best effort: a change is already saved when its thread is updated; a
Discord failure is logged, and the card is marked stale for the sweep to render again."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import aiohttp
import discord

from bot import alerts
from bot.app import PdnBot
from bot.dates import format_when
from bot.db.models.requests import CANCELLED, DONE, AccompanimentRequest
from bot.services import guilds as guilds_service
from bot.services.requests import jobs, lifecycle
from bot.services.requests.labels import kind_label
from bot.services.requests.queries import RequestView
from cogs.requests import _texts as T
from cogs.requests._render import rating_view, request_embed, request_view

log = logging.getLogger(__name__)

DISCORD_FAILURES = (discord.HTTPException, aiohttp.ClientError, OSError, asyncio.TimeoutError)


# The line a thread shows after each change, by the lifecycle's action.
ACTION_LINES = {
    "claim": T.LINE_CLAIM,
    "schedule": T.LINE_SCHEDULE,
    "close": T.LINE_CLOSE,
    "cancel": T.LINE_CANCEL,
    "reopen": T.LINE_REOPEN,
}


def action_line(action: str, actor: str, when: datetime | None = None) -> str:
    """ "🔵 **Alice** a pris en charge la demande.": what happened, by whom (and when, for a session)."""
    return ACTION_LINES[action].format(actor=actor, when=format_when(when) if when else "")


def mention(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id else ""


def users(*ids: int | None) -> discord.AllowedMentions:
    return discord.AllowedMentions(everyone=False, roles=False, users=[discord.Object(i) for i in ids if i])


async def warn_coordination(bot: PdnBot, request: AccompanimentRequest) -> None:
    """The thread could not be made: tell the coordination in the recaps channel (no
    free text there), so the request is not missed. Best effort."""
    async with bot.db.transaction() as session:
        settings = await guilds_service.get_settings(session, request.guild_id)
    channel_id, role_id = settings.recaps_channel_id, settings.coordination_role_id
    if channel_id is None or channel_id == settings.requests_channel_id:
        return
    try:
        await bot.get_partial_messageable(channel_id, guild_id=request.guild_id).send(
            T.NO_THREAD_WARNING.format(
                role=f"<@&{role_id}> " if role_id else "",
                number=request.number,
                kind=kind_label(request.kind),
                territory=request.territory_code or T.EMPTY,
            ),
            allowed_mentions=discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(role_id)] if role_id else False
            ),
        )
    except discord.HTTPException:
        log.warning("Could not warn the coordination about request %s", request.id, exc_info=True)


async def ensure_thread(bot: PdnBot, item: RequestView) -> int | None:
    """Create the request's private thread (requester added, coordination role mentioned
    once) and its message with the buttons. Returns the thread id, or None if the
    requests channel is missing or Discord refused: the sweep tries again."""
    request = item.request
    async with bot.db.transaction() as session:
        settings = await guilds_service.get_settings(session, request.guild_id)
    channel_id, role_id = settings.requests_channel_id, settings.coordination_role_id
    thread_id = request.thread_id
    if channel_id is None and thread_id is None:
        return None
    try:
        if thread_id is None:
            assert channel_id is not None
            channel = bot.get_channel(channel_id) or await bot.fetch_channel(channel_id)
            if not isinstance(channel, discord.TextChannel):
                raise discord.InvalidData("requests channel is not a text channel")
            thread = await channel.create_thread(
                name=T.THREAD_NAME.format(number=request.number, kind=kind_label(request.kind))[:100],
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=10080,
            )
            thread_id = thread.id
            async with bot.db.transaction(lock=True) as session:
                await lifecycle.set_thread(session, request.id, thread_id=thread_id, message_id=None)
        target = bot.get_partial_messageable(thread_id, guild_id=request.guild_id)
        if item.requester_discord_id:
            await bot.http.add_user_to_thread(thread_id, item.requester_discord_id)
        role = T.THREAD_OPENING_ROLE.format(role=f"<@&{role_id}>") if role_id else ""
        message = await target.send(
            T.THREAD_OPENING.format(role=role, requester=mention(item.requester_discord_id) or item.requester_name),
            embed=request_embed(item),
            view=request_view(request),
            allowed_mentions=discord.AllowedMentions(
                everyone=False,
                users=[discord.Object(item.requester_discord_id)] if item.requester_discord_id else False,
                roles=[discord.Object(role_id)] if role_id else False,
            ),
        )
    except (discord.HTTPException, discord.InvalidData):
        log.warning("Could not create the thread of request %s", request.id, exc_info=True)
        async with bot.db.transaction(lock=True) as session:
            await lifecycle.set_thread(session, request.id, thread_id=None, message_id=None, failed=True)
        return None
    async with bot.db.transaction(lock=True) as session:
        await lifecycle.set_thread(session, request.id, thread_id=thread_id, message_id=message.id)
    request.thread_id, request.message_id = thread_id, message.id
    return thread_id


async def set_archived(bot: PdnBot, request: AccompanimentRequest, archived: bool) -> None:
    if request.thread_id is None:
        return
    try:
        await bot.http.edit_channel(request.thread_id, archived=archived)
    except DISCORD_FAILURES:
        log.warning("Thread of request %s not (un)archived", request.id, exc_info=True)


async def unarchive_thread(bot: PdnBot, request: AccompanimentRequest) -> None:
    if request.thread_id is not None:
        await set_archived(bot, request, False)


async def publish(
    bot: PdnBot,
    item: RequestView,
    line: str | None,
    *,
    add_user: int | None = None,
    rating: bool = False,
    unarchive: bool = False,
) -> None:
    """Bring the thread up to date: the request message, a line saying what happened.
    A closed or cancelled request's thread is archived (reopened with the request).
    Best effort: the change is already saved; a Discord failure is only logged."""
    request = item.request
    if request.thread_id is None:
        return
    if unarchive:
        await unarchive_thread(bot, request)
    try:
        await _post(bot, item, line, add_user=add_user, rating=rating)
    finally:
        if request.status in (DONE, CANCELLED):
            await set_archived(bot, request, True)


async def _post(bot: PdnBot, item: RequestView, line: str | None, *, add_user: int | None, rating: bool) -> None:
    request = item.request
    thread_id = request.thread_id
    assert thread_id is not None  # checked by `publish`
    target = bot.get_partial_messageable(thread_id, guild_id=request.guild_id)
    if add_user:
        try:
            await bot.http.add_user_to_thread(thread_id, add_user)
        except DISCORD_FAILURES:
            log.warning("Could not add a member to the thread of request %s", request.id, exc_info=True)
    if request.message_id:
        await render_card(bot, item)
    try:
        if line:
            await target.send(line, allowed_mentions=discord.AllowedMentions.none())
        if rating and item.requester_discord_id:
            await target.send(
                T.RATE_PROMPT.format(requester=mention(item.requester_discord_id)),
                view=rating_view(request),
                allowed_mentions=users(item.requester_discord_id),
            )
    except DISCORD_FAILURES:
        log.warning("Could not post in the thread of request %s", request.id, exc_info=True)


async def render_card(bot: PdnBot, item: RequestView) -> bool:
    """Edit the request message to show the current state. A failure marks the card
    stale (the sweep renders it again); a deleted message is forgotten (the sweep posts
    a new one for an active request). True when the card is up to date."""
    request = item.request
    thread_id, message_id = request.thread_id, request.message_id
    assert thread_id is not None and message_id is not None  # a card is posted in its thread
    target = bot.get_partial_messageable(thread_id, guild_id=request.guild_id)
    gone = False
    try:
        await target.get_partial_message(message_id).edit(embed=request_embed(item), view=request_view(request))
    except discord.NotFound:
        gone = True
    except DISCORD_FAILURES as error:
        log.warning("Card of request %s not updated: %s; marked stale", request.id, error)
        async with bot.db.transaction(lock=True) as session:
            await jobs.mark_card(session, request.id, stale=True)
        if isinstance(error, discord.Forbidden) and not request.card_stale:  # once
            await alerts.alert_coordination(
                bot,
                request.guild_id,
                T.ALERT_CARD.format(number=request.number),
                key=f"request_card:{request.id}",
            )
        return False
    if request.card_stale or gone:  # otherwise nothing to write
        async with bot.db.transaction(lock=True) as session:
            await jobs.mark_card(session, request.id, stale=False, forget_message=gone)
    request.card_stale = False
    if gone:
        request.message_id = None
    return not gone
