"""Recap statistics edge cases on the real database (DESIGN.md §3)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.dates import localize
from bot.db import Database
from bot.errors import ValidationError
from bot.services import activity as activity_service
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services.events import attendance as attendance_service
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import rules as event_rules
from bot.services.members import ProfileChanges
from bot.services.periods import ALL, SHARED
from bot.services.recap import history as recap_import
from bot.services.recap import indicators as R
from bot.services.recap import month as recap_month
from bot.services.recap import year as recap_year
from bot.services.requests import lifecycle
from bot.services.requests import rules as request_rules
from tests.services.recap_network import add_member, add_territories

GUILD = 7
NOW = datetime(2028, 1, 4, 9, 0, tzinfo=UTC)
BEFORE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def network(db: Database) -> Database:
    return await add_territories(db, GUILD)


async def _member(db: Database, discord_id: int, territory: str, strand: str, joined: date, **kw) -> int:
    return await add_member(db, GUILD, discord_id, territory, strand, joined, **kw)


async def _year(db: Database, year: int = 2027) -> recap_year.YearRecap:
    async with db.transaction() as session:
        return await recap_year.year_recap(session, GUILD, year, now=NOW)


async def test_members_leaving_or_moving_count_once_where_they_ended_the_year(network: Database) -> None:
    db = network
    await _member(
        db, 1, "63", "youth", date(2026, 5, 1), structure_type="Centre social", profession="Référent·e famille"
    )
    leaver = await _member(db, 2, "63", "youth", date(2026, 5, 1), structure_type="Médiathèque")
    await _member(db, 3, "63", "youth", date(2027, 2, 1), structure_type="Centre social")
    await _member(db, 4, "03", "parenting", date(2028, 1, 2))  # joined after the year
    # 3 moves to 03 and to Parentalité on 1 September 2027.
    async with db.transaction(lock=True) as session:
        await members_service.update_profile(
            session, GUILD, 3, "M3", ProfileChanges(territory="03", strand="parenting"), today=date(2027, 9, 1)
        )
        await members_service.record_departure(session, GUILD, leaver, date(2027, 6, 30), today=date(2027, 7, 1))
    r = await _year(db)
    s = r.synthesis
    pick = lambda scope, *keys: tuple(s[scope][k].value for k in keys)  # noqa: E731
    keys = (
        R.PROMENEURS,
        R.YOUTH_COUNT,
        R.PARENTING_COUNT,
        R.AT_YEAR_END,
        R.ARRIVALS,
        R.DEPARTURES,
    )
    assert pick(ALL, *keys) == (3, 2, 1, 2, 1, 1)
    assert pick("63", *keys) == (2, 2, 0, 1, 0, 1)  # the leaver counts where they left
    assert pick("03", *keys) == (1, 0, 1, 1, 1, 0)  # the mover counts once, where they ended
    assert pick(ALL, R.STRUCTURE_TYPES, R.PROFESSIONS) == (2, 1)  # distinct, not a sum
    assert pick("63", R.STRUCTURE_TYPES) == (2,)
    assert pick("03", R.STRUCTURE_TYPES) == (1,)
    # In 2026 the mover had not joined; the leaver was there.
    r2026 = await _year(db, 2026)
    assert r2026.synthesis["63"][R.PROMENEURS].value == 2
    assert r2026.synthesis["03"][R.PROMENEURS].value == 0


async def test_sessions_half_days_hybrid_cancelled_and_attendance(network: Database) -> None:
    db = network
    members = [await _member(db, 10 + i, "63", "youth", date(2026, 1, 1)) for i in range(3)]

    async def event(
        title: str,
        day: date,
        fmt: str,
        territory: str | None,
        days: float | None = None,
        capacity: int | None = None,
        hour: int = 9,
    ) -> int:
        async with db.transaction() as session:
            e = await events_service.create_event(
                session,
                GUILD,
                event_rules.EventDraft(
                    title=title,
                    type="thematic_training",
                    starts_at=localize(datetime(day.year, day.month, day.day, hour)),
                    ends_at=localize(datetime(day.year, day.month, day.day, hour)) + timedelta(hours=3),
                    format=fmt,
                    duration_days=days,
                    territory=territory or "commun",
                    capacity=capacity,
                    place=None if fmt == "remote" else "Riom",
                    link=None if fmt == "in_person" else "https://visio.example.org",
                ),
                now=BEFORE,
            )
            return e.id

    hybrid = await event("Hybride", date(2027, 3, 4), "hybrid", "63", capacity=4)
    await event("Visio", date(2027, 4, 4), "remote", None)  # 3 hours: half a day
    cancelled = await event("Annulée", date(2027, 5, 4), "in_person", "63", days=1)
    await event("Nouvel an", date(2027, 12, 31), "remote", "03", days=0.5, hour=23)  # 23:00 Paris still 2027
    await event("2028", date(2028, 1, 1), "in_person", "03", hour=0)
    async with db.transaction(lock=True) as session:
        await events_service.cancel_event(session, GUILD, cancelled, now=BEFORE)
        for discord_id in (10, 11, 12):
            await regs.register(session, GUILD, hybrid, discord_id, now=BEFORE)
        sheet_time = datetime(2027, 3, 4, 12, 0, tzinfo=UTC)
        await attendance_service.set_attendance(
            session, GUILD, hybrid, shown=members, present=members[:2], now=sheet_time
        )
    s = (await _year(db)).synthesis
    pick = lambda scope, *keys: tuple(s[scope][k].value for k in keys)  # noqa: E731
    keys = (R.SESSIONS, R.SESSIONS_IN_PERSON, R.SESSIONS_REMOTE, R.SESSIONS_HYBRID, R.SESSION_DAYS)
    assert pick(ALL, *keys) == (3, 1, 2, 1, 1.5)
    assert pick("63", *keys) == (1, 1, 0, 1, 0.5)
    assert pick(SHARED, *keys) == (1, 0, 1, 0, 0.5)
    assert pick("03", *keys) == (1, 0, 1, 0, 0.5)
    rates = (R.ATTENDANCE, R.REGISTERED, R.REACHED, R.REGISTRATION_RATE, R.FILL_RATE)
    assert pick(ALL, *rates) == (2, 3, 2, 0.75, 0.5)
    assert pick(SHARED, R.FILL_RATE) == (None,)  # no capacity, no rate


async def test_accompaniments_count_done_requests_where_they_were_made(network: Database) -> None:
    db = network
    m63 = await _member(db, 20, "63", "youth", date(2026, 1, 1))
    actor = request_rules.Actor(900, "Claire", True)
    async with db.transaction(lock=True) as session:
        for kind in ("individual", "team", "project"):
            await lifecycle.record_offline(
                session,
                GUILD,
                m63,
                kind=kind,
                mode=None,
                day=date(2027, 5, 2),
                outcome="ok",
                duration_minutes=None,
                people_reached=None,
                actor=actor,
                today=date(2028, 1, 2),
                now=NOW,
            )
        opened = await lifecycle.create_request(
            session,
            GUILD,
            20,
            kind="individual",
            mode=None,
            subject="Aide",
            details="Instagram",
            availability=None,
            actor_name="M20",
            now=datetime(2027, 11, 2, 9, tzinfo=UTC),
        )
        await lifecycle.cancel(
            session,
            GUILD,
            opened.id,
            request_rules.Actor(20, "M20", False),
            now=datetime(2027, 11, 3, 9, tzinfo=UTC),
        )
    s = (await _year(db)).synthesis
    assert [s["63"][k].value for k in (R.ACCOMP_INDIVIDUAL, R.ACCOMP_TEAM, R.ACCOMPANIMENTS)] == [1, 1, 3]
    async with db.transaction() as session:
        month = await recap_month.month_summary(session, GUILD, 2027, 11)
    assert (month.requests_opened, month.requests_done, month.requests_cancelled) == (1, 0, 1)


async def test_presentations_include_commun_in_the_total_and_coordination_split(network: Database) -> None:
    db = network
    await _member(db, 30, "63", "youth", date(2026, 1, 1))
    async with db.transaction() as session:
        for territory, quantity in (("63", 2), ("commun", 1), ("03", 1)):
            await activity_service.log_activity(
                session,
                GUILD,
                30,
                "presentation",
                quantity=quantity,
                territory=territory,
                day=date(2027, 3, 1),
                today=date(2027, 12, 31),
            )
        for territory, hours in (("63", 60), ("03", 30), (None, 10)):
            await activity_service.log_activity(
                session,
                GUILD,
                900,
                "coordination",
                quantity=hours,
                territory=territory,
                day=date(2027, 3, 1),
                today=date(2027, 12, 31),
                is_coordinator=True,
            )
    r = await _year(db)
    assert [r.synthesis[s][R.PRESENTATIONS].value for s in ("63", "03", SHARED, ALL)] == [2, 1, 1, 4]
    assert [(s, h, round(p, 2)) for s, h, p in r.coordination_split] == [
        ("03", 30, 0.3),
        ("63", 60, 0.6),
        (SHARED, 10, 0.1),
    ]


async def test_a_year_with_no_data_is_an_honest_empty_recap(network: Database) -> None:
    r = await _year(network, 2010)
    assert r.is_empty
    assert r.evolution_years == [2010]
    assert r.synthesis[ALL][R.PROMENEURS].value == 0
    assert r.survey is None


async def test_import_reports_line_and_column_and_replaces_keys(network: Database) -> None:
    async def run(text: str) -> recap_import.ImportResult:
        async with network.transaction(lock=True) as session:
            return await recap_import.import_csv(session, GUILD, text.encode(), now=NOW)

    header = "annee,territoire,indicateur,valeur,note\n"
    errors = {
        "annee,territoire,indic,valeur,note\n": "Ligne 1 : en-tête attendu « annee,territoire,indicateur,valeur,note » (trouvé « annee,territoire,indic,valeur,note »).",
        header
        + "2019,,promeneurs,3\n": "Ligne 2 : 4 colonnes au lieu de 5 (annee, territoire, indicateur, valeur, note).",
        header
        + "1999,,promeneurs,3,\n": "Ligne 2, colonne « annee » : « 1999 » n'est pas une année entre 2000 et 2028.",
        header
        + "2019,,promeneurs,3,\n2019,,membres,3,\n": "Ligne 3, colonne « indicateur » : « membres » est inconnu (attendus : promeneurs, types_structures, types_professions, presentations, reunions, reunions_presentiel, reunions_distanciel, reunions_jours, accompagnements ou un indicateur d'évaluation\u00a0: contacts_…, reseau_…, theme_…, voir le guide).",
        header
        + "2019,,promeneurs,-3,\n": "Ligne 2, colonne « valeur » : « -3 » n'est pas un nombre positif (laissez vide si la valeur est inconnue).",
        header
        + "2019,63,promeneurs,3,\n2019,63,promeneurs,4,\n": "Ligne 3 : 2019 / 63 / promeneurs figure déjà ligne 2.",
        header: "Le fichier ne contient aucune ligne de données après l'en-tête.",
        "": "Le fichier est vide : la première ligne doit être « annee,territoire,indicateur,valeur,note ».",
    }
    for text, message in errors.items():
        with pytest.raises(ValidationError) as error:
            await run(text)
        assert error.value.message == message
    first = await run(header + '2019,,promeneurs,60,\n2019,63,reunions_jours,"4,5",\n')
    assert (first.rows, first.replaced) == (2, 0)
    second = await run(header + "2019;;promeneurs;66;corrigé\n".replace(";", ","))
    assert second.replaced == 1
    r = await _year(network, 2019)
    assert r.synthesis[ALL][R.PROMENEURS] == R.Figure(66, True, "corrigé")
    assert r.synthesis["63"][R.SESSION_DAYS] == R.Figure(4.5, True, None)


async def test_month_summary_counts_arrivals_departures_watch_links_and_activities(network: Database) -> None:
    from bot.services.watch import items as watch_items

    db = network
    await _member(db, 40, "63", "youth", date(2027, 6, 3))
    gone = await _member(db, 41, "03", "youth", date(2026, 1, 1))
    async with db.transaction(lock=True) as session:
        await members_service.record_departure(session, GUILD, gone, date(2027, 6, 20), today=date(2027, 6, 30))
        for n in range(2):
            await watch_items.add_link(
                session,
                GUILD,
                url=f"https://exemple.org/article-{n}",
                discord_id=40,
                display_name="M40",
                now=datetime(2027, 6, 10 + n, 9, tzinfo=UTC),
            )
        await activity_service.log_activity(
            session, GUILD, 40, "public_workshop", quantity=2, day=date(2027, 6, 5), today=date(2027, 6, 30)
        )
        await activity_service.log_activity(
            session, GUILD, 40, "public_workshop", day=date(2027, 7, 1), today=date(2027, 7, 1)
        )
    async with db.transaction() as session:
        m = await recap_month.month_summary(session, GUILD, 2027, 6)
    assert (m.period, m.arrivals, m.departures, m.active_at_end) == ("2027-06", 1, 1, 1)
    assert (m.watch_items, m.digests) == (2, 0)
    assert m.activities == {("63", "public_workshop"): (1, 2.0)}


async def test_a_national_recap_fits_discord_limits(network: Database) -> None:
    from bot.ui import recap_tables

    async with network.transaction(lock=True) as session:
        for n in range(10, 40):
            await guilds_service.add_territory(session, GUILD, str(n), f"Territoire {n}")
    for n in range(10, 40):
        await _member(network, 100 + n, str(n), "youth", date(2026, 1, 1))
    r = await _year(network)
    embeds = recap_tables.year_embeds(r)
    groups = recap_tables.pack(embeds)
    assert all(len(g) <= 10 and sum(len(e) for e in g) <= 6000 for g in groups)
    assert all(len(f.value) <= 1024 for e in embeds for f in e.fields)
    notes = {f.name: f.value for f in embeds[0].fields}["À noter"]
    assert notes.startswith("32 territoires\u00a0: le détail par territoire est dans le tableur joint")
