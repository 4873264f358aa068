"""The requests settings of a server: after how many days an unclaimed request is nudged."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.requests import (
    RequestSettings,
)
from bot.db.session import requires_lock
from bot.errors import ValidationError
from bot.services.guilds import ensure_guild

DEFAULT_NUDGE_DAYS = 3
ERR_NUDGE_DAYS = "Le délai de relance doit être compris entre 1 et 30 jours."


async def nudge_after_days(session: AsyncSession, guild_id: int) -> int:
    row = await session.get(RequestSettings, guild_id)
    return row.nudge_after_days if row else DEFAULT_NUDGE_DAYS


@requires_lock
async def set_nudge_after_days(session: AsyncSession, guild_id: int, days: int) -> int:
    if not 1 <= days <= 30:
        raise ValidationError(ERR_NUDGE_DAYS)
    await ensure_guild(session, guild_id)
    row = await session.get(RequestSettings, guild_id)
    if row is None:
        session.add(RequestSettings(guild_id=guild_id, nudge_after_days=days))
    else:
        row.nudge_after_days = days
    await session.flush()
    return days
