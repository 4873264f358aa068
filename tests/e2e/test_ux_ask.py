"""Asking less of people, through SimCord: a new Promeneur sees no coordination command,
asks for help from the panel in two clicks, types « jeudi 14h »; a refused form comes back
as typed (« Corriger », also after a restart); destructive actions ask first; a closed
request's thread is archived and its rating buttons disabled."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.db.models.drafts import FormDraft
from bot.db.models.events import Event
from bot.db.models.requests import AccompanimentRequest
from bot.db.models.watch import WatchItem
from bot.permissions import COORDINATION, COORDINATION_DEFAULT, ERR_COORDINATION_ONLY, gate_of
from bot.services.form_drafts import ERR_GONE
from tests.e2e._state import forged_button, snapshot, tree
from tests.e2e.test_erasure import erase
from tests.e2e.test_requests import FORM, request_message
from tests.e2e.test_watch import StaticFetcher

LINK = "https://example.org/guide-parents"
COORDINATION_ROOTS = {"config", "membres", "bilan"}


@pytest.fixture
def fetcher() -> StaticFetcher:
    fetcher = StaticFetcher()
    fetcher.titles[LINK] = "Guide des écrans pour les parents"
    return fetcher


@pytest.fixture
def make_ux_bot(make_bot, fetcher):
    def build():
        return make_bot(watch_fetcher=fetcher)

    return build


@pytest.fixture
def simcord_bot(make_ux_bot):
    return make_ux_bot()


@pytest.fixture
async def desk(profiles):
    """Profiles, a requests channel the coordination can manage, and the members' panel
    posted once by the coordinator in #general."""
    w = profiles
    w.requests = w.guild.create_text_channel(
        "demandes-accompagnement",
        overwrites={w.coordination_role: discord.PermissionOverwrite(manage_threads=True)},
    )
    await w.admin.slash(w.general, "config salons", demandes=w.requests)
    posted = await w.coordinator.slash(w.general, "config panneau")
    assert posted.ephemeral
    assert posted.response.content == (f"Panneau publié dans <#{w.general.id}>. Épinglez-le pour qu'il reste en vue.")
    w.panel = w.general.last_message
    return w


def labels(message) -> list[str]:
    return [c.label for row in message.components for c in row.children]


def modal_values(result) -> dict[str, Any]:
    """{input custom_id: default text, or the default options of a select} of a shown form."""
    found: dict[str, Any] = {}

    def walk(components: list[dict[str, Any]]) -> None:
        for component in components:
            if component.get("type") == 1:
                walk(component.get("components") or [])
            elif component.get("type") == 18:
                walk([component["component"]])
            elif component.get("type") == 4:
                found[component["custom_id"]] = component.get("value")
            elif component.get("type") == 3:
                found[component["custom_id"]] = [o["value"] for o in component.get("options", []) if o.get("default")]

    walk(result.modal["components"])
    return found


async def count(db: Database, model: Any) -> int:
    async with db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def help_text(actor, channel) -> str:
    """Every page of /aide, as the person reads it."""
    shown = await actor.slash(channel, "aide")
    assert shown.ephemeral
    pages = [shown.response.embeds[0].description]
    message = shown.response.message
    while any(c.label == "Suivante ▶" and not c.disabled for row in message.components for c in row.children):
        turned = await actor.click(message, label="Suivante ▶")
        message = turned.response.message
        pages.append(message.embeds[0].description)
    return "\n".join(pages)


def said(result) -> str:
    """The last thing the person read (a deferred answer comes as a follow-up or in place)."""
    return (result.followups[-1] if result.followups else result.response).content


def archived(w, thread) -> bool:
    return w.env.backend.get_channel(thread.id).thread_metadata.archived


# -- discoverability -----------------------------------------------------------------------


