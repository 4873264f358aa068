"""The recap reproduces every figure of ../shared/seed/expected-2021.md, and the evolution
table of the seed with 2018–2020 imported from historique-2018-2020.csv.

The seed's 2021 network is built through the services: members through the directory,
presentations through activity logging, accompaniments through the requests service,
network sessions through the events service."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.dates import localize
from bot.db import Database
from bot.db.models import requests as request_models
from bot.db.models.member import PARENTING, YOUTH
from bot.services import activity as activity_service
from bot.services import guilds as guilds_service
from bot.services import lists, recap, recap_import
from bot.services import members as members_service
from bot.services.events import lifecycle as events_service
from bot.services.events import rules as event_rules
from bot.services.members import ProfileChanges
from bot.services.recap import ALL, SHARED
from bot.services.requests import lifecycle
from bot.services.requests import rules as request_rules

GUILD = 4242
# A copy of ../shared/seed/historique-2018-2020.csv (the seed's past years, import format).
HISTORY_CSV = Path(__file__).resolve().parents[1] / "data" / "historique-2018-2020.csv"
COORDINATOR = 9000
# Discord ids of the two Promeneurs who log the presentations.
PDN_63, PDN_03 = 1063, 1003
EXTRA_PROFESSIONS = (
    "Conseiller·ère en insertion",
    "Médiateur·rice numérique",
    "Psychologue",
    "Assistant·e social·e",
    "Bibliothécaire",
)
AFTER_2021 = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)


def _at(day: date, hour: int) -> datetime:
    return localize(datetime(day.year, day.month, day.day, hour, 0))


# (title, territory, format, days, date)
SESSIONS_2021 = [
    ("Réunion d'accueil des nouveaux", None, "remote", 0.5, date(2021, 2, 4), "welcome_meeting"),
    ("Réunion d'accueil des nouveaux", None, "remote", 0.5, date(2021, 9, 16), "welcome_meeting"),
    ("Démarrer et progresser sur les réseaux sociaux", "63", "in_person", 1, date(2021, 3, 11), "onboarding_training"),
    ("Démarrer et progresser sur les réseaux sociaux", "03", "in_person", 1, date(2021, 4, 8), "onboarding_training"),
    ("Audiovisuel et web-tv", "63", "in_person", 1, date(2021, 1, 21), "thematic_training"),
    ("Audiovisuel et web-tv", "63", "in_person", 1, date(2021, 10, 14), "thematic_training"),
    ("Vie intime et sexualité sur Internet", "63", "in_person", 1, date(2021, 5, 20), "thematic_training"),
    ("Fake news et fabrique de l'information", "63", "in_person", 1, date(2021, 6, 10), "thematic_training"),
    ("Fake news et fabrique de l'information", "03", "in_person", 1, date(2021, 6, 24), "thematic_training"),
    ("Échange de pratiques Parentalité", "63", "in_person", 1, date(2021, 11, 18), "practice_exchange"),
    ("Conférence «\u00a0Pornographie sur les écrans\u00a0»", "03", "in_person", 1, date(2021, 12, 2), "conference"),
    ("Analyse de la pratique", None, "remote", 0.5, date(2021, 3, 2), "practice_review"),
    ("Analyse de la pratique", None, "remote", 0.5, date(2021, 5, 4), "practice_review"),
    ("Analyse de la pratique", None, "remote", 0.5, date(2021, 9, 28), "practice_review"),
    ("Analyse de la pratique", None, "remote", 0.5, date(2021, 11, 30), "practice_review"),
    ("Présentation du site Info-Jeunes", None, "remote", 0.5, date(2021, 12, 14), "other"),
]

# territory -> (youth, parenting, structure type indexes, profession indexes)
NETWORK = {
    "63": (64, 8, range(0, 12), range(0, 13)),
    "03": (41, 6, range(5, 18), range(5, 17)),
}
# territory -> individual, team, project, coanimation (done in 2021)
ACCOMPANIMENTS = {"63": (10, 4, 5, 4), "03": (5, 3, 6, 4)}
PRESENTATIONS = {"63": [1, 2], "03": [2, 1, 1, 1]}  # quantities logged (3 and 5)


async def build_seed_network(db: Database, guild: int = GUILD) -> dict[str, list[int]]:
    """Returns the member ids per territory."""
    today = date(2021, 12, 31)
    async with db.transaction() as session:
        await guilds_service.ensure_guild(session, guild)
        await guilds_service.add_territory(session, guild, "63", "Puy-de-Dôme")
        await guilds_service.add_territory(session, guild, "03", "Allier")
        for value in EXTRA_PROFESSIONS:
            await lists.add_value(session, guild, lists.PROFESSIONS, value)
        structures = await lists.values(session, guild, lists.STRUCTURE_TYPES)
        professions = await lists.values(session, guild, lists.PROFESSIONS)
    assert len(structures) == 18 and len(professions) == 17
    ids: dict[str, list[int]] = {}
    for code, (youth, parenting, s_idx, p_idx) in NETWORK.items():
        s_values, p_values = [structures[i] for i in s_idx], [professions[i] for i in p_idx]
        ids[code] = []
        for i in range(youth + parenting):
            changes = ProfileChanges(
                territory=code,
                strand=YOUTH if i < youth else PARENTING,
                structure_type=s_values[i % len(s_values)],
                profession=p_values[i % len(p_values)],
                # A third joined during 2021, the others before.
                joined_on=date(2021, 1 + i % 12, 1) if i % 3 == 0 else date(2019 + i % 2, 9, 1),
            )
            async with db.transaction(lock=True) as session:
                if i == 0:  # the Promeneur who logs the presentations, on Discord
                    member, _ = await members_service.update_profile(
                        session,
                        guild,
                        PDN_63 if code == "63" else PDN_03,
                        f"PdN {code}",
                        changes,
                        today=today,
                    )
                else:
                    member = await members_service.add_offline_member(
                        session, guild, f"Promeneur {code}-{i}", changes, today=today
                    )
                ids[code].append(member.id)
    # Someone who left in 2020 is not a Promeneur of 2021.
    async with db.transaction(lock=True) as session:
        gone = await members_service.add_offline_member(
            session,
            guild,
            "Parti en 2020",
            ProfileChanges(
                territory="63",
                strand=YOUTH,
                structure_type=structures[0],
                profession=professions[0],
                joined_on=date(2019, 1, 1),
            ),
            today=date(2020, 6, 1),
        )
        await members_service.record_departure(session, guild, gone.id, date(2020, 6, 30), today=date(2020, 7, 1))

    # Presentations, logged by a Promeneur of each territory.
    for code, quantities in PRESENTATIONS.items():
        for n, quantity in enumerate(quantities):
            async with db.transaction() as session:
                await activity_service.log_activity(
                    session,
                    guild,
                    PDN_63 if code == "63" else PDN_03,
                    "presentation",
                    quantity=quantity,
                    day=date(2021, 3 + n, 10),
                    today=date(2022, 1, 3),
                )
    async with db.transaction() as session:  # the ninth presentation of p.2 is in 2022
        await activity_service.log_activity(
            session,
            guild,
            PDN_63,
            "presentation",
            day=date(2022, 1, 3),
            territory="commun",
            today=date(2022, 1, 3),
        )

    # Accompaniments done in 2021, recorded by the coordination.
    actor = request_rules.Actor(COORDINATOR, "Claire", True)
    for code, per_kind in ACCOMPANIMENTS.items():
        n = 0
        for kind, count in zip(request_models.KINDS, per_kind, strict=True):
            for _ in range(count):
                async with db.transaction(lock=True) as session:
                    await lifecycle.record_offline(
                        session,
                        guild,
                        ids[code][n % len(ids[code])],
                        kind=kind,
                        mode="phone",
                        day=date(2021, 1 + n % 12, 15),
                        outcome="Aide apportée",
                        duration_minutes=60,
                        people_reached=None,
                        actor=actor,
                        today=date(2022, 1, 3),
                        now=AFTER_2021,
                    )
                n += 1

    # The 16 network sessions, created before they happen; plus one cancelled.
    created = datetime(2020, 12, 1, 9, 0, tzinfo=UTC)
    for title, territory, fmt, days, day, kind in SESSIONS_2021:
        async with db.transaction() as session:
            await events_service.create_event(
                session,
                guild,
                event_rules.EventDraft(
                    title=title,
                    type=kind,
                    starts_at=_at(day, 9),
                    ends_at=_at(day, 12 if days == 0.5 else 17),
                    format=fmt,
                    duration_days=days,
                    territory=territory or "commun",
                    place="Salle du réseau" if fmt != "remote" else None,
                    link="https://visio.example.org/pdn" if fmt != "in_person" else None,
                ),
                now=created,
            )
    async with db.transaction(lock=True) as session:
        cancelled = await events_service.create_event(
            session,
            guild,
            event_rules.EventDraft(
                title="Formation annulée",
                type="thematic_training",
                starts_at=_at(date(2021, 7, 1), 9),
                ends_at=_at(date(2021, 7, 1), 17),
                format="in_person",
                territory="63",
                place="Riom",
            ),
            now=created,
        )
        await events_service.cancel_event(session, guild, cancelled.id, now=created + timedelta(days=1))
    return ids


def values(figures: recap.Figures, *keys: str) -> tuple:
    return tuple(figures[k].value for k in keys)


@pytest.fixture
async def seed_recap(db: Database) -> recap.YearRecap:
    await build_seed_network(db)
    async with db.transaction() as session:
        await recap_import.import_csv(session, GUILD, HISTORY_CSV.read_bytes(), now=AFTER_2021)
    async with db.transaction() as session:
        return await recap.year_recap(session, GUILD, 2021, now=AFTER_2021)


async def test_synthesis_2021_matches_the_seed(seed_recap: recap.YearRecap) -> None:
    s = seed_recap.synthesis
    keys = (
        recap.PROMENEURS,
        recap.YOUTH_COUNT,
        recap.PARENTING_COUNT,
        recap.PROFESSIONS,
        recap.STRUCTURE_TYPES,
        recap.PRESENTATIONS,
        recap.ACCOMP_INDIVIDUAL,
        recap.ACCOMP_TEAM,
        recap.ACCOMPANIMENTS,
    )
    assert values(s["63"], *keys) == (72, 64, 8, 13, 12, 3, 10, 4, 23)
    assert values(s["03"], *keys) == (47, 41, 6, 12, 13, 5, 5, 3, 18)
    assert values(s[ALL], *keys) == (119, 105, 14, 17, 18, 8, 15, 7, 41)
    # No one left in 2021: the year's figure is also the count at 31 December.
    assert values(s[ALL], recap.AT_YEAR_END, recap.DEPARTURES) == (119, 0)
    assert not any(f.imported for f in s[ALL].values())


async def test_network_sessions_2021_match_the_seed(seed_recap: recap.YearRecap) -> None:
    s = seed_recap.synthesis
    keys = (recap.SESSIONS, recap.SESSIONS_IN_PERSON, recap.SESSIONS_REMOTE, recap.SESSION_DAYS)
    assert values(s[ALL], *keys) == (16, 9, 7, 12.5)  # the cancelled one is not counted
    assert values(s["63"], *keys) == (6, 6, 0, 6)
    assert values(s["03"], *keys) == (3, 3, 0, 3)
    assert values(s[SHARED], *keys) == (7, 0, 7, 3.5)


async def test_evolution_table_imports_2018_2020_and_computes_2021(seed_recap: recap.YearRecap) -> None:
    r = seed_recap
    assert r.evolution_years == [2018, 2019, 2020, 2021]
    row = lambda scope, key: [r.evolution[y][scope][key].value for y in r.evolution_years]  # noqa: E731
    assert row(ALL, recap.PROMENEURS) == [43, 66, 99, 119]
    assert row(ALL, recap.STRUCTURE_TYPES) == [8, 13, 16, 18]
    assert row(ALL, recap.PROFESSIONS) == [8, 10, 16, 17]
    assert row(ALL, recap.PRESENTATIONS) == [None, 36, 15, 8]
    assert row(ALL, recap.SESSIONS) == [3, 10, 21, 16]
    assert row(ALL, recap.SESSIONS_IN_PERSON)[2:] == [9, 9]
    assert row(ALL, recap.SESSIONS_REMOTE)[2:] == [12, 7]
    assert row(ALL, recap.SESSION_DAYS) == [3, 8, 14, 12.5]
    assert row(ALL, recap.ACCOMPANIMENTS) == [0, 16, 25, 41]
    assert row("63", recap.PROMENEURS) == [25, 43, 59, 72]
    assert row("03", recap.PROMENEURS) == [18, 23, 39, 47]
    assert row("63", recap.ACCOMPANIMENTS) == [0, 8, 15, 23]
    assert row("03", recap.ACCOMPANIMENTS) == [0, 8, 10, 18]
    # Imported figures are marked, with their note.
    presentations_2020 = r.evolution[2020][ALL][recap.PRESENTATIONS]
    assert presentations_2020.imported and presentations_2020.note == "dont 1 visio"
    assert r.evolution[2020]["63"][recap.SESSIONS_REMOTE].note == "communes 63/03"
    assert not r.evolution[2021][ALL][recap.PROMENEURS].imported
