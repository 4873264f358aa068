"""/accompagnement through SimCord: the life of a request as a Promeneur and the coordinator,
privacy, persistent buttons after a restart, reminders and nudges, Discord faults."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models.requests import AccompanimentRequest

FORM = {
    "kind": ["individual"],
    "mode": ["visio"],
    "subject": "Compte Instagram pro",
    "details": "Je voudrais ouvrir un compte Instagram pour la MJC et savoir quoi publier.",
    "availability": "Mardis après-midi",
}


@pytest.fixture
async def desk(profiles):
    """Profiles, plus a requests channel where the coordination role may manage threads
    (what the setup guide asks), so that it sees every private request thread."""
    w = profiles
    w.requests = w.guild.create_text_channel(
        "demandes-accompagnement",
        overwrites={w.coordination_role: discord.PermissionOverwrite(manage_threads=True)},
    )
    await w.admin.slash(w.general, "config salons", demandes=w.requests)
    return w


async def ask(w, who=None, **changes):
    who = who or w.alice
    shown = await who.slash(w.general, "accompagnement demander")
    return await who.submit_modal(shown, {**FORM, **changes})


def request_message(thread):
    return next(m for m in thread.history() if m.embeds and m.embeds[0].title.startswith("Demande n°"))


def sweep_of(w):
    return w.env.bot.get_cog("Requests").sweep


async def rows(db: Database) -> list[AccompanimentRequest]:
    async with db.transaction() as session:
        return list((await session.scalars(select(AccompanimentRequest).order_by(AccompanimentRequest.number))).all())


def fields(message) -> dict[str, str]:
    return {f.name: f.value for f in message.embeds[0].fields}


async def test_whole_life_of_a_request(desk, db: Database) -> None:
    w = desk
    done = await ask(w)
    assert done.ephemeral
    [thread] = w.requests.threads
    assert done.response.content == (
        "Votre demande **n°1** est enregistrée. La coordination la suit dans le fil privé "
        f"<#{thread.id}> (visible par vous et la coordination uniquement)."
    )
    assert thread.name == "Demande n°1 · Aide technique individuelle"
    message = request_message(thread)
    assert message.content == (f"<@&{w.coordination_role.id}> · Nouvelle demande de <@{w.alice.id}>.")
    assert message.embeds[0].title == "Demande n°1 · Compte Instagram pro"
    assert fields(message) == {
        "Statut": "🟡 Ouverte",
        "Type": "Aide technique individuelle",
        "Modalité": "Visio",
        "Demandé par": "Alice Martin",
        "Territoire · volet": "63 · Jeunesse",
        "Disponibilités": "Mardis après-midi",
    }
    # Private: Alice and the coordination see the thread, Bob does not.
    assert thread.history(viewer=w.alice) and thread.history(viewer=w.coordinator)
    with pytest.raises(Exception, match="cannot read"):
        thread.history(viewer=w.bob)

    refused = await w.alice.click(message, label="Prendre en charge")
    assert refused.response.content == "Seule la coordination peut prendre en charge une demande."

    claimed = await w.coordinator.click(message, label="Prendre en charge")
    assert claimed.response.content == "Vous suivez désormais la demande n°1."
    message = request_message(thread)
    assert fields(message)["Statut"] == "🔵 Prise en charge"
    assert fields(message)["Suivie par"] == "Claire Coordination"
    assert thread.last_message.content == "🔵 **Claire Coordination** a pris en charge la demande."
    again = await w.coordinator.click(message, label="Planifier")
    bad = await w.coordinator.submit_modal(again, {"when": "31/02/2027 10h"})
    assert "n'est pas une date et une heure valides" in bad.response.content
    again = await w.coordinator.click(message, label="Planifier")
    past = await w.coordinator.submit_modal(again, {"when": "10/06/2027 10h"})
    assert past.response.content == (
        "Le jeudi 10 juin 2027 à 10 h est déjà passé\u00a0: choisissez une date et une heure à venir."
    )
    again = await w.coordinator.click(message, label="Planifier")
    planned = await w.coordinator.submit_modal(again, {"when": "16/06/2027 14h00"})
    assert planned.response.content == (
        "Séance de la demande n°1 planifiée le mercredi 16 juin 2027 à 14 h. Rappels la veille et une heure avant."
    )
    message = request_message(thread)
    assert fields(message)["Séance prévue"] == "mercredi 16 juin 2027 à 14 h"

    closing = await w.coordinator.click(message, label="Clore")
    empty = await w.coordinator.submit_modal(closing, {"outcome": "   ", "duration": "1h30"})
    assert empty.response.content == "La note de résultat est obligatoire."
    closing = await w.coordinator.click(message, label="Clore")
    bad_duration = await w.coordinator.submit_modal(closing, {"outcome": "Compte créé", "duration": "long"})
    assert "n'est pas une durée valide" in bad_duration.response.content
    assert (await rows(db))[0].status == "scheduled"
    closing = await w.coordinator.click(message, label="Clore")
    closed = await w.coordinator.submit_modal(
        closing, {"outcome": "Compte créé, ligne éditoriale posée", "duration": "1h30"}
    )
    assert closed.response.content == "Demande n°1 close. Merci\u00a0!"
    message = request_message(thread)
    assert fields(message)["Statut"] == "✅ Terminée"
    assert fields(message)["Durée"] == "1 h 30"
    prompt = thread.last_message
    assert prompt.content.startswith(f"<@{w.alice.id}> Votre demande est close.")
    rated = await w.alice.click(prompt, label="★ 4")
    assert rated.response.content == "Merci pour votre note (4/5)\u00a0!"

    [request] = await rows(db)
    assert (request.status, request.rating, request.duration_minutes) == ("done", 4, 90)
    assert request.first_response_at == request.created_at  # the clock did not move
    assert request.closed_at is not None

    seen = await w.alice.slash(w.general, "accompagnement voir", numero="1")
    history = fields(seen.response)["Historique"].splitlines()
    assert [line.split("\u00a0: ", 1)[1] for line in history] == [
        "a fait la demande",
        "a pris en charge",
        "a planifié (mercredi 16 juin 2027 à 14 h)",
        "a clos (terminée)",
        "a noté (4/5)",
    ]
    assert history[1].startswith("14/06/2027 10 h · Claire Coordination")

    reopened = await w.alice.click(request_message(thread), label="Rouvrir")
    assert reopened.response.content == "Demande n°1 rouverte."
    assert (await rows(db))[0].status == "open"
    asked = await w.alice.click(request_message(thread), label="Annuler")
    assert asked.response.content == (
        "Annuler la demande n°1\u00a0? La coordination ne la suivra plus\u00a0; vous pourrez la rouvrir depuis son fil."
    )
    assert (await rows(db))[0].status == "open"  # nothing written before the confirmation
    cancelled = await w.alice.click(asked.response.message, label="Oui, annuler la demande")
    assert cancelled.response.content == "Demande n°1 annulée."
    assert fields(request_message(thread))["Statut"] == "⚪ Annulée"


async def test_lists_and_privacy_between_members(desk) -> None:
    w = desk
    await ask(w, w.alice)
    await ask(w, w.bob, kind=["team"], subject="Atelier pour l'équipe")
    mine = await w.alice.slash(w.general, "accompagnement liste")
    embed = mine.response.embeds[0]
    assert embed.title == "Vos demandes d'accompagnement · En cours (non closes) (1)"
    assert embed.description.startswith("🟡 **n°1** · Ouverte · Aide technique individuelle · 63 · 14/06/2027")
    everyone = await w.coordinator.slash(w.general, "accompagnement liste")
    assert everyone.response.embeds[0].title == "Demandes d'accompagnement · En cours (non closes) (2)"
    lines = everyone.response.embeds[0].description.splitlines()
    assert lines[0].startswith("🟡 **n°2** · Ouverte · Accompagnement d'équipe · 03 · Bob Durand")
    only_63 = await w.coordinator.slash(w.general, "accompagnement liste", territoire="63", statut="active")
    assert only_63.response.embeds[0].title == "Demandes d'accompagnement · En cours (non closes) · 63 (1)"

    refused = await w.bob.slash(w.general, "accompagnement voir", numero="1")
    assert refused.response.content.startswith("Cette demande n'est pas la vôtre")
    unknown = await w.coordinator.slash(w.general, "accompagnement voir", numero="42")
    assert unknown.response.content.startswith("Aucune demande n°42 sur ce serveur.")
    not_a_number = await w.coordinator.slash(w.general, "accompagnement voir", numero="abc")
    assert not_a_number.response.content == "Indiquez le numéro de la demande, par exemple 12."
    choices = await w.bob.autocomplete(w.general, "accompagnement voir", "numero", "")
    assert [c["value"] for c in choices] == ["2"]
    choices = await w.coordinator.autocomplete(w.general, "accompagnement voir", "numero", "")
    assert [c["name"] for c in choices] == [
        "n°2 · Ouverte · Atelier pour l'équipe · Bob Durand",
        "n°1 · Ouverte · Compte Instagram pro · Alice Martin",
    ]
    # Bob's request thread is not Alice's business.
    bob_thread = next(t for t in w.requests.threads if t.name.startswith("Demande n°2"))
    with pytest.raises(Exception, match="cannot read"):
        bob_thread.history(viewer=w.alice)


async def test_bad_input_and_missing_profile(desk, db: Database) -> None:
    w = desk
    newcomer = w.guild.add_member(w.env.create_user("chloe", global_name="Chloé"), roles=[w.promeneur_role])
    refused = await newcomer.slash(w.general, "accompagnement demander")
    assert refused.response.content == "Vous n'avez pas encore de profil. Créez-le avec /profil modifier."
    blank = await ask(w, subject="   ")
    assert blank.response.content == "Le sujet est obligatoire."
    assert await rows(db) == []
    assert w.requests.threads == []


async def test_buttons_work_after_a_restart(desk, make_bot, db: Database) -> None:
    w = desk
    await ask(w)
    message = request_message(w.requests.threads[0])
    await w.env.restart_bot(make_bot())
    claimed = await w.coordinator.click(message, label="Prendre en charge")
    assert claimed.response.content == "Vous suivez désormais la demande n°1."
    await w.env.restart_bot(make_bot())
    shown = await w.coordinator.click(message, label="Planifier")
    planned = await w.coordinator.submit_modal(shown, {"when": "16/06/2027 9h30"})
    assert planned.response.content.startswith("Séance de la demande n°1 planifiée le mercredi 16 juin 2027 à 9 h 30.")
    assert (await rows(db))[0].claimed_by_discord_id == w.coordinator.id


async def test_discord_failure_loses_nothing_and_the_sweep_creates_the_thread(desk, db: Database) -> None:
    w = desk
    w.env.inject_error("POST", "/channels/*/threads", status=500, times=1)
    done = await ask(w)
    assert done.response.content.startswith(
        "Votre demande **n°1** est enregistrée. Le salon des demandes n'est pas disponible"
    )
    assert w.requests.threads == []
    [request] = await rows(db)
    assert (request.thread_id, request.thread_attempts, request.subject) == (None, 1, "Compte Instagram pro")
    listing = await w.coordinator.slash(w.general, "accompagnement liste")
    assert listing.response.embeds[0].description.endswith("⚠️ fil privé non créé")
    # The coordination can already act from /accompagnement voir.
    seen = await w.coordinator.slash(w.general, "accompagnement voir", numero="1")
    buttons = [c.label for row in seen.response.message.components for c in row.children]
    assert buttons == ["Prendre en charge", "Annuler"]

    await sweep_of(w)()
    await w.env.settle()
    [thread] = w.requests.threads
    assert request_message(thread).embeds[0].title == "Demande n°1 · Compte Instagram pro"
    await sweep_of(w)()  # nothing twice
    await w.env.settle()
    assert len(w.requests.threads) == 1 and len(thread.history()) == 1


async def test_requests_channel_not_writable(profiles, db: Database) -> None:
    w = profiles
    bot_role = w.guild.roles["TestBot"]
    locked = w.guild.create_text_channel(
        "demandes-fermees",
        overwrites={bot_role: discord.PermissionOverwrite(create_private_threads=False, send_messages=False)},
    )
    await w.admin.slash(w.general, "config salons", demandes=locked)
    done = await ask(w)
    assert "Le salon des demandes n'est pas disponible" in done.response.content
    assert locked.threads == []
    assert len(await rows(db)) == 1
    # The coordination is told in the recaps channel, without the requester's free text.
    assert w.recaps.last_message.content == (
        f"<@&{w.coordination_role.id}> ⚠️ Demande **n°1** reçue (Aide technique individuelle · 63), "
        "mais son fil privé n'a pas pu être créé dans le salon des demandes (salon absent ou "
        "permissions manquantes\u00a0: vérifiez /config salons). Consultez-la avec "
        "/accompagnement voir numero:1."
    )


async def test_requester_closes_their_own_request(desk, db: Database) -> None:
    w = desk
    await ask(w)
    thread = w.requests.threads[0]
    await w.coordinator.click(request_message(thread), label="Prendre en charge")
    shown = await w.alice.click(request_message(thread), label="Clore")
    closed = await w.alice.submit_modal(shown, {"outcome": "Réglé avec l'aide de Claire"})
    assert closed.response.content == "Demande n°1 close. Merci\u00a0!"
    [request] = await rows(db)
    assert (request.status, request.outcome, request.duration_minutes) == ("done", "Réglé avec l'aide de Claire", None)
    seen = await w.alice.slash(w.general, "accompagnement voir", numero="1")
    labels = [c.label for row in seen.response.message.components for c in row.children]
    assert labels == ["Rouvrir", "★ 1", "★ 2", "★ 3", "★ 4", "★ 5"]
    rated = await w.alice.click(seen.response.message, label="★ 5")
    assert rated.response.content == "Merci pour votre note (5/5)\u00a0!"
    assert (await rows(db))[0].rating == 5


async def test_reminders_nudges_and_passed_sessions(desk, clock, db: Database) -> None:
    w = desk
    await ask(w)
    await ask(w, w.bob, subject="Question Facebook")
    thread = next(t for t in w.requests.threads if t.name.startswith("Demande n°1"))
    bob_thread = next(t for t in w.requests.threads if t.name.startswith("Demande n°2"))
    message = request_message(thread)
    await w.coordinator.click(message, label="Prendre en charge")
    shown = await w.coordinator.click(message, label="Planifier")
    await w.coordinator.submit_modal(shown, {"when": "18/06/2027 14h00"})  # 12:00 UTC
    sweep = sweep_of(w)

    def reminders(member) -> list[str]:
        return [m.content for m in member.user.dm_channel.history() if m.content.startswith("⏰")]

    clock.set(datetime(2027, 6, 17, 11, 0, tzinfo=UTC))  # 25 h before
    await sweep()
    assert reminders(w.alice) == reminders(w.coordinator) == []
    clock.set(datetime(2027, 6, 17, 13, 0, tzinfo=UTC))  # 23 h before
    await sweep()
    await sweep()
    await w.env.settle()
    # By DM to the requester and to the coordinator who follows the request, once each.
    day_before = (
        "⏰ Rappel\u00a0: la séance de la demande d'accompagnement n°1 a lieu **demain, à 14 h**. "
        f"Fil de la demande\u00a0: <#{thread.id}>"
    )
    assert reminders(w.alice) == reminders(w.coordinator) == [day_before]
    assert [m for m in thread.history() if m.content.startswith("⏰")] == []
    clock.set(datetime(2027, 6, 18, 11, 10, tzinfo=UTC))
    await sweep()
    await sweep()
    await w.env.settle()
    assert len(reminders(w.alice)) == len(reminders(w.coordinator)) == 2
    assert reminders(w.alice)[1].startswith(
        "⏰ Rappel\u00a0: la séance de la demande d'accompagnement n°1 commence dans une heure "
        "(vendredi 18 juin 2027 à 14 h)."
    )

    # Nudges: Bob's request (n°2) was never claimed. Posted once a day from 9 h, Paris.
    def nudges() -> list[discord.Message]:
        return [m for m in w.requests.history() if m.content.startswith(f"<@&{w.coordination_role.id}> ⏳")]

    # 17/06 15 h Paris (3 days): first nudge; 18/06 13 h 10: the day's nudge.
    assert [m.content.splitlines()[1] for m in nudges()] == [
        f"• **n°2** · Aide technique individuelle · 03 · depuis 3 j · <#{bob_thread.id}>",
        f"• **n°2** · Aide technique individuelle · 03 · depuis 4 j · <#{bob_thread.id}>",
    ]
    clock.set(datetime(2027, 6, 18, 16, 0, tzinfo=UTC))  # same day
    await sweep()
    await w.env.settle()
    assert len(nudges()) == 2
    # The session passed two hours ago without closing: the coordinator is prompted once.
    prompts = [m for m in thread.history() if "est passée" in m.content]
    assert [m.content for m in prompts] == [
        f"<@{w.coordinator.id}> La séance du vendredi 18 juin 2027 à 14 h est passée\u00a0: pensez à "
        "clore la demande n°1 avec le bouton «\u00a0Clore\u00a0» (note de résultat, durée)."
    ]
    clock.set(datetime(2027, 6, 19, 5, 0, tzinfo=UTC))  # 7 h Paris: too early
    await sweep()
    await w.env.settle()
    assert len(nudges()) == 2
    clock.set(datetime(2027, 6, 19, 8, 0, tzinfo=UTC))  # next day, 10 h Paris
    await sweep()
    await w.env.settle()
    assert len(nudges()) == 3
    assert len([m for m in thread.history() if "est passée" in m.content]) == 1
    await w.coordinator.click(request_message(bob_thread), label="Prendre en charge")
    clock.set(datetime(2027, 6, 20, 8, 0, tzinfo=UTC))
    await sweep()
    await w.env.settle()
    assert len(nudges()) == 3  # someone acted: no more nudges


async def test_nudge_delay_is_configurable(desk, clock) -> None:
    w = desk
    refused = await w.alice.slash(w.general, "accompagnement relances", jours=1)
    assert "réservée à la coordination" in refused.response.content
    done = await w.coordinator.slash(w.general, "accompagnement relances", jours=5)
    assert done.response.content == (
        "Les demandes non prises en charge seront relancées après 5 jours, une fois par jour."
    )
    await ask(w)
    clock.set(datetime(2027, 6, 18, 8, 0, tzinfo=UTC))  # 4 days
    await sweep_of(w)()
    await w.env.settle()
    assert not any("⏳" in m.content for m in w.requests.history())
    clock.set(datetime(2027, 6, 19, 8, 0, tzinfo=UTC))  # 5 days
    await sweep_of(w)()
    await w.env.settle()
    assert any("⏳ Demandes sans prise en charge depuis 5 jours" in m.content for m in w.requests.history())


async def test_retention_sweep_purges_old_closed_requests(desk, clock, db: Database) -> None:
    w = desk
    await ask(w)
    asked = await w.alice.click(request_message(w.requests.threads[0]), label="Annuler")
    await w.alice.click(asked.response.message, label="Oui, annuler la demande")
    clock.set(datetime(2029, 6, 15, 8, 0, tzinfo=UTC))  # 24 months and a day later
    await sweep_of(w)()
    [request] = await rows(db)
    assert (request.subject, request.details, request.availability) == (None, None, None)
    assert request.status == "cancelled" and request.kind == "individual"
    seen = await w.alice.slash(w.general, "accompagnement voir", numero="1")
    assert seen.response.embeds[0].title == "Demande n°1"
    assert seen.response.embeds[0].description == "*Texte effacé (durée de conservation dépassée).*"


async def test_coordination_records_help_given_offline(desk, db: Database) -> None:
    w = desk
    refused = await w.alice.slash(
        w.general, "accompagnement enregistrer", membre="1", type="team", date="01/06/2027", resultat="x"
    )
    assert "réservée à la coordination" in refused.response.content
    assert await w.alice.autocomplete(w.general, "accompagnement enregistrer", "membre", "") == []
    choices = await w.coordinator.autocomplete(w.general, "accompagnement enregistrer", "membre", "bob")
    assert [c["name"] for c in choices] == ["Bob Durand · Mairie de Vichy"]
    bob_id = choices[0]["value"]
    future = await w.coordinator.slash(
        w.general, "accompagnement enregistrer", membre=bob_id, type="team", date="01/07/2027", resultat="x"
    )
    assert future.response.content == "La date 01/07/2027 est dans le futur\u00a0: enregistrez une aide déjà donnée."
    recorded = await w.coordinator.slash(
        w.general,
        "accompagnement enregistrer",
        membre=bob_id,
        type="team",
        date="01/06/2027",
        resultat="Atelier réseaux sociaux avec l'équipe",
        modalite="on_site",
        duree="2h",
        personnes=6,
    )
    assert recorded.response.content == (
        "Aide enregistrée\u00a0: **n°1** · Accompagnement d'équipe · Bob Durand (03) le 01/06/2027. "
        "Elle compte dans les bilans comme les autres."
    )
    [request] = await rows(db)
    assert (request.source, request.status, request.people_reached, request.duration_minutes) == (
        "offline",
        "done",
        6,
        120,
    )
    assert w.requests.threads == []
    seen = await w.bob.slash(w.general, "accompagnement voir", numero="1")
    assert fields(seen.response)["Origine"] == "Enregistrée par la coordination (aide donnée hors Discord)"


async def test_team_accompaniment_asks_for_people_reached(desk, db: Database) -> None:
    w = desk
    await ask(w, w.bob, kind=["team"], mode=[], availability="")
    thread = w.requests.threads[0]
    await w.coordinator.click(request_message(thread), label="Prendre en charge")
    shown = await w.coordinator.click(request_message(thread), label="Clore")
    bad = await w.coordinator.submit_modal(shown, {"outcome": "Atelier fait", "people": "trop"})
    assert bad.response.content == "Le nombre de personnes touchées doit être un nombre entier entre 1 et 500."
    shown = await w.coordinator.click(request_message(thread), label="Clore")
    await w.coordinator.submit_modal(shown, {"outcome": "Atelier fait", "duration": "2h", "people": "6"})
    [request] = await rows(db)
    assert (request.kind, request.mode, request.availability, request.people_reached) == ("team", None, None, 6)
    assert fields(request_message(thread))["Personnes touchées"] == "6"
