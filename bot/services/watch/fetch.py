"""HTTP for the watch: page titles and RSS/Atom feeds.

Nothing here may block the bot: the whole fetch (redirects included) has a short timeout and
a size cap, and parsing (feedparser and the HTML parser, pure Python) runs off the event loop
with `asyncio.to_thread`. Members choose the URLs, so every connection goes through the
address guard of `net_guard` (each redirect hop too: redirects are followed here, at most
`MAX_REDIRECTS`). A refused address answers exactly as an unreachable site, so nothing about
the bot's network shows. The bot holds one fetcher (`bot.watch_fetcher`); tests give theirs a
resolver and an address policy that reach only their own 127.0.0.1 servers.
"""

from __future__ import annotations

import asyncio
import calendar
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver
from multidict import CIMultiDictProxy
from yarl import URL

from bot.services.net_guard import (
    AddressPolicy,
    GuardedResolver,
    allowed,
    guarded_socket_factory,
    is_public_address,
    parse_address,
)
from bot.services.watch import html_text

log = logging.getLogger(__name__)

USER_AGENT = "PromeneursBot/1.0 (+veille; Promeneurs du Net)"
MAX_PAGE_BYTES = 512 * 1024
MAX_FEED_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 50
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})

ERR_TIMEOUT = "le site ne répond pas assez vite"
ERR_TOO_BIG = "la réponse est trop volumineuse"
ERR_HTTP = "le site répond avec l'erreur {status}"
ERR_UNREACHABLE = "le site est injoignable"
ERR_MALFORMED = "ce n'est pas un flux RSS ou Atom lisible"
ERR_REDIRECTS = "le site redirige trop de fois"


class FetchError(Exception):
    """A fetch that failed; `reason` is a short French phrase for the coordinator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None
    published: datetime | None = None  # published, else updated; None when the feed has none


@dataclass
class FeedResult:
    """A fetched feed. `not_modified` when the server answered 304 (ETag/Last-Modified)."""

    not_modified: bool = False
    title: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class _Response:
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    url: str  # after redirects


def newest_first(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Dated entries newest first, then the undated ones in document order."""
    dated = sorted(
        ((e.published, n, e) for n, e in enumerate(entries) if e.published is not None),
        key=lambda d: d[0],
        reverse=True,
    )
    return [e for _when, _n, e in dated] + [e for e in entries if e.published is None]


def stored_header(value: str | None, limit: int) -> str | None:
    """A response header (ETag, Last-Modified) fit for a column of `limit` characters: None
    when absent, too long or not printable ASCII (a cut ETag would never match anyway)."""
    if not value or len(value) > limit or not value.isascii() or not value.isprintable():
        return None
    return value


def _entry_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _text(container: Any, key: str) -> str | None:
    """A feed or entry text field as plain text. Always through the HTML parser: feeds put
    markup in titles in every way (escaped, CDATA, Atom type="html"/"xhtml") and feedparser
    labels CDATA markup as plain text."""
    return html_text.html_to_text(container.get(key))


def parse_feed(
    body: bytes,
    *,
    url: str | None = None,
    content_type: str | None = None,
    content_location: str | None = None,
) -> FeedResult:
    """Parse a feed body (blocking: call it through `asyncio.to_thread`). `url` (after
    redirects) and the response's headers give feedparser the base of relative links and
    xml:base, and the HTTP charset."""
    headers = {}
    if url:
        headers["content-location"] = urljoin(url, content_location or "")
    if content_type:
        headers["content-type"] = content_type
    import feedparser  # ~10 MB: imported by the first feed parsed, not at start (issue 18)

    parsed = feedparser.parse(body, response_headers=headers)
    if parsed.get("bozo") and not parsed.entries:
        raise FetchError(ERR_MALFORMED)
    if not parsed.entries and not parsed.feed.get("title"):
        raise FetchError(ERR_MALFORMED)
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if link:
            entries.append(FeedEntry(url=link, title=_text(entry, "title"), published=_entry_date(entry)))
    return FeedResult(title=_text(parsed.feed, "title"), entries=newest_first(entries)[:MAX_ENTRIES])


