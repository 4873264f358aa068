"""The survey's launch announcement as an outbox post ("Annonce du questionnaire").

`/questionnaire lancer` commits the campaign and its announcement post together; the outbox
delivers it (and retries it after a Discord failure, without doubling it), and on success
records the message on the campaign. An announcement still owed after the campaign closed
is not posted any more.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot.clock import PARIS
from bot.dates import format_day
from bot.posts import OutgoingMessage, PostKind
from bot.services import outbox as outbox_service
from bot.services import survey as survey_service
from bot.services.schedules import YEARLY, ScheduleKind, ScheduleValue
from bot.ui.views import RoutedView
from cogs.survey import _texts as T
from cogs.survey._views import AnswerButton

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.app import PdnBot
    from bot.db.models import OutboxPost


def last_day(campaign) -> str:
    return format_day((campaign.closes_at - timedelta(seconds=1)).astimezone(PARIS))


async def _render(bot: PdnBot, post: OutboxPost) -> list[OutgoingMessage]:
    async with bot.db.transaction() as session:
        campaign = await survey_service.announced_campaign(session, post.guild_id, post.period)
    if not campaign.is_open(bot.now()):
        return []
    return [announcement_message(campaign)]


def announcement_message(campaign) -> OutgoingMessage:
    """The announcement members read: the campaign's number, its last day, the answer button."""
    embed = discord.Embed(
        title=T.ANNOUNCE_TITLE.format(number=campaign.number),
        description=T.ANNOUNCE_BODY.format(day=last_day(campaign)),
        colour=discord.Colour.dark_teal(),
    )
    view = RoutedView()
    view.add_item(AnswerButton(campaign.id))
    return OutgoingMessage(embeds=[embed], view=view)


async def _on_sent(session: AsyncSession, post: OutboxPost, now) -> None:
    ids = [i for i in outbox_service.parts(post) if i]
    await survey_service.mark_announced(
        session,
        post.guild_id,
        post.period,
        channel_id=post.channel_id if ids else None,
        message_id=ids[0] if ids else None,
    )


async def _title(bot: PdnBot, post: OutboxPost) -> str:
    """ "Annonce du questionnaire · n°2": the reference members read under the announcement."""
    async with bot.db.transaction() as session:
        campaign = await survey_service.announced_campaign(session, post.guild_id, post.period)
    return T.ANNOUNCEMENT_REF.format(label=T.ANNOUNCEMENT_LABEL, number=campaign.number)


ANNOUNCEMENT_KIND = PostKind(
    schedule=ScheduleKind(
        name=survey_service.ANNOUNCEMENT_KIND,
        label=T.ANNOUNCEMENT_LABEL,
        default=ScheduleValue(frequency=YEARLY, hour=9, enabled=False),
        frequencies=(YEARLY,),
    ),
    channel_id=lambda settings: settings.announcements_channel_id,
    period=lambda when: when.isoformat(),  # never used: the period is the campaign id
    render=_render,
    on_sent=_on_sent,
    scheduled=False,
    title=_title,
)
