"""Directory service on a real migrated database: periods, departures, isolation, privacy."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.db import Database
from bot.db.models.member import PARENTING, YOUTH
from bot.errors import ValidationError
from bot.services import directory, guilds, members, privacy
from bot.services.members import ProfileChanges

A, B = 1, 2


@pytest.fixture
async def territories(db: Database) -> None:
    async with db.transaction() as session:
        for guild in (A, B):
            await guilds.add_territory(session, guild, "63", "Puy-de-Dôme")
            await guilds.add_territory(session, guild, "03", "Allier")


async def _profile(db: Database, guild: int, user: int, name: str, today: date, **changes) -> None:
    async with db.transaction(lock=True) as session:
        await members.update_profile(session, guild, user, name, ProfileChanges(**changes), today=today)


async def test_a_move_is_a_dated_period_and_directory_reads_the_day(db: Database, territories) -> None:
    await _profile(db, A, 10, "Alice", date(2021, 3, 1), territory="63", strand=YOUTH)
    await _profile(db, A, 10, "Alice", date(2023, 1, 10), territory="03", strand=PARENTING)
    await _profile(db, A, 10, "Alice", date(2023, 1, 10), territory="03", strand=YOUTH)  # same-day fix

    async with db.transaction() as session:
        in_2022 = await directory.directory(session, A, on=date(2022, 6, 1))
        in_2024 = await directory.directory(session, A, on=date(2024, 6, 1))
        member = await members.find_by_discord(session, A, 10)
    assert [(r.territory_code, r.strand) for r in in_2022] == [("63", YOUTH)]
    assert [(r.territory_code, r.strand) for r in in_2024] == [("03", YOUTH)]
    assert [(p.territory_code, p.valid_from, p.valid_to) for p in member.periods] == [
        ("63", date(2021, 3, 1), date(2023, 1, 10)),
        ("03", date(2023, 1, 10), None),
    ]


async def test_departure_keeps_history_and_ends_membership(db: Database, territories) -> None:
    await _profile(db, A, 10, "Alice", date(2021, 3, 1), territory="63", strand=YOUTH)
    async with db.transaction() as session:
        member = await members.find_by_discord(session, A, 10)
        with pytest.raises(ValidationError, match="précède la date d'arrivée"):
            await members.record_departure(session, A, member.id, date(2020, 1, 1), today=date(2024, 1, 1))
    async with db.transaction() as session:
        await members.record_departure(session, A, member.id, date(2023, 6, 30), today=date(2024, 1, 1))
    async with db.transaction() as session:
        assert len(await directory.directory(session, A, on=date(2023, 6, 30))) == 1
        assert await directory.directory(session, A, on=date(2023, 7, 1)) == []


async def test_guild_a_never_sees_guild_b(db: Database, territories) -> None:
    await _profile(db, A, 10, "Alice (A)", date(2021, 3, 1), territory="63", strand=YOUTH)
    await _profile(db, B, 20, "Bruno (B)", date(2021, 3, 1), territory="63", strand=YOUTH)
    async with db.transaction() as session:
        await guilds.add_territory(session, B, "15", "Cantal")
        names_a = [r.member.display_name for r in await directory.directory(session, A, on=date(2022, 1, 1))]
        found_a = [m.display_name for m in await members.search(session, A, "")]
        csv_a = (await directory.export_csv(session, A)).decode("utf-8-sig")
        codes_a = [t.code for t in await guilds.territories(session, A)]
        assert await members.find_by_discord(session, A, 20) is None
        bruno = await members.find_by_discord(session, B, 20)
        with pytest.raises(Exception, match="introuvable"):
            await members.get(session, A, bruno.id)
    assert names_a == found_a == ["Alice (A)"]
    assert "Bruno" not in csv_a
    assert codes_a == ["03", "63"]


async def test_anonymisation_keeps_statistics_only(db: Database, territories) -> None:
    await _profile(
        db,
        A,
        10,
        "Alice",
        date(2021, 3, 1),
        territory="63",
        strand=YOUTH,
        structure_name="MJC",
        structure_type="Centre social",
    )
    async with db.transaction(lock=True) as session:
        await privacy.anonymise_member(session, A, 10, [], now=datetime(2027, 1, 1, tzinfo=UTC))
    async with db.transaction() as session:
        assert await members.find_by_discord(session, A, 10) is None
        rows = await directory.directory(session, A, on=date(2022, 1, 1))
        assert rows == []  # not listed by name any more
        csv_text = (await directory.export_csv(session, A)).decode("utf-8-sig")
    assert "Alice" not in csv_text and "MJC" not in csv_text
    assert "Membre anonymisé" in csv_text and "Centre social" in csv_text and ";63;" in csv_text
