"""Posts due at the same moment, fired by the real scheduler (APScheduler jobs running
concurrently on the bot's loop) into the real dispatcher, on SQLite in WAL mode: none lost.

Before the outbox's read-then-write transactions were locked, a Monday the 1st lost one of
its two posts and 100 servers' Monday digests lost most of theirs ("database is locked")."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from apscheduler.triggers.date import DateTrigger
from sqlalchemy import func, select

from bot.clock import PARIS
from bot.db import Database
from bot.db.models import GuildSettings, OutboxPost
from bot.db.models.outbox import SENT
from bot.services.watch import items as watch_items

MONDAY_1ST_9H = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # Monday 1 March, 9:00 Paris


def _now_for_aps() -> datetime:
    # APScheduler's triggers read the wall clock: "due now" for the real scheduler.
    return datetime.now(PARIS)


async def _run_jobs_now(bot, jobs: list[tuple[int, str]], env) -> None:
    """Install each (server, kind) job as the cron job would be, due now; let them all run
    (concurrently, as APScheduler's asyncio executor runs them) and wait for the last."""
    for guild_id, kind in jobs:
        bot.scheduler.set_post_job(guild_id, kind, DateTrigger(run_date=_now_for_aps()))
    aps = bot.scheduler._aps
    ids = {bot.scheduler.job_id(guild_id, kind) for guild_id, kind in jobs}

    def waiting() -> bool:
        return any(job.id in ids for job in aps.get_jobs())

    for _ in range(10_000):  # the scheduler wakes up on the loop and submits every due job
        if not waiting():
            break
        await asyncio.sleep(0)
    assert not waiting()
    # SimCord's settle() does not see the executor's tasks: wait for them here.
    running = set(aps._lookup_executor("default")._pending_futures)
    if running:
        await asyncio.wait(running)
    await env.settle()


def _refs(channel, label: str) -> list[str]:
    """The references of the channel's posts of a kind ("Lettre de veille · …", at the end of
    the last embed's footer or of the text)."""
    texts = [
        m.embeds[-1].footer.text if m.embeds and m.embeds[-1].footer else m.content or "" for m in channel.history()
    ]
    return [t[t.rindex(f"{label} · ") :] for t in texts if t and f"{label} · " in t]


async def test_two_posts_due_the_same_minute_are_both_sent(configured, simcord_bot, clock, db: Database) -> None:
    w, bot = configured, simcord_bot
    clock.set(MONDAY_1ST_9H)
    async with db.transaction(lock=True) as session:
        await watch_items.add_link(
            session,
            w.guild.id,
            url="https://example.org/a",
            discord_id=w.alice.id,
            display_name="Alice Martin",
            title="Un article",
            now=clock(),
        )

    await _run_jobs_now(bot, [(w.guild.id, "digest"), (w.guild.id, "monthly_summary")], w.env)

    async with db.transaction() as session:
        posts = (await session.scalars(select(OutboxPost).order_by(OutboxPost.kind))).all()
    assert [(p.kind, p.period, p.state) for p in posts] == [
        ("digest", "2027-W08", SENT),
        ("monthly_summary", "2027-02", SENT),
    ]
    assert "Lettre de veille · semaine du 22 février 2027" in _refs(w.digest, "Lettre de veille")
    assert "Résumé mensuel · février 2027" in _refs(w.recaps, "Résumé mensuel")


async def test_a_hundred_servers_monday_digests_are_all_sent(configured, simcord_bot, clock, db: Database) -> None:
    """100 servers, each with its own digest channel (in one SimCord server: each post
    carries its own reference). One channel for all would be throttled to 5 posts per 5 s
    by the outbox's sending budget, as Discord would."""
    w, bot = configured, simcord_bot
    clock.set(MONDAY_1ST_9H)
    guild_ids = [w.guild.id] + [w.guild.id + n for n in range(1, 100)]
    channels = [w.digest] + [w.guild.create_text_channel(f"veille-{n}") for n in range(1, 100)]
    async with db.transaction(lock=True) as session:
        for guild_id, channel in zip(guild_ids, channels, strict=True):
            settings = await session.get(GuildSettings, guild_id)
            if settings is None:
                session.add(GuildSettings(guild_id=guild_id, digest_channel_id=channel.id))
            await session.flush()
            await watch_items.add_link(
                session,
                guild_id,
                url=f"https://example.org/{guild_id}",
                discord_id=w.alice.id,
                display_name="Alice Martin",
                title=f"Article {guild_id}",
                now=clock(),
            )

    await _run_jobs_now(bot, [(g, "digest") for g in guild_ids], w.env)

    async with db.transaction() as session:
        sent = await session.scalar(
            select(func.count(OutboxPost.id)).where(OutboxPost.kind == "digest", OutboxPost.state == SENT)
        )
        total = await session.scalar(select(func.count(OutboxPost.id)).where(OutboxPost.kind == "digest"))
    assert (total, sent) == (100, 100)
    refs = [r for channel in channels for r in _refs(channel, "Lettre de veille")]
    assert len(refs) == 100 and len(set(refs)) == 1  # one digest each, same period key
