"""The year-end recap (DESIGN.md §3, definitions in docs/recap.md): the figures of a calendar
year per scope, assembled from the features' own figures (`bot.services.events.figures`,
`bot.services.requests.figures`, `bot.services.watch.figures`), the Promeneurs' and the
activities' figures (`members`, `activities`) and the evaluation indicators (`evaluation`);
imported figures (`history`) replace the computed value of the same (year, scope, indicator).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member, MemberPeriod, Territory
from bot.db.models.activity import COORDINATION, PRESENTATION
from bot.db.models.requests import INDIVIDUAL, TEAM
from bot.services import indicators as indicators_service
from bot.services import survey as survey_service
from bot.services.events import figures as event_figures
from bot.services.periods import ALL, SHARED, Window
from bot.services.recap import evaluation, history
from bot.services.recap.activities import Totals, activity_totals, activity_totals_by_window
from bot.services.recap.data import YearRecap
from bot.services.recap.indicators import (
    ACCOMP_INDIVIDUAL,
    ACCOMP_TEAM,
    ACCOMPANIMENTS,
    ARRIVALS,
    AT_YEAR_END,
    ATTENDANCE,
    COORDINATION_HOURS,
    DEPARTURES,
    FILL_RATE,
    PARENTING_COUNT,
    PRESENTATIONS,
    PROFESSIONS,
    PROMENEURS,
    REACHED,
    REGISTERED,
    REGISTRATION_RATE,
    SESSION_DAYS,
    SESSIONS,
    SESSIONS_HYBRID,
    SESSIONS_IN_PERSON,
    SESSIONS_REMOTE,
    STRUCTURE_TYPES,
    YOUTH_COUNT,
    Figure,
    Figures,
)
from bot.services.recap.members import (
    member_figures_by_window,
    profession_distribution,
    structure_type_distribution,
)
from bot.services.requests import figures as request_figures
from bot.services.watch import figures as watch_figures

FIRST_YEAR_SPAN = 10  # the evolution table covers at most this many years
MEMBER_COUNTS = (PROMENEURS, YOUTH_COUNT, PARENTING_COUNT, AT_YEAR_END, ARRIVALS, DEPARTURES)

Imported = dict[tuple[str, str], tuple[float | None, str | None]]  # (scope, indicator) -> (value, note)


async def territory_names(session: AsyncSession, guild_id: int) -> dict[str, str]:
    rows = await session.execute(
        select(Territory.code, Territory.name).where(Territory.guild_id == guild_id).order_by(Territory.code)
    )
    return {code: name for code, name in rows}


async def computed_year(
    session: AsyncSession, guild_id: int, year: int, codes: list[str]
) -> dict[str, dict[str, float | None]]:
    """scope -> indicator -> computed value (None: a rate with no capacity to divide by)."""
    return (await computed_years(session, guild_id, [year], codes))[year]


async def computed_years(
    session: AsyncSession,
    guild_id: int,
    years: list[int],
    codes: list[str],
    *,
    activities_read: Mapping[int, Totals] | None = None,
) -> dict[int, dict[str, dict[str, float | None]]]:
    """year -> `computed_year`, every year in the same queries: each figure is one query
    grouped by year and scope (`bot.services.periods.WindowTable`). `activities_read`: the
    activity totals of some years already read by the caller (every kind), not read again."""
    windows = [Window.year(y) for y in years]
    members = await member_figures_by_window(session, guild_id, windows)
    known = {Window.year(y): totals for y, totals in (activities_read or {}).items()}
    activities = known | await activity_totals_by_window(
        session, guild_id, [w for w in windows if w not in known], kinds=(PRESENTATION, COORDINATION)
    )
    sessions = await event_figures.figures_by_window(session, guild_id, windows)
    accompaniments = await request_figures.figures_by_window(session, guild_id, windows, done_only=True)
    extra = await evaluation.figures_by_window(session, guild_id, windows, members)
    return {
        w.first.year: _year_figures(codes, members[w], activities[w], sessions[w], accompaniments[w], extra[w])
        for w in windows
    }


def _year_figures(
    codes: list[str],
    members: dict[str, dict[str, int]],
    activities: Totals,
    sessions: dict[str, event_figures.SessionFigures],
    accompaniments: dict[str, request_figures.ScopeFigures],
    extra: dict[str, dict[str, float]],
) -> dict[str, dict[str, float | None]]:
    """scope -> indicator -> value of one year, from the features' figures of that year."""
    out: dict[str, dict[str, float | None]] = {}
    for scope in (ALL, *codes, SHARED):
        f: dict[str, float | None] = {}
        if scope != SHARED:
            m = members.get(scope, {})
            f.update({key: m.get(key, 0) for key in MEMBER_COUNTS})
            f[STRUCTURE_TYPES] = m.get(STRUCTURE_TYPES, 0)
            f[PROFESSIONS] = m.get(PROFESSIONS, 0)
        if scope == ALL:
            f[PRESENTATIONS] = sum(q for (_, k), (_, q) in activities.items() if k == PRESENTATION)
            f[COORDINATION_HOURS] = sum(q for (_, k), (_, q) in activities.items() if k == COORDINATION)
        else:
            f[PRESENTATIONS] = activities.get((scope, PRESENTATION), (0, 0.0))[1]
            f[COORDINATION_HOURS] = activities.get((scope, COORDINATION), (0, 0.0))[1]
        s = sessions.get(scope, event_figures.SessionFigures())
        f[SESSIONS] = s.sessions
        f[SESSIONS_IN_PERSON] = s.in_person
        f[SESSIONS_REMOTE] = s.remote
        f[SESSIONS_HYBRID] = s.hybrid
        f[SESSION_DAYS] = s.days
        f[ATTENDANCE] = s.attendance
        f[REGISTERED] = s.registered
        f[REACHED] = s.reached
        f[REGISTRATION_RATE] = s.registration_rate
        f[FILL_RATE] = s.fill_rate
        a = accompaniments.get(scope, request_figures.ScopeFigures())
        f[ACCOMPANIMENTS] = a.done
        f[ACCOMP_INDIVIDUAL] = a.done_by_kind.get(INDIVIDUAL, 0)
        f[ACCOMP_TEAM] = a.done_by_kind.get(TEAM, 0)
        e = extra.get(scope, {})
        f.update({key: e.get(key, 0) for key in indicators_service.CODES})
        out[scope] = f
    return out