class Fetcher:
    """The real fetcher (aiohttp). One short-lived session per fetch keeps it simple.

    `resolver` resolves host names (default: the system's, through a thread);
    `is_allowed_address(address, port)` decides where the bot may connect (default: public
    addresses only). Both apply to every redirect hop."""

    def __init__(
        self,
        *,
        timeout: float = 4.0,
        max_page_bytes: int = MAX_PAGE_BYTES,
        max_feed_bytes: int = MAX_FEED_BYTES,
        resolver: AbstractResolver | None = None,
        is_allowed_address: AddressPolicy = is_public_address,
    ) -> None:
        self.timeout = timeout
        self.max_page_bytes = max_page_bytes
        self.max_feed_bytes = max_feed_bytes
        self.resolver = resolver
        self.is_allowed_address = is_allowed_address

    def _check(self, url: URL) -> None:
        """Before a hop: http(s) only; an IP literal must pass the policy (names are checked
        by the resolver, and every socket by the connector's socket factory)."""
        if url.scheme not in ("http", "https") or not url.host:
            raise FetchError(ERR_UNREACHABLE)
        host = url.host.strip("[]")
        if parse_address(host) is not None and not allowed(self.is_allowed_address, host, url.port or 0):
            raise FetchError(ERR_UNREACHABLE)

    async def _get(
        self, url: str, *, limit: int, headers: dict[str, str] | None = None, truncate: bool = False
    ) -> _Response:
        """GET with redirects followed by hand. Over `limit` bytes: FetchError, or the first
        `limit` bytes when `truncate` (a page's title is at its top)."""
        request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        resolver = self.resolver or aiohttp.ThreadedResolver()
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(resolver, self.is_allowed_address),
            socket_factory=guarded_socket_factory(self.is_allowed_address),
            use_dns_cache=False,
        )
        try:
            async with asyncio.timeout(self.timeout):
                async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:
                    current = URL(url)
                    for _hop in range(MAX_REDIRECTS + 1):
                        self._check(current)
                        async with session.get(current, headers=request_headers, allow_redirects=False) as response:
                            location = response.headers.get("Location")
                            if response.status in _REDIRECTS and location:
                                current = response.url.join(URL(location))
                                continue
                            return await self._read(response, limit, truncate)
                    raise FetchError(ERR_REDIRECTS)
        except TimeoutError:
            raise FetchError(ERR_TIMEOUT) from None
        except (aiohttp.ClientError, OSError, ValueError):
            raise FetchError(ERR_UNREACHABLE) from None
        finally:
            await connector.close()
            if self.resolver is None:
                await resolver.close()

    async def _read(self, response: aiohttp.ClientResponse, limit: int, truncate: bool) -> _Response:
        if response.status == 304:
            return _Response(304, response.headers, b"", str(response.url))
        if response.status >= 300:
            raise FetchError(ERR_HTTP.format(status=response.status))
        if (response.content_length or 0) > limit and not truncate:
            raise FetchError(ERR_TOO_BIG)
        body = bytearray()
        async for chunk in response.content.iter_chunked(64 * 1024):
            body += chunk
            if len(body) > limit:
                if not truncate:
                    raise FetchError(ERR_TOO_BIG)
                del body[limit:]
                break
        return _Response(response.status, response.headers, bytes(body), str(response.url))

    async def page_title(self, url: str) -> str | None:
        """The page's og:title, else its <title>; None when it cannot be had quickly. A refused
        address is a page without a title, as an unreachable one."""
        try:
            response = await self._get(url, limit=self.max_page_bytes, truncate=True)
        except FetchError as error:
            log.info("No title for a link: %s", error.reason)
            return None
        content_type = response.headers.get("Content-Type", "")
        if "html" not in content_type.lower():
            return None
        return await asyncio.to_thread(html_text.page_title, response.body, content_type)

    async def feed(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FeedResult:
        """Fetch and parse a feed; raises FetchError (timeout, HTTP error, size, malformed)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        response = await self._get(url, limit=self.max_feed_bytes, headers=headers)
        if response.status == 304:
            return FeedResult(not_modified=True, etag=etag, last_modified=last_modified)
        result = await asyncio.to_thread(
            parse_feed,
            response.body,
            url=response.url,
            content_type=response.headers.get("Content-Type"),
            content_location=response.headers.get("Content-Location"),
        )
        result.etag = response.headers.get("ETag")
        result.last_modified = response.headers.get("Last-Modified")
        return result


class NoFetcher:
    """Fetches nothing: no title, feeds unavailable. For tests and offline runs."""

    async def page_title(self, url: str) -> str | None:
        return None

    async def feed(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FeedResult:
        raise FetchError(ERR_UNREACHABLE)
