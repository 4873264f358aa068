"""The coordinator catches up on last year (issue 15), through SimCord: a territory change
dated in March, a request closed on the day the help was given, a session already held with
its attendance, presentations and coordination hours logged without a Promeneur profile;
then the year's recap comes out right."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models import Member
from bot.db.models.events import Event, EventRegistration
from bot.db.models.requests import AccompanimentRequest
from tests.conftest import shown_anyway, slash_anyway
from tests.e2e.test_requests import ask, desk, request_message  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("desk")


def _messages(result):
    out = [result.response] if result.response is not None else []
    out += [m for m in result.followups if m.id not in {x.id for x in out}]
    return [m for m in out if m.content or m.embeds or m.attachments]


async def _synthesis(w, year: int) -> dict[str, str]:
    result = await w.coordinator.slash(w.general, "bilan annuel", annee=year)
    embed = next(e for m in _messages(result) for e in m.embeds if e.title.endswith("Synthèse des données"))
    return {f.name: f.value for f in embed.fields}


async def _member_id(w, name: str) -> str:
    [choice] = await w.coordinator.autocomplete(w.general, "membres modifier", "membre", name)
    return choice["value"]


@pytest.mark.simcord(settle_timeout=30)  # the year-end files are drawn in a child process (bot.ui.recap_files)
async def test_coordinator_enters_last_year_and_the_recap_is_right(desk, clock, db: Database) -> None:
    w = desk
    # A request made in December 2026, closed in January on the day the help was given.
    clock.set(datetime(2026, 12, 18, 9, 0, tzinfo=UTC))
    await ask(w, w.alice)
    message = request_message(w.requests.threads[0])
    await w.coordinator.click(message, label="Prendre en charge")
    clock.set(datetime(2027, 1, 6, 9, 0, tzinfo=UTC))
    closing = await w.coordinator.click(request_message(w.requests.threads[0]), label="Clore")
    too_early = await w.coordinator.submit_modal(closing, {"outcome": "Compte créé", "day": "10/12/2026"})
    assert too_early.response.content == (
        "La date de l'accompagnement (10/12/2026) précède la demande (faite le 18/12/2026)\u00a0: "
        "indiquez le jour où l'aide a été donnée."
    )
    closing = await w.coordinator.click(request_message(w.requests.threads[0]), label="Clore")
    future = await w.coordinator.submit_modal(closing, {"outcome": "Compte créé", "day": "20/01/2027"})
    assert "est dans le futur" in future.response.content
    closing = await w.coordinator.click(request_message(w.requests.threads[0]), label="Clore")
    closed = await w.coordinator.submit_modal(closing, {"outcome": "Compte créé", "day": "20/12/2026"})
    assert closed.response.content == "Demande n°1 close. Merci\u00a0!"
    async with db.transaction() as session:
        request = await session.scalar(select(AccompanimentRequest))
        assert request.closed_at.date().isoformat() == "2026-12-20"
    clock.set(datetime(2027, 6, 14, 8, 0, tzinfo=UTC))

    # Bob moved from the Allier to the Puy-de-Dôme in March 2026 (typed the natural way).
    bob = await _member_id(w, "bob")
    moved = await w.coordinator.slash(
        w.general, "membres modifier", membre=bob, territoire="puy de dome", depuis="15/03/2026"
    )
    assert moved.response.content == "Le profil de **Bob Durand** est à jour."
    history = {f.name: f.value for f in moved.response.embeds[0].fields}["Historique"]
    assert history == (
        "01/03/2021 → 15/03/2026\u00a0: 03 Allier · Parentalité\n"
        "15/03/2026 → aujourd'hui\u00a0: 63 Puy-de-Dôme · Parentalité"
    )

    # A practice review held in October 2026, with its attendance.
    held = await w.coordinator.slash(
        w.general,
        "evenement enregistrer",
        titre="Analyse de la pratique",
        type="practice_review",
        debut="15/10/2026 9h30",
        fin="12h30",
        format="in_person",
        territoire="63",
        presents="alice martin, Bob Durand",
    )
    assert held.response.content.startswith(
        "Temps de réseau déjà tenu enregistré\u00a0: **Analyse de la pratique**, jeudi 15 octobre 2026"
    )
    assert "✅ Alice Martin" in held.response.embeds[0].description
    assert "✅ Bob Durand" in held.response.embeds[0].description
    picker = await w.coordinator.autocomplete(w.general, "evenement presences", "evenement", "analyse")
    assert [c["name"] for c in picker] == ["✅ Analyse de la pratique · 15/10/2026 · présences saisies"]

    # Presentations and a year of coordination hours, by a coordinator with no profile.
    for quantity, territory in ((3, "63"), (2, "commun")):
        logged = await w.coordinator.slash(
            w.general,
            "activite ajouter",
            type="presentation",
            quantite=quantity,
            date="05/05/2026",
            territoire=territory,
        )
        assert logged.response.content.startswith("C'est noté\u00a0: **Présentation du dispositif** · ×"), (
            logged.response.content
        )
    hours = await w.coordinator.slash(
        w.general,
        "activite ajouter",
        type="coordination",
        quantite=1500,
        date="31/12/2026",
        territoire="63",
    )
    assert "1500 h" in hours.response.content
    async with db.transaction() as session:
        assert (await session.scalars(select(Member.display_name))).all() == ["Alice Martin", "Bob Durand"]

    fields = await _synthesis(w, 2026)
    puy = fields["63 Puy-de-Dôme"]
    assert puy.startswith("**Promeneurs**\u00a0: 2 (1 Jeunesse + 1 Parentalité)"), puy
    assert "**Présentations du projet**\u00a0: 3" in puy
    assert "**Accompagnements**\u00a0: 1 individuels, 0 d'équipe (1 tous types)" in puy
    assert "**Temps de réseau**\u00a0: 1 (1 en présentiel, 0 à distance) · 0,5 jour" in puy
    assert "Présences\u00a0: 2 · Promeneurs touchés\u00a0: 2" in puy
    assert fields["03 Allier"].startswith("**Promeneurs**\u00a0: 0 (0 Jeunesse + 0 Parentalité)")
    everyone = fields["Ensemble des territoires"]
    assert "**Présentations du projet**\u00a0: 5" in everyone
    # The year before, Bob was still in the Allier; the 2027 recap has no accompaniment.
    assert (await _synthesis(w, 2025))["03 Allier"].startswith("**Promeneurs**\u00a0: 1 (0 Jeunesse + 1 Parentalité)")
    assert "(0 tous types)" in (await _synthesis(w, 2027))["63 Puy-de-Dôme"]


async def test_dated_changes_refuse_what_does_not_fit(desk, db: Database) -> None:
    w = desk
    bob = await _member_id(w, "bob")
    alone = await w.coordinator.slash(w.general, "membres modifier", membre=bob, depuis="15/03/2026")
    assert alone.response.content.startswith(
        "L'option «\u00a0depuis\u00a0» date un changement de territoire ou de volet"
    )
    before = await w.coordinator.slash(w.general, "membres modifier", membre=bob, territoire="63", depuis="15/03/2020")
    assert before.response.content == (
        "Le changement daté du 15/03/2020 précède la situation enregistrée depuis le 01/03/2021\u00a0: "
        "indiquez une date à partir du 01/03/2021."
    )
    future = await w.coordinator.slash(w.general, "membres modifier", membre=bob, territoire="63", depuis="01/01/2030")
    assert "est dans le futur" in future.response.content
    nothing = await w.coordinator.slash(w.general, "membres modifier", membre=bob)
    assert nothing.response.content.startswith("Indiquez ce que vous voulez modifier")
    refused = await slash_anyway(w.alice, w.general, "membres modifier", membre=bob, territoire="63")
    assert "réservée à la coordination" in refused.response.content
    with shown_anyway(w.alice, w.general, "membres"):
        assert await w.alice.autocomplete(w.general, "membres modifier", "membre", "") == []
    async with db.transaction() as session:
        bob_row = await session.scalar(select(Member).where(Member.display_name == "Bob Durand"))
        assert [(p.territory_code, p.valid_to) for p in bob_row.periods] == [("03", None)]

    # A Promeneur dates their own change the same way.
    own = await w.alice.slash(w.general, "profil modifier", volet="parenting", depuis="01/02/2027")
    history = {f.name: f.value for f in own.response.embeds[0].fields}["Historique"]
    assert history.endswith("01/02/2027 → aujourd'hui\u00a0: 63 Puy-de-Dôme · Parentalité")


async def test_past_session_bad_input(desk, db: Database) -> None:
    w = desk
    base = {"titre": "Échange", "type": "practice_exchange", "fin": "12h", "format": "remote"}
    upcoming = await w.coordinator.slash(w.general, "evenement enregistrer", debut="20/06/2027 9h", **base)
    assert upcoming.response.content == (
        "Ce temps de réseau (dimanche 20 juin 2027 à 9 h) n'a pas encore eu lieu\u00a0: pour un événement à venir, "
        "utilisez /evenement creer."
    )
    unknown = await w.coordinator.slash(
        w.general, "evenement enregistrer", debut="02/02/2026 9h", presents="Alice Martin, Zoé Inconnue", **base
    )
    assert unknown.response.content.startswith("Introuvable dans l'annuaire\u00a0: Zoé Inconnue.")
    refused = await w.alice.slash(w.general, "evenement enregistrer", debut="02/02/2026 9h", **base)
    assert "réservée à la coordination" in refused.response.content
    async with db.transaction() as session:
        assert (await session.scalars(select(Event))).all() == []
        assert (await session.scalars(select(EventRegistration))).all() == []


async def test_hours_caps_and_profile_rules(desk) -> None:
    w = desk
    too_many = await w.coordinator.slash(w.general, "activite ajouter", type="coordination", quantite=2500)
    assert too_many.response.content == (
        "Le nombre d'heures doit être compris entre 0,25 et 2\u202f000 (vous avez indiqué 2500)."
    )
    online = await w.alice.slash(w.general, "activite ajouter", type="online_presence", quantite=301)
    assert "entre 0,25 et 300" in online.response.content
    no_territory = await w.coordinator.slash(w.general, "activite ajouter", type="presentation")
    assert no_territory.response.content == "Indiquez le territoire de cette activité (ou «\u00a0commun\u00a0»)."
    stranger = w.guild.add_member(w.env.create_user("zoe", global_name="Zoé"), roles=[w.promeneur_role])
    needs_profile = await stranger.slash(w.general, "activite ajouter", type="presentation", territoire="63")
    assert "profil" in needs_profile.response.content


async def test_lists_sorted_the_french_way_and_former_members_found(desk) -> None:
    w = desk
    for name in ("Lucas Petit", "léa Girard", "Émile Roux", "Lea Abadie"):
        await w.coordinator.slash(w.general, "membres ajouter", nom=name, territoire="63", volet="youth")
    listing = await w.coordinator.slash(w.general, "membres liste", territoire="63")
    names = [line.split("**")[1] for line in listing.response.embeds[0].description.splitlines()]
    assert names == ["Alice Martin", "Émile Roux", "Lea Abadie", "léa Girard", "Lucas Petit"]

    # 30 former members named « Ancien … » and one active « Ancienne Active »: the picker of
    # /membres depart finds the active one; /membres modifier lists active ones first.
    for i in range(30):
        await w.coordinator.slash(
            w.general, "membres ajouter", nom=f"Ancien {i:02d}", territoire="03", volet="youth", arrivee="01/01/2020"
        )
        [choice] = await w.coordinator.autocomplete(w.general, "membres depart", "membre", f"Ancien {i:02d}")
        await w.coordinator.slash(w.general, "membres depart", membre=choice["value"], date="01/01/2026")
    await w.coordinator.slash(w.general, "membres ajouter", nom="Ancienne Active", territoire="03", volet="youth")
    leaving = await w.coordinator.autocomplete(w.general, "membres depart", "membre", "ancien")
    assert [c["name"] for c in leaving] == ["Ancienne Active"]
    anyone = await w.coordinator.autocomplete(w.general, "membres modifier", "membre", "ancien")
    assert len(anyone) == 25
    assert anyone[0]["name"] == "Ancienne Active"
    assert anyone[1]["name"] == "Ancien 00 · ancien·ne"


async def test_add_member_autocompletes_and_natural_spellings(desk) -> None:
    w = desk
    territories = await w.coordinator.autocomplete(w.general, "membres ajouter", "territoire", "dome")
    assert [c["name"] for c in territories] == ["63 Puy-de-Dôme"]
    types = await w.coordinator.autocomplete(w.general, "membres ajouter", "type_structure", "mediath")
    assert [c["value"] for c in types] == ["Médiathèque"]
    jobs = await w.coordinator.autocomplete(w.general, "membres ajouter", "metier", "educateur spe")
    assert [c["value"] for c in jobs] == ["Éducateur·rice spécialisé·e"]
    added = await w.coordinator.slash(
        w.general,
        "membres ajouter",
        nom="Chloé Petit",
        territoire="PUY-DE-DOME",
        volet="youth",
        type_structure="mediatheque",
        metier="educateur specialise",
    )
    assert added.response.content == "**Chloé Petit** est ajouté·e à l'annuaire (63 · Jeunesse)."
    export = await w.coordinator.slash(w.general, "membres export")
    text = (await export.response.attachments[0].read()).decode("utf-8-sig")
    assert "Chloé Petit;non;63;Jeunesse;;Médiathèque;Éducateur·rice spécialisé·e" in text
    by_code = await w.coordinator.slash(w.general, "membres ajouter", nom="Dan", territoire=" 63 ", volet="youth")
    assert by_code.response.content == "**Dan** est ajouté·e à l'annuaire (63 · Jeunesse)."
    wrong = await w.coordinator.slash(w.general, "membres ajouter", nom="Eve", territoire="Cantal", volet="youth")
    assert "n'est pas configuré sur ce serveur" in wrong.response.content or "Cantal" in wrong.response.content


async def test_request_list_shows_open_by_default(desk) -> None:
    w = desk
    await ask(w, w.alice)
    await ask(w, w.alice, subject="Deuxième")
    thread = w.requests.threads[0]
    asked = await w.alice.click(request_message(thread), label="Annuler")
    await w.alice.click(asked.response.message, label="Oui, annuler la demande")
    default = await w.alice.slash(w.general, "accompagnement liste")
    assert default.response.embeds[0].title == "Vos demandes d'accompagnement · En cours (non closes) (1)"
    everything = await w.alice.slash(w.general, "accompagnement liste", statut="all")
    assert everything.response.embeds[0].title == "Vos demandes d'accompagnement · Toutes (2)"
