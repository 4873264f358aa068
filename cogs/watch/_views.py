"""The category select shown after adding a link (its contributor may move it)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot import interactions
from bot.interactions import Interaction, run_guarded
from bot.services.watch import items as watch_items
from bot.text import shorten
from bot.ui import custom_ids
from bot.ui.views import RoutedView
from cogs.watch import _texts as T

if TYPE_CHECKING:
    pass


class CategorySelect(
    discord.ui.DynamicItem[discord.ui.Select],
    template=custom_ids.template("watch", r"(?:category:)?(?P<item>\d+)", legacy=("veille-categorie",)),
):
    """After adding a link: its contributor may move it to another category. Persistent (the
    item is in the custom_id), so it still works after a restart."""

    def __init__(self, item_id: int, options: list[discord.SelectOption] | None = None) -> None:
        self.item_id = item_id
        super().__init__(
            discord.ui.Select(
                placeholder=T.CATEGORY_PLACEHOLDER,
                custom_id=custom_ids.custom_id("watch", "category", item_id),
                options=options or [],
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CategorySelect:
        return cls(int(match["item"]), item.options if isinstance(item, discord.ui.Select) else None)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._chosen)

    async def _chosen(self, interaction: Interaction) -> None:
        bot = interaction.client
        value = self.item.values[0]
        guild_id = interactions.guild_id(interaction)
        async with bot.db.transaction(lock=True) as session:
            item = await watch_items.set_category(
                session,
                guild_id,
                self.item_id,
                value,
                discord_id=interaction.user.id,
            )
        title = shorten(item.title or item.url, 150)
        await interaction.response.edit_message(
            content=T.CATEGORY_CHANGED.format(title=title, category=item.category), view=None
        )


class CategoryView(RoutedView):
    """The message that carries the category select."""

    def __init__(self, item_id: int, categories: list[str], current: str) -> None:
        super().__init__()
        options = [
            discord.SelectOption(label=shorten(name, 100), value=shorten(name, 100), default=name == current)
            for name in categories[:25]
        ]
        self.add_item(CategorySelect(item_id, options))
