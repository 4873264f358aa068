"""Catching up on history (issue 15), on a real migrated database: dated changes of territory
or strand, a former member's dated change, the member search (filtered in SQL, active first),
names resolved for a session's attendance, the French sort key, a request closed on a chosen
day, a session already held."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models import Member
from bot.db.models.member import PARENTING, YOUTH
from bot.errors import NotFoundError, ValidationError
from bot.services import directory, guilds, lists, members
from bot.services.events import attendance as attendance_service
from bot.services.events import lifecycle as events_service
from bot.services.events.rules import EventDraft
from bot.services.members import ProfileChanges
from bot.text import sort_key

A = 1
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)
TODAY = date(2027, 6, 14)


@pytest.fixture
async def territories(db: Database) -> None:
    async with db.transaction() as session:
        await guilds.add_territory(session, A, "63", "Puy-de-Dôme")
        await guilds.add_territory(session, A, "03", "Allier")


async def _offline(db: Database, name: str, joined: date, territory: str = "03", strand: str = YOUTH) -> int:
    async with db.transaction(lock=True) as session:
        member = await members.add_offline_member(
            session, A, name, ProfileChanges(territory=territory, strand=strand, joined_on=joined), today=TODAY
        )
        return member.id


async def _update(db: Database, member_id: int, **changes) -> Member:
    async with db.transaction(lock=True) as session:
        return await members.update_member(session, A, member_id, ProfileChanges(**changes), today=TODAY)


def test_french_sort_key() -> None:
    names = ["Lucas", "Léa", "lea", "Émile", "Zoé", "Œdipe", "eric", "Odile"]
    assert sorted(names, key=sort_key) == ["Émile", "eric", "Léa", "lea", "Lucas", "Odile", "Œdipe", "Zoé"]


async def test_dated_change_splits_the_period_on_that_day(db: Database, territories) -> None:
    bob = await _offline(db, "Bob", date(2021, 3, 1))
    member = await _update(db, bob, territory="63", since=date(2026, 3, 15))
    assert [(p.territory_code, p.valid_from, p.valid_to) for p in member.periods] == [
        ("03", date(2021, 3, 1), date(2026, 3, 15)),
        ("63", date(2026, 3, 15), None),
    ]
    async with db.transaction() as session:
        before = await directory.directory(session, A, on=date(2026, 3, 14))
        after = await directory.directory(session, A, on=date(2026, 3, 15))
    assert [r.territory_code for r in before] == ["03"] and [r.territory_code for r in after] == ["63"]
    # A second change dated before the first one is refused (history is not rewritten).
    with pytest.raises(ValidationError, match="précède la situation enregistrée depuis le 15/03/2026"):
        await _update(db, bob, strand=PARENTING, since=date(2025, 1, 1))
    # Dated the same day as the last change: a correction, no new period.
    member = await _update(db, bob, territory="63", strand=PARENTING, since=date(2026, 3, 15))
    assert [(p.territory_code, p.strand) for p in member.periods] == [("03", YOUTH), ("63", PARENTING)]


async def test_a_former_members_change_stays_within_their_membership(db: Database, territories) -> None:
    chloe = await _offline(db, "Chloé", date(2020, 1, 1))
    async with db.transaction(lock=True) as session:
        await members.record_departure(session, A, chloe, date(2026, 6, 30), today=TODAY)
    with pytest.raises(ValidationError, match="postérieur au départ"):
        await _update(db, chloe, territory="63", since=date(2026, 9, 1))
    member = await _update(db, chloe, territory="63", since=date(2026, 2, 1))
    assert [(p.territory_code, p.valid_from, p.valid_to) for p in member.periods] == [
        ("03", date(2020, 1, 1), date(2026, 2, 1)),
        ("63", date(2026, 2, 1), date(2026, 7, 1)),
    ]
    with pytest.raises(ValidationError, match="depuis"):
        await _update(db, chloe, since=date(2026, 2, 1))
    with pytest.raises(ValidationError, match="dans le futur"):
        await _update(db, chloe, territory="03", since=TODAY + timedelta(days=1))


async def test_search_filters_in_sql_active_first(db: Database, territories) -> None:
    for i in range(30):
        former = await _offline(db, f"Ancien {i:02d}", date(2020, 1, 1))
        async with db.transaction(lock=True) as session:
            await members.record_departure(session, A, former, date(2025, 1, 1), today=TODAY)
    await _offline(db, "Ancienne Active", date(2020, 1, 1))
    await _offline(db, "Zoé 100%_x", date(2020, 1, 1))
    async with db.transaction() as session:
        active = await members.search(session, A, "ancien", active_only=True)
        everyone = await members.search(session, A, "ancien")
        literal = await members.search(session, A, "100%_")
        wildcard = await members.search(session, A, "%")
    assert [m.display_name for m in active] == ["Ancienne Active"]
    assert len(everyone) == 25 and everyone[0].display_name == "Ancienne Active"
    assert [m.display_name for m in everyone[1:3]] == ["Ancien 00", "Ancien 01"]
    assert [m.display_name for m in literal] == ["Zoé 100%_x"]
    assert [m.display_name for m in wildcard] == ["Zoé 100%_x"]  # « % » is text, not a wildcard


async def test_names_resolve_accents_and_case_ignored(db: Database, territories) -> None:
    await _offline(db, "Léa Girard", date(2020, 1, 1))
    await _offline(db, "Lucas Petit", date(2020, 1, 1))
    await _offline(db, "Sam Roux", date(2020, 1, 1))
    await _offline(db, "sam roux", date(2021, 1, 1))
    async with db.transaction() as session:
        found = await members.resolve_names(session, A, "lea girard\u00a0; LUCAS PETIT, Léa Girard\n")
        assert [m.display_name for m in found] == ["Léa Girard", "Lucas Petit"]
        assert await members.resolve_names(session, A, " , ") == []
        with pytest.raises(NotFoundError, match="Introuvable dans l'annuaire\u00a0: Personne"):
            await members.resolve_names(session, A, "Léa Girard, Personne")
        with pytest.raises(ValidationError, match="Plusieurs membres"):
            await members.resolve_names(session, A, "Sam Roux")


async def test_natural_spellings_of_territories_and_list_values(db: Database, territories) -> None:
    async with db.transaction() as session:
        for typed in ("63", "puy de dome", "PUY-DE-DÔME", "63 Puy-de-Dôme", " Puy-de-Dôme "):
            assert (await guilds.require_territory(session, A, typed)).code == "63", typed
        with pytest.raises(NotFoundError):
            await guilds.require_territory(session, A, "Cantal")
        for typed, expected in (
            ("mediatheque", "Médiathèque"),
            ("CENTRE SOCIAL", "Centre social"),
            ("educateur specialise", "Éducateur·rice spécialisé·e"),
        ):
            list_name = lists.PROFESSIONS if "educ" in typed else lists.STRUCTURE_TYPES
            assert await lists.require_choice(session, A, list_name, typed) == expected
        with pytest.raises(ValidationError):
            await lists.require_choice(session, A, lists.STRUCTURE_TYPES, "Piscine")


async def test_a_session_already_held_takes_attendance_at_once(db: Database, territories) -> None:
    lea = await _offline(db, "Léa Girard", date(2020, 1, 1))
    start = datetime(2026, 10, 15, 7, 30, tzinfo=UTC)
    draft = EventDraft(
        title="Analyse de la pratique",
        type="practice_review",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        format="remote",
    )
    async with db.transaction() as session:
        with pytest.raises(ValidationError, match="déjà passée"):  # /evenement creer still refuses the past
            await events_service.create_event(session, A, draft, now=NOW)
    async with db.transaction(lock=True) as session:
        event = await events_service.create_event(session, A, draft, now=NOW, allow_past=True)
        assert (event.reminder_hours, event.link) == ("", None)  # no reminder; a link is not needed
        assert await attendance_service.attendance_taken(session, [event.id]) == set()
        await attendance_service.add_walk_in(session, A, event.id, lea, now=NOW)
        assert await attendance_service.attendance_taken(session, [event.id]) == {event.id}
    upcoming = EventDraft(
        title="À venir",
        type="practice_review",
        starts_at=NOW + timedelta(days=2),
        ends_at=NOW + timedelta(days=2, hours=2),
        format="remote",
    )
    async with db.transaction() as session:
        with pytest.raises(ValidationError, match="n'a pas encore eu lieu"):
            await events_service.create_event(session, A, upcoming, now=NOW, allow_past=True)
        assert len((await session.scalars(select(Member))).all()) == 1


async def test_a_request_closed_on_the_day_the_help_was_given(db: Database, territories) -> None:
    from bot.services.periods import ALL
    from bot.services.recap import indicators as R
    from bot.services.recap import year as recap_year
    from bot.services.requests import lifecycle
    from bot.services.requests import rules as request_rules

    async with db.transaction(lock=True) as session:
        await members.update_profile(
            session,
            A,
            10,
            "Alice",
            ProfileChanges(territory="63", strand=YOUTH, joined_on=date(2020, 1, 1)),
            today=TODAY,
        )
    asked = datetime(2026, 12, 18, 15, 0, tzinfo=UTC)
    coordination = request_rules.Actor(99, "Claire", True)
    requests = []
    async with db.transaction(lock=True) as session:
        for _ in range(2):
            request = await lifecycle.create_request(
                session,
                A,
                10,
                kind="individual",
                mode=None,
                subject="Instagram",
                details="Aide",
                availability=None,
                actor_name="Alice",
                now=asked,
            )
            await lifecycle.claim(session, A, request.id, coordination, now=asked)
            requests.append(request.id)
    later = datetime(2027, 1, 6, 9, 0, tzinfo=UTC)
    async with db.transaction(lock=True) as session:
        with pytest.raises(ValidationError, match="précède la demande"):
            await lifecycle.close(
                session,
                A,
                requests[0],
                coordination,
                outcome="Fait",
                duration_minutes=None,
                people_reached=None,
                now=later,
                day=date(2026, 12, 17),
            )
        with pytest.raises(ValidationError, match="dans le futur"):
            await lifecycle.close(
                session,
                A,
                requests[0],
                coordination,
                outcome="Fait",
                duration_minutes=None,
                people_reached=None,
                now=later,
                day=date(2027, 1, 7),
            )
    async with db.transaction(lock=True) as session:
        dated = await lifecycle.close(
            session,
            A,
            requests[0],
            coordination,
            outcome="Fait",
            duration_minutes=None,
            people_reached=None,
            now=later,
            day=date(2026, 12, 20),
        )
        same_day = await lifecycle.close(
            session,
            A,
            requests[1],
            coordination,
            outcome="Fait",
            duration_minutes=None,
            people_reached=None,
            now=later,
            day=date(2026, 12, 18),
        )
    assert dated.closed_at == datetime(2026, 12, 20, 11, 0, tzinfo=UTC)  # noon in Paris
    assert same_day.closed_at == asked  # noon would precede the request (16 h in Paris)
    async with db.transaction() as session:
        in_2026 = await recap_year.computed_year(session, A, 2026, [])
    assert in_2026[ALL][R.ACCOMPANIMENTS] == 2
