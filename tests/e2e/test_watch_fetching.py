"""The watch's real fetcher inside the bot, through SimCord: a member's link to an internal
address is answered exactly as a link to an unreachable page and the internal server receives
nothing (issue 11); one feed whose data the database refuses does not stop the others, and
header values too long for their column are not stored (issue 12). Pages and feeds are
served from 127.0.0.1 by servers that count their requests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from aiohttp import web
from sqlalchemy import select, text

from bot.db import Database
from bot.db.models.watch import WatchFeed, WatchItem
from bot.services.net_guard import is_public_address
from bot.services.watch.fetch import Fetcher
from tests.services.fetch_helpers import StaticResolver, allow_only

INTERNAL_TITLE = "Console d'administration"


@dataclass
class Site:
    base: str
    port: int
    hits: int = 0
    documents: dict[str, tuple[bytes, dict[str, str]]] = field(default_factory=dict)


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    """One server on 127.0.0.1: internal for the SSRF test, "public" for the feeds test."""
    state = Site("", 0)

    async def handler(request: web.Request) -> web.Response:
        state.hits += 1
        if request.path == "/to":
            raise web.HTTPFound(request.query["u"])
        if request.path in state.documents:
            body, headers = state.documents[request.path]
            return web.Response(body=body, headers=headers)
        return web.Response(text=f"<html><head><title>{INTERNAL_TITLE}</title></head></html>", content_type="text/html")

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    state.port = server._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.base = f"http://127.0.0.1:{state.port}"
    yield state
    await runner.cleanup()


def _text(result) -> str:
    return (result.followups[-1] if result.followups else result.response).content


async def test_an_internal_link_is_answered_as_an_unreachable_page(
    configured, simcord_bot, site: Site, db: Database
) -> None:
    w = configured
    fetcher = simcord_bot.watch_fetcher  # left alone, the bot's fetcher is the strict one
    assert type(fetcher) is Fetcher
    assert fetcher.is_allowed_address is is_public_address and fetcher.resolver is None
    # The same production policy; only the names come from a dict (no DNS in tests).
    simcord_bot.watch_fetcher = Fetcher(timeout=2, resolver=StaticResolver({"intranet.pdn-test.fr": ["127.0.0.1"]}))
    unreachable = "https://ferme.pdn-test.fr/page"  # unknown name: an unreachable page
    reference = await w.alice.slash(w.general, "veille ajouter", lien=unreachable)
    expected = _text(reference)
    assert expected.startswith(f"Merci\u00a0! **{unreachable}** rejoint la prochaine veille")

    internal = [
        f"http://intranet.pdn-test.fr:{site.port}/console",
        f"http://0x7f.0.0.1:{site.port}/",
        f"http://[::ffff:127.0.0.1]:{site.port}/",
        f"{site.base}/to?u={quote(f'{site.base}/console', safe='')}",
    ]
    for url in internal:
        answer = await w.alice.slash(w.general, "veille ajouter", lien=url)
        assert answer.ephemeral
        stored = (await _items(db))[-1]
        assert _text(answer) == expected.replace(unreachable, stored.url)
        assert stored.title is None
    assert site.hits == 0

    feed_reference = _text(await w.coordinator.slash(w.general, "veille flux-ajouter", url=unreachable))
    assert feed_reference.startswith("Impossible de lire ce flux\u00a0: le site est injoignable.")
    feed = await w.coordinator.slash(
        w.general, "veille flux-ajouter", url=f"http://intranet.pdn-test.fr:{site.port}/rss"
    )
    assert _text(feed) == feed_reference
    assert site.hits == 0


async def _items(db: Database) -> list[WatchItem]:
    async with db.transaction() as session:
        return list((await session.scalars(select(WatchItem).order_by(WatchItem.id))).all())


def _rss(*titles: str) -> bytes:
    items = "".join(f"<item><title>{t}</title><link>https://example.org/{quote(t)}</link></item>" for t in titles)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flux</title>{items}</channel></rss>'.encode()


_SQLITE_TRIGGER = [
    "CREATE TRIGGER refuse_poison BEFORE INSERT ON watch_items WHEN NEW.title LIKE '%poison%' "
    "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
]
_PG_TRIGGER = [
    "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN IF NEW.title LIKE '%poison%' THEN "
    "RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER refuse_poison BEFORE INSERT ON watch_items FOR EACH ROW EXECUTE FUNCTION refuse_poison()",
]


async def test_one_feed_the_database_refuses_does_not_stop_the_others(
    configured, simcord_bot, site: Site, db: Database
) -> None:
    w = configured
    simcord_bot.watch_fetcher = Fetcher(
        timeout=2, resolver=StaticResolver(), is_allowed_address=allow_only("127.0.0.1", site.port)
    )
    rss = {"Content-Type": "application/rss+xml"}
    for name in ("a", "b", "c"):
        site.documents[f"/{name}.xml"] = (_rss(f"Premier billet {name}"), rss)
        added = await w.coordinator.slash(w.general, "veille flux-ajouter", url=f"{site.base}/{name}.xml")
        assert _text(added).startswith("Flux ajouté\u00a0: **Flux**")

    # Feed a: header values longer than their columns (PostgreSQL refused the 400-character
    # ETag and the poll stopped there); feed b: an entry the database refuses (a trigger).
    site.documents["/a.xml"] = (
        _rss("Premier billet a", "Second billet a"),
        {**rss, "ETag": '"' + "e" * 400 + '"', "Last-Modified": "Mon, 21 Jun 2027 08:00:00 GMT; " + "x" * 120},
    )
    site.documents["/b.xml"] = (_rss("Premier billet b", "Un billet empoisonné"), rss)
    site.documents["/c.xml"] = (_rss("Premier billet c", "Second billet c"), {**rss, "ETag": '"c2"'})
    async with db.engine.begin() as connection:
        for statement in _PG_TRIGGER if connection.dialect.name == "postgresql" else _SQLITE_TRIGGER:
            await connection.execute(text(statement))

    assert await simcord_bot.get_cog("Watch").poll_feeds() == 2
    titles = [i.title for i in await _items(db)]
    assert "Second billet a" in titles and "Second billet c" in titles
    assert not any("empoisonné" in (t or "") for t in titles)
    async with db.transaction() as session:
        feeds = {f.url.rsplit("/", 1)[1]: f for f in (await session.scalars(select(WatchFeed))).all()}
    assert (feeds["a.xml"].etag, feeds["a.xml"].last_modified, feeds["a.xml"].last_error) == (None, None, None)
    assert (feeds["c.xml"].etag, feeds["c.xml"].last_error) == ('"c2"', None)
    listing = await w.coordinator.slash(w.general, "veille flux-liste")
    assert "⚠️ lundi 14 juin 2027" in listing.response.embeds[0].description
    assert ": ses nouvelles entrées n'ont pas pu être enregistrées" in listing.response.embeds[0].description
