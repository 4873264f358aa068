"""The reminders' sweep: every minute, queue the reminders that are due in the transaction
that records them as sent (each once, see `bot.services.events.reminders`), then deliver them
(see bot.notifier). A reminder due before the next sweep gets a wake-up at its exact time;
one sweep runs as soon as the bot is ready after a start (a reminder due while it was down).
See bench/reminders.py."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.services import notifications
from bot.services.events import reminders
from cogs.events import _notify as N
from cogs.events._actions import fallback_channel

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)

REMINDER_JOB = "events:reminders"
REMINDER_AT_JOB = "events:reminder-at"
REMINDER_MINUTES = 1  # the sweep; a reminder due before the next one gets a precise wake-up


async def sweep(bot: PdnBot, job: Callable[[], Awaitable[None]]) -> None:
    """One sweep; `job` is what the scheduler runs (planned again at a precise due time)."""
    if not bot.is_ready():
        return  # the servers are not known yet: the next run sends them
    now = bot.now()
    guild_ids = [guild.id for guild in bot.guilds]
    ids: list[int] = []
    async with bot.db.transaction() as session:  # most sweeps find nothing: no write lock
        due = await reminders.has_due_reminders(session, now=now, guild_ids=guild_ids)
        upcoming = await reminders.next_reminder_due(
            session, now=now, within=timedelta(minutes=REMINDER_MINUTES, seconds=5), guild_ids=guild_ids
        )
    if upcoming is not None:
        bot.scheduler.at(job, upcoming, job_id=REMINDER_AT_JOB)
    if not due:
        return
    async with bot.db.transaction(lock=True) as session:
        for item in await reminders.take_due_reminders(session, now=now, guild_ids=guild_ids):
            event = item.event
            channel_id = await fallback_channel(session, event)
            ids += await notifications.enqueue(
                session,
                event.guild_id,
                N.reminders(event, item.hours_before, item.recipients, channel_id),
                now=now,
            )
    await bot.notifier.deliver(ids)


async def first_sweep(bot: PdnBot, job: Callable[[], Awaitable[None]]) -> None:
    """The sweep as soon as the bot is ready after a start."""
    try:
        await bot.wait_until_ready()
    except RuntimeError:  # discord.py: a bot built but never started (a tool, a test) is never ready
        return
    try:
        await job()
    except Exception:
        log.exception("The first reminder sweep failed; the next one runs within a minute")
