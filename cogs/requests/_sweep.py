"""The requests sweep, every minute: threads to create again, stale cards, session
reminders, the daily nudge, passed-session prompts, the retention purge. Each effect is
recorded in the database with the notification it queues (bot.services.notifications), so a
repeated or late run does nothing twice and a failed Discord call is retried by the notifier."""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import PdnBot
from bot.clock import PARIS
from bot.db.models.requests import CANCELLED, DONE
from bot.services import guilds as guilds_service
from bot.services import notifications
from bot.services.requests import jobs, retention
from bot.services.requests import queries as request_queries
from cogs.requests import _notify as N
from cogs.requests import threads

log = logging.getLogger(__name__)

SWEEP_MINUTES = 1


class RequestsSweep:
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self._purged_on: date | None = None

    async def run(self) -> None:
        """Every minute. Each effect is recorded in the database with the notification it
        queues (bot.services.notifications), so a repeated or late run does nothing twice
        and a failed Discord call is retried by the notifier."""
        now = self.bot.now()
        steps = (
            self.retry_threads,
            self.refresh_cards,
            self.send_reminders,
            self.send_nudges,
            self.prompt_passed,
            self.purge,
        )
        for step in steps:
            try:
                await step(now)
            except Exception:
                log.exception("Requests sweep step %s failed", step.__name__)

    async def retry_threads(self, now: datetime) -> None:
        async with self.bot.db.transaction() as session:
            due = await jobs.threads_to_create(session)
            items = [await request_queries.view(session, d.request) for d in due]
        for item in items:
            await threads.ensure_thread(self.bot, item)

    async def refresh_cards(self, now: datetime) -> None:
        async with self.bot.db.transaction() as session:
            items = [await request_queries.view(session, d.request) for d in await jobs.stale_cards(session)]
        for item in items:
            closed = item.request.status in (DONE, CANCELLED)
            if closed:  # its thread is archived: reopened for the edit only
                await threads.unarchive_thread(self.bot, item.request)
            await threads.render_card(self.bot, item)
            if closed:
                await threads.set_archived(self.bot, item.request, True)

    async def _requests_channel(self, session: AsyncSession, guild_id: int) -> int | None:
        settings = await guilds_service.get_settings(session, guild_id)
        return settings.requests_channel_id or settings.recaps_channel_id

    async def send_reminders(self, now: datetime) -> None:
        ids: list[int] = []
        async with self.bot.db.transaction(lock=True) as session:
            for due in await jobs.due_reminders(session, now):
                request = due.request
                channel_id = await self._requests_channel(session, request.guild_id)
                ids += await notifications.enqueue(session, request.guild_id, N.reminders(due, channel_id), now=now)
                await jobs.mark_reminded(session, request.id, due.which)
        await self.bot.notifier.deliver(ids)

    async def send_nudges(self, now: datetime) -> None:
        local = now.astimezone(PARIS)
        ids: list[int] = []
        async with self.bot.db.transaction(lock=True) as session:
            for found in await jobs.nudges(session, now, local.date(), local.hour):
                item = N.nudge(found, now=now, day=local.date().isoformat())
                if item is None:
                    continue  # no channel: nothing recorded, tried again once configured
                ids += await notifications.enqueue(session, found.settings.guild_id, [item], now=now)
                await jobs.mark_nudged(session, [r.id for r in found.requests], local.date())
        await self.bot.notifier.deliver(ids)

    async def prompt_passed(self, now: datetime) -> None:
        ids: list[int] = []
        async with self.bot.db.transaction(lock=True) as session:
            for due in await jobs.passed_sessions(session, now):
                request = due.request
                channel_id = await self._requests_channel(session, request.guild_id)
                ids += await notifications.enqueue(session, request.guild_id, [N.passed(request, channel_id)], now=now)
                await jobs.mark_prompted(session, request.id)
        await self.bot.notifier.deliver(ids)

    async def purge(self, now: datetime) -> None:
        day = now.astimezone(PARIS).date()
        if self._purged_on == day:
            return
        async with self.bot.db.transaction(lock=True) as session:
            purged = await retention.purge_expired(session, now)
        self._purged_on = day
        if purged:
            log.info("Purged the free text of %d closed requests (retention)", len(purged))
            await self.bot.redactor.job()  # their cards in the threads