def test_whole_coordination_groups_are_hidden_from_members() -> None:
    """A top-level command all of whose subcommands are gated carries the default permission
    (Gérer le serveur) that hides it from members; one with a member subcommand carries none
    (Discord hides whole commands only: its coordination subcommands stay gated server-side)."""
    commands, _menus, _items = tree()
    roots: dict[str, list[Any]] = {}
    for command in commands:
        roots.setdefault((command.root_parent or command).name, []).append(command)
    hidden = {}
    for name, leaves in roots.items():
        root = leaves[0].root_parent or leaves[0]
        hidden[name] = root.default_permissions
        if all(gate_of(leaf) == COORDINATION for leaf in leaves) and name != "demo":
            assert root.default_permissions == COORDINATION_DEFAULT, name
        else:
            assert root.default_permissions is None, name
    assert {n for n, p in hidden.items() if p is not None} == COORDINATION_ROOTS


async def test_a_new_promeneur_sees_no_coordination_command(profiles) -> None:
    w = profiles
    mine = w.alice.available_commands(w.general)
    assert not {name.split()[0] for name in mine} & COORDINATION_ROOTS
    assert {"aide", "accompagnement demander", "veille ajouter", "evenement mes-inscriptions"} <= set(mine)
    # the coordinator, granted the commands by the admin (Intégrations), sees them all
    theirs = w.coordinator.available_commands(w.general)
    assert {"config panneau", "membres liste", "bilan annuel"} <= set(theirs)


async def test_aide_shows_what_this_person_can_do(profiles) -> None:
    w = profiles
    member = await help_text(w.alice, w.general)
    assert "`/accompagnement demander`\u00a0: Demander un accompagnement" in member
    assert "`/veille ajouter`" in member and "«\u00a0Ajouter à la veille\u00a0»" in member
    for reserved in ("/membres liste", "/bilan annuel", "/evenement creer", "/config panneau", "Coordination"):
        assert reserved not in member
    coordinator = await help_text(w.coordinator, w.general)
    assert "`/accompagnement demander`" in coordinator
    for reserved in ("`/membres liste`", "`/bilan annuel`", "`/evenement creer`", "`/config panneau`"):
        assert reserved in coordinator


# -- the panel -----------------------------------------------------------------------------


async def test_help_asked_from_the_panel_in_two_clicks(desk, db: Database, make_ux_bot) -> None:
    w = desk
    assert w.panel.embeds[0].title == "Promeneurs du Net · vos raccourcis"
    assert labels(w.panel) == ["Demander un accompagnement", "Proposer un lien pour la veille", "Mes inscriptions"]
    await w.env.restart_bot(make_ux_bot())  # posted once: it still works after a restart
    shown = await w.alice.click(w.panel, label="Demander un accompagnement")  # 1
    assert shown.modal is not None
    done = await w.alice.submit_modal(shown, FORM)  # 2
    assert done.ephemeral
    assert done.response.content.startswith("Votre demande **n°1** est enregistrée.")
    async with db.transaction() as session:
        [request] = (await session.scalars(select(AccompanimentRequest))).all()
    assert request.subject == FORM["subject"] and request.status == "open"


async def test_panel_link_form_and_registrations(desk, db: Database) -> None:
    w = desk
    shown = await w.alice.click(w.panel, label="Proposer un lien pour la veille")
    added = await w.alice.submit_modal(shown, {"link": LINK, "comment": "Pour les parents inquiets"})
    assert "Guide des écrans pour les parents" in said(added)
    async with db.transaction() as session:
        [item] = (await session.scalars(select(WatchItem))).all()
    assert (item.url, item.comment) == (LINK, "Pour les parents inquiets")

    mine = await w.bob.click(w.panel, label="Mes inscriptions")
    assert mine.ephemeral
    assert mine.response.content == ("Vous n'êtes inscrit·e à aucun événement à venir. Voyez /evenement liste.")
    created = await w.coordinator.slash(
        w.general,
        "evenement creer",
        titre="Analyse de la pratique",
        type="thematic_training",
        debut="jeudi 14h",
        fin="16h30",
        format="remote",
        lien="https://visio.example.org",
        territoire="63",
    )
    assert said(created).startswith("Événement **Analyse de la pratique** créé.")
    [event] = [m for m in w.announcements.history() if m.embeds and m.components]
    await w.bob.click(event, label="S'inscrire")
    mine = await w.bob.click(w.panel, label="Mes inscriptions")
    assert mine.response.embeds[0].title == "Vos inscriptions"
    assert "**Analyse de la pratique** · jeudi 17 juin 2027 à 14 h" in mine.response.embeds[0].description
    assert w.panel.embeds[0].title == "Promeneurs du Net · vos raccourcis"  # the panel is untouched


