"""Telling the coordination of a server that something needs them (a post that could not be
published after its last attempt, a notification nobody received).

Where: the recaps channel (« bilans », where the coordination already reads the monthly
summary), else the requests channel; the first one that accepts the message wins. There is
no DM fallback: the bot has no member intent, so it cannot list the coordination role's
members, and the server owner is often not the coordinator. With neither channel configured
(or both refusing), a warning is logged and the call returns False.

The coordination role (when configured) is mentioned, and only it: the text itself pings
nobody. With a `key`, the alert is told once: a row in `coordination_alerts` remembers it was
delivered, so a retry, a second caller or a restart does not tell it again.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import TYPE_CHECKING

import discord

from bot.services import outbox as outbox_service
from bot.services.guilds import get_settings

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)

MAX_LENGTH = 2000
# One lock per bot (tests run several bots in one process), gone with its bot.
_LOCKS: weakref.WeakKeyDictionary[PdnBot, asyncio.Lock] = weakref.WeakKeyDictionary()


def _lock(bot: PdnBot) -> asyncio.Lock:
    lock = _LOCKS.get(bot)
    if lock is None:
        lock = _LOCKS[bot] = asyncio.Lock()
    return lock


async def _send(bot: PdnBot, channel_id: int, content: str, role_id: int | None) -> int:
    channel = bot.get_channel(channel_id) or await bot.fetch_channel(channel_id)
    assert isinstance(channel, discord.abc.Messageable)
    mentions = discord.AllowedMentions(
        everyone=False, users=False, roles=[discord.Object(role_id)] if role_id else False
    )
    message = await channel.send(content=content, allowed_mentions=mentions)
    return message.id


async def alert_coordination(bot: PdnBot, guild_id: int, text: str, *, key: str | None = None) -> bool:
    """Tell the coordination of `guild_id` `text` (French, complete sentences). Returns True
    when the coordination has been told: now, or earlier under the same `key` (then nothing
    is sent again); False when no channel could take the message (logged)."""
    async with _lock(bot):
        async with bot.db.transaction() as session:
            if key is not None and await outbox_service.alert_delivered(session, guild_id, key):
                return True
            settings = await get_settings(session, guild_id)
        role_id = settings.coordination_role_id
        content = (f"<@&{role_id}> {text}" if role_id else text)[:MAX_LENGTH]
        channels = [c for c in (settings.recaps_channel_id, settings.requests_channel_id) if c]
        if not channels:
            log.warning("No channel to alert the coordination of guild %s: %s", guild_id, text)
            return False
        for channel_id in dict.fromkeys(channels):
            try:
                message_id = await _send(bot, channel_id, content, role_id)
            except Exception:
                log.warning(
                    "Could not alert the coordination of guild %s in channel %s",
                    guild_id,
                    channel_id,
                    exc_info=True,
                )
                continue
            if key is not None:
                async with bot.db.transaction(lock=True) as session:
                    await outbox_service.record_alert(
                        session,
                        guild_id,
                        key,
                        channel_id=channel_id,
                        message_id=message_id,
                        now=bot.now(),
                    )
            return True
        log.warning("Every channel refused the alert for guild %s: %s", guild_id, text)
        return False
