"""Pages of lines in embeds, with ◀ / ▶ buttons, for lists longer than one embed.

Nothing is kept in memory: a button's custom_id names the command, its options and the page
to show (`pager:<page>:<command>:<option>=<value>…`; buttons posted before the custom_id
scheme, `pg:…`, still work). A click runs the command again, as the
person who clicks (its checks included), and the pager of that run edits the message to the
asked page. So the buttons still work after a restart, and a page shows today's data. Only
read-only list commands may use a pager (a click runs them again).

Long lists are paged in SQL: the command asks `asked_page()` (or `fetch_page`) which page
to show, its service returns that page's rows and the true total (`offset`, `limit` →
`(rows, total)`), and `Pager(..., total=total, page=page)` shows them. A page then costs
one indexed query and one count, whatever the size of the list."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.interactions import Interaction, reply, run_guarded
from bot.ui.custom_ids import custom_id, template
from bot.ui.views import RoutedView

log = logging.getLogger(__name__)

PAGE_FOOTER = "Page {page}/{pages} · {count} au total"
PREVIOUS = "◀ Précédente"
NEXT = "Suivante ▶"
MAX_DESCRIPTION = 4000
PER_PAGE = 20
MAX_CUSTOM_ID = 100
PREFIX = "pager"

# The page asked by the button being handled (and its command and options), if any.
_asked: ContextVar[tuple[int, str, dict[str, str]] | None] = ContextVar("pager_asked", default=None)


R = TypeVar("R")


def asked_page() -> int:
    """The page (from 0) asked by the ◀ / ▶ button being handled; 0 for the command itself."""
    asked = _asked.get()
    return max(asked[0], 0) if asked else 0


def page_count(total: int, per_page: int = PER_PAGE) -> int:
    return max(1, -(-total // per_page))


async def fetch_page(
    fetch: Callable[[int, int], Awaitable[tuple[list[R], int]]], *, per_page: int = PER_PAGE
) -> tuple[int, list[R], int]:
    """(page, rows, total) for the asked page: `fetch(offset, limit)` returns one page's
    rows and the true total. A page past the end (the list shrank since the button was
    drawn) shows the last page."""
    page = asked_page()
    rows, total = await fetch(page * per_page, per_page)
    last = page_count(total, per_page) - 1
    if page > last:
        page = last
        rows, total = await fetch(page * per_page, per_page)
    return page, rows, total


def paginate(lines: list[str], *, per_page: int = PER_PAGE) -> list[list[str]]:
    """Split lines into pages of at most `per_page` lines and MAX_DESCRIPTION characters."""
    pages: list[list[str]] = [[]]
    size = 0
    for line in lines:
        line = line[:MAX_DESCRIPTION]
        if len(pages[-1]) >= per_page or size + len(line) + 1 > MAX_DESCRIPTION:
            pages.append([])
            size = 0
        pages[-1].append(line)
        size += len(line) + 1
    return pages


def _escape(value: str) -> str:
    return value.replace("%", "%25").replace(":", "%3A").replace("=", "%3D")


def _unescape(value: str) -> str:
    return value.replace("%3D", "=").replace("%3A", ":").replace("%25", "%")


def encode(page: int, command: str, options: dict[str, str]) -> str:
    return custom_id(
        PREFIX,
        str(page),
        command.replace(" ", "."),
        *(f"{name}={_escape(value)}" for name, value in options.items()),
    )


def decode(custom_id: str) -> tuple[int, str, dict[str, str]]:
    _prefix, page, command, *rest = custom_id.split(":")
    options = dict(part.split("=", 1) for part in rest)
    return int(page), command.replace(".", " "), {k: _unescape(v) for k, v in options.items()}


def _raw(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TypeError(f"a pager cannot carry the option value {value!r}")


class Pager:
    """A list of lines shown a page at a time. Send it with `await pager.send(interaction)`.

    Either every line (`lines`), or one page fetched in SQL: `lines` are the rows of page
    `page` and `total` the true number of rows (see `fetch_page`)."""

    def __init__(
        self,
        title: str,
        lines: list[str],
        *,
        empty: str,
        colour: discord.Colour | None = None,
        total: int | None = None,
        page: int = 0,
    ):
        self.title, self.empty = title, empty
        self.colour = colour or discord.Colour.blurple()
        if total is None:
            self.count = len(lines)
            self.pages = paginate(lines)
            asked = _asked.get()
            self.page = min(max(asked[0], 0), len(self.pages) - 1) if asked else 0
            return
        # One page from SQL: the other pages are placeholders (only their number matters).
        self.count = total
        budget = MAX_DESCRIPTION // max(1, len(lines)) - 1
        shown = [line if len(line) <= budget else line[: budget - 1] + "…" for line in lines]
        self.page = min(max(page, 0), page_count(total) - 1)
        self.pages = [[] for _ in range(page_count(total))]
        self.pages[self.page] = shown

    def embed(self) -> discord.Embed:
        description = "\n".join(self.pages[self.page]) or self.empty
        embed = discord.Embed(title=self.title, description=description, colour=self.colour)
        if len(self.pages) > 1:
            embed.set_footer(text=PAGE_FOOTER.format(page=self.page + 1, pages=len(self.pages), count=self.count))
        return embed

    def _state(self, interaction: Interaction) -> tuple[str, dict[str, str]]:
        asked = _asked.get()
        if asked is not None:
            return asked[1], asked[2]
        command = interaction.command
        assert command is not None, "a pager is sent by a slash command or its own buttons"
        return command.qualified_name, {name: _raw(value) for name, value in interaction.namespace}

    def view(self, interaction: Interaction) -> discord.ui.View | None:
        if len(self.pages) <= 1:
            return None
        command, options = self._state(interaction)
        previous = encode(self.page - 1 if self.page else 0, command, options)
        following = encode(min(self.page + 1, len(self.pages) - 1), command, options)
        if len(following) > MAX_CUSTOM_ID:
            log.warning("Pager state of %s too long for a custom_id: first page only", command)
            return None
        view = RoutedView()
        view.add_item(PageButton(previous, PREVIOUS, disabled=self.page == 0))
        view.add_item(PageButton(following, NEXT, disabled=self.page >= len(self.pages) - 1))
        return view

    async def send(self, interaction: Interaction, **kwargs: Any) -> None:
        """Answer the command with the first page, or edit the message for a page button."""
        view = self.view(interaction)
        if interaction.type is discord.InteractionType.component:
            if interaction.response.is_done():  # the command deferred
                await interaction.edit_original_response(embed=self.embed(), view=view, **kwargs)
            else:
                await interaction.response.edit_message(embed=self.embed(), view=view, **kwargs)
        elif view is None:
            await reply(interaction, embed=self.embed(), **kwargs)
        else:
            await reply(interaction, embed=self.embed(), view=view, **kwargs)


def _find_command(tree: app_commands.CommandTree, qualified_name: str) -> app_commands.Command:
    first, *rest = qualified_name.split(" ")
    found: Any = tree.get_command(first)
    for name in rest:
        found = found.get_command(name) if isinstance(found, app_commands.Group) else None
    if not isinstance(found, app_commands.Command):
        raise LookupError(qualified_name)
    return found


def _option(command: app_commands.Command[Any, ..., Any], name: str, raw: str) -> Any:
    """One option as Discord sends it in an interaction's data (a typed dict for discord.py)."""
    parameter = next(p for p in command.parameters if p.display_name == name)
    kind = parameter.type
    if kind is discord.AppCommandOptionType.integer:
        value: Any = int(raw)
    elif kind is discord.AppCommandOptionType.number:
        value = float(raw)
    elif kind is discord.AppCommandOptionType.boolean:
        value = raw == "1"
    else:
        value = raw
    return {"name": name, "type": kind.value, "value": value}


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=template(PREFIX, r"(?P<page>\d+):[^:]+(?::[^:]*)*", legacy=("pg",)),
):
    """◀ / ▶: runs the list command again for the asked page."""

    def __init__(self, custom_id: str, label: str = "·", *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(label=label, style=discord.ButtonStyle.secondary, custom_id=custom_id, disabled=disabled)
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageButton:
        button = item if isinstance(item, discord.ui.Button) else None
        return cls(match.string, (button.label if button else None) or "·", disabled=bool(button and button.disabled))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._run)

    async def _run(self, interaction: Interaction) -> None:
        page, name, options = decode(self.custom_id)
        command = _find_command(interaction.client.tree, name)
        namespace = app_commands.Namespace(
            interaction,
            {},
            [_option(command, k, v) for k, v in options.items()],
        )
        token = _asked.set((page, name, options))
        try:
            await command._invoke_with_namespace(interaction, namespace)  # the command's own path
        finally:
            _asked.reset(token)
