"""Serving the demo: a small hub page on 127.0.0.1 that opens SimCord's Preview of the
chosen channel (the Preview shows one channel at a time), and the screenshot mode."""

from __future__ import annotations

import asyncio
import html
import logging
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import create_bot
from bot.config import Settings
from bot.demo.world import CHANNELS, DemoWorld, build_world
from bot.migrations import upgrade_to_head

log = logging.getLogger(__name__)

DEMO_DATABASE = Path("data/demo.db")
CHANNEL_HELP = {
    "accueil": "le salon où l'on tape les commandes : /profil, /membres, /config…",
    "annonces": "les annonces d'événements, avec les boutons d'inscription",
    "demandes": "les demandes d'accompagnement (fils privés)",
    "veille": "la lettre de veille publiée",
    "bilans": "les bilans mensuels et annuels",
}

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Démo — bot Promeneurs du Net</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #313338; color: #dbdee1; max-width: 46rem;
       margin: 3rem auto; line-height: 1.5; padding: 0 1rem; }}
a.salon {{ display: block; padding: .8rem 1rem; margin: .5rem 0; background: #2b2d31; border-radius: 8px;
          color: #fff; text-decoration: none; }}
a.salon:hover {{ background: #404249; }} small {{ color: #b5bac1; }} code {{ color: #fff; }}
</style></head><body>
<h1>Démonstration du bot Promeneurs du Net</h1>
<p>Un serveur Discord simulé, avec le vrai bot et un réseau fictif de deux départements
(63 Puy-de-Dôme, 03 Allier). Rien ne quitte votre ordinateur. Choisissez un salon :</p>
{links}
<p>Dans la page du salon, le menu <b>« Viewing as »</b> en haut permet d'agir en tant que
<b>Claire (coordination)</b> ou en tant que Promeneur·e. Tapez <code>/</code> dans la zone de
saisie en bas pour lancer une commande. Pour revenir ici, utilisez le bouton « Retour » du
navigateur. La commande <code>/demo publier</code> (coordination) lance tout de suite une
publication programmée.</p>
</body></html>"""


def demo_settings(database: Path = DEMO_DATABASE) -> Settings:
    """Settings of the demo: its own SQLite file, a dummy token; never `.env`'s database."""
    return Settings(  # type: ignore[call-arg]
        discord_token="demo-without-discord",
        database_url=f"sqlite+aiosqlite:///{database}",
        _env_file=None,
    )


async def prepare_database(database: Path, *, reset: bool) -> Settings:
    """A fresh demo database, rebuilt from the code's demo data at every start."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    settings = demo_settings(database)
    await upgrade_to_head(settings.database_url)
    return settings


class Hub:
    """The page listing the channels; each link (re)opens the Preview on that channel."""

    def __init__(self, world: DemoWorld, port: int, preview_port: int) -> None:
        self.world, self.port, self.preview_port = world, port, preview_port
        self.preview: Any = None
        self._lock = asyncio.Lock()
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self.index)
        app.router.add_get("/salon/{name}", self.channel)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self.preview is not None:
            await self.preview.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def index(self, _request: web.Request) -> web.Response:
        links = "\n".join(
            f'<a class="salon" href="/salon/{name}"># {name}<br><small>{html.escape(CHANNEL_HELP[name])}</small></a>'
            for name in CHANNELS
        )
        return web.Response(text=PAGE.format(links=links), content_type="text/html")

    async def channel(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.world.channels:
            raise web.HTTPNotFound(text="Salon inconnu")
        url = await self.open(name)
        raise web.HTTPFound(url)

    async def open(self, name: str, *, viewer: Any = None) -> str:
        async with self._lock:
            if self.preview is not None:
                await self.preview.close()
            viewers = self.world.viewers
            if viewer is not None:
                viewers = [viewer, *[v for v in viewers if v is not viewer]]
            self.preview = self.world.env.preview(
                self.world.channels[name],
                viewers=viewers,
                layout="channel",
                locale="fr",
                timezone="Europe/Paris",
                port=self.preview_port,
            )
            await self.preview.__aenter__()
            return self.preview.url


async def run_demo(*, port: int, reset: bool, screenshots: Path | None) -> int:
    settings = await prepare_database(DEMO_DATABASE, reset=reset)
    bot = create_bot(settings, extra_extensions=("bot.demo.cog",))
    try:
        return await _serve(bot, port=port, screenshots=screenshots)
    finally:
        await bot.release_resources()


async def _serve(bot: Any, *, port: int, screenshots: Path | None) -> int:
    import simcord

    async with simcord.run(bot) as env:
        world = await build_world(env, bot)
        if screenshots is not None:
            from bot.demo.screens import take_screenshots

            written = await take_screenshots(world, screenshots)
            for path in written:
                print(f"Screenshot: {path}")
            return 0
        hub = Hub(world, port, port + 1)
        await hub.start()
        print(f"The demo is ready: open http://127.0.0.1:{port}/ in your browser (Ctrl-C to stop).")
        try:
            await asyncio.Event().wait()
        finally:
            await hub.stop()
    return 0
