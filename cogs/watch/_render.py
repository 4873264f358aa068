"""The digest as Discord messages, and its outbox PostKind ("Lettre de veille")."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot.posts import OutgoingMessage, PostKind
from bot.services import watch as watch_service
from bot.services import watch_render
from bot.services.schedules import MONTHLY, WEEKLY, ScheduleKind, ScheduleValue

if TYPE_CHECKING:
    from bot.app import PdnBot
    from bot.db.models import OutboxPost

COLOUR = discord.Colour.from_rgb(0x2E, 0x86, 0x8C)
DEFAULT_SCHEDULE = ScheduleValue(frequency=WEEKLY, weekday=0, hour=9)


def embeds_of(message: watch_render.MessageSpec) -> list[discord.Embed]:
    return [
        discord.Embed(title=spec.title, description=spec.description or None, colour=COLOUR) for spec in message.embeds
    ]


def outgoing(content: watch_service.DigestContent) -> list[OutgoingMessage]:
    return [OutgoingMessage(embeds=embeds_of(m)) for m in watch_render.layout(content)]


async def render_digest(bot: PdnBot, post: OutboxPost) -> list[OutgoingMessage]:
    """Render (and, the first time, create and number) the period's digest. A retry renders
    the same digest; nothing to publish → nothing posted, or the short note if asked."""
    async with bot.db.transaction(lock=True) as session:
        content = await watch_service.prepare_digest(session, post.guild_id, post.period, today=bot.today())
        empty_note = content is None and await watch_service.empty_note_wanted(session, post.guild_id)
    if content is None:
        return [OutgoingMessage(content=watch_render.EMPTY_NOTE)] if empty_note else []
    return outgoing(content)


DIGEST_KIND = PostKind(
    schedule=ScheduleKind(
        name=watch_service.KIND,
        label="Lettre de veille",
        default=DEFAULT_SCHEDULE,
        frequencies=(WEEKLY, MONTHLY),
    ),
    channel_id=lambda settings: settings.digest_channel_id,
    period=lambda when: watch_service.schedule_period(when, DEFAULT_SCHEDULE),
    schedule_period=watch_service.schedule_period,
    render=render_digest,
    lookback=timedelta(days=32),
    on_sent=lambda session, post, now: watch_service.mark_published(session, post.guild_id, post.period, now),
)
