"""The components of the bot's messages, kept nowhere in the process.

Every button and select the bot sends is a `DynamicItem`: its state is in its custom_id and
discord.py routes a click to it by matching that custom_id, whether the message was sent a
minute ago or before a restart. The `View` that carries them is only a container for the
send. Left unfinished, discord.py still keeps it: an ephemeral answer's view gets a
15-minute timeout, that is a task sleeping 15 minutes per answer (each /veille ajouter, each
confirmation question…), and a view with other items is stored for the life of the process.
(Issue 18: 200 /veille ajouter left 200 such sleeps; SimCord scans them on every turn of the
event loop, and every later command of the benchmark took 50 ms instead of 5.)

`RoutedView` is finished from the start, so that no send keeps it, and refuses an item that
would need it kept (anything but a `DynamicItem` or a link button).
"""

from __future__ import annotations

from typing import Any, Self

import discord


class RoutedView(discord.ui.View):
    """The components of one message, routed by their custom_id (see the module doc)."""

    def __init__(self, *items: discord.ui.Item[Any]) -> None:
        super().__init__(timeout=None)
        self.stop()  # discord.py's send and edit paths keep no finished view, nor time it out
        for item in items:
            self.add_item(item)

    def add_item(self, item: discord.ui.Item[Any]) -> Self:
        routed = isinstance(item, discord.ui.DynamicItem) or (
            isinstance(item, discord.ui.Button) and item.url is not None
        )
        if not routed:
            raise TypeError(f"{type(item).__name__} is not routed by its custom_id: use a DynamicItem")
        super().add_item(item)
        return self
