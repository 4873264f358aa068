"""Sharing a link in the watch, for every way in: /veille ajouter, the message menu, the
panel's « Proposer un lien » (`propose_link`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot import interactions
from bot.errors import ValidationError
from bot.interactions import Interaction, reply
from bot.services.watch import draft as watch_draft
from bot.services.watch import items as watch_items
from bot.services.watch.urls import extract_url, parse_link
from bot.text import shorten
from cogs.watch import _texts as T
from cogs.watch._views import CategoryView

if TYPE_CHECKING:
    from bot.app import PdnBot


def message_link(message: discord.Message) -> str:
    """The link a message shares (in its text, else in an embed), normalised."""
    raw = extract_url(message.content)
    if raw is None:
        raw = next((e.url for e in message.embeds if e.url), None)
    if raw is None:
        raise ValidationError(watch_items.ERR_NO_LINK)
    return parse_link(raw).url


async def check_link(bot: PdnBot, guild_id: int, url: str, category: str | None) -> str:
    """The link validated (before deferring), trackers removed; the category must exist."""
    url = parse_link(url).url
    if category:
        async with bot.db.transaction() as session:
            await watch_draft.require_category(session, guild_id, category)
    return url


async def share_link(
    bot: PdnBot,
    interaction: Interaction,
    url: str,
    *,
    comment: str | None,
    category: str | None,
    source: tuple[int, int] | None = None,
) -> None:
    """Title fetched (short timeout) unless known, then one unit of work; the answer offers
    to change the category."""
    guild_id = interactions.guild_id(interaction)
    async with bot.db.transaction() as session:
        existing = await watch_items.pending_by_url(session, guild_id, url)
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    title = existing.title if existing is not None else None
    if title is None:
        title = await bot.watch_fetcher.page_title(url)
    async with bot.db.transaction(lock=True) as session:
        result = await watch_items.add_link(
            session,
            guild_id,
            url=url,
            discord_id=interaction.user.id,
            display_name=interaction.user.display_name,
            now=bot.now(),
            category=category,
            comment=comment,
            title=title,
            source_channel_id=source[0] if source else None,
            source_message_id=source[1] if source else None,
        )
        all_categories = await watch_draft.categories(session, guild_id)
    item = result.item
    label = shorten(item.title or item.url, 150)
    if result.created:
        view = CategoryView(item.id, all_categories, item.category)
        text = T.ADDED.format(title=label, category=item.category) + "\n" + T.ADDED_CHANGE_CATEGORY
        await reply(interaction, text, view=view)
    elif result.others:
        await reply(interaction, T.JOINED.format(others=", ".join(result.others)))
    else:
        await reply(interaction, T.JOINED_PROPOSAL)


async def propose_link(bot: PdnBot, interaction: Interaction, url: str, comment: str | None) -> None:
    """A member proposes a link from outside /veille (the panel's « Proposer un lien »)."""
    checked = await check_link(bot, interactions.guild_id(interaction), url, None)
    await share_link(bot, interaction, checked, comment=comment, category=None)
