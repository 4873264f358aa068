"""Helpers of the permission and cross-guild matrices: the whole database as data, the
tree of commands and persistent components of the shipped bot, forged buttons."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord import app_commands
from sqlalchemy import select

from bot.app import create_bot, extensions
from bot.config import Settings
from bot.db import Base, Database


async def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (a refused action must leave all of it as it was)."""
    state = {}
    async with db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            state[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return state


def tree() -> tuple[list[app_commands.Command], list[app_commands.ContextMenu], list[type]]:
    """Slash commands, context menus and registered persistent components (`DynamicItem`
    classes, and the classes of persistent views added with `add_view`) of the real bot,
    as its extensions build them."""

    async def load() -> Any:
        settings = Settings(discord_token="x", database_url="sqlite+aiosqlite://", _env_file=None)  # type: ignore[call-arg]
        bot = create_bot(settings)
        for extension in extensions():
            await bot.load_extension(extension)
        commands = [c for c in bot.tree.walk_commands() if isinstance(c, app_commands.Command)]
        menus = [
            c
            for kind in (discord.AppCommandType.message, discord.AppCommandType.user)
            for c in bot.tree.get_commands(type=kind)
        ]
        items = list(bot._connection._view_store._dynamic_items.values())
        items += list(dict.fromkeys(type(view) for view in bot.persistent_views))
        await bot.release_resources()
        return commands, menus, items

    return asyncio.run(load())


def options_for(command: app_commands.Command, w: Any) -> dict[str, Any]:
    """A valid value for every required option (the gate is checked before any parsing)."""
    values: dict[str, Any] = {}
    kinds = discord.AppCommandOptionType
    for param in command.parameters:
        if not param.required:
            continue
        if param.choices:
            values[param.name] = param.choices[0].value
        elif param.type is kinds.string:
            values[param.name] = "1"
        elif param.type is kinds.integer:
            values[param.name] = int(param.min_value or 1)
        elif param.type is kinds.number:
            values[param.name] = float(param.min_value or 1)
        elif param.type is kinds.boolean:
            values[param.name] = True
        elif param.type in (kinds.user, kinds.mentionable):
            values[param.name] = w.alice
        elif param.type is kinds.role:
            values[param.name] = w.promeneur_role
        elif param.type is kinds.channel:
            values[param.name] = w.general
        elif param.type is kinds.attachment:
            values[param.name] = ("fichier.csv", b"annee,territoire,indicateur,valeur,note\n")
        else:  # pragma: no cover - a new option type must be taught here
            raise AssertionError(f"no test value for {param.type} ({command.qualified_name})")
    return values


async def forged_button(w: Any, channel: Any, custom_id: str) -> Any:
    """A message of the bot carrying a button with this custom_id, in a channel the member
    can see: the component handler must enforce its gate whoever reaches it."""
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Bouton", custom_id=custom_id))
    sent = await w.env.bot.get_channel(channel.id).send("·", view=view)
    return next(m for m in channel.history() if m.id == sent.id)
