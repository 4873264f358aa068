"""The members' panel as a message: posted by /config panneau (cogs/config), its buttons
answered by this feature (cogs/panel/_views.py)."""

from __future__ import annotations

from typing import Any

import discord

from cogs.panel import _texts as T
from cogs.panel._views import panel_view


def panel_message() -> dict[str, Any]:
    embed = discord.Embed(title=T.PANEL_TITLE, description=T.PANEL_BODY, colour=0x2E86AB)
    return {"embed": embed, "view": panel_view()}
