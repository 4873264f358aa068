"""Benchmark 6: many networks on one process. 100 servers, each with a weekly digest (one
link in its draft) and a monthly summary (a few activities) due at the same minute
(Monday 1 March 2027, 9:00 Paris), delivered by the real outbox of one bot through
SimCord, while a Promeneur of the first server keeps using commands.

All posts are fired at once (the worst case: the per-server jitter of the real schedule,
`bot.outbox.jitter_seconds`, would spread them over the minute). Measured:

- the time from the fire to the last post sent, and how many were sent;
- the "429s": SimCord does not rate-limit, so every HTTP request the bot makes is logged
  (at discord.py's `HTTPClient.request`) and checked afterwards against Discord's limits:
  50 requests in any second for the bot, 5 messages in any 5 seconds in one channel; a
  request over either limit is one that Discord would have answered 429;
- the commands answered meanwhile (inside the bot, received → response sent): max and p99
  against Discord's 3 s.

    python -m bench guilds [--guilds 100]
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import simcord
from sqlalchemy import func, select

from bench.timing import InteractionClock, percentile
from bench.world import settings_for
from bot.app import create_bot
from bot.db.models import GuildSettings, OutboxPost
from bot.db.models.activity import PRESENTATION, Activity
from bot.db.models.outbox import SENT
from bot.migrations import upgrade_to_head
from bot.services.watch import items as watch_items

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # Monday 1 March, 9:00 Paris
KINDS = ("digest", "monthly_summary")
GLOBAL_LIMIT, CHANNEL_LIMIT, CHANNEL_WINDOW = 50, 5, 5.0


@dataclass
class GuildsResult:
    guilds: int
    posts: int
    sent: int
    seconds: float
    requests: int
    over_global: int
    over_channel: int
    commands: int
    command_p99_ms: float
    command_max_ms: float
    budget_waited_s: float


def _over(stamps: list[float], limit: int, window: float) -> int:
    """Requests that find `limit` others in the `window` before them (Discord's 429s)."""
    stamps = sorted(stamps)
    over, start = 0, 0
    for i, t in enumerate(stamps):
        while stamps[start] <= t - window:
            start += 1
        if i - start >= limit:
            over += 1
    return over


async def run(*, guilds: int = 100) -> GuildsResult:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'guilds.db'}"
        await upgrade_to_head(url)
        bot = create_bot(settings_for(url), now=lambda: NOW, freeze_heap=True)
        async with simcord.run(bot, settle_timeout=600, check_errors=False) as env:
            await bot.wait_until_ready()
            await asyncio.gather(*list(bot._background), return_exceptions=True)
            bot.scheduler.shutdown()  # the posts are fired below, all at once
            servers = []
            for n in range(guilds):
                guild = env.create_guild(name=f"Promeneurs du Net {n:03d}")
                servers.append((guild, guild.create_text_channel("veille"), guild.create_text_channel("bilans")))
            first_guild, first_digest, _ = servers[0]
            user = first_guild.add_member(env.create_user("alice", global_name="Alice Martin"))
            general = first_guild.create_text_channel("general")
            async with bot.db.transaction(lock=True) as session:
                for n, (guild, digest, recaps) in enumerate(servers):
                    session.add(
                        GuildSettings(guild_id=guild.id, digest_channel_id=digest.id, recaps_channel_id=recaps.id)
                    )
                    await session.flush()
                    await watch_items.add_link(
                        session,
                        guild.id,
                        url=f"https://example.org/{n}/article",
                        discord_id=user.id,
                        display_name="Alice Martin",
                        title=f"Article {n}",
                        now=NOW,
                    )
                    for day in (3, 10, 17):  # what the monthly summary counts
                        session.add(
                            Activity(
                                guild_id=guild.id,
                                author_discord_id=user.id,
                                kind=PRESENTATION,
                                quantity=1.0,
                                occurred_on=date(2027, 2, day),
                                territory_code=None,
                                created_at=NOW,
                            )
                        )

            stamps: list[tuple[float, str, str]] = []
            http = bot.http
            original = http.request

            async def logged(route: Any, **kwargs: Any) -> Any:
                stamps.append(
                    (
                        time.perf_counter(),
                        route.method,
                        route.path.format_map(route.__dict__ | {"channel_id": getattr(route, "channel_id", None)}),
                    )
                )
                return await original(route, **kwargs)

            http.request = logged  # type: ignore[method-assign]
            clock = InteractionClock()
            clock.install(bot)
            done = asyncio.Event()

            async def keep_using() -> None:
                while not done.is_set():
                    await user.slash(general, "evenement liste")
                    await asyncio.sleep(0.05)

            t0 = time.perf_counter()
            user_task = asyncio.ensure_future(keep_using())
            await asyncio.gather(*(bot.outbox.fire(guild.id, kind) for guild, _, _ in servers for kind in KINDS))
            seconds = time.perf_counter() - t0
            done.set()
            await user_task
            clock.uninstall()
            http.request = original  # type: ignore[method-assign]
            async with bot.db.transaction() as session:
                posts = await session.scalar(select(func.count(OutboxPost.id)))
                sent = await session.scalar(select(func.count(OutboxPost.id)).where(OutboxPost.state == SENT))
            samples = [s.first for s in clock.stamps.values() if s.first is not None]
            burst = [t for t, _, _ in stamps]
            per_channel: dict[str, list[float]] = {}
            for t, method, path in stamps:
                if method == "POST" and path.endswith("/messages"):
                    per_channel.setdefault(path, []).append(t)
            return GuildsResult(
                guilds=guilds,
                posts=int(posts or 0),
                sent=int(sent or 0),
                seconds=seconds,
                requests=len(stamps),
                over_global=_over(burst, GLOBAL_LIMIT, 1.0),
                over_channel=sum(_over(v, CHANNEL_LIMIT, CHANNEL_WINDOW) for v in per_channel.values()),
                commands=len(samples),
                command_p99_ms=percentile(samples, 99) if samples else float("nan"),
                command_max_ms=max(samples) if samples else float("nan"),
                budget_waited_s=bot.outbox.budget.waited,
            )


def table(r: GuildsResult) -> str:
    verdict = (
        "ok"
        if (
            r.sent == r.posts == r.guilds * len(KINDS)
            and r.seconds < 300
            and r.over_global == r.over_channel == 0
            and r.command_max_ms < 3000
        )
        else "MISS"
    )
    return (
        f"{r.guilds} servers × {len(KINDS)} posts due at the same minute: {r.sent}/{r.posts} sent in {r.seconds:.1f} s "
        f"(goal < 300 s); {r.requests} HTTP requests, over Discord's limits: {r.over_global} global + "
        f"{r.over_channel} per channel (goal 0); commands meanwhile: {r.commands}, p99 {r.command_p99_ms:.0f} ms, "
        f"max {r.command_max_ms:.0f} ms (goal < 3 s); time spent waiting for the budget "
        f"(summed over posts) {r.budget_waited_s:.0f} s: {verdict}"
    )
