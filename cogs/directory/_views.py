"""Persistent buttons of the directory."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import interactions
from bot.errors import PermissionDeniedError
from bot.interactions import Interaction, run_guarded
from bot.services import members as members_service
from bot.services import privacy
from bot.ui.custom_ids import custom_id, template
from cogs.directory import _texts as T


class ConfirmErasureButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=template("privacy", r"supprimer:(?P<user_id>\d+)", legacy=("donnees",)),
):
    """The confirmation of /mes-donnees supprimer; still works after a restart."""

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        super().__init__(
            discord.ui.Button(
                label=T.ERASE_BUTTON,
                style=discord.ButtonStyle.danger,
                custom_id=custom_id("privacy", "supprimer", user_id),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConfirmErasureButton:
        return cls(int(match["user_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._erase)

    async def _erase(self, interaction: Interaction) -> None:
        if interaction.user.id != self.user_id:
            raise PermissionDeniedError(T.ERASE_NOT_YOURS)
        bot = interaction.client
        guild_id = interactions.guild_id(interaction)
        async with bot.db.transaction(lock=True) as session:
            profile = await members_service.require_profile(session, guild_id, self.user_id)
            # Kept in memory only, to scrub the bot's lines that name the member.
            names = (profile.display_name, interaction.user.display_name)
            await privacy.anonymise_member(session, guild_id, self.user_id, bot.features.privacy_hooks(), now=bot.now())
        await interaction.response.edit_message(content=T.ERASE_DONE, view=None)
        # The bot's messages still showing the erased data (recorded with the erasure):
        # edited now; what Discord refuses is retried by the redaction job.
        await bot.redactor.after_erasure(guild_id, self.user_id, names)
