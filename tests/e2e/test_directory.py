"""/profil, /membres and /mes-donnees through SimCord."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from bot.db import Database
from bot.db.models import Member
from tests.conftest import shown_anyway, slash_anyway


async def _attachment_bytes(result) -> bytes:
    return await result.response.attachments[0].read()


async def test_member_creates_then_updates_profile(configured) -> None:
    w = configured
    created = await w.alice.slash(
        w.general,
        "profil modifier",
        territoire="63",
        volet="youth",
        structure="Centre social Les Vergers",
        type_structure="centre social",
        metier="Animateur·rice enfance/jeunesse",
        arrivee="03/05/2021",
    )
    assert created.ephemeral
    assert created.response.content == "Bienvenue dans l'annuaire\u00a0! Votre profil est créé."
    embed = created.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert embed.title == "Profil de Alice Martin"
    assert fields == {
        "Territoire": "63 Puy-de-Dôme",
        "Volet": "Jeunesse",
        "Structure": "Centre social Les Vergers",
        "Type de structure": "Centre social",
        "Métier": "Animateur·rice enfance/jeunesse",
        "Arrivée dans le réseau": "lundi 3 mai 2021",
    }

    moved = await w.alice.slash(w.general, "profil modifier", territoire="03", volet="parenting")
    assert moved.response.content == "Votre profil est à jour."
    fields = {f.name: f.value for f in moved.response.embeds[0].fields}
    assert fields["Territoire"] == "03 Allier"
    assert fields["Historique"] == (
        "03/05/2021 → 14/06/2027\u00a0: 63 Puy-de-Dôme · Jeunesse\n"
        "14/06/2027 → aujourd'hui\u00a0: 03 Allier · Parentalité"
    )

    seen_by_bob = await w.bob.slash(w.general, "profil voir", membre=w.alice)
    assert seen_by_bob.response.embeds[0].title == "Profil de Alice Martin"


async def test_profile_bad_input_is_explained_and_nothing_written(configured, db: Database) -> None:
    w = configured
    first = await w.alice.slash(w.general, "profil modifier", structure="MJC")
    assert "indiquez au moins votre territoire et votre volet" in first.response.content
    unknown = await w.alice.slash(w.general, "profil modifier", territoire="75", volet="youth")
    assert "n'est pas configuré sur ce serveur" in unknown.response.content
    bad_type = await w.alice.slash(
        w.general, "profil modifier", territoire="63", volet="youth", type_structure="Piscine"
    )
    assert "ne fait pas partie de la liste «\u00a0Types de structure\u00a0»" in bad_type.response.content
    bad_date = await w.alice.slash(w.general, "profil modifier", territoire="63", volet="youth", arrivee="31/02/2021")
    assert "n'est pas une date valide" in bad_date.response.content
    future = await w.alice.slash(w.general, "profil modifier", territoire="63", volet="youth", arrivee="01/01/2030")
    assert "est dans le futur" in future.response.content
    async with db.transaction() as session:
        assert (await session.scalars(select(Member))).all() == []

    missing = await w.bob.slash(w.general, "profil voir")
    assert missing.response.content == "Vous n'avez pas encore de profil. Créez-le avec /profil modifier."


async def test_coordination_directory_add_list_depart_export(configured, clock) -> None:
    w = configured
    await w.alice.slash(w.general, "profil modifier", territoire="63", volet="youth", structure="MJC Riom")
    await w.bob.slash(w.general, "profil modifier", territoire="03", volet="parenting")
    added = await w.coordinator.slash(
        w.general,
        "membres ajouter",
        nom="Chloé Petit",
        territoire="Allier",
        volet="youth",
        structure="Mairie de Vichy",
        arrivee="01/09/2020",
    )
    assert added.response.content == "**Chloé Petit** est ajouté·e à l'annuaire (03 · Jeunesse)."

    listing = await w.coordinator.slash(w.general, "membres liste", territoire="03")
    embed = listing.response.embeds[0]
    assert embed.title == "Promeneurs du Net · 03 (2)"
    assert embed.description.splitlines() == [
        "**Bob Durand** · 03 · Parentalité",
        "**Chloé Petit** · 03 · Jeunesse · Mairie de Vichy",
    ]

    choices = await w.coordinator.autocomplete(w.general, "membres depart", "membre", "chlo")
    assert [c["name"] for c in choices] == ["Chloé Petit · Mairie de Vichy"]
    future = await w.coordinator.slash(w.general, "membres depart", membre=choices[0]["value"], date="01/01/2031")
    assert "est dans le futur" in future.response.content
    gone = await w.coordinator.slash(w.general, "membres depart", membre=choices[0]["value"], date="31/12/2026")
    assert gone.response.content.startswith("Départ de **Chloé Petit** enregistré au jeudi 31 décembre 2026.")
    twice = await w.coordinator.slash(w.general, "membres depart", membre=choices[0]["value"], date="31/12/2026")
    assert twice.response.content == "Le départ de Chloé Petit est déjà enregistré (le 31/12/2026)."

    after = await w.coordinator.slash(w.general, "membres liste", territoire="03")
    assert after.response.embeds[0].title == "Promeneurs du Net · 03 (1)"

    export = await w.coordinator.slash(w.general, "membres export")
    rows = list(csv.DictReader(io.StringIO((await _attachment_bytes(export)).decode("utf-8-sig")), delimiter=";"))
    assert [(r["nom"], r["territoire"], r["depart"], r["sur_discord"]) for r in rows] == [
        ("Alice Martin", "63", "", "oui"),
        ("Bob Durand", "03", "", "oui"),
        ("Chloé Petit", "03", "2026-12-31", "non"),
    ]


async def test_membres_commands_refuse_a_plain_member(configured) -> None:
    w = configured
    for name, options in [
        ("membres liste", {}),
        ("membres export", {}),
        ("membres ajouter", {"nom": "X", "territoire": "63", "volet": "youth"}),
        ("membres depart", {"membre": "1", "date": "01/01/2027"}),
    ]:
        result = await slash_anyway(w.alice, w.general, name, **options)
        assert "réservée à la coordination" in result.response.content, name
    with shown_anyway(w.alice, w.general, "membres"):
        assert await w.alice.autocomplete(w.general, "membres depart", "membre", "") == []


async def test_long_directory_is_paged(configured) -> None:
    w = configured
    for i in range(45):
        await w.coordinator.slash(
            w.general, "membres ajouter", nom=f"Promeneur {i:02d}", territoire="63", volet="youth"
        )
    listing = await w.coordinator.slash(w.general, "membres liste")
    first = listing.response.embeds[0]
    assert first.footer.text == "Page 1/3 · 45 au total"
    assert first.description.splitlines()[0].startswith("**Promeneur 00**")
    message = listing.response.message
    clicked = await w.coordinator.click(message, label="Suivante ▶")
    page2 = clicked.response.embeds[0]
    assert page2.footer.text == "Page 2/3 · 45 au total"
    assert page2.description.splitlines()[0].startswith("**Promeneur 20**")


async def test_my_data_export_and_erasure_survive_a_restart(configured, make_bot, db: Database) -> None:
    w = configured
    await w.alice.slash(
        w.general,
        "profil modifier",
        territoire="63",
        volet="youth",
        structure="MJC Riom",
        type_structure="Centre social",
    )
    exported = await w.alice.slash(w.general, "mes-donnees exporter")
    assert exported.ephemeral
    data = json.loads(await _attachment_bytes(exported))
    assert data["profil"]["nom"] == "Alice Martin"
    assert data["profil"]["structure"] == "MJC Riom"
    assert data["profil"]["identifiant_discord"] == str(w.alice.id)

    asked = await w.alice.slash(w.general, "mes-donnees supprimer")
    assert asked.ephemeral
    assert "Supprimer vos données\u00a0?" in asked.response.content

    await w.env.restart_bot(make_bot())

    done = await w.alice.click(asked.response.message, label="Oui, supprimer mes données")
    assert done.response.content == "C'est fait\u00a0: vos données personnelles ont été supprimées."
    async with db.transaction() as session:
        member = (await session.scalars(select(Member))).one()
    assert member.discord_id is None
    assert member.display_name == "Membre anonymisé"
    assert member.structure_name is None
    assert member.structure_type == "Centre social"
    assert member.current_period.territory_code == "63"
    assert member.anonymised_at is not None

    again = await w.alice.slash(w.general, "mes-donnees exporter")
    assert again.response.content == "Vous n'avez pas encore de profil. Créez-le avec /profil modifier."
