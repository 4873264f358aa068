"""Events service on the real migrated database: validation, registration, the waitlist,
the concurrent last-seat race, attendance, reminders and the recap figures."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.dates import parse_datetime
from bot.db import Database
from bot.db.models.events import (
    HYBRID,
    IN_PERSON,
    REGISTERED,
    REMOTE,
    WAITLISTED,
    WALK_IN,
    Event,
    EventRegistration,
)
from bot.db.models.member import PARENTING, YOUTH
from bot.errors import ConflictError, NotFoundError, UserError, ValidationError
from bot.services import guilds, members
from bot.services.events import attendance as attendance_service
from bot.services.events import figures as event_figures
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import reminders, seats
from bot.services.events.rules import EventChanges, EventDraft
from bot.services.members import ProfileChanges
from bot.services.periods import ALL, SHARED, Window
from bot.services.recap import indicators as R
from bot.services.recap import year as recap_year

GUILD = 2002
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)  # Monday 10:00 Paris
TODAY = date(2027, 6, 14)


def draft(**overrides) -> EventDraft:
    values = dict(
        title="Démarrer et progresser sur les réseaux sociaux",
        type="thematic_training",
        starts_at=parse_datetime("22/06/2027 9h30"),
        ends_at=parse_datetime("22/06/2027 16h30"),
        format=IN_PERSON,
        place="Centre social de Riom",
        territory="63",
    )
    values.update(overrides)
    return EventDraft(**values)


async def _setup(db: Database, n_members: int = 0, *, strand: str = YOUTH, joined: date = date(2020, 9, 1)) -> None:
    async with db.transaction() as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        await guilds.add_territory(session, GUILD, "03", "Allier")
    for i in range(n_members):
        async with db.transaction(lock=True) as session:
            await members.update_profile(
                session,
                GUILD,
                10_000 + i,
                f"Promeneur {i:02d}",
                ProfileChanges(territory="63", strand=strand, joined_on=joined),
                today=TODAY,
            )


async def _create(db: Database, **overrides) -> Event:
    async with db.transaction() as session:
        return await events_service.create_event(session, GUILD, draft(**overrides), now=NOW)


async def _register(db: Database, event_id: int, discord_id: int, now: datetime = NOW):
    async with db.transaction(lock=True) as session:
        return await regs.register(session, GUILD, event_id, discord_id, now=now)


async def test_create_computes_duration_and_validates(db: Database) -> None:
    await _setup(db)
    event = await _create(db)
    assert event.duration_days == 1.0
    assert event.territory_code == "63"
    half = await _create(db, ends_at=parse_datetime("22/06/2027 12h00"), territory="commun")
    assert half.duration_days == 0.5 and half.territory_code is None
    two = await _create(db, ends_at=parse_datetime("23/06/2027 17h00"))
    assert two.duration_days == 2.0

    cases = [
        (dict(starts_at=parse_datetime("01/06/2027 9h")), "est déjà passée"),
        (dict(ends_at=parse_datetime("22/06/2027 8h")), "doit être après le début"),
        (dict(title=" "), "Le titre est obligatoire."),
        (dict(title="x" * 101), "Le titre dépasse 100 caractères"),
        (dict(place=None), "Indiquez le lieu"),
        (dict(format=REMOTE, link="pas un lien"), "n'est pas une adresse web valide"),
        (dict(format=REMOTE), "Indiquez le lien de visio"),
        (dict(capacity=-3), "La capacité"),
        (dict(registration_deadline=parse_datetime("23/06/2027 9h")), "doit précéder le début"),
        (dict(registration_deadline=parse_datetime("10/06/2027 9h")), "est déjà passée"),
        (dict(duration_days="0,7"), "n'est pas valide"),
        (dict(territory="75"), "n'est pas configuré"),
        (dict(reminders="demain"), "Rappels «\u00a0demain\u00a0» non valides"),
    ]
    for overrides, message in cases:
        with pytest.raises(UserError) as raised:
            await _create(db, **overrides)
        assert message in raised.value.message, overrides
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Event)) == 3


async def test_spring_dst_gap_is_refused_and_dates_are_utc(db: Database) -> None:
    with pytest.raises(ValidationError, match="n'existe pas"):
        parse_datetime("28/03/2027 2h30")
    await _setup(db)
    event = await _create(db, starts_at=parse_datetime("01/11/2027 9h30"), ends_at=parse_datetime("01/11/2027 12h"))
    assert event.starts_at == datetime(2027, 11, 1, 8, 30, tzinfo=UTC)  # winter time


async def test_registration_waitlist_and_promotion(db: Database) -> None:
    await _setup(db, 4)
    event = await _create(db, capacity=2)
    first = await _register(db, event.id, 10_000)
    second = await _register(db, event.id, 10_001)
    third = await _register(db, event.id, 10_002)
    fourth = await _register(db, event.id, 10_003)
    assert [r.status for r in (first, second, third, fourth)] == [REGISTERED, REGISTERED, WAITLISTED, WAITLISTED]
    assert (third.rank, fourth.rank) == (1, 2)

    with pytest.raises(ConflictError, match="déjà inscrit"):
        await _register(db, event.id, 10_000)
    with pytest.raises(ConflictError, match=r"liste d'attente de cet événement \(position 2\)"):
        await _register(db, event.id, 10_003)
    with pytest.raises(NotFoundError, match="profil"):
        await _register(db, event.id, 999)

    async with db.transaction(lock=True) as session:
        result = await regs.withdraw(session, GUILD, event.id, 10_001, now=NOW)
    assert result.previous_status == REGISTERED
    assert [s.display_name for s in result.promoted] == ["Promeneur 02"]

    # Capacity cannot go below the registered count; raising it promotes the next one.
    async with db.transaction(lock=True) as session:
        with pytest.raises(ValidationError, match="2 personnes sont déjà inscrites"):
            await events_service.update_event(session, GUILD, event.id, EventChanges(capacity=1), now=NOW)
    async with db.transaction(lock=True) as session:
        updated = await events_service.update_event(session, GUILD, event.id, EventChanges(capacity=5), now=NOW)
    assert [s.display_name for s in updated.promoted] == ["Promeneur 03"]
    assert updated.changed == ["capacity"]

    # Coming back after a withdrawal: at the end of the queue.
    again = await _register(db, event.id, 10_001)
    assert again.status == REGISTERED
    async with db.transaction() as session:
        assert (await seats.counts(session, [event.id]))[event.id] == (4, 0)


async def test_refusals_closed_events(db: Database) -> None:
    await _setup(db, 2)
    full = await _create(db, capacity=1, waitlist_enabled=False)
    await _register(db, full.id, 10_000)
    with pytest.raises(ConflictError, match="complet"):
        await _register(db, full.id, 10_001)

    late = await _create(db, registration_deadline=parse_datetime("15/06/2027 12h"))
    with pytest.raises(ConflictError, match="date limite"):
        await _register(db, late.id, 10_000, now=parse_datetime("16/06/2027 9h"))
    with pytest.raises(ConflictError, match="déjà commencé"):
        await _register(db, late.id, 10_000, now=parse_datetime("22/06/2027 10h"))

    async with db.transaction(lock=True) as session:
        await events_service.cancel_event(session, GUILD, late.id, now=NOW)
    with pytest.raises(ConflictError, match="annulé"):
        await _register(db, late.id, 10_000)
    async with db.transaction(lock=True) as session:
        with pytest.raises(NotFoundError, match="pas inscrit"):
            await regs.withdraw(session, GUILD, full.id, 10_001, now=NOW)
    with pytest.raises(NotFoundError, match="introuvable"):
        await _register(db, 9999, 10_000)


async def test_audiences(db: Database) -> None:
    await _setup(db, 1, strand=PARENTING, joined=date(2026, 9, 1))
    async with db.transaction(lock=True) as session:  # a veteran of the youth strand
        await members.update_profile(
            session,
            GUILD,
            20_000,
            "Ancienne",
            ProfileChanges(territory="03", strand=YOUTH, joined_on=date(2019, 1, 1)),
            today=TODAY,
        )
    newcomers = await _create(db, audience="newcomers", type="welcome_meeting")
    assert (await _register(db, newcomers.id, 10_000)).status == REGISTERED
    with pytest.raises(ValidationError, match="nouveaux Promeneurs"):
        await _register(db, newcomers.id, 20_000)
    youth = await _create(db, audience="youth")
    with pytest.raises(ValidationError, match="volet Jeunesse"):
        await _register(db, youth.id, 10_000)
    assert (await _register(db, youth.id, 20_000)).status == REGISTERED


async def test_last_seat_race_fifty_for_twenty(db: Database) -> None:
    """50 registrations at once for 20 seats: exactly 20 registered, 30 waitlisted in order."""
    await _setup(db, 50)
    event = await _create(db, capacity=20)

    async def one(i: int) -> str:
        async with db.transaction(lock=True) as session:
            return (await regs.register(session, GUILD, event.id, 10_000 + i, now=NOW)).status

    statuses = await asyncio.gather(*(one(i) for i in range(50)))
    assert statuses.count(REGISTERED) == 20
    assert statuses.count(WAITLISTED) == 30
    async with db.transaction() as session:
        rows = (
            await session.scalars(
                select(EventRegistration)
                .where(EventRegistration.event_id == event.id)
                .order_by(EventRegistration.position)
            )
        ).all()
    assert [r.position for r in rows] == list(range(1, 51))  # one queue, no gap, no double
    assert [r.status for r in rows] == [REGISTERED] * 20 + [WAITLISTED] * 30  # in order


async def test_concurrent_withdrawals_promote_each_waitlisted_once(db: Database) -> None:
    await _setup(db, 10)
    event = await _create(db, capacity=5)
    for i in range(10):
        await _register(db, event.id, 10_000 + i)

    async def leave(i: int) -> list[str]:
        async with db.transaction(lock=True) as session:
            return [
                s.display_name for s in (await regs.withdraw(session, GUILD, event.id, 10_000 + i, now=NOW)).promoted
            ]

    promoted = await asyncio.gather(*(leave(i) for i in range(3)))
    assert sorted(name for names in promoted for name in names) == ["Promeneur 05", "Promeneur 06", "Promeneur 07"]
    async with db.transaction() as session:
        assert (await seats.counts(session, [event.id]))[event.id] == (5, 2)


async def test_attendance_walk_ins_and_summary(db: Database) -> None:
    await _setup(db, 4)
    event = await _create(db, capacity=4)
    for i in range(3):
        await _register(db, event.id, 10_000 + i)
    async with db.transaction() as session:
        with pytest.raises(ValidationError, match="une fois l'événement commencé"):
            await attendance_service.attendance_sheet(session, GUILD, event.id, now=NOW)
    after = parse_datetime("22/06/2027 17h")
    async with db.transaction() as session:
        sheet = await attendance_service.attendance_sheet(session, GUILD, event.id, now=after)
    ids = [r.member_id for r in sheet.rows]
    async with db.transaction(lock=True) as session:
        sheet = await attendance_service.set_attendance(
            session, GUILD, event.id, shown=ids, present={ids[0], ids[2]}, now=after
        )
    assert (sheet.registered, sheet.present, sheet.no_shows) == (3, 2, 1)
    async with db.transaction() as session:
        walk_in = await members.find_by_discord(session, GUILD, 10_003)
    async with db.transaction(lock=True) as session:
        sheet, member = await attendance_service.add_walk_in(session, GUILD, event.id, walk_in.id, now=after)
    assert member.display_name == "Promeneur 03"
    assert (sheet.registered, sheet.present, sheet.walk_ins, sheet.no_shows) == (3, 3, 1, 1)
    assert sheet.fill_rate == 0.75
    assert [r.status for r in sheet.rows if r.member_id == walk_in.id] == [WALK_IN]


async def test_reminders_are_sent_once_each(db: Database) -> None:
    await _setup(db, 2)
    event = await _create(db)
    await _register(db, event.id, 10_000)
    await _register(db, event.id, 10_001)
    async with db.transaction(lock=True) as session:
        await regs.withdraw(session, GUILD, event.id, 10_001, now=NOW)

    async def take(when: datetime) -> list[tuple[int, int, list[str]]]:
        async with db.transaction(lock=True) as session:
            due = await reminders.take_due_reminders(session, now=when)
        return [(d.event.id, d.hours_before, [m.display_name for m in d.recipients]) for d in due]

    assert await take(parse_datetime("21/06/2027 9h")) == []  # 24 h 30 before
    day_before = parse_datetime("21/06/2027 9h31")
    assert await take(day_before) == [(event.id, 24, ["Promeneur 00"])]
    assert await take(day_before + timedelta(minutes=1)) == []  # idempotent
    hour_before = parse_datetime("22/06/2027 8h30")
    assert await take(hour_before) == [(event.id, 1, ["Promeneur 00"])]
    assert await take(hour_before) == []
    assert await take(parse_datetime("22/06/2027 10h")) == []  # started


async def test_figures_by_territory_and_shared(db: Database) -> None:
    await _setup(db, 4)
    in_63 = await _create(db, capacity=4)  # 1 day, in person
    shared = await _create(
        db,
        territory="commun",
        format=REMOTE,
        place=None,
        link="https://visio.example.org/pdn",
        starts_at=parse_datetime("01/07/2027 14h"),
        ends_at=parse_datetime("01/07/2027 16h"),
    )  # half day, remote, no capacity
    await _create(db, territory="03", format=HYBRID, link="https://visio.example.org/x", capacity=10)
    cancelled = await _create(db, capacity=5)
    async with db.transaction(lock=True) as session:
        await events_service.cancel_event(session, GUILD, cancelled.id, now=NOW)
    for event in (in_63, shared):
        for i in range(3):
            await _register(db, event.id, 10_000 + i)
    late = parse_datetime("02/07/2027 9h")
    async with db.transaction() as session:
        sheet = await attendance_service.attendance_sheet(session, GUILD, in_63.id, now=late)
        ids = [r.member_id for r in sheet.rows]
    async with db.transaction(lock=True) as session:
        await attendance_service.set_attendance(session, GUILD, in_63.id, shown=ids, present=set(ids[:2]), now=late)
        await attendance_service.set_attendance(session, GUILD, shared.id, shown=ids, present=set(ids), now=late)

    async with db.transaction() as session:
        figures = await event_figures.figures(session, GUILD, Window.year(2027))
    total = figures[ALL]
    assert (total.sessions, total.in_person, total.remote, total.hybrid, total.days) == (3, 2, 1, 1, 2.5)
    assert (total.attendance, total.reached) == (5, 3)
    # « inscrits »: the registered of the sessions with a capacity (not the 3 of the shared one)
    assert total.capacity == 14 and total.registered == 3
    assert total.registration_rate == pytest.approx(3 / 14)
    assert total.fill_rate == pytest.approx(2 / 14)
    assert set(figures) == {ALL, "63", "03", SHARED}
    assert figures["63"].fill_rate == 0.5
    assert figures[SHARED].fill_rate is None and figures[SHARED].registered == 0
    assert figures[SHARED].attendance == 3
    async with db.transaction() as session:
        empty = await event_figures.figures(session, GUILD, Window.year(2026))
    assert empty == {ALL: event_figures.SessionFigures()}

    # The same figures, as the year-end recap shows them.
    async with db.transaction() as session:
        year = await recap_year.computed_year(session, GUILD, 2027, ["03", "63"])
    assert {key: year[ALL][key] for key in (R.SESSIONS, R.SESSIONS_IN_PERSON, R.SESSION_DAYS)} == {
        R.SESSIONS: 3,
        R.SESSIONS_IN_PERSON: 2,
        R.SESSION_DAYS: 2.5,
    }
    assert (year[ALL][R.ATTENDANCE], year[ALL][R.REACHED], year[ALL][R.REGISTERED]) == (5, 3, 3)
    assert year[ALL][R.REGISTRATION_RATE] == pytest.approx(3 / 14)
    assert year["63"][R.FILL_RATE] == 0.5 and year[SHARED][R.FILL_RATE] is None
