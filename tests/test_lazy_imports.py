"""Memory at start (issue 18): the libraries used only by a rare action (a feed fetched, an
.ics built, a chart drawn, a spreadsheet written) are not imported when the bot is ready.
Checked in a fresh interpreter: the test process has imported everything already."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.fresh_python import last_json

# alembic and mako: the migrations are applied in a child process (bot.migrations.upgrade_to_head).
# aiohttp.web: the calendar feeds' server, imported when it starts (off unless WEB_PORT is set).
HEAVY = (
    "feedparser",
    "icalendar",
    "matplotlib",
    "numpy",
    "openpyxl",
    "PIL",
    "docx",
    "reportlab",
    "alembic",
    "mako",
    "aiohttp.web",
)

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys

    import simcord
    from bot.app import create_bot
    from bot.config import Settings
    from bot.migrations import upgrade_to_head

    HEAVY = {heavy!r}

    async def main(url):
        bot = create_bot(Settings(discord_token="t", database_url=url, _env_file=None))
        async with simcord.run(bot, check_errors=False):
            await bot.wait_until_ready()
            loaded = sorted(m for m in HEAVY if m in sys.modules)
        await bot.release_resources()
        return {{"cogs": sorted(bot.cogs), "loaded": loaded}}

    if __name__ == "__main__":  # the migrations' child process re-imports this script
        url = "sqlite+aiosqlite:///" + sys.argv[1]
        asyncio.run(upgrade_to_head(url))  # as `python -m bot run` does, before the bot starts
        print(json.dumps(asyncio.run(main(url))))
    """
).format(heavy=HEAVY)


def test_the_rare_libraries_are_not_imported_when_the_bot_is_ready(tmp_path: Path) -> None:
    outcome = last_json(tmp_path, SCRIPT, str(tmp_path / "bot.db"))
    assert len(outcome["cogs"]) >= 10  # every feature loaded (recap, watch, calendar, events…)
    assert outcome["loaded"] == []


CHILD_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    from datetime import UTC, datetime

    from bot.db import Database
    from bot.migrations import upgrade_to_head
    from bot.services.recap import year as recap
    from bot.ui import recap_files

    HEAVY = {heavy!r}

    async def main(url):
        db = Database(url)
        async with db.transaction() as session:
            year = await recap.year_recap(session, 7, 2026, now=datetime(2027, 1, 4, tzinfo=UTC))
        await db.dispose()
        files = await recap_files.render_in_child(year)
        return {{
            "files": [[name, data[:8].hex()] for name, data in files],
            "loaded": sorted(m for m in HEAVY if m in sys.modules),
        }}

    if __name__ == "__main__":
        url = "sqlite+aiosqlite:///" + sys.argv[1]
        asyncio.run(upgrade_to_head(url))
        print(json.dumps(asyncio.run(main(url))))
    """
).format(heavy=HEAVY)


def test_the_year_end_files_are_drawn_in_a_child_process(tmp_path: Path) -> None:
    """The charts and the spreadsheet come back from the child; the bot's process never
    imports matplotlib, numpy or openpyxl for them."""
    outcome = last_json(tmp_path, CHILD_SCRIPT, str(tmp_path / "bot.db"), name="year_end.py")
    names = [name for name, _ in outcome["files"]]
    assert names == ["promeneurs_par_annee.png", "bilan-2026.xlsx"]  # an empty year: one chart, the sheet
    signatures = [head for _, head in outcome["files"]]
    assert signatures[0] == b"\x89PNG\r\n\x1a\n".hex()  # a PNG
    assert signatures[1].startswith(b"PK\x03\x04".hex())  # an XLSX (a zip)
    assert outcome["loaded"] == []
