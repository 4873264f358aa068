"""HTTP for the watch: page titles and RSS/Atom feeds.

Nothing here may block the bot: every request has a short total timeout and a size cap,
and feed parsing (feedparser, pure Python) runs off the event loop with `asyncio.to_thread`.
The bot holds one fetcher (`bot.watch_fetcher`); tests replace it with one that never
reaches the internet.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import feedparser

log = logging.getLogger(__name__)

USER_AGENT = "PromeneursBot/1.0 (+veille; Promeneurs du Net)"
MAX_PAGE_BYTES = 512 * 1024
MAX_FEED_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 50

ERR_TIMEOUT = "le site ne répond pas assez vite"
ERR_TOO_BIG = "la réponse est trop volumineuse"
ERR_HTTP = "le site répond avec l'erreur {status}"
ERR_UNREACHABLE = "le site est injoignable"
ERR_MALFORMED = "ce n'est pas un flux RSS ou Atom lisible"
ERR_PRIVATE = "cette adresse est une adresse interne"

_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_OG_TITLE_RE = re.compile(
    r"<meta[^>]+property=[\"']og:title[\"'][^>]+content=[\"']([^\"']+)[\"']", re.IGNORECASE
)


class FetchError(Exception):
    """A fetch that failed; `reason` is a short French phrase for the coordinator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None


@dataclass
class FeedResult:
    """A fetched feed. `not_modified` when the server answered 304 (ETag/Last-Modified)."""

    not_modified: bool = False
    title: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None


def clean_title(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(html.unescape(value).split())
    return value[:300] or None


def parse_feed(body: bytes) -> FeedResult:
    """Parse a feed body (blocking: call it through `asyncio.to_thread`)."""
    parsed = feedparser.parse(body)
    if parsed.get("bozo") and not parsed.entries:
        raise FetchError(ERR_MALFORMED)
    if not parsed.entries and not parsed.feed.get("title"):
        raise FetchError(ERR_MALFORMED)
    entries = []
    for entry in parsed.entries[:MAX_ENTRIES]:
        link = entry.get("link")
        if link:
            entries.append(FeedEntry(url=link, title=clean_title(entry.get("title"))))
    return FeedResult(title=clean_title(parsed.feed.get("title")), entries=entries)


class Fetcher:
    """The real fetcher (aiohttp). One short-lived session per request keeps it simple."""

    def __init__(
        self,
        *,
        timeout: float = 4.0,
        max_page_bytes: int = MAX_PAGE_BYTES,
        max_feed_bytes: int = MAX_FEED_BYTES,
        allow_private: bool = False,
    ) -> None:
        self.timeout = timeout
        self.max_page_bytes = max_page_bytes
        self.max_feed_bytes = max_feed_bytes
        self.allow_private = allow_private

    def _check_host(self, url: str) -> None:
        """Members choose the URLs: refuse literal loopback/private addresses (the bot's own
        network). Host names are not resolved here (a limit, see docs)."""
        if self.allow_private:
            return
        host = (urlsplit(url).hostname or "").lower()
        if host == "localhost" or host.endswith(".localhost"):
            raise FetchError(ERR_PRIVATE)
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return
        if not address.is_global:
            raise FetchError(ERR_PRIVATE)

    async def _get(
        self, url: str, *, limit: int, headers: dict[str, str] | None = None
    ) -> tuple[int, Any, bytes]:
        self._check_host(url)
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.get(url, headers=request_headers, allow_redirects=True) as response:
                    if response.status == 304:
                        return 304, response.headers.copy(), b""
                    if response.status >= 400:
                        raise FetchError(ERR_HTTP.format(status=response.status))
                    if (response.content_length or 0) > limit:
                        raise FetchError(ERR_TOO_BIG)
                    body = bytearray()
                    async for chunk in response.content.iter_chunked(64 * 1024):
                        body += chunk
                        if len(body) > limit:
                            raise FetchError(ERR_TOO_BIG)
                    return response.status, response.headers.copy(), bytes(body)
        except asyncio.TimeoutError:
            raise FetchError(ERR_TIMEOUT) from None
        except aiohttp.ClientError:
            raise FetchError(ERR_UNREACHABLE) from None

    async def page_title(self, url: str) -> str | None:
        """The page's <title> (or og:title), None when it cannot be had quickly."""
        try:
            _status, headers, body = await self._get(url, limit=self.max_page_bytes)
        except FetchError as error:
            log.info("No title for %s: %s", url, error.reason)
            return None
        content_type = headers.get("Content-Type", "")
        if "html" not in content_type.lower():
            return None
        text = body.decode("utf-8", errors="replace")
        match = _OG_TITLE_RE.search(text) or _TITLE_RE.search(text)
        return clean_title(match.group(1)) if match else None

    async def feed(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FeedResult:
        """Fetch and parse a feed; raises FetchError (timeout, HTTP error, size, malformed)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        status, response_headers, body = await self._get(
            url, limit=self.max_feed_bytes, headers=headers
        )
        if status == 304:
            return FeedResult(not_modified=True, etag=etag, last_modified=last_modified)
        result = await asyncio.to_thread(parse_feed, body)
        result.etag = response_headers.get("ETag")
        result.last_modified = response_headers.get("Last-Modified")
        return result


class NoFetcher:
    """Fetches nothing: no title, feeds unavailable. For tests and offline runs."""

    async def page_title(self, url: str) -> str | None:
        return None

    async def feed(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FeedResult:
        raise FetchError(ERR_UNREACHABLE)
