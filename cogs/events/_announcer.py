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
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import tasks

from bot.db.models.events import Event
from bot.interactions import NO_MENTIONS
from bot.services import guilds as guilds_service
from bot.services.events import lifecycle as events_service
from bot.services.events import seats
from bot.services.events import series as series_service
from cogs.events._render import event_embed, ics_file
from cogs.events._views import announcement_view

if TYPE_CHECKING:
    from bot.app import PdnBot


log = logging.getLogger(__name__)

COOLDOWN = 5.0  # seconds between two edits of one announcement


class Announcer:
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self._dirty: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        # A discord.ext.tasks loop (not a bare asyncio.sleep): SimCord recognises its waits,
        # so tests stay deterministic and move it with env.advance_time.
        self._flusher = tasks.loop(seconds=COOLDOWN)(self._flush)
        self._last_edit: dict[int, float] = {}
        self.edits = 0  # edits made (observability)

    # -- rendering -----------------------------------------------------------------------

    async def _territory_names(self, guild_id: int) -> dict[str, str]:
        async with self.bot.db.transaction() as session:
            return await guilds_service.territory_names(session, guild_id)

    async def render(self, event: Event) -> discord.Embed:
        async with self.bot.db.transaction() as session:
            registered, waitlisted = (await seats.counts(session, [event.id]))[event.id]
            series = await series_service.series_text(session, event)
        return event_embed(event, registered, waitlisted, await self._territory_names(event.guild_id), series=series)

    def _guild_name(self, guild_id: int) -> str | None:
        guild = self.bot.get_guild(guild_id)
        return guild.name if guild else None

    # -- first post ------------------------------------------------------------------------

    async def publish(self, event: Event) -> discord.abc.Messageable | None:
        """Post the announcement; returns the channel, or None if no channel is configured.
        Raises discord.HTTPException when Discord refuses."""
        async with self.bot.db.transaction() as session:
            settings = await guilds_service.get_settings(session, event.guild_id)
        channel = self.bot.get_channel(settings.announcements_channel_id or 0)
        if channel is None or not isinstance(channel, discord.abc.Messageable):
            return None
        message = await channel.send(
            embed=await self.render(event),
            view=announcement_view(event.id),
            file=ics_file(event, now=self.bot.now(), guild_name=self._guild_name(event.guild_id)),
            allowed_mentions=NO_MENTIONS,
        )
        async with self.bot.db.transaction() as session:
            stored = await events_service.get_event(session, event.guild_id, event.id)
            stored.announcement_channel_id = message.channel.id
            stored.announcement_message_id = message.id
        return channel

    # -- edits -----------------------------------------------------------------------------

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
        """Edit the announcement now (the count, the details; the .ics after a change)."""
        async with self.bot.db.transaction() as session:
            event = await session.get(Event, event_id)
        if event is None or event.announcement_message_id is None:
            return
        channel = self.bot.get_channel(event.announcement_channel_id or 0)
        if channel is None or not hasattr(channel, "get_partial_message"):
            await self._forget(event)
            return
        kwargs: dict = {"embed": await self.render(event)}
        kwargs["view"] = None if event.cancelled_at else announcement_view(event.id)
        if with_file:
            kwargs["attachments"] = [ics_file(event, now=self.bot.now(), guild_name=self._guild_name(event.guild_id))]
        self._last_edit[event_id] = asyncio.get_running_loop().time()
        try:
            await channel.get_partial_message(event.announcement_message_id).edit(**kwargs)  # type: ignore[union-attr]
            self.edits += 1
        except discord.NotFound:
            await self._forget(event)
        except discord.HTTPException:
            log.warning("Could not edit the announcement of event %s", event_id, exc_info=True)

    async def _forget(self, event: Event) -> None:
        log.info("Announcement of event %s is gone; registrations are kept", event.id)
        async with self.bot.db.transaction() as session:
            stored = await session.get(Event, event.id)
            if stored is not None:
                stored.announcement_channel_id = None
                stored.announcement_message_id = None

    async def close(self) -> None:
        self._flusher.cancel()
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()
