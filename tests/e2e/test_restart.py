"""After a restart (a new bot object on the same database, as after a process restart),
everything a person can click or submit still answers: list pages, the attendance sheet, the
survey form, the watch category select, rating buttons, and forms (modals) opened before the
restart, with what was typed. Each flow restarts between each of its steps."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
from sqlalchemy import select

from bot.dates import parse_datetime
from bot.db import Database
from bot.db.models import Member
from bot.db.models.activity import SurveyAnswer
from bot.db.models.requests import AccompanimentRequest
from bot.services.requests import lifecycle
from tests.e2e.test_events import CREATE, _promeneurs
from tests.e2e.test_requests import FORM, desk, request_message  # noqa: F401  (fixture)
from tests.e2e.test_watch import _items, fetcher, make_watch_bot, simcord_bot  # noqa: F401  (fixtures)


def text(result) -> str:
    """What the person reads: the response, or the follow-up after a defer."""
    if result.followups:
        return result.followups[-1].content
    return result.response.content


def labels(message) -> list[str]:
    return [c.label for row in message.components for c in row.children if hasattr(c, "label")]


# -- list pages --------------------------------------------------------------------------


async def test_member_list_pages_after_restarts(profiles, make_watch_bot) -> None:
    w = profiles
    await _promeneurs(w, 30)
    shown = await w.coordinator.slash(w.general, "membres liste", territoire="63", volet="youth")
    first = shown.response.embeds[0]
    assert first.footer.text == "Page 1/2 · 31 au total"
    assert first.description.splitlines()[0].startswith("**Alice Martin**")
    message = shown.response.message

    await w.env.restart_bot(make_watch_bot())
    second = await w.coordinator.click(message, label="Suivante ▶")
    page2 = second.response.embeds[0]
    assert page2.footer.text == "Page 2/2 · 31 au total"
    assert "Promeneur 29" in page2.description
    assert "Alice Martin" not in page2.description
    assert page2.title == first.title  # same options: 63 · Jeunesse

    await w.env.restart_bot(make_watch_bot())
    back = await w.coordinator.click(second.response.message, label="◀ Précédente")
    assert back.response.embeds[0].footer.text == "Page 1/2 · 31 au total"
    assert back.response.embeds[0].description == first.description


async def test_request_list_pages_re_read_the_database_after_a_restart(
    profiles,
    make_watch_bot,
    db: Database,
    clock,
) -> None:
    w = profiles
    async with db.transaction(lock=True) as session:
        for n in range(22):
            await lifecycle.create_request(
                session,
                w.guild.id,
                w.alice.id,
                kind="individual",
                mode="visio",
                subject=f"Sujet {n}",
                details="Détails",
                availability="",
                actor_name="Alice Martin",
                now=clock(),
            )
    shown = await w.coordinator.slash(w.general, "accompagnement liste")
    assert shown.response.embeds[0].footer.text == "Page 1/2 · 22 au total"

    await w.env.restart_bot(make_watch_bot())
    async with db.transaction(lock=True) as session:  # a request made meanwhile is counted
        await lifecycle.create_request(
            session,
            w.guild.id,
            w.alice.id,
            kind="individual",
            mode="visio",
            subject="Sujet 22",
            details="Détails",
            availability="",
            actor_name="Alice Martin",
            now=clock(),
        )
    second = await w.coordinator.click(shown.response.message, label="Suivante ▶")
    assert second.response.embeds[0].footer.text == "Page 2/2 · 23 au total"
    assert len(second.response.embeds[0].description.splitlines()) == 3


async def test_event_list_pages_keep_their_options_after_a_restart(profiles, make_watch_bot) -> None:
    """A choice option (type) and a text option (territory) are carried by the buttons."""
    w = profiles
    for day in range(1, 23):
        await w.coordinator.slash(
            w.general,
            "evenement creer",
            **{**CREATE, "titre": f"Formation {day:02d}", "debut": f"{day:02d}/07/2027 9h30"},
        )
    await w.coordinator.slash(w.general, "evenement creer", **{**CREATE, "titre": "Ailleurs", "territoire": "03"})
    shown = await w.alice.slash(w.general, "evenement liste", territoire="63", type="thematic_training")
    first = shown.response.embeds[0]
    assert first.footer.text == "Page 1/2 · 22 au total"  # not « Ailleurs » (03)

    await w.env.restart_bot(make_watch_bot())
    second = await w.alice.click(shown.response.message, label="Suivante ▶")
    page2 = second.response.embeds[0]
    assert page2.title == first.title and "63" in page2.title
    assert page2.footer.text == "Page 2/2 · 22 au total"
    assert "Ailleurs" not in page2.description and "Formation 22" in page2.description


# -- an event's announcement ------------------------------------------------------------------


async def test_announcement_buttons_with_a_restart_between_each_click(profiles, make_watch_bot, db: Database) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    message = next(m for m in w.announcements.history() if m.embeds and m.components)
    for who, label, expected in (
        (w.alice, "S'inscrire", "vous êtes inscrit·e"),
        (w.bob, "S'inscrire", "vous êtes inscrit·e"),
        (w.alice, "Se désinscrire", "Vous êtes désinscrit·e"),
        (w.alice, "S'inscrire", "vous êtes inscrit·e"),
    ):
        await w.env.restart_bot(make_watch_bot())
        clicked = await who.click(message, label=label)
        assert expected in text(clicked)
    async with db.transaction() as session:
        from bot.db.models.events import EventRegistration

        statuses = sorted((await session.scalars(select(EventRegistration.status))).all())
    assert statuses == ["registered", "registered"]


async def test_my_activities_my_registrations_and_feeds_pages_after_a_restart(
    profiles,
    make_watch_bot,
    clock,
    db: Database,
) -> None:
    """The other lists with pages (no options): each page is the clicker's own data, read
    again after the restart."""
    from bot.services import activity as activity_service
    from bot.services.watch import feeds as watch_feeds

    w = profiles
    async with db.transaction(lock=True) as session:
        for n in range(25):
            await activity_service.log_activity(
                session, w.guild.id, w.alice.id, "presentation", note=f"Collège {n:02d}", today=clock().date()
            )
        for n in range(22):
            await watch_feeds.add_feed(
                session, w.guild.id, f"https://feeds.example.org/{n}.xml", category=None, now=clock()
            )
    for day in range(1, 23):
        await w.coordinator.slash(
            w.general,
            "evenement creer",
            **{**CREATE, "titre": f"Formation {day:02d}", "debut": f"{day:02d}/07/2027 9h30", "capacite": 30},
        )
        await w.alice.slash(w.general, "evenement inscrire", evenement=str(day))
    shown = {
        "activite mes-activites": await w.alice.slash(w.general, "activite mes-activites"),
        "evenement mes-inscriptions": await w.alice.slash(w.general, "evenement mes-inscriptions"),
        "veille flux-liste": await w.coordinator.slash(w.general, "veille flux-liste"),
    }
    first = {name: (r.response.embeds[0].title, r.response.embeds[0].description) for name, r in shown.items()}
    await w.env.restart_bot(make_watch_bot())
    for name, result in shown.items():
        who = w.coordinator if name.startswith("veille") else w.alice
        second = await who.click(result.response.message, label="Suivante ▶")
        page2 = second.response.embeds[0]
        assert page2.footer.text.startswith("Page 2/2"), name
        assert page2.title == first[name][0], name
        assert page2.description != first[name][1], name


# -- the attendance sheet ------------------------------------------------------------------


async def test_attendance_sheet_after_restarts(profiles, make_watch_bot, clock, db: Database) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **{**CREATE, "capacite": 40})
    people = await _promeneurs(w, 30)
    for person in people:
        await person.slash(w.general, "evenement inscrire", evenement="1")
    clock.set(parse_datetime("22/06/2027 17h"))
    sheet = await w.coordinator.slash(w.general, "evenement presences", evenement="1")
    async with db.transaction() as session:
        ids = {m.display_name: m.id for m in (await session.scalars(select(Member))).all()}

    await w.env.restart_bot(make_watch_bot())
    present_page1 = [str(ids[f"Promeneur {i:02d}"]) for i in range(0, 20)]
    chosen = await w.coordinator.select(sheet.response.message, present_page1, custom_id="events:attendance:1:0")
    assert "**20** présent·es · **5** absent·es · 5 non pointé·es" in text_of_bilan(chosen)

    await w.env.restart_bot(make_watch_bot())
    following = await w.coordinator.click(chosen.response.message, label="Suivants ▶")
    assert following.response.embeds[0].footer.text.startswith(
        "Cochez les personnes présentes dans la liste (page 2/2)"
    )

    await w.env.restart_bot(make_watch_bot())
    present_page2 = [str(ids[f"Promeneur {i:02d}"]) for i in range(25, 30)]
    done = await w.coordinator.select(following.response.message, present_page2, custom_id="events:attendance:1:1")
    assert text_of_bilan(done).startswith("**25** présent·es · **5** absent·es")


def text_of_bilan(result) -> str:
    return {f.name: f.value for f in result.response.embeds[0].fields}["Bilan"]


# -- the survey form -------------------------------------------------------------------------


async def test_survey_form_after_restarts(profiles, make_watch_bot, db: Database) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    announcement = next(m for m in w.announcements.history() if m.components)

    await w.env.restart_bot(make_watch_bot())
    form = await w.alice.click(announcement, label="Répondre")
    message = form.response.message
    steps = [
        ("survey:public", ["15–17 ans"]),
        ("survey:structure", ["Centre social"]),
        ("survey:heures", ["Entre 2 et 4 h"]),
        ("survey:reseaux", ["Instagram", "Snapchat"]),
    ]
    for custom_id, values in steps:
        await w.env.restart_bot(make_watch_bot())
        chosen = await w.alice.select(message, values, custom_id=custom_id)
        message = chosen.response.message
    assert "Instagram, Snapchat" in message.content and "15–17 ans" in message.content

    await w.env.restart_bot(make_watch_bot())
    sent = await w.alice.click(message, label="Envoyer mes réponses")
    assert sent.response.content == "Merci\u00a0! Votre réponse au questionnaire n°1 est enregistrée."
    async with db.transaction() as session:
        [answer] = (await session.scalars(select(SurveyAnswer))).all()
    assert (answer.audience, answer.structure_type, answer.weekly_hours) == (
        "15–17 ans",
        "Centre social",
        "Entre 2 et 4 h",
    )


async def test_survey_form_of_the_first_version_still_sends(profiles, make_watch_bot, db: Database) -> None:
    """A form shown by the previous version (no campaign in its custom_ids) answers the open
    campaign with the choices shown in it."""
    w = profiles
    await w.coordinator.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    legacy = discord.ui.View(timeout=None)
    for custom_id, value in (
        ("questionnaire:public", "15–17 ans"),
        ("questionnaire:structure", "Centre social"),
        ("questionnaire:heures", "Moins de 2 h"),
        ("questionnaire:reseaux", "Facebook"),
    ):
        legacy.add_item(
            discord.ui.Select(custom_id=custom_id, options=[discord.SelectOption(label=value, default=True)])
        )
    legacy.add_item(discord.ui.Button(label="Envoyer mes réponses", custom_id="questionnaire:envoyer"))
    await w.env.bot.get_channel(w.general.id).send("**Questionnaire n°1**", view=legacy)
    posted = w.general.last_message

    await w.env.restart_bot(make_watch_bot())
    sent = await w.alice.click(posted, label="Envoyer mes réponses")
    assert sent.response.content == "Merci\u00a0! Votre réponse au questionnaire n°1 est enregistrée."
    async with db.transaction() as session:
        [answer] = (await session.scalars(select(SurveyAnswer))).all()
    assert (answer.weekly_hours, [n.network for n in answer.networks]) == ("Moins de 2 h", ["Facebook"])


# -- the watch -------------------------------------------------------------------------------


async def _digest_on_friday(w) -> None:
    """Monday's digest would be caught up at each restart and take the draft's links."""
    await w.coordinator.slash(w.general, "config planning", publication="digest", jour=4, heure="9h")


async def test_watch_category_select_after_a_restart(configured, make_watch_bot, db: Database) -> None:
    w = configured
    await _digest_on_friday(w)
    added = await w.alice.slash(w.general, "veille ajouter", lien="https://example.org/a")
    [select_menu] = [c for row in added.response.message.components for c in row.children]
    other = next(o.value for o in select_menu.options if not o.default)

    await w.env.restart_bot(make_watch_bot())
    moved = await w.alice.select(added.response.message, [other], custom_id=select_menu.custom_id)
    assert moved.response.content.startswith("C'est noté\u00a0: **")
    assert f"«\u00a0{other}\u00a0»" in moved.response.content
    [item] = await _items(db)
    assert item.category == other


async def test_watch_draft_controls_with_a_restart_between_each_click(
    configured,
    make_watch_bot,
    fetcher,
    db: Database,
) -> None:
    w = configured
    await _digest_on_friday(w)
    for n in range(6):
        fetcher.titles[f"https://example.org/{n}"] = f"Article {n}"
        await w.alice.slash(w.general, "veille ajouter", lien=f"https://example.org/{n}")
    message = (await w.coordinator.slash(w.general, "veille brouillon")).response.message
    for label in ("⭐ 3", "↓ 2", "✕ 4", "▶", "◀"):  # ↓ 2: Article 0 below Article 1
        await w.env.restart_bot(make_watch_bot())
        clicked = await w.coordinator.click(message, label=label)
        if label.startswith("✕"):  # asks first; « Oui » after another restart shows the draft
            await w.env.restart_bot(make_watch_bot())
            clicked = await w.coordinator.click(clicked.response.message, label="Oui, retirer le lien")
        assert clicked.response.embeds[1].title.startswith("Liens · page ")
        message = clicked.response.message
    assert message.embeds[1].title == "Liens · page 1/2"
    items = {i.title: i for i in await _items(db)}
    assert items["Article 2"].featured
    assert items["Article 3"].status == "removed"
    assert items["Article 0"].position > items["Article 1"].position


async def test_archive_search_pages_after_a_restart(configured, make_watch_bot, fetcher, clock) -> None:
    """The search words travel in the page buttons, separators included."""
    w = configured
    for n in range(23):
        fetcher.titles[f"https://example.org/{n}"] = f"Dossier\u00a0: écrans = {n:02d}"
        await w.alice.slash(w.general, "veille ajouter", lien=f"https://example.org/{n}")
    await w.alice.slash(w.general, "veille ajouter", lien="https://example.org/other")
    clock.set(datetime(2027, 6, 21, 7, 0, tzinfo=UTC))
    await w.env.bot.outbox.fire(w.guild.id, "digest", clock())
    found = await w.bob.slash(w.general, "veille archives", recherche="dossier\u00a0: écrans =")
    assert found.response.embeds[0].footer.text == "Page 1/2 · 23 au total"

    await w.env.restart_bot(make_watch_bot())
    second = await w.bob.click(found.response.message, label="Suivante ▶")
    assert second.response.embeds[0].footer.text == "Page 2/2 · 23 au total"
    assert len(second.response.embeds[0].description.splitlines()) == 3
    assert "dossier\u00a0: écrans =" in second.response.embeds[0].title


async def test_watch_forms_opened_before_a_restart(configured, make_watch_bot, fetcher, db: Database) -> None:
    w = configured
    await _digest_on_friday(w)
    fetcher.titles["https://example.org/0"] = "Article 0"
    await w.alice.slash(w.general, "veille ajouter", lien="https://example.org/0")
    draft = await w.coordinator.slash(w.general, "veille brouillon")

    comment = await w.coordinator.click(draft.response.message, label="✎ 1")
    await w.env.restart_bot(make_watch_bot())
    commented = await w.coordinator.submit_modal(comment, {"comment": "À lire absolument"})
    assert "> À lire absolument" in commented.response.embeds[1].description

    await w.env.restart_bot(make_watch_bot())
    editorial = await w.coordinator.click(draft.response.message, label="Éditorial")
    await w.env.restart_bot(make_watch_bot())
    edited = await w.coordinator.submit_modal(editorial, {"editorial": "Bonne rentrée\u00a0!"})
    assert "Bonne rentrée\u00a0!" in edited.response.embeds[0].description

    shared = await w.alice.send(w.general, "Notre web radio\u00a0: https://radio.example.net/pdn")
    menu = await w.bob.context_menu(w.general, "Ajouter à la veille", shared)
    await w.env.restart_bot(make_watch_bot())
    done = await w.bob.submit_modal(menu, {"comment": "Un beau projet"})
    assert text(done).startswith("Merci\u00a0! **https://radio.example.net/pdn** rejoint la prochaine veille")
    items = {i.url: i for i in await _items(db)}
    assert items["https://example.org/0"].comment == "À lire absolument"
    assert items["https://radio.example.net/pdn"].comment == "Un beau projet"


# -- requests: forms and rating --------------------------------------------------------------


async def test_request_flow_with_a_restart_between_each_step(desk, make_watch_bot, db: Database) -> None:
    w = desk
    shown = await w.alice.slash(w.general, "accompagnement demander")
    await w.env.restart_bot(make_watch_bot())
    done = await w.alice.submit_modal(shown, FORM)
    assert text(done).startswith("Votre demande **n°1** est enregistrée.")
    message = request_message(w.requests.threads[0])

    await w.env.restart_bot(make_watch_bot())
    claimed = await w.coordinator.click(message, label="Prendre en charge")
    assert claimed.response.content == "Vous suivez désormais la demande n°1."

    planning = await w.coordinator.click(message, label="Planifier")
    await w.env.restart_bot(make_watch_bot())
    planned = await w.coordinator.submit_modal(planning, {"when": "16/06/2027 9h30"})
    assert planned.response.content.startswith("Séance de la demande n°1 planifiée")

    closing = await w.coordinator.click(request_message(w.requests.threads[0]), label="Clore")
    await w.env.restart_bot(make_watch_bot())
    closed = await w.coordinator.submit_modal(closing, {"outcome": "Compte créé", "duration": "1h30"})
    assert closed.response.content == "Demande n°1 close. Merci\u00a0!"
    prompt = w.requests.threads[0].last_message

    await w.env.restart_bot(make_watch_bot())
    rated = await w.alice.click(prompt, label="★ 4")
    assert rated.response.content == "Merci pour votre note (4/5)\u00a0!"
    async with db.transaction() as session:
        [request] = (await session.scalars(select(AccompanimentRequest))).all()
    assert (request.subject, request.status, request.rating, request.duration_minutes) == (
        FORM["subject"],
        "done",
        4,
        90,
    )
    assert request.scheduled_at == datetime(2027, 6, 16, 7, 30, tzinfo=UTC)


# -- anything older: an answer, never silence ------------------------------------------------


async def test_an_unknown_button_gets_an_answer(configured, make_watch_bot) -> None:
    w = configured
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="▶", custom_id="6f1c0e2a9b7d4c3e8a5b"))  # an old pager
    await w.env.bot.get_channel(w.general.id).send("Liste", view=view)
    await w.env.restart_bot(make_watch_bot())
    clicked = await w.alice.click(w.general.last_message, label="▶")
    assert clicked.ephemeral
    assert clicked.response.content == (
        "Ce message n'est plus actif (il date d'avant une mise à jour du bot)\u00a0: relancez la "
        "commande pour en obtenir un nouveau."
    )


async def test_an_unknown_form_gives_back_what_was_typed(configured, settings, clock, make_watch_bot) -> None:
    from bot.app import create_bot

    w = configured
    older = create_bot(settings, now=clock, extra_extensions=("tests.e2e.legacy_form",))
    await w.env.restart_bot(older)
    shown = await w.alice.slash(w.general, "ancien-formulaire")
    await w.env.restart_bot(make_watch_bot())
    answered = await w.alice.submit_modal(shown, {"note": "Trois paragraphes\nécrits avec soin"})
    assert answered.ephemeral
    assert answered.response.content == (
        "Ce formulaire n'est plus actif (il date d'avant une mise à jour du bot)\u00a0: rien n'a été "
        "enregistré. Relancez la commande\u00a0; voici ce que vous aviez saisi, pour le recopier\u00a0:\n"
        "> Trois paragraphes\n> écrits avec soin"
    )
    await older.release_resources()


async def test_a_form_whose_subject_is_gone_gives_back_what_was_typed(desk, make_watch_bot, db: Database) -> None:
    w = desk
    await w.alice.submit_modal(await w.alice.slash(w.general, "accompagnement demander"), FORM)
    message = request_message(w.requests.threads[0])
    await w.coordinator.click(message, label="Prendre en charge")
    closing = await w.coordinator.click(message, label="Clore")
    await w.env.restart_bot(make_watch_bot())
    async with db.transaction() as session:
        await session.delete((await session.scalars(select(AccompanimentRequest))).one())
    answered = await w.coordinator.submit_modal(closing, {"outcome": "Deux séances, compte créé", "duration": "2h"})
    assert answered.ephemeral
    assert answered.response.content.splitlines()[-3:] == [
        "Voici ce que vous aviez saisi\u00a0:",
        "> Deux séances, compte créé",
        "> 2h",
    ]
