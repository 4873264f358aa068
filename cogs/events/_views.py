"""Persistent buttons of an announcement, and the attendance sheet's paged selects."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import interactions
from bot.db.models.events import WALK_IN
from bot.french import agree, pct, plural
from bot.interactions import Interaction, run_guarded
from bot.permissions import coordination_only
from bot.services.events import attendance as attendance_service
from bot.services.events.attendance import AttendanceSheet
from bot.ui.custom_ids import custom_id, template
from bot.ui.views import RoutedView
from cogs.events import _texts as T
from cogs.events._actions import register_member, withdraw_member

PAGE_SIZE = 25


class RegisterButton(
    discord.ui.DynamicItem[discord.ui.Button], template=template("events", r"register:(?P<event_id>\d+)")
):
    """S'inscrire, on the announcement; works after a restart."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        super().__init__(
            discord.ui.Button(
                label=T.BUTTON_REGISTER,
                style=discord.ButtonStyle.success,
                custom_id=custom_id("events", "register", event_id),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> RegisterButton:
        return cls(int(match["event_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._handle)

    async def _handle(self, interaction: Interaction) -> None:
        await register_member(interaction, self.event_id)


class WithdrawButton(
    discord.ui.DynamicItem[discord.ui.Button], template=template("events", r"withdraw:(?P<event_id>\d+)")
):
    """Se désinscrire, on the announcement; works after a restart."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        super().__init__(
            discord.ui.Button(
                label=T.BUTTON_WITHDRAW,
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id("events", "withdraw", event_id),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> WithdrawButton:
        return cls(int(match["event_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._handle)

    async def _handle(self, interaction: Interaction) -> None:
        await withdraw_member(interaction, self.event_id)


def announcement_view(event_id: int) -> discord.ui.View:
    view = RoutedView()
    view.add_item(RegisterButton(event_id))
    view.add_item(WithdrawButton(event_id))
    return view


def attendance_embed(sheet: AttendanceSheet, page: int) -> discord.Embed:
    pages = max(1, -(-len(sheet.rows) // PAGE_SIZE))
    lines = []
    for row in sheet.rows:
        walk_in = T.ATTENDANCE_WALK_IN if row.status == WALK_IN else ""
        if row.attended:
            lines.append(T.ATTENDANCE_LINE_PRESENT.format(name=row.name, walk_in=walk_in))
        elif row.attended is False:
            lines.append(T.ATTENDANCE_LINE_ABSENT.format(name=row.name))
        else:
            lines.append(T.ATTENDANCE_LINE_UNMARKED.format(name=row.name))
    shown = lines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    fill = T.ATTENDANCE_FILL.format(rate=pct(sheet.fill_rate)) if sheet.fill_rate is not None else ""
    embed = discord.Embed(
        title=T.ATTENDANCE_TITLE.format(title=sheet.event.title)[:256],
        description="\n".join(shown) if shown else T.ATTENDANCE_EMPTY,
        colour=discord.Colour.teal(),
    )
    embed.add_field(
        name="Bilan",
        value=T.ATTENDANCE_SUMMARY.format(
            present=sheet.present,
            present_word=agree(sheet.present, *T.PRESENT_WORDS),
            no_shows=sheet.no_shows,
            absent_word=agree(sheet.no_shows, *T.ABSENT_WORDS),
            unmarked=T.ATTENDANCE_UNMARKED.format(unmarked=plural(sheet.unmarked, *T.UNMARKED_WORDS))
            if sheet.unmarked
            else "",
            walk_ins=sheet.walk_ins,
            registered=plural(sheet.registered, *T.REGISTERED_WORDS),
            fill=fill,
        ),
        inline=False,
    )
    if sheet.rows:
        embed.set_footer(text=T.ATTENDANCE_HELP.format(page=page + 1, pages=pages))
    return embed


@coordination_only()
class AttendanceSelect(
    discord.ui.DynamicItem[discord.ui.Select],
    template=template("events", r"attendance:(?P<event_id>\d+):(?P<page>\d+)"),
):
    """One page of the sheet (at most 25 people). Choosing saves that page at once (selected =
    present, the others of the page = absent). Persistent: the event and page are in the
    custom_id, the people of the page are the select's options."""

    def __init__(self, event_id: int, page: int, select: discord.ui.Select) -> None:
        self.event_id, self.page = event_id, page
        super().__init__(select)

    @classmethod
    def of(cls, sheet: AttendanceSheet, page: int) -> AttendanceSelect:
        rows = sheet.rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        select: discord.ui.Select = discord.ui.Select(
            placeholder=T.ATTENDANCE_SELECT.format(first=page * PAGE_SIZE + 1, last=page * PAGE_SIZE + len(rows)),
            min_values=0,
            max_values=len(rows),
            options=[
                discord.SelectOption(label=row.name[:100], value=str(row.member_id), default=bool(row.attended))
                for row in rows
            ],
            custom_id=custom_id("events", "attendance", sheet.event.id, page),
        )
        return cls(sheet.event.id, page, select)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AttendanceSelect:
        assert isinstance(item, discord.ui.Select)  # the template matches the sheet's select only
        return cls(int(match["event_id"]), int(match["page"]), item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._save)

    async def _save(self, interaction: Interaction) -> None:
        bot = interaction.client
        shown = [int(option.value) for option in self.item.options]
        present = [int(value) for value in self.item.values]
        async with bot.db.transaction(lock=True) as session:
            sheet = await attendance_service.set_attendance(
                session,
                interactions.guild_id(interaction),
                self.event_id,
                shown=shown,
                present=present,
                now=bot.now(),
            )
        await interaction.response.edit_message(**attendance_message(sheet, self.page))


@coordination_only()
class AttendancePageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=template("events", r"attendance-page:(?P<event_id>\d+):(?P<page>\d+)"),
):
    """◀ / ▶ of the sheet: shows the asked page, read again from the database."""

    def __init__(self, event_id: int, page: int, label: str = "·", *, disabled: bool = False) -> None:
        self.event_id, self.page = event_id, page
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                row=1,
                custom_id=custom_id("events", "attendance-page", event_id, page),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AttendancePageButton:
        assert isinstance(item, discord.ui.Button)  # the template matches the sheet's buttons only
        return cls(int(match["event_id"]), int(match["page"]), item.label or "·", disabled=item.disabled)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._show)

    async def _show(self, interaction: Interaction) -> None:
        bot = interaction.client
        async with bot.db.transaction() as session:
            sheet = await attendance_service.attendance_sheet(
                session, interactions.guild_id(interaction), self.event_id, now=bot.now()
            )
        await interaction.response.edit_message(**attendance_message(sheet, self.page))


def _pages(sheet: AttendanceSheet) -> int:
    return max(1, -(-len(sheet.rows) // PAGE_SIZE))


def attendance_message(sheet: AttendanceSheet, page: int) -> dict[str, Any]:
    """The coordinator's sheet at `page`: the embed and its controls."""
    last = _pages(sheet) - 1
    page = min(max(page, 0), last)
    view = RoutedView()
    if sheet.rows:
        view.add_item(AttendanceSelect.of(sheet, page))
        if last > 0:
            event_id = sheet.event.id
            previous, following = max(page - 1, 0), min(page + 1, last)
            view.add_item(AttendancePageButton(event_id, previous, T.PAGE_PREVIOUS, disabled=page == 0))
            view.add_item(AttendancePageButton(event_id, following, T.PAGE_NEXT, disabled=page == last))
    return {"embed": attendance_embed(sheet, page), "view": view}
