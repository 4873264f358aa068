"""The year-end message's files (the charts and the spreadsheet), rendered in short-lived
child processes (issue 18).

matplotlib, numpy and openpyxl cost ~60 MB once imported, and a process never gives that
memory back: drawn in the bot's own process, a once-a-year message would keep its peak for
good. Here the jobs run in fresh interpreters (`spawn`: nothing of the bot's state is copied,
no fork of a process holding threads and sockets) that end with the message. The bot's
process only pickles the recap and receives the files' bytes.

A spawned child imports this module, then what its job needs, on first use: the recap's data
(`bot.services.recap.data`) imports neither SQLAlchemy nor discord.py, so the charts' child
loads only matplotlib and the pure helpers; the spreadsheet's child imports
`bot.ui.recap_exports` (its tables' labels live beside the database models).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from bot.services.recap.data import YearRecap

File = tuple[str, bytes]  # (filename, content)


def chart_files(recap: YearRecap) -> list[File]:
    """Every chart that has data, as PNG files (blocking; matplotlib)."""
    from bot.ui import recap_charts

    return [(chart.filename, chart.png) for chart in recap_charts.render_charts(recap)]


def spreadsheet_file(recap: YearRecap) -> list[File]:
    """The recap's spreadsheet (blocking; openpyxl)."""
    from bot.ui import recap_exports

    return [(recap_exports.filename(recap.year, recap_exports.XLSX), recap_exports.to_xlsx(recap))]


def render(recap: YearRecap) -> list[File]:
    """The charts then the spreadsheet, in this process (blocking)."""
    return chart_files(recap) + spreadsheet_file(recap)


async def render_in_child(recap: YearRecap) -> list[File]:
    """The charts then the spreadsheet, drawn in a child process started for this message
    and ended with it."""
    loop = asyncio.get_running_loop()
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await loop.run_in_executor(pool, render, recap)
    finally:
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
