"""Attendance certificates and the year summary on the real migrated database, read back
from the PDFs with pypdf: names, training, dates, duration, place, signature block."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from bot.dates import parse_datetime
from bot.db import Database
from bot.db.models.events import IN_PERSON, REMOTE
from bot.db.models.member import YOUTH
from bot.errors import NotFoundError
from bot.services import activity as activity_service
from bot.services import certificates as service
from bot.services import guilds, members, privacy
from bot.services import report as report_service
from bot.services.events import attendance as attendance_service
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events.rules import EventDraft
from bot.services.members import ProfileChanges
from bot.services.requests import lifecycle
from bot.services.requests.rules import Actor
from bot.ui import certificates as ui

GUILD = 3003
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
AFTER = datetime(2027, 11, 20, 8, 0, tzinfo=UTC)
TODAY = date(2027, 11, 27)
ALICE, BOB, CAROL = 501, 502, 503


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, on one line (a name cut after a hyphen at a line's end is joined)."""
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]
    return [re.sub(r"(?<=\w-) (?=\w)", "", page) for page in pages]


async def _event(db: Database, **values) -> int:
    async with db.transaction() as session:
        event = await events_service.create_event(session, GUILD, EventDraft(**values), now=NOW)
        return event.id


async def _attend(db: Database, event_id: int, present: list[int], absent: list[int] = ()) -> None:
    everyone = [*present, *absent]
    async with db.transaction(lock=True) as session:
        ids = {}
        for discord_id in everyone:
            await regs.register(session, GUILD, event_id, discord_id, now=NOW)
            ids[discord_id] = (await members.find_by_discord(session, GUILD, discord_id)).id
        await attendance_service.set_attendance(
            session, GUILD, event_id, shown=list(ids.values()), present={ids[d] for d in present}, now=AFTER
        )


@pytest.fixture
async def network(db: Database) -> dict[str, int]:
    async with db.transaction(lock=True) as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        await guilds.add_territory(session, GUILD, "03", "Allier")
        for discord_id, name in ((ALICE, "Alice Martin"), (BOB, "Bob Durand"), (CAROL, "Carol Petit")):
            await members.update_profile(
                session,
                GUILD,
                discord_id,
                name,
                ProfileChanges(territory="63", strand=YOUTH, joined_on=date(2020, 9, 1), structure_name="MJC Riom"),
                today=TODAY,
            )
    training = await _event(
        db,
        title="Démarrer et progresser sur les réseaux sociaux",
        type="thematic_training",
        starts_at=parse_datetime("22/06/2027 9h30"),
        ends_at=parse_datetime("22/06/2027 16h30"),
        format=IN_PERSON,
        place="Centre social, Riom",
        territory="63",
    )
    remote = await _event(
        db,
        title="Analyse de la pratique en ligne",
        type="practice_review",
        starts_at=parse_datetime("14/09/2027 9h"),
        ends_at=parse_datetime("15/09/2027 12h30"),
        format=REMOTE,
        link="https://visio.example.org/apc",
        territory="commun",
    )
    await _attend(db, training, present=[ALICE, BOB], absent=[CAROL])
    await _attend(db, remote, present=[ALICE])
    return {"training": training, "remote": remote}


def test_durations_and_hours() -> None:
    assert service.session_hours(parse_datetime("22/06/2027 9h30"), parse_datetime("22/06/2027 16h30")) == 7.0
    assert service.session_hours(parse_datetime("22/06/2027 9h"), parse_datetime("22/06/2027 12h30")) == 3.5
    # Over two days: the daily span (9 h → 12 h 30) on each calendar day.
    assert service.session_hours(parse_datetime("14/09/2027 9h"), parse_datetime("15/09/2027 12h30")) == 7.0
    # Ends earlier in the day than it starts: 7 h a day.
    assert service.session_hours(parse_datetime("14/09/2027 14h"), parse_datetime("16/09/2027 12h")) == 21.0
    assert [ui.days_text(d) for d in (0.5, 1, 1.5, 2, 2.5)] == [
        "une demi-journée",
        "1 jour",
        "1 jour et demi",
        "2 jours",
        "2 jours et demi",
    ]
    assert [ui.hours_text(h) for h in (1, 7, 3.5, 10.25)] == ["1 heure", "7 heures", "3 h 30", "10 h 15"]


