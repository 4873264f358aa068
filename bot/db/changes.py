"""Which tables this process has written to: a counter per table, bumped by every unit of
work that changes it, for caches of figures that cost a scan (the directory's total).

A cache keeps the counters of the tables it read with its value; a value whose counters
moved is stale. Every write the bot makes goes through a `Session` (`Database.transaction`):
ORM changes are seen at flush, Core INSERT/UPDATE/DELETE and textual statements when
executed (a textual statement counts as a write to every table). Writes by another process
are not seen: the bot is the database's only writer (the CLI's maintenance commands run
with the bot stopped).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from itertools import chain
from typing import Any, Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import TextClause

EVERYTHING = "*"
_counters: dict[str, int] = {}

V = TypeVar("V")


def bump(table: str) -> None:
    _counters[table] = _counters.get(table, 0) + 1


def version(*tables: str) -> tuple[int, ...]:
    """The counters of `tables` (and of "every table"), to keep with a cached value."""
    return (_counters.get(EVERYTHING, 0), *(_counters.get(t, 0) for t in tables))


_WRITTEN = "pdn_written_tables"


def _written(session: Session, table: str) -> None:
    """Bumped when written, and again when the transaction ends: a value computed by a
    reader meanwhile (from the state before the commit) is never taken as current."""
    bump(table)
    session.info.setdefault(_WRITTEN, set()).add(table)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table:
            _written(session, table)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        if not statement.text.lstrip().lower().startswith(("select", "pragma", "explain")):
            _written(state.session, EVERYTHING)
        return
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        _written(state.session, getattr(table, "name", None) or EVERYTHING)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _ended(session: Session) -> None:
    for table in session.info.pop(_WRITTEN, ()):
        bump(table)


class VersionedCache(Generic[V]):
    """A small LRU of values, each valid while the counters of its tables stay the same."""

    def __init__(self, tables: tuple[str, ...], size: int = 256) -> None:
        self.tables, self.size = tables, size
        self._values: OrderedDict[Hashable, tuple[tuple[int, ...], V]] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        found = self._values.get(key)
        if found is None or found[0] != version(*self.tables):
            return None
        self._values.move_to_end(key)
        return found[1]

    def put(self, key: Hashable, value: V, seen: tuple[int, ...]) -> None:
        """Keep `value`, computed when the counters were `seen` (read before computing:
        a write committed meanwhile makes it stale at once)."""
        self._values[key] = (seen, value)
        self._values.move_to_end(key)
        while len(self._values) > self.size:
            self._values.popitem(last=False)
