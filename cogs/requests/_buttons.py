"""What a click on a request's button does: claim, plan or close (a form), cancel (after a
confirmation), reopen, rate."""

from __future__ import annotations

import logging

from bot import interactions
from bot.app import PdnBot
from bot.db.models.requests import AccompanimentRequest
from bot.interactions import Interaction, reply
from bot.services.requests import lifecycle
from bot.services.requests import queries as request_queries
from cogs.requests import _texts as T
from cogs.requests import threads
from cogs.requests._actions import actor_of
from cogs.requests._modals import CloseModal, ScheduleModal
from cogs.requests._render import confirm_cancel_view, rating_view

log = logging.getLogger(__name__)


async def on_button(bot: PdnBot, interaction: Interaction, action: str, request_id: int) -> None:
    """A click on a request's button (`requests:<action>:<id>`)."""
    actor = await actor_of(bot, interaction)
    guild_id = interactions.guild_id(interaction)
    now = bot.now()
    if action in ("schedule", "close"):
        async with bot.db.transaction() as session:
            request = await lifecycle.check_action(session, guild_id, request_id, action, actor)
        modal = ScheduleModal(request) if action == "schedule" else CloseModal(request)
        await interaction.response.send_modal(modal)
        return
    if action in ("cancel", "keep"):  # a confirmation first; nothing is written yet
        async with bot.db.transaction() as session:
            request = await lifecycle.check_action(session, guild_id, request_id, "cancel", actor)
        if action == "keep":
            await reply(interaction, T.KEPT.format(number=request.number))
        else:
            await reply(interaction, T.CONFIRM_CANCEL.format(number=request.number), view=confirm_cancel_view(request))
        return
    add_user = None
    async with bot.db.transaction(lock=True) as session:
        if action == "claim":
            request = await lifecycle.claim(session, guild_id, request_id, actor, now=now)
            text, line, add_user = T.DONE_CLAIM, T.LINE_CLAIM, actor.discord_id
        elif action == "cancelok":
            request = await lifecycle.cancel(session, guild_id, request_id, actor, now=now)
            text, line = T.DONE_CANCEL, T.LINE_CANCEL
        elif action == "reopen":
            request = await lifecycle.reopen(session, guild_id, request_id, actor, now=now)
            text, line = T.DONE_REOPEN, T.LINE_REOPEN
        else:
            rating = int(action[4:])
            request = await lifecycle.rate(session, guild_id, request_id, actor, rating, now=now)
            text, line = T.DONE_RATE.format(rating=rating), None
        item = await request_queries.view(session, request)
    await reply(interaction, text.format(number=request.number))
    if action.startswith("rate"):
        await _disable_rating(bot, interaction, request)
    await threads.publish(
        bot,
        item,
        line.format(actor=actor.name) if line else None,
        add_user=add_user,
        unarchive=action in ("reopen",) or action.startswith("rate"),
    )


async def _disable_rating(bot: PdnBot, interaction: Interaction, request: AccompanimentRequest) -> None:
    """The rating prompt in the thread: its buttons disabled, the chosen one shown. (A
    prompt in an ephemeral message cannot be edited from here; a new click there only
    changes the rating.)"""
    message = interaction.message
    if message is None or message.flags.ephemeral or request.rating is None:
        return
    buttons = [c for row in message.components for c in getattr(row, "children", [])]
    if not any(str(getattr(b, "custom_id", "")).startswith("requests:rate") for b in buttons):
        return
    try:
        await threads.unarchive_thread(bot, request)
        await message.edit(view=rating_view(request, rated=request.rating))
    except threads.DISCORD_FAILURES:
        log.warning("Rating buttons of request %s not disabled", request.id, exc_info=True)
