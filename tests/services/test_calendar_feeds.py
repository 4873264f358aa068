"""Calendar feeds on the real migrated database: the links (tokens), what each feed holds,
the shared builder of the attachments (same UID, SEQUENCE, STATUS), two independent parsers
(icalendar and vobject), a stable ETag, privacy; and the Events tab mirror's state."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import vobject
from icalendar import Calendar
from sqlalchemy import select

from bot.dates import parse_datetime
from bot.db import Database
from bot.db.models.calendar import CalendarFeed
from bot.db.models.events import IN_PERSON, Event
from bot.db.models.member import YOUTH
from bot.errors import NotFoundError
from bot.services import calendar_feeds as feeds
from bot.services import guilds, members, privacy
from bot.services.events import ics as events_ics
from bot.services.events import lifecycle as events_service
from bot.services.events import mirror as events_mirror
from bot.services.events import registrations as regs
from bot.services.events.rules import EventChanges, EventDraft
from bot.services.members import ProfileChanges
from bot.services.privacy import PrivacyHook
from bot.services.requests import lifecycle
from bot.services.requests.rules import Actor

GUILD, OTHER_GUILD = 2002, 2003
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)  # Monday 10:00 Paris
ALICE, BOB, CLAIRE = 11, 12, 21


def _draft(title: str, start: str, end: str) -> EventDraft:
    return EventDraft(
        title=title,
        type="thematic_training",
        starts_at=parse_datetime(start),
        ends_at=parse_datetime(end),
        format=IN_PERSON,
        place="Centre social, Riom",
        territory="63",
    )


@pytest.fixture
async def setup(db: Database) -> Database:
    async with db.transaction(lock=True) as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        for discord_id, name in ((ALICE, "Alice Martin"), (BOB, "Bob Durand"), (CLAIRE, "Claire")):
            await members.update_profile(
                session,
                GUILD,
                discord_id,
                name,
                ProfileChanges(territory="63", strand=YOUTH),
                today=date(2027, 1, 10),
            )
    return db


async def _event(db: Database, title: str, start: str, end: str, *, now: datetime = NOW) -> Event:
    async with db.transaction() as session:
        return await events_service.create_event(session, GUILD, _draft(title, start, end), now=now)


async def _content(db: Database, feed: CalendarFeed, now: datetime = NOW) -> feeds.FeedContent:
    async with db.transaction() as session:
        return await feeds.feed_content(session, feed, now=now)


def _vevents(body: bytes) -> dict[str, dict[str, str]]:
    """Each VEVENT by SUMMARY, read by icalendar."""
    calendar = Calendar.from_ical(body)
    return {
        str(c["summary"]): {"uid": str(c["uid"]), "status": str(c["status"]), "sequence": int(c["sequence"])}
        for c in calendar.walk("VEVENT")
    }


async def test_links_are_stable_rotatable_and_checked(setup: Database) -> None:
    db = setup
    async with db.transaction() as session:
        server = await feeds.guild_feed(session, GUILD)
        again = await feeds.guild_feed(session, GUILD)
        alice = await feeds.member_feed(session, GUILD, ALICE)
        alice_again = await feeds.member_feed(session, GUILD, ALICE)
        with pytest.raises(NotFoundError):
            await feeds.member_feed(session, GUILD, 999)  # no profile
        other = await feeds.guild_feed(session, OTHER_GUILD)
    assert server.id == again.id and server.token == again.token
    assert alice.id == alice_again.id and alice.token == alice_again.token
    assert len({server.token, alice.token, other.token}) == 3
    assert len(server.token) >= 43  # 32 random bytes, URL-safe
    assert feeds.feed_path(alice) == f"/agenda/{alice.id}/{alice.token}.ics"

    async with db.transaction() as session:
        assert (await feeds.resolve(session, alice.id, alice.token)).id == alice.id
        assert await feeds.resolve(session, alice.id, server.token) is None  # another feed's token
        assert await feeds.resolve(session, alice.id, alice.token[:-1]) is None
        assert await feeds.resolve(session, 987654, alice.token) is None
        rotated = await feeds.guild_feed(session, GUILD, rotate=True)
    assert rotated.id == server.id and rotated.token != server.token
    async with db.transaction() as session:
        assert await feeds.resolve(session, server.id, server.token) is None
        assert (await feeds.resolve(session, server.id, rotated.token)).id == server.id


async def test_server_feed_window_cancellations_and_same_builder_as_attachments(setup: Database) -> None:
    db = setup
    past_ok = await _event(db, "Accueil d'avril", "01/04/2027 9h", "01/04/2027 12h", now=NOW - timedelta(days=120))
    too_old = await _event(db, "Accueil de janvier", "12/01/2027 9h", "12/01/2027 12h", now=NOW - timedelta(days=200))
    upcoming = await _event(db, "Formation TikTok", "22/06/2027 9h30", "22/06/2027 16h30")
    cancelled = await _event(db, "Analyse de la pratique", "29/06/2027 14h", "29/06/2027 17h")
    async with db.transaction(lock=True) as session:
        await events_service.cancel_event(session, GUILD, cancelled.id, now=NOW + timedelta(hours=1))
        cancelled = await events_service.get_event(session, GUILD, cancelled.id)
    async with db.transaction() as session:
        feed = await feeds.guild_feed(session, GUILD)

    content = await _content(db, feed)
    assert [e.title for e in content.events] == ["Accueil d'avril", "Formation TikTok", "Analyse de la pratique"]
    assert too_old.id not in {e.id for e in content.events}
    body = feeds.build_feed("Réseau · temps de réseau", content.events, guild_name="Réseau")
    seen = _vevents(body)
    assert seen["Analyse de la pratique"]["status"] == "CANCELLED"
    assert seen["Formation TikTok"]["status"] == "CONFIRMED"

    # The attachment of each event carries the same UID, SEQUENCE and STATUS.
    for event in (past_ok, upcoming, cancelled):
        attachment = _vevents(events_ics.ics_bytes(event, now=NOW, guild_name="Réseau"))[event.title]
        assert seen[event.title] == attachment
    assert seen["Analyse de la pratique"]["sequence"] > 0  # the cancellation raised it

    # A second parser, written independently of icalendar, reads the same feed.
    parsed = vobject.readOne(body.decode("utf-8"))
    assert parsed.x_wr_calname.value == "Réseau · temps de réseau"
    by_summary = {v.summary.value: v for v in parsed.vevent_list}
    assert set(by_summary) == {"Accueil d'avril", "Formation TikTok", "Analyse de la pratique"}
    assert by_summary["Formation TikTok"].dtstart.value == datetime(2027, 6, 22, 7, 30, tzinfo=UTC)
    assert by_summary["Analyse de la pratique"].status.value == "CANCELLED"
    assert by_summary["Formation TikTok"].uid.value == events_ics.uid(upcoming)

    # Unchanged data, a later request: the same bytes (DTSTAMP is each item's last change).
    later = await _content(db, feed, now=NOW + timedelta(minutes=5))
    again = feeds.build_feed("Réseau · temps de réseau", later.events, guild_name="Réseau")
    assert feeds.etag(again) == feeds.etag(body)


async def test_member_feed_registrations_and_accompaniment_sessions(setup: Database) -> None:
    db = setup
    mine = await _event(db, "Formation TikTok", "22/06/2027 9h30", "22/06/2027 16h30")
    left = await _event(db, "Échange de pratiques", "24/06/2027 14h", "24/06/2027 17h")
    await _event(db, "Conférence", "25/06/2027 14h", "25/06/2027 17h")  # not registered
    async with db.transaction(lock=True) as session:
        await regs.register(session, GUILD, mine.id, ALICE, now=NOW)
        await regs.register(session, GUILD, left.id, ALICE, now=NOW)
        await regs.withdraw(session, GUILD, left.id, ALICE, now=NOW)
    claire = Actor(CLAIRE, "Claire", True)
    async with db.transaction(lock=True) as session:
        request = await lifecycle.create_request(
            session,
            GUILD,
            ALICE,
            kind="individual",
            mode="visio",
            subject="Compte Instagram",
            details="Ouvrir un compte",
            availability="mardi",
            actor_name="Alice Martin",
            now=NOW,
        )
        await lifecycle.claim(session, GUILD, request.id, claire, now=NOW)
        await lifecycle.schedule(session, GUILD, request.id, claire, parse_datetime("17/06/2027 14h"), now=NOW)
    async with db.transaction() as session:
        alice_feed = await feeds.member_feed(session, GUILD, ALICE)
        claire_feed = await feeds.member_feed(session, GUILD, CLAIRE)
        bob_feed = await feeds.member_feed(session, GUILD, BOB)

    content = await _content(db, alice_feed)
    assert [e.title for e in content.events] == ["Formation TikTok"]
    assert [(s.number, s.starts_at, s.cancelled) for s in content.sessions] == [
        (1, datetime(2027, 6, 17, 12, 0, tzinfo=UTC), False)
    ]
    session_item = content.sessions[0]
    assert session_item.ends_at - session_item.starts_at == timedelta(hours=1)
    extra = [feeds.session_vevent(session_item, summary="Accompagnement n° 1", description="…")]
    body = feeds.build_feed("Mon agenda", content.events, extra=extra)
    assert set(_vevents(body)) == {"Formation TikTok", "Accompagnement n° 1"}
    assert {v.summary.value for v in vobject.readOne(body.decode()).vevent_list} == {
        "Formation TikTok",
        "Accompagnement n° 1",
    }
    # The coordinator who leads the session sees it too; someone else does not.
    assert [s.request_id for s in (await _content(db, claire_feed)).sessions] == [request.id]
    bob = await _content(db, bob_feed)
    assert bob.events == [] and bob.sessions == []

    first_sequence = session_item.sequence
    async with db.transaction(lock=True) as session:
        await lifecycle.cancel(session, GUILD, request.id, claire, now=NOW + timedelta(hours=2))
    cancelled = (await _content(db, alice_feed)).sessions[0]
    assert cancelled.cancelled and cancelled.sequence > first_sequence


async def test_erased_member_loses_their_link(setup: Database) -> None:
    db = setup
    hooks = [PrivacyHook("agenda", feeds.export_member, feeds.anonymise_member)]
    async with db.transaction() as session:
        feed = await feeds.member_feed(session, GUILD, ALICE)
        exported = await privacy.export_member(session, GUILD, ALICE, hooks)
    assert exported["agenda"] == {"lien_cree_le": feed.created_at.isoformat()}
    async with db.transaction(lock=True) as session:
        await privacy.anonymise_member(session, GUILD, ALICE, hooks, now=NOW)
    async with db.transaction() as session:
        assert await feeds.resolve(session, feed.id, feed.token) is None
        assert (await session.scalars(select(CalendarFeed))).all() == []


async def test_mirror_actions_and_bookkeeping_keep_the_sequence(setup: Database) -> None:
    db = setup
    event = await _event(db, "Formation TikTok", "22/06/2027 9h30", "22/06/2027 16h30")
    assert events_mirror.action(event, now=NOW) == events_mirror.CREATE
    assert events_mirror.action(event, now=event.starts_at) is None  # started: Discord's course

    async with db.transaction() as session:
        assert await events_mirror.mark(session, event.id, scheduled_event_id=None, pending=True) is False
        assert await events_mirror.mark(session, event.id, scheduled_event_id=None, pending=True) is True
        assert [e.id for e in await events_mirror.pending(session, now=NOW, guild_ids=[GUILD])] == [event.id]
        assert await events_mirror.pending(session, now=NOW, guild_ids=[OTHER_GUILD]) == []
        assert await events_mirror.pending(session, now=event.starts_at, guild_ids=[GUILD]) == []
        await events_mirror.mark(session, event.id, scheduled_event_id=555, pending=False)
    async with db.transaction() as session:
        stored = await session.get(Event, event.id)
    assert (stored.scheduled_event_id, stored.mirror_pending) == (555, False)
    assert stored.updated_at == event.updated_at  # the calendar SEQUENCE did not move
    assert events_mirror.action(stored, now=NOW) == events_mirror.EDIT

    async with db.transaction(lock=True) as session:
        await events_service.update_event(
            session, GUILD, event.id, EventChanges(title="Formation Instagram"), now=NOW + timedelta(hours=1)
        )
        await events_service.cancel_event(session, GUILD, event.id, now=NOW + timedelta(hours=2))
        stored = await events_service.get_event(session, GUILD, event.id)
    assert events_mirror.action(stored, now=NOW) == events_mirror.DELETE


def test_feeds_are_off_unless_port_and_public_url_are_set(database_url: str) -> None:
    from pydantic import ValidationError as SettingsError

    from bot.config import Settings
    from bot.web import WebServer

    def settings(**values: object) -> Settings:
        return Settings(discord_token="t", database_url=database_url, _env_file=None, **values)  # type: ignore[call-arg]

    assert not WebServer(settings()).enabled
    assert not WebServer(settings(web_port="8080", public_url="")).enabled
    assert not WebServer(settings(web_port="", public_url="https://agenda.example.org")).enabled
    on = WebServer(settings(web_port="8080", public_url="https://agenda.example.org/"))
    assert on.enabled and on.settings.web_host == "127.0.0.1"
    assert on.url("/agenda/1/x.ics") == "https://agenda.example.org/agenda/1/x.ics"
    with pytest.raises(SettingsError):
        settings(web_port="8080", public_url="agenda.example.org")


async def test_concurrent_first_requests_give_one_link(setup: Database) -> None:
    import asyncio

    db = setup

    async def ask() -> tuple[int, str]:
        async with db.transaction(lock=True) as session:  # as the commands do
            feed = await feeds.member_feed(session, GUILD, ALICE)
            return feed.id, feed.token

    answers = await asyncio.gather(*(ask() for _ in range(6)))
    assert len(set(answers)) == 1
    async with db.transaction() as session:
        assert len((await session.scalars(select(CalendarFeed))).all()) == 1
