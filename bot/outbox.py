"""The outbox's Discord side: turns due posts into messages, exactly once.

A feature registers a `PostKind`: which channel it posts in, how a fire time maps to a
period (the idempotency key), and how to render the post as messages. Delivery:

1. `fire(guild, kind)` (the cron job) enqueues the period's post and delivers it;
2. at start, `catch_up()` enqueues the latest missed occurrence of every schedule, resumes
   posts left in "sending" (parts already in the channel, found by their reference, are not
   posted again) and delivers what is due. The reference is the footer members read,
   "Résumé mensuel · octobre 2026 · 1/2": the kind's label and the period in words, unique
   per server and kind; parts posted before it was readable ("réf. monthly_summary-2026-10
   · 1/2") are still recognised;
3. every exception met while rendering or delivering (a Discord refusal, a 5xx, a lost
   connection, a bug in a renderer) marks the post failed with a back-off and a French
   explanation, logged with its traceback; one bad post never stops the others;
4. the sweep (every 2 minutes) owes missed occurrences as start-up does, takes back posts
   left in "sending" for more than a few minutes, and retries failed posts. A retry of a
   post that may have reached Discord (a send that failed with a 5xx or a lost connection,
   or an interrupted delivery) first looks in the channel for its parts, by reference, and
   records what it finds: never posted twice;
5. after the last attempt the coordination is told once, in French, what to do
   (`bot.alerts.alert_coordination`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alerts import alert_coordination
from bot.db.models import GuildSettings, OutboxPost
from bot.failures import NBSP, ChannelNotConfiguredError, explain, maybe_delivered, quoted
from bot.interactions import NO_MENTIONS
from bot.scheduler import cron_trigger, last_fire_time
from bot.send_budget import SendBudget
from bot.services import outbox as outbox_service
from bot.services import schedules as schedules_service
from bot.services.schedules import ScheduleKind, ScheduleValue

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)

GAVE_UP = (
    f"⚠️ La publication {{label}} n'a pas pu être faite après {{attempts}} essais{NBSP}: "
    f"{{reason}}. Une fois le problème corrigé, validez les salons avec /config salons{NBSP}: "
    "le bot la publiera aussitôt."
)
_NEEDED_TO_SEND = ("view_channel", "send_messages", "embed_links", "attach_files")
_NEEDED_TO_SEARCH = ("view_channel", "read_message_history")


@dataclass
class OutgoingMessage:
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[discord.File] = field(default_factory=list)
    view: discord.ui.View | None = None


@dataclass(frozen=True)
class PostKind:
    """A kind of scheduled post.

    - `schedule`: its label and default schedule (`/config planning` changes it);
    - `channel_id(settings)`: where it goes;
    - `period(fire_time)`: the period a fire time publishes, e.g. "2027-W24";
    - `render(bot, post)`: the messages, or [] when there is nothing to post;
    - `lookback`: how far back a missed occurrence is still caught up at start;
    - `yearly_days`: for a yearly post, the January days to try ("2-8" with mon-fri);
    - `scheduled`: False for a post made on demand (a survey announcement): no cron job, no
      line in /config planning; its `schedule` only names and labels it.
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
    scheduled: bool = True
    # Optional: the post's title in words when its period key is not readable as it is
    # (a survey's campaign id): "Annonce du questionnaire · n°3". Must be unique per kind.
    title: Callable[[PdnBot, OutboxPost], Awaitable[str]] | None = None

    @property
    def name(self) -> str:
        return self.schedule.name

    def trigger(self, value: ScheduleValue, *, second: int = 0):
        if not self.scheduled or not value.enabled:
            return None
        return cron_trigger(value, yearly_days=self.yearly_days, second=second)

    def period_of(self, fire_time: datetime, value: ScheduleValue) -> str:
        if self.schedule_period is not None:
            return self.schedule_period(fire_time, value)
        return self.period(fire_time)


