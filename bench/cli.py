"""`python -m bench <command>`: generate the national database, run one benchmark or all.

    python -m bench generate [--url URL] [--seed N]
    python -m bench commands [--url URL] [--iterations 200] [--only noop register ...]
    python -m bench recap    [--url URL] [--repeat 5]
    python -m bench burst    [--url URL] [--pg-url postgresql+asyncpg://...]
    python -m bench startup  [--url URL]
    python -m bench rss      [--url URL]
    python -m bench all      [--url URL] [--pg-url URL] [--iterations 200]
    python -m bench growth   [--scales 0.25 1 4] [--iterations 60]   (the growth table + PNG)
    python -m bench guilds   [--guilds 100]                          (many servers, one process)
    python -m bench reminders [--seconds 150] [--down 5]   (real clock; its own database)

`--scale S` (every command) works on the network S times the national one (its own file,
bench/data/national-xS.db, generated when missing).

`all` generates the database when it is missing (SQLite), then runs everything and prints
one table per benchmark. `--pg-url` (a database the generator may fill) adds the burst on
PostgreSQL (it is generated there first when empty).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import time
from pathlib import Path

from bench.generate import DEFAULT_URL


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="National-scale benchmarks")
    parser.add_argument(
        "command",
        choices=(
            "generate",
            "commands",
            "recap",
            "burst",
            "startup",
            "rss",
            "all",
            "growth",
            "guilds",
            "reminders",
            "_child",
        ),
    )
    parser.add_argument("kind", nargs="?")
    parser.add_argument("--url", default=None, help=f"default: {DEFAULT_URL} (or its --scale sibling)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--scales", type=float, nargs="*", default=[0.25, 1.0, 4.0])
    parser.add_argument("--json", default=None, help="commands: also write the rows to this JSON file")
    parser.add_argument("--guilds", type=int, default=100)
    parser.add_argument("--replot", action="store_true", help="growth: redraw from bench/growth.json")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL"))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--seconds", type=int, default=150)
    parser.add_argument("--down", type=int, default=5)
    return parser


def _header(url: str) -> str:
    return (
        f"# {time.strftime('%Y-%m-%d %H:%M %Z')} · {platform.python_implementation()} {platform.python_version()} · "
        f"{os.cpu_count()} cores · {url}"
    )


async def _ensure(url: str, scale: float = 1.0) -> None:
    from bench import generate

    if url.startswith("sqlite") and await asyncio.to_thread(Path(url.split(":///", 1)[1]).exists):
        return
    if not url.startswith("sqlite"):
        from sqlalchemy import inspect

        from bot.db.session import make_engine

        engine = make_engine(url)
        try:
            async with engine.connect() as conn:
                has = await conn.run_sync(lambda c: inspect(c).has_table("activities"))
        finally:
            await engine.dispose()
        if has:
            return
    await generate.generate(url, scale=scale)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.url is None:
        from bench.generate import url_for_scale

        args.url = url_for_scale(args.scale)
    if args.command == "_child":
        from bench import process

        process.child(args.kind, args.url)
        return 0
    if args.command == "generate":
        from bench import generate

        asyncio.run(
            generate.generate(args.url, scale=args.scale, **({"seed": args.seed} if args.seed is not None else {}))
        )
        return 0
    if args.command == "growth":
        from bench import growth

        print(growth.run(args.scales, iterations=args.iterations, only=args.only, replot=args.replot))
        return 0
    if args.command == "guilds":
        from bench import guilds

        print(guilds.table(asyncio.run(guilds.run(guilds=args.guilds))))
        return 0

    if args.command == "reminders":
        from bench import reminders

        print(_header("reminders (own SQLite file)"))
        print(reminders.table(asyncio.run(reminders.run(args.seconds, args.down))))
        return 0
    print(_header(args.url))
    wanted = ("commands", "recap", "burst", "startup", "rss") if args.command == "all" else (args.command,)
    asyncio.run(_ensure(args.url, args.scale))
    for name in wanted:
        t0 = time.perf_counter()
        print(f"\n## {name}")
        if name == "commands":
            from bench import commands

            rows = asyncio.run(commands.run(args.url, iterations=args.iterations, only=args.only, verbose=args.verbose))
            print(commands.table(rows))
            if args.json:
                commands.dump(rows, args.json, scale=args.scale)
        elif name == "recap":
            from bench import recap

            print(recap.table(asyncio.run(recap.run(args.url, repeat=args.repeat, verbose=args.verbose))))
        elif name == "burst":
            from bench import burst

            results = [asyncio.run(burst.run(args.url))]
            if args.pg_url:
                asyncio.run(_ensure(args.pg_url))
                results.append(asyncio.run(burst.run(args.pg_url)))
            print(burst.table(results))
        elif name == "startup":
            from bench import process

            print(process.table(process.run("startup", args.url), None))
        elif name == "rss":
            from bench import process

            print(process.table(None, process.run("rss", args.url)))
        print(f"({name}: {time.perf_counter() - t0:.0f} s)")
    return 0
