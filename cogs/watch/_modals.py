"""The form of a link added from a message (the message menu « Ajouter à la veille »)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import ValidationError
from bot.interactions import Interaction
from bot.services.watch import items as watch_items
from bot.ui import custom_ids
from bot.ui.persistent import PersistentModal
from cogs.watch import _texts as T
from cogs.watch.sharing import message_link, share_link

if TYPE_CHECKING:
    pass


class AddFromMessageModal(PersistentModal, title=T.ADD_MODAL_TITLE):
    """Shown by the message menu: an optional comment, then the link is added. After a
    restart the link is read again from the message (the custom_id names it)."""

    template = custom_ids.template("watch", r"(?:form:)?add:(?P<channel>\d+):(?P<message>\d+)", legacy=("veille-form",))

    def __init__(self, channel_id: int, message_id: int, url: str | None) -> None:
        super().__init__(timeout=900, custom_id=custom_ids.custom_id("watch", "form", "add", channel_id, message_id))
        self.channel_id, self.message_id, self.url = channel_id, message_id, url
        self.comment: discord.ui.TextInput[discord.ui.Modal] = discord.ui.TextInput(
            label=T.ADD_MODAL_COMMENT,
            custom_id="comment",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=watch_items.MAX_COMMENT,
            placeholder=T.ADD_MODAL_PLACEHOLDER,
        )
        self.add_item(self.comment)

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> AddFromMessageModal:
        return cls(int(match["channel"]), int(match["message"]), None)

    async def _url_again(self, interaction: Interaction) -> str:
        channel = interaction.client.get_partial_messageable(self.channel_id, guild_id=interaction.guild_id)
        try:
            return message_link(await channel.fetch_message(self.message_id))
        except (discord.HTTPException, ValidationError):
            raise ValidationError(T.ADD_LINK_LOST.format(comment=self.comment.value or T.ADD_NO_COMMENT)) from None

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        url = self.url or await self._url_again(interaction)
        bot = interaction.client
        await share_link(
            bot,
            interaction,
            url,
            comment=self.comment.value or None,
            category=None,
            source=(self.channel_id, self.message_id),
        )
