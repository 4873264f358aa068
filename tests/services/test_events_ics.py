"""The .ics of an event read by two independent parsers (icalendar, the one that writes it,
and vobject): what a calendar would show, for awkward text, a change and a cancellation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import vobject
from icalendar import Calendar

from bot.db.models.events import Event
from bot.services.events import ics as events_ics

NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)
START = datetime(2027, 6, 22, 7, 30, tzinfo=UTC)


def _event(**kw) -> Event:
    values = dict(
        id=12,
        guild_id=99,
        title="Démarrer et progresser sur les réseaux sociaux",
        type="thematic_training",
        starts_at=START,
        ends_at=START + timedelta(hours=7),
        duration_days=1.0,
        format="in_person",
        place="Centre social, Riom",
        link=None,
        description="Une journée pour Instagram et TikTok.",
        created_at=NOW,
        updated_at=NOW,
        cancelled_at=None,
    )
    values.update(kw)
    return Event(**values)


def _both(data: bytes) -> tuple:
    """(icalendar VEVENT, vobject VEVENT) of a one-event file, asserting it has one event."""
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    parsed = vobject.readOne(data.decode("utf-8"))
    assert len(parsed.contents["vevent"]) == 1
    return calendar, events[0], parsed, parsed.vevent


AWKWARD = [
    (
        "Réunion\u00a0; ordre du jour, pause",
        "Lieu\u00a0: salle 1, 2ᵉ étage\u00a0; entrée B",
        "Ligne 1\nLigne 2\u00a0; avec \\ et ,\u00a0»",
    ),
    ("x" * 100, "y" * 200, "z" * 4000),
    ("«\u00a0Écrans\u00a0» & parentalité <b>", "Mairie de Vichy", None),
    ("Café numérique 🎧", None, "Emoji 🎧 et accents éàç"),
]


@pytest.mark.parametrize(("title", "place", "description"), AWKWARD)
def test_both_parsers_read_the_same_event(title: str, place: str | None, description: str | None) -> None:
    data = events_ics.ics_bytes(
        _event(title=title, place=place, description=description), now=NOW, guild_name="PdN 03, 63"
    )
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded (RFC 5545 §3.1)
    calendar, ev1, _, ev2 = _both(data)
    assert "METHOD" not in calendar
    assert str(ev1["SUMMARY"]) == ev2.summary.value == title
    assert ev1.decoded("DTSTART") == ev2.dtstart.value == START
    assert ev1.decoded("DTEND") == ev2.dtend.value == START + timedelta(hours=7)
    assert str(ev1["UID"]) == ev2.uid.value == "pdn-event-99-12@promeneurs-du-net"
    assert str(ev1["STATUS"]) == ev2.status.value == "CONFIRMED"
    assert int(ev1["SEQUENCE"]) == int(ev2.sequence.value) == 0
    if place:
        assert str(ev1["LOCATION"]) == ev2.location.value == place
    else:
        assert "LOCATION" not in ev1 and not hasattr(ev2, "location")
    expected = "Formation thématique" + (f"\n\n{description}" if description else "")
    assert str(ev1["DESCRIPTION"]) == ev2.description.value == expected


def test_a_change_then_a_cancellation_keep_the_uid_and_raise_the_sequence() -> None:
    first = _both(events_ics.ics_bytes(_event(), now=NOW))
    changed = _both(
        events_ics.ics_bytes(
            _event(
                updated_at=NOW + timedelta(hours=2),
                starts_at=START + timedelta(days=1),
                ends_at=START + timedelta(days=1, hours=7),
            ),
            now=NOW + timedelta(hours=2),
        )
    )
    cancelled = _both(
        events_ics.ics_bytes(
            _event(updated_at=NOW + timedelta(days=1), cancelled_at=NOW + timedelta(days=1)),
            now=NOW + timedelta(days=1),
        )
    )
    uids = {str(x[1]["UID"]) for x in (first, changed, cancelled)} | {
        x[3].uid.value for x in (first, changed, cancelled)
    }
    assert len(uids) == 1
    sequences = [(int(x[1]["SEQUENCE"]), int(x[3].sequence.value)) for x in (first, changed, cancelled)]
    assert sequences[0][0] < sequences[1][0] < sequences[2][0]
    assert all(a == b for a, b in sequences)
    assert str(cancelled[1]["STATUS"]) == cancelled[3].status.value == "CANCELLED"
    for calendar, *_ in (first, changed, cancelled):
        assert "METHOD" not in calendar and "ORGANIZER" not in calendar.walk("VEVENT")[0]


def test_an_online_event_has_its_link_as_url_and_location() -> None:
    link = "https://visio.example.org/salle?id=42&code=a,b"
    _, ev1, _, ev2 = _both(events_ics.ics_bytes(_event(place=None, link=link, format="remote"), now=NOW))
    assert str(ev1["URL"]) == ev2.url.value == link
    assert str(ev1["LOCATION"]) == ev2.location.value == link
