"""The locking unit of work under real concurrency (separate sessions, asyncio.gather), on
SQLite and, when TEST_DATABASE_URL is set, PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import Member
from bot.db.models.member import YOUTH
from bot.services import guilds, members
from bot.services.members import ProfileChanges

GUILD = 1001


async def test_concurrent_numbers_are_all_distinct(db: Database) -> None:
    async def take() -> int:
        async with db.transaction(lock=True) as session:
            return await guilds.next_number(session, GUILD, "request")

    numbers = await asyncio.gather(*(take() for _ in range(40)))
    assert sorted(numbers) == list(range(1, 41))


async def test_concurrent_first_profile_submissions_create_one_profile(db: Database) -> None:
    async with db.transaction() as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")

    async def submit(i: int) -> bool:
        async with db.transaction(lock=True) as session:
            _, created = await members.update_profile(
                session,
                GUILD,
                42,
                f"Alice {i}",
                ProfileChanges(territory="63", strand=YOUTH),
                today=date(2027, 6, 14),
            )
            return created

    created = await asyncio.gather(*(submit(i) for i in range(20)))
    assert created.count(True) == 1
    async with db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Member)) == 1


async def test_a_failed_unit_of_work_leaves_nothing_behind(db: Database) -> None:
    try:
        async with db.transaction() as session:
            await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
            await guilds.add_territory(session, GUILD, "63", "Encore")  # refused: rolls back all
    except Exception as error:
        assert "existe déjà" in str(error)
    async with db.transaction() as session:
        assert await guilds.territories(session, GUILD) == []
