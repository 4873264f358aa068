"""The draft as the coordination sees it (/veille brouillon): its status, the items page by
page with their persistent controls (at most 25 buttons a message), and the forms of an
item's comment and of the editorial."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot import interactions
from bot.dates import format_when
from bot.db.models.watch import PROPOSED
from bot.french import agree, plural
from bot.interactions import Interaction, reply, run_guarded
from bot.permissions import coordination_only
from bot.services import guilds as guilds_service
from bot.services import schedules as schedules_service
from bot.services.watch import digests as watch_digests
from bot.services.watch import draft as watch_draft
from bot.services.watch import items as watch_items
from bot.services.watch.urls import markdown_target
from bot.text import shorten
from bot.ui import confirm, custom_ids
from bot.ui.persistent import PersistentModal
from bot.ui.views import RoutedView
from cogs.watch import _texts as T
from cogs.watch._render import COLOUR, DIGEST_KIND, embeds_of, escape, layout, names

if TYPE_CHECKING:
    from bot.app import PdnBot

ITEMS_PER_PAGE = 4  # 4 rows of 5 item buttons + 1 row of page controls = 25 buttons
REMOVE_ACTION = "watch-draft-remove"  # « ✕ » asks first (bot/ui/confirm.py), « Oui » removes


async def draft_message(bot: PdnBot, guild_id: int, page: int) -> dict[str, Any]:
    """The draft as the coordinator sees it: status, the page's items, the controls."""
    async with bot.db.transaction() as session:
        content = await watch_draft.draft_items(session, guild_id)
        settings = await guilds_service.get_settings(session, guild_id)
        watch = await watch_draft.watch_settings(session, guild_id)
        failed = await watch_digests.last_failed_post(session, guild_id)
        schedule = await schedules_service.get_schedule(session, guild_id, DIGEST_KIND.schedule)
    pages = max(1, -(-len(content.items) // ITEMS_PER_PAGE))
    page = min(max(page, 0), pages - 1)

    lines = []
    trigger = DIGEST_KIND.trigger(schedule)
    next_time = trigger.get_next_fire_time(None, bot.now()) if trigger else None
    if not settings.digest_channel_id:
        lines.append(T.DRAFT_NEXT_NO_CHANNEL)
    elif next_time is None:
        lines.append(T.DRAFT_NEXT_DISABLED)
    else:
        lines.append(T.DRAFT_NEXT.format(when=format_when(next_time), channel=settings.digest_channel_id))
    lines.append(
        T.DRAFT_COUNTS.format(
            accepted=len(content.accepted),
            links=agree(len(content.accepted), *T.LINK_KEPT),
            proposed=len(content.proposed),
            proposals=agree(len(content.proposed), *T.PROPOSAL),
        )
    )
    lines.append(
        T.DRAFT_EDITORIAL.format(text=shorten(content.editorial, 600)) if content.editorial else T.DRAFT_NO_EDITORIAL
    )
    lines.append(T.DRAFT_EMPTY_NOTE_ON if watch.empty_note else T.DRAFT_EMPTY_NOTE_OFF)
    if failed is not None:
        lines.append(
            T.DRAFT_FAILED.format(
                marker=bot.outbox.default_title(failed),
                attempts=plural(failed.attempts, "essai", "essais"),
                error=shorten(failed.last_error or "", 200),
                when=format_when(failed.due_at),
            )
        )
    status = discord.Embed(
        title=T.DRAFT_TITLE.format(number=content.number), description="\n".join(lines), colour=COLOUR
    )

    shown = content.items[page * ITEMS_PER_PAGE : (page + 1) * ITEMS_PER_PAGE]
    entries = []
    for offset, item in enumerate(shown):
        index = page * ITEMS_PER_PAGE + offset + 1
        shared_by = names(content.contributors.get(item.id, []), mentions=False)
        link = (
            f"[{escape(shorten(item.title, 120))}]({markdown_target(item.url)})"
            if item.title
            else f"<{shorten(item.url, 300)}>"
        )
        flags = (T.DRAFT_FLAG_FEATURED if item.featured else "") + (
            T.DRAFT_FLAG_PROPOSED if item.status == PROPOSED else ""
        )
        entries.append(
            T.DRAFT_LINE.format(
                index=index,
                flags=flags,
                link=link,
                category=item.category,
                comment=T.DRAFT_COMMENT.format(comment=shorten(item.comment, 200)) if item.comment else "",
                names=T.DRAFT_BY.format(names=shared_by) if shared_by else "",
            )
        )
    listing = discord.Embed(
        title=T.DRAFT_PAGE.format(page=page + 1, pages=pages),
        description="\n\n".join(entries) or T.DRAFT_EMPTY,
        colour=COLOUR,
    )
    if shown:
        listing.set_footer(text=T.DRAFT_HELP)

    view = RoutedView()
    for offset, item in enumerate(shown):
        index = page * ITEMS_PER_PAGE + offset + 1
        row = offset
        view.add_item(DraftButton("up", item.id, page, T.BUTTON_UP.format(index=index), row=row))
        view.add_item(DraftButton("down", item.id, page, T.BUTTON_DOWN.format(index=index), row=row))
        if item.status == PROPOSED:
            view.add_item(
                DraftButton(
                    "accept",
                    item.id,
                    page,
                    T.BUTTON_ACCEPT.format(index=index),
                    row=row,
                    style=discord.ButtonStyle.success,
                )
            )
        else:
            view.add_item(
                DraftButton(
                    "star",
                    item.id,
                    page,
                    T.BUTTON_STAR.format(index=index),
                    row=row,
                    style=discord.ButtonStyle.primary if item.featured else discord.ButtonStyle.secondary,
                )
            )
        view.add_item(DraftButton("comment", item.id, page, T.BUTTON_COMMENT.format(index=index), row=row))
        view.add_item(
            DraftButton(
                "remove", item.id, page, T.BUTTON_REMOVE.format(index=index), row=row, style=discord.ButtonStyle.danger
            )
        )
    row = len(shown)
    view.add_item(DraftButton("page", 0, page - 1, T.BUTTON_PREVIOUS, row=row, disabled=page == 0))
    view.add_item(DraftButton("page", 1, page + 1, T.BUTTON_NEXT, row=row, disabled=page >= pages - 1))
    view.add_item(DraftButton("edito", 0, page, T.BUTTON_EDITORIAL, row=row, style=discord.ButtonStyle.primary))
    view.add_item(DraftButton("preview", 0, page, T.BUTTON_PREVIEW, row=row))
    view.add_item(
        DraftButton("empty", 0, page, T.BUTTON_EMPTY_NOTE.format(state=T.YES if watch.empty_note else T.NO), row=row)
    )
    return {"embeds": [status, listing], "view": view}


@coordination_only()
class DraftButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=custom_ids.template("watch", r"(?P<action>[a-z]+):(?P<item>\d+):(?P<page>-?\d+)", legacy=("veille",)),
):
    """A draft control. Persistent: it still works after a restart (state is in the DB)."""

    def __init__(
        self,
        action: str,
        item_id: int,
        page: int,
        label: str = "·",
        *,
        row: int | None = None,
        style: discord.ButtonStyle = discord.ButtonStyle.secondary,
        disabled: bool = False,
    ) -> None:
        self.action, self.item_id, self.page = action, item_id, page
        super().__init__(
            discord.ui.Button(
                label=label,
                style=style,
                row=row,
                disabled=disabled,
                custom_id=custom_ids.custom_id("watch", action, item_id, page),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DraftButton:
        return cls(match["action"], int(match["item"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._handle)

    async def _handle(self, interaction: Interaction) -> None:
        bot = interaction.client
        guild_id = interactions.guild_id(interaction)
        if self.action == "comment":
            async with bot.db.transaction() as session:
                item = await watch_items.pending_item(session, guild_id, self.item_id)
            await interaction.response.send_modal(CommentModal(self.item_id, self.page, item.comment))
            return
        if self.action == "edito":
            async with bot.db.transaction() as session:
                current = (await watch_draft.watch_settings(session, guild_id)).editorial
            await interaction.response.send_modal(EditorialModal(self.page, current))
            return
        if self.action == "preview":
            await self._preview(bot, interaction, guild_id)
            return
        if self.action == "remove":
            async with bot.db.transaction() as session:
                item = await watch_items.pending_item(session, guild_id, self.item_id)
            title = shorten(item.title or item.url, 150)
            await confirm.ask(
                interaction, REMOVE_ACTION, self.item_id, T.CONFIRM_REMOVE.format(title=title), T.CONFIRM_REMOVE_YES
            )
            return
        async with bot.db.transaction(lock=True) as session:
            if self.action == "up":
                await watch_items.move_item(session, guild_id, self.item_id, -1)
            elif self.action == "down":
                await watch_items.move_item(session, guild_id, self.item_id, +1)
            elif self.action == "star":
                await watch_items.toggle_featured(session, guild_id, self.item_id)
            elif self.action == "accept":
                await watch_items.accept_item(session, guild_id, self.item_id)
            elif self.action == "empty":
                await watch_draft.toggle_empty_note(session, guild_id)
        await interaction.response.edit_message(**await draft_message(bot, guild_id, self.page))

    async def _preview(self, bot: PdnBot, interaction: Interaction, guild_id: int) -> None:
        async with bot.db.transaction() as session:
            content = await watch_draft.draft_items(session, guild_id)
        if not content.accepted:
            await reply(interaction, T.PREVIEW_EMPTY)
            return
        messages = layout(content)
        await interaction.response.send_message(
            T.PREVIEW_INTRO.format(messages=plural(len(messages), "message", "messages")),
            embeds=embeds_of(messages[0]),
            ephemeral=True,
        )
        for message in messages[1:]:
            await interaction.followup.send(embeds=embeds_of(message), ephemeral=True)


async def remove_confirmed(interaction: Interaction, item_id: int, _typed: dict[str, Any]) -> None:
    """« Oui, retirer » after the draft's « ✕ »: the item leaves the draft, and the question
    becomes the refreshed draft (first page)."""
    bot = interaction.client
    await bot.require_coordinator(interaction)
    guild_id = interactions.guild_id(interaction)
    async with bot.db.transaction(lock=True) as session:
        item = await watch_items.remove_item(
            session, guild_id, item_id, discord_id=interaction.user.id, coordinator=True
        )
    removed = T.REMOVED.format(title=shorten(item.title or item.url, 150))
    await interaction.response.edit_message(content=removed, **await draft_message(bot, guild_id, 0))


class CommentModal(PersistentModal, title=T.COMMENT_MODAL_TITLE):
    template = custom_ids.template("watch", r"(?:form:)?comment:(?P<item>\d+):(?P<page>-?\d+)", legacy=("veille-form",))

    def __init__(self, item_id: int, page: int, current: str | None) -> None:
        super().__init__(timeout=900, custom_id=custom_ids.custom_id("watch", "form", "comment", item_id, page))
        self.item_id, self.page = item_id, page
        self.comment: discord.ui.TextInput[discord.ui.Modal] = discord.ui.TextInput(
            label=T.COMMENT_LABEL,
            custom_id="comment",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=watch_items.MAX_COMMENT,
            default=current,
        )
        self.add_item(self.comment)

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> CommentModal:
        return cls(int(match["item"]), int(match["page"]), None)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        bot = interaction.client
        await bot.require_coordinator(interaction)
        async with bot.db.transaction(lock=True) as session:
            await watch_items.set_comment(session, interactions.guild_id(interaction), self.item_id, self.comment.value)
        await interaction.response.edit_message(
            **await draft_message(bot, interactions.guild_id(interaction), self.page)
        )


class EditorialModal(PersistentModal, title=T.EDITORIAL_MODAL_TITLE):
    template = custom_ids.template("watch", r"(?:form:)?edito:(?P<page>-?\d+)", legacy=("veille-form",))

    def __init__(self, page: int, current: str | None) -> None:
        super().__init__(timeout=900, custom_id=custom_ids.custom_id("watch", "form", "edito", page))
        self.page = page
        self.editorial: discord.ui.TextInput[discord.ui.Modal] = discord.ui.TextInput(
            label=T.EDITORIAL_LABEL,
            custom_id="editorial",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=watch_draft.MAX_EDITORIAL,
            placeholder=T.EDITORIAL_PLACEHOLDER,
            default=current,
        )
        self.add_item(self.editorial)

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> EditorialModal:
        return cls(int(match["page"]), None)

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        bot = interaction.client
        await bot.require_coordinator(interaction)
        async with bot.db.transaction(lock=True) as session:
            await watch_draft.set_editorial(session, interactions.guild_id(interaction), self.editorial.value)
        await interaction.response.edit_message(
            **await draft_message(bot, interactions.guild_id(interaction), self.page)
        )
