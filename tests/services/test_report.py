"""The annual activity report for the seed's 2021 network: the DOCX and the PDF are read
back (python-docx, pypdf) and hold the seed's figures (expected-2021.md) in the seed's
section order; the texts are kept per year; the coordination's path is logged."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from bot.db import Database
from bot.errors import PermissionDeniedError, ValidationError
from bot.services import activity as activity_service
from bot.services import report as report_service
from bot.services.periods import ALL
from bot.services.recap import indicators as R
from bot.ui import report as report_ui
from bot.ui.report.typography import fr, num, pct, plural
from tests.services.report_seed import TEXTS, build_report_network
from tests.services.test_recap_seed import AFTER_2021, COORDINATOR, GUILD, PDN_63

# The seed's figures, in the seed's order (promotion, accompaniment, animation, watch,
# evaluation, coordinator's path, governance and time split, perspectives, synthesis,
# evolution).
IN_ORDER = [
    "Faits marquants 2021",
    "l'expérimentation d'un volet Parentalité",
    "Promotion du dispositif",
    "8 présentations du projet, dont 5 sur le territoire Allier (03) et 3 sur le territoire Puy-de-Dôme (63)",
    "Activité et accompagnement des Promeneurs",
    "119 Promeneurs du Net : 105 au volet Jeunesse et 14 au volet Parentalité",
    "15 accompagnements techniques individuels, dont 5 sur le territoire Allier (03) et 10 sur le territoire Puy-de-Dôme (63)",
    "7 accompagnements d'équipes, dont 3 sur le territoire Allier (03) et 4 sur le territoire Puy-de-Dôme (63)",
    "41 accompagnements individuels ou collectifs réalisés",
    "Animation du réseau",
    "Réunion d'accueil : 2 temps, 1 jour",
    "Démarrer et progresser sur les réseaux sociaux",
    "Analyse de la pratique : 4 temps, 2 jours",
    "16 temps de réseau proposés durant l'année 2021 (12,5 jours) : 9 en présentiel, 7 à distance",
    "3 lettres de veille publiées, soit 12 liens partagés",
    "Évaluation du projet et de la coordination",
    "2 réponses sur 99 Promeneurs actifs au lancement",
    "Parcours de coordination",
    "5 formations ou temps d'échange",
    "Valeurs de la République et Laïcité",
    "Réunions du collectif Collimateur, novembre 2021 (2 fois)",
    "Instances",
    "Comité technique, mars 2021 : Bilan 2020 et volet Parentalité",
    "Comité de pilotage, juillet 2021",
    "Répartition du temps de travail",
    "2021 17 % 18 % 65 % 1 000",
    "Perspectives",
    "Poursuivre l'évaluation d'impact social",
    "Synthèse des données – 2021",
    "47 Promeneurs du Net dont 41 Jeunesse et 6 Parentalité",
    "12 types de métiers, 13 types de structures",
    "5 présentations du projet, 5 accompagnements individuels, 3 accompagnements d'équipes",
    "72 Promeneurs du Net dont 64 Jeunesse et 8 Parentalité",
    "13 types de métiers, 12 types de structures",
    "3 présentations du projet, 10 accompagnements individuels, 4 accompagnements d'équipes",
    "Soit 119 Promeneurs répartis sur 2 territoires, 8 présentations du projet, 15 accompagnements "
    "individuels et 7 accompagnements d'équipes ; 17 types de métiers et 18 types de structures",
    "Soit 16 temps collectifs d'animation de réseau",
    "4 × Analyse de la pratique",
    "Déploiement et évolution du projet",
    "Promeneurs 43* 66* 99* 119",
    "Types structures 8* 13* 16* 18",
    "Types métiers 8* 10* 16* 17",
    "Présentations — 36* 15* 8",
    "Temps de réseau 3* 10* 21* 16",
    "Journées 3* 8* 14* 12,5",
    "Accompagnements 0* 16* 25* 41",
    "2020, présentations : dont 1 visio",
    "Détail Allier (03)",
    "Promeneurs 18* 23* 39* 47",
    "Accompagnements 0* 8* 10* 18",
    "Détail Puy-de-Dôme (63)",
    "Promeneurs 25* 43* 59* 72",
    "Accompagnements 0* 8* 15* 23",
]


def _flat(text: str) -> str:
    """Spaces folded, case folded (the PDF's section titles are in capitals), and a line
    broken after a word's own hyphen ("Puy-de-|Dôme") joined again."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))
    return re.sub(r"(?<=\w)- (?=\w)", "-", text).strip().casefold()


def docx_text(data: bytes) -> str:
    """Paragraphs and table rows in the body's order."""
    doc = Document(io.BytesIO(data))
    parts = []
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            parts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif child.tag.endswith("}tbl"):
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = [
                        "".join(t.text or "" for t in c.iter() if t.tag.endswith("}t"))
                        for c in row
                        if c.tag.endswith("}tc")
                    ]
                    parts.append(" ".join(cells))
    return "\n".join(parts)


def assert_in_order(text: str, expected: list[str]) -> None:
    flat, pos = _flat(text), 0
    for item in expected:
        found = flat.find(_flat(item), pos)
        assert found >= 0, f"not found after position {pos}: {item!r}\n…{flat[pos : pos + 300]}"
        pos = found + len(_flat(item))


@pytest.fixture
async def report_files(db: Database) -> tuple[report_service.ReportData, report_ui.ReportFiles]:
    await build_report_network(db)
    async with db.transaction() as session:
        data = await report_service.report_data(session, GUILD, 2021, now=AFTER_2021)
    return data, report_ui.render(data)


async def test_docx_and_pdf_hold_the_seed_figures_in_the_seed_order(report_files) -> None:
    _, files = report_files
    assert_in_order(docx_text(files.docx), IN_ORDER)
    pdf = PdfReader(io.BytesIO(files.pdf))
    pages = [page.extract_text() for page in pdf.pages]
    # The table of contents comes first (page 2), then the sections from page 3.
    assert_in_order(
        pages[1],
        [
            "Table des matières",
            "Faits marquants 2021",
            "Promotion du dispositif",
            "Animation du réseau",
            "Instances",
            "Déploiement et évolution du projet",
        ],
    )
    assert_in_order("\n".join(pages[2:]), IN_ORDER)
    # The cover: network, territories, year, carrier.
    assert_in_order(
        pages[0],
        [
            "Promeneurs du Net",
            "Allier (03) · Puy-de-Dôme (63)",
            "BILAN D'ACTIVITÉS 2021",
            "Fédération des Centres Sociaux de l'Allier",
        ],
    )
    # A4 pages, numbered "n / total" from the table of contents on.
    assert all(round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842 for p in pdf.pages)
    for n, text in enumerate(pages[1:], start=2):
        assert f"{n} / {len(pages)}" in _flat(text)
    # The table of contents gives each section's page.
    toc = _flat(pages[1])
    evolution_page = next(n for n, t in enumerate(pages, start=1) if "DÉPLOIEMENT ET ÉVOLUTION" in t.upper() and n > 2)
    assert re.search(rf"déploiement et évolution du projet\W*{evolution_page}\b", toc)

    # The charts, in both files.
    doc = Document(io.BytesIO(files.docx))
    # Survey hours, networks, coordination pie, structure types, Promeneurs per year.
    assert len(doc.inline_shapes) == 5
    # WeasyPrint shares the images' resources between pages: count the distinct images and
    # the ones each page draws ("Do").
    assert len({hashlib.sha1(i.data).hexdigest() for p in pdf.pages for i in p.images}) == 5
    drawn = [len(re.findall(rb"/\w+ Do\b", p.get_contents().get_data())) for p in pdf.pages]
    assert sum(drawn) == 5
    texts = [p.extract_text() for p in pdf.pages]
    evolution = next(n for n, t in enumerate(texts) if "DÉPLOIEMENT ET ÉVOLUTION" in t)
    assert drawn[evolution] == 1  # the Promeneurs per year chart beside the evolution table
    assert len(files.pdf) < 2_000_000 and len(files.docx) < 2_000_000


async def test_session_list_is_the_recap_count_and_typography_is_french(report_files) -> None:
    data, files = report_files
    figures = data.recap.synthesis[ALL]
    assert len(data.sessions) == figures[R.SESSIONS].value == 16
    assert sum(s.days for s in data.sessions) == figures[R.SESSION_DAYS].value == 12.5
    assert "Formation annulée" not in {s.title for s in data.sessions}
    assert (data.recap.digests, data.recap.digest_links) == (3, 12)

    text = docx_text(files.docx)
    assert "Contact\u00a0: promeneurs@example.org" in text
    assert "Parentalité\u00a0!" in text  # the coordinator's own "!" gets its no-break space
    for sign in (" :", " ;", " !", " ?", "« ", " »"):
        assert sign not in text, sign


def test_typography_helpers() -> None:
    assert (
        fr("Contact : x ; « y » https://a.b/c?d ok !")
        == "Contact\u00a0: x\u00a0; «\u00a0y\u00a0» https://a.b/c?d ok\u00a0!"
    )
    assert (num(12.5), num(1234), num(None)) == ("12,5", "1\u202f234", "—")
    assert (pct(0.175), pct(0.125), pct(None)) == ("18\u00a0%", "13\u00a0%", "—")
    assert plural(0, "jour", "jours") == "0 jour"
    assert plural(1.5, "jour", "jours") == "1,5 jour"
    assert plural(2, "jour", "jours") == "2 jours"


async def test_texts_per_year_latest_wins_and_empty_shows_a_placeholder_in_the_docx_only(db: Database) -> None:
    await build_report_network(db, texts=False)
    async with db.transaction() as session:
        await report_service.save_text(
            session, GUILD, 2021, report_service.HIGHLIGHTS, "Première version", now=AFTER_2021
        )
        await report_service.save_text(
            session, GUILD, 2021, report_service.HIGHLIGHTS, "  Une année  riche.\n\nDeux volets. ", now=AFTER_2021
        )
        await report_service.save_text(
            session, GUILD, 2022, report_service.HIGHLIGHTS, "L'année d'après", now=AFTER_2021
        )
        await report_service.save_text(
            session, GUILD, 2021, report_service.PERSPECTIVES, "Effacé ensuite", now=AFTER_2021
        )
        assert (
            await report_service.save_text(session, GUILD, 2021, report_service.PERSPECTIVES, "   ", now=AFTER_2021)
            is None
        )
    async with db.transaction() as session:
        assert await report_service.texts(session, GUILD, 2021) == {
            report_service.HIGHLIGHTS: "Une année riche.\n\nDeux volets."
        }
        with pytest.raises(ValidationError):
            await report_service.save_text(session, GUILD, 2021, "secret", "x", now=AFTER_2021)
        with pytest.raises(ValidationError):
            await report_service.save_text(session, GUILD, 2021, report_service.HIGHLIGHTS, "x" * 4001, now=AFTER_2021)
        data = await report_service.report_data(session, GUILD, 2021, now=AFTER_2021)
    files = report_ui.render(data)
    docx, pdf = docx_text(files.docx), "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(files.pdf)).pages)
    assert_in_order(docx, ["Faits marquants 2021", "Une année riche.", "Deux volets.", "Perspectives", "À compléter"])
    assert "L'année d'après" not in docx
    assert "À compléter" not in pdf and "Une année riche." in pdf
    # A section with nothing but its placeholder is left out of the PDF (and its contents).
    assert "Perspectives" in docx and "Perspectives" not in pdf
    assert "BILAN D'ACTIVITÉS 2021" in pdf.upper()


async def test_the_coordination_logs_its_trainings_and_committees(db: Database) -> None:
    await build_report_network(db)
    today = date(2022, 1, 3)
    async with db.transaction() as session:
        with pytest.raises(PermissionDeniedError):
            await activity_service.log_activity(
                session,
                GUILD,
                PDN_63,
                "steering_committee",
                day=date(2021, 7, 6),
                today=today,
            )
        with pytest.raises(ValidationError) as refused:
            await activity_service.log_activity(
                session,
                GUILD,
                COORDINATOR,
                "coordinator_training",
                day=date(2021, 5, 6),
                today=today,
                is_coordinator=True,
            )
        assert "intitulé de la formation" in refused.value.message
    async with db.transaction() as session:
        data = await report_service.report_data(session, GUILD, 2021, now=AFTER_2021)
    assert [(e.day, e.title) for e in data.governance] == [
        (date(2021, 3, 23), "Bilan 2020 et volet Parentalité"),
        (date(2021, 7, 6), "Validation des critères du volet Parentalité"),
    ]
    assert [e.kind for e in data.governance] == ["technical_committee", "steering_committee"]
    assert len(data.trainings) == 5 and data.trainings[-1].quantity == 2
    assert set(TEXTS) <= set(data.texts)


async def test_a_year_without_data_gives_a_short_report_not_an_error(db: Database) -> None:
    from bot.services import guilds as guilds_service

    async with db.transaction() as session:
        await guilds_service.ensure_guild(session, GUILD)
        data = await report_service.report_data(session, GUILD, 2021, now=AFTER_2021)
    files = report_ui.render(data)
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(files.pdf)).pages)
    assert_in_order(
        pdf,
        [
            "0 présentation du projet",
            "0 Promeneur du Net",
            "0 accompagnement individuel ou collectif réalisé",
            "0 temps de réseau proposé durant l'année 2021 (0 jour)",
            "Aucun questionnaire n'a été clos en 2021.",
        ],
    )
    assert "À compléter" in docx_text(files.docx)
