"""The bot's HTTP server on a real socket, outside SimCord: bare 404s, and a port already
taken turns the feeds off (logged) instead of stopping the bot."""

from __future__ import annotations

import logging
import socket

import aiohttp
from aiohttp import web

from bot.config import Settings
from bot.web import WebServer


def _settings(port: int) -> Settings:
    return Settings(  # type: ignore[call-arg]
        discord_token="t", web_port=port, public_url="https://agenda.example.org", _env_file=None
    )


async def test_serves_routes_and_bare_404s() -> None:
    server = WebServer(_settings(0))

    async def hello(request: web.Request) -> web.Response:
        return web.Response(text="ok")

    server.add_get("/hello", hello)
    await server.start()
    try:
        assert server.enabled and server.port
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{server.port}/hello") as response:
                assert (response.status, await response.text()) == (200, "ok")
            async with http.get(f"http://127.0.0.1:{server.port}/agenda/1/guess.ics") as response:
                assert (response.status, await response.read()) == (404, b"")
            async with http.post(f"http://127.0.0.1:{server.port}/hello") as response:
                assert (response.status, await response.read()) == (405, b"")
    finally:
        await server.stop()


async def test_port_taken_turns_the_feeds_off(caplog) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        server = WebServer(_settings(taken.getsockname()[1]))
        with caplog.at_level(logging.ERROR, logger="bot.web"):
            await server.start()
        assert not server.enabled
        assert "calendar feeds are off" in caplog.text
        await server.stop()
    finally:
        taken.close()
