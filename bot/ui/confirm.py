"""Confirm before destroying: a destructive command or button first answers, ephemerally,
with the question and two persistent buttons (« Oui, … » / « Non »); nothing is written
until « Oui » is clicked.

`ask()` sends the question; the buttons are one `ConfirmButton` class whose custom_id names
the action, the object and, when the command took free text (a motive), the id of a
short-lived draft holding it (bot/services/form_drafts.py). The action's handler is one of
the `confirm_actions` of its feature (`bot.features`) and checks, like the command, who may
do it: the button itself is open (a member confirms the removal of their own link).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.interactions import Interaction, guild_id, reply, run_guarded
from bot.services import form_drafts
from bot.ui.custom_ids import custom_id, template
from bot.ui.views import RoutedView

NO = "no"
NO_LABEL = "Non, ne rien changer"
NOTHING_CHANGED = "Rien n'a changé."
Handler = Callable[[Interaction, int, form_drafts.Values], Awaitable[None]]


async def ask(
    interaction: Interaction,
    action: str,
    object_id: int,
    question: str,
    yes_label: str,
    *,
    typed: form_drafts.Values | None = None,
) -> None:
    draft_id = 0
    if typed:
        bot = interaction.client
        async with bot.db.transaction(lock=True) as session:
            draft_id = await form_drafts.save(
                session,
                guild_id(interaction),
                interaction.user.id,
                f"confirm:{action}:{object_id}",
                typed,
                now=bot.now(),
            )
    view = RoutedView()
    view.add_item(ConfirmButton(action, object_id, draft_id, label=yes_label))
    view.add_item(ConfirmButton(NO, object_id, 0, label=NO_LABEL))
    await reply(interaction, question, view=view)


class ConfirmButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=template("confirm", r"(?P<action>[a-z-]{1,30}):(?P<id>\d{1,20}):(?P<draft>\d{1,20})"),
):
    def __init__(self, action: str, object_id: int, draft_id: int, *, label: str = "") -> None:
        super().__init__(
            discord.ui.Button(
                label=label or action,
                style=discord.ButtonStyle.secondary if action == NO else discord.ButtonStyle.danger,
                custom_id=custom_id("confirm", action, object_id, draft_id),
            )
        )
        self.action, self.object_id, self.draft_id = action, object_id, draft_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConfirmButton:
        return cls(match["action"], int(match["id"]), int(match["draft"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._confirmed)

    async def _confirmed(self, interaction: Interaction) -> None:
        bot = interaction.client
        handler = bot.features.confirm_action(self.action)
        if self.action == NO or handler is None:
            await reply(interaction, NOTHING_CHANGED)
            return
        typed: form_drafts.Values = {}
        if self.draft_id:
            async with bot.db.transaction() as session:
                _, typed = await form_drafts.load(
                    session, guild_id(interaction), interaction.user.id, self.draft_id, now=bot.now()
                )
        await handler(interaction, self.object_id, typed)
