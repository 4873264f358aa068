"""The demo (`python -m bot demo`): its world builds through the real bot, its commands answer,
its pages are served on 127.0.0.1, and it never touches the production database."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bot.app import create_bot
from bot.demo.people import PEOPLE
from bot.demo.serve import Hub, prepare_database
from bot.demo.world import build_world


@pytest.fixture
def production(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A production configuration in the environment, which the demo must ignore."""
    path = tmp_path / "production.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("DISCORD_TOKEN", "a-production-token")
    return path


@pytest.fixture
async def simcord_bot(tmp_path: Path, production: Path):  # noqa: ANN201
    settings = await prepare_database(tmp_path / "demo.db", reset=False)
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    return create_bot(settings, extra_extensions=("bot.demo.cog",))


@pytest.fixture
async def demo(env, simcord_bot, production: Path):  # noqa: ANN001, ANN201
    world = await build_world(env, simcord_bot)
    yield world
    assert not production.exists(), "the demo opened the production database"


async def test_demo_world_answers_as_coordinator_and_promeneur(demo) -> None:
    here = demo.channels["accueil"]
    listing = await demo.coordinator.slash(here, "membres liste")
    assert listing.response.embeds[0].title == f"Promeneurs du Net ({len(PEOPLE)})"
    camille = demo.promeneurs["camille"]
    profile = await camille.slash(here, "profil voir")
    assert profile.response.embeds[0].title == "Profil de Camille Bernard"
    refused = await camille.slash(here, "membres liste")
    assert "réservée à la coordination" in refused.response.content
    voir = await demo.coordinator.slash(here, "config voir")
    fields = {f.name: f.value for f in voir.response.embeds[0].fields}
    assert fields["Territoires"] == "**03** Allier\n**63** Puy-de-Dôme"


async def test_demo_publish_command_is_for_the_coordination(demo) -> None:
    here = demo.channels["accueil"]
    refused = await demo.promeneurs["camille"].slash(here, "demo publier", publication="x")
    assert "réservée à la coordination" in refused.response.content


async def test_hub_and_preview_answer_200(demo) -> None:  # noqa: ANN001
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
            async with http.get(
                f"http://127.0.0.1:{hub.port}/salon/annonces", allow_redirects=False
            ) as response:
                assert response.status == 302
                preview_url = response.headers["Location"]
            assert preview_url.startswith(f"http://127.0.0.1:{hub.preview_port}/")
            async with http.get(preview_url) as response:
                assert response.status == 200
            async with http.get(f"http://127.0.0.1:{hub.port}/salon/inconnu") as response:
                assert response.status == 404
    finally:
        await hub.stop()
