"""Modals of the watch: an item's comment and the editorial (draft), the comment of a link
added from a message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from bot.interactions import GuardedModal
from bot.services import watch as watch_service
from cogs.watch import _texts as T

if TYPE_CHECKING:
    from bot.app import PdnBot


class CommentModal(GuardedModal, title=T.COMMENT_MODAL_TITLE):
    def __init__(self, item_id: int, page: int, current: str | None) -> None:
        super().__init__(timeout=900)
        self.item_id, self.page = item_id, page
        self.comment = discord.ui.TextInput(
            label=T.COMMENT_LABEL,
            custom_id="comment",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=watch_service.MAX_COMMENT,
            default=current,
        )
        self.add_item(self.comment)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        from cogs.watch._views import draft_message

        bot: PdnBot = interaction.client  # type: ignore[assignment]
        await bot.require_coordinator(interaction)
        async with bot.db.transaction(lock=True) as session:
            await watch_service.set_comment(session, interaction.guild_id, self.item_id, self.comment.value)  # type: ignore[arg-type]
        await interaction.response.edit_message(**await draft_message(bot, interaction.guild_id, self.page))  # type: ignore[arg-type]


class EditorialModal(GuardedModal, title=T.EDITORIAL_MODAL_TITLE):
    def __init__(self, page: int, current: str | None) -> None:
        super().__init__(timeout=900)
        self.page = page
        self.editorial = discord.ui.TextInput(
            label=T.EDITORIAL_LABEL,
            custom_id="editorial",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=watch_service.MAX_EDITORIAL,
            placeholder=T.EDITORIAL_PLACEHOLDER,
            default=current,
        )
        self.add_item(self.editorial)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        from cogs.watch._views import draft_message

        bot: PdnBot = interaction.client  # type: ignore[assignment]
        await bot.require_coordinator(interaction)
        async with bot.db.transaction(lock=True) as session:
            await watch_service.set_editorial(session, interaction.guild_id, self.editorial.value)  # type: ignore[arg-type]
        await interaction.response.edit_message(**await draft_message(bot, interaction.guild_id, self.page))  # type: ignore[arg-type]


class AddFromMessageModal(GuardedModal, title=T.ADD_MODAL_TITLE):
    """Shown by the message menu: an optional comment, then the link is added."""

    def __init__(self, on_done: Callable[[discord.Interaction, str | None], Awaitable[None]]) -> None:
        super().__init__(timeout=900)
        self.on_done = on_done
        self.comment = discord.ui.TextInput(
            label=T.ADD_MODAL_COMMENT,
            custom_id="comment",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=watch_service.MAX_COMMENT,
            placeholder=T.ADD_MODAL_PLACEHOLDER,
        )
        self.add_item(self.comment)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self.on_done(interaction, self.comment.value or None)
