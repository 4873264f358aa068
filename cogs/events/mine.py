"""A member's upcoming registrations, as lines: shown by /evenement mes-inscriptions and by the
panel's « Mes inscriptions » button (cogs/panel), each with its own layout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dates import format_when
from bot.db.models.events import WAITLISTED
from bot.services.events import registrations as regs
from bot.services.events.rules import FORMAT_LABELS
from cogs.events import _texts as T

if TYPE_CHECKING:
    from bot.app import PdnBot

TITLE = T.MINE_TITLE
EMPTY = T.MINE_EMPTY


async def registration_lines(bot: PdnBot, guild_id: int, user_id: int) -> list[str]:
    """One line per upcoming event the member is registered for, or waiting for."""
    async with bot.db.transaction() as session:
        mine = await regs.my_registrations(session, guild_id, user_id, now=bot.now())
    lines = []
    for item in mine:
        event = item.event
        if item.status == WAITLISTED:
            lines.append(T.MINE_WAITLISTED.format(title=event.title, when=format_when(event.starts_at), rank=item.rank))
        else:
            lines.append(
                T.MINE_REGISTERED.format(
                    title=event.title,
                    when=format_when(event.starts_at),
                    format=FORMAT_LABELS[event.format],
                    link=f" · {event.link}" if event.link else "",
                )
            )
    return lines
