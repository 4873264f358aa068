"""The persistent buttons of a request: `requests:<action>:<request_id>`."""

from __future__ import annotations

import re

import discord

from bot.interactions import run_guarded
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


class RequestButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"requests:(?P<action>claim|schedule|close|cancel|cancelok|keep|reopen|rate[1-5]):(?P<id>\d+)",
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
                custom_id=f"requests:{action}:{request_id}",
                disabled=disabled,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> RequestButton:
        return cls(match["action"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, self._handle)

    async def _handle(self, interaction: discord.Interaction) -> None:
        cog = interaction.client.get_cog("Requests")  # type: ignore[attr-defined]
        await cog.on_button(interaction, self.action, self.request_id)
