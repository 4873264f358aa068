"""Meta-tests: every extension loads; command names are unique and within Discord's limits;
services know nothing about Discord."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from discord import app_commands

from bot.app import extensions

ROOT = Path(__file__).resolve().parents[1]
NAME_RE = re.compile(r"^[-_\w]{1,32}$")


def _walk(command, path=()):
    path = (*path, command.name)
    yield path, command
    for child in getattr(command, "commands", []):
        yield from _walk(child, path)


async def test_command_tree(env, simcord_bot) -> None:
    bot = simcord_bot
    loaded = set(bot.extensions)
    assert loaded == set(extensions())
    seen: set[tuple[str, ...]] = set()
    for root in bot.tree.get_commands():
        if isinstance(root, app_commands.ContextMenu):
            assert 1 <= len(root.name) <= 32
            continue
        for path, command in _walk(root):
            assert path not in seen, f"duplicate command {' '.join(path)}"
            seen.add(path)
            assert NAME_RE.match(command.name) and command.name == command.name.lower(), path
            assert 1 <= len(command.description) <= 100, path
            for parameter in getattr(command, "parameters", []):
                assert NAME_RE.match(parameter.name) and parameter.name == parameter.name.lower()
                assert 1 <= len(parameter.description) <= 100, (path, parameter.name)
                assert len(parameter.choices) <= 25
        assert len(getattr(root, "commands", [])) <= 25
    assert len(bot.tree.get_commands()) <= 100


def test_services_do_not_import_discord() -> None:
    for path in (ROOT / "bot" / "services").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n == "discord" or n.startswith("discord.") for n in names), path
