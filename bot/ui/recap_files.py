"""The year-end message's files (the charts and the spreadsheet), rendered in short-lived
child processes (issue 18).

matplotlib, numpy and openpyxl cost ~60 MB once imported, and a process never gives that
memory back: drawn in the bot's own process, a once-a-year message would keep its peak for
good. Here the jobs run in fresh interpreters (`spawn`: nothing of the bot's state is copied,
no fork of a process holding threads and sockets) that end with the message. The bot's
process only pickles the recap (and the few sheets it lays out: `recap_exports.lay_out`) and
receives the files' bytes.

A child imports this module and what it imports: the recap's data (`bot.services.recap.data`),
the charts and the spreadsheet's layout (`recap_charts`, `recap_exports`, `recap_text`) import
neither SQLAlchemy nor discord.py, so the child loads only matplotlib, openpyxl and the pure
helpers (`tests/test_recap_files.py`).
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from bot.services.recap.data import YearRecap
from bot.ui import recap_charts, recap_exports
from bot.ui.recap_exports import LaidOut

File = tuple[str, bytes]  # (filename, content)


def chart_files(recap: YearRecap) -> list[File]:
    """Every chart that has data, as PNG files (blocking; matplotlib)."""
    return [(chart.filename, chart.png) for chart in recap_charts.render_charts(recap)]


def spreadsheet_file(recap: YearRecap, laid_out: LaidOut | None = None) -> list[File]:
    """The recap's spreadsheet (blocking; openpyxl)."""
    return [(recap_exports.filename(recap.year, recap_exports.XLSX), recap_exports.to_xlsx(recap, laid_out))]


def render(recap: YearRecap, laid_out: LaidOut | None = None) -> list[File]:
    """The charts then the spreadsheet, in this process (blocking)."""
    return chart_files(recap) + spreadsheet_file(recap, laid_out)


async def render_in_child(recap: YearRecap) -> list[File]:
    """The charts then the spreadsheet, drawn in a child process started for this message
    and ended with it."""
    loop = asyncio.get_running_loop()
    laid_out = recap_exports.lay_out(recap)
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return await loop.run_in_executor(pool, render, recap, laid_out)
    finally:
        await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
