"""A very small Discord on 127.0.0.1 for the process tests (tests/test_cli.py): just enough
REST and gateway for `python -m bot run` to log in, register its commands and become ready,
so that a real process can be stopped by a signal or meet a 5xx at start-up without the
internet. The bot process is pointed at it by `LAUNCH` (Discord's two base addresses)."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = "1000000000000000001"
USER = {"id": APP_ID, "username": "pdn-bot", "discriminator": "0", "avatar": None, "bot": True, "global_name": None}

# Run in the bot's process: Discord's addresses replaced by the fake's, then the real CLI.
LAUNCH = (
    "import sys, yarl, discord.http, discord.gateway, bot.app\n"
    "port = int(sys.argv[1])\n"
    "discord.http.Route.BASE = f'http://127.0.0.1:{port}/api/v10'\n"
    "discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f'ws://127.0.0.1:{port}/gateway')\n"
    "bot.app.SYNC_RETRY_DELAYS = tuple(float(d) for d in sys.argv[2].split(',') if d)\n"
    "from bot.__main__ import main\n"
    "sys.exit(main(['run']))\n"
)


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only for exactly this content type (no charset).
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


class FakeDiscord:
    """Serves in a thread. `login_status`, `sync_status`: the answers to the login and to the
    command registration."""

    def __init__(self, *, login_status: int = 200, sync_status: int = 200) -> None:
        self.login_status, self.sync_status = login_status, sync_status
        self.sync_calls = 0
        self.identified = threading.Event()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> FakeDiscord:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_get("/api/v10/users/@me", self._me)
        app.router.add_get("/api/v10/oauth2/applications/@me", self._application)
        app.router.add_put("/api/v10/applications/{app}/commands", self._sync)
        app.router.add_get("/gateway", self._gateway)
        runner = web.AppRunner(app)
        self._loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())

    async def _me(self, _request: web.Request) -> web.Response:
        if self.login_status >= 500:
            return _json({"message": "Service Unavailable", "code": 0}, status=self.login_status)
        return _json(USER)

    async def _application(self, _request: web.Request) -> web.Response:
        return _json(
            {
                "id": APP_ID,
                "name": "pdn-bot",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": USER,
                "team": None,
                "summary": "",
                "rpc_origins": [],
            }
        )

    async def _sync(self, _request: web.Request) -> web.Response:
        self.sync_calls += 1
        if self.sync_status >= 500:
            return _json({"message": "Service Unavailable", "code": 0}, status=self.sync_status)
        return _json([])

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None}))
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                break
            payload: dict[str, Any] = json.loads(message.data)
            if payload["op"] == 1:  # heartbeat
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif payload["op"] == 2:  # identify
                await ws.send_str(
                    json.dumps(
                        {
                            "op": 0,
                            "t": "READY",
                            "s": 1,
                            "d": {
                                "v": 10,
                                "user": USER,
                                "guilds": [],
                                "session_id": "fake",
                                "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
                                "application": {"id": APP_ID, "flags": 0},
                            },
                        }
                    )
                )
                self.identified.set()
        return ws
