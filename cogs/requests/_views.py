"""The persistent buttons of a request: `requests:<action>:<request_id>`.

A click is handled by the loaded requests feature (`RequestButtonHandler`, the cog): the
handler opens forms whose submission renders these buttons again, so this module cannot
import it without an import cycle; it finds it among the bot's cogs by its type instead."""

from __future__ import annotations

import re
from typing import Any, Protocol, runtime_checkable

import discord
from discord.ext import commands

from bot.interactions import Interaction, run_guarded
from bot.ui import custom_ids
from cogs.requests import _texts as T

STYLES = {
    "claim": (T.BUTTON_CLAIM, discord.ButtonStyle.primary, "🙋"),
    "schedule": (T.BUTTON_SCHEDULE, discord.ButtonStyle.secondary, "🗓️"),
    "close": (T.BUTTON_CLOSE, discord.ButtonStyle.success, "✅"),
    "cancel": (T.BUTTON_CANCEL, discord.ButtonStyle.danger, None),
    "reopen": (T.BUTTON_REOPEN, discord.ButtonStyle.secondary, "↩️"),
    "cancelok": (T.BUTTON_CANCEL_CONFIRM, discord.ButtonStyle.danger, None),
    "keep": (T.BUTTON_CANCEL_KEEP, discord.ButtonStyle.secondary, None),
}
ACTIONS = r"claim|schedule|close|cancel|cancelok|keep|reopen|rate[1-5]"


@runtime_checkable
class RequestButtonHandler(Protocol):
    """What answers a click on a request's button (implemented by the requests cog)."""

    async def handle_request_button(self, interaction: Interaction, action: str, request_id: int) -> None: ...


def button_handler(client: discord.Client) -> RequestButtonHandler:
    """The loaded requests feature (by its type, not by a name)."""
    cogs = client.cogs.values() if isinstance(client, commands.Bot) else ()
    for cog in cogs:
        if isinstance(cog, RequestButtonHandler):
            return cog
    raise RuntimeError("the requests feature is not loaded")


class RequestButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=custom_ids.template("requests", rf"(?P<action>{ACTIONS}):(?P<id>\d+)"),
):
    """Every button of a request; works after a restart (the id is in the custom_id)."""

    def __init__(self, action: str, request_id: int, *, chosen: bool = False, disabled: bool = False) -> None:
        self.action, self.request_id = action, request_id
        if action.startswith("rate"):
            n = int(action[4:])
            label = T.BUTTON_RATE.format(stars="★", n=n)
            style, emoji = discord.ButtonStyle.primary if chosen else discord.ButtonStyle.secondary, None
        else:
            label, style, emoji = STYLES[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                emoji=emoji,
                custom_id=custom_ids.custom_id("requests", action, request_id),
                disabled=disabled,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RequestButton:
        return cls(match["action"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._handle)

    async def _handle(self, interaction: Interaction) -> None:
        await button_handler(interaction.client).handle_request_button(interaction, self.action, self.request_id)
