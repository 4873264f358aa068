"""The figures of several windows in one query (`*_by_window`, the recap's years) are each
window's own figures: the same as asked one window at a time, on data that crosses the years
(members moving territory or leaving mid-year, a session at 23:30 on 31 December Paris time,
help closed at midnight, activities on 31 December and 1 January)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.dates import localize
from bot.db import Database
from bot.services import activity as activity_service
from bot.services import members as members_service
from bot.services.events import attendance as attendance_service
from bot.services.events import figures as event_figures
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import rules as event_rules
from bot.services.indicators import QPV, RURAL
from bot.services.members import ProfileChanges
from bot.services.periods import ALL, SHARED, Window
from bot.services.recap import activities, evaluation, members
from bot.services.recap import indicators as R
from bot.services.recap import year as recap_year
from bot.services.requests import figures as request_figures
from bot.services.requests import lifecycle
from bot.services.requests import rules as request_rules
from bot.services.window_table import WindowTable
from tests.services.recap_network import add_member, add_territories

GUILD = 8
YEARS = [2024, 2025, 2026, 2027]
WINDOWS = [Window.year(y) for y in YEARS]
COORDINATOR = request_rules.Actor(900, "Claire", True)


@pytest.fixture
async def network(db: Database) -> Database:
    return await add_territories(db, GUILD)


async def _member(db: Database, discord_id: int, territory: str, strand: str, joined: date, **kw) -> int:
    return await add_member(db, GUILD, discord_id, territory, strand, joined, **kw)


async def _members_across_the_years(db: Database) -> dict[str, int]:
    """A joins 63 in 2025 and moves to 03 (Parentalité) in September 2026; B (03) leaves on
    30 June 2026; C joins 63 on 31 December 2026; D joins 03 on 1 January 2027."""
    a = await _member(db, 1, "63", "youth", date(2025, 3, 1), structure_type="Centre social", priority_district=True)
    b = await _member(
        db, 2, "03", "parenting", date(2024, 5, 1), structure_type="Médiathèque", profession="Référent·e famille"
    )
    async with db.transaction(lock=True) as session:
        await members_service.update_profile(
            session, GUILD, 2, "M2", ProfileChanges(rural_area=True), today=date(2024, 6, 1)
        )
    c = await _member(db, 3, "63", "youth", date(2026, 12, 31), profession="Animateur·rice RPE")
    d = await _member(db, 4, "03", "youth", date(2027, 1, 1), structure_type="Centre social")
    async with db.transaction(lock=True) as session:
        await members_service.update_profile(
            session, GUILD, 1, "M1", ProfileChanges(territory="03", strand="parenting"), today=date(2026, 9, 1)
        )
        await members_service.record_departure(session, GUILD, b, date(2026, 6, 30), today=date(2026, 7, 1))
    return {"a": a, "b": b, "c": c, "d": d}


async def test_the_promeneurs_of_several_years_are_each_years_own(network: Database) -> None:
    db = network
    await _members_across_the_years(db)
    async with db.transaction() as session:
        together = await members.member_figures_by_window(session, GUILD, WINDOWS)
        counts = {w: await members.member_counts(session, GUILD, w) for w in WINDOWS}
        distincts = {w: await members.distinct_counts(session, GUILD, w) for w in WINDOWS}
    for w in WINDOWS:
        assert {s: {k: f[k] for k in members.COUNTS} for s, f in together[w].items()} == counts[w]
        assert {s: {k: f[k] for k in members.DISTINCTS} for s, f in together[w].items()} == distincts[w]

    def pick(year: int, scope: str, *keys: str) -> tuple[int, ...]:
        return tuple(together[Window.year(year)][scope][k] for k in keys)

    keys = (R.PROMENEURS, R.YOUTH_COUNT, R.PARENTING_COUNT, R.AT_YEAR_END, R.ARRIVALS, R.DEPARTURES)
    assert pick(2024, ALL, *keys) == (1, 0, 1, 1, 1, 0)
    assert "63" not in together[Window.year(2024)]
    assert pick(2025, "63", *keys) == (1, 1, 0, 1, 1, 0)
    assert pick(2025, "03", *keys) == (1, 0, 1, 1, 0, 0)
    # 2026: A counts where they ended the year (03, Parentalité), B where they left, C on
    # their first day.
    assert pick(2026, "03", *keys) == (2, 0, 2, 1, 0, 1)
    assert pick(2026, "63", *keys) == (1, 1, 0, 1, 1, 0)
    assert pick(2026, ALL, *keys) == (3, 1, 2, 2, 1, 1)
    assert pick(2027, ALL, *keys) == (3, 2, 1, 3, 1, 0)
    # Distinct values: over the whole network, not a sum of the territories.
    assert pick(2026, ALL, R.STRUCTURE_TYPES, R.PROFESSIONS) == (2, 2)
    assert pick(2027, ALL, R.STRUCTURE_TYPES, R.PROFESSIONS) == (1, 1)
    assert pick(2027, "03", R.STRUCTURE_TYPES) == (1,)  # A and D: the same type
    # The flags go with the period at the end of the year too.
    assert pick(2025, "63", QPV, RURAL) == (1, 0)
    assert pick(2026, "03", QPV, RURAL) == (1, 1)
    assert pick(2026, "63", QPV) == (0,)
    assert pick(2026, ALL, QPV, RURAL) == (1, 1)
    assert pick(2027, ALL, QPV, RURAL) == (1, 0)


async def _event(db: Database, title: str, starts: datetime, fmt: str, territory: str | None, **kw) -> int:
    async with db.transaction() as session:
        e = await events_service.create_event(
            session,
            GUILD,
            event_rules.EventDraft(
                title=title,
                type="thematic_training",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                format=fmt,
                territory=territory or "commun",
                place=None if fmt == "remote" else "Riom",
                link=None if fmt == "in_person" else "https://visio.example.org",
                **kw,
            ),
            now=starts - timedelta(days=30),
        )
        return e.id


async def test_sessions_and_help_at_the_turn_of_the_year_count_in_their_own_year(network: Database) -> None:
    db = network
    ids = await _members_across_the_years(db)
    # 23:30 on 31 December in Paris is 22:30 UTC: 2026. 00:30 on 1 January is 23:30 UTC on
    # 31 December: 2027.
    eve = await _event(db, "Réveillon", localize(datetime(2026, 12, 31, 23, 30)), "remote", "03", capacity=4)
    new_year = await _event(db, "Nouvel an", localize(datetime(2027, 1, 1, 0, 30)), "in_person", "63")
    older = await _event(db, "2025", localize(datetime(2025, 6, 3, 14)), "hybrid", None, duration_days=0.5)
    cancelled = await _event(db, "Annulée", localize(datetime(2026, 5, 4, 14)), "in_person", "63")
    async with db.transaction(lock=True) as session:
        await events_service.cancel_event(session, GUILD, cancelled, now=localize(datetime(2026, 5, 1, 9)))
        for event_id, starts, who in (
            (eve, datetime(2026, 12, 31, 23, 30), (1, 3)),
            (new_year, datetime(2027, 1, 1, 0, 30), (1, 3, 4)),
            (older, datetime(2025, 6, 3, 14), (1, 2)),
        ):
            for discord_id in who:
                await regs.register(session, GUILD, event_id, discord_id, now=localize(starts) - timedelta(days=2))
            present = [ids["a"]] if event_id != new_year else [ids["a"], ids["d"]]
            shown = [ids[k] for k in ("a", "b", "c", "d")]
            await attendance_service.set_attendance(
                session, GUILD, event_id, shown=shown, present=present, now=localize(starts) + timedelta(hours=1)
            )
        # Help recorded in 2025; one closed at 23:30 on 31 December 2026 (Paris), one at 00:30
        # on 1 January 2027; one cancelled in 2026.
        await lifecycle.record_offline(
            session,
            GUILD,
            ids["b"],
            kind="team",
            mode=None,
            day=date(2025, 11, 5),
            outcome="ok",
            duration_minutes=None,
            people_reached=None,
            actor=COORDINATOR,
            today=date(2025, 11, 5),
            now=localize(datetime(2025, 11, 5, 18)),
        )
        for discord_id, closed in ((1, datetime(2026, 12, 31, 23, 30)), (3, datetime(2027, 1, 1, 0, 30))):
            opened = await lifecycle.create_request(
                session,
                GUILD,
                discord_id,
                kind="individual",
                mode=None,
                subject="Aide",
                details="Instagram",
                availability=None,
                actor_name=f"M{discord_id}",
                now=localize(datetime(2026, 12, 20, 9)),
            )
            await lifecycle.claim(session, GUILD, opened.id, COORDINATOR, now=localize(datetime(2026, 12, 21, 9)))
            await lifecycle.close(
                session,
                GUILD,
                opened.id,
                COORDINATOR,
                outcome="ok",
                duration_minutes=None,
                people_reached=None,
                now=localize(closed),
            )
        dropped = await lifecycle.create_request(
            session,
            GUILD,
            3,
            kind="team",
            mode=None,
            subject="Équipe",
            details="Un projet",
            availability=None,
            actor_name="M3",
            now=localize(datetime(2026, 12, 31, 23, 0)),
        )
        await lifecycle.cancel(
            session, GUILD, dropped.id, request_rules.Actor(3, "M3", False), now=localize(datetime(2026, 12, 31, 23, 5))
        )
    async with db.transaction() as session:
        sessions = await event_figures.figures_by_window(session, GUILD, WINDOWS)
        one_by_one = {w: await event_figures.figures(session, GUILD, w) for w in WINDOWS}
        requests = await request_figures.figures_by_window(session, GUILD, WINDOWS)
        done_only = await request_figures.figures_by_window(session, GUILD, WINDOWS, done_only=True)
        requests_one_by_one = {w: await request_figures.figures(session, GUILD, w) for w in WINDOWS}
    assert sessions == one_by_one
    assert requests == requests_one_by_one
    y2025, y2026, y2027 = (Window.year(y) for y in (2025, 2026, 2027))
    assert sessions[Window.year(2024)] == {ALL: event_figures.SessionFigures()}
    assert (sessions[y2025][SHARED].sessions, sessions[y2025][SHARED].hybrid, sessions[y2025][ALL].days) == (1, 1, 0.5)
    assert set(sessions[y2026]) == {ALL, "03"}  # the cancelled session of 63 is not counted
    eve_figures = sessions[y2026]["03"]
    assert (eve_figures.sessions, eve_figures.remote, eve_figures.capacity) == (1, 1, 4)
    assert (eve_figures.attendance, eve_figures.registered, eve_figures.reached) == (1, 2, 1)
    assert (sessions[y2027]["63"].sessions, sessions[y2027][ALL].attendance, sessions[y2027][ALL].reached) == (1, 2, 2)
    # A was present in 2025, 2026 and 2027: reached once per year, each year.
    assert [sessions[w][ALL].reached for w in (y2025, y2026, y2027)] == [1, 1, 2]
    # Help: the year of its closing instant in Paris; requests made in the year they were made.
    assert requests[y2025]["03"] == request_figures.ScopeFigures(requested=1, done=1, done_by_kind={"team": 1})
    assert requests[y2026][ALL] == request_figures.ScopeFigures(
        requested=3, done=1, cancelled=1, done_by_kind={"individual": 1}
    )
    assert requests[y2027][ALL] == request_figures.ScopeFigures(done=1, done_by_kind={"individual": 1})
    # done_only: the same requests done, nothing else.
    for w in WINDOWS:
        assert {s: (f.done, f.done_by_kind) for s, f in done_only[w].items() if f.done} == {
            s: (f.done, f.done_by_kind) for s, f in requests[w].items() if f.done
        }
        assert all(f.requested == f.cancelled == 0 for f in done_only[w].values())
    # The year recap's figures of every year at once are each year's own.
    async with db.transaction() as session:
        codes = ["03", "63"]
        every_year = await recap_year.computed_years(session, GUILD, YEARS, codes)
        each_year = {y: await recap_year.computed_year(session, GUILD, y, codes) for y in YEARS}
        flags = {w: await evaluation.year_figures(session, GUILD, w) for w in WINDOWS}
    assert every_year == each_year
    assert every_year[2026]["03"][R.SESSIONS] == 1 and every_year[2027]["03"][R.SESSIONS] == 0
    assert every_year[2026][ALL][R.ACCOMPANIMENTS] == 1 and every_year[2027][ALL][R.ACCOMPANIMENTS] == 1
    assert every_year[2026]["03"][QPV] == flags[y2026]["03"][QPV] == 1
    assert every_year[2026][ALL][RURAL] == flags[y2026][ALL][RURAL] == 1


async def test_activities_of_overlapping_and_repeated_windows(network: Database) -> None:
    db = network
    await _member(db, 30, "63", "youth", date(2025, 1, 1))
    async with db.transaction() as session:
        for day, territory, kind, quantity in (
            (date(2026, 12, 31), "63", "presentation", 2),
            (date(2027, 1, 1), "63", "presentation", 1),
            (date(2027, 3, 1), None, "coordination", 10),
            (date(2027, 3, 31), "03", "coordination", 4.5),
        ):
            await activity_service.log_activity(
                session,
                GUILD,
                900,
                kind,
                quantity=quantity,
                territory=territory,
                day=day,
                today=date(2027, 12, 31),
                is_coordinator=True,
            )
    march = Window.month(2027, 3)
    windows = [Window.year(2026), Window.year(2027), march, Window.year(2027)]  # a month inside a year, a repeat
    async with db.transaction() as session:
        together = await activities.activity_totals_by_window(session, GUILD, windows)
        alone = {w: await activities.activity_totals(session, GUILD, w) for w in windows}
        kinds = await activities.activity_totals_by_window(session, GUILD, windows, kinds=("presentation",))
    assert together == alone
    assert together[Window.year(2026)] == {("63", "presentation"): (1, 2.0)}
    assert together[Window.year(2027)] == {
        ("63", "presentation"): (1, 1.0),
        (SHARED, "coordination"): (1, 10.0),
        ("03", "coordination"): (1, 4.5),
    }
    assert together[march] == {(SHARED, "coordination"): (1, 10.0), ("03", "coordination"): (1, 4.5)}
    assert kinds[march] == {}
    assert len(WindowTable(windows).windows) == 3
    async with db.transaction() as session:
        assert await activities.activity_totals_by_window(session, GUILD, []) == {}
        assert await event_figures.figures_by_window(session, GUILD, []) == {}
