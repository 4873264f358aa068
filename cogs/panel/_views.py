"""The members' panel: three persistent buttons, and the link form they open."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import interactions
from bot.interactions import Interaction, reply, run_guarded
from bot.ui.custom_ids import custom_id, template
from bot.ui.pager import paginate
from bot.ui.persistent import PersistentModal
from bot.ui.views import RoutedView
from cogs.events import mine
from cogs.panel import _texts as T
from cogs.requests import forms as requests_forms
from cogs.watch import sharing

HELP, LINK, MINE = "help", "link", "mine"


# The two buttons that act as another feature's command. They reach that feature's cog until
# cogs/requests and cogs/watch expose a public function for them (then call it here).
async def open_request_form(interaction: Interaction) -> None:
    """« Demander un accompagnement »: the form of /accompagnement demander."""
    await requests_forms.open_request_form(interaction)


async def propose_link(interaction: Interaction, link: str, comment: str | None) -> None:
    """« Proposer un lien pour la veille »: the link added as by /veille ajouter."""
    await sharing.propose_link(interaction.client, interaction, link, comment)


BUTTONS = {
    HELP: (T.BUTTON_HELP, "🤝", discord.ButtonStyle.primary),
    LINK: (T.BUTTON_LINK, "🔗", discord.ButtonStyle.secondary),
    MINE: (T.BUTTON_MINE, "📅", discord.ButtonStyle.secondary),
}


class PanelButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=template("panel", r"(?P<action>help|link|mine)")
):
    """One of the panel's buttons; each acts for the member who clicks, as the matching
    command would (/accompagnement demander, /veille ajouter, /evenement mes-inscriptions)."""

    def __init__(self, action: str) -> None:
        label, emoji, style = BUTTONS[action]
        super().__init__(discord.ui.Button(label=label, emoji=emoji, style=style, custom_id=custom_id("panel", action)))
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PanelButton:
        return cls(match["action"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, getattr(self, f"_{self.action}"))

    async def _help(self, interaction: Interaction) -> None:
        await open_request_form(interaction)

    async def _link(self, interaction: Interaction) -> None:
        await interaction.response.send_modal(LinkModal())

    async def _mine(self, interaction: Interaction) -> None:
        lines = await mine.registration_lines(
            interaction.client, interactions.guild_id(interaction), interaction.user.id
        )
        if not lines:
            await reply(interaction, mine.EMPTY)
            return
        pages = paginate(lines, per_page=15)
        shown = pages[0]
        if len(pages) > 1:
            shown = [*shown, T.MINE_MORE.format(count=len(lines) - len(shown))]
        embed = discord.Embed(title=mine.TITLE, description="\n".join(shown))
        await reply(interaction, embed=embed)


def panel_view() -> discord.ui.View:
    view = RoutedView()
    for action in BUTTONS:
        view.add_item(PanelButton(action))
    return view


class LinkModal(PersistentModal, title=T.LINK_MODAL_TITLE):
    """« Proposer un lien pour la veille »: the link and a comment, as /veille ajouter."""

    template = template("panel", "link-form")

    def __init__(self) -> None:
        super().__init__(timeout=900, custom_id=custom_id("panel", "link-form"))
        self.link: discord.ui.TextInput[LinkModal] = discord.ui.TextInput(
            label=T.LINK_LABEL, custom_id="link", placeholder=T.LINK_PLACEHOLDER, max_length=1000
        )
        self.comment: discord.ui.TextInput[LinkModal] = discord.ui.TextInput(
            label=T.LINK_COMMENT_LABEL,
            custom_id="comment",
            style=discord.TextStyle.paragraph,
            placeholder=T.LINK_COMMENT_PLACEHOLDER,
            required=False,
            max_length=500,
        )
        self.add_item(self.link)
        self.add_item(self.comment)

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> LinkModal:
        return cls()

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await propose_link(interaction, self.link.value, self.comment.value.strip() or None)
