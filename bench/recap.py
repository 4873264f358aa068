"""Benchmark 2: the year-end recap and the monthly summary on the national database, in
process (the service and the rendering the /bilan cog runs), against "the floor": the same
headline figures computed by one hand-written SQL query per figure.

- tables: `recap.year.year_recap` (every territory + all, the evolution over every year) and the
  embeds (`recap_tables.year_embeds` + `pack`); goal < 0.5 s;
- with charts: + the charts, goal < 2 s; and + the XLSX the /bilan annuel message also attaches;
- one territory: `recap.year.computed_year` for the year restricted to one territory's scope
  (the recap always computes every scope at once: this is its per-year core);
- month: `recap.month.month_summary` + `recap_tables.month_embed`.
"""

from __future__ import annotations

import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal, or_, select

from bench.generate import DEFAULT_URL, GUILD_ID, NOW, RECAP_YEAR
from bot.db import Database
from bot.db.models import Member, MemberPeriod
from bot.db.models.activity import COORDINATION, PRESENTATION, Activity, SurveyAnswer, SurveyAnswerNetwork
from bot.db.models.events import Event, EventRegistration
from bot.db.models.requests import AccompanimentRequest

GOAL_TABLES_S = 0.5
GOAL_CHARTS_S = 2.0
GOAL_MESSAGE_S = 1.5  # the whole year-end message (tables, charts, spreadsheet), at 1×
GOAL_FLOOR_RATIO = 2.0  # the recap (five years of evolution) against the five-year floor


def _floor_queries(year: int) -> list[tuple[str, Any]]:
    """One hand-written query per figure of a year, grouped by territory like the recap."""
    from bot.services.periods import Window

    w = Window.year(year)
    g = GUILD_ID
    end_day = case((and_(Member.left_on.is_not(None), Member.left_on < w.last), Member.left_on), else_=literal(w.last))
    members_of = (
        Member.guild_id == g,
        Member.joined_on <= w.last,
        or_(Member.left_on.is_(None), Member.left_on >= w.first),
        MemberPeriod.valid_from <= end_day,
        or_(MemberPeriod.valid_to.is_(None), MemberPeriod.valid_to > end_day),
    )
    joined = select().select_from(Member).join(MemberPeriod, MemberPeriod.member_id == Member.id)
    one = literal(1)
    return [
        (
            "promeneurs by territory/strand",
            joined.add_columns(MemberPeriod.territory_code, MemberPeriod.strand, func.count())
            .where(*members_of)
            .group_by(MemberPeriod.territory_code, MemberPeriod.strand),
        ),
        (
            "distinct structure types/professions",
            joined.add_columns(
                MemberPeriod.territory_code,
                func.count(distinct(Member.structure_type)),
                func.count(distinct(Member.profession)),
            )
            .where(*members_of)
            .group_by(MemberPeriod.territory_code),
        ),
        (
            "arrivals/departures",
            select(
                func.sum(case((and_(Member.joined_on >= w.first, Member.joined_on <= w.last), one), else_=0)),
                func.sum(case((and_(Member.left_on >= w.first, Member.left_on <= w.last), one), else_=0)),
            ).where(Member.guild_id == g),
        ),
        (
            "presentations + coordination hours",
            select(Activity.territory_code, Activity.kind, func.sum(Activity.quantity))
            .where(
                Activity.guild_id == g,
                Activity.kind.in_((PRESENTATION, COORDINATION)),
                Activity.occurred_on >= w.first,
                Activity.occurred_on <= w.last,
            )
            .group_by(Activity.territory_code, Activity.kind),
        ),
        (
            "sessions",
            select(
                Event.territory_code,
                Event.format,
                func.count(),
                func.sum(Event.duration_days),
                func.sum(Event.capacity),
            )
            .where(
                Event.guild_id == g, Event.cancelled_at.is_(None), Event.starts_at >= w.start, Event.starts_at < w.end
            )
            .group_by(Event.territory_code, Event.format),
        ),
        (
            "attendance",
            select(
                Event.territory_code,
                func.sum(case((EventRegistration.attended.is_(True), one), else_=0)),
                func.sum(case((EventRegistration.status == "registered", one), else_=0)),
                func.count(distinct(case((EventRegistration.attended.is_(True), EventRegistration.member_id)))),
            )
            .select_from(Event)
            .join(EventRegistration, EventRegistration.event_id == Event.id)
            .where(
                Event.guild_id == g, Event.cancelled_at.is_(None), Event.starts_at >= w.start, Event.starts_at < w.end
            )
            .group_by(Event.territory_code),
        ),
        (
            "accompaniments",
            select(AccompanimentRequest.territory_code, AccompanimentRequest.kind, func.count())
            .where(
                AccompanimentRequest.guild_id == g,
                AccompanimentRequest.status == "done",
                AccompanimentRequest.closed_at >= w.start,
                AccompanimentRequest.closed_at < w.end,
            )
            .group_by(AccompanimentRequest.territory_code, AccompanimentRequest.kind),
        ),
        (
            "survey answers (last campaign)",
            select(SurveyAnswer.audience, SurveyAnswer.weekly_hours, func.count())
            .where(
                SurveyAnswer.guild_id == g,
                SurveyAnswer.campaign_id == select(func.max(SurveyAnswer.campaign_id)).scalar_subquery(),
            )
            .group_by(SurveyAnswer.audience, SurveyAnswer.weekly_hours),
        ),
        (
            "survey networks",
            select(SurveyAnswerNetwork.network, func.count())
            .where(SurveyAnswerNetwork.guild_id == g)
            .group_by(SurveyAnswerNetwork.network),
        ),
    ]