def overlay(computed: dict[str, dict[str, float | None]], imported: Imported) -> dict[str, Figures]:
    """Imported values replace computed ones; "reunions" imported as a split is summed."""
    out: dict[str, Figures] = {}
    imported_scopes = {scope for scope, _ in imported}
    # A Figure is frozen: one instance per computed value (and type: 0 is not 0.0) serves every
    # scope and indicator that has it (tens of thousands of figures over ten years).
    shared: dict[tuple[type, float | None], Figure] = {}
    for scope, values in computed.items():
        figures = {}
        for key, value in values.items():
            figure = shared.get((type(value), value))
            if figure is None:
                figure = shared[(type(value), value)] = Figure(value)
            figures[key] = figure
        out[scope] = figures
        if scope not in imported_scopes:
            continue
        # A year imported for this scope: what the file does not give and the bot has
        # no data for is unknown, not zero.
        for key in history.INDICATORS:
            if not figures.get(key, Figure(None)).value:
                figures[key] = Figure(None)
        for key in history.INDICATORS:
            if (scope, key) in imported:
                value, note = imported[(scope, key)]
                figures[key] = Figure(value, True, note)
        in_person, remote = imported.get((scope, SESSIONS_IN_PERSON)), imported.get((scope, SESSIONS_REMOTE))
        if (scope, SESSIONS) not in imported and in_person is not None and remote is not None:
            figures[SESSIONS] = Figure((in_person[0] or 0) + (remote[0] or 0), True, None)
        if (scope, SESSIONS) in imported and (scope, SESSIONS_IN_PERSON) not in imported:
            figures[SESSIONS_IN_PERSON] = Figure(None, True)
            figures[SESSIONS_REMOTE] = Figure(None, True)
    return out


async def first_year(session: AsyncSession, guild_id: int, year: int) -> int:
    """The evolution table starts at the first imported year or the first member's year."""
    candidates = [year]
    imported_years = await history.years(session, guild_id)
    if imported_years:
        candidates.append(imported_years[0])
    joined = await session.scalar(select(func.min(Member.joined_on)).where(Member.guild_id == guild_id))
    if joined is not None:
        candidates.append(joined.year)
    return max(min(candidates), year - FIRST_YEAR_SPAN + 1)


async def year_recap(session: AsyncSession, guild_id: int, year: int, *, now: datetime) -> YearRecap:
    """The whole year-end recap: synthesis, evolution, charts' data, survey."""
    names = await territory_names(session, guild_id)
    used = await session.scalars(
        select(MemberPeriod.territory_code).where(MemberPeriod.guild_id == guild_id).distinct()
    )
    for code in used:
        if code and code not in names:
            names[code] = code
    codes = sorted(names)
    start = await first_year(session, guild_id, year)
    years = list(range(start, year + 1))
    imported: dict[int, Imported] = {}
    for row in await history.figures(session, guild_id, years):
        imported.setdefault(row.year, {})[(row.territory_code, row.indicator)] = (row.value, row.note)
    w = Window.year(year)
    activities = await activity_totals(session, guild_id, w)
    computed = await computed_years(session, guild_id, years, codes, activities_read={year: activities})
    evolution = {y: overlay(computed[y], imported.get(y, {})) for y in years}
    coordination = [(s, q) for (s, k), (_, q) in activities.items() if k == COORDINATION]
    total_hours = sum(q for _, q in coordination)
    split = sorted(
        ((s, q, q / total_hours if total_hours else 0.0) for s, q in coordination),
        key=lambda x: (x[0] == SHARED, x[0]),
    )
    campaign = await survey_service.last_closed_of_year(session, guild_id, year, now=now)
    results = await survey_service.results(session, campaign) if campaign else None
    watch = await watch_figures.figures(session, guild_id, w)
    return YearRecap(
        guild_id=guild_id,
        year=year,
        territories=names,
        synthesis=evolution[year],
        evolution_years=years,
        evolution=evolution,
        activities=activities,
        coordination_split=split,
        structure_types=await structure_type_distribution(session, guild_id, w),
        survey=results,
        generated_at=now,
        professions=await profession_distribution(session, guild_id, w),
        digests=watch.digests,
        digest_links=watch.items,
        indicator_months=await evaluation.months_of_year(session, guild_id, year),
    )
