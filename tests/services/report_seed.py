"""The seed's 2021 network (tests/services/test_recap_seed.py) completed with what the annual
report adds: coordination hours, the coordinator's trainings, governance meetings, a
survey, watch digests and the texts only a person writes. Shared by the report's service
test and its end-to-end test."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.db import Database
from bot.services import activity as activity_service
from bot.services import report as report_service
from bot.services import survey as survey_service
from bot.services.recap import history as recap_import
from bot.services.watch import digests as watch_digests
from bot.services.watch import items as watch_items
from tests.services.test_recap_seed import (
    AFTER_2021,
    COORDINATOR,
    GUILD,
    HISTORY_CSV,
    PDN_03,
    PDN_63,
    build_seed_network,
)

# The seed's p.19 split: 17 % Allier, 18 % Puy-de-Dôme, 65 % commun (hours of 2021).
COORDINATION_HOURS = {"03": 170.0, "63": 180.0, "commun": 650.0}
TRAININGS = [
    (date(2021, 2, 9), "Valeurs de la République et Laïcité, Fédération des centres sociaux de l'Allier", 1),
    (date(2021, 4, 13), "Accompagner les 0-18 ans sur le numérique, IREPS", 1),
    (date(2021, 9, 21), "Santé sexuelle et santé mentale chez les jeunes, IREPS", 1),
    (date(2021, 10, 7), "Journée de l'inclusion numérique, Conseil départemental de l'Allier", 1),
    (date(2021, 11, 16), "Réunions du collectif Collimateur", 2),
]
GOVERNANCE = [
    (date(2021, 3, 23), "technical_committee", "Bilan 2020 et volet Parentalité"),
    (date(2021, 7, 6), "steering_committee", "Validation des critères du volet Parentalité"),
]
TEXTS = {
    report_service.CARRIER: "Fédération des Centres Sociaux de l'Allier\nContact\u00a0: promeneurs@example.org",
    report_service.HIGHLIGHTS: (
        "En 2021, le quotidien des structures et des Promeneurs du Net est à nouveau marqué par "
        "la crise sanitaire\u00a0: protocoles, jauges et annulations d'activités.\n"
        "2021 est aussi l'année de l'expérimentation d'un volet Parentalité\u00a0!"
    ),
    report_service.PERSPECTIVES: "Poursuivre l'évaluation d'impact social\u00a0; former les nouveaux Promeneurs.",
}
DIGESTS = [("2021-03", 4), ("2021-06", 5), ("2021-11", 3)]  # (period, links)


async def build_report_network(db: Database, guild: int = GUILD, *, texts: bool = True) -> None:
    await build_seed_network(db, guild)
    async with db.transaction(lock=True) as session:
        await recap_import.import_csv(session, guild, HISTORY_CSV.read_bytes(), now=AFTER_2021)
    today = date(2022, 1, 3)
    for territory, hours in COORDINATION_HOURS.items():
        for month in range(1, 11):  # one entry a month (300 h at most each)
            async with db.transaction() as session:
                await activity_service.log_activity(
                    session,
                    guild,
                    COORDINATOR,
                    "coordination",
                    quantity=hours / 10,
                    day=date(2021, month, 28),
                    territory=territory,
                    today=today,
                    is_coordinator=True,
                )
    for day, title, times in TRAININGS:
        async with db.transaction() as session:
            await activity_service.log_activity(
                session,
                guild,
                COORDINATOR,
                "coordinator_training",
                quantity=times,
                day=day,
                territory="commun",
                note=title,
                today=today,
                is_coordinator=True,
            )
    for day, kind, note in GOVERNANCE:
        async with db.transaction() as session:
            await activity_service.log_activity(
                session,
                guild,
                COORDINATOR,
                kind,
                day=day,
                territory="commun",
                note=note,
                today=today,
                is_coordinator=True,
            )
    # A survey answered by the two Promeneurs on Discord.
    launched = datetime(2021, 6, 1, 8, 0, tzinfo=UTC)
    async with db.transaction(lock=True) as session:
        campaign = await survey_service.launch(session, guild, date(2021, 6, 30), now=launched)
        structures = await survey_service.structure_choices(session, guild)
    for discord_id, hours, networks in (
        (PDN_63, "Entre 2 et 4 h", ("Instagram", "Snapchat")),
        (PDN_03, "Moins de 2 h", ("Facebook", "Instagram")),
    ):
        async with db.transaction() as session:
            await survey_service.answer(
                session,
                guild,
                discord_id,
                campaign.id,
                survey_service.AnswerInput(
                    audience="15–17 ans",
                    structure_type=structures[0],
                    weekly_hours=hours,
                    networks=networks,
                ),
                now=launched.replace(day=10),
            )
    # Three monthly watch digests published in 2021.
    for period, links in DIGESTS:
        year, month = (int(x) for x in period.split("-"))
        at = datetime(year, month, 5, 9, 0, tzinfo=UTC)
        for n in range(links):
            async with db.transaction(lock=True) as session:
                await watch_items.add_link(
                    session,
                    guild,
                    url=f"https://example.org/{period}/{n}",
                    discord_id=PDN_63,
                    display_name="PdN 63",
                    now=at,
                    title=f"Article {n}",
                )
        async with db.transaction(lock=True) as session:
            await watch_digests.prepare_digest(session, guild, period, today=at.date())
            await watch_digests.mark_published(session, guild, period, at.replace(day=28))
    if texts:
        for section, body in TEXTS.items():
            async with db.transaction() as session:
                await report_service.save_text(session, guild, 2021, section, body, now=AFTER_2021)
