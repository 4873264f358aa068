"""Modals of the watch: an item's comment and the editorial (draft), the comment of a link
added from a message."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord

from bot.errors import ValidationError
from bot.services import watch as watch_service
from bot.ui.persistent import PersistentModal
from cogs.watch import _texts as T

if TYPE_CHECKING:
    from bot.app import PdnBot


class CommentModal(PersistentModal, title=T.COMMENT_MODAL_TITLE):
    template = r"veille-form:comment:(?P<item>\d+):(?P<page>-?\d+)"

    def __init__(self, item_id: int, page: int, current: str | None) -> None:
        super().__init__(timeout=900, custom_id=f"veille-form:comment:{item_id}:{page}")
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

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, match: re.Match[str]) -> CommentModal:
        return cls(int(match["item"]), int(match["page"]), None)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        from cogs.watch._views import draft_message

        bot: PdnBot = interaction.client  # type: ignore[assignment]
        await bot.require_coordinator(interaction)
        async with bot.db.transaction(lock=True) as session:
            await watch_service.set_comment(session, interaction.guild_id, self.item_id, self.comment.value)  # type: ignore[arg-type]
        await interaction.response.edit_message(**await draft_message(bot, interaction.guild_id, self.page))  # type: ignore[arg-type]


class EditorialModal(PersistentModal, title=T.EDITORIAL_MODAL_TITLE):
    template = r"veille-form:edito:(?P<page>-?\d+)"

    def __init__(self, page: int, current: str | None) -> None:
        super().__init__(timeout=900, custom_id=f"veille-form:edito:{page}")
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

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, match: re.Match[str]) -> EditorialModal:
        return cls(int(match["page"]), None)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        from cogs.watch._views import draft_message

        bot: PdnBot = interaction.client  # type: ignore[assignment]
        await bot.require_coordinator(interaction)
        async with bot.db.transaction(lock=True) as session:
            await watch_service.set_editorial(session, interaction.guild_id, self.editorial.value)  # type: ignore[arg-type]
        await interaction.response.edit_message(**await draft_message(bot, interaction.guild_id, self.page))  # type: ignore[arg-type]


class AddFromMessageModal(PersistentModal, title=T.ADD_MODAL_TITLE):
    """Shown by the message menu: an optional comment, then the link is added. After a
    restart the link is read again from the message (the custom_id names it)."""

    template = r"veille-form:add:(?P<channel>\d+):(?P<message>\d+)"

    def __init__(self, channel_id: int, message_id: int, url: str | None) -> None:
        super().__init__(timeout=900, custom_id=f"veille-form:add:{channel_id}:{message_id}")
        self.channel_id, self.message_id, self.url = channel_id, message_id, url
        self.comment = discord.ui.TextInput(
            label=T.ADD_MODAL_COMMENT,
            custom_id="comment",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=watch_service.MAX_COMMENT,
            placeholder=T.ADD_MODAL_PLACEHOLDER,
        )
        self.add_item(self.comment)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, match: re.Match[str]) -> AddFromMessageModal:
        return cls(int(match["channel"]), int(match["message"]), None)

    async def _url_again(self, interaction: discord.Interaction) -> str:
        from cogs.watch._cog import message_link

        channel = interaction.client.get_partial_messageable(self.channel_id, guild_id=interaction.guild_id)
        try:
            return message_link(await channel.fetch_message(self.message_id))
        except (discord.HTTPException, ValidationError):
            raise ValidationError(T.ADD_LINK_LOST.format(comment=self.comment.value or T.ADD_NO_COMMENT)) from None

    async def on_submit(self, interaction: discord.Interaction) -> None:
        url = self.url or await self._url_again(interaction)
        cog = interaction.client.get_cog("Watch")  # type: ignore[attr-defined]
        await cog._add(  # type: ignore[union-attr]
            interaction,
            url,
            comment=self.comment.value or None,
            category=None,
            source=(self.channel_id, self.message_id),
        )
