"""Reminders fire within one minute of their due time (issue 17), measured with a controlled
clock: the sweep (every minute, its real APScheduler trigger) plans a wake-up at the exact due
time of a reminder due before the next sweep, and a bot that was down at the due moment sends
the reminder as soon as it is back. (The real-clock measurement is `python -m bench
reminders`, see bench/README.md.)"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.dates import parse_datetime
from bot.db import Database
from bot.db.models.events import EventReminder
from cogs.events.reminders import REMINDER_AT_JOB, REMINDER_JOB

EVENT = dict(
    titre="Réunion d'accueil",
    type="welcome_meeting",
    debut="22/06/2027 14h",
    fin="15h30",
    format="remote",
    lien="https://visio.example.org/accueil",
    territoire="commun",
    rappels="1",
)
DUE = parse_datetime("22/06/2027 13h")  # one hour before the start


def reminders(member) -> list[str]:
    return [m.content for m in member.user.dm_channel.history() if m.content.startswith("Rappel")]


async def _sent_at(db: Database):
    async with db.transaction() as session:
        return await session.scalar(select(EventReminder.sent_at))


async def test_a_sweep_plans_a_wake_up_at_the_exact_due_time(profiles, simcord_bot, clock, db) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **EVENT)
    await w.alice.slash(w.general, "evenement inscrire", evenement="1")
    cog = simcord_bot.get_cog("Events")
    sweeps = simcord_bot.scheduler.fire_times(REMINDER_JOB, DUE - timedelta(minutes=3), DUE + timedelta(minutes=3))
    assert {b - a for a, b in zip(sweeps, sweeps[1:], strict=False)} == {timedelta(minutes=1)}
    # The last sweep before the due time (13:00:00) finds nothing due yet…
    before = max(t for t in sweeps if t < DUE)
    clock.set(before)
    await cog.reminder_job()
    assert reminders(w.alice) == []
    # …and plans a wake-up at 13:00:00 exactly (the real trigger of the planned job).
    planned = simcord_bot.scheduler.fire_times(REMINDER_AT_JOB, before, before + timedelta(minutes=2))
    assert planned == [DUE]
    clock.set(planned[0])  # the wake-up runs
    await cog.reminder_job()
    assert len(reminders(w.alice)) == 1
    assert await _sent_at(db) == DUE  # lateness 0 on the controlled clock (the bench: real clock)


async def test_a_reminder_due_during_a_restart_is_sent_as_soon_as_the_bot_is_back(
    profiles, make_bot, clock, db
) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **EVENT)
    await w.alice.slash(w.general, "evenement inscrire", evenement="1")
    clock.set(DUE - timedelta(seconds=5))
    await w.env.bot.get_cog("Events").reminder_job()
    assert reminders(w.alice) == []

    clock.set(DUE + timedelta(seconds=3))  # the process restarts at the due moment
    await w.env.restart_bot(make_bot())
    await w.env.settle()
    assert reminders(w.alice) == [
        "Rappel\u00a0: **Réunion d'accueil** commence le mardi 22 juin 2027 à 14 h."
        "\nLien de visio\u00a0: https://visio.example.org/accueil"
    ]
    assert await _sent_at(db) - DUE == timedelta(seconds=3)
    await w.env.bot.get_cog("Events").reminder_job()  # the next sweep sends nothing again
    assert len(reminders(w.alice)) == 1
