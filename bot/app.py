"""The Bot subclass and the `create_bot(settings)` factory (used by `run` and by tests)."""

from __future__ import annotations

import asyncio
import gc
import logging
import pkgutil
import signal
import weakref
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

import discord
from discord.ext import commands

import cogs
from bot import clock
from bot.config import Settings
from bot.db import Database
from bot.errors import PermissionDeniedError
from bot.features import Feature, Features, Job
from bot.interactions import NO_MENTIONS, Interaction, RefusedCheck
from bot.notifier import EVERY_MINUTES as NOTIFICATION_MINUTES
from bot.notifier import JOB_ID as NOTIFICATION_JOB
from bot.notifier import Notifier
from bot.outbox import OutboxDispatcher
from bot.permissions import ERR_COORDINATION_ONLY
from bot.redactions import EVERY_MINUTES as REDACTION_MINUTES
from bot.redactions import JOB_ID as REDACTION_JOB
from bot.redactions import Redactor
from bot.scheduler import Scheduler
from bot.services import guilds as guilds_service
from bot.services import notifications as notifications_service
from bot.services.watch.fetch import Fetcher
from bot.tree import PdnTree
from bot.ui.pager import PageButton
from bot.ui.persistent import InteractionRescue
from bot.web import WebServer

if TYPE_CHECKING:
    from bot.services.watch.fetch import FeedResult

log = logging.getLogger(__name__)


# Waits between attempts to register the commands when Discord answers 5xx at start-up.
SYNC_RETRY_DELAYS: tuple[float, ...] = (5, 15, 45)


# How long a stop waits for work under way (the start-up catch-up) before cutting it.
SHUTDOWN_GRACE = 10.0


