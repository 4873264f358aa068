"""/aide: what this person can do here, read from the command tree and their permissions
(the members' panel that /config panneau posts is built in cogs/panel/message.py)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PdnBot
from bot.french import typo
from bot.interactions import Interaction
from bot.permissions import COORDINATION, gate_of, is_coordinator
from bot.ui.pager import Pager
from cogs.panel import _texts as T


def _description(command: app_commands.Command[Any, ..., Any]) -> str:
    # Descriptions are plain docstrings (Discord shows them as typed): French spacing here.
    return typo((command.description or "").strip().rstrip(".") + ".", glued=False)


def help_lines(tree: app_commands.CommandTree, *, coordinator: bool) -> list[str]:
    """One line per command this person may run (the coordination's apart), then the
    message menus."""
    members: list[str] = []
    coordination: list[str] = []
    for command in sorted(tree.walk_commands(), key=lambda c: c.qualified_name):
        if not isinstance(command, app_commands.Command) or command.qualified_name.startswith("demo "):
            continue
        line = T.HELP_LINE.format(name=command.qualified_name, description=_description(command))
        (coordination if gate_of(command) == COORDINATION else members).append(line)
    menus = [
        T.HELP_MENU_LINE.format(name=menu.name)
        for menu in tree.get_commands(type=discord.AppCommandType.message)
        if gate_of(menu) != COORDINATION or coordinator
    ]
    lines = [T.HELP_INTRO_MEMBER, T.HELP_MEMBERS, *members, *menus]
    if coordinator:
        lines += ["", T.HELP_INTRO_COORDINATION, T.HELP_COORDINATION, *coordination]
    return lines


class Panel(commands.Cog):
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot

    @app_commands.command(name="aide")
    @app_commands.guild_only()
    async def aide(self, interaction: Interaction) -> None:
        """Ce que vous pouvez faire ici, selon votre rôle."""
        lines = help_lines(self.bot.tree, coordinator=await is_coordinator(interaction))
        await Pager(T.HELP_TITLE, lines, empty=T.HELP_INTRO_MEMBER).send(interaction)
