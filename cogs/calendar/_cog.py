"""The calendar feeds over HTTP: GET /agenda/<id>/<token>.ics (the links themselves are given
by /evenement calendrier and /config calendrier)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from discord.ext import commands

from bot import web
from bot.app import PdnBot
from bot.services import calendar_feeds
from bot.services.calendar_feeds import FeedContent
from bot.services.requests.labels import KIND_LABELS
from cogs.calendar import _texts as T

if TYPE_CHECKING:
    from aiohttp.web import Request, Response

log = logging.getLogger(__name__)

FEED_ROUTE = "/agenda/{feed_id:[0-9]{1,12}}/{token:[A-Za-z0-9_-]{1,100}}.ics"
NOT_FOUND = 404


class Calendar(commands.Cog):
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.web.add_get(FEED_ROUTE, self.serve_feed)

    @staticmethod
    def render(content: FeedContent, guild_name: str) -> bytes:
        """The feed's bytes (run off the event loop: a large server has many events)."""
        template = T.GUILD_CALENDAR if content.member is None else T.MEMBER_CALENDAR
        sessions = [
            calendar_feeds.session_vevent(
                item,
                summary=T.SESSION_SUMMARY.format(number=item.number, kind=KIND_LABELS.get(item.kind, "")),
                description=T.SESSION_DESCRIPTION.format(number=item.number),
            )
            for item in content.sessions
        ]
        return calendar_feeds.build_feed(
            template.format(guild=guild_name), content.events, guild_name=guild_name, extra=sessions
        )

    async def serve_feed(self, request: Request) -> Response:
        """The feed, or a bare 404 for a wrong id or token; 304 when the client's copy (its
        ETag) is current."""
        feed_id = int(request.match_info["feed_id"])
        async with self.bot.db.transaction() as session:
            feed = await calendar_feeds.resolve(session, feed_id, request.match_info["token"])
            if feed is None:
                return web.response(NOT_FOUND)
            content = await calendar_feeds.feed_content(session, feed, now=self.bot.now())
        guild = self.bot.get_guild(feed.guild_id)
        body = await asyncio.to_thread(self.render, content, guild.name if guild else T.DEFAULT_GUILD)
        etag = calendar_feeds.etag(body)
        headers = {
            "ETag": etag,
            "Cache-Control": "private, no-cache",
            "X-Robots-Tag": "noindex",
            "Referrer-Policy": "no-referrer",
        }
        wanted = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
        if etag in wanted or "*" in wanted:
            return web.response(304, headers=headers)
        return web.response(body=body, headers={**headers, "Content-Type": "text/calendar; charset=utf-8"})
