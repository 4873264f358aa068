"""Persistent buttons of an announcement, and the attendance sheet's paged selects."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.interactions import GuardedView, run_guarded
from bot.services import events_registrations as regs
from bot.services.events_registrations import AttendanceSheet
from cogs.events import _texts as T

if TYPE_CHECKING:
    from cogs.events._cog import Events

PAGE_SIZE = 25


def _cog(interaction: discord.Interaction) -> Events:
    cog = interaction.client.get_cog("Events")  # type: ignore[attr-defined]
    assert cog is not None
    return cog  # type: ignore[return-value]


class RegisterButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"events:register:(?P<event_id>\d+)"
):
    """S'inscrire, on the announcement; works after a restart."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        super().__init__(
            discord.ui.Button(
                label=T.BUTTON_REGISTER,
                style=discord.ButtonStyle.success,
                custom_id=f"events:register:{event_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> RegisterButton:
        return cls(int(match["event_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, self._handle)

    async def _handle(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).register_member(interaction, self.event_id)


class WithdrawButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"events:withdraw:(?P<event_id>\d+)"
):
    """Se désinscrire, on the announcement; works after a restart."""

    def __init__(self, event_id: int) -> None:
        self.event_id = event_id
        super().__init__(
            discord.ui.Button(
                label=T.BUTTON_WITHDRAW,
                style=discord.ButtonStyle.secondary,
                custom_id=f"events:withdraw:{event_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> WithdrawButton:
        return cls(int(match["event_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, self._handle)

    async def _handle(self, interaction: discord.Interaction) -> None:
        await _cog(interaction).withdraw_member(interaction, self.event_id)


def announcement_view(event_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(RegisterButton(event_id))
    view.add_item(WithdrawButton(event_id))
    return view


def attendance_embed(sheet: AttendanceSheet, page: int) -> discord.Embed:
    pages = max(1, -(-len(sheet.rows) // PAGE_SIZE))
    lines = []
    for row in sheet.rows:
        walk_in = T.ATTENDANCE_WALK_IN if row.status == regs.WALK_IN else ""
        if row.attended:
            lines.append(T.ATTENDANCE_LINE_PRESENT.format(name=row.name, walk_in=walk_in))
        elif row.attended is False:
            lines.append(T.ATTENDANCE_LINE_ABSENT.format(name=row.name))
        else:
            lines.append(T.ATTENDANCE_LINE_UNMARKED.format(name=row.name))
    shown = lines[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    fill = (
        T.ATTENDANCE_FILL.format(rate=f"{sheet.fill_rate:.0%}".replace("%", " %"))
        if sheet.fill_rate is not None
        else ""
    )
    embed = discord.Embed(
        title=T.ATTENDANCE_TITLE.format(title=sheet.event.title)[:256],
        description="\n".join(shown) if shown else T.ATTENDANCE_EMPTY,
        colour=discord.Colour.teal(),
    )
    embed.add_field(
        name="Bilan",
        value=T.ATTENDANCE_SUMMARY.format(
            present=sheet.present,
            no_shows=sheet.no_shows,
            unmarked=T.ATTENDANCE_UNMARKED.format(count=sheet.unmarked) if sheet.unmarked else "",
            walk_ins=sheet.walk_ins,
            registered=sheet.registered,
            fill=fill,
        ),
        inline=False,
    )
    if sheet.rows:
        embed.set_footer(text=T.ATTENDANCE_HELP.format(page=page + 1, pages=pages))
    return embed


class AttendanceSelect(discord.ui.Select["AttendanceView"]):
    def __init__(self, sheet: AttendanceSheet, page: int) -> None:
        rows = sheet.rows[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
        super().__init__(
            placeholder=T.ATTENDANCE_SELECT.format(
                first=page * PAGE_SIZE + 1, last=page * PAGE_SIZE + len(rows)
            ),
            min_values=0,
            max_values=len(rows),
            options=[
                discord.SelectOption(
                    label=row.name[:100], value=str(row.member_id), default=bool(row.attended)
                )
                for row in rows
            ],
            custom_id="events:attendance:select",
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        assert self.view is not None
        await self.view.save(interaction, [int(v) for v in self.values])


class AttendanceView(GuardedView):
    """The coordinator's sheet: one multi-select of at most 25 people per page. Choosing
    saves that page at once (selected = present, the others of the page = absent)."""

    def __init__(self, cog: Events, guild_id: int, user_id: int, sheet: AttendanceSheet, page: int = 0):
        super().__init__(timeout=1800)
        self.cog, self.guild_id, self.user_id = cog, guild_id, user_id
        self.sheet, self.page = sheet, page
        self._build()

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.sheet.rows) // PAGE_SIZE))

    def _build(self) -> None:
        self.clear_items()
        if not self.sheet.rows:
            return
        self.add_item(AttendanceSelect(self.sheet, self.page))
        if self.pages > 1:
            previous = discord.ui.Button(
                label=T.PAGE_PREVIOUS, style=discord.ButtonStyle.secondary,
                disabled=self.page == 0, row=1,
            )
            following = discord.ui.Button(
                label=T.PAGE_NEXT, style=discord.ButtonStyle.secondary,
                disabled=self.page >= self.pages - 1, row=1,
            )
            previous.callback = self._previous  # type: ignore[method-assign]
            following.callback = self._next  # type: ignore[method-assign]
            self.add_item(previous)
            self.add_item(following)

    def embed(self) -> discord.Embed:
        return attendance_embed(self.sheet, self.page)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await self.cog.bot.coordination_check(interaction)

    async def _show(self, interaction: discord.Interaction) -> None:
        self._build()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    async def _previous(self, interaction: discord.Interaction) -> None:
        self.page = max(0, self.page - 1)
        await self._reload()
        await self._show(interaction)

    async def _next(self, interaction: discord.Interaction) -> None:
        self.page = min(self.pages - 1, self.page + 1)
        await self._reload()
        await self._show(interaction)

    async def _reload(self) -> None:
        bot = self.cog.bot
        async with bot.db.transaction() as session:
            self.sheet = await regs.attendance_sheet(
                session, self.guild_id, self.sheet.event.id, now=bot.now()
            )

    async def save(self, interaction: discord.Interaction, present: list[int]) -> None:
        bot = self.cog.bot
        shown = [r.member_id for r in self.sheet.rows[self.page * PAGE_SIZE:(self.page + 1) * PAGE_SIZE]]
        async with bot.db.transaction(lock=True) as session:
            self.sheet = await regs.set_attendance(
                session, self.guild_id, self.sheet.event.id, shown=shown, present=present,
                now=bot.now(),
            )
        await self._show(interaction)

    def send_kwargs(self) -> dict[str, Any]:
        return {"embed": self.embed(), "view": self}
