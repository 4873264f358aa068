"""The bot's one scheduler (APScheduler 3, AsyncIOScheduler, Europe/Paris).

Started in `setup_hook`, shut down in `close()`. Its job store is in memory and rebuilt
from the database at start: one cron job per (server, kind of post), plus the outbox's sweep
(missed occurrences, abandoned and failed posts, every 2 minutes). Jobs take ids and re-read state; what they post is guarded by the outbox's
idempotency key, so a job that fires twice posts once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import PARIS
from bot.services.schedules import DAILY, MONTHLY, WEEKLY, YEARLY, ScheduleValue

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(value: ScheduleValue, *, yearly_days: str | None = None, second: int = 0) -> CronTrigger:
    """The cron trigger for a schedule, in Europe/Paris (daylight saving handled);
    `second`: a server's jitter within the minute (`bot.outbox.jitter_seconds`)."""
    fields: dict[str, object] = {"hour": value.hour, "minute": value.minute, "second": second}
    if value.frequency == WEEKLY:
        fields["day_of_week"] = _DAYS[value.weekday or 0]
    elif value.frequency == MONTHLY:
        fields["day"] = value.day_of_month or 1
    elif value.frequency == YEARLY:
        fields["month"] = 1
        fields["day"] = yearly_days or value.day_of_month or 2
        if yearly_days:
            fields["day_of_week"] = "mon-fri"
    elif value.frequency != DAILY:
        raise ValueError(f"unknown frequency {value.frequency!r}")
    return CronTrigger(timezone=PARIS, **fields)


def last_fire_time(trigger: CronTrigger, now: datetime, *, lookback: timedelta) -> datetime | None:
    """The latest time at or before `now` when `trigger` fired, within `lookback`."""
    fire = trigger.get_next_fire_time(None, now - lookback)
    last = None
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return last


class Scheduler:
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self._aps = AsyncIOScheduler(timezone=PARIS)

    def start(self) -> None:
        self.every(self.bot.outbox.sweep, minutes=2, job_id="outbox:sweep")
        self._aps.start()

    def shutdown(self) -> None:
        if self._aps.running:
            self._aps.shutdown(wait=False)

    def every(self, func, *, minutes: int = 0, job_id: str, seconds: int = 0) -> None:
        """Run `func()` every `minutes` (and `seconds`) (sweeps: reminders, nudges). Jobs read
        `bot.now()` and guard their effects in the database, so a late or repeated run does no
        harm."""
        self._aps.add_job(
            func,
            IntervalTrigger(minutes=minutes, seconds=seconds, timezone=PARIS),
            id=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )

    def remove(self, job_id: str) -> None:
        """Remove the job `job_id` if it is planned (a feature unloaded)."""
        if self._aps.get_job(job_id):
            self._aps.remove_job(job_id)

    def at(self, func, when: datetime, *, job_id: str) -> None:
        """Run `func()` once at `when` (replacing the job `job_id` if already planned): a
        precise wake-up between two sweeps, e.g. for a reminder due at 13:00:07."""
        self._aps.add_job(
            func,
            DateTrigger(run_date=when, timezone=PARIS),
            id=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )

    def fire_times(self, job_id: str, start: datetime, end: datetime) -> list[datetime]:
        """When the job `job_id` fires between `start` and `end` (from its real trigger)."""
        job = self._aps.get_job(job_id)
        if job is None:
            return []
        times, previous = [], None
        fire = job.trigger.get_next_fire_time(None, start)
        while fire is not None and fire <= end:
            times.append(fire)
            previous = fire
            fire = job.trigger.get_next_fire_time(previous, fire + timedelta(microseconds=1))
        return times

    def cron(self, func, trigger: CronTrigger, *, job_id: str, args: tuple = ()) -> None:
        """Run `func(*args)` on a cron trigger (Europe/Paris)."""
        self._aps.add_job(
            func,
            trigger,
            args=args,
            id=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )

    def job_id(self, guild_id: int, kind: str) -> str:
        return f"post:{kind}:{guild_id}"

    def set_post_job(self, guild_id: int, kind: str, trigger: CronTrigger | None) -> None:
        """(Re)place the job that posts `kind` in `guild_id`; None removes it."""
        job_id = self.job_id(guild_id, kind)
        if trigger is None:
            self.remove(job_id)
            return
        self.cron(self.bot.outbox.fire, trigger, job_id=job_id, args=(guild_id, kind))

    def next_fire_time(self, guild_id: int, kind: str) -> datetime | None:
        job = self._aps.get_job(self.job_id(guild_id, kind))
        return job.next_run_time if job else None
