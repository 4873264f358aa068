"""Memory at start (issue 18): the libraries used only by a rare action (a feed fetched, an
.ics built, a chart drawn, a spreadsheet written) are not imported when the bot is ready.
Checked in a fresh interpreter: the test process has imported everything already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("feedparser", "icalendar", "matplotlib", "numpy", "openpyxl", "PIL", "docx", "reportlab")

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    from alembic import command

    import simcord
    from bot.app import create_bot
    from bot.config import Settings
    from bot.migrations import alembic_config

    HEAVY = {heavy!r}

    async def main(url):
        bot = create_bot(Settings(discord_token="t", database_url=url, _env_file=None))
        async with simcord.run(bot, check_errors=False):
            await bot.wait_until_ready()
            loaded = sorted(m for m in HEAVY if m in sys.modules)
        await bot.release_resources()
        return {{"cogs": sorted(bot.cogs), "loaded": loaded}}

    url = "sqlite+aiosqlite:///" + sys.argv[1]
    command.upgrade(alembic_config(url), "head")
    print(json.dumps(asyncio.run(main(url))))
    """
).format(heavy=HEAVY)


def test_the_rare_libraries_are_not_imported_when_the_bot_is_ready(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID"}}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "bot.db")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(outcome["cogs"]) >= 10  # every feature loaded (recap, watch, calendar, events…)
    assert outcome["loaded"] == []
