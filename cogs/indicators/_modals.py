"""The two steps of the monthly form « Votre mois en quelques chiffres » (answered after a
restart: PersistentModal), and the button between them:

1. contacts (5 inputs): reached, contacted privately, accompanied on a project, the private
   contacts by age band (« 2 / 3 / 1 / 0 ») and by network (« Instagram 4, Snapchat 2 »);
2. themes of the requests (5 inputs of two themes each, « 3 / 1 »), offered by a button
   after step 1 (facultative: a month counts as answered after step 1).

Both are pre-filled with what the member already gave for the month. Reached from the DM
offer's button (in a DM: the server is in the custom_id), the button after step 1, or
/activite mois. A refused value gives back what was typed; nothing is saved then."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import discord

from bot.errors import UserError
from bot.interactions import Interaction, reply, run_guarded
from bot.services import indicators as svc
from bot.services import members as members_service
from bot.ui.custom_ids import custom_id, template
from bot.ui.persistent import PersistentModal
from bot.ui.views import RoutedView
from cogs.indicators import _form
from cogs.indicators import _texts as T


class ContactsModal(PersistentModal):
    template = template("indicators", r"contacts:(?P<guild>\d+):(?P<month>\d{6})")

    def __init__(self, guild_id: int, month: date, prefill: dict[str, str] | None = None) -> None:
        super().__init__(
            title=T.TITLE_CONTACTS.format(month=svc.month_label(month))[:45],
            custom_id=custom_id("indicators", "contacts", guild_id, svc.month_key(month)),
        )
        self.guild_id, self.month = guild_id, month
        prefill = prefill or {}
        self.inputs: dict[str, discord.ui.TextInput[ContactsModal]] = {}
        for key, label, placeholder, length in (
            ("reached", T.LABEL_REACHED, T.PLACEHOLDER_REACHED, 7),
            ("private", T.LABEL_PRIVATE, T.PLACEHOLDER_PRIVATE, 7),
            ("project", T.LABEL_PROJECT, T.PLACEHOLDER_PROJECT, 7),
            ("ages", T.LABEL_AGES, T.PLACEHOLDER_AGES, 40),
            ("networks", T.LABEL_NETWORKS, T.PLACEHOLDER_NETWORKS, 200),
        ):
            field: discord.ui.TextInput[ContactsModal] = discord.ui.TextInput(
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
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> ContactsModal:
        return cls(int(match["guild"]), svc.parse_month_key(match["month"]))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await submit_contacts(interaction, self.guild_id, self.month, {k: f.value for k, f in self.inputs.items()})


class ThemesModal(PersistentModal):
    template = template("indicators", r"themes-form:(?P<guild>\d+):(?P<month>\d{6})")

    def __init__(self, guild_id: int, month: date, prefill: list[str] | None = None) -> None:
        super().__init__(
            title=T.TITLE_THEMES.format(month=svc.month_label(month))[:45],
            custom_id=custom_id("indicators", "themes-form", guild_id, svc.month_key(month)),
        )
        self.guild_id, self.month = guild_id, month
        prefill = prefill or [""] * len(svc.THEME_PAIRS)
        self.inputs: list[discord.ui.TextInput[ThemesModal]] = []
        for i in range(len(svc.THEME_PAIRS)):
            field: discord.ui.TextInput[ThemesModal] = discord.ui.TextInput(
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
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> ThemesModal:
        return cls(int(match["guild"]), svc.parse_month_key(match["month"]))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await submit_themes(interaction, self.guild_id, self.month, [f.value for f in self.inputs])


class ThemesButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=template("indicators", r"themes:(?P<guild>\d+):(?P<month>\d{6})"),
):
    def __init__(self, guild_id: int, month: date) -> None:
        self.guild_id, self.month = guild_id, month
        super().__init__(
            discord.ui.Button(
                label=T.BUTTON_THEMES,
                style=discord.ButtonStyle.primary,
                custom_id=custom_id("indicators", "themes", guild_id, svc.month_key(month)),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ThemesButton:
        return cls(int(match["guild"]), svc.parse_month_key(match["month"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, lambda i: open_themes(i, self.guild_id, self.month))


async def open_contacts(interaction: Interaction, guild_id: int, month: date) -> None:
    """Show step 1 for `month` (checked editable, the member's profile required)."""
    bot = interaction.client
    svc.check_editable(month, bot.today())
    async with bot.db.transaction() as session:
        await members_service.require_profile(session, guild_id, interaction.user.id)
        values = await svc.month_entry(session, guild_id, interaction.user.id, month)
    await interaction.response.send_modal(ContactsModal(guild_id, month, _form.prefill_contacts(values)))


async def open_themes(interaction: Interaction, guild_id: int, month: date) -> None:
    bot = interaction.client
    svc.check_editable(month, bot.today())
    async with bot.db.transaction() as session:
        values = await svc.month_entry(session, guild_id, interaction.user.id, month)
    await interaction.response.send_modal(ThemesModal(guild_id, month, _form.prefill_themes(values)))


async def submit_contacts(interaction: Interaction, guild_id: int, month: date, fields: dict[str, str]) -> None:
    bot = interaction.client
    try:
        given = svc.parse_contacts(
            fields["reached"], fields["private"], fields["project"], fields["ages"], fields["networks"]
        )
        async with bot.db.transaction(lock=True) as session:  # reads then writes (delete, insert)
            await svc.save_contacts(session, guild_id, interaction.user.id, month, given, today=bot.today())
    except UserError as error:
        await _form.refused(interaction, error)
        return
    view = RoutedView()
    view.add_item(ThemesButton(guild_id, month))
    await reply(
        interaction,
        T.SAVED_CONTACTS.format(
            month=svc.month_label(month), reached=given.reached, private=given.private, project=given.project
        ),
        view=view,
    )


async def submit_themes(interaction: Interaction, guild_id: int, month: date, pairs: list[str]) -> None:
    bot = interaction.client
    try:
        themes = svc.parse_themes(pairs)
        async with bot.db.transaction(lock=True) as session:  # reads then writes (delete, insert)
            await svc.save_themes(session, guild_id, interaction.user.id, month, themes, today=bot.today())
    except UserError as error:
        await _form.refused(interaction, error)
        return
    items = [
        T.THEME_ITEM.format(label=svc.THEMES[code].lower(), count=count) for code, count in themes.items() if count
    ]
    await reply(interaction, T.SAVED_THEMES.format(month=svc.month_label(month), themes=", ".join(items) or T.NO_THEME))
