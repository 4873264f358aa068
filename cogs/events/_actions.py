"""What the parts of the events cog share: registering and withdrawing (from a button or a
command), the fallback channel of notifications, the events offered by autocompletes. Components and the
cog's commands call these functions (no lookup of the cog). A change of the count is told
to the cog's announcer by the `COUNT_CHANGED` event (`bot.dispatch`), which edits the
announcement (coalesced)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands
from sqlalchemy.ext.asyncio import AsyncSession

from bot import interactions
from bot.dates import format_when
from bot.db.models.events import REGISTERED, Event
from bot.interactions import Interaction, reply
from bot.services import guilds as guilds_service
from bot.services import notifications
from bot.services.events import attendance as attendance_service
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from cogs.events import _notify as N
from cogs.events import _texts as T
from cogs.events._render import choice_name

if TYPE_CHECKING:
    from bot.app import PdnBot

SHARED_CHOICE = "commun"  # the territory choice of the shared sessions
COUNT_CHANGED = "events_count_changed"  # dispatched with the event id; the cog's listener edits its announcement


async def fallback_channel(session: AsyncSession, event: Event) -> int | None:
    """The channel that receives a notification when a member's DMs are closed."""
    settings = await guilds_service.get_settings(session, event.guild_id)
    return N.channel_of(event, settings.announcements_channel_id)


async def register_member(interaction: Interaction, event_id: int) -> None:
    """Register the user (button or command)."""
    bot = interaction.client
    async with bot.db.transaction(lock=True) as session:
        result = await regs.register(
            session, interactions.guild_id(interaction), event_id, interaction.user.id, now=bot.now()
        )
    bot.dispatch(COUNT_CHANGED, event_id)
    event = result.event
    if result.status == REGISTERED:
        await reply(interaction, T.REGISTERED.format(title=event.title, when=format_when(event.starts_at)))
    else:
        await reply(interaction, T.WAITLISTED.format(title=event.title, rank=result.rank))


async def withdraw_member(interaction: Interaction, event_id: int) -> None:
    """Withdraw the user (button or command); a freed seat is offered to the waitlist."""
    bot = interaction.client
    now = bot.now()
    async with bot.db.transaction(lock=True) as session:
        result = await regs.withdraw(
            session, interactions.guild_id(interaction), event_id, interaction.user.id, now=now
        )
        channel_id = await fallback_channel(session, result.event)
        ids = await notifications.enqueue(
            session, result.event.guild_id, N.promotions(result.event, result.promoted, channel_id), now=now
        )
    bot.dispatch(COUNT_CHANGED, event_id)
    template = T.WITHDRAWN if result.previous_status == REGISTERED else T.WITHDRAWN_WAITLIST
    await reply(interaction, template.format(title=result.event.title))
    await bot.notifier.deliver(ids)


async def event_choices(
    bot: PdnBot, interaction: Interaction, current: str, scope: str, *, mark_attendance: bool = False
) -> list[app_commands.Choice[str]]:
    """The events of `scope` (upcoming or started) matching what is typed, for an autocomplete."""
    if interaction.guild_id is None:
        return []
    async with bot.db.transaction() as session:
        events = await events_service.list_events(
            session, interaction.guild_id, now=bot.now(), scope=scope, text=current, limit=25
        )
        taken = await attendance_service.attendance_taken(session, [e.id for e in events]) if mark_attendance else set()
    return [app_commands.Choice(name=choice_name(e, attendance_taken=e.id in taken), value=str(e.id)) for e in events]
