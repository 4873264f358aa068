"""/evenement attestation and /profil bilan through SimCord: a participant gets their
certificate, a non-participant is refused in French, the coordination gets everyone's in one
PDF (a page each) or one person's; a member gets their own year summary, never someone
else's. The PDFs are read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot.dates import parse_datetime
from bot.db import Database
from bot.db.models import Member
from tests.e2e._state import snapshot

EVENT = {
    "titre": "Démarrer et progresser sur les réseaux sociaux",
    "type": "thematic_training",
    "debut": "22/06/2027 9h30",
    "fin": "16h30",
    "format": "in_person",
    "lieu": "Centre social, Riom",
    "territoire": "63",
}


def _last(result):
    """What the user reads last: the follow-up after a defer, else the response."""
    shown = [m for m in [result.response, *result.followups] if m is not None and (m.content or m.attachments)]
    assert shown, "no answer"
    return shown[-1]


async def _pages(message) -> list[str]:
    [attachment] = message.attachments
    data = await attachment.read()
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    return [re.sub(r"(?<=\w-) (?=\w)", "", p).replace("\u202f", " ").replace("\u00a0", " ") for p in pages]


@pytest.fixture
async def attended(profiles, clock, db: Database):
    """Alice and Bob were present at a training, Carol registered but absent."""
    w = profiles
    w.carol = w.guild.add_member(w.env.create_user("carol", global_name="Carol Petit"), roles=[w.promeneur_role])
    await w.carol.slash(w.general, "profil modifier", territoire="63", volet="youth", arrivee="01/01/2025")
    await w.coordinator.slash(w.general, "evenement creer", **EVENT)
    for person in (w.alice, w.bob, w.carol):
        await person.slash(w.general, "evenement inscrire", evenement="1")
    clock.set(parse_datetime("22/06/2027 17h"))
    async with db.transaction() as session:
        w.ids = {m.display_name: m.id for m in (await session.scalars(select(Member))).all()}
    sheet = await w.coordinator.slash(w.general, "evenement presences", evenement="1")
    present = [str(w.ids["Alice Martin"]), str(w.ids["Bob Durand"])]
    await w.coordinator.select(sheet.response.message, present, custom_id="events:attendance:1:0")
    clock.set(parse_datetime("30/06/2027 10h"))
    return w


async def test_a_participant_gets_their_certificate(attended, db: Database) -> None:
    w = attended
    choices = await w.alice.autocomplete(w.general, "evenement attestation", "evenement", "")
    assert [c["value"] for c in choices] == ["1"]
    assert choices[0]["name"] == "Démarrer et progresser sur les réseaux sociaux · 22/06/2027"
    assert await w.carol.autocomplete(w.general, "evenement attestation", "evenement", "") == []

    before = await snapshot(db)
    result = await w.alice.slash(w.general, "evenement attestation", evenement="1")
    message = _last(result)
    assert message.flags.ephemeral
    assert message.content == (
        "Voici l'attestation de présence de **Alice Martin** à «\u00a0Démarrer et progresser sur les "
        "réseaux sociaux\u00a0» (PDF à imprimer)."
    )
    assert [a.filename for a in message.attachments] == [
        "attestation-demarrer-et-progresser-sur-les-reseaux-alice-martin.pdf"
    ]
    [page] = await _pages(message)
    for expected in (
        "ATTESTATION DE PRÉSENCE",
        "Alice Martin",
        "Démarrer et progresser sur les réseaux sociaux",
        "Formation thématique",
        "le mardi 22 juin 2027, de 9 h 30 à 16 h 30",
        "1 jour, soit 7 heures",
        "Centre social, Riom",
        "Fait le 30 juin 2027",
    ):
        assert expected in page, expected
    assert "Bob Durand" not in page
    assert await snapshot(db) == before  # nothing stored


async def test_a_non_participant_is_refused_in_french(attended, db: Database) -> None:
    w = attended
    before = await snapshot(db)
    refused = await w.carol.slash(w.general, "evenement attestation", evenement="1")
    assert refused.ephemeral and not refused.response.attachments
    assert refused.response.content.startswith(
        "Vous n'êtes pas noté·e présent·e à cet événement\u00a0: l'attestation n'est délivrée qu'aux personnes présentes."
    )
    other = await w.carol.slash(w.general, "evenement attestation", evenement="1", membre=str(w.ids["Alice Martin"]))
    assert other.ephemeral and not other.response.attachments
    assert other.response.content.startswith("Vous ne pouvez obtenir que votre propre attestation")
    assert await w.carol.autocomplete(w.general, "evenement attestation", "membre", "Alice") == []
    assert await snapshot(db) == before


async def test_the_coordination_gets_everyone_or_one(attended) -> None:
    w = attended
    choices = await w.coordinator.autocomplete(w.general, "evenement attestation", "evenement", "")
    assert [c["value"] for c in choices] == ["1"]
    everyone = _last(await w.coordinator.slash(w.general, "evenement attestation", evenement="1"))
    assert everyone.content == (
        "Voici les attestations de présence à «\u00a0Démarrer et progresser sur les réseaux sociaux\u00a0»"
        "\u00a0: 2 personnes présentes, une page chacune (PDF à imprimer)."
    )
    assert everyone.attachments[0].filename == "attestations-demarrer-et-progresser-sur-les-reseaux.pdf"
    pages = await _pages(everyone)
    assert len(pages) == 2
    assert "Alice Martin" in pages[0] and "Bob Durand" in pages[1]
    assert all("Carol Petit" not in p for p in pages)
    numbers = [re.search(r"N° (\S+)", p)[1] for p in pages]
    assert numbers[0] != numbers[1] and all(n.startswith("2027-0001-") for n in numbers)

    picked = await w.coordinator.autocomplete(w.general, "evenement attestation", "membre", "bob")
    assert picked == [{"name": "Bob Durand · Mairie de Vichy", "value": str(w.ids["Bob Durand"])}]
    one = _last(await w.coordinator.slash(w.general, "evenement attestation", evenement="1", membre=picked[0]["value"]))
    [page] = await _pages(one)
    assert "Bob Durand" in page and "Alice Martin" not in page
    assert re.search(r"N° (\S+)", page)[1] == numbers[1]  # the same number when made again
    carol = await w.coordinator.slash(
        w.general, "evenement attestation", evenement="1", membre=str(w.ids["Carol Petit"])
    )
    assert carol.response.content == "Carol Petit n'est pas noté·e présent·e à cet événement\u00a0: pas d'attestation."


async def test_year_summary_for_oneself_and_not_for_another(attended, db: Database) -> None:
    w = attended
    await w.alice.slash(w.general, "activite ajouter", type="presentation", quantite=3, date="10/06/2027")
    await w.alice.slash(w.general, "activite ajouter", type="online_presence", quantite=4.5, date="11/06/2027")
    before = await snapshot(db)
    mine = _last(await w.alice.slash(w.general, "profil bilan"))
    assert mine.flags.ephemeral
    assert mine.content == "Voici votre bilan 2027 (PDF d'une page, à remettre à votre employeur)."
    assert [a.filename for a in mine.attachments] == ["bilan-2027-alice-martin.pdf"]
    [page] = await _pages(mine)
    for expected in (
        "BILAN DE L'ANNÉE 2027",
        "Alice Martin",
        "MJC Riom",
        "1 temps de réseau 1 jour (7 heures)",
        "3 présentations du dispositif",
        "4,5 h de présence éducative en ligne déclarées",
        "22/06/2027 Démarrer et progresser sur les réseaux sociaux Formation thématique 1 j · 7 h",
        "Fait le 30 juin 2027",
    ):
        assert expected in page, expected

    refused = await w.bob.slash(w.general, "profil bilan", membre=str(w.ids["Alice Martin"]))
    assert refused.ephemeral and not refused.response.attachments
    assert refused.response.content.startswith("Vous ne pouvez obtenir que votre propre bilan")
    assert await w.bob.autocomplete(w.general, "profil bilan", "membre", "alice") == []
    past = await w.alice.slash(w.general, "profil bilan", annee=2031)
    assert past.response.content == "L'année doit être comprise entre 2000 et 2027 (vous avez indiqué 2031)."

    other = _last(await w.coordinator.slash(w.general, "profil bilan", membre=str(w.ids["Alice Martin"])))
    assert other.content == "Voici le bilan 2027 de **Alice Martin** (PDF d'une page)."
    [page] = await _pages(other)
    assert "Alice Martin" in page and "3 présentations du dispositif" in page
    assert await snapshot(db) == before


async def test_an_erased_member_is_in_no_document(attended) -> None:
    """Nothing was stored to erase: after Bob's erasure the certificates of the session
    hold Alice alone, and nothing can be made for Bob any more."""
    w = attended
    asked = await w.bob.slash(w.general, "mes-donnees supprimer")
    await w.bob.click(asked.response.message, label="Oui, supprimer mes données")
    everyone = _last(await w.coordinator.slash(w.general, "evenement attestation", evenement="1"))
    pages = await _pages(everyone)
    assert len(pages) == 1 and "Alice Martin" in pages[0]
    assert all("Bob" not in p for p in pages)
    bob = str(w.ids["Bob Durand"])
    for result in (
        await w.coordinator.slash(w.general, "evenement attestation", evenement="1", membre=bob),
        await w.coordinator.slash(w.general, "profil bilan", membre=bob),
    ):
        assert result.response.content == (
            "Les données de ce membre ont été supprimées\u00a0: aucun document ne peut être produit."
        )
        assert not result.response.attachments
    refused = await w.bob.slash(w.general, "evenement attestation", evenement="1")
    assert not refused.response.attachments
