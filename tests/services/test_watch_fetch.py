"""Page titles and RSS/Atom feeds over real HTTP, served by a local aiohttp server on
127.0.0.1 (never the internet): good, malformed, slow, 404 and huge answers, ETag /
Last-Modified. Outside SimCord, so that timeouts really fire."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.services.watch.fetch import Fetcher, FetchError
from tests.services.fetch_helpers import fetcher_for

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Le blog du num\xc3\xa9rique</title>
<item><title>Premier article</title><link>https://example.org/premier?utm_source=rss</link></item>
<item><title>Second &amp; dernier</title><link>https://example.org/second</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Un flux Atom</title>
<entry><title>Entr\xc3\xa9e Atom</title><link href="https://example.org/atom-1"/><id>1</id></entry>
</feed>"""

PAGE = (
    "<html><head><meta charset='utf-8'><title>\n  Les ados &amp; les écrans  </title></head><body>Bonjour</body></html>"
).encode()


@pytest.fixture
async def server() -> AsyncIterator[str]:

    async def rss(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(
            body=RSS,
            content_type="application/rss+xml",
            headers={"ETag": '"v1"', "Last-Modified": "Mon, 14 Jun 2027 08:00:00 GMT"},
        )

    async def atom(request: web.Request) -> web.Response:
        return web.Response(body=ATOM, content_type="application/atom+xml")

    async def malformed(request: web.Request) -> web.Response:
        return web.Response(body=b"<html><body>Pas un flux <<<</body>", content_type="text/html")

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(1.2)
        return web.Response(body=RSS, content_type="application/rss+xml")

    async def huge(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        chunk = b"<item>" + b"x" * 65536 + b"</item>"
        for _ in range(100):  # ~6.5 MB, no Content-Length
            await response.write(chunk)
        await response.write_eof()
        return response

    async def page(request: web.Request) -> web.Response:
        return web.Response(body=PAGE, content_type="text/html")

    async def pdf(request: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.4", content_type="application/pdf")

    app = web.Application()
    app.router.add_get("/rss", rss)
    app.router.add_get("/atom", atom)
    app.router.add_get("/malformed", malformed)
    app.router.add_get("/slow", slow)
    app.router.add_get("/huge", huge)
    app.router.add_get("/page", page)
    app.router.add_get("/doc.pdf", pdf)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
def fetcher(server: str) -> Fetcher:
    fetcher = fetcher_for(server, timeout=0.5)
    fetcher.max_feed_bytes = 1024 * 1024
    return fetcher


async def test_rss_feed_then_not_modified(server: str, fetcher: Fetcher) -> None:
    result = await fetcher.feed(f"{server}/rss")
    assert result.title == "Le blog du numérique"
    assert [(e.title, e.url) for e in result.entries] == [
        ("Premier article", "https://example.org/premier?utm_source=rss"),
        ("Second & dernier", "https://example.org/second"),
    ]
    assert (result.etag, result.last_modified) == ('"v1"', "Mon, 14 Jun 2027 08:00:00 GMT")
    again = await fetcher.feed(f"{server}/rss", etag=result.etag, last_modified=result.last_modified)
    assert again.not_modified and again.entries == []


async def test_atom_feed(server: str, fetcher: Fetcher) -> None:
    result = await fetcher.feed(f"{server}/atom")
    assert result.title == "Un flux Atom"
    assert [(e.title, e.url) for e in result.entries] == [("Entrée Atom", "https://example.org/atom-1")]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/malformed", "ce n'est pas un flux RSS ou Atom lisible"),
        ("/missing", "le site répond avec l'erreur 404"),
        ("/huge", "la réponse est trop volumineuse"),
        ("/slow", "le site ne répond pas assez vite"),
    ],
)
async def test_bad_feeds_fail_fast_with_a_reason(server: str, fetcher: Fetcher, path: str, reason: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as error:
        await fetcher.feed(f"{server}{path}")
    assert error.value.reason == reason
    assert time.monotonic() - started < 2


async def test_unreachable_server() -> None:
    with pytest.raises(FetchError, match="injoignable"):  # allowed, but nobody listens
        await fetcher_for("http://127.0.0.1:9").feed("http://127.0.0.1:9/rss")


async def test_page_titles(server: str, fetcher: Fetcher) -> None:
    assert await fetcher.page_title(f"{server}/page") == "Les ados & les écrans"
    started = time.monotonic()
    assert await fetcher.page_title(f"{server}/slow") is None
    assert time.monotonic() - started < 2
    assert await fetcher.page_title(f"{server}/missing") is None
    assert await fetcher.page_title(f"{server}/doc.pdf") is None


async def test_the_loop_stays_responsive_while_a_feed_is_slow(server: str) -> None:
    """A slow feed does not block other work on the event loop."""
    fetcher = fetcher_for(server, timeout=0.6)
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    beat = asyncio.create_task(heartbeat())
    with pytest.raises(FetchError):
        await fetcher.feed(f"{server}/slow")
    beat.cancel()
    assert ticks >= 6
