"""The mirror of an event in Discord's Events tab (a guild scheduled event, external).

Created, edited and deleted with the event; the announcement and the registrations stay the
source of truth. When Discord refuses (no Manage Events permission: 403) or is down (5xx),
the event itself is unaffected: the mirror is marked pending, the coordination is told once
(when it becomes pending), and `retry_pending` (a periodic job) tries again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.alerts import alert_coordination
from bot.db.models.events import HYBRID, IN_PERSON, Event
from bot.interactions import NO_MENTIONS, Interaction
from bot.services.events import lifecycle as events_service
from bot.services.events import mirror as events_mirror
from bot.services.events.rules import TYPE_LABELS
from cogs.events import _calendar_texts as T

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)

MAX_NAME = 100  # Discord's limits for a guild scheduled event
MAX_LOCATION = 100
MAX_DESCRIPTION = 1000
RETRY_JOB = "events:mirror-retry"
RETRY_MINUTES = 10


def _trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def location(event: Event) -> str:
    """The address (in person or hybrid), else the visio link if it fits, else « En ligne »."""
    if event.format in (IN_PERSON, HYBRID) and event.place:
        return _trim(event.place, MAX_LOCATION)
    if event.link and len(event.link) <= MAX_LOCATION:
        return event.link
    return T.MIRROR_ONLINE


def description(event: Event) -> str:
    """Type, programme and link first; the footer (how to register) is always kept."""
    parts = [TYPE_LABELS.get(event.type, "")]
    if event.link:
        parts.append(event.link)
    if event.description:
        parts.append(event.description)
    body = "\n\n".join(p for p in parts if p)
    room = MAX_DESCRIPTION - len(T.MIRROR_FOOTER) - 2
    return f"{_trim(body, room)}\n\n{T.MIRROR_FOOTER}"


def _fields(event: Event) -> dict:
    return {
        "name": _trim(event.title, MAX_NAME),
        "start_time": event.starts_at,
        "end_time": event.ends_at,
        "entity_type": discord.EntityType.external,
        "privacy_level": discord.PrivacyLevel.guild_only,
        "location": location(event),
        "description": description(event),
    }


async def tell_coordination(bot: PdnBot, event: Event, interaction: Interaction | None, text: str) -> None:
    """Tell the coordination once per event (`bot.alerts`, in its channel), and the
    coordinator who acted at once, ephemerally."""
    await alert_coordination(bot, event.guild_id, text, key=f"mirror:{event.id}")
    if interaction is None:
        return
    try:
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("Could not tell the coordinator about the Events tab", exc_info=True)


class Mirror:
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot

    async def _apply(self, guild: discord.Guild, event: Event, todo: str) -> int | None:
        """Do it in Discord; returns the mirror's id afterwards (None once deleted)."""
        mirrored: discord.ScheduledEvent | None
        if todo == events_mirror.DELETE:
            try:
                mirrored = await guild.fetch_scheduled_event(event.scheduled_event_id or 0)
                await mirrored.delete()
            except discord.NotFound:
                pass  # already gone (deleted by hand in Discord)
            return None
        if todo == events_mirror.EDIT:
            try:
                mirrored = await guild.fetch_scheduled_event(event.scheduled_event_id or 0)
            except discord.NotFound:
                mirrored = None  # deleted by hand in Discord: created again below
            if mirrored is not None:
                await mirrored.edit(**_fields(event))
                return mirrored.id
        created = await guild.create_scheduled_event(**_fields(event))
        return created.id

    async def sync(self, event_id: int, interaction: Interaction | None = None) -> bool:
        """Bring the mirror up to date; returns whether it is. On a failure the coordination
        is told, once: when the mirror becomes pending (not again while it stays so)."""
        async with self.bot.db.transaction() as session:
            event = await events_service.find_event(session, event_id)
        if event is None:
            return True
        todo = events_mirror.action(event, now=self.bot.now())
        guild = self.bot.get_guild(event.guild_id)
        template = None
        new_id = event.scheduled_event_id
        if todo is not None:
            try:
                if guild is None:
                    raise LookupError("guild not available")
                new_id = await self._apply(guild, event, todo)
            except discord.Forbidden:
                template = T.MIRROR_FORBIDDEN
                log.warning("Events tab mirror of event %s failed (%s)", event_id, todo, exc_info=True)
            except (discord.HTTPException, LookupError):
                template = T.MIRROR_UNAVAILABLE
                log.warning("Events tab mirror of event %s failed (%s)", event_id, todo, exc_info=True)
        async with self.bot.db.transaction() as session:
            was_pending = await events_mirror.mark(
                session, event_id, scheduled_event_id=new_id, pending=template is not None
            )
        if template is not None and not was_pending:
            await tell_coordination(self.bot, event, interaction, template.format(title=event.title))
        return template is None

    async def retry_pending(self) -> None:
        """Periodic job: bring the pending mirrors up to date (silently; told already)."""
        if not self.bot.is_ready():
            return
        async with self.bot.db.transaction() as session:
            due = await events_mirror.pending(session, now=self.bot.now(), guild_ids=[g.id for g in self.bot.guilds])
        for event in due:
            try:
                await self.sync(event.id)
            except Exception:
                log.exception("Retrying the Events tab mirror of event %s failed", event.id)