async def test_one_certificate_per_person_present(db: Database, network) -> None:
    async with db.transaction() as session:
        everyone = await service.certificates(session, GUILD, network["training"])
        assert [a.name for a in everyone.attendees] == ["Alice Martin", "Bob Durand"]  # not Carol (absent)
        alice = (await members.find_by_discord(session, GUILD, ALICE)).id
        carol = (await members.find_by_discord(session, GUILD, CAROL)).id
        mine = await service.certificates(session, GUILD, network["training"], member_id=alice, own=True)
        with pytest.raises(NotFoundError, match="^Vous n'êtes pas noté·e présent·e"):
            await service.certificates(session, GUILD, network["training"], member_id=carol, own=True)
        with pytest.raises(NotFoundError, match="^Carol Petit n'est pas noté·e présent·e"):
            await service.certificates(session, GUILD, network["training"], member_id=carol)
        attended = await service.attended_events(session, GUILD, alice)
        assert [e.title for e in attended] == [
            "Analyse de la pratique en ligne",
            "Démarrer et progresser sur les réseaux sociaux",
        ]
        assert await service.attended_events(session, GUILD, carol) == []

    pages = pdf_pages(ui.certificates_pdf(everyone, TODAY))
    assert len(pages) == 2
    first = pages[0]
    for expected in (
        "Promeneurs du Net · Allier (03) · Puy-de-Dôme (63)",
        "ATTESTATION DE PRÉSENCE",
        "Alice Martin",
        "Démarrer et progresser sur les réseaux sociaux",
        "Formation thématique",
        "le mardi 22 juin 2027, de 9 h 30 à 16 h 30",
        "1 jour, soit 7 heures",
        "Centre social, Riom",
        "Fait le 27 novembre 2027",
        "Nom et fonction",  # no carrier text yet: a blank to fill in
    ):
        assert expected in first, expected
    assert "Bob Durand" in pages[1] and "Alice Martin" not in pages[1]
    numbers = [p.split("N° ")[1].split()[0] for p in pages]
    assert numbers[0].startswith(f"2027-{network['training']:04d}-") and len(set(numbers)) == 2
    assert pdf_pages(ui.certificates_pdf(mine, TODAY)) == pages[:1]  # same number when made again


async def test_remote_session_and_the_carrier_signature(db: Database, network) -> None:
    async with db.transaction() as session:
        await report_service.save_text(
            session,
            GUILD,
            2026,
            report_service.CARRIER,
            "Fédération des centres sociaux du Puy-de-Dôme\nClaire Coordination, coordinatrice",
            now=NOW,
        )
        data = await service.certificates(session, GUILD, network["remote"])
    [page] = pdf_pages(ui.certificates_pdf(data, TODAY))
    assert (
        "Analyse de la pratique" in page
        and "du mardi 14 septembre 2027 à 9 h au mercredi 15 septembre 2027 à 12 h 30" in page
    )
    assert "2 jours, soit 7 heures" in page
    assert "À distance" in page
    # The latest year's carrier text before the session's year.
    assert "Fédération des centres sociaux du Puy-de-Dôme" in page and "Claire Coordination, coordinatrice" in page
    assert "Nom et fonction" not in page


async def test_cancelled_nobody_present_and_erased(db: Database, network) -> None:
    empty = await _event(
        db,
        title="Réunion d'accueil",
        type="welcome_meeting",
        starts_at=parse_datetime("01/07/2027 9h"),
        ends_at=parse_datetime("01/07/2027 12h"),
        format=REMOTE,
        link="https://visio.example.org",
    )
    async with db.transaction(lock=True) as session:
        with pytest.raises(NotFoundError, match="Personne n'est noté·e présent·e"):
            await service.certificates(session, GUILD, empty)
        await events_service.cancel_event(session, GUILD, empty, now=NOW)
        with pytest.raises(NotFoundError, match="annulé"):
            await service.certificates(session, GUILD, empty)
    async with db.transaction(lock=True) as session:
        await privacy.anonymise_member(session, GUILD, BOB, [], now=AFTER)
    async with db.transaction() as session:
        everyone = await service.certificates(session, GUILD, network["training"])
        assert [a.name for a in everyone.attendees] == ["Alice Martin"]  # the erased one is gone


