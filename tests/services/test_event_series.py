"""Recurring series on the real migrated database: RRULE expansion in Paris wall time
(daylight saving, month ends), the French description, refusals, occurrences created in
turn, and changes of one occurrence or of the whole series."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.clock import PARIS
from bot.db import Database
from bot.db.models.events import IN_PERSON, Event, EventSeries
from bot.errors import ConflictError, ValidationError
from bot.services import guilds, members
from bot.services.events import figures as event_figures
from bot.services.events import lifecycle as events_service
from bot.services.events import recurrence
from bot.services.events import registrations as regs
from bot.services.events import series as series_service
from bot.services.events.rules import EventChanges, EventDraft
from bot.services.events.series import SeriesChanges, SeriesDraft
from bot.services.members import ProfileChanges
from bot.services.periods import ALL, Window

GUILD = 2014
NOW = datetime(2026, 8, 20, 8, 0, tzinfo=UTC)  # Thursday 20 August 2026, 10:00 Paris


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


def local(values: list[datetime]) -> list[tuple[date, int, int]]:
    return [(v.astimezone(PARIS).date(), v.astimezone(PARIS).hour, v.astimezone(PARIS).minute) for v in values]


# -- expansion ---------------------------------------------------------------------------------
# Cases modeled on the kinds of rules python-dateutil's own test_rrule.py exercises (nth
# weekday, negative BYDAY, BYMONTHDAY past a month's end), with our own dates.


def test_first_tuesday_september_to_june_stays_at_14h_across_dst() -> None:
    starts = recurrence.expand("FREQ=MONTHLY;BYDAY=1TU", paris(2026, 9, 1, 14), paris(2027, 6, 30))
    assert [d for d, _, _ in local(starts)] == [
        date(2026, 9, 1),
        date(2026, 10, 6),
        date(2026, 11, 3),
        date(2026, 12, 1),
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),
        date(2027, 5, 4),
        date(2027, 6, 1),
    ]
    assert {(h, m) for _, h, m in local(starts)} == {(14, 0)}
    # 14 h Paris is 12:00 UTC in summer time and 13:00 UTC in winter time
    assert starts[0].hour == 12 and starts[2].hour == 13 and starts[-1].hour == 12


def test_last_sunday_of_october_is_the_dst_change_day() -> None:
    starts = recurrence.expand("FREQ=MONTHLY;BYDAY=-1SU", paris(2026, 9, 27, 10), paris(2026, 12, 31))
    assert [d for d, _, _ in local(starts)] == [
        date(2026, 9, 27),
        date(2026, 10, 25),
        date(2026, 11, 29),
        date(2026, 12, 27),
    ]
    october = starts[1]
    assert october == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)  # 10 h winter time
    assert starts[0] == datetime(2026, 9, 27, 8, 0, tzinfo=UTC)  # 10 h summer time


def test_a_time_in_the_spring_gap_moves_one_hour_later() -> None:
    starts = recurrence.expand("FREQ=MONTHLY;BYDAY=-1SU", paris(2027, 2, 28, 2, 30), paris(2027, 4, 30))
    assert local(starts) == [(date(2027, 2, 28), 2, 30), (date(2027, 3, 28), 3, 30), (date(2027, 4, 25), 2, 30)]


def test_the_31st_skips_short_months_and_last_day_does_not() -> None:
    thirty_first = recurrence.expand("FREQ=MONTHLY;BYMONTHDAY=31", paris(2027, 1, 31, 9), paris(2027, 8, 31))
    assert [d for d, _, _ in local(thirty_first)] == [
        date(2027, 1, 31),
        date(2027, 3, 31),
        date(2027, 5, 31),
        date(2027, 7, 31),
        date(2027, 8, 31),
    ]
    last = recurrence.expand("FREQ=MONTHLY;BYMONTHDAY=-1", paris(2027, 1, 31, 9), paris(2027, 4, 30))
    assert [d for d, _, _ in local(last)] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    leap = recurrence.expand("FREQ=MONTHLY;BYMONTHDAY=-1", paris(2028, 2, 1, 9), paris(2028, 2, 29))
    assert [d for d, _, _ in local(leap)] == [date(2028, 2, 29)]


def test_weekly_on_two_days_and_fortnightly() -> None:
    weekly = recurrence.expand("FREQ=WEEKLY;BYDAY=TU,TH", paris(2026, 10, 20, 18), paris(2026, 10, 31))
    assert [d for d, _, _ in local(weekly)] == [
        date(2026, 10, 20),
        date(2026, 10, 22),
        date(2026, 10, 27),
        date(2026, 10, 29),
    ]
    assert {h for _, h, _ in local(weekly)} == {18}
    fortnight = recurrence.expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", paris(2026, 9, 7, 9), paris(2026, 10, 31))
    assert [d.day for d, _, _ in local(fortnight)] == [7, 21, 5, 19]


# -- French ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "first", "expected"),
    [
        ("FREQ=MONTHLY;BYDAY=1TU", paris(2026, 9, 1, 14), "le 1er mardi du mois à 14 h"),
        ("FREQ=MONTHLY;BYDAY=3TH", paris(2026, 9, 17, 9, 30), "le 3e jeudi du mois à 9 h 30"),
        ("FREQ=MONTHLY;BYDAY=-1SU", paris(2026, 9, 27, 10), "le dernier dimanche du mois à 10 h"),
        ("FREQ=MONTHLY;BYDAY=-2FR", paris(2026, 9, 18, 10), "l'avant-dernier vendredi du mois à 10 h"),
        (
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE",
            paris(2026, 9, 9, 14),
            "le 2e mercredi du mois, un mois sur deux, à 14 h",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=15", paris(2026, 9, 15, 14), "le 15 du mois à 14 h"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", paris(2026, 9, 1, 14), "le 1er du mois à 14 h"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", paris(2026, 9, 30, 14), "le dernier jour du mois à 14 h"),
        ("FREQ=MONTHLY;BYMONTHDAY=31", paris(2026, 10, 31, 14), "le 31 du mois à 14 h (les mois qui ont un 31)"),
        ("FREQ=WEEKLY;BYDAY=TU", paris(2026, 9, 1, 14), "chaque mardi à 14 h"),
        ("FREQ=WEEKLY;BYDAY=MO,TH,FR", paris(2026, 9, 7, 18), "chaque lundi, jeudi et vendredi à 18 h"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", paris(2026, 9, 7, 9), "un lundi sur deux à 9 h"),
    ],
)
def test_french_description(rule: str, first: datetime, expected: str) -> None:
    assert recurrence.describe_rule(rule, first) == expected


def test_full_description_with_dates() -> None:
    text = recurrence.describe("FREQ=MONTHLY;BYDAY=1TU", paris(2026, 9, 1, 14), paris(2027, 6, 30))
    assert text == "le 1er mardi du mois à 14 h, du 1er septembre 2026 au 30 juin 2027"


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY",
        "FREQ=YEARLY;BYMONTH=6",
        "FREQ=MONTHLY;BYDAY=5TU",
        "FREQ=WEEKLY;BYDAY=1TU",
        "FREQ=MONTHLY;BYDAY=TU;BYMONTHDAY=1",
        "FREQ=WEEKLY;BYDAY=TU;COUNT=3",
        "FREQ=MONTHLY;BYMONTHDAY=32",
        "n'importe quoi",
        "FREQ=WEEKLY;INTERVAL=0;BYDAY=MO",
        "FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO",
    ],
)
def test_unsupported_rules_are_refused_clearly(rule: str) -> None:
    with pytest.raises(ValidationError) as refused:
        recurrence.describe_rule(rule, paris(2026, 9, 1, 14))
    assert str(refused.value) == recurrence.ERR_RULE


def test_shapes_from_the_first_date() -> None:
    assert recurrence.rule_for(recurrence.MONTHLY_NTH, paris(2026, 9, 1, 14)).text() == "FREQ=MONTHLY;BYDAY=1TU"
    assert recurrence.rule_for(recurrence.MONTHLY_NTH, paris(2026, 9, 29, 14)).text() == "FREQ=MONTHLY;BYDAY=-1TU"
    assert recurrence.rule_for(recurrence.MONTHLY_LAST, paris(2026, 10, 25, 10)).text() == "FREQ=MONTHLY;BYDAY=-1SU"
    assert recurrence.rule_for(recurrence.MONTHLY_DAY, paris(2026, 10, 31, 10)).text() == "FREQ=MONTHLY;BYMONTHDAY=31"
    assert recurrence.rule_for(recurrence.FORTNIGHTLY, paris(2026, 9, 7, 9)).text() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"


# -- series in the database -----------------------------------------------------------------------


def draft(**overrides) -> SeriesDraft:
    event = EventDraft(
        title="Analyse de la pratique",
        type="practice_review",
        starts_at=paris(2026, 9, 1, 14),
        ends_at=paris(2026, 9, 1, 16, 30),
        format=IN_PERSON,
        place="Maison des associations, Moulins",
        territory="03",
        capacity=12,
    )
    values = dict(event=event, rule="FREQ=MONTHLY;BYDAY=1TU", until=paris(2027, 6, 30), announce_days=14)
    values.update(overrides)
    return SeriesDraft(**values)


async def _setup(db: Database) -> None:
    async with db.transaction() as session:
        await guilds.add_territory(session, GUILD, "03", "Allier")
    for i in range(2):
        async with db.transaction(lock=True) as session:
            await members.update_profile(
                session,
                GUILD,
                30_000 + i,
                f"Promeneur {i}",
                ProfileChanges(territory="03", strand="youth", joined_on=date(2020, 1, 1)),
                today=NOW.date(),
            )


async def test_occurrences_are_created_in_turn_and_counted_separately(db: Database) -> None:
    await _setup(db)
    async with db.transaction() as session:
        series, created = await series_service.create_series(
            session, GUILD, draft(announce_days=7), now=NOW, created_by=1
        )
    assert created == []  # 1 September is 12 days away: announced 7 days before
    assert series.rule == "FREQ=MONTHLY;BYDAY=1TU" and series.duration_minutes == 150
    assert series_service.series_values(series)["count"] == 10

    async with db.transaction() as session:
        assert await series_service.materialise_due(session, now=NOW + timedelta(days=4)) == []
        first = await series_service.materialise_due(session, now=NOW + timedelta(days=6))
        again = await series_service.materialise_due(session, now=NOW + timedelta(days=6, hours=1))
    assert [e.starts_at for e in first] == [paris(2026, 9, 1, 14)] and again == []
    assert first[0].ends_at == paris(2026, 9, 1, 16, 30) and first[0].capacity == 12
    assert first[0].series_id == series.id and first[0].territory_code == "03"

    later = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    async with db.transaction() as session:
        second = await series_service.materialise_due(session, now=later)
    assert [e.starts_at for e in second] == [paris(2026, 10, 6, 14)]  # still summer time (12:00 UTC)

    async with db.transaction(lock=True) as session:
        await regs.register(session, GUILD, first[0].id, 30_000, now=NOW + timedelta(days=7))
    async with db.transaction() as session:
        figures = await event_figures.figures(session, GUILD, Window(date(2026, 9, 1), date(2026, 12, 31)))
    assert figures[ALL].sessions == 2 and figures[ALL].registered == 1  # capacity 12


async def test_created_at_once_when_the_first_date_is_near(db: Database) -> None:
    await _setup(db)
    async with db.transaction() as session:
        _, created = await series_service.create_series(session, GUILD, draft(announce_days=50), now=NOW, created_by=1)
    assert [e.starts_at for e in created] == [paris(2026, 9, 1, 14), paris(2026, 10, 6, 14)]
    async with db.transaction() as session:
        assert await session.scalar(select(Event.id).where(Event.series_id.is_(None))) is None


async def test_series_refusals_write_nothing(db: Database) -> None:
    await _setup(db)
    cases = [
        (draft(rule="FREQ=DAILY"), recurrence.ERR_RULE),
        (draft(until=paris(2026, 8, 30)), "La date de fin de la série"),
        (draft(until=paris(2029, 6, 30)), series_service.ERR_SPAN),
        (draft(rule="FREQ=WEEKLY;BYDAY=MO", until=paris(2026, 9, 6)), "aucune date"),
        (
            draft(
                event=EventDraft(
                    title="X",
                    type="practice_review",
                    starts_at=paris(2026, 9, 1, 14),
                    ends_at=paris(2026, 9, 1, 16),
                    format=IN_PERSON,
                )
            ),
            "Indiquez le lieu",
        ),
        (draft(announce_days=200), series_service.ERR_ANNOUNCE),
    ]
    for value, message in cases:
        with pytest.raises(ValidationError) as refused:
            async with db.transaction() as session:
                await series_service.create_series(session, GUILD, value, now=NOW)
        assert message in str(refused.value)
    async with db.transaction() as session:
        assert (await session.scalars(select(EventSeries))).all() == []
        assert (await session.scalars(select(Event))).all() == []


async def test_one_occurrence_moved_or_cancelled_is_not_created_again(db: Database) -> None:
    await _setup(db)
    async with db.transaction() as session:
        series, created = await series_service.create_series(session, GUILD, draft(announce_days=50), now=NOW)
    first, second = created
    async with db.transaction(lock=True) as session:
        await events_service.update_event(
            session,
            GUILD,
            first.id,
            EventChanges(starts_at=paris(2026, 9, 8, 14), ends_at=paris(2026, 9, 8, 16)),
            now=NOW,
        )
        await events_service.cancel_event(session, GUILD, second.id, now=NOW)
    async with db.transaction() as session:
        assert await series_service.materialise_due(session, now=NOW + timedelta(hours=2)) == []
        rows = (await session.scalars(select(Event).where(Event.series_id == series.id).order_by(Event.id))).all()
    assert [(e.starts_at, e.cancelled_at is not None) for e in rows] == [
        (paris(2026, 9, 8, 14), False),
        (paris(2026, 10, 6, 14), True),
    ]


async def test_whole_series_moved_then_cancelled(db: Database) -> None:
    await _setup(db)
    async with db.transaction() as session:
        series, created = await series_service.create_series(session, GUILD, draft(announce_days=50), now=NOW)
    async with db.transaction(lock=True) as session:
        await regs.register(session, GUILD, created[0].id, 30_000, now=NOW)
    async with db.transaction(lock=True) as session:
        update = await series_service.update_series(
            session, GUILD, series.id, SeriesChanges(clock=(15, 0), place="Centre social, Yzeure"), now=NOW
        )
    assert [r.changed for r in update.results] == [["starts_at", "ends_at", "place"]] * 2
    assert [r.event.starts_at for r in update.results] == [paris(2026, 9, 1, 15), paris(2026, 10, 6, 15)]
    assert update.results[0].event.ends_at == paris(2026, 9, 1, 17, 30)
    assert series_service.describe_series(update.series).startswith("le 1er mardi du mois à 15 h")
    async with db.transaction() as session:
        later = await series_service.materialise_due(session, now=datetime(2026, 10, 20, 8, tzinfo=UTC))
    assert [(e.starts_at, e.place) for e in later] == [
        (paris(2026, 11, 3, 15), "Centre social, Yzeure"),
        (paris(2026, 12, 1, 15), "Centre social, Yzeure"),
    ]

    async with db.transaction(lock=True) as session:
        cancelled_series, cancelled = await series_service.cancel_series(session, GUILD, series.id, now=NOW)
    assert len(cancelled) == 4 and all(e.cancelled_at == NOW for e in cancelled)
    async with db.transaction() as session:
        assert await series_service.materialise_due(session, now=datetime(2026, 12, 1, tzinfo=UTC)) == []
    with pytest.raises(ConflictError):
        async with db.transaction(lock=True) as session:
            await series_service.cancel_series(session, GUILD, series.id, now=NOW)
