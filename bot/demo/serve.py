"""Serving the demo: a small hub page on 127.0.0.1 that opens SimCord's Preview of the
chosen channel (the Preview shows one channel at a time); or, for a tool (the screenshots of
tools/screens.py), the demo world handed to a coroutine instead of the page."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from bot.app import PdnBot, create_bot, on_stop_signals
from bot.config import Settings
from bot.demo.world import CHANNELS, DemoWorld, build_world
from bot.migrations import upgrade_to_head
from bot.services.watch.fetch import NoFetcher

log = logging.getLogger(__name__)

DEMO_DATABASE = Path("data/demo.db")
DEMO_LOCK = Path("data/demo.lock")
CHANNEL_HELP = {
    "accueil": "le salon où l'on tape les commandes\u00a0: /profil, /membres, /config…",
    "annonces": "les temps de réseau à venir (boutons d'inscription) et le questionnaire en cours",
    "demandes": "les demandes d'accompagnement (fils privés)",
    "veille": "la lettre de veille publiée (le brouillon de la suivante\u00a0: /veille brouillon)",
    "bilans": "le bilan de l'année passée et le résumé du mois dernier",
}
THREAD_HELP = "fil privé d'une demande\u00a0: la coordination et l'auteur·rice de la demande"

PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Démo — bot Promeneurs du Net</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #313338; color: #dbdee1; max-width: 46rem;
       margin: 3rem auto; line-height: 1.5; padding: 0 1rem; }}
a.salon {{ display: block; padding: .8rem 1rem; margin: .5rem 0; background: #2b2d31; border-radius: 8px;
          color: #fff; text-decoration: none; }}
a.salon:hover {{ background: #404249; }} a.fil {{ margin-left: 2rem; padding: .5rem 1rem; }} small {{ color: #b5bac1; }} code {{ color: #fff; }}
</style></head><body>
<h1>Démonstration du bot Promeneurs du Net</h1>
<p>Un serveur Discord simulé, avec le vrai bot et un réseau fictif de deux départements
(63 Puy-de-Dôme, 03 Allier). Rien ne quitte votre ordinateur. Choisissez un salon :</p>
{links}
<p>Dans la page du salon, le menu <b>«\u00a0Viewing as\u00a0»</b> en haut permet d'agir en tant que
<b>Claire (coordination)</b> ou en tant que Promeneur·e. Tapez <code>/</code> dans la zone de
saisie en bas pour lancer une commande. Pour revenir ici, utilisez le bouton «\u00a0Retour\u00a0» du
navigateur. La commande <code>/demo publier</code> (coordination) lance tout de suite une
publication programmée.</p>
</body></html>"""


def demo_settings(database: Path = DEMO_DATABASE) -> Settings:
    """Settings of the demo: its own SQLite file, a dummy token; never `.env`'s database."""
    return Settings(  # type: ignore[call-arg]  # `_env_file` is pydantic-settings' own argument
        discord_token=SecretStr("demo-without-discord"),
        database_url=f"sqlite+aiosqlite:///{database}",
        _env_file=None,
    )


def remove_sqlite_files(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


async def prepare_database(database: Path, *, reset: bool) -> Settings:
    """A fresh demo database, rebuilt from the code's demo data at every start."""
    await asyncio.to_thread(remove_sqlite_files, database)
    settings = demo_settings(database)
    await upgrade_to_head(settings.database_url)
    return settings


def create_demo_bot(settings: Settings) -> PdnBot:
    """The real bot with the demo-only commands, offline: the watch fetches no page title
    and no feed (the demo never reaches the internet)."""
    return create_bot(settings, extra_extensions=("bot.demo.cog",), watch_fetcher=NoFetcher())


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
        app.router.add_get("/fil/{thread_id}", self.thread)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self.preview is not None:
            await self.preview.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def index(self, _request: web.Request) -> web.Response:
        links = []
        for name in CHANNELS:
            links.append(
                f'<a class="salon" href="/salon/{name}"># {name}<br>'
                f"<small>{html.escape(CHANNEL_HELP[name])}</small></a>"
            )
            for thread in self.world.channels[name].threads:
                name_html = html.escape(thread.name or "")
                links.append(
                    f'<a class="salon fil" href="/fil/{thread.id}">↳ {name_html}<br><small>{THREAD_HELP}</small></a>'
                )
        return web.Response(text=PAGE.format(links="\n".join(links)), content_type="text/html")

    async def channel(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.world.channels:
            raise web.HTTPNotFound(text="Salon inconnu")
        url = await self.open(name)
        raise web.HTTPFound(url)

    async def thread(self, request: web.Request) -> web.Response:
        wanted = request.match_info["thread_id"]
        found = [t for c in self.world.channels.values() for t in c.threads if str(t.id) == wanted]
        if not found:
            raise web.HTTPNotFound(text="Fil inconnu")
        raise web.HTTPFound(await self.open(found[0]))

    async def open(self, name: str | Any, *, viewer: Any = None) -> str:
        """Open the Preview on a channel (by name) or a thread (its handle), for the viewers
        who can read it (a private thread: the coordination and its requester)."""
        channel = self.world.channels[name] if isinstance(name, str) else name
        async with self._lock:
            if self.preview is not None:
                await self.preview.close()
            viewers = [v for v in self.world.viewers if _can_read(channel, v)]
            if viewer is not None:
                viewers = [viewer, *[v for v in viewers if v is not viewer]]
            self.preview = self.world.env.preview(
                channel,
                viewers=viewers,
                layout="channel",
                locale="fr",
                timezone="Europe/Paris",
                port=self.preview_port,
            )
            await self.preview.__aenter__()
            return self.preview.url


def _can_read(channel: Any, viewer: Any) -> bool:
    from simcord import SetupError

    try:
        channel.history(viewer=viewer)
    except SetupError:  # this viewer cannot read that channel (a private thread)
        return False
    return True


class DemoAlreadyRunningError(Exception):
    """Another demo runs from this folder: its database must not be rebuilt under it."""


@contextlib.contextmanager
def demo_lock(path: Path = DEMO_LOCK) -> Iterator[None]:
    """Held while a demo runs (an flock, released by the system when the process ends, even
    killed): a second demo refuses before touching the demo database."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DemoAlreadyRunningError(str(path)) from None
        yield
    finally:
        os.close(fd)


async def run_demo(
    *, port: int = 8765, reset: bool, on_ready: Callable[[DemoWorld], Awaitable[None]] | None = None
) -> int:
    """Serve the demo page until stopped; with `on_ready`, run it on the built world and exit."""
    with demo_lock():
        settings = await prepare_database(DEMO_DATABASE, reset=reset)
        bot = create_demo_bot(settings)
        try:
            return await _serve(bot, port=port, on_ready=on_ready)
        finally:
            await bot.release_resources()


async def _serve(bot: Any, *, port: int, on_ready: Callable[[DemoWorld], Awaitable[None]] | None) -> int:
    stop = asyncio.Event()
    on_stop_signals(stop.set)  # SIGTERM or Ctrl-C: stop the pages and the bot, exit 0
    import simcord

    async with simcord.run(bot) as env:
        world = await build_world(env, bot)
        if on_ready is not None:
            await on_ready(world)
            return 0
        hub = Hub(world, port, port + 1)
        await hub.start()
        print(f"The demo is ready: open http://127.0.0.1:{port}/ in your browser (Ctrl-C to stop).", flush=True)
        try:
            await stop.wait()
        finally:
            await hub.stop()
    return 0
