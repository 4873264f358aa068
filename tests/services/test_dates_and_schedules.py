"""French dates (Babel) and schedule triggers across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import PARIS
from bot.dates import format_day, format_when, parse_date, parse_datetime
from bot.errors import ValidationError
from bot.scheduler import cron_trigger, last_fire_time
from bot.services.schedules import MONTHLY, WEEKLY, YEARLY, ScheduleValue


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/06/2027 9h30", "mardi 15 juin 2027 à 9 h 30"),
        ("15/06/2027 à 09:30", "mardi 15 juin 2027 à 9 h 30"),
        ("2027-06-15 14h", "mardi 15 juin 2027 à 14 h"),
        ("1/12/27 8h05", "mercredi 1er décembre 2027 à 8 h 05"),
    ],
)
def test_typed_dates_are_read_in_paris_and_written_in_french(typed: str, expected: str) -> None:
    assert format_when(parse_datetime(typed)) == expected


def test_summer_and_winter_offsets() -> None:
    assert parse_datetime("15/06/2027 9h30") == datetime(2027, 6, 15, 7, 30, tzinfo=UTC)
    assert parse_datetime("15/01/2027 9h30") == datetime(2027, 1, 15, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize("typed", ["31/02/2027 9h", "15/13/2027 9h", "15/06/2027 24h", "demain", ""])
def test_impossible_datetimes_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        parse_datetime(typed)


def test_the_spring_gap_is_refused_and_the_autumn_overlap_takes_the_first() -> None:
    with pytest.raises(ValidationError, match="passage à l'heure d'été"):
        parse_datetime("28/03/2027 2h30")
    assert parse_datetime("31/10/2027 2h30") == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_dates_and_words() -> None:
    assert parse_date("03/05/2021") == date(2021, 5, 3)
    assert parse_date("aujourd'hui", today=date(2027, 6, 14)) == date(2027, 6, 14)
    assert parse_date("hier", today=date(2027, 6, 14)) == date(2027, 6, 13)
    assert format_day(date(2021, 5, 3)) == "lundi 3 mai 2021"
    assert parse_date("3 mai", today=date(2027, 6, 14)) == date(2028, 5, 3)  # the next one
    with pytest.raises(ValidationError, match="15 juin ou mardi prochain"):
        parse_date("3 truc", today=date(2027, 6, 14))


def test_weekly_trigger_keeps_9h_paris_across_daylight_saving() -> None:
    trigger = cron_trigger(ScheduleValue(frequency=WEEKLY, weekday=0, hour=9))
    fire = trigger.get_next_fire_time(None, datetime(2027, 3, 20, tzinfo=PARIS))
    fires = []
    for _ in range(3):
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    assert [f.astimezone(UTC).hour for f in fires] == [8, 7, 7]  # CET, then CEST
    assert all((f.weekday(), f.hour) == (0, 9) for f in fires)


def test_monthly_and_yearly_triggers_and_last_fire() -> None:
    monthly = cron_trigger(ScheduleValue(frequency=MONTHLY, day_of_month=1, hour=9))
    now = datetime(2027, 6, 14, 12, tzinfo=UTC)
    assert last_fire_time(monthly, now, lookback=timedelta(days=40)) == datetime(2027, 6, 1, 9, tzinfo=PARIS)
    yearly = cron_trigger(ScheduleValue(frequency=YEARLY, hour=10), yearly_days="2-8")
    first = yearly.get_next_fire_time(None, datetime(2027, 1, 1, tzinfo=PARIS))
    assert first == datetime(2027, 1, 4, 10, tzinfo=PARIS)  # 2 and 3 Jan 2027 are a weekend
