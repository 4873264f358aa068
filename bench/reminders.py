"""Reminder lateness on the real clock (issue 17: within one minute of the due time).

A fresh SQLite database (migrated with Alembic) holds events whose 1-hour reminders fall due
every 7 seconds over the next `seconds`. The sweep does what `cogs.events.reminders.sweep` does (the
services `has_due_reminders`, `next_reminder_due`, `take_due_reminders`), driven by an
APScheduler `AsyncIOScheduler` on the wall clock like the bot's: every minute, plus a one-off
wake-up at the exact due time of a reminder due before the next sweep. Halfway, the "process"
stops exactly at a due moment and comes back `--down` seconds later, with the sweep the bot
runs as soon as it is ready. Lateness = when the sweep took the reminder − when it was due.

    python -m bench reminders [--seconds 150] [--down 5]
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alembic import command
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import PARIS
from bot.db import Database
from bot.migrations import alembic_config
from bot.services import guilds, members
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import reminders
from bot.services.events.rules import EventDraft
from bot.services.members import ProfileChanges
from cogs.events.reminders import REMINDER_MINUTES

GUILD = 1
STEP = timedelta(seconds=7)  # a reminder falls due every 7 seconds


def now() -> datetime:
    return datetime.now(UTC)


async def _prepare(db: Database, count: int, first_due: datetime) -> dict[int, datetime]:
    async with db.transaction() as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
    async with db.transaction(lock=True) as session:
        await members.update_profile(
            session,
            GUILD,
            42,
            "Promeneur",
            ProfileChanges(territory="63", strand="youth", joined_on=date(2020, 1, 1)),
            today=now().astimezone(PARIS).date(),
        )
    due: dict[int, datetime] = {}
    for i in range(count):
        start = first_due + i * STEP + timedelta(hours=1)
        async with db.transaction() as session:
            event = await events_service.create_event(
                session,
                GUILD,
                EventDraft(
                    title=f"Réunion {i}",
                    type="other",
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    format="remote",
                    link="https://visio.example.org/r",
                    reminders="1",
                ),
                now=now(),
            )
        async with db.transaction(lock=True) as session:
            await regs.register(session, GUILD, event.id, 42, now=now())
        due[event.id] = start - timedelta(hours=1)
    return due


async def run(seconds: int = 150, down: int = 5) -> dict[str, object]:
    # The stop interrupts a sweep at the due moment (that is the scenario): not an error here.
    logging.getLogger("apscheduler").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'reminders.db'}"
        await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
        db = Database(url)
        first_due = now() + timedelta(seconds=15)
        count = int(seconds / STEP.total_seconds())
        due = await _prepare(db, count, first_due)
        taken: dict[int, datetime] = {}
        current: list[AsyncIOScheduler] = []

        async def sweep() -> None:  # what cogs.events.reminders.sweep does, without Discord
            at = now()
            async with db.transaction() as session:
                due_now = await reminders.has_due_reminders(session, now=at, guild_ids=[GUILD])
                upcoming = await reminders.next_reminder_due(
                    session, now=at, within=timedelta(minutes=REMINDER_MINUTES, seconds=5), guild_ids=[GUILD]
                )
            if upcoming is not None and current:
                current[-1].add_job(
                    sweep,
                    DateTrigger(run_date=upcoming, timezone=PARIS),
                    id="at",
                    replace_existing=True,
                    misfire_grace_time=None,
                )
            if not due_now:
                return
            async with db.transaction(lock=True) as session:
                for item in await reminders.take_due_reminders(session, now=at, guild_ids=[GUILD]):
                    taken[item.event.id] = at

        def start() -> AsyncIOScheduler:
            scheduler = AsyncIOScheduler(timezone=PARIS)
            scheduler.add_job(
                sweep, IntervalTrigger(minutes=REMINDER_MINUTES, timezone=PARIS), coalesce=True, max_instances=1
            )
            scheduler.start()
            current.append(scheduler)
            return scheduler

        scheduler = start()
        await sweep()  # the bot sweeps once as soon as it is ready
        restart_at = sorted(due.values())[count // 2]
        await asyncio.sleep((restart_at - now()).total_seconds())
        scheduler.shutdown(wait=False)  # the process stops at a due moment…
        await asyncio.sleep(down)
        scheduler = start()  # …and is back `down` seconds later: the first sweep when ready
        await sweep()
        await asyncio.sleep(max(0.0, (max(due.values()) - now()).total_seconds()) + 60 * REMINDER_MINUTES + 1)
        scheduler.shutdown(wait=False)
        await db.dispose()
    late = {i: (taken[i] - due[i]).total_seconds() for i in taken}
    restarted = [late[i] for i in due if due[i] <= restart_at + timedelta(seconds=down) and due[i] >= restart_at]
    return {
        "reminders": count,
        "sent": len(taken),
        "interval": 60 * REMINDER_MINUTES,
        "down": down,
        "median": statistics.median(late.values()),
        "max": max(late.values()),
        "max_across_restart": max(restarted) if restarted else None,
    }


def table(result: dict[str, object]) -> str:
    return (
        f"{result['sent']}/{result['reminders']} reminders sent · sweep every {result['interval']} s + a wake-up at each due time\n"
        f"lateness: median {result['median']:.1f} s · max {result['max']:.1f} s · "
        f"due during a {result['down']} s restart: {result['max_across_restart']:.1f} s · goal < 60 s: "
        + ("ok" if result["sent"] == result["reminders"] and float(result["max"]) < 60 else "MISSED")  # type: ignore[arg-type]
    )
