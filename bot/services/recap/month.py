"""The monthly summary (DESIGN.md §3): arrivals and departures, the requests, the network
sessions and the watch of a calendar month, from each feature's own figures."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.events import figures as event_figures
from bot.services.periods import ALL, Window
from bot.services.recap.activities import activity_totals
from bot.services.recap.indicators import (
    ARRIVALS,
    AT_YEAR_END,
    ATTENDANCE,
    DEPARTURES,
    REACHED,
    SESSION_DAYS,
    SESSIONS,
    SESSIONS_HYBRID,
    SESSIONS_IN_PERSON,
    SESSIONS_REMOTE,
)
from bot.services.recap.members import member_counts
from bot.services.recap.year import territory_names
from bot.services.requests import figures as request_figures
from bot.services.watch import figures as watch_figures


@dataclass
class MonthSummary:
    guild_id: int
    year: int
    month: int
    territories: dict[str, str]
    arrivals: int
    departures: int
    active_at_end: int
    requests_opened: int
    requests_done: int
    requests_cancelled: int
    sessions: dict[str, dict[str, float]]  # scope -> the sessions held, in person, remote, hybrid, days
    attendance: dict[str, dict[str, float]]  # scope -> attendance, Promeneurs reached
    watch_items: int
    digests: int
    activities: dict[tuple[str, str], tuple[int, float]]

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


async def month_summary(session: AsyncSession, guild_id: int, year: int, month: int) -> MonthSummary:
    w = Window.month(year, month)
    members = (await member_counts(session, guild_id, w)).get(ALL, {})
    requests = (await request_figures.figures(session, guild_id, w)).get(ALL, request_figures.ScopeFigures())
    sessions = await event_figures.figures(session, guild_id, w)
    return MonthSummary(
        guild_id=guild_id,
        year=year,
        month=month,
        territories=await territory_names(session, guild_id),
        arrivals=members.get(ARRIVALS, 0),
        departures=members.get(DEPARTURES, 0),
        active_at_end=members.get(AT_YEAR_END, 0),
        requests_opened=requests.requested,
        requests_done=requests.done,
        requests_cancelled=requests.cancelled,
        sessions={
            scope: {
                SESSIONS: s.sessions,
                SESSIONS_IN_PERSON: s.in_person,
                SESSIONS_REMOTE: s.remote,
                SESSIONS_HYBRID: s.hybrid,
                SESSION_DAYS: s.days,
            }
            for scope, s in sessions.items()
        },
        attendance={scope: {ATTENDANCE: s.attendance, REACHED: s.reached} for scope, s in sessions.items()},
        watch_items=await watch_figures.items_shared(session, guild_id, w),
        digests=(await watch_figures.figures(session, guild_id, w)).digests,
        activities=await activity_totals(session, guild_id, w),
    )