# The year-end message's child process, step by step: a fresh interpreter (as `spawn` starts)
# that imports what the child imports, unpickles the recap and draws; seconds of each step.
STEPS_SCRIPT = textwrap.dedent(
    """
    import json, pickle, sys, time
    t0 = time.perf_counter()
    from bot.ui import recap_files
    t1 = time.perf_counter()
    recap, laid_out = pickle.loads(open(sys.argv[1], "rb").read())
    t2 = time.perf_counter()
    from bot.ui import recap_charts
    recap_charts.load_matplotlib()
    t3 = time.perf_counter()
    recap_files.chart_files(recap)
    t4 = time.perf_counter()
    import openpyxl
    t5 = time.perf_counter()
    recap_files.spreadsheet_file(recap, laid_out)
    t6 = time.perf_counter()
    steps = {"imports": t1 - t0, "unpickle": t2 - t1, "matplotlib": t3 - t2, "charts": t4 - t3,
             "openpyxl": t5 - t4, "spreadsheet": t6 - t5}
    heavy = ("sqlalchemy", "discord", "aiohttp", "pydantic")
    print(json.dumps({"steps": steps, "loaded": [m for m in heavy if m in sys.modules]}))
    """
)


def message_steps(recap: Any) -> dict[str, Any]:
    """The child's steps for this recap, timed in a fresh interpreter (`-v`)."""
    from bot.ui import recap_exports

    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as folder:
        payload = Path(folder) / "recap.pickle"
        payload.write_bytes(pickle.dumps((recap, recap_exports.lay_out(recap))))
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", STEPS_SCRIPT, str(payload)],
            env={**os.environ, "PYTHONPATH": str(root)},
            capture_output=True,
            text=True,
            check=True,
        )
        total = time.perf_counter() - t0
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    result["process"] = total
    return result


async def _timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = await fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