async def test_year_summary(db: Database, network) -> None:
    async with db.transaction(lock=True) as session:
        for kind, quantity, day in (
            ("presentation", 3, date(2027, 2, 3)),
            ("presentation", 1, date(2027, 5, 3)),
            ("online_presence", 12.5, date(2027, 4, 1)),
            ("public_workshop", 2, date(2027, 4, 2)),
            ("presentation", 5, date(2026, 5, 3)),  # another year
        ):
            await activity_service.log_activity(session, GUILD, ALICE, kind, quantity=quantity, day=day, today=TODAY)
        await activity_service.log_activity(
            session, GUILD, BOB, "presentation", quantity=7, day=date(2027, 2, 3), today=TODAY
        )
        await lifecycle.create_request(
            session,
            GUILD,
            ALICE,
            kind="individual",
            mode="visio",
            subject="Instagram",
            details="Aide",
            availability=None,
            actor_name="Alice Martin",
            now=NOW,
        )
        alice = (await members.find_by_discord(session, GUILD, ALICE)).id
        await lifecycle.record_offline(
            session,
            GUILD,
            alice,
            kind="individual",
            mode="phone",
            day=date(2027, 4, 2),
            outcome="Fait",
            duration_minutes=60,
            people_reached=None,
            actor=Actor(999, "Claire", True),
            today=TODAY,
            now=NOW,
        )
    async with db.transaction() as session:
        summary = await service.year_summary(session, GUILD, alice, 2027)
    assert [s.title for s in summary.sessions] == [
        "Démarrer et progresser sur les réseaux sociaux",
        "Analyse de la pratique en ligne",
    ]
    assert summary.activities == {"presentation": 4, "public_workshop": 2, "online_presence": 12.5}
    assert (summary.requests_made, summary.requests_helped) == (2, 1)
    [page] = pdf_pages(ui.summary_pdf(summary, TODAY))
    for expected in (
        "BILAN DE L'ANNÉE 2027",
        "Alice Martin",
        "MJC Riom",
        "Année en cours\u00a0: activité enregistrée jusqu'au 27 novembre 2027",
        "2 temps de réseau 3 jours (14 heures)",
        "4 présentations du dispositif",
        "12,5 h de présence éducative en ligne déclarées",
        "2 demandes d'accompagnement dont 1 menée à bien",
        "22/06/2027 Démarrer et progresser sur les réseaux sociaux",
        "14/09/2027 Analyse de la pratique en ligne",
        "Animation ou atelier avec le public 2",
        "Fait le 27 novembre 2027",
    ):
        assert expected.replace("\u00a0", " ") in page.replace("\u00a0", " ").replace("\u202f", " "), expected
    async with db.transaction() as session:
        past = await service.year_summary(session, GUILD, alice, 2026)
    [page] = pdf_pages(ui.summary_pdf(past, TODAY))
    assert "Année en cours" not in page and "Aucune présence enregistrée cette année." in page
    assert past.activities == {"presentation": 5}


def test_a_full_year_summary_stays_on_one_page() -> None:
    """The worst case of a Promeneur: many sessions with long titles, every activity kind
    a Promeneur logs (the coordination's own kinds are refused to them), the longest
    signature block. The page keeps its closing (date and signature)."""
    sessions = [
        service.SessionAttended(
            date(2027, 1 + i % 12, 1 + i),
            "Échange de pratiques\u00a0: accompagner les jeunes sur les réseaux " * 2,
            "Analyse de la pratique",
            2.5,
            17.5,
        )
        for i in range(25)
    ]
    summary = service.YearSummary(
        network="Promeneurs du Net · Allier (03) · Puy-de-Dôme (63) · Cantal (15) · Haute-Loire (43)",
        year=2026,
        name="Marie-Christine de La Tour d'Auvergne-Lauraguais",
        structure="M" * 150,
        profession="Animateur·rice socio-culturel·le",
        sessions=sessions,
        activities={
            kind: 9999 for kind in activity_service.KIND_LABELS if kind not in activity_service.COORDINATION_ONLY
        },
        requests_made=120,
        requests_helped=99,
        signature=["Fédération départementale des centres sociaux et socioculturels du Puy-de-Dôme"]
        * service.MAX_SIGNATURE_LINES,
    )
    pages = pdf_pages(ui.summary_pdf(summary, TODAY))
    assert len(pages) == 1
    assert "Fait le 27 novembre 2027" in pages[0] and "Signature" in pages[0]
    assert "… et 21 autres (non listés pour tenir sur une page)." in pages[0]


def test_the_longest_certificate_stays_on_its_page() -> None:
    """Every field at its longest (title 100, place 200 characters, a long name, four
    signature lines): each person still gets exactly one page, closing included."""
    data = service.Certificates(
        network="Promeneurs du Net · Allier (03) · Puy-de-Dôme (63) · Cantal (15) · Haute-Loire (43)",
        title=("Démarrer et progresser sur les réseaux sociaux\u00a0: Instagram, TikTok, Snapchat, Discord " * 2)[:100],
        type_label="Analyse de la pratique",
        starts_at=parse_datetime("21/06/2027 9h30"),
        ends_at=parse_datetime("23/06/2027 16h30"),
        days=2.5,
        hours=21.0,
        remote=False,
        place=("Centre social des Vergnes, salle polyvalente du rez-de-chaussée, 12 rue de la République " * 3)[:200],
        signature=["Fédération départementale des centres sociaux et socioculturels du Puy-de-Dôme"] * 4,
        attendees=[
            service.Attendee("Marie-Christine de La Tour d'Auvergne-Lauraguais", "2027-0001-00001"),
            service.Attendee("Bob Durand", "2027-0001-00002"),
        ],
    )
    pages = pdf_pages(ui.certificates_pdf(data, TODAY))
    assert len(pages) == 2
    assert all("Fait le 27 novembre 2027" in p and "Signature" in p for p in pages)
    assert "Marie-Christine" in pages[0] and "Bob Durand" in pages[1]
