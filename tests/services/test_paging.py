"""Lists paged in SQL: each page is the matching slice of the whole list, and the total is
the true number of rows, past the old caps (500 requests, 200 events, 200 activities)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, insert

from bot.db import Database
from bot.db.models import Member, MemberPeriod
from bot.db.models.activity import Activity
from bot.db.models.events import Event
from bot.db.models.member import PARENTING, YOUTH
from bot.db.models.requests import DONE, OPEN, AccompanimentRequest
from bot.services import activity, directory, guilds, members
from bot.services.events import lifecycle as events_service
from bot.services.requests import queries as request_queries
from bot.services.requests.rules import Actor

GUILD = 3003
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)
ALICE = 11
alice = Actor(ALICE, "Alice Martin", False)
claire = Actor(21, "Claire", True)


@pytest.fixture
async def big(db: Database) -> Database:
    """130 members (every 3rd in 03, every 5th Parentalité, 4 already gone), 530 requests
    (Alice made every 10th, every 4th is done), 230 upcoming events and 10 past ones, and
    230 activities by Alice."""
    async with db.transaction(lock=True) as session:
        await guilds.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        await guilds.add_territory(session, GUILD, "03", "Allier")
        member_rows = [
            {
                "id": 1000 + i,
                "guild_id": GUILD,
                "discord_id": ALICE if i == 0 else None,
                "display_name": f"Promeneur {i:03d}",
                "structure_name": f"MJC {i}" if i % 2 else None,
                "joined_on": date(2024, 1, 1),
                "left_on": date(2025, 1, 1) if i in (7, 8, 9, 10) else None,
            }
            for i in range(130)
        ]
        await session.execute(insert(Member), member_rows)
        await session.execute(
            insert(MemberPeriod),
            [
                {
                    "guild_id": GUILD,
                    "member_id": 1000 + i,
                    "territory_code": "03" if i % 3 == 0 else "63",
                    "strand": PARENTING if i % 5 == 0 else YOUTH,
                    "valid_from": date(2024, 1, 1),
                    "valid_to": None,
                }
                for i in range(130)
            ],
        )
        await session.execute(
            insert(AccompanimentRequest),
            [
                {
                    "guild_id": GUILD,
                    "number": n,
                    "requester_member_id": 1000 if n % 10 == 0 else 1001,
                    "kind": "individual",
                    "territory_code": "63" if n % 2 else "03",
                    "status": DONE if n % 4 == 0 else OPEN,
                    "source": "discord",
                    "created_at": NOW - timedelta(hours=600 - n),
                    "updated_at": NOW,
                }
                for n in range(1, 531)
            ],
        )
        await session.execute(
            insert(Event),
            [
                {
                    "guild_id": GUILD,
                    "title": f"Atelier {i:03d}",
                    "type": "practice_exchange",
                    "starts_at": NOW + timedelta(hours=i),
                    "ends_at": NOW + timedelta(hours=i, minutes=30),
                    "duration_days": 0.5,
                    "format": "remote",
                    "territory_code": None if i % 4 == 0 else "63",
                }
                for i in range(-10, 230)
            ],
        )
        await session.execute(
            insert(Activity),
            [
                {
                    "guild_id": GUILD,
                    "author_discord_id": ALICE,
                    "member_id": 1000,
                    "kind": "presentation",
                    "quantity": 1,
                    "occurred_on": date(2027, 1, 1) + timedelta(days=i % 150),
                    "territory_code": "63",
                }
                for i in range(230)
            ],
        )
    return db


async def _all_pages(fetch, per_page: int = 20):
    """Every page in order, and the totals each page reported."""
    rows, totals, offset = [], set(), 0
    while True:
        page, total = await fetch(offset, per_page)
        totals.add(total)
        rows += page
        if not page:
            return rows, totals
        offset += per_page


async def test_directory_pages_are_the_directory_in_slices(big: Database) -> None:
    on = date(2027, 6, 14)
    async with big.transaction() as session:
        for territory, strand in [(None, None), ("03", None), ("63", PARENTING)]:
            whole = await directory.directory(session, GUILD, on=on, territory=territory, strand=strand)
            rows, totals = await _all_pages(
                lambda o, n, territory=territory, strand=strand: directory.directory_page(
                    session, GUILD, on=on, territory=territory, strand=strand, offset=o, limit=n
                )
            )
            assert totals == {len(whole)}
            assert [(r.name, r.structure, r.territory_code, r.strand) for r in rows] == [
                (w.member.display_name, w.member.structure_name, w.territory_code, w.strand) for w in whole
            ]
        page, total = await directory.directory_page(session, GUILD, on=on, offset=120, limit=20)
    assert total == 126  # 130 minus the 4 who left
    assert [r.name for r in page] == [
        "Promeneur 124",
        "Promeneur 125",
        "Promeneur 126",
        "Promeneur 127",
        "Promeneur 128",
        "Promeneur 129",
    ]


async def test_request_pages_count_every_request_not_the_first_500(big: Database) -> None:
    async with big.transaction() as session:
        page, total = await request_queries.list_requests_page(session, GUILD, claire)
        assert total == 530
        assert [r.number for r in page] == list(range(530, 510, -1))
        assert page[0].requester_name == "Promeneur 000" and page[1].requester_name == "Promeneur 001"
        last, _ = await request_queries.list_requests_page(session, GUILD, claire, offset=520, limit=20)
        assert [r.number for r in last] == list(range(10, 0, -1))
        done, total_done = await request_queries.list_requests_page(
            session, GUILD, claire, statuses=(DONE,), territory="03"
        )
        assert total_done == len([n for n in range(1, 531) if n % 4 == 0 and n % 2 == 0])
        assert all(r.status == DONE and r.territory_code == "03" for r in done)
        mine, total_mine = await _all_pages(
            lambda o, n: request_queries.list_requests_page(session, GUILD, alice, offset=o, limit=n)
        )
        assert total_mine == {53}
        assert [r.number for r in mine] == list(range(530, 0, -10))


async def test_event_pages_count_every_upcoming_event(big: Database) -> None:
    async with big.transaction() as session:
        rows, totals = await _all_pages(
            lambda o, n: events_service.list_events_page(session, GUILD, now=NOW, offset=o, limit=n)
        )
        assert totals == {229}  # starting at NOW itself is not upcoming
        assert [e.title for e in rows] == [f"Atelier {i:03d}" for i in range(1, 230)]
        shared, shared_total = await events_service.list_events_page(session, GUILD, now=NOW, territory="commun")
        assert shared_total == len([i for i in range(1, 230) if i % 4 == 0])
        assert all(e.territory_code is None for e in shared)


async def test_my_activity_pages_count_every_entry(big: Database) -> None:
    async with big.transaction() as session:
        rows, totals = await _all_pages(lambda o, n: activity.mine_page(session, GUILD, ALICE, offset=o, limit=n))
        assert totals == {230}
        assert len(rows) == 230
        days = [a.occurred_on for a in rows]
        assert days == sorted(days, reverse=True)
        nobody, none_total = await activity.mine_page(session, GUILD, 999)
    assert (nobody, none_total) == ([], 0)


async def test_directory_total_follows_every_change(big: Database) -> None:
    """The total is kept between pages, and is right again after each kind of change."""
    on = date(2027, 6, 14)

    async def total() -> int:
        async with big.transaction() as session:
            return (await directory.directory_page(session, GUILD, on=on))[1]

    assert await total() == 126
    async with big.transaction(lock=True) as session:  # an ORM change
        await members.update_profile(
            session,
            GUILD,
            555,
            "Nouvelle Venue",
            members.ProfileChanges(territory="63", strand=YOUTH),
            today=date(2027, 6, 1),
        )
    assert await total() == 127
    async with big.transaction(lock=True) as session:  # a Core statement
        await session.execute(delete(MemberPeriod).where(MemberPeriod.member_id == 1001))
    assert await total() == 126
    async with big.transaction(lock=True) as session:  # a change rolled back: same total
        await session.execute(delete(MemberPeriod).where(MemberPeriod.member_id == 1002))
        await session.rollback()
    assert await total() == 126
