"""Applying and inspecting the Alembic migrations from the bot (`run`, `migrate`, `check`).

`upgrade_to_head` applies them in a short-lived child process: Alembic and Mako (~12 MB once
imported, never given back) are needed once per start, so the bot's long-running process
never imports them (issue 18: memory at ready). `check` and the tests use Alembic directly.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from bot.db.session import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

ROOT = Path(__file__).resolve().parents[1]


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["skip_logging"] = True
    return config


def head_revision(database_url: str) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def upgrade_here(database_url: str) -> str | None:
    """Apply every pending migration in this process (blocking); the revision reached."""
    from alembic import command

    command.upgrade(alembic_config(database_url), "head")
    return head_revision(database_url)


async def upgrade_to_head(database_url: str) -> str | None:
    """Apply every pending migration, in a child process started for it (`spawn`: a fresh
    interpreter, nothing of this process copied); its errors are raised here. Returns the
    revision reached."""
    loop = asyncio.get_running_loop()
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return await loop.run_in_executor(pool, upgrade_here, database_url)


async def current_revision(database_url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())
    finally:
        await engine.dispose()
