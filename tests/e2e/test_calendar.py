"""Calendars through SimCord with the real bot: the Events tab mirror (created, edited,
deleted; the missing permission and a Discord outage told once, then retried), and the
calendar feeds served over HTTP on 127.0.0.1 by the bot's own process."""

from __future__ import annotations

import re

import aiohttp
import discord
import pytest
from icalendar import Calendar
from sqlalchemy import select

from bot.config import Settings
from bot.db import Database
from bot.db.models.events import IN_PERSON, Event
from cogs.events._mirror import MAX_DESCRIPTION, MAX_LOCATION, description, location
from tests.conftest import cancel_event, slash_anyway

CREATE = dict(
    titre="Démarrer et progresser sur les réseaux sociaux",
    type="thematic_training",
    debut="22/06/2027 9h30",
    fin="16h30",
    format="in_person",
    lieu="Centre social, Riom",
    territoire="63",
    description="Une journée pour prendre en main Instagram et TikTok.",
)
PUBLIC_URL = "https://agenda.example.org"
LINK = re.compile(r"<(https://agenda\.example\.org(/agenda/\d+/[A-Za-z0-9_-]+\.ics))>")
FORBIDDEN_TEXT = "le bot n'a pas la permission «\u00a0Gérer les événements\u00a0»"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Feeds on: port 0 binds a free port on 127.0.0.1 (the test reads the one bound)."""
    return Settings(  # type: ignore[call-arg]
        discord_token="test-token",
        database_url=database_url,
        web_port=0,
        public_url=PUBLIC_URL,
        _env_file=None,
    )


def texts(result) -> list[str]:
    """Everything the user read: the response and each follow-up."""
    found = [result.response.content] if result.response and result.response.content else []
    return found + [f.content for f in result.followups if f.content]


def mirrors(w) -> list:
    return list(w.env.backend.get_guild(w.guild.id).scheduled_events.values())


def set_manage_events(w, allowed: bool) -> None:
    backend = w.env.backend
    guild = backend.get_guild(w.guild.id)
    role = next(r for r in guild.roles.values() if r.managed)
    permissions = discord.Permissions(role.permissions)
    permissions.manage_events = allowed
    backend.edit_role(w.guild.id, role.id, {"permissions": permissions.value})


async def _event(db: Database) -> Event:
    async with db.transaction() as session:
        return (await session.scalars(select(Event).order_by(Event.id.desc()))).first()


async def test_mirror_created_edited_deleted(profiles, db: Database) -> None:
    w = profiles
    created = await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    assert not any("⚠️" in t for t in texts(created))
    [mirror] = mirrors(w)
    assert mirror.name == "Démarrer et progresser sur les réseaux sociaux"
    assert mirror.entity_type == 3  # external
    assert mirror.entity_metadata == {"location": "Centre social, Riom"}
    assert mirror.scheduled_start_time.startswith("2027-06-22T07:30:00")
    assert mirror.scheduled_end_time.startswith("2027-06-22T14:30:00")
    assert mirror.description.startswith("Formation thématique\n\nUne journée pour prendre en main")
    assert mirror.description.endswith(
        "Inscription\u00a0: bouton «\u00a0S'inscrire\u00a0» de l'annonce, ou /evenement inscrire."
    )
    event = await _event(db)
    assert (event.scheduled_event_id, event.mirror_pending) == (mirror.id, False)

    await w.coordinator.slash(
        w.general,
        "evenement modifier",
        evenement=str(event.id),
        format="remote",
        lien="https://visio.example.org/reseau",
        debut="23/06/2027 14h",
        fin="17h",
    )
    [edited] = mirrors(w)
    assert edited.id == mirror.id
    assert edited.entity_metadata == {"location": "https://visio.example.org/reseau"}
    assert edited.scheduled_start_time.startswith("2027-06-23T12:00:00")

    w.env.backend.delete_scheduled_event(w.guild.id, mirror.id)  # removed by hand in Discord
    await w.coordinator.slash(w.general, "evenement modifier", evenement=str(event.id), titre="Réseaux sociaux")
    [again] = mirrors(w)
    assert again.id != mirror.id and again.name == "Réseaux sociaux"
    assert (await _event(db)).scheduled_event_id == again.id

    await cancel_event(w.coordinator, w.general, evenement=str(event.id))
    assert mirrors(w) == []
    event = await _event(db)
    assert event.scheduled_event_id is None and event.cancelled_at is not None


async def test_missing_permission_told_once_then_retried(profiles, db: Database, simcord_bot) -> None:
    w = profiles
    set_manage_events(w, False)
    created = await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    said = texts(created)
    assert said[0].startswith("Événement **Démarrer et progresser sur les réseaux sociaux** créé.")
    assert f"Annonce publiée dans <#{w.announcements.id}>" in said[0]
    warnings = [t for t in said if FORBIDDEN_TEXT in t]
    assert len(warnings) == 1 and created.followups[-1].ephemeral
    assert mirrors(w) == []
    event = await _event(db)
    assert event.mirror_pending and event.scheduled_event_id is None
    assert [m for m in w.announcements.history() if m.embeds], "the event is announced anyway"

    changed = await w.coordinator.slash(
        w.general, "evenement modifier", evenement=str(event.id), titre="Réseaux sociaux\u00a0: la journée"
    )
    assert not any(FORBIDDEN_TEXT in t for t in texts(changed))  # told once, not at each change

    cog = simcord_bot.get_cog("Events")
    await cog.mirror.retry_pending()  # still refused: stays pending, nobody is told again
    assert (await _event(db)).mirror_pending

    set_manage_events(w, True)
    await cog.mirror.retry_pending()
    [mirror] = mirrors(w)
    assert mirror.name == "Réseaux sociaux\u00a0: la journée"
    event = await _event(db)
    assert (event.scheduled_event_id, event.mirror_pending) == (mirror.id, False)


async def test_discord_down_told_then_retried(profiles, db: Database, simcord_bot) -> None:
    w = profiles
    w.env.inject_error("POST", "/guilds/*/scheduled-events", status=503, times=None)
    created = await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    assert any("Discord n'a pas accepté pour l'instant" in t for t in texts(created))
    assert (await _event(db)).mirror_pending
    w.env.backend.faults.clear()  # Discord is back
    await simcord_bot.get_cog("Events").mirror.retry_pending()
    assert len(mirrors(w)) == 1
    assert not (await _event(db)).mirror_pending


async def _get(url: str, **headers: str) -> tuple[int, dict, bytes]:
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers=headers) as response:
            return response.status, response.headers.copy(), await response.read()


def _vevents(body: bytes) -> dict[str, tuple[str, int]]:
    return {str(c["summary"]): (str(c["status"]), int(c["sequence"])) for c in Calendar.from_ical(body).walk("VEVENT")}


async def test_member_feed_over_http_follows_a_cancellation(profiles, simcord_bot, clock) -> None:
    w = profiles
    local = f"http://127.0.0.1:{simcord_bot.web.port}"
    await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    await w.alice.slash(w.general, "evenement inscrire", evenement="1")

    given = await w.alice.slash(w.general, "evenement calendrier")
    assert given.ephemeral
    content = texts(given)[0]
    assert "Google Agenda" in content and "Outlook" in content and "Apple Calendrier" in content
    public, path = LINK.search(content).groups()
    assert public.startswith(PUBLIC_URL + "/agenda/")
    again = await w.alice.slash(w.general, "evenement calendrier")
    assert LINK.search(texts(again)[0]).group(2) == path  # the same link every time
    carol = w.guild.add_member(w.env.create_user("carol", global_name="Carol Petit"), roles=[w.promeneur_role])
    no_profile = await carol.slash(w.general, "evenement calendrier")
    assert texts(no_profile) == ["Vous n'avez pas encore de profil. Créez-le avec /profil modifier."]

    status, headers, body = await _get(local + path)
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert _vevents(body) == {"Démarrer et progresser sur les réseaux sociaux": ("CONFIRMED", 0)}
    etag = headers["ETag"]
    status, _, unchanged = await _get(local + path, **{"If-None-Match": etag})
    assert (status, unchanged) == (304, b"")

    clock.set(clock.value.replace(hour=9))  # an hour later, the coordinator cancels
    await cancel_event(w.coordinator, w.general, evenement="1", raison="Formatrice malade")
    status, headers, body = await _get(local + path, **{"If-None-Match": etag})
    assert status == 200 and headers["ETag"] != etag
    [(state, sequence)] = _vevents(body).values()
    assert state == "CANCELLED" and sequence > 0

    feed_id, token = re.match(r"/agenda/(\d+)/([^.]+)\.ics", path).groups()
    for wrong in (
        f"/agenda/{feed_id}/{token[:-1]}x.ics",
        f"/agenda/{int(feed_id) + 1}/{token}.ics",
        f"/agenda/{feed_id}/{token}",
        "/",
    ):
        status, _, nothing = await _get(local + wrong)
        assert (status, nothing) == (404, b""), wrong


async def test_server_link_rotation_and_erasure(profiles, simcord_bot) -> None:
    w = profiles
    local = f"http://127.0.0.1:{simcord_bot.web.port}"
    refused = await slash_anyway(w.alice, w.general, "config calendrier")
    assert "réservée à la coordination" in texts(refused)[0]

    shown = await w.coordinator.slash(w.general, "config calendrier")
    first = LINK.search(texts(shown)[0]).group(2)
    await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    status, _, body = await _get(local + first)
    assert status == 200 and "Démarrer et progresser sur les réseaux sociaux" in _vevents(body)

    rotated = await w.coordinator.slash(w.general, "config calendrier", renouveler=True)
    assert "l'ancien ne fonctionne plus" in texts(rotated)[0]
    second = LINK.search(texts(rotated)[0]).group(2)
    assert second != first
    assert (await _get(local + first))[0] == 404
    assert (await _get(local + second))[0] == 200

    mine = LINK.search(texts(await w.alice.slash(w.general, "evenement calendrier"))[0]).group(2)
    assert (await _get(local + mine))[0] == 200
    asked = await w.alice.slash(w.general, "mes-donnees supprimer")
    await w.alice.click(asked.response.message, label="Oui, supprimer mes données")
    assert (await _get(local + mine))[0] == 404


def test_mirror_fields_fit_discord_limits() -> None:
    long_place = "Maison des associations, " + "salle polyvalente du rez-de-chaussée, " * 5
    event = Event(
        title="Formation",
        type="thematic_training",
        format=IN_PERSON,
        place=long_place,
        link=None,
        description="Programme détaillé. " * 100,
    )
    assert len(location(event)) == MAX_LOCATION and location(event).endswith("…")
    text = description(event)
    assert len(text) <= MAX_DESCRIPTION
    assert text.startswith("Formation thématique\n\nProgramme détaillé.")
    assert text.endswith("Inscription\u00a0: bouton «\u00a0S'inscrire\u00a0» de l'annonce, ou /evenement inscrire.")
    remote = Event(
        title="Visio", type="other", format="remote", place=None, link="https://visio.example.org/" + "x" * 120
    )
    assert location(remote) == "En ligne"  # a link longer than the location field
    assert "https://visio.example.org/" in description(remote)
