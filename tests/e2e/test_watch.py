"""The weekly watch (veille) end to end through SimCord: adding links by command and by
the message menu, the coordinator's draft, publication on schedule through the outbox
(catch-up after a restart, failure then retry), /veille publier, archives and export,
feeds. Page titles and feeds come from a fetcher object that never reaches the network
(the real HTTP fetcher is tested against 127.0.0.1 in tests/services/test_watch_fetch.py)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import discord
import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.db.models.outbox import FAILED, SENT
from bot.db.models.watch import ACCEPTED, WatchContribution, WatchDigest, WatchItem
from bot.services import outbox as outbox_service
from bot.services.watch.fetch import FeedEntry, FeedResult, FetchError
from cogs.watch import _draft, _modals
from tests.e2e._state import forged_button

MONDAY_21_9H = datetime(2027, 6, 21, 7, 0, tzinfo=UTC)  # 9:00 Paris
ARTICLE = "https://www.example.org/article?id=3"


class StaticFetcher:
    """Titles and feeds from dicts: the e2e bot never reaches the internet."""

    def __init__(self) -> None:
        self.titles: dict[str, str] = {}
        self.feeds: dict[str, FeedResult | FetchError] = {}
        self.asked: list[str] = []

    async def page_title(self, url: str) -> str | None:
        self.asked.append(url)
        return self.titles.get(url)

    async def feed(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FeedResult:
        self.asked.append(url)
        result = self.feeds.get(url, FetchError("le site est injoignable"))
        if isinstance(result, FetchError):
            raise result
        return result


@pytest.fixture
def fetcher() -> StaticFetcher:
    fetcher = StaticFetcher()
    fetcher.titles[ARTICLE] = "Les ados et TikTok"
    return fetcher


@pytest.fixture
def make_watch_bot(make_bot, fetcher):
    def build():
        return make_bot(watch_fetcher=fetcher)

    return build


@pytest.fixture
def simcord_bot(make_watch_bot):
    return make_watch_bot()


def _posted(channel) -> list:
    return [
        m
        for m in channel.history()
        if any("Lettre de veille · " in (e.footer.text or "") for e in m.embeds)
        or "Lettre de veille · " in (m.content or "")
    ]


def _embeds(channel) -> list:
    return [e for m in channel.history() for e in m.embeds]


async def _items(db: Database) -> list[WatchItem]:
    async with db.transaction() as session:
        return list((await session.scalars(select(WatchItem).order_by(WatchItem.id))).all())


async def test_links_added_by_command_and_menu_are_published_on_schedule(
    profiles, simcord_bot, fetcher, clock, db: Database
) -> None:
    w = profiles
    added = await w.alice.slash(
        w.general,
        "veille ajouter",
        lien="https://www.example.org/article?utm_source=fb&id=3",
        commentaire="Une enquête à partager avec les parents",
        categorie="étude / synthèse",
    )
    assert added.ephemeral
    assert added.response.content.startswith(
        "Merci\u00a0! **Les ados et TikTok** rejoint la prochaine veille, dans «\u00a0Étude / synthèse\u00a0»."
    )
    again = await w.bob.slash(w.general, "veille ajouter", lien="https://WWW.Example.org/article?id=3&fbclid=xyz#top")
    assert again.response.content == (
        "Ce lien figurait déjà dans la prochaine veille (partagé par Alice Martin)\u00a0: "
        "votre nom est ajouté à côté du sien."
    )
    assert fetcher.asked == [ARTICLE]  # the title is not fetched twice

    shared = await w.alice.send(w.general, "Notre projet de web radio\u00a0: https://radio.example.net/pdn\u00a0!")
    menu = await w.bob.context_menu(w.general, "Ajouter à la veille", shared)
    assert menu.modal["title"] == "Ajouter à la veille"
    done = await w.bob.submit_modal(menu, {"comment": "Un beau projet de Promeneur"})
    assert done.response.content.startswith(
        "Merci\u00a0! **https://radio.example.net/pdn** rejoint la prochaine veille"
    )
    changed = await w.bob.select(done.response.message, ["Projet de Promeneur"])
    assert changed.response.content == (
        "C'est noté\u00a0: **https://radio.example.net/pdn** est classé dans «\u00a0Projet de Promeneur\u00a0»."
    )

    clock.set(MONDAY_21_9H)
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock() + timedelta(minutes=1))  # twice: once
    await w.env.settle()

    embeds = _embeds(w.digest)
    assert [e.title for e in embeds] == [
        "Veille n°1 — semaine du 14 au 20 juin 2027",
        "Étude / synthèse",
        "Projet de Promeneur",
    ]
    assert embeds[0].description == "2 liens partagés par 2 membres du réseau. Bonne lecture\u00a0!"
    assert embeds[1].description == (
        f"**[Les ados et TikTok]({ARTICLE})**\nUne enquête à partager avec les parents\n"
        "↳ Partagé par Alice Martin, Bob Durand"
    )
    assert embeds[2].description == (
        "**<https://radio.example.net/pdn>**\nUn beau projet de Promeneur\n"
        "↳ Partagé par Bob Durand · [message d'origine]"
        f"(https://discord.com/channels/{w.guild.id}/{w.general.id}/{shared.id})"
    )
    assert embeds[-1].footer.text == "Lettre de veille · semaine du 14 juin 2027"
    async with db.transaction() as session:
        digest = (await session.scalars(select(WatchDigest))).one()
        post = await outbox_service.get(session, w.guild.id, "digest", "2027-W24")
    assert (digest.number, digest.period, post.state) == (1, "2027-W24", SENT)
    assert {i.digest_id for i in await _items(db)} == {digest.id}


async def test_bad_input_is_explained_and_nothing_written(configured, fetcher, db: Database) -> None:
    w = configured
    bad = await w.alice.slash(w.general, "veille ajouter", lien="javascript:alert(1)")
    assert bad.ephemeral
    assert bad.response.content.startswith("«\u00a0javascript:alert(1)\u00a0» n'est pas un lien valide.")
    ftp = await w.alice.slash(w.general, "veille ajouter", lien="ftp://example.org/fichier")
    assert "n'est pas un lien valide" in ftp.response.content
    category = await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE, categorie="Piscine")
    assert "ne fait pas partie de la liste «\u00a0Catégories de veille\u00a0»" in category.response.content
    plain = await w.alice.send(w.general, "Bonjour à toutes et à tous, pas de lien ici.")
    menu = await w.bob.context_menu(w.general, "Ajouter à la veille", plain)
    assert menu.response.content.startswith("Ce message ne contient pas de lien web")
    assert await _items(db) == []
    assert fetcher.asked == []


async def test_the_coordination_reviews_the_draft(configured, make_watch_bot, fetcher, db: Database) -> None:
    w = configured
    for n in range(6):
        fetcher.titles[f"https://example.org/{n}"] = f"Article {n}"
        await w.alice.slash(w.general, "veille ajouter", lien=f"https://example.org/{n}")

    refused = await w.alice.slash(w.general, "veille brouillon")
    assert "réservée à la coordination" in refused.response.content

    draft = await w.coordinator.slash(w.general, "veille brouillon")
    assert draft.ephemeral
    status, listing = draft.response.embeds
    assert status.title == "Brouillon · Veille n°1"
    assert status.description.splitlines()[:2] == [
        f"Prochaine publication\u00a0: lundi 21 juin 2027 à 9 h, dans <#{w.digest.id}>.",
        "**6** liens retenus · **0** proposition des flux à valider.",
    ]
    assert listing.title == "Liens · page 1/2"
    buttons = [c for row in draft.response.components for c in row["components"]]
    assert len(buttons) == 25
    message = draft.response.message

    star = await w.coordinator.click(message, label="⭐ 3")
    assert star.response.embeds[1].description.startswith("**1.** ⭐ [Article 2](https://example.org/2)")
    down = await w.coordinator.click(message, label="↓ 2")  # Article 0 moves below Article 1
    lines = [line for line in down.response.embeds[1].description.splitlines() if line.startswith("**")]
    assert lines[1].startswith("**2.** [Article 1]") and lines[2].startswith("**3.** [Article 0]")
    asked = await w.coordinator.click(message, label="✕ 4")  # asks first; the removal is tested below
    await w.coordinator.click(asked.response.message, label="Oui, retirer le lien")

    shown = await w.coordinator.click(message, label="✎ 1")
    assert shown.modal["title"] == "Commentaire du lien"
    commented = await w.coordinator.submit_modal(shown, {"comment": "À lire absolument"})
    assert "> À lire absolument" in commented.response.embeds[1].description

    shown = await w.coordinator.click(message, label="Éditorial")
    edited = await w.coordinator.submit_modal(shown, {"editorial": "Bonne rentrée à toutes et tous\u00a0!"})
    assert "**Éditorial**\u00a0: Bonne rentrée à toutes et tous\u00a0!" in edited.response.embeds[0].description

    next_page = await w.coordinator.click(message, label="▶")
    assert next_page.response.embeds[1].title == "Liens · page 2/2"
    assert next_page.response.embeds[1].description.startswith("**5.** [Article 5]")

    preview = await w.coordinator.click(message, label="Aperçu")
    assert preview.response.content.startswith("Aperçu de la prochaine veille")
    titles = [e.title for e in preview.response.embeds]
    assert titles == ["Veille n°1 (brouillon)", "⭐ À la une", "Actualité du numérique"]
    assert preview.response.embeds[0].description.startswith("Bonne rentrée à toutes et tous\u00a0!")

    # The controls still work after a restart (persistent buttons, state in the database).
    await w.env.restart_bot(make_watch_bot())
    toggled = await w.coordinator.click(message, label="Note si vide\u00a0: non")
    assert "Si rien n'est partagé\u00a0: une courte note est publiée." in toggled.response.embeds[0].description

    items = {i.title: i for i in await _items(db)}
    assert items["Article 2"].featured and items["Article 2"].comment == "À lire absolument"
    assert items["Article 3"].status == "removed"
    assert items["Article 0"].position > items["Article 1"].position


async def test_the_draft_asks_before_removing_an_item(configured, make_watch_bot, fetcher, db: Database) -> None:
    """« ✕ » asks first: « Non » keeps the item, « Oui » removes it and shows the refreshed
    draft; a button posted with the old custom_id (veille:remove:…) asks the same question."""
    w = configured
    for n in range(3):
        fetcher.titles[f"https://example.org/{n}"] = f"Article {n}"
        await w.alice.slash(w.general, "veille ajouter", lien=f"https://example.org/{n}")
    draft = await w.coordinator.slash(w.general, "veille brouillon")

    asked = await w.coordinator.click(draft.response.message, label="✕ 2")
    assert asked.ephemeral
    assert asked.response.content == "Retirer **Article 1** de la prochaine veille\u00a0?"
    buttons = [c.label for row in asked.response.message.components for c in row.children]
    assert buttons == ["Oui, retirer le lien", "Non, ne rien changer"]
    kept = await w.coordinator.click(asked.response.message, label="Non, ne rien changer")
    assert kept.response.content == "Rien n'a changé."
    assert {i.title: i.status for i in await _items(db)}["Article 1"] == ACCEPTED

    yes = asked.response.message.components[0].children[0].custom_id
    forged = await forged_button(w, w.general, yes)
    refused = await w.alice.click(forged, custom_id=yes)  # the question is open, the handler is not
    assert refused.ephemeral and "réservée à la coordination" in refused.response.content
    assert {i.title: i.status for i in await _items(db)}["Article 1"] == ACCEPTED

    await w.env.restart_bot(make_watch_bot())
    removed = await w.coordinator.click(asked.response.message, label="Oui, retirer le lien")
    assert removed.response.content == "**Article 1** est retiré de la prochaine veille."
    assert removed.response.embeds[0].title == "Brouillon · Veille n°1"
    listing = removed.response.embeds[1].description
    assert "Article 0" in listing and "Article 2" in listing and "Article 1" not in listing
    assert {i.title: i.status for i in await _items(db)}["Article 1"] == "removed"

    article_2 = next(i for i in await _items(db) if i.title == "Article 2")
    legacy = await forged_button(w, w.general, f"veille:remove:{article_2.id}:0")
    asked = await w.coordinator.click(legacy, custom_id=f"veille:remove:{article_2.id}:0")
    assert asked.response.content == "Retirer **Article 2** de la prochaine veille\u00a0?"
    assert {i.title: i.status for i in await _items(db)}["Article 2"] == ACCEPTED
    removed = await w.coordinator.click(asked.response.message, label="Oui, retirer le lien")
    assert removed.response.content == "**Article 2** est retiré de la prochaine veille."
    assert {i.title: i.status for i in await _items(db)}["Article 2"] == "removed"


async def test_retirer_own_link_only(configured, fetcher, db: Database) -> None:
    w = configured
    fetcher.titles["https://example.org/alice"] = "Le lien d'Alice"
    await w.alice.slash(w.general, "veille ajouter", lien="https://example.org/alice")
    choices = await w.bob.autocomplete(w.general, "veille retirer", "lien", "alice")
    assert [c["name"] for c in choices] == ["Le lien d'Alice · Actualité du numérique"]
    refused = await w.bob.slash(w.general, "veille retirer", lien=choices[0]["value"])
    assert refused.response.content.startswith("Vous ne pouvez retirer que les liens que vous êtes seul·e")
    assert [i.status for i in await _items(db)] == [ACCEPTED]
    asked = await w.alice.slash(w.general, "veille retirer", lien=choices[0]["value"])
    assert asked.response.content == "Retirer **Le lien d'Alice** de la prochaine veille\u00a0?"
    assert [i.status for i in await _items(db)] == [ACCEPTED]  # nothing changed yet
    kept = await w.alice.click(asked.response.message, label="Non, ne rien changer")
    assert kept.response.content == "Rien n'a changé."
    done = await w.alice.click(asked.response.message, label="Oui, retirer le lien")
    assert done.response.content == "**Le lien d'Alice** est retiré de la prochaine veille."
    unknown = await w.coordinator.slash(w.general, "veille retirer", lien=choices[0]["value"])
    assert unknown.response.content == "Ce lien n'est pas (ou plus) dans le brouillon de la veille."


async def test_missed_publication_is_caught_up_after_a_restart(configured, make_watch_bot, clock, db: Database) -> None:
    """The bot was down on Monday 9:00: it publishes at the next start, once."""
    w = configured
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    clock.set(MONDAY_21_9H + timedelta(hours=8))
    for _ in range(2):
        await w.env.restart_bot(make_watch_bot())
        await w.env.settle()
    posted = _posted(w.digest)
    assert len(posted) == 1
    assert posted[0].embeds[0].title == "Veille n°1 — semaine du 14 au 20 juin 2027"
    async with db.transaction() as session:
        post = await outbox_service.get(session, w.guild.id, "digest", "2027-W24")
    assert post.state == SENT and post.due_at == MONDAY_21_9H


async def test_failed_post_is_retried_with_nothing_lost_or_doubled(
    configured, simcord_bot, fetcher, clock, db: Database
) -> None:
    w = configured
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    w.env.inject_error("POST", "/channels/*/messages", status=500, times=None)
    clock.set(MONDAY_21_9H)
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())
    async with db.transaction() as session:
        post = await outbox_service.get(session, w.guild.id, "digest", "2027-W24")
    assert post.state == FAILED
    w.env.backend.faults.clear()

    # Meanwhile: the coordinator is told, and a new link waits for the next issue.
    draft = await w.coordinator.slash(w.general, "veille brouillon")
    assert (
        "⚠️ La publication «\u00a0Lettre de veille · semaine du 14 juin 2027\u00a0» a échoué (1 essai)"
        in draft.response.embeds[0].description
    )
    fetcher.titles["https://example.org/later"] = "Arrivé plus tard"
    await w.bob.slash(w.general, "veille ajouter", lien="https://example.org/later")

    clock.set(MONDAY_21_9H + timedelta(minutes=5))
    await simcord_bot.outbox.dispatch_due(clock())
    await simcord_bot.outbox.dispatch_due(clock())
    posted = _posted(w.digest)
    assert len(posted) == 1
    assert [e.title for e in posted[0].embeds] == [
        "Veille n°1 — semaine du 14 au 20 juin 2027",
        "Actualité du numérique",
    ]
    assert "Les ados et TikTok" in posted[0].embeds[1].description
    assert "Arrivé plus tard" not in posted[0].embeds[1].description
    async with db.transaction() as session:
        assert await session.scalar(select(func.count(WatchDigest.id))) == 1
    later = [i for i in await _items(db) if i.title == "Arrivé plus tard"]
    assert later[0].digest_id is None  # in the draft of n°2


async def test_publier_now_empty_draft_and_note(configured, simcord_bot, fetcher, clock, db: Database) -> None:
    w = configured
    refused = await w.alice.slash(w.general, "veille publier")
    assert "réservée à la coordination" in refused.response.content
    empty = await w.coordinator.slash(w.general, "veille publier")
    assert empty.response.content.startswith("Rien à publier\u00a0: le brouillon ne contient aucun lien retenu.")

    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    clock.set(datetime(2027, 6, 16, 8, 30, tzinfo=UTC))  # Wednesday 10:30
    done = await w.coordinator.slash(w.general, "veille publier")
    text = (done.followups[-1] if done.followups else done.response).content
    assert text == f"La **Veille n°1** est publiée dans <#{w.digest.id}> (1 lien)."
    posted = _posted(w.digest)
    assert posted[0].embeds[0].title == "Veille n°1 — du 14 au 16 juin 2027"
    assert posted[0].embeds[-1].footer.text == "Lettre de veille · 16 juin 2027 à 10\u00a0h\u00a030"

    # The scheduled Monday issue has nothing left: nothing is posted, no number is used.
    clock.set(MONDAY_21_9H)
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())
    assert len(_posted(w.digest)) == 1

    # With the option on, an empty period gets a short note instead.
    draft = await w.coordinator.slash(w.general, "veille brouillon")
    await w.coordinator.click(draft.response.message, label="Note si vide\u00a0: non")
    clock.set(MONDAY_21_9H + timedelta(days=7))
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())
    note = _posted(w.digest)[-1]
    assert note.content.startswith("Pas de lettre de veille cette fois-ci")
    async with db.transaction() as session:
        assert await session.scalar(select(func.count(WatchDigest.id))) == 1
        await_published = (await session.scalars(select(WatchDigest.published_at))).one()
    assert await_published == datetime(2027, 6, 16, 8, 30, tzinfo=UTC)


async def test_publier_without_a_digest_channel(world) -> None:
    w = world
    await w.admin.slash(w.general, "veille ajouter", lien=ARTICLE)
    result = await w.admin.slash(w.general, "veille publier")
    assert result.response.content.startswith("Aucun salon de veille n'est configuré.")


async def test_archives_and_export(profiles, simcord_bot, fetcher, clock, db: Database) -> None:
    w = profiles
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE, commentaire="Chiffres <clés> & analyses")
    fetcher.titles["https://example.org/agenda"] = "Forum des associations"
    await w.bob.slash(
        w.general, "veille ajouter", lien="https://example.org/agenda", categorie="Événement sur le territoire"
    )
    draft = await w.coordinator.slash(w.general, "veille brouillon")
    shown = await w.coordinator.click(draft.response.message, label="Éditorial")
    await w.coordinator.submit_modal(shown, {"editorial": "Une semaine riche."})
    clock.set(MONDAY_21_9H)
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())

    archives = await w.bob.slash(w.general, "veille archives")
    assert archives.response.embeds[0].description == (
        "**Veille n°1** — semaine du 14 au 20 juin 2027 · 2 liens · publiée le lundi 21 juin 2027"
    )
    found = await w.bob.slash(w.general, "veille archives", recherche="tiktok")
    assert found.response.embeds[0].description == (f"n°1 · [Les ados et TikTok]({ARTICLE}) — *Actualité du numérique*")

    refused = await w.alice.slash(w.general, "veille export", numero=1)
    assert "réservée à la coordination" in refused.response.content
    missing = await w.coordinator.slash(w.general, "veille export", numero=7)
    assert missing.response.content == "La veille n°7 n'existe pas (encore) sur ce serveur."
    choices = await w.coordinator.autocomplete(w.general, "veille export", "numero", "")
    assert [c["name"] for c in choices] == ["Veille n°1 — semaine du 14 au 20 juin 2027"]
    export = await w.coordinator.slash(w.general, "veille export", numero=1)
    files = {a.filename: (await a.read()).decode("utf-8") for a in export.response.attachments}
    assert set(files) == {"veille-1.md", "veille-1.html"}
    assert files["veille-1.md"] == (
        "# Veille n°1 — semaine du 14 au 20 juin 2027\n\n"
        "Une semaine riche.\n\n"
        "## Actualité du numérique\n\n"
        f"- **[Les ados et TikTok]({ARTICLE})** — Chiffres \\<clés\\> \\& analyses *(partagé par Alice Martin)*\n\n"
        "## Événement sur le territoire\n\n"
        "- **[Forum des associations](https://example.org/agenda)** *(partagé par Bob Durand)*\n"
    )
    assert ">Veille n°1 — semaine du 14 au 20 juin 2027</h1>" in files["veille-1.html"]
    assert "Chiffres &lt;clés&gt; &amp; analyses" in files["veille-1.html"]
    assert f'<a href="{ARTICLE}" target="_blank"' in files["veille-1.html"]


async def test_feeds_propose_links_that_the_coordination_accepts(
    configured, simcord_bot, fetcher, clock, db: Database
) -> None:
    w = configured
    feed_url = "https://blog.example.org/feed"
    fetcher.feeds[feed_url] = FeedResult(
        title="Le blog du numérique",
        entries=[FeedEntry(f"https://blog.example.org/{n}?utm_medium=rss", f"Billet {n}") for n in range(3)],
        etag='"v1"',
    )
    refused = await w.alice.slash(w.general, "veille flux-ajouter", url=feed_url)
    assert "réservée à la coordination" in refused.response.content
    broken = await w.coordinator.slash(w.general, "veille flux-ajouter", url="https://down.example.org/rss")
    text = (broken.followups[-1] if broken.followups else broken.response).content
    assert text.startswith("Impossible de lire ce flux\u00a0: le site est injoignable.")

    added = await w.coordinator.slash(w.general, "veille flux-ajouter", url=feed_url, categorie="Ressource / outil")
    text = (added.followups[-1] if added.followups else added.response).content
    assert text == (
        "Flux ajouté\u00a0: **Le blog du numérique** («\u00a0Ressource / outil\u00a0»). "
        "3 entrées récentes proposées dans le brouillon."
    )
    listing = await w.coordinator.slash(w.general, "veille flux-liste")
    assert listing.response.embeds[0].description.startswith(
        f"**Le blog du numérique** · Ressource / outil\n{feed_url}\n-# dernière lecture\u00a0: lundi 14 juin 2027"
    )

    # The hourly job: one new entry, the known ones are not proposed again; a broken feed
    # is recorded without stopping the others.
    fetcher.feeds[feed_url] = FeedResult(
        entries=[FeedEntry(f"https://blog.example.org/{n}", f"Billet {n}") for n in range(4)]
    )
    cog = simcord_bot.get_cog("Watch")
    assert await cog.poll_feeds() == 1

    draft = await w.coordinator.slash(w.general, "veille brouillon")
    assert "**0** lien retenu · **4** propositions" in draft.response.embeds[0].description
    assert "🆕 *proposition du flux* [Billet 0]" in draft.response.embeds[1].description
    accepted = await w.coordinator.click(draft.response.message, label="✓ 1")
    assert "**1** lien retenu · **3** propositions" in accepted.response.embeds[0].description

    clock.set(MONDAY_21_9H)
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())
    embeds = _embeds(w.digest)
    assert [e.title for e in embeds] == ["Veille n°1 — semaine du 14 au 20 juin 2027", "Ressource / outil"]
    assert embeds[1].description == ("**[Billet 0](https://blog.example.org/0)**\n↳ Repéré par la coordination")

    choices = await w.coordinator.autocomplete(w.general, "veille flux-retirer", "flux", "blog")
    gone = await w.coordinator.slash(w.general, "veille flux-retirer", flux=choices[0]["value"])
    assert gone.response.content.startswith("Le flux **Le blog du numérique** n'est plus suivi.")
    empty = await w.coordinator.slash(w.general, "veille flux-liste")
    assert empty.response.embeds[0].description == "Aucun flux suivi. Ajoutez-en avec /veille flux-ajouter."


async def test_monthly_schedule(configured, simcord_bot, clock) -> None:
    w = configured
    planned = await w.coordinator.slash(
        w.general, "config planning", publication="digest", frequence="monthly", heure="9h"
    )
    assert planned.response.content.startswith(
        "Planning mis à jour\u00a0: **Lettre de veille**, chaque mois le 1er à 9 h."
    )
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    clock.set(datetime(2027, 7, 1, 7, 0, tzinfo=UTC))
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())
    assert _posted(w.digest)[0].embeds[0].title == "Veille n°1 — juin 2027"


async def test_my_data_covers_the_watch(profiles, db: Database) -> None:
    w = profiles
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE, commentaire="Mon avis")
    exported = await w.alice.slash(w.general, "mes-donnees exporter")
    data = json.loads(await exported.response.attachments[0].read())
    assert [(c["lien"], c["commentaire"]) for c in data["veille"]] == [(ARTICLE, "Mon avis")]
    asked = await w.alice.slash(w.general, "mes-donnees supprimer")
    await w.alice.click(asked.response.message, label="Oui, supprimer mes données")
    async with db.transaction() as session:
        contribution = (await session.scalars(select(WatchContribution))).one()
        item = (await session.scalars(select(WatchItem))).one()
    assert (contribution.discord_id, contribution.display_name, contribution.comment) == (None, None, None)
    assert item.comment is None and item.url == ARTICLE


async def test_same_page_with_an_anchor_is_one_item_with_both_contributors(
    profiles, simcord_bot, fetcher, clock, db: Database
) -> None:
    w = profiles
    page = "https://www.cnil.fr/fr/parents"
    fetcher.titles[page] = "Les conseils de la CNIL aux parents"
    await w.alice.slash(w.general, "veille ajouter", lien=f"{page}?utm_source=lettre&utm_medium=email")
    joined = await w.bob.slash(w.general, "veille ajouter", lien=f"{page}/#top")
    assert joined.response.content.startswith(
        "Ce lien figurait déjà dans la prochaine veille (partagé par Alice Martin)"
    )
    other = await w.bob.slash(w.general, "veille ajouter", lien="https://www.cnil.fr/fr/enfants#top")
    assert other.response.content.startswith("Merci\u00a0!")

    draft = await w.coordinator.slash(w.general, "veille brouillon")
    status, listing = draft.response.embeds
    assert "**2** liens retenus" in status.description
    entries = listing.description.split("\n\n")
    assert len(entries) == 2 and sum("cnil.fr/fr/parents" in e for e in entries) == 1
    parents = next(e for e in entries if "cnil.fr/fr/parents" in e)
    assert f"[Les conseils de la CNIL aux parents]({page})" in parents
    assert "Alice Martin, Bob Durand" in parents

    clock.set(MONDAY_21_9H)
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())
    await w.env.settle()
    embeds = _embeds(w.digest)
    assert embeds[0].description == "2 liens partagés par 2 membres du réseau. Bonne lecture\u00a0!"
    body = "\n".join(e.description for e in embeds[1:])
    assert body.count("cnil.fr/fr/parents") == 1
    assert f"**[Les conseils de la CNIL aux parents]({page})**\n↳ Partagé par Alice Martin, Bob Durand" in body
    assert "<https://www.cnil.fr/fr/enfants#top>" in body  # published as given
    async with db.transaction() as session:
        assert await session.scalar(select(func.count(WatchContribution.id))) == 3


async def test_menu_keeps_a_french_wikipedia_link_whole(configured, fetcher, db: Database) -> None:
    w = configured
    wiki = "https://fr.wikipedia.org/wiki/Caisse_d'allocations_familiales_(France)"
    fetcher.titles[wiki] = "Caisse d'allocations familiales (France)"
    shared = await w.alice.send(w.general, f"Pour la réunion de jeudi\u00a0: {wiki}.")
    menu = await w.bob.context_menu(w.general, "Ajouter à la veille", shared)
    done = await w.bob.submit_modal(menu, {"comment": ""})
    assert done.response.content.startswith("Merci\u00a0! **Caisse d'allocations familiales (France)**")
    assert [i.url for i in await _items(db)] == [wiki]
    draft = await w.coordinator.slash(w.general, "veille brouillon")
    assert (
        "[Caisse d'allocations familiales (France)]"
        "(https://fr.wikipedia.org/wiki/Caisse_d'allocations_familiales_%28France%29)"
    ) in draft.response.embeds[1].description


async def test_components_posted_with_the_old_custom_ids_still_work(configured, fetcher, db: Database) -> None:
    """Messages posted by earlier versions keep their custom_ids (`veille:…`,
    `veille-categorie:…`): a click still reaches the watch."""
    w = configured
    fetcher.titles["https://example.org/0"] = "Article 0"
    added = await w.alice.slash(w.general, "veille ajouter", lien="https://example.org/0")
    [select_menu] = [c for row in added.response.message.components for c in row.children]
    assert select_menu.custom_id.startswith("watch:category:")
    [item] = await _items(db)
    other = next(o.value for o in select_menu.options if not o.default)

    legacy = discord.ui.View(timeout=None)
    legacy.add_item(
        discord.ui.Select(
            custom_id=f"veille-categorie:{item.id}",
            options=[discord.SelectOption(label=o.label, value=o.value) for o in select_menu.options],
        )
    )
    await w.env.bot.get_channel(w.general.id).send("Changer la catégorie", view=legacy)
    moved = await w.alice.select(w.general.last_message, [other], custom_id=f"veille-categorie:{item.id}")
    assert moved.response.content.startswith("C'est noté\u00a0: **Article 0**")

    draft = await w.coordinator.slash(w.general, "veille brouillon")
    assert any(
        c.custom_id == f"watch:star:{item.id}:0" for row in draft.response.message.components for c in row.children
    )
    old = discord.ui.View(timeout=None)
    old.add_item(discord.ui.Button(label="⭐ 1", custom_id=f"veille:star:{item.id}:0"))
    await w.env.bot.get_channel(w.general.id).send("Brouillon", view=old)
    starred = await w.coordinator.click(w.general.last_message, label="⭐ 1")
    assert starred.response.embeds[1].description.startswith("**1.** ⭐ [Article 0]")
    [item] = await _items(db)
    assert item.category == other and item.featured


@pytest.mark.parametrize(
    ("old", "modal", "fields"),
    [
        ("veille-form:comment:12:3", "CommentModal", {"item": "12", "page": "3"}),
        ("veille-form:edito:-1", "EditorialModal", {"page": "-1"}),
        ("veille-form:add:45:67", "AddFromMessageModal", {"channel": "45", "message": "67"}),
    ],
)
def test_forms_shown_with_the_old_custom_ids_are_still_routed(old: str, modal: str, fields: dict[str, str]) -> None:
    """A form opened before the new scheme is answered after the update (matched by its
    template, as after a restart); new forms use `watch:form:…`."""
    cls = getattr(_draft, modal, None) or getattr(_modals, modal)
    match = re.fullmatch(cls.template, old)
    assert match is not None and match.groupdict() == fields
    assert re.fullmatch(cls.template, old.replace("veille-form:", "watch:form:"))
