"""The demo (`python -m bot demo`): its world builds through the real bot, its commands answer,
its pages are served on 127.0.0.1, and it never touches the production database."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import aiohttp
import pytest

from bot.demo.people import PEOPLE
from bot.demo.serve import Hub, create_demo_bot, prepare_database
from bot.demo.timeline import past_year
from bot.demo.world import build_world
from tests.conftest import slash_anyway


@pytest.fixture
def production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A production configuration in the environment, which the demo must ignore."""
    path = tmp_path / "production.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("DISCORD_TOKEN", "a-production-token")
    return path


@pytest.fixture
async def simcord_bot(tmp_path: Path, production: Path):
    settings = await prepare_database(tmp_path / "demo.db", reset=False)
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    bot = create_demo_bot(settings)
    yield bot
    await bot.release_resources()  # SimCord detaches bots without closing them


@pytest.fixture
async def demo(env, simcord_bot, production: Path):
    world = await build_world(env, simcord_bot)
    yield world
    assert not await asyncio.to_thread(production.exists), "the demo opened the production database"


def _field(message, name: str) -> str:
    return next(f.value for f in message.embeds[0].fields if f.name == name)


async def test_directory_events_requests_and_watch_are_filled_and_answer(demo) -> None:
    here, claire = demo.channels["accueil"], demo.coordinator
    camille, theo = demo.promeneurs["camille"], demo.promeneurs["theo"]

    # The bot is named as on a real server (its messages and its role), not SimCord's "TestBot".
    assert demo.bot.user.name == "Promeneurs du Net"
    assert "Promeneurs du Net" in [r.name for r in demo.guild.roles.values()]
    posted = demo.channels["annonces"].history()[-1]
    assert posted.author.name == "Promeneurs du Net"

    # Directory and configuration: twenty fictional people in two territories.
    listing = await claire.slash(here, "membres liste")
    assert listing.response.embeds[0].title == f"Promeneurs du Net ({len(PEOPLE)})"
    profile = await camille.slash(here, "profil voir")
    assert profile.response.embeds[0].title == "Profil de Camille Bernard"
    refused = await slash_anyway(camille, here, "membres liste")
    assert "réservée à la coordination" in refused.response.content
    voir = await claire.slash(here, "config voir")
    fields = {f.name: f.value for f in voir.response.embeds[0].fields}
    assert fields["Territoires"] == "**03** Allier\n**63** Puy-de-Dôme"

    # Events: upcoming announcements in #annonces with their buttons, the last one full.
    announcements = demo.channels["annonces"].history()
    events = [m for m in announcements if m.embeds and any(f.name == "Inscriptions" for f in m.embeds[0].fields)]
    assert len(events) == 4
    full = events[-1]
    assert full.embeds[0].title == "Formation initiale Promeneurs du Net"
    assert _field(full, "Inscriptions") == "6/6 inscrits · 2 en liste d'attente"
    click = await camille.click(full, label="S'inscrire")
    assert "liste d'attente" in click.response.content
    assert _field(demo.channels["annonces"].history()[announcements.index(full)], "Inscriptions") == (
        "6/6 inscrits · 3 en liste d'attente"
    )
    mine = await camille.slash(here, "evenement mes-inscriptions")
    assert "TikTok et les 11-14 ans" in mine.response.embeds[0].description
    assert "Formation initiale Promeneurs du Net" in mine.response.embeds[0].description
    upcoming = await claire.slash(here, "evenement liste")
    assert upcoming.response.embeds[0].title.startswith("Événements à venir")

    # Requests: this week's requests in their private threads, the coordination sees all.
    threads = demo.channels["demandes"].threads
    assert len(threads) == 5
    everything = await claire.slash(here, "accompagnement liste", statut="active")
    listing = everything.response.embeds[0]
    assert listing.title == "Demandes d'accompagnement · En cours (non closes) (3)"
    theo_number = re.search(r"n°(\d+)\*\* · Ouverte[^\n]*Théo Lambert", listing.description)[1]
    own = await camille.slash(here, "accompagnement liste")
    assert own.response.embeds[0].title.startswith("Vos demandes d'accompagnement")
    assert "Planifiée" in own.response.embeds[0].description
    refused = await camille.slash(here, "accompagnement voir", numero=theo_number)
    assert "n'est pas la vôtre" in refused.response.content
    seen = await theo.slash(here, "accompagnement voir", numero=theo_number)
    assert seen.response.embeds[0].title == f"Demande n°{theo_number} · Créer une page Instagram pour la structure"

    # Watch: last week's digest in #veille, this week's links in the draft.
    digest = demo.channels["veille"].last_message
    assert re.match(r"Veille n°\d+ — semaine du ", digest.embeds[0].title)
    draft = await claire.slash(here, "veille brouillon")
    assert draft.response.embeds[0].title.startswith("Brouillon · Veille n°")
    assert "**7** liens retenus" in draft.response.embeds[0].description
    assert "Bonjour à toutes et à tous" in draft.response.embeds[0].description
    refused = await camille.slash(here, "veille brouillon")
    assert "réservée à la coordination" in refused.response.content
    added = await camille.slash(here, "veille ajouter", lien="https://example.org/un-article")
    assert "example.org/un-article" in added.response.content  # offline: no title fetched
    archives = await camille.slash(here, "veille archives")
    assert archives.response.embeds[0].title.startswith("Archives de la veille")