# -- dates as people type them; forms never lose typed text --------------------------------


async def test_jeudi_14h_and_corriger_in_the_schedule_form(desk, db: Database) -> None:
    w = desk
    await w.alice.click(w.panel, label="Demander un accompagnement")
    shown = await w.alice.click(w.panel, label="Demander un accompagnement")
    await w.alice.submit_modal(shown, FORM)
    thread = w.requests.threads[0]
    await w.coordinator.click(request_message(thread), label="Prendre en charge")
    form = await w.coordinator.click(request_message(thread), label="Planifier")
    refused = await w.coordinator.submit_modal(form, {"when": "jeudi vers 14"})
    assert refused.ephemeral
    assert refused.response.content.startswith("«\u00a0jeudi vers 14\u00a0» n'est pas une date et une heure valides.")
    assert "mardi 15h" in refused.response.content  # an example of what is understood
    assert labels(refused.response.message) == ["Corriger"]
    again = await w.coordinator.click(refused.response.message, label="Corriger")
    assert modal_values(again) == {"when": "jeudi vers 14"}
    planned = await w.coordinator.submit_modal(again, {"when": "jeudi 14h"})
    assert planned.response.content.startswith("Séance de la demande n°1 planifiée le jeudi 17 juin 2027 à 14 h.")


async def test_corriger_gives_back_everything_typed_even_after_a_restart(desk, db: Database, make_ux_bot) -> None:
    w = desk
    long_comment = "Un guide très complet. " * 20
    shown = await w.alice.click(w.panel, label="Proposer un lien pour la veille")
    refused = await w.alice.submit_modal(shown, {"link": "le site de la CAF", "comment": long_comment})
    assert "n'est pas" in refused.response.content
    assert await count(db, WatchItem) == 0
    await w.env.restart_bot(make_ux_bot())
    again = await w.alice.click(refused.response.message, label="Corriger")
    assert modal_values(again) == {"link": "le site de la CAF", "comment": long_comment}
    added = await w.alice.submit_modal(again, {"link": LINK, "comment": long_comment})
    assert "Guide des écrans pour les parents" in said(added)
    assert await count(db, WatchItem) == 1


async def test_corriger_keeps_the_selects_of_the_request_form(desk, db: Database) -> None:
    w = desk
    shown = await w.alice.click(w.panel, label="Demander un accompagnement")
    refused = await w.alice.submit_modal(shown, {**FORM, "subject": "   "})
    assert labels(refused.response.message) == ["Corriger"]
    assert await count(db, AccompanimentRequest) == 0
    again = await w.alice.click(refused.response.message, label="Corriger")
    values = modal_values(again)
    assert values["kind"] == ["individual"] and values["mode"] == ["visio"]
    assert values["details"] == FORM["details"] and values["subject"] == "   "


async def test_a_draft_is_its_typists_only_and_erased_with_them(desk, db: Database) -> None:
    w = desk
    shown = await w.alice.click(w.panel, label="Proposer un lien pour la veille")
    refused = await w.alice.submit_modal(shown, {"link": "pas un lien", "comment": "Mon secret"})
    custom_id = refused.response.message.components[0].children[0].custom_id
    forged = await forged_button(w, w.general, custom_id)
    stolen = await w.bob.click(forged, custom_id=custom_id)
    assert stolen.ephemeral and stolen.response.content == ERR_GONE
    assert stolen.modal is None
    assert await count(db, FormDraft) == 1
    await erase(w, w.alice)
    assert await count(db, FormDraft) == 0


# -- confirm before destroying -------------------------------------------------------------


