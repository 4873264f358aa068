"""The monthly form « Votre mois en quelques chiffres », in two short steps:

1. contacts (5 inputs): reached, contacted privately, accompanied on a project, the private
   contacts by age band (« 2 / 3 / 1 / 0 ») and by network (« Instagram 4, Snapchat 2 »);
2. themes of the requests (5 inputs of two themes each, « 3 / 1 »), offered by a button
   after step 1 (facultative: a month counts as answered after step 1).

Both are pre-filled with what the member already gave for the month. Reached from the DM
offer's button (in a DM: the server is in the custom_id), the button after step 1, or
/activite mois. A refused value gives back what was typed; nothing is saved then."""

from __future__ import annotations

from datetime import date

import discord

from bot.errors import UserError
from bot.interactions import reply
from bot.services import indicators as svc
from bot.services.text import quote
from bot.ui.persistent import typed_values
from cogs.indicators import _texts as T


def _pair(values: dict[str, int], codes: tuple[str, ...]) -> str:
    return " / ".join(str(values.get(c, 0)) for c in codes)


def prefill_contacts(values: dict[str, int]) -> dict[str, str]:
    if not values:
        return {}
    networks = ", ".join(f"{label} {values[code]}" for code, label in svc.NETWORK_CODES.items() if values.get(code))
    return {
        "reached": str(values.get(svc.REACHED, 0)),
        "private": str(values.get(svc.PRIVATE, 0)),
        "project": str(values.get(svc.PROJECT, 0)),
        "ages": _pair(values, tuple(svc.AGES)),
        "networks": networks,
    }


def prefill_themes(values: dict[str, int]) -> list[str]:
    if not any(code in values for code in svc.THEMES):
        return [""] * len(svc.THEME_PAIRS)
    return [_pair(values, codes) for codes in svc.THEME_PAIRS]


async def open_contacts(interaction: discord.Interaction, guild_id: int, month: date) -> None:
    """Show step 1 for `month` (checked editable, the member's profile required)."""
    from cogs.indicators._modals import ContactsModal

    bot = interaction.client
    svc.check_editable(month, bot.today())  # type: ignore[attr-defined]
    async with bot.db.transaction() as session:  # type: ignore[attr-defined]
        from bot.services import members as members_service

        await members_service.require_profile(session, guild_id, interaction.user.id)
        values = await svc.month_entry(session, guild_id, interaction.user.id, month)
    await interaction.response.send_modal(ContactsModal(guild_id, month, prefill_contacts(values)))


async def open_themes(interaction: discord.Interaction, guild_id: int, month: date) -> None:
    from cogs.indicators._modals import ThemesModal

    bot = interaction.client
    svc.check_editable(month, bot.today())  # type: ignore[attr-defined]
    async with bot.db.transaction() as session:  # type: ignore[attr-defined]
        values = await svc.month_entry(session, guild_id, interaction.user.id, month)
    await interaction.response.send_modal(ThemesModal(guild_id, month, prefill_themes(values)))


async def _refused(interaction: discord.Interaction, error: UserError) -> None:
    data = interaction.data or {}
    values = typed_values(data.get("components") or [])  # type: ignore[arg-type]
    lines = [error.message + T.REFUSED_TYPED, *(f"> {quote(v)}" for v in values)]
    await reply(interaction, "\n".join(lines))


async def submit_contacts(interaction: discord.Interaction, guild_id: int, month: date, fields: dict[str, str]) -> None:
    from cogs.indicators._views import ThemesButton

    bot = interaction.client
    try:
        given = svc.parse_contacts(
            fields["reached"], fields["private"], fields["project"], fields["ages"], fields["networks"]
        )
        async with bot.db.transaction(lock=True) as session:  # type: ignore[attr-defined]  (delete, insert)
            await svc.save_contacts(session, guild_id, interaction.user.id, month, given, today=bot.today())  # type: ignore[attr-defined]
    except UserError as error:
        await _refused(interaction, error)
        return
    view = discord.ui.View(timeout=None)
    view.add_item(ThemesButton(guild_id, month))
    await reply(
        interaction,
        T.SAVED_CONTACTS.format(
            month=svc.month_label(month), reached=given.reached, private=given.private, project=given.project
        ),
        view=view,
    )


async def submit_themes(interaction: discord.Interaction, guild_id: int, month: date, pairs: list[str]) -> None:
    bot = interaction.client
    try:
        themes = svc.parse_themes(pairs)
        async with bot.db.transaction(lock=True) as session:  # type: ignore[attr-defined]  (delete, insert)
            await svc.save_themes(session, guild_id, interaction.user.id, month, themes, today=bot.today())  # type: ignore[attr-defined]
    except UserError as error:
        await _refused(interaction, error)
        return
    items = [
        T.THEME_ITEM.format(label=svc.THEMES[code].lower(), count=count) for code, count in themes.items() if count
    ]
    await reply(interaction, T.SAVED_THEMES.format(month=svc.month_label(month), themes=", ".join(items) or T.NO_THEME))