@pytest.mark.simcord(settle_timeout=30)  # the year-end files are drawn in a child process (bot.ui.recap_files)
async def test_activity_survey_and_recaps_are_filled_and_answer(demo) -> None:
    here, claire, camille = demo.channels["accueil"], demo.coordinator, demo.promeneurs["camille"]
    year = past_year(demo.bot.today())

    logged = await camille.slash(here, "activite mes-activites")
    assert re.match(r"Vos activités saisies \(\d\d+\)", logged.response.embeds[0].title)

    # The survey open now: Camille answers it; the coordination sees the results.
    form = await camille.slash(here, "questionnaire repondre")
    message = form.response.message
    await camille.select(message, ["15–17 ans"], custom_id="survey:public")
    await camille.select(message, ["Centre social"], custom_id="survey:structure")
    await camille.select(message, ["2 h"], custom_id="survey:heures")
    await camille.select(message, ["Instagram", "TikTok"], custom_id="survey:reseaux")
    sent = await camille.click(message, label="Envoyer mes réponses")
    assert sent.response.content.startswith("Merci\u00a0! Votre réponse au questionnaire n°3")
    results = await claire.slash(here, "questionnaire resultats")
    assert results.response.embeds[0].title == "Résultats du questionnaire n°3"
    assert "**4** réponses" in results.response.embeds[0].description

    # The year-end recap answers at once with its tables and charts; the monthly summary.
    annual = await claire.slash(here, "bilan annuel", annee=year)
    titles = (
        [e.title for m in annual.followups for e in m.embeds]
        if annual.followups
        else [e.title for e in annual.response.embeds]
    )
    assert f"Bilan {year} · Synthèse des données" in titles
    assert "Déploiement et évolution du projet" in titles
    files = [a.filename for m in (annual.followups or [annual.response]) for a in m.attachments]
    assert sum(name.endswith(".png") for name in files) >= 4
    assert f"bilan-{year}.xlsx" in files
    synthesis = next(
        e
        for m in (annual.followups or [annual.response])
        for e in m.embeds
        if e.title == f"Bilan {year} · Synthèse des données"
    )
    assert "**Accompagnements**\u00a0: 0" not in synthesis.description
    assert "**Temps de réseau**\u00a0: 0" not in synthesis.description
    monthly = await claire.slash(here, "bilan mensuel")
    assert monthly.response.embeds[0].title.startswith("Résumé du mois")
    bilans = demo.channels["bilans"].history()
    assert bilans[0].content.startswith(f"**Bilan {year}**")
    assert bilans[-1].embeds[0].title.startswith("Résumé du mois")
    refused = await slash_anyway(camille, here, "bilan annuel", annee=year)
    assert "réservée à la coordination" in refused.response.content

    # The demo-only command publishes the draft of the watch now (coordination only).
    refused = await camille.slash(here, "demo publier", publication="digest")
    assert "réservée à la coordination" in refused.response.content
    published = await claire.slash(here, "demo publier", publication="digest")
    assert published.response.content.startswith("C'est publié\u00a0: **Lettre de veille**")
    assert demo.channels["veille"].last_message.embeds[0].title.startswith("Veille n°")


async def test_hub_and_preview_answer_200(demo) -> None:
    import socket

    def free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    hub = Hub(demo, free_port(), free_port())
    await hub.start()
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{hub.port}/") as response:
                assert response.status == 200
                page = await response.text()
                assert "Démonstration du bot Promeneurs du Net" in page
                assert "/salon/annonces" in page
            async with http.get(f"http://127.0.0.1:{hub.port}/salon/annonces", allow_redirects=False) as response:
                assert response.status == 302
                preview_url = response.headers["Location"]
            assert preview_url.startswith(f"http://127.0.0.1:{hub.preview_port}/")
            async with http.get(preview_url) as response:
                assert response.status == 200
            thread = demo.channels["demandes"].threads[-1]
            assert f"/fil/{thread.id}" in page
            async with http.get(f"http://127.0.0.1:{hub.port}/fil/{thread.id}") as response:
                assert response.status == 200  # the Preview of a private request thread
            async with http.get(f"http://127.0.0.1:{hub.port}/salon/inconnu") as response:
                assert response.status == 404
            async with http.get(f"http://127.0.0.1:{hub.port}/fil/1") as response:
                assert response.status == 404
    finally:
        await hub.stop()
