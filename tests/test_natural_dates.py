"""French dates and durations as people type them: a table of what is accepted (and read as
what) and what is refused. Reference day: Friday 27 November 2026, 12:00 in Paris.

The shape of the table (input, expected, one case per line) follows dateparser's own
parametrised language tests; the cases are ours, written for this network's users.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.clock import PARIS
from bot.dates import PAST, parse_date, parse_datetime
from bot.errors import ValidationError
from bot.services.events.rules import parse_duration as parse_event_days
from bot.services.requests.parsing import parse_duration as parse_request_minutes

NOW = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # Friday, 12:00 in Paris
TODAY = date(2026, 11, 27)

DATETIMES = [
    ("mardi 15h", "2026-12-01 15:00"),
    ("Mardi 15h", "2026-12-01 15:00"),
    ("mardi à 15h", "2026-12-01 15:00"),
    ("mardi a 15h", "2026-12-01 15:00"),
    ("mardi, 15h", "2026-12-01 15:00"),
    ("jeudi 14h", "2026-12-03 14:00"),
    ("jeudi 14 h", "2026-12-03 14:00"),
    ("jeudi à 14:00", "2026-12-03 14:00"),
    ("vendredi 10h", "2026-12-04 10:00"),  # today is Friday: the next one
    ("samedi 9h", "2026-11-28 09:00"),
    ("dimanche vers 18h", "2026-11-29 18:00"),
    ("lundi prochain 9h", "2026-11-30 09:00"),
    ("lundi prochain à 9h30", "2026-11-30 09:30"),
    ("ce mercredi 16h", "2026-12-02 16:00"),
    ("demain 14h30", "2026-11-28 14:30"),
    ("Demain à 14h30", "2026-11-28 14:30"),
    ("demain midi", "2026-11-28 12:00"),
    ("après-demain 9h", "2026-11-29 09:00"),
    ("apres demain 9h", "2026-11-29 09:00"),
    ("aujourd'hui 18h", "2026-11-27 18:00"),
    ("aujourd’hui 18h", "2026-11-27 18:00"),
    ("15/12 15h", "2026-12-15 15:00"),
    ("15/12 à 15h", "2026-12-15 15:00"),
    ("15.12 15h", "2026-12-15 15:00"),
    ("1/3 10h", "2027-03-01 10:00"),
    ("15/11 10h", "2027-11-15 10:00"),  # gone this year: next year's
    ("27/11 18h", "2026-11-27 18:00"),  # today counts
    ("15 décembre 9h30", "2026-12-15 09:30"),
    ("15 decembre 9h30", "2026-12-15 09:30"),
    ("15 déc. 9h30", "2026-12-15 09:30"),
    ("15 dec 9h30", "2026-12-15 09:30"),
    ("le 15 décembre à 9h30", "2026-12-15 09:30"),
    ("mardi 15 décembre 10h", "2026-12-15 10:00"),
    ("1er mars 9h", "2027-03-01 09:00"),
    ("3 mars 2027 14h", "2027-03-03 14:00"),
    ("le 3 mars 2027 à 14h", "2027-03-03 14:00"),
    ("14 juillet 2027 22h", "2027-07-14 22:00"),
    ("2 janvier 10h", "2027-01-02 10:00"),
    ("15 sept 9h", "2027-09-15 09:00"),
    ("15/06/2027 9h30", "2027-06-15 09:30"),
    ("15/06/2027 à 09:30", "2027-06-15 09:30"),
    ("2027-06-15 9h", "2027-06-15 09:00"),
    ("15/06/27 9h", "2027-06-15 09:00"),
    ("31/12 23h59", "2026-12-31 23:59"),
    ("25/10/2026 2h30", "2026-10-25 02:30"),  # the autumn hour that happens twice: the first
]

DATETIME_REFUSED = [
    "",
    "banane",
    "15h",  # a time without a day
    "midi",
    "15",  # a day without a month
    "le 15",
    "mardi",  # a day without a time
    "lundi prochain",
    "15/12",
    "15 décembre",
    "mardi 25h",
    "demain 14h75",
    "lundi 15 décembre 10h",  # 15 December 2026 is a Tuesday
    "31/04 10h",
    "29 février 10h",  # no 29 February in 2027
    "15/13 10h",
    "32/01 10h",
    "29/03/2026 2h30",  # the spring gap: no such time in Paris
    "15 décembre 2200 9h",  # year out of bounds
    "01/01/0001 9h",
    "jeudi ٢h",  # foreign digits
    "jeudi １4h",
    "mardi prochain prochain 15h",
    "dans 3 jours 10h",
    "x" * 60,
    "15 truc 9h",
]

DATES = [
    ("lundi prochain", "2026-11-30"),
    ("lundi", "2026-11-30"),
    ("jeudi", "2026-12-03"),
    ("15/12", "2026-12-15"),
    ("15 décembre", "2026-12-15"),
    ("1er janvier", "2027-01-01"),
    ("le 3 mars", "2027-03-03"),
    ("demain", "2026-11-28"),
    ("hier", "2026-11-26"),
    ("15/06/2027", "2027-06-15"),
    ("2027-06-15", "2027-06-15"),
    ("27/11", "2026-11-27"),
]

PAST_DATES = [
    ("15/12", "2025-12-15"),  # something already done: the last one gone
    ("jeudi", "2026-11-26"),
    ("lundi dernier", "2026-11-23"),
    ("15 novembre", "2026-11-15"),
    ("27/11", "2026-11-27"),
]

DATE_REFUSED = ["15", "mardi 15h", "15/12 10h", "lundi lundi", "31 juin", "banane", "²/12"]

MINUTES = [
    ("90", 90),
    ("45 min", 45),
    ("45 mn", 45),
    ("90 minutes", 90),
    ("1h30", 90),
    ("1 h 30", 90),
    ("1 h 30 min", 90),
    ("1H30", 90),
    ("1,5 h", 90),
    ("1.5h", 90),
    ("2 h", 120),
    ("2 heures", 120),
    ("une heure", 60),
    ("Une heure", 60),
    ("deux heures", 120),
    ("une heure et demie", 90),
    ("1h et quart", 75),
    ("1 heure 15", 75),
    ("une demi-heure", 30),
    ("un quart d'heure", 15),
    ("trois quarts d'heure", 45),
    ("une demi-journée", 240),
    ("une journée", 420),
]

MINUTES_REFUSED = ["banane", "1,5h30", "1h75", "25 h", "0", "0 min", "٣ h", "1 h 30 et demie", "x" * 50]

DAYS = [
    ("0,5", 0.5),
    ("1", 1.0),
    ("1,5", 1.5),
    ("une demi-journée", 0.5),
    ("demi journée", 0.5),
    ("une journée", 1.0),
    ("un jour", 1.0),
    ("2 jours", 2.0),
    ("deux jours", 2.0),
    ("1 jour et demi", 1.5),
    ("1,5 jour", 1.5),
]

DAYS_REFUSED = ["0,3", "0", "1h", "banane", "31 jours", "une heure"]


def _paris(value: datetime) -> str:
    return value.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(("typed", "expected"), DATETIMES)
def test_datetimes_read_as_said(typed: str, expected: str) -> None:
    assert _paris(parse_datetime(typed, now=NOW)) == expected


@pytest.mark.parametrize("typed", DATETIME_REFUSED)
def test_datetimes_refused_with_an_example(typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_datetime(typed, now=NOW)
    message = str(refused.value)
    assert "9h30" in message or "chiffres 0 à 9" in message or "heure d'été" in message or "année" in message


@pytest.mark.parametrize(("typed", "expected"), DATES)
def test_dates_prefer_the_future(typed: str, expected: str) -> None:
    assert parse_date(typed, today=TODAY).isoformat() == expected


@pytest.mark.parametrize(("typed", "expected"), PAST_DATES)
def test_dates_of_things_done_prefer_the_past(typed: str, expected: str) -> None:
    assert parse_date(typed, today=TODAY, prefer=PAST).isoformat() == expected


@pytest.mark.parametrize("typed", DATE_REFUSED)
def test_dates_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        parse_date(typed, today=TODAY)


@pytest.mark.parametrize(("typed", "expected"), MINUTES)
def test_request_durations(typed: str, expected: int) -> None:
    assert parse_request_minutes(typed) == expected


@pytest.mark.parametrize("typed", MINUTES_REFUSED)
def test_request_durations_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        parse_request_minutes(typed)


@pytest.mark.parametrize(("typed", "expected"), DAYS)
def test_event_durations(typed: str, expected: float) -> None:
    assert parse_event_days(typed) == expected


@pytest.mark.parametrize("typed", DAYS_REFUSED)
def test_event_durations_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        parse_event_days(typed)


def test_the_table_is_large_enough() -> None:
    total = sum(map(len, (DATETIMES, DATETIME_REFUSED, DATES, PAST_DATES, DATE_REFUSED)))
    total += sum(map(len, (MINUTES, MINUTES_REFUSED, DAYS, DAYS_REFUSED)))
    assert total >= 80
