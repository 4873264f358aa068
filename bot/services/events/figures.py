"""The figures of the network sessions (DESIGN.md §3, "Network sessions"), per scope
(`bot.services.periods`: a territory's code, `SHARED` for the « commun » sessions, `ALL` for
the whole network, each session counted once), for the events not cancelled that start in a
`Window`:

- sessions held; in person = in person + hybrid (hybrid also counted apart); remote;
- days: sum of `duration_days` (half day = 0.5);
- places: sum of the capacities of the sessions that have one;
- attendance: registrations marked present (walk-ins included);
- registered (« inscrits »): registrations still registered (not waitlisted, not withdrawn)
  to the sessions that have a capacity, the numerator of the registration rate;
- registration rate = registered / places, fill rate = present at the sessions with a
  capacity / places (None when no session has a capacity);
- Promeneurs reached: distinct members marked present (distinct over the whole scope).

Each figure is one SQL aggregation grouped by territory, and by window when several windows
are asked at once (`figures_by_window`: the recap's years).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, distinct, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.events import HYBRID, IN_PERSON, REGISTERED, REMOTE, Event, EventRegistration
from bot.services.periods import ALL, Window, scopes
from bot.services.window_table import WindowTable


@dataclass
class SessionFigures:
    """The figures of one scope (see the module doc)."""

    sessions: int = 0
    in_person: int = 0  # hybrid included
    remote: int = 0
    hybrid: int = 0
    days: float = 0.0
    capacity: int = 0
    attendance: int = 0
    registered: int = 0  # over the sessions that have a capacity
    present_with_capacity: int = 0
    reached: int = 0

    @property
    def registration_rate(self) -> float | None:
        return self.registered / self.capacity if self.capacity else None

    @property
    def fill_rate(self) -> float | None:
        return self.present_with_capacity / self.capacity if self.capacity else None


def _held(guild_id: int, t: WindowTable) -> tuple[ColumnElement[bool], ...]:
    return (
        Event.guild_id == guild_id,
        Event.cancelled_at.is_(None),
        Event.starts_at >= t.start,
        Event.starts_at < t.end,
    )


async def figures(session: AsyncSession, guild_id: int, w: Window) -> dict[str, SessionFigures]:
    """scope -> the session figures of `w`; `ALL` is always there, the other scopes only when
    they held a session."""
    return (await figures_by_window(session, guild_id, [w]))[w]


async def figures_by_window(
    session: AsyncSession, guild_id: int, windows: Iterable[Window]
) -> dict[Window, dict[str, SessionFigures]]:
    """window -> scope -> its session figures (as `figures`), every window in the same three
    queries (grouped by window)."""
    windows = list(windows)
    if not windows:
        return {}
    t = WindowTable(windows)
    one = literal(1)
    out: dict[Window, dict[str, SessionFigures]] = {w: {ALL: SessionFigures()} for w in t.windows}
    sessions = (
        select(
            t.key,
            Event.territory_code,
            func.count(),
            func.sum(case((Event.format.in_((IN_PERSON, HYBRID)), one), else_=0)),
            func.sum(case((Event.format == REMOTE, one), else_=0)),
            func.sum(case((Event.format == HYBRID, one), else_=0)),
            func.coalesce(func.sum(Event.duration_days), 0.0),
            func.coalesce(func.sum(Event.capacity), 0),
        )
        .select_from(t.table)
        .join(Event, and_(*_held(guild_id, t)))
        .group_by(t.key, Event.territory_code)
    )
    for key, territory, count, in_person, remote, hybrid, days, capacity in await session.execute(sessions):
        for scope in scopes(territory):
            s = out[t[key]].setdefault(scope, SessionFigures())
            s.sessions += count
            s.in_person += int(in_person or 0)
            s.remote += int(remote or 0)
            s.hybrid += int(hybrid or 0)
            s.days += float(days or 0)
            s.capacity += int(capacity or 0)

    present = EventRegistration.attended.is_(True)
    with_capacity = Event.capacity.is_not(None)
    registrations = (
        select(
            t.key,
            Event.territory_code,
            func.sum(case((present, one), else_=0)),
            func.sum(case((and_(with_capacity, EventRegistration.status == REGISTERED), one), else_=0)),
            func.sum(case((and_(with_capacity, present), one), else_=0)),
            func.count(distinct(case((present, EventRegistration.member_id)))),
        )
        .select_from(t.table)
        .join(Event, and_(*_held(guild_id, t)))
        .join(EventRegistration, EventRegistration.event_id == Event.id)
        .group_by(t.key, Event.territory_code)
    )
    for key, territory, attended, registered, present_cap, reached in await session.execute(registrations):
        for scope in scopes(territory):
            s = out[t[key]].setdefault(scope, SessionFigures())
            s.attendance += int(attended or 0)
            s.registered += int(registered or 0)
            s.present_with_capacity += int(present_cap or 0)
            if scope != ALL:
                s.reached = int(reached or 0)
    reached_overall = (
        select(t.key, func.count(distinct(EventRegistration.member_id)))
        .select_from(t.table)
        .join(Event, and_(*_held(guild_id, t)))
        .join(EventRegistration, EventRegistration.event_id == Event.id)
        .where(present)
        .group_by(t.key)
    )
    for key, reached in await session.execute(reached_overall):
        out[t[key]][ALL].reached = int(reached or 0)
    return out
