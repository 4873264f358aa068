"""Command line: `python -m bot [run|migrate|check|backup PATH]` (also `promeneurs-bot`).

The libraries (discord.py, pydantic, SQLAlchemy, the bot's settings and migrations) are
imported by the functions that use them: a `spawn` child process (the migrations, the
year-end files) started from the `promeneurs-bot` console script re-runs that script, and so
imports this module, before its job; with the imports here it paid ~0.5 s and ~40 MB for them
(`python -m bot` is not re-run: multiprocessing skips a package's `__main__`).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("bot")

EXIT_CONFIG = 2
ENV_FILE = Path(".env")


class ConfigError(Exception):
    """A setting is missing or invalid: one line for the user, exit status 2."""


def check_env_file(path: Path = ENV_FILE) -> None:
    """A misspelt setting in `.env` (DATABSE_URL) is refused: ignored, the bot would quietly
    use the default instead. Other unknown names only get a warning (a `.env` may also
    serve other tools, such as docker compose)."""
    from bot.config import unknown_env_file_keys

    for key, close in unknown_env_file_keys(path):
        if close is not None:
            raise ConfigError(f"Unknown setting {key} in {path}: did you mean {close}?")
        print(f"Warning: {path} sets {key}, which is not a setting of the bot (ignored).", file=sys.stderr)


def load_settings() -> Settings:
    import pydantic

    from bot.config import Settings

    check_env_file()
    try:
        return Settings()  # type: ignore[call-arg]  # pydantic-settings reads the required fields from the environment
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]).upper() if first.get("loc") else "?"
        if first.get("type") == "missing":
            raise ConfigError(f"Missing setting {name}: add it to .env (see .env.example).") from None
        raise ConfigError(f"Invalid setting {name}: {first['msg']}.") from None


def _where(settings: Settings) -> str:
    path = settings.sqlite_path()
    return str(path) if path is not None else settings.database_url.split("@")[-1]


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return getattr(original, "strerror", None) or str(original).splitlines()[0]


def check_driver(settings: Settings) -> None:
    if settings.is_sqlite:
        return
    try:
        import asyncpg  # noqa: F401  (only checks that the driver is installed)
    except ImportError:
        raise ConfigError(
            "DATABASE_URL is a PostgreSQL address but its driver (asyncpg) is not installed: "
            "pip install -e '.[postgres]'."
        ) from None


def make_data_folder(settings: Settings) -> None:
    path = settings.sqlite_path()
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(
            f"Cannot create the data folder {path.parent} ({_reason(error)}): check its "
            "permissions, or set DATABASE_URL to a writable place."
        ) from None


async def check_opens(settings: Settings) -> None:
    """Open the database in this event loop first: a failure in Alembic's own loop leaves
    aiosqlite's thread answering a closed loop (noise on stderr)."""
    from sqlalchemy import exc as sa_exc
    from sqlalchemy import text

    from bot.db.session import make_engine

    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (sa_exc.DBAPIError, OSError) as error:
        raise ConfigError(
            f"Cannot open the database {_where(settings)} ({_reason(error)}): check that it "
            "is reachable and that its file and folder are writable."
        ) from None
    finally:
        await engine.dispose()


def quiet_closed_loop_threads(args: threading.ExceptHookArgs) -> None:
    """aiosqlite's worker thread may still answer a connection whose event loop has ended
    (after an error): "Event loop is closed". Logged at debug level, not printed as a
    traceback; any other thread error is shown as usual."""
    if (
        args.exc_type is RuntimeError
        and str(args.exc_value) == "Event loop is closed"
        and args.thread is not None
        and "_connection_worker_thread" in args.thread.name
    ):
        log.debug("aiosqlite thread finished after its event loop", exc_info=args.exc_value)
        return
    sys.__excepthook__(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)


async def check_writable(settings: Settings) -> None:
    """A real write, rolled back: a read-only file (or folder) is found at start, not at the
    first click."""
    from sqlalchemy import exc as sa_exc
    from sqlalchemy import text

    from bot.db.session import make_engine

    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
            await connection.rollback()
    except (sa_exc.DBAPIError, OSError) as error:
        raise ConfigError(
            f"Cannot write to the database {_where(settings)} ({_reason(error)}): check the "
            "permissions of the file and of its folder."
        ) from None
    finally:
        await engine.dispose()


async def migrate_database(settings: Settings) -> str | None:
    """Apply the migrations, with the operator's faults (driver, folder, permissions) told in
    one line."""
    from sqlalchemy import exc as sa_exc

    from bot.migrations import upgrade_to_head

    check_driver(settings)
    make_data_folder(settings)
    await check_opens(settings)
    try:
        revision = await upgrade_to_head(settings.database_url)
    except (sa_exc.DBAPIError, OSError) as error:
        raise ConfigError(
            f"Cannot open the database {_where(settings)} ({_reason(error)}): check that it "
            "is reachable and that its file and folder are writable."
        ) from None
    await check_writable(settings)
    return revision


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
    )
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


