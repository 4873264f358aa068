"""The announcement of an event and its live count, with coalesced edits.

A registration marks its event "dirty". The announcement is edited at once if its last
edit is older than `COOLDOWN` seconds; otherwise a flush loop (every `COOLDOWN` seconds)
edits it when the cooldown is over, with the count read from the database at that moment.
A burst of 30 clicks thus gives at most one edit per `COOLDOWN` seconds per announcement,
and the last edit always shows the final count. Pending edits live in memory: after a
restart the next change refreshes the count. The loop uses the event loop's clock, which
SimCord virtualises: tests move it with `env.advance_time`.

A deleted announcement (message or channel) only forgets the message ids: registrations
are in the database and the commands keep working.

Posting and editing are functions of the bot (`publish`, `refresh`, `announce_new`), used by
the commands, the creation form and the series job; only the coalescing of the count's edits
keeps state, in the cog's `Announcer`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import tasks

from bot.db.models.events import Event
from bot.interactions import NO_MENTIONS
from bot.services import guilds as guilds_service
from bot.services.events import lifecycle as events_service
from bot.services.events import seats
from bot.services.events import series as series_service
from cogs.events import _texts as T
from cogs.events._render import event_embed, ics_file
from cogs.events._views import announcement_view

if TYPE_CHECKING:
    from bot.app import PdnBot


log = logging.getLogger(__name__)

COOLDOWN = 5.0  # seconds between two edits of one announcement


async def _territory_names(bot: PdnBot, guild_id: int) -> dict[str, str]:
    async with bot.db.transaction() as session:
        return await guilds_service.territory_names(session, guild_id)


async def render(bot: PdnBot, event: Event) -> discord.Embed:
    async with bot.db.transaction() as session:
        registered, waitlisted = (await seats.counts(session, [event.id]))[event.id]
        series = await series_service.series_text(session, event)
    return event_embed(event, registered, waitlisted, await _territory_names(bot, event.guild_id), series=series)


def _guild_name(bot: PdnBot, guild_id: int) -> str | None:
    guild = bot.get_guild(guild_id)
    return guild.name if guild else None


async def _announcements_channel(bot: PdnBot, guild_id: int) -> discord.abc.Messageable | None:
    async with bot.db.transaction() as session:
        settings = await guilds_service.get_settings(session, guild_id)
    channel = bot.get_channel(settings.announcements_channel_id or 0)
    return channel if isinstance(channel, discord.abc.Messageable) else None


# -- first post ------------------------------------------------------------------------


async def publish(bot: PdnBot, event: Event) -> discord.abc.Messageable | None:
    """Post the announcement; returns the channel, or None if no channel is configured.
    Raises discord.HTTPException when Discord refuses."""
    channel = await _announcements_channel(bot, event.guild_id)
    if channel is None:
        return None
    message = await channel.send(
        embed=await render(bot, event),
        view=announcement_view(event.id),
        file=ics_file(event, now=bot.now(), guild_name=_guild_name(bot, event.guild_id)),
        allowed_mentions=NO_MENTIONS,
    )
    async with bot.db.transaction() as session:
        await events_service.set_announcement(
            session, event.guild_id, event.id, channel_id=message.channel.id, message_id=message.id
        )
    return channel


async def announce_new(bot: PdnBot, event: Event) -> str:
    """Post a new event's announcement; returns what to tell the coordinator about it."""
    try:
        channel = await publish(bot, event)
    except discord.HTTPException:
        log.warning("Could not announce event %s", event.id, exc_info=True)
        channel = await _announcements_channel(bot, event.guild_id)
        return T.CREATED_ANNOUNCE_FAILED.format(channel=getattr(channel, "mention", "le salon d'annonces"))
    if channel is None:
        return T.CREATED_NO_CHANNEL
    return T.CREATED_ANNOUNCED.format(channel=getattr(channel, "mention", ""))


# -- edits -----------------------------------------------------------------------------


async def refresh(bot: PdnBot, event_id: int, *, with_file: bool = False) -> bool:
    """Edit the announcement now (the count, the details; the .ics after a change); whether
    it was edited."""
    async with bot.db.transaction() as session:
        event = await events_service.find_event(session, event_id)
    if event is None or event.announcement_message_id is None:
        return False
    channel = bot.get_channel(event.announcement_channel_id or 0)
    partial_message = getattr(channel, "get_partial_message", None)  # None: the channel is gone
    if partial_message is None:
        await _forget(bot, event)
        return False
    kwargs: dict[str, Any] = {"embed": await render(bot, event)}
    kwargs["view"] = None if event.cancelled_at else announcement_view(event.id)
    if with_file:
        kwargs["attachments"] = [ics_file(event, now=bot.now(), guild_name=_guild_name(bot, event.guild_id))]
    try:
        await partial_message(event.announcement_message_id).edit(**kwargs)
    except discord.NotFound:
        await _forget(bot, event)
        return False
    except discord.HTTPException:
        log.warning("Could not edit the announcement of event %s", event_id, exc_info=True)
        return False
    return True


async def _forget(bot: PdnBot, event: Event) -> None:
    log.info("Announcement of event %s is gone; registrations are kept", event.id)
    async with bot.db.transaction() as session:
        await events_service.set_announcement(session, event.guild_id, event.id, channel_id=None, message_id=None)


class Announcer:
    """The coalesced edits of the count (see the module doc); one per cog."""

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self._dirty: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        # A discord.ext.tasks loop (not a bare asyncio.sleep): SimCord recognises its waits,
        # so tests stay deterministic and move it with env.advance_time.
        self._flusher = tasks.loop(seconds=COOLDOWN)(self._flush)
        self._last_edit: dict[int, float] = {}
        self.edits = 0  # edits made (observability)

    def mark_dirty(self, event_id: int) -> None:
        """The count changed: edit the announcement now if it was not edited in the last
        `COOLDOWN` seconds, else at the next tick of the flush loop (coalesced)."""
        now = asyncio.get_running_loop().time()
        if event_id not in self._dirty and now - self._last_edit.get(event_id, float("-inf")) >= COOLDOWN:
            self._last_edit[event_id] = now
            task = asyncio.create_task(self._refresh_logged(event_id), name=f"events:announce:{event_id}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return
        self._dirty.add(event_id)
        if not self._flusher.is_running():
            self._flusher.start()

    async def _refresh_logged(self, event_id: int) -> None:
        try:
            await self.refresh(event_id)
        except Exception:
            log.exception("Could not update the announcement of event %s", event_id)

    async def _flush(self) -> None:
        """Each tick: edit the dirty announcements whose cooldown is over."""
        now = asyncio.get_running_loop().time()
        for event_id in sorted(self._dirty):
            if now - self._last_edit.get(event_id, float("-inf")) >= COOLDOWN:
                self._dirty.discard(event_id)
                await self._refresh_logged(event_id)

    async def refresh(self, event_id: int, *, with_file: bool = False) -> None:
        """Edit the announcement now, and start its cooldown."""
        self._last_edit[event_id] = asyncio.get_running_loop().time()
        if await refresh(self.bot, event_id, with_file=with_file):
            self.edits += 1

    async def close(self) -> None:
        self._flusher.cancel()
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