class WatchFetcher(Protocol):
    """What the watch reads the web with: `Fetcher` (the internet), `NoFetcher` (offline), a
    test's fake."""

    async def page_title(self, url: str) -> str | None: ...

    async def feed(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FeedResult: ...


class StartupError(Exception):
    """The bot cannot start (Discord unavailable): one line for the operator, exit status 2."""


def on_stop_signals(callback: Callable[[], object]) -> None:
    """Call `callback` in the event loop on SIGTERM (systemd, docker stop) or SIGINT (Ctrl-C)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(sig, callback)
        except NotImplementedError:  # Windows: Ctrl-C still raises KeyboardInterrupt
            return


def extensions() -> list[str]:
    """Every feature package under `cogs/` (modules starting with `_` are never loaded)."""
    return sorted(
        f"cogs.{info.name}"
        for info in pkgutil.iter_modules(cogs.__path__)
        if info.ispkg and not info.name.startswith("_")
    )


def intents() -> discord.Intents:
    """No privileged intent: slash commands, buttons and modals need none."""
    result = discord.Intents.none()
    result.guilds = True
    return result


class PdnBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        *,
        now: Callable[[], datetime] = clock.now,
        extra_extensions: tuple[str, ...] = (),
        freeze_heap: bool = False,
        watch_fetcher: WatchFetcher | None = None,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            tree_cls=PdnTree,
            help_command=None,
            allowed_mentions=NO_MENTIONS,
        )
        self.settings = settings
        self.now = now
        self.extra_extensions = extra_extensions
        self.freeze_heap = freeze_heap
        # The web pages the watch reads (tests give theirs: never the internet).
        self.watch_fetcher: WatchFetcher = watch_fetcher or Fetcher()
        self.features = Features(self)
        self.db: Database = None  # type: ignore[assignment]  # built in setup_hook
        self.outbox = OutboxDispatcher(self)
        self.notifier = Notifier(self)
        self.scheduler = Scheduler(self)
        self.redactor = Redactor(self)
        self.web = WebServer(settings)  # calendar feeds; started only when configured
        self._background: set[asyncio.Task[None]] = set()
        self.rescue = InteractionRescue(self)
        self.stopping: asyncio.Future[None] | None = None
        self._closing: asyncio.Future[None] | None = None
        self._working: weakref.WeakSet[asyncio.Task[None]] = weakref.WeakSet()
        # The bot's own part: the durable notifications' privacy hook, the retry jobs, the pager.
        self.features.plug(
            Feature(
                name="core",
                privacy_hooks=(notifications_service.PRIVACY_HOOK,),
                jobs=(
                    Job(self.redactor.job, REDACTION_JOB, minutes=REDACTION_MINUTES),
                    Job(self.notifier.deliver_due, NOTIFICATION_JOB, minutes=NOTIFICATION_MINUTES),
                ),
                dynamic_items=(PageButton,),
            )
        )

    async def remove_cog(self, name: str, /, **kwargs: Any) -> commands.Cog | None:
        """discord.py removes a feature's cog when its extension is unloaded: the rest of the
        feature (jobs, post kinds, hooks, components) goes with it."""
        cog = await super().remove_cog(name, **kwargs)
        if cog is not None:
            self.features.forget_cog(cog)
        return cog

    def dispatch(self, event_name: str, /, *args: object, **kwargs: object) -> None:
        super().dispatch(event_name, *args, **kwargs)
        if event_name == "interaction":  # after discord.py's own routing, synchronously
            self.rescue.check(cast(Interaction, args[0]))  # discord.py dispatches the Interaction

    def today(self) -> date:
        return clock.today(self.now())

    async def setup_hook(self) -> None:
        self.db = Database(
            self.settings.database_url,
            sqlite_synchronous=self.settings.sqlite_synchronous,
            now=self.now,
        )
        for extension in (*extensions(), *self.extra_extensions):
            await self.load_extension(extension)
        await self.sync_commands()
        self.scheduler.start()
        await self.web.start()
        task = asyncio.create_task(self._when_ready())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _when_ready(self) -> None:
        await self.wait_until_ready()
        task = asyncio.current_task()
        if task is not None:
            self._working.add(task)
        try:
            await self.outbox.catch_up()
        except Exception:
            log.exception("Outbox catch-up failed; the retry job will try again")
        try:
            await self.notifier.deliver_due()
        except Exception:
            log.exception("Notification catch-up failed; the retry job will try again")
        if self.freeze_heap:
            freeze_startup_heap()

    async def sync_commands(self) -> None:
        """To DEV_GUILD_ID when set (instant), globally otherwise. Never from on_ready.
        Discord answering 5xx is retried with back-off, then the start is given up."""
        guild = discord.Object(id=self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        for attempt, delay in enumerate((*SYNC_RETRY_DELAYS, None), start=1):
            try:
                await self.tree.sync(guild=guild)
                return
            except discord.HTTPException as error:
                if error.status < 500:
                    raise
                if delay is None:
                    raise StartupError(
                        f"Discord is unavailable (HTTP {error.status}) while registering the slash "
                        f"commands, {attempt} attempts; try again in a few minutes."
                    ) from None
                log.warning(
                    "Discord answered %s to the command sync (attempt %s): retrying in %s s",
                    error.status,
                    attempt,
                    delay,
                )
                await asyncio.sleep(delay)

    def request_stop(self) -> None:
        """On SIGTERM: close the bot (gateway, scheduler, database pool); `start` returns."""
        log.info("Stop requested: closing")
        self.stopping = asyncio.ensure_future(self.close())

    async def close(self) -> None:
        """Once, whoever asks (a signal, `async with` ending): every caller waits for the same
        closing, so the process never ends in the middle of it."""
        if self._closing is None:
            self._closing = asyncio.ensure_future(self._close_once())
        await self._closing

    async def _close_once(self) -> None:
        await super().close()
        working = [t for t in self._working if not t.done()]
        if working:  # a catch-up under way finishes its unit of work (not cut mid-query)
            await asyncio.wait(working, timeout=SHUTDOWN_GRACE)
        await self.release_resources()

    async def release_resources(self) -> None:
        """Stop the scheduler and background tasks, close the database pool (idempotent)."""
        self.scheduler.shutdown()
        await self.web.stop()
        for task in list(self._background):
            task.cancel()
        if self.db is not None:
            await self.db.dispose()

    async def is_coordinator(self, interaction: discord.Interaction) -> bool:
        member = interaction.user
        if interaction.guild is None or not isinstance(member, discord.Member):
            return False
        async with self.db.transaction() as session:
            settings = await guilds_service.get_settings(session, interaction.guild.id)
        return guilds_service.is_coordinator(
            settings,
            [role.id for role in member.roles],
            manages_server=member.guild_permissions.manage_guild,
        )

    async def require_coordinator(self, interaction: discord.Interaction) -> None:
        """Refuse, server-side, anyone who is not the coordination."""
        if not await self.is_coordinator(interaction):
            raise PermissionDeniedError(ERR_COORDINATION_ONLY)

    async def coordination_check(self, interaction: discord.Interaction) -> bool:
        """For a cog's `interaction_check`: refuse with the French reason. Autocomplete is let
        through (it only lists choices; the command itself is refused)."""
        if interaction.type is discord.InteractionType.autocomplete:
            return True
        if not await self.is_coordinator(interaction):
            raise RefusedCheck(ERR_COORDINATION_ONLY)
        return True


def freeze_startup_heap() -> None:
    """Move what start-up left (modules, commands, ~130k objects) out of the collector's
    reach: a full collection then scans only what the bot allocates afterwards (≈ 3 ms
    instead of ≈ 110 ms, which used to land on whatever command was running). Frozen
    objects are still freed by reference counting; only cycles among them are kept."""
    gc.collect()
    gc.freeze()


def create_bot(
    settings: Settings,
    *,
    now: Callable[[], datetime] = clock.now,
    extra_extensions: tuple[str, ...] = (),
    freeze_heap: bool = False,
    watch_fetcher: WatchFetcher | None = None,
) -> PdnBot:
    """`freeze_heap`: `gc.freeze()` once ready and caught up (the process serving Discord;
    tests, which build many bots in one process, leave it off). `watch_fetcher`: what reads
    the web pages of the watch (a strict `Fetcher` by default; tests and the demo give theirs)."""
    return PdnBot(
        settings, now=now, extra_extensions=extra_extensions, freeze_heap=freeze_heap, watch_fetcher=watch_fetcher
    )