async def run(
    url: str = DEFAULT_URL, *, repeat: int = 5, year: int = RECAP_YEAR, verbose: bool = False
) -> list[tuple[str, float, float | None]]:
    """[(name, median seconds, goal seconds or None)]."""
    from bot.services.recap import month as recap_month
    from bot.services.recap import year as recap_year
    from bot.ui import recap_charts, recap_files, recap_tables

    db = Database(url)
    rows: list[tuple[str, float, float | None]] = []
    try:

        async def tables() -> Any:
            async with db.transaction() as session:
                recap = await recap_year.year_recap(session, GUILD_ID, year, now=NOW)
            recap_tables.pack(recap_tables.year_embeds(recap))
            return recap

        async def with_charts() -> Any:
            recap = await tables()
            return recap_charts.render_charts(recap)

        async def with_charts_and_xlsx() -> Any:
            recap = await tables()
            return await recap_files.render_in_child(recap)

        async def one_territory() -> Any:
            async with db.transaction() as session:
                return await recap_year.computed_year(session, GUILD_ID, year, ["63"])

        async def month() -> Any:
            async with db.transaction() as session:
                summary = await recap_month.month_summary(session, GUILD_ID, year, 12)
            return recap_tables.month_embed(summary)

        years = list(range(2022, year + 1))

        async def floor_year(y: int = year) -> Any:
            async with db.transaction() as session:
                return [(await session.execute(q)).all() for _, q in _floor_queries(y)]

        async def floor_all_years() -> Any:
            return [await floor_year(y) for y in years]

        await tables()  # warm-up (imports, caches)
        for name, fn, goal in (
            (f"year recap {year}, tables (all territories)", tables, GOAL_TABLES_S),
            (f"year recap {year}, tables + charts", with_charts, GOAL_CHARTS_S),
            (f"year recap {year}, + charts + xlsx (the message)", with_charts_and_xlsx, GOAL_MESSAGE_S),
            (f"year {year}, one territory (63)", one_territory, GOAL_TABLES_S),
            (f"month summary {year}-12", month, GOAL_TABLES_S),
            (f"floor: 1 query per figure, {year}", floor_year, None),
            (f"floor: 1 query per figure, {years[0]}-{year}", floor_all_years, None),
        ):
            seconds, _ = await _timed(fn, repeat if "charts" not in name else max(2, repeat // 2))
            rows.append((name, seconds, goal))
            if verbose:
                print(f"  {name}: {seconds * 1000:.0f} ms")
        if verbose:
            steps = message_steps(await tables())
            print(
                "    the message's child, step by step (fresh interpreter): "
                + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in steps["steps"].items())
                + f"; the whole process {steps['process'] * 1000:.0f} ms; "
                + f"database layer or discord.py loaded: {', '.join(steps['loaded']) or 'none'}"
            )
            async with db.transaction() as session:
                for label, q in _floor_queries(year):
                    t0 = time.perf_counter()
                    await session.execute(q)
                    print(f"    floor {label}: {(time.perf_counter() - t0) * 1000:.1f} ms")
    finally:
        await db.dispose()
    return rows


def table(rows: list[tuple[str, float, float | None]]) -> str:
    """The recap's tables cover five years (the evolution table): they are judged against
    the five-year floor (the one-year floor is shown for reference)."""
    floor5 = next((sec for name, sec, _ in rows if name.startswith("floor") and "-" in name.rsplit(" ", 1)[-1]), None)
    lines = [f"{'recap':<48} {'median':>10} {'goal':>8} {'':>5} {'×floor(5 y)':>12}", "-" * 90]
    for name, seconds, goal in rows:
        verdict = "" if goal is None else ("ok" if seconds < goal else "MISS")
        ratio = ""
        if floor5 and "tables (all territories)" in name:
            times = seconds / floor5
            ratio = f"{times:.2f}× {'ok' if times <= GOAL_FLOOR_RATIO else 'MISS'}"
        lines.append(
            f"{name:<48} {seconds * 1000:>8.0f} ms {f'< {goal:.1f} s' if goal else '':>8} {verdict:>5} {ratio:>12}"
        )
    return "\n".join(lines)
