"""Engine, sessions and the unit of work.

`Database.transaction()` is the unit of work: one transaction per user action, committed at
the end of the block or rolled back on any error, so nothing is ever half written.

`Database.transaction(lock=True)` is for work that reads then writes (the last seat, a
claim, the next number). A service function that needs it says so with `@requires_lock`,
which refuses (a programming error, caught by the tests) to run in an unlocked unit of work:
the convention is enforced by code, not by docstrings. On SQLite it starts with `BEGIN IMMEDIATE`, which takes the write
lock up front, so concurrent units of work run one after the other instead of both reading
the old state (SQLAlchemy's documented pysqlite recipe). On PostgreSQL the service locks the
rows it reads with `SELECT ... FOR UPDATE` (`.with_for_update()`, a no-op on SQLite).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.db.base import CLOCK_OPTION

log = logging.getLogger(__name__)

_IMMEDIATE = "pdn_sqlite_immediate"
# session.info key: the unit of work was opened with transaction(lock=True).
LOCKED = "pdn_locked"

P = ParamSpec("P")
R = TypeVar("R")


class UnlockedUnitOfWork(RuntimeError):
    """A read-then-write service function was called outside `transaction(lock=True)`."""


def requires_lock(
    fn: Callable[Concatenate[AsyncSession, P], Awaitable[R]],
) -> Callable[Concatenate[AsyncSession, P], Awaitable[R]]:
    """Marks a service function that reads then writes (its first argument is the session):
    it runs only inside `Database.transaction(lock=True)` (BEGIN IMMEDIATE on SQLite; the
    function itself takes its rows `FOR UPDATE` on PostgreSQL)."""

    @functools.wraps(fn)
    async def checked(session: AsyncSession, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if not session.info.get(LOCKED):
            raise UnlockedUnitOfWork(
                f"{fn.__module__}.{fn.__qualname__} reads then writes: call it inside Database.transaction(lock=True)"
            )
        return await fn(session, *args, **kwargs)

    return checked


def make_engine(
    url: str, *, sqlite_synchronous: str = "NORMAL", foreign_keys: bool = True, echo: bool = False
) -> AsyncEngine:
    """An engine for `url`; on SQLite: WAL, foreign keys, busy timeout, explicit BEGIN."""
    if not url.startswith("sqlite"):
        return create_async_engine(url, echo=echo, pool_pre_ping=True)

    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={sqlite_synchronous}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """Owns the engine and the session factories. Built in `setup_hook`, disposed in `close`."""

    def __init__(
        self,
        url: str,
        *,
        sqlite_synchronous: str = "NORMAL",
        echo: bool = False,
        now: Callable[[], datetime] | None = None,
    ):
        """`now`: the business clock the time columns' defaults read (the bot's `now`)."""
        self.url = url
        self.engine = make_engine(url, sqlite_synchronous=sqlite_synchronous, echo=echo)
        self.is_sqlite = url.startswith("sqlite")
        clocked = self.engine.execution_options(**{CLOCK_OPTION: now}) if now else self.engine
        self._sessions = async_sessionmaker(clocked, expire_on_commit=False)
        self._locking_sessions = async_sessionmaker(
            clocked.execution_options(**{_IMMEDIATE: True}), expire_on_commit=False
        )

    @asynccontextmanager
    async def transaction(self, *, lock: bool = False) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit on success, roll back on any exception."""
        maker = self._locking_sessions if lock else self._sessions
        async with maker() as session, session.begin():
            session.info[LOCKED] = lock
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


async def insert_ignore(session: AsyncSession, model: type, values: dict[str, Any], keys: Iterable[str]) -> None:
    """INSERT a row unless one with the same `keys` exists (portable on SQLite/PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        await session.execute(
            postgresql.insert(model).values(**values).on_conflict_do_nothing(index_elements=list(keys))
        )
    else:
        await session.execute(sqlite.insert(model).values(**values).on_conflict_do_nothing(index_elements=list(keys)))
