"""Benchmarks 4 and 5, each in a fresh Python process (cold imports from cached bytecode, as
after a first start in production; honest memory):

- startup: process start → migrations checked (`upgrade_to_head`, already current) → the
  real bot built and served by SimCord (setup_hook: cogs, command sync, scheduler) → ready
  (and the outbox catch-up done);
- rss: peak RSS of the bot process while it answers `/bilan annuel` (tables, charts and the
  spreadsheet) through SimCord on the national database (VmHWM of the child, which
  includes the bot, SimCord and the database driver in the same process).
"""

from __future__ import annotations

import asyncio
import compileall
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import DEFAULT_URL

GOAL_RSS_MB = 150.0  # peak (issue 18)
GOAL_READY_MB = 100.0
T0 = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]


def _status_mb(field: str) -> float:
    """A memory line of /proc/self/status, in MB. `VmHWM` is this process's own peak RSS
    (`ru_maxrss` of RUSAGE_SELF is inherited across fork/exec: a child started by a big
    parent reports the parent's peak), `VmRSS` its RSS now."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def _rss_mb() -> float:
    return _status_mb("VmHWM")


def _children_peak_mb() -> float:
    """The largest own peak (VmHWM) among this process's living children, in MB."""
    peak = 0.0
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children", encoding="ascii") as children:
                pids = children.read().split()
        except OSError:
            continue
        for pid in pids:
            try:
                with open(f"/proc/{pid}/status", encoding="ascii") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            peak = max(peak, int(line.split()[1]) / 1024)
            except OSError:
                continue
    return peak


async def _watch_children(peaks: list[float]) -> None:
    """Sample the children's peaks until cancelled (the year-end files' child process)."""
    while True:
        peaks.append(_children_peak_mb())
        await asyncio.sleep(0.02)


async def _startup(url: str) -> dict:
    from bench.world import make_bot, working_copy
    from bot.migrations import upgrade_to_head

    imported = time.perf_counter() - T0
    async with working_copy(url) as work:
        t0 = time.perf_counter()
        await upgrade_to_head(work)
        migrated = time.perf_counter() - t0
        import simcord

        bot = make_bot(work)
        t1 = time.perf_counter()
        async with simcord.run(bot, settle_timeout=300, check_errors=False):
            await bot.wait_until_ready()
            ready = time.perf_counter() - t1
            await asyncio.gather(*list(bot._background), return_exceptions=True)
            settled = time.perf_counter() - t1
            rss_ready = _status_mb("VmRSS")
            modules = sorted(
                m for m in ("numpy", "openpyxl", "matplotlib", "PIL", "icalendar", "feedparser") if m in sys.modules
            )
    return {
        "imports_s": imported,
        "migrations_check_s": migrated,
        "bot_ready_s": ready,
        "ready_and_caught_up_s": settled,
        "total_s": imported + migrated + settled,
        "rss_mb": rss_ready,
        "peak_rss_mb": _rss_mb(),
        "heavy_modules": modules,
    }


async def _rss(url: str) -> dict:
    import simcord

    from bench.world import build_world, make_bot, working_copy

    async with working_copy(url) as work:
        bot = make_bot(work)
        async with simcord.run(bot, settle_timeout=300, check_errors=False) as env:
            world = await build_world(env, bot, promeneurs=5)
            before = _status_mb("VmRSS")
            peaks: list[float] = [0.0]
            watcher = asyncio.create_task(_watch_children(peaks))
            t0 = time.perf_counter()
            result = await world.coordinator.slash(world.general, "bilan annuel")
            seconds = time.perf_counter() - t0
            watcher.cancel()
            files = sum(len(m.attachments) for m in result.followups) if hasattr(result, "followups") else None
    return {
        "rss_before_recap_mb": before,
        "peak_rss_mb": _rss_mb(),
        "child_peak_rss_mb": max(peaks),
        "recap_s": seconds,
        "attachments": files,
        "heavy_modules": sorted(m for m in ("numpy", "openpyxl", "matplotlib", "PIL") if m in sys.modules),
    }


def child(kind: str, url: str) -> None:
    fn = {"startup": _startup, "rss": _rss}[kind]
    print(json.dumps(asyncio.run(fn(url))))


def _with_bytecode() -> dict[str, str]:
    """The child's environment, with the project's bytecode cached as on a production machine
    (Python writes `__pycache__` at the first start). Without it (PYTHONDONTWRITEBYTECODE=1,
    as on this benchmark's machine) every start compiles the ~200 modules of bot/ and cogs/
    again: ~1.5 MB more at ready, and slower imports."""
    for package in ("bot", "cogs", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1)
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(kind: str, url: str = DEFAULT_URL) -> dict:
    """Run one measure in a fresh interpreter and return its JSON."""
    out = subprocess.run(
        [sys.executable, "-m", "bench", "_child", kind, "--url", url],
        capture_output=True,
        text=True,
        check=False,
        env=_with_bytecode(),
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise RuntimeError(f"bench child {kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(lines[-1])


def table(startup: dict | None, rss: dict | None) -> str:
    lines = []
    if startup:
        lines.append(
            f"start-up: {startup['total_s']:.2f} s to ready and caught up (imports {startup['imports_s']:.2f} s, "
            f"migrations check {startup['migrations_check_s']:.2f} s, bot ready {startup['bot_ready_s']:.2f} s, "
            f"+ outbox catch-up {startup['ready_and_caught_up_s'] - startup['bot_ready_s']:.2f} s); RSS at ready "
            f"{startup['rss_mb']:.0f} MB (goal < {GOAL_READY_MB:.0f} MB: {'ok' if startup['rss_mb'] < GOAL_READY_MB else 'MISS'}), "
            f"heavy modules loaded: {', '.join(startup.get('heavy_modules') or ()) or 'none'}"
        )
    if rss:
        verdict = "ok" if rss["peak_rss_mb"] < GOAL_RSS_MB else "MISS"
        lines.append(
            f"peak RSS during /bilan annuel: {rss['peak_rss_mb']:.0f} MB (before: {rss['rss_before_recap_mb']:.0f} MB; "
            f"recap {rss['recap_s']:.2f} s) goal < {GOAL_RSS_MB:.0f} MB: {verdict}; heavy modules loaded in the bot's "
            f"process: {', '.join(rss.get('heavy_modules') or ()) or 'none'}; the files' child process: own peak "
            f"{rss.get('child_peak_rss_mb', 0):.0f} MB (ended with the message)"
        )
    return "\n".join(lines)
