"""Telling the coordination that something needs a human (placeholder).

Minimal version written by the `notify` branch so that it can call `alert_coordination`;
the `outbox` branch owns this module and its version replaces this one at merge.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.services import guilds as guilds_service

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)


async def alert_coordination(bot: PdnBot, guild_id: int, text: str, *, key: str | None = None) -> bool:
    """Tell the coordination `text` (French) in the recaps channel, else the requests
    channel, mentioning the coordination role. True when delivered; False if no channel is
    configured or Discord refused."""
    async with bot.db.transaction() as session:
        settings = await guilds_service.get_settings(session, guild_id)
    channel_id = settings.recaps_channel_id or settings.requests_channel_id
    if channel_id is None:
        return False
    role_id = settings.coordination_role_id
    try:
        await bot.get_partial_messageable(channel_id, guild_id=guild_id).send(
            f"<@&{role_id}> {text}" if role_id else text,
            allowed_mentions=discord.AllowedMentions(
                everyone=False, users=False, roles=[discord.Object(role_id)] if role_id else False
            ),
        )
    except (discord.HTTPException, aiohttp.ClientError, OSError):
        log.warning("Could not alert the coordination of guild %s (%s)", guild_id, key, exc_info=True)
        return False
    return True
