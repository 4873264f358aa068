"""The two steps of the monthly form (answered after a restart: PersistentModal)."""

from __future__ import annotations

import re
from datetime import date

import discord

from bot.services import indicators as svc
from bot.ui.persistent import PersistentModal
from cogs.indicators import _form
from cogs.indicators import _texts as T


class ContactsModal(PersistentModal):
    template = r"indicators:contacts:(?P<guild>\d+):(?P<month>\d{6})"

    def __init__(self, guild_id: int, month: date, prefill: dict[str, str] | None = None) -> None:
        super().__init__(
            title=T.TITLE_CONTACTS.format(month=svc.month_label(month))[:45],
            custom_id=f"indicators:contacts:{guild_id}:{svc.month_key(month)}",
        )
        self.guild_id, self.month = guild_id, month
        prefill = prefill or {}
        self.inputs: dict[str, discord.ui.TextInput] = {}
        for key, label, placeholder, length in (
            ("reached", T.LABEL_REACHED, T.PLACEHOLDER_REACHED, 7),
            ("private", T.LABEL_PRIVATE, T.PLACEHOLDER_PRIVATE, 7),
            ("project", T.LABEL_PROJECT, T.PLACEHOLDER_PROJECT, 7),
            ("ages", T.LABEL_AGES, T.PLACEHOLDER_AGES, 40),
            ("networks", T.LABEL_NETWORKS, T.PLACEHOLDER_NETWORKS, 200),
        ):
            field = discord.ui.TextInput(
                label=label[:45],
                custom_id=key,
                placeholder=placeholder,
                required=key == "reached",
                max_length=length,
                default=prefill.get(key) or None,
            )
            self.inputs[key] = field
            self.add_item(field)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, match: re.Match[str]) -> ContactsModal:
        return cls(int(match["guild"]), svc.parse_month_key(match["month"]))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await _form.submit_contacts(
            interaction, self.guild_id, self.month, {k: f.value for k, f in self.inputs.items()}
        )


class ThemesModal(PersistentModal):
    template = r"indicators:themes-form:(?P<guild>\d+):(?P<month>\d{6})"

    def __init__(self, guild_id: int, month: date, prefill: list[str] | None = None) -> None:
        super().__init__(
            title=T.TITLE_THEMES.format(month=svc.month_label(month))[:45],
            custom_id=f"indicators:themes-form:{guild_id}:{svc.month_key(month)}",
        )
        self.guild_id, self.month = guild_id, month
        prefill = prefill or [""] * len(svc.THEME_PAIRS)
        self.inputs: list[discord.ui.TextInput] = []
        for i in range(len(svc.THEME_PAIRS)):
            field = discord.ui.TextInput(
                label=T.PAIR_LABELS[i],
                custom_id=f"pair{i}",
                placeholder=T.PLACEHOLDER_PAIR,
                required=False,
                max_length=20,
                default=prefill[i] or None,
            )
            self.inputs.append(field)
            self.add_item(field)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, match: re.Match[str]) -> ThemesModal:
        return cls(int(match["guild"]), svc.parse_month_key(match["month"]))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await _form.submit_themes(interaction, self.guild_id, self.month, [f.value for f in self.inputs])
