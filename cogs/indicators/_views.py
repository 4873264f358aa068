"""The persistent buttons of the monthly form: in the DM offer (« Remplir mon mois »,
« Ne plus me le proposer ») and after step 1 (the themes). The server and the month are in
the custom_id (a DM has no server)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import discord

from bot.interactions import Interaction, reply, run_guarded
from bot.services import indicators as svc
from bot.ui.custom_ids import custom_id, template
from bot.ui.views import RoutedView
from cogs.indicators import _texts as T
from cogs.indicators._modals import open_contacts


class OpenFormButton(
    discord.ui.DynamicItem[discord.ui.Button], template=template("indicators", r"form:(?P<guild>\d+):(?P<month>\d{6})")
):
    def __init__(self, guild_id: int, month: date) -> None:
        self.guild_id, self.month = guild_id, month
        super().__init__(
            discord.ui.Button(
                label=T.BUTTON_FORM,
                style=discord.ButtonStyle.primary,
                custom_id=custom_id("indicators", "form", guild_id, svc.month_key(month)),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> OpenFormButton:
        return cls(int(match["guild"]), svc.parse_month_key(match["month"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, lambda i: open_contacts(i, self.guild_id, self.month))


class OfferOffButton(discord.ui.DynamicItem[discord.ui.Button], template=template("indicators", r"off:(?P<guild>\d+)")):
    def __init__(self, guild_id: int) -> None:
        self.guild_id = guild_id
        super().__init__(
            discord.ui.Button(
                label=T.BUTTON_OFF,
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id("indicators", "off", guild_id),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> OfferOffButton:
        return cls(int(match["guild"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._off)

    async def _off(self, interaction: Interaction) -> None:
        bot = interaction.client
        async with bot.db.transaction() as session:
            await svc.set_offer(session, self.guild_id, interaction.user.id, on=False)
        await reply(interaction, T.OFFER_OFF)


def offer_view(guild_id: int, month: date) -> discord.ui.View:
    view = RoutedView()
    view.add_item(OpenFormButton(guild_id, month))
    view.add_item(OfferOffButton(guild_id))
    return view
