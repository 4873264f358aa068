"""The durable notifications table on a real migrated database: deduplication by
reference, one attempt taken once under concurrency, the lease after a crash, back-off,
atomicity with the change that causes a notification, retention and personal data."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.db.models.events import EventReminder
from bot.db.models.notifications import CHANNEL, COORDINATION, DM, GAVE_UP, PENDING, Notification
from bot.services import guilds, members
from bot.services import notifications as svc
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import reminders
from bot.services.events.rules import EventDraft
from bot.services.members import ProfileChanges

GUILD = 1001
ALICE = 42
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)


def item(ref: str = "test:1", recipient: int | None = ALICE, **changes) -> svc.NewNotification:
    values = dict(
        kind="test",
        ref=ref,
        recipient_id=recipient,
        dm_text="Bonjour" if recipient else None,
        channel_id=555,
        channel_text=f"<@{recipient}> Bonjour",
        alert_text="Non remis",
    )
    return svc.NewNotification(**{**values, **changes})


async def _queue(db: Database, *items: svc.NewNotification, now: datetime = NOW) -> list[int]:
    async with db.transaction() as session:
        await guilds.ensure_guild(session, GUILD)
        return await svc.enqueue(session, GUILD, items, now=now)


async def _row(db: Database, notification_id: int) -> Notification:
    async with db.transaction() as session:
        row = await svc.get(session, notification_id)
        assert row is not None
        return row


async def test_a_reference_is_queued_once(db: Database) -> None:
    first = await _queue(db, item("test:1"), item("test:2", channel_text="autre"))
    again = await _queue(db, item("test:1", dm_text="changé"))
    assert len(first) == 2 and again == [first[0]]  # still pending: delivered right after
    row = await _row(db, first[0])
    assert (row.dm_text, row.route, row.state, row.attempts) == ("Bonjour", DM, PENDING, 0)
    channel_only = await _queue(db, item("test:3", recipient=None, role_id=7))
    assert (await _row(db, channel_only[0])).route == CHANNEL
    async with db.transaction() as session:
        await svc.mark_sent(session, first[0], via=DM, message_id=9, now=NOW)
    assert await _queue(db, item("test:1")) == []  # delivered: nothing to do
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Notification)) == 3


async def test_one_attempt_is_taken_by_one_run_only(db: Database) -> None:
    [notification_id] = await _queue(db, item())

    async def take() -> bool:
        async with db.transaction(lock=True) as session:
            return await svc.take(session, notification_id, now=NOW) is not None

    taken = await asyncio.gather(*(take() for _ in range(10)))
    assert taken.count(True) == 1
    row = await _row(db, notification_id)
    assert (row.attempts, row.uncertain, row.next_attempt_at) == (1, True, NOW + svc.LEASE)


async def test_an_attempt_left_in_flight_is_taken_again_after_the_lease_and_reconciled(db: Database) -> None:
    [notification_id] = await _queue(db, item())
    async with db.transaction(lock=True) as session:
        first = await svc.take(session, notification_id, now=NOW)
    assert first is not None and first.reconcile is False
    # The process dies here (the DM may have left). Not due again before the lease ends:
    async with db.transaction(lock=True) as session:
        assert await svc.due(session, now=NOW + timedelta(minutes=4)) == []
        assert await svc.take(session, notification_id, now=NOW + timedelta(minutes=4)) is None
    later = NOW + svc.LEASE
    async with db.transaction(lock=True) as session:
        assert await svc.due(session, now=later) == [notification_id]
        second = await svc.take(session, notification_id, now=later)
    assert second is not None and second.reconcile is True  # look for the DM first
    assert second.notification.attempts == 2


async def test_back_off_then_last_attempt_and_expiry(db: Database) -> None:
    [notification_id] = await _queue(db, item(expires_at=NOW + timedelta(hours=3)))
    now, waits = NOW, []
    for _ in range(svc.MAX_ATTEMPTS):
        async with db.transaction(lock=True) as session:
            attempt = await svc.take(session, notification_id, now=now)
            assert attempt is not None
            if attempt.last:
                break
            when = await svc.mark_retry(
                session,
                notification_id,
                attempts=attempt.notification.attempts,
                route=DM,
                uncertain=False,
                error="HTTP 503 (code 0)",
                now=now,
            )
        waits.append(int((when - now).total_seconds() // 60))
        now = when
    assert waits == [1, 5, 15, 60]
    assert attempt.notification.attempts == svc.MAX_ATTEMPTS
    assert not attempt.expired(now) and attempt.expired(NOW + timedelta(hours=3))
    async with db.transaction() as session:
        await svc.mark_gave_up(session, notification_id, via=COORDINATION, error="x", now=now)
        assert await svc.due(session, now=now + timedelta(days=1)) == []
    row = await _row(db, notification_id)
    assert (row.state, row.delivered_via, row.last_error) == (GAVE_UP, COORDINATION, "x")


async def _event_with_alice(db: Database) -> int:
    async with db.transaction(lock=True) as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        await members.update_profile(
            session,
            GUILD,
            ALICE,
            "Alice",
            ProfileChanges(territory="63", strand="youth"),
            today=NOW.date(),
        )
    async with db.transaction(lock=True) as session:
        event = await events_service.create_event(
            session,
            GUILD,
            EventDraft(
                title="Réunion d'accueil",
                type="welcome_meeting",
                starts_at=NOW + timedelta(days=2),
                ends_at=NOW + timedelta(days=2, hours=2),
                format="remote",
                link="https://visio.example.org/a",
                territory=None,
            ),
            created_by=1,
            now=NOW,
        )
        await regs.register(session, GUILD, event.id, ALICE, now=NOW)
        return event.id


async def test_a_reminder_is_recorded_as_sent_only_with_its_notifications(db: Database) -> None:
    """The reminder's record and its notifications commit together: a failure in between
    leaves neither, and the next run queues them (the old code recorded it, then lost it)."""
    await _event_with_alice(db)
    at = NOW + timedelta(days=1, hours=1)
    with pytest.raises(RuntimeError):
        async with db.transaction(lock=True) as session:
            due = await reminders.take_due_reminders(session, now=at)
            await svc.enqueue(
                session,
                GUILD,
                [item(f"event_reminder:{d.event.id}:{d.hours_before}:{ALICE}") for d in due],
                now=at,
            )
            raise RuntimeError("the process dies before the commit")
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(EventReminder)) == 0
        assert await session.scalar(select(func.count()).select_from(Notification)) == 0
    async with db.transaction(lock=True) as session:
        due = await reminders.take_due_reminders(session, now=at)
        ids = await svc.enqueue(
            session, GUILD, [item(f"event_reminder:{d.event.id}:{d.hours_before}:{ALICE}") for d in due], now=at
        )
    assert len(due) == 1 and len(ids) == 1
    async with db.transaction(lock=True) as session:
        assert await reminders.take_due_reminders(session, now=at) == []  # once


async def test_a_promotion_carries_its_queue_position(db: Database) -> None:
    event_id = await _event_with_alice(db)
    async with db.transaction(lock=True) as session:
        await members.update_profile(
            session, GUILD, 43, "Bob", ProfileChanges(territory="63", strand="youth"), today=NOW.date()
        )
    async with db.transaction(lock=True) as session:
        event = await events_service.get_event(session, GUILD, event_id, lock=True)
        event.capacity = 1
        await regs.register(session, GUILD, event_id, 43, now=NOW)  # waitlisted
        result = await regs.withdraw(session, GUILD, event_id, ALICE, now=NOW)
    [seat] = result.promoted
    assert (seat.discord_id, seat.position) == (43, 2)


async def test_finished_notifications_are_purged_after_thirty_days(db: Database) -> None:
    sent, pending = await _queue(db, item("test:1"), item("test:2"))
    async with db.transaction() as session:
        await svc.mark_sent(session, sent, via=CHANNEL, message_id=1, now=NOW)
        assert await svc.purge_finished(session, now=NOW + timedelta(days=29)) == 0
        assert await svc.purge_finished(session, now=NOW + timedelta(days=30)) == 1
        remaining = (await session.scalars(select(Notification.id))).all()
    assert remaining == [pending]
    assert (await _row(db, pending)).state == PENDING


async def test_export_and_anonymise_cover_the_members_notifications(db: Database) -> None:
    async with db.transaction(lock=True) as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        member, _ = await members.update_profile(
            session, GUILD, ALICE, "Alice", ProfileChanges(territory="63", strand="youth"), today=NOW.date()
        )
    await _queue(db, item("test:alice"), item("test:bob", recipient=43))
    async with db.transaction() as session:
        member = await members.require_profile(session, GUILD, ALICE)
        exported = await svc.export_member(session, member)
        assert [(e["type"], e["message"], e["etat"]) for e in exported] == [("test", "Bonjour", "pending")]
        await svc.anonymise_member(session, member, NOW)
        left = (await session.scalars(select(Notification.recipient_id))).all()
    assert left == [43]
