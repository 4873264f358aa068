"""Drafts of the event creation form (`/evenement creer`): what the coordinator typed in the
form and chose in the selects since, kept in the database so that the selects, « Créer » and
« Corriger » still work after a restart. A draft belongs to its author; it is deleted when
the event is created, and after `DRAFT_DAYS` days otherwise (the series job purges them)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.events import EventFormDraft
from bot.errors import NotFoundError
from bot.services.guilds import ensure_guild

DRAFT_DAYS = 7
# The keys a draft holds: the form's five texts, then the choices made after it.
TEXT_KEYS = ("title", "description", "start", "end", "where")
CHOICE_KEYS = ("type", "format", "territory", "audience", "capacity", "deadline", "reminders", "waitlist")
ERR_DRAFT_GONE = (
    "Ce brouillon d'événement n'existe plus (créé, ou abandonné depuis plus de 7 jours). Relancez /evenement creer."
)


async def create_draft(
    session: AsyncSession, guild_id: int, author_id: int, values: dict[str, Any], *, now: datetime
) -> int:
    await ensure_guild(session, guild_id)
    draft = EventFormDraft(guild_id=guild_id, author_id=author_id, payload=json.dumps(values), created_at=now)
    session.add(draft)
    await session.flush()
    return draft.id


async def _row(session: AsyncSession, guild_id: int, draft_id: int, author_id: int) -> EventFormDraft:
    draft = await session.scalar(
        select(EventFormDraft).where(
            EventFormDraft.id == draft_id, EventFormDraft.guild_id == guild_id, EventFormDraft.author_id == author_id
        )
    )
    if draft is None:
        raise NotFoundError(ERR_DRAFT_GONE)
    return draft


async def get_draft(session: AsyncSession, guild_id: int, draft_id: int, author_id: int) -> dict[str, Any]:
    """The draft's values (only its author sees it: anyone else is told it does not exist)."""
    return json.loads((await _row(session, guild_id, draft_id, author_id)).payload)


async def update_draft(
    session: AsyncSession, guild_id: int, draft_id: int, author_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    row = await _row(session, guild_id, draft_id, author_id)
    values = {**json.loads(row.payload), **changes}
    row.payload = json.dumps(values)
    await session.flush()
    return values


async def delete_draft(session: AsyncSession, guild_id: int, draft_id: int, author_id: int) -> None:
    await session.delete(await _row(session, guild_id, draft_id, author_id))
    await session.flush()


async def purge_drafts(session: AsyncSession, *, now: datetime) -> int:
    result = await session.execute(
        delete(EventFormDraft).where(EventFormDraft.created_at < now - timedelta(days=DRAFT_DAYS))
    )
    return cast("CursorResult[Any]", result).rowcount or 0
