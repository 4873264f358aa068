"""Forms never lose typed text: when a value of a form is refused, the answer carries a
« Corriger » button that reopens the same form with everything typed as defaults.

One mechanism for every form of the bot (`PersistentModal`): its `on_error` saves what was
typed in a short-lived draft (bot/services/form_drafts.py: a table, so that the button
still works after a restart; 24 hours, erased with the person's data) and answers with the
refusal and the button. The button (a `CorrectButton`, open to members: only the person
who typed can use their draft) rebuilds the form from its custom_id the way a submission
after a restart is rebuilt (`PersistentModal.from_custom_id`), fills in the typed values
and opens it.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import ValidationError
from bot.interactions import Interaction, guild_id, reply, report_error, run_guarded, unwrap
from bot.services import form_drafts
from bot.ui.custom_ids import custom_id, template
from bot.ui.views import RoutedView

if TYPE_CHECKING:
    from bot.ui.persistent import PersistentModal

log = logging.getLogger(__name__)

CORRECT_LABEL = "Corriger"


def _inputs(modal: discord.ui.Modal) -> list[discord.ui.TextInput[Any] | discord.ui.Select[Any]]:
    """The form's inputs, in or out of a Label."""
    found: list[discord.ui.TextInput[Any] | discord.ui.Select[Any]] = []
    for child in modal.children:
        component = getattr(child, "component", None) if isinstance(child, discord.ui.Label) else child
        if isinstance(component, discord.ui.TextInput | discord.ui.Select):
            found.append(component)
    return found


def typed(modal: discord.ui.Modal) -> form_drafts.Values:
    values: form_drafts.Values = {}
    for item in _inputs(modal):
        if isinstance(item, discord.ui.TextInput):
            values[item.custom_id] = item.value or ""
        else:
            values[item.custom_id] = list(item.values)
    return values


def fill(modal: discord.ui.Modal, values: form_drafts.Values) -> None:
    """Put the typed values back as the inputs' defaults."""
    for item in _inputs(modal):
        value = values.get(item.custom_id)
        if value is None:
            continue
        if isinstance(item, discord.ui.TextInput):
            item.default = str(value)[: item.max_length or 4000]
        elif isinstance(item, discord.ui.Select):
            chosen = set(value if isinstance(value, list) else [value])
            for option in item.options:
                option.default = option.value in chosen


async def refuse_with_correction(modal: PersistentModal, interaction: Interaction, error: Exception) -> None:
    """A form's error: a refused value gets the « Corriger » button, anything else the
    usual answer."""
    cause = unwrap(error)
    if not isinstance(cause, ValidationError) or interaction.guild_id is None:
        await report_error(interaction, error)
        return
    bot = interaction.client
    try:
        async with bot.db.transaction(lock=True) as session:
            draft_id = await form_drafts.save(
                session,
                interaction.guild_id,
                interaction.user.id,
                modal.custom_id,
                typed(modal),
                now=bot.now(),
            )
    except Exception:
        log.exception("Draft of form %s not saved", modal.custom_id)
        await report_error(interaction, error)
        return
    view = RoutedView()
    view.add_item(CorrectButton(draft_id))
    await reply(interaction, cause.message, view=view)


class CorrectButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=template("form", r"correct:(?P<id>\d+)")):
    """Reopens a refused form with what was typed (the draft of the person who clicks)."""

    def __init__(self, draft_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=CORRECT_LABEL,
                emoji="✏️",
                style=discord.ButtonStyle.primary,
                custom_id=custom_id("form", "correct", draft_id),
            )
        )
        self.draft_id = draft_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CorrectButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._reopen)

    async def _reopen(self, interaction: Interaction) -> None:
        bot = interaction.client
        async with bot.db.transaction() as session:
            form, values = await form_drafts.load(
                session, guild_id(interaction), interaction.user.id, self.draft_id, now=bot.now()
            )
        for pattern, cls in bot.rescue.modals:
            match = pattern.fullmatch(form)
            if match is not None:
                modal = await cls.from_custom_id(interaction, match)
                fill(modal, values)
                await interaction.response.send_modal(modal)
                return
        raise ValidationError(form_drafts.ERR_GONE)
