"""Every fault Discord produces, on every kind of post: the channel ends up holding the post
exactly once, or, after the last attempt, the coordination is told once, in French.

Faults: a 5xx before the message is created (SimCord's `inject_error`); a 5xx after it was
created, and a connection reset (errno 104) before and after, through `HttpFault`, a test
double wrapping discord.py's `HTTPClient.request` (SimCord cannot produce them); a 403 (the
bot's role denied « Envoyer des messages » in the channel); the channel deleted.
Kinds: the weekly digest, the monthly summary, the year-end recap (several parts with
files), the digest published by hand (/veille publier), the survey announcement.
"""

from __future__ import annotations

import errno
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import aiohttp
import discord
import pytest
from simcord.backend.models.channel import Overwrite
from sqlalchemy import select

from bot.db import Database
from bot.db.models import OutboxPost
from bot.db.models.outbox import FAILED, SENT
from bot.services import outbox as outbox_service
from tests.e2e.test_watch import ARTICLE, StaticFetcher

NBSP = "\u00a0"
GAVE_UP = "n'a pas pu être faite après 8 essais"


class _Response:
    def __init__(self, status: int) -> None:
        self.status, self.reason, self.headers = status, "Service Unavailable", {}


class HttpFault:
    """Test double at the HTTP boundary: the next `times` message posts to `channel_id` fail
    with `mode`: "5xx-after" (Discord created the message, then answered 503), "reset-before"
    (the connection dropped before the request arrived) or "reset-after" (dropped after the
    message was created). Everything else goes to SimCord untouched."""

    def __init__(self, bot: discord.Client, channel_id: int, mode: str, times: int = 1) -> None:
        self.original = bot.http.request
        self.channel_id, self.mode, self.left = channel_id, mode, times
        bot.http.request = self.request  # type: ignore[method-assign]

    def _matches(self, route) -> bool:
        return (
            self.left > 0
            and route.method == "POST"
            and route.path == "/channels/{channel_id}/messages"
            and route.channel_id == self.channel_id
        )

    async def request(self, route, **kwargs):
        if not self._matches(route):
            return await self.original(route, **kwargs)
        self.left -= 1
        reset = aiohttp.ClientOSError(errno.ECONNRESET, "Connection reset by peer")
        if self.mode == "reset-before":
            raise reset
        await self.original(route, **kwargs)  # the message exists now
        if self.mode == "reset-after":
            raise reset
        raise discord.DiscordServerError(_Response(503), "upstream connect error")


@pytest.fixture
def simcord_bot(make_bot):
    fetcher = StaticFetcher()
    fetcher.titles[ARTICLE] = "Les ados et TikTok"
    return make_bot(watch_fetcher=fetcher)


@dataclass(frozen=True)
class Kind:
    name: str
    outbox_kind: str
    channel: str  # the World attribute of the channel it posts in
    start: datetime


KINDS = {
    "weekly digest": Kind("weekly digest", "digest", "digest", datetime(2027, 6, 21, 7, 0, tzinfo=UTC)),
    "monthly summary": Kind("monthly summary", "monthly_summary", "recaps", datetime(2027, 7, 1, 7, 0, tzinfo=UTC)),
    "year-end recap": Kind("year-end recap", "year_recap", "recaps", datetime(2028, 1, 4, 9, 0, tzinfo=UTC)),
    "manual publish": Kind("manual publish", "digest", "digest", datetime(2027, 6, 16, 8, 30, tzinfo=UTC)),
    "survey announcement": Kind(
        "survey announcement", "survey_announcement", "announcements", datetime(2027, 6, 14, 8, 0, tzinfo=UTC)
    ),
}
TRANSIENT = ("5xx before creation", "5xx after creation", "reset before", "reset after")
PERSISTENT = ("403", "deleted channel")


def text_of(result) -> str:
    if result is None:
        return ""
    return (result.followups[-1] if result.followups else result.response).content or ""


async def _trigger(w, bot, kind: Kind, clock):
    """Make the post due the way production does; returns the command's result, if any."""
    clock.set(kind.start)
    if kind.name == "manual publish":
        return await w.coordinator.slash(w.general, "veille publier")
    if kind.name == "survey announcement":
        return await w.coordinator.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    await bot.outbox.fire(w.guild.id, kind.outbox_kind, clock())
    return None


async def _post(db: Database, w, kind: Kind) -> OutboxPost:
    async with db.transaction() as session:
        post = await session.scalar(
            select(OutboxPost)
            .where(OutboxPost.guild_id == w.guild.id, OutboxPost.kind == kind.outbox_kind)
            .order_by(OutboxPost.id)
            .limit(1)
        )
    assert post is not None
    return post


def _refs(channel, title: str) -> Counter[str]:
    """How many times each part of the post `title` ("Résumé mensuel · juin 2027") is in the
    channel, by the reference in its footer."""
    found: Counter[str] = Counter()
    for message in channel.history():
        texts = [message.content or ""] + [e.footer.text or "" for e in message.embeds if e.footer]
        for text in texts:
            if text.endswith(title) or f"{title} · " in text:
                found[text[text.index(title) :]] += 1
    return found


