"""/bilan rapport and /bilan rapport-texte through SimCord, on the seed's 2021 network."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from bot.db import Database
from tests.conftest import slash_anyway
from tests.services.report_seed import build_report_network
from tests.services.test_report import IN_ORDER, assert_in_order, docx_text


def _messages(result):
    out = [result.response] if result.response is not None else []
    out += [m for m in result.followups if m.id not in {x.id for x in out}]
    return [m for m in out if m.content or m.embeds or m.attachments]


@pytest.fixture
async def seeded(world, db: Database):
    w = world
    await w.admin.slash(w.general, "config roles", coordination=w.coordination_role, promeneurs=w.promeneur_role)
    await build_report_network(db, w.guild.id, texts=False)
    return w


def _field_value(modal: dict) -> str | None:
    return modal["components"][0]["components"][0].get("value")


async def test_texts_then_report_with_its_two_files(seeded) -> None:
    w = seeded
    refused = await slash_anyway(w.alice, w.general, "bilan rapport", annee=2021)
    assert refused.response.content.startswith("Cette action est réservée à la coordination")
    refused = await slash_anyway(w.alice, w.general, "bilan rapport-texte", annee=2021, section="perspectives")
    assert refused.response.content.startswith("Cette action est réservée à la coordination")

    shown = await w.coordinator.slash(w.general, "bilan rapport-texte", annee=2021, section="highlights")
    assert shown.modal["title"] == "Rapport 2021 · Faits marquants"
    assert _field_value(shown.modal) in (None, "")
    saved = await w.coordinator.submit_modal(shown, {"body": "Une première version."})
    assert saved.response.content.startswith(
        "Texte «\u00a0Faits marquants\u00a0» du rapport 2021 enregistré (21 caractères)."
    )
    assert saved.ephemeral
    again = await w.coordinator.slash(w.general, "bilan rapport-texte", annee=2021, section="highlights")
    assert _field_value(again.modal) == "Une première version."  # the latest text, to edit
    await w.coordinator.submit_modal(again, {"body": "2021 est l'année du volet Parentalité\u00a0!"})

    # A training of the coordination, logged once, listed in the report.
    promeneur = await w.alice.slash(
        w.general, "activite ajouter", type="coordinator_training", note="X", date="01/03/2021"
    )
    assert promeneur.response.content == (
        "Les formations de la coordination et les comités sont saisis par la coordination uniquement."
    )
    await w.coordinator.slash(
        w.general,
        "activite ajouter",
        type="coordinator_training",
        note="Éducation aux médias, Média Social Club",
        date="07/12/2021",
    )

    # Charts and page layout take a few seconds of real work in a thread (more on a busy
    # machine): SimCord waits up to 30 s for them instead of its default 5 s. Not more: a
    # longer settle also waits for the bot's own periodic timers.
    w.env.settle_timeout = 30.0
    result = await w.coordinator.slash(w.general, "bilan rapport", annee=2021)
    w.env.settle_timeout = 5.0
    assert result.ephemeral
    message = _messages(result)[-1]
    assert message.content.startswith("**Rapport d'activité 2021**\u00a0: le document modifiable (DOCX")
    assert "À compléter dans le DOCX (6 textes)\u00a0: «\u00a0Structure porteuse et contact\u00a0»" in message.content
    assert "«\u00a0Faits marquants\u00a0»" not in message.content
    names = [a.filename for a in message.attachments]
    assert names == ["rapport-activite-2021.docx", "rapport-activite-2021.pdf"]
    docx = docx_text(await message.attachments[0].read())
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(await message.attachments[1].read())).pages)
    # The seed's figures in the seed's order, with the texts typed here (not the service
    # test's) and the training logged above.
    expected = [
        e
        for e in IN_ORDER
        if e
        not in (
            "l'expérimentation d'un volet Parentalité",
            "Poursuivre l'évaluation d'impact social",
        )
    ]
    expected.insert(1, "2021 est l'année du volet Parentalité\u00a0!")
    expected.insert(
        expected.index("Réunions du collectif Collimateur, novembre 2021 (2 fois)") + 1,
        "Éducation aux médias, Média Social Club, décembre 2021",
    )
    expected = [e.replace("5 formations ou temps", "6 formations ou temps") for e in expected]
    assert_in_order(docx, expected)
    assert_in_order(pdf, [e for e in expected if e != "Perspectives"])
    assert "À compléter" in docx and "À compléter" not in pdf
    assert "Une première version." not in docx


async def test_a_year_to_come_is_refused(seeded) -> None:
    w = seeded
    result = await w.coordinator.slash(w.general, "bilan rapport", annee=2031)
    assert result.response.content == "L'année doit être comprise entre 2000 et 2027 (vous avez indiqué 2031)."
    result = await w.coordinator.slash(w.general, "bilan rapport-texte", annee=2031, section="perspectives")
    assert result.response.content == "L'année doit être comprise entre 2000 et 2027 (vous avez indiqué 2031)."


def test_a_file_over_the_servers_limit_is_named_in_french() -> None:
    from bot.ui.report import ReportFiles
    from cogs.recap._cog import report_attachments

    files = ReportFiles(docx=b"x" * (3 * 1024 * 1024), pdf=b"%PDF small")
    attached, refused = report_attachments(files, 2021, 2 * 1024 * 1024)
    assert [f.filename for f in attached] == ["rapport-activite-2021.pdf"]
    assert refused == [
        "Le fichier rapport-activite-2021.docx (3 Mo) dépasse la taille des pièces jointes de ce "
        "serveur (2 Mo)\u00a0: il n'a pas pu être joint. Relancez la commande\u00a0; si cela persiste, "
        "prévenez l'équipe technique du bot."
    ]
