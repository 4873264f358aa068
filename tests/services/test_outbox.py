"""The outbox's database side on a real migrated database: concurrent writers lose nothing,
keys made by hand never collide, re-arming a failed post, what /config voir lists."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.db import Database
from bot.db.models.outbox import FAILED, SENDING
from bot.services import outbox as outbox_service

GUILD = 2002
NOW = datetime(2027, 6, 14, 7, 0, tzinfo=UTC)


async def _post(db: Database, period: str = "2027-W24", kind: str = "digest"):
    async with db.transaction(lock=True) as session:
        return await outbox_service.enqueue(session, GUILD, kind, period, channel_id=1, due_at=NOW)


async def test_concurrent_enqueues_of_many_posts_lose_none(db: Database) -> None:
    async def enqueue(n: int) -> None:
        async with db.transaction(lock=True) as session:
            await outbox_service.enqueue(session, GUILD, "digest", f"2027-W{n:02d}", channel_id=1, due_at=NOW)
            await outbox_service.enqueue(  # the same key twice: still one post
                session, GUILD, "digest", f"2027-W{n:02d}", channel_id=1, due_at=NOW
            )

    await asyncio.gather(*(enqueue(n) for n in range(1, 41)))
    async with db.transaction() as session:
        periods = await outbox_service.existing_periods(session, GUILD)
    assert periods == {("digest", f"2027-W{n:02d}") for n in range(1, 41)}


async def test_concurrent_parts_recorded_are_all_kept(db: Database) -> None:
    post = await _post(db)

    async def record(index: int) -> None:
        async with db.transaction(lock=True) as session:
            await outbox_service.record_part(session, post.id, index, 1000 + index, now=NOW)

    await asyncio.gather(*(record(i) for i in range(12)))
    async with db.transaction() as session:
        stored = await outbox_service.get(session, GUILD, "digest", "2027-W24")
    assert outbox_service.parts(stored) == [1000 + i for i in range(12)]


async def test_mark_failed_backs_off_and_keeps_maybe_sent_until_searched(db: Database) -> None:
    post = await _post(db)
    async with db.transaction(lock=True) as session:
        assert await outbox_service.claim(session, post.id, NOW)
        failed = await outbox_service.mark_failed(session, post.id, NOW, "raison", maybe_sent=True)
    assert (failed.state, failed.attempts, failed.due_at) == (FAILED, 1, NOW + timedelta(minutes=1))
    async with db.transaction(lock=True) as session:
        assert await outbox_service.claim(session, post.id, NOW + timedelta(minutes=1))
        again = await outbox_service.mark_failed(session, post.id, NOW, "raison")  # a 403 this time
    assert again.maybe_sent and again.due_at == NOW + timedelta(minutes=2)
    async with db.transaction(lock=True) as session:
        searched = await outbox_service.record_parts(session, post.id, {}, reconciled=True)
    assert not searched.maybe_sent


async def test_free_period_for_posts_made_by_hand_in_the_same_minute(db: Database) -> None:
    base = "2027-06-16-1030"
    for expected in (base, f"{base}-2", f"{base}-3"):
        async with db.transaction(lock=True) as session:
            period = await outbox_service.free_period(session, GUILD, "digest", base)
            await outbox_service.enqueue(session, GUILD, "digest", period, channel_id=1, due_at=NOW)
        assert period == expected


async def test_failing_lists_failed_and_abandoned_posts_and_rearm_retries_them(db: Database) -> None:
    failed, sending, fresh = [await _post(db, p) for p in ("2027-W22", "2027-W23", "2027-W24")]
    async with db.transaction(lock=True) as session:
        for post in (failed, sending, fresh):
            assert await outbox_service.claim(session, post.id, NOW)
        await outbox_service.mark_failed(session, failed.id, NOW, "raison")
    later = NOW + outbox_service.STALE_AFTER + timedelta(seconds=1)
    async with db.transaction(lock=True) as session:
        await outbox_service.record_part(session, fresh.id, 0, 7, now=later)  # alive
        listed = await outbox_service.failing(session, GUILD, later)
        assert sorted((p.period, p.state) for p in listed) == [("2027-W22", FAILED), ("2027-W23", SENDING)]
        await outbox_service.record_alert(
            session, GUILD, outbox_service.alert_key(failed), channel_id=1, message_id=2, now=later
        )
    async with db.transaction(lock=True) as session:
        assert await outbox_service.alert_delivered(session, GUILD, f"outbox:{failed.id}")
        assert await outbox_service.retry_now(session, GUILD, {"digest": 99}, later) == 1
    async with db.transaction() as session:
        post = await outbox_service.get(session, GUILD, "digest", "2027-W22")
        assert (post.attempts, post.due_at, post.channel_id) == (0, later, 99)
        assert not await outbox_service.alert_delivered(session, GUILD, f"outbox:{failed.id}")