# Every kind registered, by name: their labels name the posts (a kind is the same for every
# bot of the process; the last one registered under a name wins).
_KINDS: dict[str, PostKind] = {}


def default_title(post: OutboxPost) -> str:
    """The post in words: "Résumé mensuel · octobre 2026", "Lettre de veille · semaine du
    14 juin 2027" (the kind's label, the period in words)."""
    kind = _KINDS.get(post.kind)
    label = kind.schedule.label if kind else post.kind
    return f"{label} · {outbox_service.period_label(post.period)}"


async def post_title(bot: PdnBot, post: OutboxPost) -> str:
    kind = _KINDS.get(post.kind)
    if kind is not None and kind.title is not None:
        return await kind.title(bot, post)
    return default_title(post)


def _part(index: int, total: int) -> str:
    return f" · {index + 1}/{total}" if total > 1 else ""


def reference(post: OutboxPost, index: int, total: int, title: str | None = None) -> str:
    """The small line that marks each part, readable and unique for the outbox:
    "Lettre de veille · semaine du 14 juin 2027 · 1/2"."""
    return (title or default_title(post)) + _part(index, total)


def legacy_reference(post: OutboxPost, index: int, total: int) -> str:
    """The reference of parts posted by earlier versions: "réf. digest-2027-W24 · 1/2"."""
    return f"réf. {post.marker}" + _part(index, total)


def stamp(message: OutgoingMessage, ref: str) -> OutgoingMessage:
    """`message` with the outbox reference of its part (in the last embed's footer, or a line)."""
    if message.embeds:
        last = message.embeds[-1]
        footer = last.footer.text if last.footer and last.footer.text else None
        last.set_footer(text=f"{footer} · {ref}" if footer else ref)
    else:
        message.content = f"{message.content or ''}\n-# {ref}".strip()
    return message


def _has_reference(message: discord.Message, *refs: str) -> bool:
    texts = [message.content or ""] + [e.footer.text or "" for e in message.embeds if e.footer]
    return any(text.endswith(ref) for text in texts for ref in refs)


# Servers delivering at the same time (each one's posts in order): a slow render or a wait
# for the sending budget in one server does not hold up the others.
MAX_CONCURRENT_GUILDS = 4


def jitter_seconds(guild_id: int) -> int:
    """A server's scheduled posts fire this many seconds after their minute (0-59, the same
    for a server from one start to the next): 100 servers due at Monday 9:00 do not all
    fire at once. (A hash of the id: Discord ids are timestamps, close for servers made
    the same day.)"""
    return int.from_bytes(hashlib.blake2b(str(guild_id).encode(), digest_size=4).digest(), "big") % 60


