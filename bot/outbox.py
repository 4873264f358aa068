"""The outbox's Discord side: turns due posts into messages, exactly once.

A feature registers a `PostKind`: which channel it posts in, how a fire time maps to a
period (the idempotency key), and how to render the post as messages. Delivery:

1. `fire(guild, kind)` (the cron job) enqueues the period's post and delivers it;
2. at start, `catch_up()` enqueues the latest missed occurrence of every schedule, resumes
   posts left in "sending" (parts already in the channel, found by their reference, are not
   posted again) and delivers what is due;
3. a failed Discord call marks the post failed with a back-off; the retry job tries again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GuildSettings, OutboxPost
from bot.interactions import NO_MENTIONS
from bot.scheduler import cron_trigger, last_fire_time
from bot.services import outbox as outbox_service
from bot.services import schedules as schedules_service
from bot.services.schedules import ScheduleKind, ScheduleValue

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)


@dataclass
class OutgoingMessage:
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[discord.File] = field(default_factory=list)


@dataclass(frozen=True)
class PostKind:
    """A kind of scheduled post.

    - `schedule`: its label and default schedule (`/config planning` changes it);
    - `channel_id(settings)`: where it goes;
    - `period(fire_time)`: the period a fire time publishes, e.g. "2027-W24";
    - `render(bot, post)`: the messages, or [] when there is nothing to post;
    - `lookback`: how far back a missed occurrence is still caught up at start;
    - `yearly_days`: for a yearly post, the January days to try ("2-8" with mon-fri).
    """

    schedule: ScheduleKind
    channel_id: Callable[[GuildSettings], int | None]
    period: Callable[[datetime], str]
    render: Callable[[PdnBot, OutboxPost], Awaitable[list[OutgoingMessage]]]
    lookback: timedelta = timedelta(days=8)
    yearly_days: str | None = None
    # Optional: the period from the fire time AND the server's schedule (a kind that can be
    # weekly or monthly names its periods "2027-W24" or "2027-06"); replaces `period`.
    schedule_period: Callable[[datetime, ScheduleValue], str] | None = None
    # Optional: database work done in the same transaction that marks the post sent
    # (e.g. the digest's publication date), called as on_sent(session, post, now).
    on_sent: Callable[[AsyncSession, OutboxPost, datetime], Awaitable[None]] | None = None

    @property
    def name(self) -> str:
        return self.schedule.name

    def trigger(self, value: ScheduleValue):  # noqa: ANN201 (APScheduler trigger)
        return cron_trigger(value, yearly_days=self.yearly_days) if value.enabled else None


def reference(post: OutboxPost, index: int, total: int) -> str:
    """The small line that marks each part: "réf. digest-2027-W24 · 1/2"."""
    return f"réf. {post.marker}" + (f" · {index + 1}/{total}" if total > 1 else "")


def _stamp(message: OutgoingMessage, ref: str) -> OutgoingMessage:
    if message.embeds:
        last = message.embeds[-1]
        footer = last.footer.text if last.footer and last.footer.text else None
        last.set_footer(text=f"{footer} · {ref}" if footer else ref)
    else:
        message.content = f"{message.content or ''}\n-# {ref}".strip()
    return message


def _has_reference(message: discord.Message, ref: str) -> bool:
    texts = [message.content or ""] + [e.footer.text or "" for e in message.embeds if e.footer]
    return any(text.endswith(ref) for text in texts)


class OutboxDispatcher:
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self.kinds: dict[str, PostKind] = {}
        self._lock = asyncio.Lock()

    def register(self, kind: PostKind) -> None:
        self.kinds[kind.name] = kind
        schedules_service.register_kind(kind.schedule)

    # -- scheduling -------------------------------------------------------------------

    async def schedule_guild(self, guild_id: int) -> None:
        """(Re)build the cron jobs of one server from its schedules."""
        async with self.bot.db.transaction() as session:
            values = await schedules_service.all_schedules(session, guild_id)
        for name, kind in self.kinds.items():
            self.bot.scheduler.set_post_job(guild_id, name, kind.trigger(values[name]))

    async def schedule_all(self) -> list[int]:
        async with self.bot.db.transaction() as session:
            guild_ids = list(await session.scalars(select(GuildSettings.guild_id)))
        for guild_id in guild_ids:
            await self.schedule_guild(guild_id)
        return guild_ids

    # -- entry points ---------------------------------------------------------------

    async def fire(self, guild_id: int, kind_name: str, fire_time: datetime | None = None) -> None:
        """The cron job: owe this period's post, then deliver what is due."""
        now = self.bot.now()
        await self.enqueue(guild_id, kind_name, fire_time or now)
        await self.dispatch_due(now)

    async def enqueue(self, guild_id: int, kind_name: str, fire_time: datetime) -> OutboxPost:
        kind = self.kinds[kind_name]
        async with self.bot.db.transaction() as session:
            settings = await session.get(GuildSettings, guild_id)
            channel_id = kind.channel_id(settings) if settings else None
            if kind.schedule_period is not None:
                value = await schedules_service.get_schedule(session, guild_id, kind_name)
                period = kind.schedule_period(fire_time, value)
            else:
                period = kind.period(fire_time)
            return await outbox_service.enqueue(
                session,
                guild_id,
                kind_name,
                period,
                channel_id=channel_id,
                due_at=fire_time,
            )

    async def catch_up(self, now: datetime | None = None) -> None:
        """At start: owe missed occurrences, resume interrupted posts, deliver due ones."""
        now = now or self.bot.now()
        guild_ids = await self.schedule_all()
        for guild_id in guild_ids:
            async with self.bot.db.transaction() as session:
                values = await schedules_service.all_schedules(session, guild_id)
                settings = await session.get(GuildSettings, guild_id)
            for name, kind in self.kinds.items():
                trigger = kind.trigger(values[name])
                if trigger is None or settings is None:
                    continue
                last = last_fire_time(trigger, now, lookback=kind.lookback)
                since = values[name].updated_at or settings.created_at
                if last is not None and last >= since:
                    await self.enqueue(guild_id, name, last)
        await self.resume_interrupted(now)
        await self.dispatch_due(now)

    async def resume_interrupted(self, now: datetime | None = None) -> None:
        now = now or self.bot.now()
        async with self.bot.db.transaction() as session:
            posts = await outbox_service.interrupted(session)
        for post in posts:
            async with self.bot.db.transaction() as session:
                if not await outbox_service.claim(session, post.id, now, resume=True):
                    continue
            await self._deliver(post, now, resuming=True)

    async def dispatch_due(self, now: datetime | None = None) -> None:
        now = now or self.bot.now()
        async with self._lock:
            async with self.bot.db.transaction() as session:
                posts = await outbox_service.due(session, now)
            for post in posts:
                async with self.bot.db.transaction() as session:
                    if not await outbox_service.claim(session, post.id, now):
                        continue
                await self._deliver(post, now)

    # -- delivery -------------------------------------------------------------------

    async def _channel(self, channel_id: int | None) -> discord.abc.Messageable:
        if channel_id is None:
            raise LookupError("no channel configured")
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            channel = await self.bot.fetch_channel(channel_id)
        assert isinstance(channel, discord.abc.Messageable)
        return channel

    async def _already_posted(
        self, channel: discord.abc.Messageable, post: OutboxPost, total: int
    ) -> dict[int, int]:
        """Parts of `post` found among the channel's last 100 messages, by index."""
        found: dict[int, int] = {}
        async for message in channel.history(limit=100):
            if message.author.id != self.bot.user.id:  # type: ignore[union-attr]
                continue
            for index in range(total):
                if _has_reference(message, reference(post, index, total)):
                    found[index] = message.id
        return found

    async def _mark_sent(self, kind: PostKind, post: OutboxPost, now: datetime) -> None:
        async with self.bot.db.transaction() as session:
            await outbox_service.mark_sent(session, post.id, now)
            if kind.on_sent is not None:
                await kind.on_sent(session, post, now)

    async def _deliver(self, post: OutboxPost, now: datetime, *, resuming: bool = False) -> None:
        kind = self.kinds.get(post.kind)
        try:
            if kind is None:
                raise LookupError(f"no renderer for {post.kind!r}")
            # The channel first: rendering (a year-end recap with charts) is not done for a
            # post that has nowhere to go.
            channel = await self._channel(post.channel_id)
            messages = await kind.render(self.bot, post)
            if not messages:
                await self._mark_sent(kind, post, now)
                return
            done = {i: m for i, m in enumerate(outbox_service.parts(post)) if m}
            if resuming:
                done |= await self._already_posted(channel, post, len(messages))
            for index, message in enumerate(messages):
                if index in done:
                    continue
                message = _stamp(message, reference(post, index, len(messages)))
                sent = await channel.send(
                    content=message.content,
                    embeds=message.embeds,
                    files=message.files,
                    allowed_mentions=NO_MENTIONS,
                )
                async with self.bot.db.transaction() as session:
                    await outbox_service.record_part(session, post.id, index, sent.id)
            await self._mark_sent(kind, post, now)
            log.info("Posted %s for guild %s", post.marker, post.guild_id)
        except (discord.HTTPException, LookupError) as error:
            async with self.bot.db.transaction() as session:
                failed = await outbox_service.mark_failed(session, post.id, now, repr(error))
            log.warning(
                "Could not post %s in guild %s (attempt %s, retry at %s): %s",
                post.marker, post.guild_id, failed.attempts, failed.due_at, error,
            )