async def _title(bot, post: OutboxPost, kind: Kind) -> str:
    title = await bot.outbox.title(post)
    assert title.startswith(f"{_label(kind)} · ") and "_" not in title and post.kind not in title
    return title


def _alerts(channel, title: str) -> list[str]:
    quoted = f"«{NBSP}{title}{NBSP}»"
    return [m.content for m in channel.history() if GAVE_UP in (m.content or "") and quoted in m.content]


async def _sweep(bot, clock, times: int) -> None:
    """The retry job, run as the scheduler would after each back-off."""
    for _ in range(times):
        clock.set(clock() + timedelta(minutes=61))
        await bot.outbox.sweep(clock())


def _inject(w, bot, channel, fault: str) -> None:
    if fault == "5xx before creation":
        w.env.inject_error("POST", f"/channels/{channel.id}/messages", status=500, times=1)
    elif fault in ("5xx after creation", "reset before", "reset after"):
        HttpFault(bot, channel.id, {"5xx after creation": "5xx-after"}.get(fault, fault.replace(" ", "-")))
    elif fault == "403":
        bot_role = w.guild.roles["TestBot"]
        w.env.backend.set_overwrite(
            channel.id,
            Overwrite(target_id=bot_role.id, type=0, deny=discord.Permissions(send_messages=True).value),
        )
    elif fault == "deleted channel":
        w.env.backend.delete_channel(channel.id)


@pytest.mark.simcord(settle_timeout=30)  # the year-end files are drawn in a child process (bot.ui.recap_files)
@pytest.mark.parametrize("kind_name", list(KINDS))
@pytest.mark.parametrize("fault", TRANSIENT)
async def test_transient_fault_then_retry_posts_exactly_once(
    configured, simcord_bot, clock, db: Database, fault: str, kind_name: str
) -> None:
    w, bot, kind = configured, simcord_bot, KINDS[kind_name]
    channel = getattr(w, kind.channel)
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    _inject(w, bot, channel, fault)

    result = await _trigger(w, bot, kind, clock)
    post = await _post(db, w, kind)
    assert post.state == FAILED and post.attempts == 1
    assert post.last_error and "Error" not in post.last_error and "(" not in post.last_error.split(" ")[0]
    if result is not None:  # the coordinator is answered in French, never with a repr
        assert post.last_error in text_of(result)
        assert "Erreur" not in text_of(result) and "Exception" not in text_of(result)

    await _sweep(bot, clock, 3)
    await w.env.settle()
    post = await _post(db, w, kind)
    assert post.state == SENT
    title = await _title(bot, post, kind)
    refs = _refs(channel, title)
    assert refs and set(refs.values()) == {1}, refs  # every part once, none doubled
    ids = {m.id for m in channel.history() if m.id in outbox_service.parts(post)}
    assert ids == set(outbox_service.parts(post)) and len(ids) == len(refs)  # recorded in the post
    assert _alerts(w.recaps, title) == [] and _alerts(w.requests, title) == []


EXPECTED_REASON = {
    "403": "le bot n'a pas la permission «{n}Envoyer des messages{n}» dans <#{id}>",
    "deleted channel": "le salon <#{id}> n'existe plus",
}


@pytest.mark.simcord(settle_timeout=30)  # the year-end files are drawn in a child process (bot.ui.recap_files)
@pytest.mark.parametrize("kind_name", list(KINDS))
@pytest.mark.parametrize("fault", PERSISTENT)
async def test_persistent_fault_tells_the_coordination_once_after_the_last_attempt(
    configured, simcord_bot, clock, db: Database, fault: str, kind_name: str
) -> None:
    w, bot, kind = configured, simcord_bot, KINDS[kind_name]
    channel = getattr(w, kind.channel)
    told_in = w.requests if channel is w.recaps else w.recaps
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    _inject(w, bot, channel, fault)
    reason = EXPECTED_REASON[fault].format(n=NBSP, id=channel.id)

    result = await _trigger(w, bot, kind, clock)
    post = await _post(db, w, kind)
    assert post.state == FAILED and post.last_error.startswith(reason)
    if result is not None:
        assert reason in text_of(result)
    await _sweep(bot, clock, outbox_service.MAX_ATTEMPTS - 2)
    title = await _title(bot, post, kind)
    assert _alerts(told_in, title) == []  # not before the last attempt

    await _sweep(bot, clock, 4)  # the last attempt, then sweeps that must not retry or re-alert
    await w.env.settle()
    post = await _post(db, w, kind)
    assert post.state == FAILED and post.attempts == outbox_service.MAX_ATTEMPTS
    alerts = _alerts(told_in, title)
    assert alerts == [
        f"<@&{w.coordination_role.id}> ⚠️ La publication «{NBSP}{title}{NBSP}» "
        f"n'a pas pu être faite après 8 essais{NBSP}: {post.last_error}. Une fois le problème "
        f"corrigé, validez les salons avec /config salons{NBSP}: le bot la publiera aussitôt."
    ]
    if fault == "403":
        assert _refs(channel, title) == Counter()


def _label(kind: Kind) -> str:
    return {
        "digest": "Lettre de veille",
        "monthly_summary": "Résumé mensuel",
        "year_recap": "Bilan annuel",
        "survey_announcement": "Annonce du questionnaire",
    }[kind.outbox_kind]
