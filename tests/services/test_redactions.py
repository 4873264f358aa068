"""The queue of bot messages to redact, on the real migrated database: recorded once per
message, retried with a growing delay, owed by the retention purge for the cards it
emptied (and only for requests that have a card)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from bot.db import Database
from bot.db.models.member import YOUTH
from bot.db.models.privacy import REQUEST_CARD, MessageRedaction
from bot.services import guilds, members, redactions
from bot.services.members import ProfileChanges
from bot.services.requests import lifecycle, retention
from bot.services.requests.rules import Actor

GUILD, OTHER = 3003, 3004
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)


async def _rows(db: Database) -> list[tuple[int, str, int, int]]:
    async with db.transaction() as session:
        return [
            (r.guild_id, r.kind, r.target_id, r.attempts)
            for r in (await session.scalars(select(MessageRedaction).order_by(MessageRedaction.id))).all()
        ]


async def test_recorded_once_per_message_and_per_server(db: Database) -> None:
    async with db.transaction() as session:
        await guilds.ensure_guild(session, GUILD)
        await guilds.ensure_guild(session, OTHER)
        await redactions.record(session, GUILD, REQUEST_CARD, [5, 6, 5], now=NOW)
    async with db.transaction() as session:
        await redactions.record(session, GUILD, REQUEST_CARD, [6], now=NOW)
    assert await _rows(db) == [(GUILD, REQUEST_CARD, 5, 0), (GUILD, REQUEST_CARD, 6, 0)]
    async with db.transaction() as session:
        assert [r.target_id for r in await redactions.pending(session, OTHER)] == []
        assert [r.target_id for r in await redactions.due(session, NOW - timedelta(seconds=1))] == []
        assert [r.target_id for r in await redactions.due(session, NOW)] == [5, 6]


async def test_failures_back_off_up_to_a_day_and_done_removes(db: Database) -> None:
    async with db.transaction() as session:
        await guilds.ensure_guild(session, GUILD)
        await redactions.record(session, GUILD, REQUEST_CARD, [7], now=NOW)
        [row] = await redactions.due(session, NOW)
    delays = []
    for _ in range(11):
        async with db.transaction(lock=True) as session:
            failed = await redactions.mark_failed(session, row.id, NOW, status=503)
            delays.append(failed.due_at - NOW)
    assert delays[:4] == [timedelta(minutes=m) for m in (5, 10, 20, 40)]
    assert delays[-1] == timedelta(hours=24)
    assert failed.attempts == 11 and failed.last_status == 503
    async with db.transaction() as session:
        await redactions.mark_done(session, row.id)
    assert await _rows(db) == []


async def test_retention_purge_owes_a_redaction_for_each_card(db: Database) -> None:
    async with db.transaction(lock=True) as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        await members.update_profile(
            session,
            GUILD,
            11,
            "Alice",
            ProfileChanges(territory="63", strand=YOUTH),
            today=date(2025, 1, 10),
        )
    ids = []
    for with_card in (True, False):
        async with db.transaction(lock=True) as session:
            request = await lifecycle.create_request(
                session,
                GUILD,
                11,
                kind="individual",
                mode="visio",
                subject="Sujet",
                details="Besoin",
                availability="mardi",
                actor_name="Alice",
                now=datetime(2025, 5, 1, tzinfo=UTC),
            )
            if with_card:
                await lifecycle.set_thread(session, request.id, thread_id=900, message_id=901)
            await lifecycle.cancel(
                session,
                GUILD,
                request.id,
                Actor(11, "Alice", False),
                now=datetime(2025, 6, 1, tzinfo=UTC),
            )
            ids.append(request.id)
    async with db.transaction(lock=True) as session:
        purged = await retention.purge_expired(session, NOW)
    assert sorted(r.id for r in purged) == sorted(ids)
    assert await _rows(db) == [(GUILD, REQUEST_CARD, ids[0], 0)]