class OutboxDispatcher:
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self.kinds: dict[str, PostKind] = {}
        # One delivery at a time per server: a post in "sending" seen under its server's
        # lock is not being delivered by this process.
        self._guild_locks: dict[int, asyncio.Lock] = {}
        self._workers = asyncio.Semaphore(MAX_CONCURRENT_GUILDS)
        self.budget = SendBudget()
        self._tasks: set[asyncio.Task[None]] = set()

    def register(self, kind: PostKind) -> None:
        self.kinds[kind.name] = kind
        _KINDS[kind.name] = kind
        if kind.scheduled:
            schedules_service.register_kind(kind.schedule)

    @property
    def scheduled_kinds(self) -> dict[str, PostKind]:
        return {name: kind for name, kind in self.kinds.items() if kind.scheduled}

    # -- scheduling -------------------------------------------------------------------

    async def schedule_guild(self, guild_id: int) -> None:
        """(Re)build the cron jobs of one server from its schedules."""
        async with self.bot.db.transaction() as session:
            values = await schedules_service.all_schedules(session, guild_id)
        for name, kind in self.scheduled_kinds.items():
            self.bot.scheduler.set_post_job(guild_id, name, kind.trigger(values[name], second=jitter_seconds(guild_id)))

    async def schedule_all(self) -> list[int]:
        async with self.bot.db.transaction() as session:
            guild_ids = list(await session.scalars(select(GuildSettings.guild_id)))
        for guild_id in guild_ids:
            await self.schedule_guild(guild_id)
        return guild_ids

    async def reconfigured(self, guild_id: int) -> None:
        """The server's channels were (re)chosen: schedule its posts, send the posts still
        owed to the channels now configured, retry at once those that failed (even after
        their last attempt), in the background."""
        await self.schedule_guild(guild_id)
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            settings = await session.get(GuildSettings, guild_id)
            if settings is None:
                return
            targets = {name: kind.channel_id(settings) for name, kind in self.kinds.items()}
            retried = await outbox_service.retry_now(session, guild_id, targets, now)
        if retried:
            self._background(self.dispatch_due(now))

    def _background(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- entry points ---------------------------------------------------------------

    async def fire(self, guild_id: int, kind_name: str, fire_time: datetime | None = None) -> None:
        """The cron job: owe this period's post, then deliver what is due."""
        now = self.bot.now()
        await self.enqueue(guild_id, kind_name, fire_time or now)
        await self.dispatch_due(now, guild_id=guild_id)

    async def enqueue(self, guild_id: int, kind_name: str, fire_time: datetime) -> OutboxPost:
        kind = self.kinds[kind_name]
        # Reads the settings then writes: locked (see bot.services.outbox).
        async with self.bot.db.transaction(lock=True) as session:
            settings = await session.get(GuildSettings, guild_id)
            channel_id = kind.channel_id(settings) if settings else None
            value = await schedules_service.get_schedule(session, guild_id, kind_name)
            return await outbox_service.enqueue(
                session,
                guild_id,
                kind_name,
                kind.period_of(fire_time, value),
                channel_id=channel_id,
                due_at=fire_time,
            )

    async def sweep(self, now: datetime | None = None) -> None:
        """The periodic job: owe missed occurrences, take back abandoned posts, retry."""
        now = now or self.bot.now()
        try:
            await self.owe_missed(now)
        except Exception:
            log.exception("Outbox sweep: could not check missed occurrences")
        await self.dispatch_due(now)

    async def owe_missed(self, now: datetime, guild_ids: list[int] | None = None) -> int:
        """Enqueue the latest occurrence of every schedule (within its lookback, after the
        schedule or the server was set up) that has no post yet. Returns how many."""
        if guild_ids is None:
            async with self.bot.db.transaction() as session:
                guild_ids = list(await session.scalars(select(GuildSettings.guild_id)))
        owed = 0
        for guild_id in guild_ids:
            async with self.bot.db.transaction() as session:
                values = await schedules_service.all_schedules(session, guild_id)
                settings = await session.get(GuildSettings, guild_id)
                existing = await outbox_service.existing_periods(session, guild_id)
            if settings is None:
                continue
            for name, kind in self.scheduled_kinds.items():
                trigger = kind.trigger(values[name])
                if trigger is None:
                    continue
                last = last_fire_time(trigger, now, lookback=kind.lookback)
                since = values[name].updated_at or settings.created_at
                if last is None or last < since:
                    continue
                if (name, kind.period_of(last, values[name])) not in existing:
                    await self.enqueue(guild_id, name, last)
                    owed += 1
        return owed

    async def catch_up(self, now: datetime | None = None) -> None:
        """At start: owe missed occurrences, resume interrupted posts, deliver due ones."""
        now = now or self.bot.now()
        guild_ids = await self.schedule_all()
        await self.owe_missed(now, guild_ids)
        await self.resume_interrupted(now)
        await self.dispatch_due(now)
        await self.retell_given_up(now)

    async def retell_given_up(self, now: datetime) -> None:
        """At start: tell the coordination of posts given up in the last week whose alert
        could not go out (both channels refused, the process stopped); told ones are skipped."""
        async with self.bot.db.transaction() as session:
            posts = await outbox_service.given_up(session, now - timedelta(days=7))
        for post in posts:
            await self._tell_given_up(post, self.kinds.get(post.kind), post.last_error or "")

    async def resume_interrupted(self, now: datetime | None = None) -> None:
        """At start: every post left in "sending" by the previous process."""
        now = now or self.bot.now()
        async with self.bot.db.transaction() as session:
            posts = await outbox_service.interrupted(session, stale_before=None)
        await self._by_guild([(p.guild_id, p.id, True) for p in posts], now, stale_before=None)

    async def dispatch_due(self, now: datetime | None = None, *, guild_id: int | None = None) -> None:
        """Deliver the posts due (and take back abandoned ones): every server's, or one's.
        Servers are served concurrently (at most MAX_CONCURRENT_GUILDS at a time), each
        server's posts one after the other."""
        now = now or self.bot.now()
        stale_before = now - outbox_service.STALE_AFTER
        async with self.bot.db.transaction() as session:
            stale = await outbox_service.interrupted(session, stale_before=stale_before)
            due = await outbox_service.due(session, now)
        work = [(p.guild_id, p.id, True) for p in stale] + [(p.guild_id, p.id, False) for p in due]
        if guild_id is not None:
            work = [w for w in work if w[0] == guild_id]
        await self._by_guild(work, now, stale_before=stale_before)

    async def _by_guild(
        self, work: list[tuple[int, int, bool]], now: datetime, *, stale_before: datetime | None
    ) -> None:
        queues: dict[int, list[tuple[int, bool]]] = {}
        for guild_id, post_id, resume in work:
            queues.setdefault(guild_id, []).append((post_id, resume))
        if not queues:
            return

        async def serve(guild_id: int, queue: list[tuple[int, bool]]) -> None:
            async with self._workers, self._guild_locks.setdefault(guild_id, asyncio.Lock()):
                for post_id, resume in queue:
                    await self._attempt(post_id, now, resume=resume, stale_before=stale_before if resume else None)

        await asyncio.gather(*(serve(g, q) for g, q in queues.items()))

    async def _attempt(
        self, post_id: int, now: datetime, *, resume: bool = False, stale_before: datetime | None = None
    ) -> None:
        """Claim one post and deliver it; whatever happens, the next post is tried."""
        try:
            async with self.bot.db.transaction(lock=True) as session:
                if not await outbox_service.claim(session, post_id, now, resume=resume, stale_before=stale_before):
                    return
                post = await session.get(OutboxPost, post_id, populate_existing=True)
                assert post is not None
            await self._deliver(post, now, resuming=resume)
        except Exception:
            log.exception("Outbox: post %s could not be handled; the sweep will try again", post_id)

    # -- delivery -------------------------------------------------------------------

    async def _channel(self, channel_id: int | None) -> discord.abc.Messageable:
        if channel_id is None:
            raise ChannelNotConfiguredError("no channel configured")
        channel = self.bot.get_channel(channel_id)
        if channel is None:
            channel = await self.bot.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise ChannelNotConfiguredError(f"channel {channel_id} cannot hold messages")
        return channel

    async def _already_posted(
        self, channel: discord.abc.Messageable, post: OutboxPost, total: int, title: str
    ) -> dict[int, int]:
        """Parts of `post` found among the channel's last 100 messages, by index (by their
        readable reference, or the one of earlier versions)."""
        found: dict[int, int] = {}
        async for message in channel.history(limit=100):
            if message.author.id != self.bot.user.id:  # type: ignore[union-attr]
                continue
            for index in range(total):
                refs = (reference(post, index, total, title), legacy_reference(post, index, total))
                if _has_reference(message, *refs):
                    found[index] = message.id
        return found

    async def _mark_sent(self, kind: PostKind, post: OutboxPost, now: datetime) -> None:
        async with self.bot.db.transaction(lock=True) as session:
            sent = await outbox_service.mark_sent(session, post.id, now)
            if kind.on_sent is not None:
                await kind.on_sent(session, sent, now)

    async def _deliver(self, post: OutboxPost, now: datetime, *, resuming: bool = False) -> None:
        kind = self.kinds.get(post.kind)
        channel: discord.abc.Messageable | None = None
        stage = "render"
        try:
            if kind is None:
                raise RuntimeError(f"no post kind {post.kind!r} is registered")
            # The channel first: rendering (a year-end recap with charts) is not done for a
            # post that has nowhere to go.
            channel = await self._channel(post.channel_id)
            messages = await kind.render(self.bot, post)
            if not messages:
                await self._mark_sent(kind, post, now)
                return
            title = await post_title(self.bot, post)
            done = {i: m for i, m in enumerate(outbox_service.parts(post)) if m}
            if resuming or post.maybe_sent:
                # The last try may have reached Discord: look before posting again.
                stage = "search"
                await self.budget.take(post.channel_id)
                found = await self._already_posted(channel, post, len(messages), title)
                async with self.bot.db.transaction(lock=True) as session:
                    await outbox_service.record_parts(session, post.id, found, now=now, reconciled=True)
                done |= found
            for index, message in enumerate(messages):
                if index in done:
                    continue
                message = stamp(message, reference(post, index, len(messages), title))
                stage = "send"
                await self.budget.take(post.channel_id)
                sent = await channel.send(
                    content=message.content,
                    embeds=message.embeds,
                    files=message.files,
                    view=message.view or discord.utils.MISSING,
                    allowed_mentions=NO_MENTIONS,
                )
                stage = "record"  # posted: from here on, a failure means "maybe sent"
                async with self.bot.db.transaction(lock=True) as session:
                    await outbox_service.record_part(session, post.id, index, sent.id, now=now)
            stage = "finish"
            await self._mark_sent(kind, post, now)
            log.info("Posted %s for guild %s", post.marker, post.guild_id)
        except Exception as error:
            uncertain = stage == "record" or (stage == "send" and maybe_delivered(error))
            await self._failed(post, kind, error, channel=channel, stage=stage, maybe_sent=uncertain)

    async def _failed(
        self,
        post: OutboxPost,
        kind: PostKind | None,
        error: Exception,
        *,
        channel: discord.abc.Messageable | None,
        stage: str,
        maybe_sent: bool,
    ) -> None:
        needed = _NEEDED_TO_SEARCH if stage == "search" else _NEEDED_TO_SEND
        reason = explain(error, channel=channel, channel_id=post.channel_id, needed=needed)
        async with self.bot.db.transaction(lock=True) as session:
            failed = await outbox_service.mark_failed(session, post.id, self.bot.now(), reason, maybe_sent=maybe_sent)
        log.warning(
            "Could not post %s in guild %s at stage %s (attempt %s/%s, next at %s): %s",
            post.marker,
            post.guild_id,
            stage,
            failed.attempts,
            outbox_service.MAX_ATTEMPTS,
            failed.due_at,
            reason,
            exc_info=not isinstance(error, ChannelNotConfiguredError),
        )
        if outbox_service.exhausted(failed):
            await self._tell_given_up(failed, kind, reason)

    async def _tell_given_up(self, post: OutboxPost, kind: PostKind | None, reason: str) -> None:
        try:
            label = quoted(await post_title(self.bot, post))
        except Exception:  # the title needs the database: the alert must still go out
            log.exception("Outbox: no title for post %s", post.id)
            label = quoted(kind.schedule.label if kind else default_title(post))
        text = GAVE_UP.format(label=label, attempts=post.attempts, reason=reason)
        await alert_coordination(self.bot, post.guild_id, text, key=outbox_service.alert_key(post))