async def test_request_cancel_asks_first_thread_archived_and_rating_disabled(desk, db: Database) -> None:
    w = desk
    shown = await w.alice.click(w.panel, label="Demander un accompagnement")
    await w.alice.submit_modal(shown, FORM)
    thread = w.requests.threads[0]
    asked = await w.alice.click(request_message(thread), label="Annuler")
    assert labels(asked.response.message) == ["Oui, annuler la demande", "Non, la garder"]
    kept = await w.alice.click(asked.response.message, label="Non, la garder")
    assert kept.response.content == "Rien n'a changé\u00a0: la demande n°1 est conservée."
    assert (await _request(db)).status == "open" and not archived(w, thread)

    done = await w.alice.click(asked.response.message, label="Oui, annuler la demande")
    assert done.response.content == "Demande n°1 annulée."
    assert (await _request(db)).status == "cancelled"
    assert archived(w, thread)

    reopened = await w.alice.click(request_message(thread), label="Rouvrir")
    assert reopened.response.content == "Demande n°1 rouverte."
    assert not archived(w, thread)

    await w.coordinator.click(request_message(thread), label="Prendre en charge")
    closing = await w.coordinator.click(request_message(thread), label="Clore")
    await w.coordinator.submit_modal(closing, {"outcome": "Compte créé", "duration": "une heure"})
    assert (await _request(db)).duration_minutes == 60
    assert archived(w, thread)
    prompt = thread.last_message
    rated = await w.alice.click(prompt, label="★ 4")
    assert rated.response.content == "Merci pour votre note (4/5)\u00a0!"
    prompt = next(m for m in thread.history() if m.id == prompt.id)
    buttons = [c for row in prompt.components for c in row.children]
    assert all(b.disabled for b in buttons)
    assert [b.label for b in buttons if b.style is discord.ButtonStyle.primary] == ["★ 4"]
    assert archived(w, thread)


async def _request(db: Database) -> AccompanimentRequest:
    async with db.transaction() as session:
        return (await session.scalars(select(AccompanimentRequest))).one()


async def test_event_cancel_asks_first_and_only_the_coordination_confirms(desk, db: Database) -> None:
    w = desk
    await w.coordinator.slash(
        w.general,
        "evenement creer",
        titre="Formation initiale",
        type="thematic_training",
        debut="15 juillet 9h30",
        fin="12h",
        format="remote",
        lien="https://visio.example.org",
        territoire="63",
    )
    before = await snapshot(db)
    asked = await w.coordinator.slash(w.general, "evenement annuler", evenement="1", raison="Salle indisponible")
    assert asked.response.content == (
        "Annuler **Formation initiale** (jeudi 15 juillet 2027 à 9 h 30)\u00a0? Personne n'y est "
        "inscrit. L'annulation ne se défait pas."
    )
    assert labels(asked.response.message) == ["Oui, annuler l'événement", "Non, ne rien changer"]
    yes = asked.response.message.components[0].children[0].custom_id
    forged = await forged_button(w, w.general, yes)
    after_ask = await snapshot(db)
    refused = await w.bob.click(forged, custom_id=yes)
    assert refused.ephemeral
    assert refused.response.content in (ERR_COORDINATION_ONLY, ERR_GONE)
    assert await snapshot(db) == after_ask
    async with db.transaction() as session:
        assert (await session.scalar(select(Event.cancelled_at))) is None
    assert set(after_ask) == set(before)

    done = await w.coordinator.click(asked.response.message, label="Oui, annuler l'événement")
    assert said(done).startswith("Événement **Formation initiale** annulé.")
    async with db.transaction() as session:
        assert (await session.scalar(select(Event.cancelled_at))) is not None
    again = await w.coordinator.slash(w.general, "evenement annuler", evenement="1")
    assert again.response.content == "Cet événement est déjà annulé."


async def test_dates_of_things_already_done_are_read_in_the_past(profiles) -> None:
    """An arrival typed « 1er septembre » in June 2027 is September 2026, not 2027."""
    w = profiles
    done = await w.alice.slash(w.general, "profil modifier", arrivee="1er septembre")
    fields = {f.name: f.value for f in done.response.embeds[0].fields}
    assert "mardi 1er septembre 2026" in fields.values()
