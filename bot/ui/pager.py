"""Pages of lines in embeds, with ◀ / ▶ buttons, for lists longer than one embed."""

from __future__ import annotations

import discord

from bot.interactions import GuardedView

PAGE_FOOTER = "Page {page}/{pages} · {count} au total"
MAX_DESCRIPTION = 4000


def paginate(lines: list[str], *, per_page: int = 20) -> list[list[str]]:
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


class Pager(GuardedView):
    def __init__(self, title: str, lines: list[str], *, empty: str, colour: discord.Colour | None = None):
        super().__init__(timeout=900)
        self.title, self.count, self.empty = title, len(lines), empty
        self.colour = colour or discord.Colour.blurple()
        self.pages = paginate(lines)
        self.page = 0
        self._refresh_buttons()

    def embed(self) -> discord.Embed:
        description = "\n".join(self.pages[self.page]) or self.empty
        embed = discord.Embed(title=self.title, description=description, colour=self.colour)
        if len(self.pages) > 1:
            embed.set_footer(
                text=PAGE_FOOTER.format(page=self.page + 1, pages=len(self.pages), count=self.count)
            )
        return embed

    def _refresh_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.pages) - 1
        if len(self.pages) <= 1:
            self.clear_items()

    @discord.ui.button(label="◀ Précédente", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        self.page = max(0, self.page - 1)
        self._refresh_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    @discord.ui.button(label="Suivante ▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        self.page = min(len(self.pages) - 1, self.page + 1)
        self._refresh_buttons()
        await interaction.response.edit_message(embed=self.embed(), view=self)

    def send_kwargs(self) -> dict:
        return {"embed": self.embed(), "view": self} if len(self.pages) > 1 else {"embed": self.embed()}
