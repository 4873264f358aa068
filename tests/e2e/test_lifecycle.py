"""The bot's life as a process sees it, with the real bot in SimCord: a stop signal closes it
cleanly, a Discord 5xx while registering the commands is retried then given up in one line,
and the time columns' defaults read the bot's clock."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest
from sqlalchemy import select

from bot import app as app_module
from bot.app import StartupError, on_stop_signals
from bot.db import Database
from bot.db.models import Member


async def test_defaults_of_time_columns_come_from_the_bot_clock(profiles, clock, db: Database) -> None:
    async with db.transaction() as session:
        members = (await session.scalars(select(Member))).all()
    assert [m.created_at for m in members] == [clock(), clock()]  # 2027, not the wall clock
    assert all(m.updated_at == clock() for m in members)


async def test_sigterm_closes_the_bot_cleanly(configured) -> None:
    bot = configured.env.bot
    assert bot.scheduler._aps.running
    pool = bot.db.engine.sync_engine.pool
    on_stop_signals(bot.request_stop)
    loop = asyncio.get_running_loop()
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(1000):
            await asyncio.sleep(0)
            if bot.stopping is not None:
                break
        await bot.stopping
    finally:
        loop.remove_signal_handler(signal.SIGTERM)
        loop.remove_signal_handler(signal.SIGINT)
    assert bot.is_closed()
    assert not bot.scheduler._aps.running
    assert bot.db.engine.sync_engine.pool is not pool  # disposed (a new, empty pool)
    assert pool.checkedout() == 0


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "SYNC_RETRY_DELAYS", (0, 0))


async def test_command_sync_retries_a_discord_5xx(configured, quick_retries) -> None:
    env, bot = configured.env, configured.env.bot
    env.inject_error("PUT", "/applications/*/commands", status=503, times=2)
    await bot.sync_commands()  # third attempt succeeds
    synced = [r for r in env.http_requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(synced) >= 3


async def test_command_sync_gives_up_in_one_line(configured, quick_retries) -> None:
    env, bot = configured.env, configured.env.bot
    env.inject_error("PUT", "/applications/*/commands", status=503, times=None)
    with pytest.raises(StartupError) as raised:
        await bot.sync_commands()
    assert str(raised.value) == (
        "Discord is unavailable (HTTP 503) while registering the slash commands, 3 attempts; "
        "try again in a few minutes."
    )
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
