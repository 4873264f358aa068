"""Accompaniment requests on the real migrated database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set): the status machine, permissions, the concurrent claim, sweeps'
flags, retention, privacy and the recap figures."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import Member
from bot.db.models.member import PARENTING, YOUTH
from bot.db.models.requests import INDIVIDUAL, PROJECT, TEAM, AccompanimentRequest, RequestEvent
from bot.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from bot.services import guilds, members, privacy
from bot.services.members import ProfileChanges
from bot.services.periods import ALL, SHARED, Window
from bot.services.recap import indicators as R
from bot.services.recap import month as recap_month
from bot.services.recap import year as recap_year
from bot.services.requests import figures as request_figures
from bot.services.requests import jobs, lifecycle, retention
from bot.services.requests import parsing as request_parsing
from bot.services.requests import privacy as request_privacy
from bot.services.requests import queries as request_queries
from bot.services.requests.rules import Actor

GUILD = 2002
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)  # Monday 10:00 Paris
ALICE, BOB, CLAIRE, DAVID = 11, 12, 21, 22
alice = Actor(ALICE, "Alice Martin", False)
bob = Actor(BOB, "Bob Durand", False)
claire = Actor(CLAIRE, "Claire", True)
david = Actor(DAVID, "David", True)


@pytest.fixture
async def setup(db: Database) -> Database:
    async with db.transaction(lock=True) as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        await guilds.add_territory(session, GUILD, "03", "Allier")
        await members.update_profile(
            session,
            GUILD,
            ALICE,
            "Alice Martin",
            ProfileChanges(territory="63", strand=YOUTH),
            today=date(2027, 1, 10),
        )
        await members.update_profile(
            session,
            GUILD,
            BOB,
            "Bob Durand",
            ProfileChanges(territory="03", strand=PARENTING),
            today=date(2027, 1, 10),
        )
        await members.update_profile(
            session,
            GUILD,
            CLAIRE,
            "Claire",
            ProfileChanges(territory="63", strand=YOUTH),
            today=date(2027, 1, 10),
        )
    return db


async def _create(db: Database, who: int = ALICE, *, kind: str = "individual", now: datetime = NOW) -> int:
    async with db.transaction(lock=True) as session:
        request = await lifecycle.create_request(
            session,
            GUILD,
            who,
            kind=kind,
            mode="visio",
            subject="Compte Instagram",
            details="Ouvrir un compte pour la structure",
            availability="mardi",
            actor_name="X",
            now=now,
        )
        return request.id


async def _get(db: Database, request_id: int) -> AccompanimentRequest:
    async with db.transaction() as session:
        return await session.get(AccompanimentRequest, request_id)  # type: ignore[return-value]


async def test_create_keeps_profile_territory_strand_and_numbers(setup: Database) -> None:
    db = setup
    first, second = await _create(db, ALICE), await _create(db, BOB)
    a, b = await _get(db, first), await _get(db, second)
    assert (a.number, a.territory_code, a.strand, a.status, a.source) == (1, "63", YOUTH, "open", "discord")
    assert (b.number, b.territory_code, b.strand) == (2, "03", PARENTING)
    # A later change of territory does not move the request.
    async with db.transaction(lock=True) as session:
        await members.update_profile(
            session, GUILD, ALICE, "Alice Martin", ProfileChanges(territory="03"), today=date(2027, 7, 1)
        )
    assert (await _get(db, first)).territory_code == "63"


async def test_create_refuses_bad_input_and_writes_nothing(setup: Database) -> None:
    db = setup
    cases = [
        (dict(kind="individual", subject="", details="x"), "Le sujet est obligatoire."),
        (dict(kind="individual", subject="x" * 101, details="x"), "Le sujet dépasse 100 caractères"),
        (dict(kind="individual", subject="x", details="  "), "La description du besoin est obligatoire."),
        (dict(kind="party", subject="x", details="x"), "Type d'accompagnement inconnu"),
    ]
    for values, message in cases:
        with pytest.raises(ValidationError) as error:
            async with db.transaction(lock=True) as session:
                await lifecycle.create_request(
                    session, GUILD, ALICE, mode=None, availability=None, actor_name="A", now=NOW, **values
                )
        assert message in error.value.message
    with pytest.raises(NotFoundError) as error:
        async with db.transaction(lock=True) as session:
            await lifecycle.create_request(
                session,
                GUILD,
                999,
                kind="individual",
                mode=None,
                subject="x",
                details="x",
                availability=None,
                actor_name="Z",
                now=NOW,
            )
    assert error.value.message == "Vous n'avez pas encore de profil. Créez-le avec /profil modifier."
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(AccompanimentRequest)) == 0


async def test_status_machine_and_history(setup: Database) -> None:
    db = setup
    rid = await _create(db)
    t = NOW
    async with db.transaction(lock=True) as session:
        with pytest.raises(ConflictError, match="cliquez d'abord sur «\u00a0Prendre en charge\u00a0»"):
            await lifecycle.schedule(session, GUILD, rid, claire, t + timedelta(days=2), now=t)
    async with db.transaction(lock=True) as session:
        with pytest.raises(ConflictError, match="annulez-la plutôt"):
            await lifecycle.close(
                session, GUILD, rid, alice, outcome="ok", duration_minutes=None, people_reached=None, now=t
            )
    async with db.transaction(lock=True) as session:
        claimed = await lifecycle.claim(session, GUILD, rid, claire, now=t + timedelta(hours=3))
    assert (claimed.status, claimed.claimed_by_name) == ("claimed", "Claire")
    assert claimed.first_response_at == t + timedelta(hours=3)
    async with db.transaction(lock=True) as session:
        with pytest.raises(ValidationError, match="est déjà passé"):
            await lifecycle.schedule(session, GUILD, rid, claire, t - timedelta(hours=1), now=t)
    async with db.transaction(lock=True) as session:
        scheduled = await lifecycle.schedule(
            session, GUILD, rid, claire, t + timedelta(days=3), now=t + timedelta(hours=4)
        )
    assert scheduled.status == "scheduled" and not scheduled.reminded_day_before
    async with db.transaction(lock=True) as session:
        with pytest.raises(ValidationError, match="La note de résultat est obligatoire"):
            await lifecycle.close(
                session,
                GUILD,
                rid,
                claire,
                outcome=" ",
                duration_minutes=None,
                people_reached=None,
                now=t + timedelta(days=4),
            )
    async with db.transaction(lock=True) as session:
        done = await lifecycle.close(
            session,
            GUILD,
            rid,
            claire,
            outcome="Compte créé",
            duration_minutes=90,
            people_reached=None,
            now=t + timedelta(days=4),
        )
    assert (done.status, done.closed_at, done.duration_minutes) == ("done", t + timedelta(days=4), 90)
    async with db.transaction(lock=True) as session:
        with pytest.raises(ConflictError, match="est «\u00a0terminée\u00a0»\u00a0: impossible de l'annuler"):
            await lifecycle.cancel(session, GUILD, rid, alice, now=t + timedelta(days=4))
    async with db.transaction(lock=True) as session:
        with pytest.raises(PermissionDeniedError, match="Seul·e l'auteur·rice"):
            await lifecycle.rate(session, GUILD, rid, claire, 5, now=t + timedelta(days=4))
    async with db.transaction(lock=True) as session:
        rated = await lifecycle.rate(session, GUILD, rid, alice, 4, now=t + timedelta(days=5))
    assert rated.rating == 4
    async with db.transaction(lock=True) as session:
        reopened = await lifecycle.reopen(session, GUILD, rid, alice, now=t + timedelta(days=6))
    assert (reopened.status, reopened.closed_at, reopened.rating, reopened.outcome) == ("open", None, None, None)
    async with db.transaction(lock=True) as session:
        cancelled = await lifecycle.cancel(session, GUILD, rid, alice, now=t + timedelta(days=7))
    assert cancelled.status == "cancelled" and cancelled.closed_at == t + timedelta(days=7)
    async with db.transaction(lock=True) as session:
        with pytest.raises(ConflictError, match="close depuis plus de 30 jours"):
            await lifecycle.reopen(session, GUILD, rid, alice, now=t + timedelta(days=40))
    async with db.transaction() as session:
        actions = [
            (e.action, e.actor_name)
            for e in await request_queries.history(session, await request_queries.by_id(session, GUILD, rid))
        ]
    assert actions == [
        ("created", "X"),
        ("claimed", "Claire"),
        ("scheduled", "Claire"),
        ("done", "Claire"),
        ("rated", "Alice Martin"),
        ("reopened", "Alice Martin"),
        ("cancelled", "Alice Martin"),
    ]


async def test_another_member_cannot_see_or_act(setup: Database) -> None:
    db = setup
    rid = await _create(db, ALICE)
    for action in (
        lambda s: lifecycle.cancel(s, GUILD, rid, bob, now=NOW),
        lambda s: lifecycle.claim(s, GUILD, rid, bob, now=NOW),
        lambda s: lifecycle.close(s, GUILD, rid, bob, outcome="x", duration_minutes=None, people_reached=None, now=NOW),
    ):
        with pytest.raises(PermissionDeniedError, match="n'est pas la vôtre"):
            async with db.transaction(lock=True) as session:
                await action(session)
    async with db.transaction() as session:
        with pytest.raises(PermissionDeniedError):
            await request_queries.visible_view(session, GUILD, 1, bob)
        with pytest.raises(NotFoundError, match="Aucune demande n°9"):
            await request_queries.visible_view(session, GUILD, 9, claire)
        assert [v.request.id for v in await request_queries.list_requests(session, GUILD, bob)] == []
        assert [v.request.id for v in await request_queries.list_requests(session, GUILD, alice)] == [rid]
        assert [v.request.id for v in await request_queries.list_requests(session, GUILD, claire)] == [rid]
    # The requester may not claim their own request (coordination only).
    with pytest.raises(PermissionDeniedError, match="Seule la coordination peut prendre en charge"):
        async with db.transaction(lock=True) as session:
            await lifecycle.claim(session, GUILD, rid, alice, now=NOW)
    assert (await _get(db, rid)).status == "open"


async def test_concurrent_claim_has_exactly_one_winner(setup: Database) -> None:
    db = setup
    rid = await _create(db)
    coordinators = [Actor(100 + i, f"Coord {i}", True) for i in range(8)]

    async def try_claim(actor: Actor) -> str:
        try:
            async with db.transaction(lock=True) as session:
                await lifecycle.claim(session, GUILD, rid, actor, now=NOW + timedelta(minutes=1))
            return "won"
        except ConflictError as error:
            return error.message

    results = await asyncio.gather(*(try_claim(a) for a in coordinators))
    assert results.count("won") == 1
    winner = coordinators[results.index("won")]
    for result in results:
        if result != "won":
            assert result == f"Trop tard\u00a0: la demande n°1 a déjà été prise en charge par {winner.name}."
    request = await _get(db, rid)
    assert (request.status, request.claimed_by_discord_id) == ("claimed", winner.discord_id)
    async with db.transaction() as session:
        claims = await session.scalar(
            select(func.count()).select_from(RequestEvent).where(RequestEvent.action == "claimed")
        )
    assert claims == 1


async def test_offline_record_counts_as_done(setup: Database) -> None:
    db = setup
    async with db.transaction() as session:
        bob_id = (await members.find_by_discord(session, GUILD, BOB)).id  # type: ignore[union-attr]
    with pytest.raises(PermissionDeniedError):
        async with db.transaction(lock=True) as session:
            await lifecycle.record_offline(
                session,
                GUILD,
                bob_id,
                kind="team",
                mode="on_site",
                day=date(2027, 6, 1),
                outcome="x",
                duration_minutes=None,
                people_reached=5,
                actor=alice,
                today=date(2027, 6, 14),
                now=NOW,
            )
    with pytest.raises(ValidationError, match="est dans le futur"):
        async with db.transaction(lock=True) as session:
            await lifecycle.record_offline(
                session,
                GUILD,
                bob_id,
                kind="team",
                mode="on_site",
                day=date(2027, 6, 20),
                outcome="x",
                duration_minutes=None,
                people_reached=5,
                actor=claire,
                today=date(2027, 6, 14),
                now=NOW,
            )
    async with db.transaction(lock=True) as session:
        request = await lifecycle.record_offline(
            session,
            GUILD,
            bob_id,
            kind="team",
            mode="on_site",
            day=date(2027, 6, 1),
            outcome="Atelier réseaux sociaux pour l'équipe",
            duration_minutes=120,
            people_reached=6,
            actor=claire,
            today=date(2027, 6, 14),
            now=NOW,
        )
    assert (request.status, request.source, request.territory_code, request.number) == ("done", "offline", "03", 1)
    assert request.closed_at == datetime(2027, 6, 1, 10, 0, tzinfo=UTC)
    async with db.transaction() as session:
        fig = await request_figures.figures(session, GUILD, Window.year(2027))
        counted = await recap_year.computed_year(session, GUILD, 2027, ["03"])
    assert fig["03"] == request_figures.ScopeFigures(requested=1, done=1, done_by_kind={TEAM: 1})
    assert [
        {key: counted[scope][key] for key in (R.ACCOMPANIMENTS, R.ACCOMP_INDIVIDUAL, R.ACCOMP_TEAM)}
        for scope in ("03", ALL)
    ] == [
        {R.ACCOMPANIMENTS: 1, R.ACCOMP_INDIVIDUAL: 0, R.ACCOMP_TEAM: 1}
    ] * 2  # help recorded outside Discord counts like the others


def test_parse_duration() -> None:
    assert [request_parsing.parse_duration(v) for v in ("90", "45 min", "1h30", "2 h", "", None)] == [
        90,
        45,
        90,
        120,
        None,
        None,
    ]
    for bad in ("abc", "1h75", "0", "25h"):
        with pytest.raises(ValidationError):
            request_parsing.parse_duration(bad)


async def test_figures_by_scope_and_window_through_the_recap(setup: Database) -> None:
    db = setup
    jan = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
    r1 = await _create(db, ALICE, kind=INDIVIDUAL, now=jan)
    r2 = await _create(db, BOB, kind=TEAM, now=jan + timedelta(days=31))
    r3 = await _create(db, ALICE, kind=PROJECT, now=jan + timedelta(days=40))
    async with db.transaction(lock=True) as session:
        await lifecycle.claim(session, GUILD, r1, claire, now=jan + timedelta(hours=2))
        await lifecycle.close(
            session,
            GUILD,
            r1,
            claire,
            outcome="ok",
            duration_minutes=30,
            people_reached=None,
            now=jan + timedelta(days=2),
        )
        await lifecycle.claim(session, GUILD, r2, claire, now=jan + timedelta(days=31, hours=6))
        await lifecycle.close(
            session,
            GUILD,
            r2,
            claire,
            outcome="ok",
            duration_minutes=60,
            people_reached=4,
            now=jan + timedelta(days=35),
        )
        await lifecycle.cancel(session, GUILD, r3, alice, now=jan + timedelta(days=41))
    async with db.transaction() as session:
        year = await request_figures.figures(session, GUILD, Window.year(2027))
        february = await request_figures.figures(session, GUILD, Window.month(2027, 2))
        january_summary = await recap_month.month_summary(session, GUILD, 2027, 1)
        february_summary = await recap_month.month_summary(session, GUILD, 2027, 2)
        march_summary = await recap_month.month_summary(session, GUILD, 2027, 3)
        computed = await recap_year.computed_year(session, GUILD, 2027, ["03", "63"])
    # Each request counts in the territory it was made from (Alice: 63, Bob: 03) and in all.
    assert year[ALL] == request_figures.ScopeFigures(
        requested=3, done=2, cancelled=1, done_by_kind={INDIVIDUAL: 1, TEAM: 1}
    )
    assert year["63"] == request_figures.ScopeFigures(requested=2, done=1, cancelled=1, done_by_kind={INDIVIDUAL: 1})
    assert year["03"] == request_figures.ScopeFigures(requested=1, done=1, done_by_kind={TEAM: 1})
    assert SHARED not in year
    assert february[ALL] == request_figures.ScopeFigures(requested=2, done=1, cancelled=1, done_by_kind={TEAM: 1})
    # The monthly summary and the year-end recap show these figures.
    assert (january_summary.requests_opened, january_summary.requests_done) == (1, 1)
    assert (february_summary.requests_opened, february_summary.requests_done) == (2, 1)
    assert (march_summary.requests_opened, march_summary.requests_cancelled) == (0, 0)
    assert february_summary.requests_cancelled == 1  # made and cancelled in February (day 41)
    assert computed[ALL][R.ACCOMPANIMENTS] == 2  # the project counts in no kind column
    assert computed["63"][R.ACCOMP_INDIVIDUAL] == 1 and computed["63"][R.ACCOMP_TEAM] == 0
    assert computed["03"][R.ACCOMP_TEAM] == 1
    assert computed[SHARED][R.ACCOMPANIMENTS] == 0


async def test_sweep_queries_are_idempotent(setup: Database) -> None:
    db = setup
    rid = await _create(db)
    async with db.transaction(lock=True) as session:
        await lifecycle.claim(session, GUILD, rid, claire, now=NOW)
        await lifecycle.schedule(session, GUILD, rid, claire, NOW + timedelta(days=3), now=NOW)
    session_at = NOW + timedelta(days=3)
    async with db.transaction(lock=True) as session:
        assert await jobs.due_reminders(session, session_at - timedelta(days=2)) == []
        due = await jobs.due_reminders(session, session_at - timedelta(hours=20))
        assert [d.which for d in due] == ["day"]
        await jobs.mark_reminded(session, rid, "day")
    async with db.transaction(lock=True) as session:
        assert await jobs.due_reminders(session, session_at - timedelta(hours=19)) == []
        assert [d.which for d in await jobs.due_reminders(session, session_at - timedelta(minutes=50))] == ["hour"]
        await jobs.mark_reminded(session, rid, "hour")
    async with db.transaction() as session:
        assert await jobs.due_reminders(session, session_at - timedelta(minutes=10)) == []
        assert await jobs.passed_sessions(session, session_at + timedelta(hours=1)) == []
        assert [d.request.id for d in await jobs.passed_sessions(session, session_at + timedelta(hours=3))] == [rid]


async def test_retention_purges_free_text_of_old_closed_requests(setup: Database) -> None:
    db = setup
    old, recent, active = await _create(db), await _create(db), await _create(db)
    async with db.transaction(lock=True) as session:
        await lifecycle.cancel(session, GUILD, old, alice, now=datetime(2025, 6, 1, tzinfo=UTC))
        await lifecycle.cancel(session, GUILD, recent, alice, now=datetime(2025, 6, 20, tzinfo=UTC))
    async with db.transaction(lock=True) as session:
        purged = await retention.purge_expired(session, NOW)  # 14/06/2027: limit 14/06/2025
    assert [r.id for r in purged] == [old]
    o, r, a = await _get(db, old), await _get(db, recent), await _get(db, active)
    assert (o.subject, o.details, o.availability, o.purged_at) == (None, None, None, NOW)
    assert o.kind == "individual" and o.territory_code == "63"  # figures stay
    assert r.subject == "Compte Instagram" and a.subject == "Compte Instagram"
    async with db.transaction(lock=True) as session:
        assert await retention.purge_expired(session, NOW) == []  # idempotent


async def test_privacy_export_and_anonymise(setup: Database) -> None:
    db = setup
    rid = await _create(db, ALICE)
    async with db.transaction(lock=True) as session:
        await lifecycle.claim(session, GUILD, rid, Actor(CLAIRE, "Claire", True), now=NOW)
    async with db.transaction() as session:
        data = await privacy.export_member(session, GUILD, ALICE, [request_privacy.PRIVACY_HOOK])
    [exported] = data["demandes_accompagnement"]
    assert (exported["numero"], exported["sujet"], exported["statut"]) == (1, "Compte Instagram", "Prise en charge")
    async with db.transaction(lock=True) as session:
        await privacy.anonymise_member(session, GUILD, ALICE, [request_privacy.PRIVACY_HOOK], now=NOW)
        await privacy.anonymise_member(session, GUILD, CLAIRE, [request_privacy.PRIVACY_HOOK], now=NOW)
    request = await _get(db, rid)
    assert (request.subject, request.details, request.availability) == (None, None, None)
    assert request.kind == "individual" and request.territory_code == "63"
    assert (request.claimed_by_discord_id, request.claimed_by_name) == (None, "Membre anonymisé")
    async with db.transaction() as session:
        names = [e.actor_name for e in (await session.scalars(select(RequestEvent))).all()]
        ids = [e.actor_discord_id for e in (await session.scalars(select(RequestEvent))).all()]
        assert await session.scalar(select(func.count()).select_from(Member)) == 3
    assert names == ["Membre anonymisé", "Membre anonymisé"] and ids == [None, None]