async def run(settings: Settings) -> int:
    import discord

    from bot.app import StartupError, create_bot, on_stop_signals

    if settings.token_is_placeholder:
        raise ConfigError(
            "DISCORD_TOKEN is still the placeholder of .env.example: paste your bot token "
            "(Discord developer portal > your application > Bot > Reset Token)."
        )
    log.info("Database migrated (%s)", await migrate_database(settings))
    bot = create_bot(settings, freeze_heap=True)
    on_stop_signals(bot.request_stop)
    try:
        async with bot:
            try:
                await bot.start(settings.discord_token.get_secret_value())
            finally:
                await bot.close()  # after a stop signal: wait until the closing is complete
    except StartupError as error:
        raise ConfigError(str(error)) from None
    except discord.HTTPException as error:  # 5xx at login (the command sync has its retries)
        if error.status < 500:
            raise
        raise ConfigError(
            f"Discord is unavailable (HTTP {error.status}) at login; try again in a few minutes."
        ) from None
    except discord.LoginFailure:
        raise ConfigError(
            "Discord refused DISCORD_TOKEN (invalid or reset token): copy a new one from the "
            "developer portal into .env."
        ) from None
    except (OSError, discord.GatewayNotFound) as error:
        log.error("Cannot reach Discord: %s", error)
        print(f"Error: cannot reach Discord ({error}); check the network, then retry.", file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        raise ConfigError(
            "Discord refused a privileged intent this bot does not request: check the bot's "
            "settings in the developer portal."
        ) from None
    return 0


async def migrate(settings: Settings) -> int:
    revision = await migrate_database(settings)
    print(f"Database is at the latest migration ({revision}).")
    return 0


async def check(settings: Settings) -> int:
    print("Settings: ok")
    if settings.token_is_placeholder:
        print("DISCORD_TOKEN: still the placeholder; set your bot token before `run`.")
    else:
        print("DISCORD_TOKEN: set (not verified: check does not contact Discord).")
    from sqlalchemy import text

    from bot.db.session import make_engine
    from bot.migrations import current_revision, head_revision

    check_driver(settings)
    make_data_folder(settings)
    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        raise ConfigError(f"Cannot open the database {_where(settings)} ({_reason(error)}).") from None
    finally:
        await engine.dispose()
    where = settings.sqlite_path() or settings.database_url.split("@")[-1]
    print(f"Database: ok ({where})")
    current, head = await current_revision(settings.database_url), head_revision(settings.database_url)
    if current is not None:
        await check_writable(settings)
    if current == head:
        print(f"Migrations: current ({head}).")
    elif current is None:
        print(f"Migrations: not applied yet (latest is {head}); `run` or `migrate` applies them.")
    else:
        print(f"Migrations: behind (database at {current}, latest {head}); `run` or `migrate` applies them.")
    return 0


def backup(settings: Settings, target: Path) -> int:
    source = settings.sqlite_path()
    if not settings.is_sqlite:
        print(
            "The database is PostgreSQL: back it up with pg_dump, for example\n"
            '  pg_dump --format=custom --file=promeneurs.dump "$DATABASE_URL_WITHOUT_+asyncpg"\n'
            "and restore with pg_restore. This command only copies SQLite files."
        )
        return 1
    if source is None or not source.exists():
        raise ConfigError(f"No SQLite database at {source}: nothing to back up yet.")
    target.parent.mkdir(parents=True, exist_ok=True)
    # SQLite's online backup API: a consistent copy even while the bot is writing.
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()
    print(f"Backup written to {target} ({target.stat().st_size:,} bytes).")
    return 0


def demo(args: argparse.Namespace) -> int:
    """The demo needs no token and never reads DATABASE_URL: its own SQLite file."""
    configure_logging("WARNING")
    try:
        from bot.demo.serve import DemoAlreadyRunningError, run_demo
    except ImportError as error:
        print(f"Error: the demo needs the preview extra ({error}): pip install -e '.[preview]'", file=sys.stderr)
        return EXIT_CONFIG
    try:
        return asyncio.run(run_demo(port=args.port, reset=args.reset))
    except KeyboardInterrupt:
        return 0
    except DemoAlreadyRunningError as error:
        print(
            f"Error: a demo is already running from this folder ({error} is locked): use its page, or stop it first.",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except OSError as error:
        print(f"Error: {error} (is port {args.port} or {args.port + 1} already in use? try --port)", file=sys.stderr)
        return 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Promeneurs du Net Discord bot")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="apply migrations, then connect to Discord (default)")
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("check", help="validate settings and the database; needs no Discord")
    b = sub.add_parser("backup", help="consistent copy of the SQLite database, even while running")
    b.add_argument("path", type=Path)
    d = sub.add_parser("demo", help="try the bot without Discord, in a local page (demo data)")
    d.add_argument("--port", type=int, default=8765, help="local port of the demo page (default 8765)")
    d.add_argument("--reset", action="store_true", help="rebuild the demo data (it is rebuilt at every start)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    threading.excepthook = quiet_closed_loop_threads
    command = args.command or "run"
    if command == "demo":
        return demo(args)
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        if command == "run":
            return asyncio.run(run(settings))
        if command == "migrate":
            return asyncio.run(migrate(settings))
        if command == "check":
            return asyncio.run(check(settings))
        return backup(settings, args.path)
    except ConfigError as error:
        print(f"Error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
