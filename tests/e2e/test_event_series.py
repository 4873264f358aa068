"""A recurring series through SimCord with the real bot (issue 17's "done when"): the
coordinator creates a monthly series, a member subscribes to their calendar feed over HTTP on
127.0.0.1 and sees the next occurrence, the coordinator moves one occurrence and cancels
another, then changes and stops the whole series; the feed, the Events tab mirror, the
announcements and the DMs agree at each step."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import aiohttp
import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.config import Settings
from bot.db import Database
from bot.db.models.events import Event
from tests.conftest import cancel_event

PUBLIC_URL = "https://agenda.example.org"
LINK = re.compile(r"<https://agenda\.example\.org(/agenda/\d+/[A-Za-z0-9_-]+\.ics)>")
SERIES = dict(
    titre="Analyse de la pratique",
    type="practice_review",
    premiere="06/07/2027 14h",
    fin="16h30",
    jusqu_au="30/06/2028",
    frequence="monthly_nth",
    format="in_person",
    lieu="Maison des associations, Riom",
    territoire="63",
    capacite=12,
    annonce=60,
)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(  # type: ignore[call-arg]
        discord_token="test-token",
        database_url=database_url,
        web_port=0,
        public_url=PUBLIC_URL,
        _env_file=None,
    )


def said(result) -> list[str]:
    found = [result.response.content] if result.response and result.response.content else []
    return found + [f.content for f in result.followups if f.content]


async def feed(url: str) -> list[tuple[str, str]]:
    """(local start, status) of each VEVENT, as a calendar application reads them."""
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            assert response.status == 200
            body = await response.read()
    return sorted(
        (c.decoded("dtstart").astimezone(UTC).strftime("%Y-%m-%d %H:%M"), str(c["status"]))
        for c in Calendar.from_ical(body).walk("VEVENT")
    )


def mirrors(w) -> list[str]:
    guild = w.env.backend.get_guild(w.guild.id)
    return sorted(m.scheduled_start_time[:16] for m in guild.scheduled_events.values())


def announcements(w) -> list:
    """The event announcements (their current state), oldest first."""
    return sorted((m for m in w.announcements.history() if m.embeds and m.embeds[0].fields), key=lambda m: m.id)


def when_field(message) -> str:
    return {f.name: f.value for f in message.embeds[0].fields}["Quand"]


async def occurrences(db: Database) -> list[Event]:
    async with db.transaction() as session:
        return list(await session.scalars(select(Event).order_by(Event.occurrence_start)))


async def test_monthly_series_one_moved_one_cancelled_then_the_whole_series(profiles, simcord_bot, db, clock) -> None:
    w = profiles
    local = f"http://127.0.0.1:{simcord_bot.web.port}"

    created = await w.coordinator.slash(w.general, "evenement serie", **SERIES)
    [text] = said(created)
    assert text.startswith(
        "Série **Analyse de la pratique** créée\u00a0: le 1er mardi du mois à 14 h, du 6 juillet 2027 "
        "au 30 juin 2028 (12 dates). Chaque date est annoncée 60 jours avant"
    )
    assert "Déjà annoncées\u00a0: mardi 6 juillet 2027, mardi 3 août 2027." in text
    assert "Prochaine annonce\u00a0: vendredi 9 juillet 2027." in text
    july, august = await occurrences(db)
    assert [a.embeds[0].title for a in announcements(w)] == ["Analyse de la pratique"] * 2
    assert {f.name: f.value for f in announcements(w)[0].embeds[0].fields}["Série"] == (
        "le 1er mardi du mois à 14 h, du 6 juillet 2027 au 30 juin 2028"
    )
    assert mirrors(w) == ["2027-07-06T12:00", "2027-08-03T12:00"]

    # Alice registers to both from their announcements and subscribes to her feed.
    for message in announcements(w):
        await w.alice.click(message, label="S'inscrire")
    link = LINK.search(said(await w.alice.slash(w.general, "evenement calendrier"))[0]).group(1)
    assert await feed(local + link) == [("2027-07-06 12:00", "CONFIRMED"), ("2027-08-03 12:00", "CONFIRMED")]

    # One occurrence moved, another cancelled: Alice is told of each, and everything agrees.
    await w.coordinator.slash(
        w.general, "evenement modifier", evenement=str(july.id), debut="13/07/2027 14h", fin="16h30"
    )
    await cancel_event(w.coordinator, w.general, evenement=str(august.id), raison="Intervenante absente")
    dms = [m.content for m in w.alice.user.dm_channel.history()]
    assert any(
        d.startswith("L'événement **Analyse de la pratique** auquel vous êtes inscrit·e a changé (début, fin)")
        for d in dms
    )
    assert any(
        d.startswith("L'événement **Analyse de la pratique** prévu le mardi 3 août 2027 à 14 h est annulé.")
        for d in dms
    )
    assert await feed(local + link) == [("2027-07-13 12:00", "CONFIRMED"), ("2027-08-03 12:00", "CANCELLED")]
    assert mirrors(w) == ["2027-07-13T12:00"]
    first, second = announcements(w)
    assert when_field(first).startswith("Mardi 13 juillet 2027")
    assert second.embeds[0].title.startswith("ANNULÉ · ")

    # The series job, later: the September occurrence is announced in turn; the moved and
    # the cancelled ones are not created again.
    clock.set(datetime(2027, 7, 10, 8, 0, tzinfo=UTC))
    await simcord_bot.get_cog("Events").series_job()
    await simcord_bot.get_cog("Events").series_job()
    rows = await occurrences(db)
    assert [(e.starts_at.strftime("%m-%d %H:%M"), e.cancelled_at is not None) for e in rows] == [
        ("07-13 12:00", False),
        ("08-03 12:00", True),
        ("09-07 12:00", False),
    ]
    assert len(announcements(w)) == 3
    assert mirrors(w) == ["2027-07-13T12:00", "2027-09-07T12:00"]
    await w.alice.click(announcements(w)[2], label="S'inscrire")
    assert await feed(local + link) == [
        ("2027-07-13 12:00", "CONFIRMED"),
        ("2027-08-03 12:00", "CANCELLED"),
        ("2027-09-07 12:00", "CONFIRMED"),
    ]

    # The whole series one hour later: each announced date moves on its own day.
    changed = await w.coordinator.slash(w.general, "evenement serie-modifier", serie=str(july.series_id), heure="15h")
    assert said(changed)[-1].startswith(
        "Série **Analyse de la pratique** modifiée\u00a0: le 1er mardi du mois à 15 h, du 6 juillet 2027 au 30 juin 2028. "
        "2 dates déjà annoncées modifiées."
    )
    assert await feed(local + link) == [
        ("2027-07-13 13:00", "CONFIRMED"),
        ("2027-08-03 12:00", "CANCELLED"),
        ("2027-09-07 13:00", "CONFIRMED"),
    ]
    assert mirrors(w) == ["2027-07-13T13:00", "2027-09-07T13:00"]
    assert sum("a changé (début, fin)" in m.content for m in w.alice.user.dm_channel.history()) == 3

    stopped = await w.coordinator.slash(w.general, "evenement serie-annuler", serie=str(july.series_id))
    assert said(stopped)[-1].startswith(
        "Série **Analyse de la pratique** annulée\u00a0: plus aucune date ne sera annoncée. 2 dates déjà annoncées annulées."
    )
    assert await feed(local + link) == [
        ("2027-07-13 13:00", "CANCELLED"),
        ("2027-08-03 12:00", "CANCELLED"),
        ("2027-09-07 13:00", "CANCELLED"),
    ]
    assert mirrors(w) == []
    cancelled_dms = [m.content for m in w.alice.user.dm_channel.history() if "est annulé" in m.content]
    assert len(cancelled_dms) == 3 and "C'est toute la série qui s'arrête." in cancelled_dms[-1]
    assert all(a.embeds[0].title.startswith("ANNULÉ · ") for a in announcements(w))
    clock.set(datetime(2027, 9, 1, 8, 0, tzinfo=UTC))
    await simcord_bot.get_cog("Events").series_job()
    assert len(await occurrences(db)) == 3  # a stopped series creates nothing more
