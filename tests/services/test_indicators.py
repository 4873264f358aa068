"""The evaluation indicators on the real database: the monthly form's parsing and storage,
the offer's targets, the weekly slots, the structure flags, and a synthetic month that comes
out exactly in the recap, its exports and the CSV import."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.db import Database
from bot.db.models.indicators import MonthlyCount, PresenceSlot
from bot.errors import NotFoundError, ValidationError
from bot.services import guilds as guilds_service
from bot.services import indicators as I
from bot.services import members as members_service
from bot.services import presence, privacy
from bot.services.members import ProfileChanges
from bot.services.recap import history as recap_import
from bot.services.recap import year as recap_year
from bot.ui import recap_exports

GUILD, ALICE, BOB, CAROL = 1, 11, 12, 13
TODAY = date(2027, 7, 3)
JUNE = date(2027, 6, 1)
NOW = datetime(2027, 7, 3, 10, tzinfo=UTC)


@pytest.fixture
async def network(db: Database) -> Database:
    async with db.transaction(lock=True) as session:
        await guilds_service.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        await guilds_service.add_territory(session, GUILD, "03", "Allier")
        for who, name, territory, strand in (
            (ALICE, "Alice", "63", "youth"),
            (BOB, "Bob", "03", "parenting"),
            (CAROL, "Carol", "63", "youth"),
        ):
            await members_service.update_profile(
                session,
                GUILD,
                who,
                name,
                ProfileChanges(territory=territory, strand=strand, joined_on=date(2026, 1, 5)),
                today=date(2027, 1, 10),
            )
    return db


async def _contacts(db: Database, who: int, month: date, *fields: str, today: date = TODAY) -> None:
    given = I.parse_contacts(*fields)
    async with db.transaction(lock=True) as session:
        await I.save_contacts(session, GUILD, who, month, given, today=today)


async def _themes(db: Database, who: int, month: date, pairs: list[str]) -> None:
    async with db.transaction(lock=True) as session:
        await I.save_themes(session, GUILD, who, month, I.parse_themes(pairs), today=TODAY)


def test_form_values_are_parsed() -> None:
    given = I.parse_contacts("40", "12", "3", "2 / 5 / 4 / 1", "Instagram 7, snap 3, tiktok: 2, Instagram 1")
    assert given.values()["contacts_touches"] == 40
    assert given.ages == [2, 5, 4, 1]
    assert given.networks == {"reseau_instagram": 8, "reseau_snapchat": 3, "reseau_tiktok": 2}
    empty = I.parse_contacts("0", "", "", "", "")
    assert (empty.private, empty.ages, empty.networks) == (0, [0, 0, 0, 0], {})
    themes = I.parse_themes(["3 / 1", "", "0/2", "1\u00a0; 0", "0, 4"])
    assert themes["theme_lien_social"] == 3 and themes["theme_loisirs"] == 1
    assert themes["theme_addictions"] == 2 and themes["theme_vie_affective"] == 1 and themes["theme_numerique"] == 4
    assert sum(themes.values()) == 11


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            ("-3", "", "", "", ""),
            "«\u00a0-3\u00a0» n'est pas un nombre entier positif (Jeunes ou parents touchés (publications, permanences)).",
        ),
        (
            ("deux", "", "", "", ""),
            "«\u00a0deux\u00a0» n'est pas un nombre entier positif (Jeunes ou parents touchés (publications, permanences)).",
        ),
        (
            ("1", "2", "", "1 / 1", ""),
            "Par âge (11–14 / 15–17 / 18–25 / parents)\u00a0: donnez 4 nombres séparés par «\u00a0/\u00a0», par exemple «\u00a02 / 3 / 1 / 0\u00a0» (vous avez écrit «\u00a01 / 1\u00a0»).",
        ),
        (("1", "2", "", "1 / 1 / 1 / 0", ""), "La répartition par âge (3) dépasse le nombre de contacts en privé (2)."),
        (
            ("1", "", "", "", "Myspace 3"),
            "Réseau inconnu\u00a0: «\u00a0Myspace\u00a0». Réseaux possibles\u00a0: Facebook, Instagram, Snapchat, TikTok, Discord, Twitch, YouTube, WhatsApp, X, Autre.",
        ),
        (
            ("1", "", "", "", "Instagram"),
            "Indiquez un nombre après chaque réseau, par exemple «\u00a0Instagram 4, Snapchat 2\u00a0» (vous avez écrit «\u00a0Instagram\u00a0»).",
        ),
        (
            ("1000001", "", "", "", ""),
            "«\u00a01000001\u00a0» n'est pas un nombre entier positif (Jeunes ou parents touchés (publications, permanences)).",
        ),
        (("١٢", "", "", "", ""), None),  # Arabic-Indic digits: refused by the shared parser
    ],
)
def test_bad_form_values_are_refused(fields: tuple[str, ...], message: str | None) -> None:
    with pytest.raises(ValidationError) as error:
        I.parse_contacts(*fields)
    if message is not None:
        assert error.value.message == message


def test_months_editable_until_the_15th_of_the_next() -> None:
    assert I.default_month(date(2027, 7, 15)) == JUNE
    assert I.default_month(date(2027, 7, 16)) == date(2027, 7, 1)
    assert I.deadline(date(2027, 12, 1)) == date(2028, 1, 15)
    I.check_editable(JUNE, date(2027, 7, 15))
    with pytest.raises(ValidationError) as error:
        I.check_editable(JUNE, date(2027, 7, 16))
    assert (
        error.value.message
        == "Le mois 06/2027 n'est plus modifiable (saisie possible jusqu'au 15/07/2027). Remplissez le mois en cours."
    )
    with pytest.raises(ValidationError):
        I.check_editable(date(2027, 8, 1), date(2027, 7, 16))


async def test_a_month_is_replaced_not_added_and_offer_targets(network: Database) -> None:
    await _contacts(network, ALICE, JUNE, "10", "4", "1", "1 / 2 / 1 / 0", "Instagram 4")
    await _contacts(network, ALICE, JUNE, "12", "5", "2", "1 / 2 / 1 / 1", "Snapchat 5")
    async with network.transaction() as session:
        entry = await I.month_entry(session, GUILD, ALICE, JUNE)
        assert {k: v for k, v in entry.items() if v} == {
            "contacts_touches": 12,
            "contacts_prives": 5,
            "contacts_projets": 2,
            "contacts_11_14": 1,
            "contacts_15_17": 2,
            "contacts_18_25": 1,
            "contacts_parents": 1,
            "reseau_snapchat": 5,
        }
        # Alice answered, Bob turned the offer off: only Carol gets the reminder.
        await I.set_offer(session, GUILD, BOB, on=False)
        assert await I.offer_targets(session, GUILD, JUNE, unanswered_only=False) == [ALICE, CAROL]
        assert await I.offer_targets(session, GUILD, JUNE, unanswered_only=True) == [CAROL]
        await I.set_offer(session, GUILD, BOB, on=True)
        assert await I.offer_targets(session, GUILD, JUNE, unanswered_only=True) == [BOB, CAROL]
        with pytest.raises(NotFoundError):
            await I.set_offer(session, GUILD, 999, on=False)


async def test_synthetic_month_comes_out_exactly_in_the_recap_and_exports(network: Database) -> None:
    await _contacts(network, ALICE, JUNE, "40", "12", "3", "2 / 5 / 4 / 1", "Instagram 7, Snapchat 5")
    await _themes(network, ALICE, JUNE, ["3 / 1", "2 / 0", "1 / 0", "0 / 0", "0 / 4"])
    await _contacts(network, BOB, JUNE, "25", "6", "1", "0 / 0 / 0 / 6", "Facebook 6")
    await _themes(network, BOB, JUNE, ["1 / 0", "0 / 5", "", "", ""])
    await _contacts(network, CAROL, date(2027, 5, 1), "5", "1", "0", "", "", today=date(2027, 6, 2))
    async with network.transaction() as session:
        alice = await members_service.find_by_discord(session, GUILD, ALICE)
        alice.priority_district = True
        bob = await members_service.find_by_discord(session, GUILD, BOB)
        bob.rural_area = True
        await presence.add_slot(session, GUILD, ALICE, 2, "18h", "20h30", "Instagram", today=date(2027, 3, 1))
        await presence.add_slot(session, GUILD, BOB, 4, "17h", "18h", "Facebook", today=date(2027, 3, 1))
        removed = await presence.add_slot(session, GUILD, CAROL, 0, "9h", "10h", "Discord", today=date(2027, 3, 1))
        await presence.remove_slot(session, GUILD, CAROL, removed.id, today=date(2027, 5, 1))
    async with network.transaction() as session:
        year = await recap_year.year_recap(session, GUILD, 2027, now=NOW)
    s = lambda scope, key: year.synthesis[scope][key].value  # noqa: E731
    assert [s("", k) for k in ("contacts_touches", "contacts_prives", "contacts_projets", "bilans_mensuels")] == [
        70,
        19,
        4,
        3,
    ]
    assert [s("63", k) for k in ("contacts_touches", "contacts_prives", "contacts_projets", "bilans_mensuels")] == [
        45,
        13,
        3,
        2,
    ]
    assert [s("03", k) for k in ("contacts_touches", "contacts_prives", "contacts_projets")] == [25, 6, 1]
    assert [s("", k) for k in I.AGES] == [2, 5, 4, 7]
    assert (s("", "reseau_instagram"), s("", "reseau_snapchat"), s("", "reseau_facebook"), s("", "reseau_x")) == (
        7,
        5,
        6,
        0,
    )
    assert {k: s("", k) for k in I.THEMES if s("", k)} == {
        "theme_lien_social": 4,
        "theme_loisirs": 1,
        "theme_orientation_emploi": 2,
        "theme_sante": 1,
        "theme_numerique": 4,
        "theme_parentalite": 5,
    }
    assert (
        s("", "promeneurs_qpv"),
        s("63", "promeneurs_qpv"),
        s("", "promeneurs_rural"),
        s("03", "promeneurs_rural"),
    ) == (1, 1, 1, 1)
    # Carol's Monday slot was removed in May: not in 2027's weekly hours.
    assert (s("", "permanences_heures"), s("", "permanences_promeneurs"), s("63", "permanences_heures")) == (
        3.5,
        2,
        2.5,
    )
    assert year.indicator_months[6]["contacts_touches"] == 65 and year.indicator_months[5]["contacts_touches"] == 5
    assert year.indicator_months[6]["bilans_mensuels"] == 2

    flat = list(csv.reader(io.StringIO(recap_exports.to_csv(year).decode("utf-8-sig")), delimiter=";"))
    assert ["2027", "", "contacts_touches", "70", "calculé", ""] in flat
    assert ["2027", "63", "theme_numerique", "4", "calculé", ""] in flat
    assert ["2027", "", "permanences_heures", "3,5", "calculé", ""] in flat
    markdown = recap_exports.to_markdown(year).decode()
    assert "## Indicateurs d'évaluation" in markdown and "| Parentalité | 5 |" in markdown
    sheet = load_workbook(io.BytesIO(recap_exports.to_xlsx(year)))["Indicateurs"]
    rows = {r[1]: r[2:] for r in sheet.iter_rows(values_only=True) if r[1]}
    assert rows["contacts_touches"][:3] == (70, 25, 45)  # Ensemble, 03, 63
    months = {r[0]: r[2:6] for r in sheet.iter_rows(values_only=True) if r[0] in ("Mai 2027", "Juin 2027")}
    assert months == {"Mai 2027": (5, 1, 0, 1), "Juin 2027": (65, 18, 4, 2)}

    # The import format knows the codes: a past year's figure shows instead of nothing.
    text = 'annee,territoire,indicateur,valeur,note\n2026,,contacts_touches,300,bilan papier\n2026,63,permanences_heures,"4,5",\n'
    async with network.transaction(lock=True) as session:
        await recap_import.import_csv(session, GUILD, text.encode(), now=NOW)
        again = await recap_year.year_recap(session, GUILD, 2027, now=NOW)
    past = again.evolution[2026]
    assert (past[""]["contacts_touches"].value, past[""]["contacts_touches"].imported) == (300, True)
    assert past["63"]["permanences_heures"].value == 4.5


async def test_slots_are_checked_and_the_grid_is_by_territory(network: Database) -> None:
    async with network.transaction() as session:
        await presence.add_slot(session, GUILD, ALICE, 2, "18h", "20h", "Instagram", today=TODAY)
        await presence.add_slot(session, GUILD, BOB, 2, "9:30", "11h", "Facebook", today=TODAY)
        for args, message in (
            ((2, "19h", "21h", "Snapchat"), "Ce créneau chevauche votre permanence du mercredi 18h–20h sur Instagram."),
            ((2, "21h", "20h", "Snapchat"), "La fin (20h) doit être après le début (21h), le même jour."),
            (
                (2, "25h", "26h", "Snapchat"),
                "«\u00a025h\u00a0» n'est pas une heure\u00a0: écrivez-la comme «\u00a018h\u00a0», «\u00a018h30\u00a0» ou «\u00a018:30\u00a0».",
            ),
            ((2, "18h", "20h", "Myspace"), "Réseau inconnu\u00a0: choisissez-le dans la liste."),
        ):
            with pytest.raises(ValidationError) as error:
                await presence.add_slot(session, GUILD, ALICE, *args, today=TODAY)
            assert error.value.message == message
        everyone = await presence.grid(session, GUILD, None, today=TODAY)
        assert [(v.member_name, v.hours, v.territory) for v in everyone] == [
            ("Bob", "9h30–11h", "03"),
            ("Alice", "18h–20h", "63"),
        ]
        only = await presence.grid(session, GUILD, "63", today=TODAY)
        assert [v.member_name for v in only] == ["Alice"]
        with pytest.raises(NotFoundError):
            await presence.remove_slot(session, GUILD, BOB, only[0].id, today=TODAY)  # Alice's


async def test_erasure_keeps_the_counts_and_closes_the_slots(network: Database) -> None:
    await _contacts(network, ALICE, JUNE, "4", "1", "0", "", "")
    async with network.transaction(lock=True) as session:
        await presence.add_slot(session, GUILD, ALICE, 1, "18h", "19h", "Discord", today=date(2027, 1, 10))
        member = await members_service.find_by_discord(session, GUILD, ALICE)
        exported = await I.PRIVACY_HOOK.export(session, member)
        assert exported["permanences"][0]["jour"] == "Mardi"
        assert {
            "mois": "06/2027",
            "indicateur": "Jeunes ou parents touchés (publications, permanences)",
            "valeur": 4,
        } in exported["bilans_mensuels"]
        await privacy.anonymise_member(session, GUILD, ALICE, [I.PRIVACY_HOOK], now=NOW)
    async with network.transaction() as session:
        assert await presence.grid(session, GUILD, None, today=TODAY) == []
        slot = await session.scalar(select(PresenceSlot))
        assert slot.removed_on == TODAY
        counts = (await session.scalars(select(MonthlyCount).where(MonthlyCount.indicator == "contacts_touches"))).all()
        assert [c.value for c in counts] == [4]


async def test_report_section_puts_the_declared_hours_beside_the_survey(network: Database) -> None:
    from bot.services import survey
    from bot.services.report import ReportData
    from bot.ui.report.blocks import Para, Table
    from bot.ui.report.indicators import indicators

    async with network.transaction(lock=True) as session:
        campaign = await survey.launch(session, GUILD, date(2027, 6, 20), now=datetime(2027, 6, 1, 8, tzinfo=UTC))
    for who, hours in ((ALICE, "2 h"), (BOB, "Plus de 4 h")):
        async with network.transaction(lock=True) as session:
            given = survey.AnswerInput(
                "15–17 ans" if who == ALICE else "Parents d'adolescents", "Centre social", hours, ("Instagram",)
            )
            await survey.answer(session, GUILD, who, campaign.id, given, now=datetime(2027, 6, 2, 8, tzinfo=UTC))
    async with network.transaction() as session:
        assert indicators(ReportData(await recap_year.year_recap(session, GUILD, 2027, now=NOW))) is None  # nothing yet
        await presence.add_slot(session, GUILD, ALICE, 2, "18h", "20h30", "Instagram", today=date(2027, 3, 1))
    await _contacts(network, BOB, JUNE, "25", "6", "1", "0 / 0 / 0 / 6", "Facebook 6")
    async with network.transaction() as session:
        section = indicators(ReportData(await recap_year.year_recap(session, GUILD, 2027, now=NOW)))
    texts = [b.text for b in section.blocks if isinstance(b, Para)]
    assert (
        "1 Promeneur a déclaré des permanences en ligne\u00a0: 2,5 h par semaine en tout. Au questionnaire, "
        "temps de présence en ligne par semaine\u00a0: 2 h (1 réponse), plus de 4 h (1 réponse)."
    ) in texts
    assert (
        "→ Soit 25 jeunes ou parents touchés (publications, permanences), 6 contacts en privé et 1 accompagnement sur un projet, d'après 1 bilan mensuel."
        in texts
    )
    tables = [b for b in section.blocks if isinstance(b, Table)]
    assert [t.rows for t in tables] == [
        [["Juin 2027", "25", "6", "1", "1"]],
        [["Parents", "6"]],
        [["Facebook", "6"]],
    ]


async def test_a_double_submission_leaves_one_answer(network: Database) -> None:
    """Two submissions of the same month at once (a double click): one answer, no error."""
    import asyncio

    async def submit(reached: str) -> None:
        async with network.transaction(lock=True) as session:
            await I.save_contacts(session, GUILD, ALICE, JUNE, I.parse_contacts(reached, "1", "0", "", ""), today=TODAY)

    await asyncio.gather(submit("10"), submit("20"))
    async with network.transaction() as session:
        rows = (await session.scalars(select(MonthlyCount).where(MonthlyCount.indicator == "contacts_touches"))).all()
    assert len(rows) == 1 and rows[0].value in (10, 20)
