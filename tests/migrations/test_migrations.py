"""Migrations: one head, a full round trip, and models that match the migrated schema."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db import Base
from bot.db.session import make_engine
from bot.migrations import alembic_config, current_revision


@pytest.fixture
def url(database_url: str) -> str:
    return database_url


def test_single_head(url: str) -> None:
    assert len(ScriptDirectory.from_config(alembic_config(url)).get_heads()) == 1


def test_every_revision_has_a_real_downgrade(url: str) -> None:
    script = ScriptDirectory.from_config(alembic_config(url))
    for revision in script.walk_revisions():
        source = open(revision.path, encoding="utf-8").read()
        body = source.split("def downgrade() -> None:", 1)[1]
        upgrade = source.split("def upgrade() -> None:", 1)[1].split("def downgrade", 1)[0]
        if upgrade.strip() != "pass":
            assert body.strip() != "pass", f"{revision.revision} has no downgrade"


async def _diff(url: str) -> list:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
    finally:
        await engine.dispose()


async def test_round_trip_and_models_match(url: str) -> None:
    config = alembic_config(url)
    head = ScriptDirectory.from_config(config).get_current_head()
    assert await current_revision(url) == head
    assert await _diff(url) == []

    import asyncio

    await asyncio.to_thread(command.downgrade, config, "base")
    assert await current_revision(url) is None
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await current_revision(url) == head
    assert await _diff(url) == []
