"""The bot's own HTTP server (aiohttp.web), for what calendars fetch: the iCalendar feeds.

Off unless `WEB_PORT` and `PUBLIC_URL` are set. It listens on `WEB_HOST` (127.0.0.1 by
default: a reverse proxy in front gives it HTTPS and the public name, see the README).
Features add their routes in `cog_load`; the server starts after the extensions are loaded
(`setup_hook`) and stops in `release_resources`. Any request that matches no route, or that a
handler refuses, gets a bare 404 (no body, nothing that tells a guessed URL from a typo).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.config import Settings

if TYPE_CHECKING:  # aiohttp.web (~2 MB) is imported when the server starts: most servers never do
    from aiohttp import web

log = logging.getLogger(__name__)

Handler = Callable[["web.Request"], Awaitable["web.StreamResponse"]]


def response(status: int = 200, *, body: bytes | None = None, headers: dict[str, str] | None = None) -> web.Response:
    """A response for a route's handler (only ever called while the server runs)."""
    from aiohttp import web

    return web.Response(status=status, body=body, headers=headers)


def _application(routes: list[tuple[str, Handler]]) -> web.Application:
    from aiohttp import web

    @web.middleware
    async def bare_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return web.Response(status=404)
        except web.HTTPMethodNotAllowed:
            return web.Response(status=405)

    app = web.Application(middlewares=[bare_errors])
    for path, handler in routes:
        app.router.add_get(path, handler)
    return app


class WebServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.routes: list[tuple[str, Handler]] = []  # added by the features' cog_load
        self._runner: web.AppRunner | None = None
        self.port: int | None = None  # the port actually bound (WEB_PORT=0 picks a free one)
        self.failed = False  # could not listen: the feeds are off and the links say so

    @property
    def enabled(self) -> bool:
        configured = self.settings.web_port is not None and bool(self.settings.public_url)
        return configured and not self.failed

    def url(self, path: str) -> str:
        """The public URL of `path` (PUBLIC_URL + path)."""
        return (self.settings.public_url or "").rstrip("/") + path

    def add_get(self, path: str, handler: Handler) -> None:
        """A GET route (taken into account at the next start; a reloaded feature's route is
        not added twice)."""
        self.routes = [(p, h) for p, h in self.routes if p != path] + [(path, handler)]

    async def start(self) -> None:
        if not self.enabled or self._runner is not None:
            return
        from aiohttp import web

        runner = web.AppRunner(_application(self.routes), access_log=None)  # no access log: URLs hold tokens
        await runner.setup()
        site = web.TCPSite(runner, self.settings.web_host, self.settings.web_port)
        try:
            await site.start()
        except OSError as error:  # port taken, address not on this machine...
            await runner.cleanup()
            self.failed = True
            log.error(
                "Cannot listen on %s:%s (%s): calendar feeds are off until the bot restarts with a free WEB_PORT",
                self.settings.web_host,
                self.settings.web_port,
                error,
            )
            return
        self._runner = runner
        bound = runner.addresses
        self.port = bound[0][1] if bound else self.settings.web_port
        log.info("Calendar feeds served on %s:%s", self.settings.web_host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
