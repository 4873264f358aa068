"""Revision 0008_urls on a database holding links stored before it: every item and feed
gets its canonical key, the same feed stored twice becomes one, and a link shared after the
upgrade finds the page stored before it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import insert, select

from bot.db import Database
from bot.db.models import GuildSettings
from bot.db.models.watch import ACCEPTED, WatchFeed, WatchItem
from bot.db.session import make_engine
from bot.migrations import alembic_config
from bot.services.watch import items as watch_items
from bot.services.watch.urls import parse_link

GUILD = 1
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)


async def _insert_old_rows(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(GuildSettings.__table__).values(guild_id=GUILD))
            for feed_id, feed_url in ((1, "https://example.org/feed"), (2, "https://example.org/feed/")):
                await conn.execute(
                    insert(WatchFeed.__table__).values(
                        id=feed_id, guild_id=GUILD, url=feed_url, category="Actualité du numérique"
                    )
                )
            rows = [
                (1, "https://www.cnil.fr/fr/parents", None),
                (2, "https://example.org/from-feed", 2),
                (3, "https://localhost:99999/", None),  # not valid today: keyed on its text
            ]
            for item_id, item_url, feed_id in rows:
                await conn.execute(
                    insert(WatchItem.__table__).values(
                        id=item_id,
                        guild_id=GUILD,
                        url=item_url,
                        category="Actualité du numérique",
                        status=ACCEPTED,
                        featured=False,
                        position=item_id,
                        feed_id=feed_id,
                    )
                )
    finally:
        await engine.dispose()


async def test_existing_links_get_their_key(database_url: str) -> None:
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "0006")
    await _insert_old_rows(database_url)
    await asyncio.to_thread(command.upgrade, config, "head")

    db = Database(database_url)
    try:
        async with db.transaction() as session:
            items = (await session.scalars(select(WatchItem).order_by(WatchItem.id))).all()
            feeds = (await session.scalars(select(WatchFeed))).all()
        assert items[0].url_key == parse_link("https://www.cnil.fr/fr/parents/#top").key
        assert len(items[2].url_key) == 64
        assert [(f.id, f.url) for f in feeds] == [(1, "https://example.org/feed")]
        assert items[1].feed_id == 1  # the duplicate feed's proposal follows the kept one

        async with db.transaction(lock=True) as session:
            joined = await watch_items.add_link(
                session,
                GUILD,
                url="https://www.cnil.fr/fr/parents/#top",
                discord_id=2,
                display_name="Bob",
                now=NOW,
            )
        assert (joined.created, joined.item.id) == (False, 1)
    finally:
        await db.dispose()

    await asyncio.to_thread(command.downgrade, config, "0006")
    await asyncio.to_thread(command.upgrade, config, "head")
