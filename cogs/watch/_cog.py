"""/veille and the message menu "Ajouter à la veille"."""

from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot import interactions
from bot.app import PdnBot
from bot.dates import format_day, format_when
from bot.db.models.outbox import SENDING, SENT
from bot.errors import NotConfiguredError, ValidationError
from bot.french import plural
from bot.interactions import Interaction, reply
from bot.parsing import parse_id
from bot.permissions import coordination_only
from bot.services import guilds as guilds_service
from bot.services import outbox as outbox_service
from bot.services.watch import digests as watch_digests
from bot.services.watch import draft as watch_draft
from bot.services.watch import feeds as watch_feeds
from bot.services.watch import items as watch_items
from bot.services.watch.fetch import FetchError
from bot.services.watch.urls import markdown_target
from bot.text import quote, shorten
from bot.ui import confirm
from bot.ui.choices import choices
from bot.ui.pager import Pager
from cogs.watch import _texts as T
from cogs.watch import sharing
from cogs.watch._draft import draft_message
from cogs.watch._export import to_html, to_markdown
from cogs.watch._modals import AddFromMessageModal
from cogs.watch._render import COLOUR, escape, period_label

log = logging.getLogger(__name__)


class Watch(commands.GroupCog, group_name="veille", group_description="La veille partagée du réseau"):
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        super().__init__()
        self.menu = app_commands.ContextMenu(name=T.MENU_NAME, callback=self.add_from_message)
        self.menu.guild_only = True

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    # -- adding links ---------------------------------------------------------------------

    @app_commands.command(name="ajouter")
    @app_commands.guild_only()
    @app_commands.describe(
        lien="L'adresse de la page (https://…)",
        commentaire="Un mot pour présenter ce lien",
        categorie="La rubrique de la veille",
    )
    async def veille_ajouter(
        self,
        interaction: Interaction,
        lien: str,
        commentaire: app_commands.Range[str, 1, 500] | None = None,
        categorie: str | None = None,
    ) -> None:
        """Proposer un lien pour la prochaine lettre de veille."""
        url = await sharing.check_link(self.bot, interactions.guild_id(interaction), lien, categorie)
        await sharing.share_link(self.bot, interaction, url, comment=commentaire, category=categorie)

    @veille_ajouter.autocomplete("categorie")
    async def _category_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await self._categories(interaction, current)

    async def _categories(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        async with self.bot.db.transaction() as session:
            values = await watch_draft.categories(session, interactions.guild_id(interaction))
        return choices(values, current)

    async def add_from_message(self, interaction: Interaction, message: discord.Message) -> None:
        """The message menu: the link of the message, an optional comment in a modal."""
        url = sharing.message_link(message)
        await interaction.response.send_modal(AddFromMessageModal(message.channel.id, message.id, url))

    # -- the draft (coordination) ---------------------------------------------------------

    @app_commands.command(name="brouillon")
    @app_commands.guild_only()
    @coordination_only()
    async def veille_brouillon(self, interaction: Interaction) -> None:
        """Relire et préparer la prochaine veille (coordination)."""
        await reply(interaction, **await draft_message(self.bot, interactions.guild_id(interaction), 0))

    @app_commands.command(name="retirer")
    @app_commands.guild_only()
    @app_commands.describe(lien="Le lien à retirer du brouillon")
    async def veille_retirer(self, interaction: Interaction, lien: str) -> None:
        """Retirer un lien de la prochaine veille (la coordination, ou qui l'a partagé)."""
        item_id = parse_id(lien, unknown=watch_items.ERR_ITEM_UNKNOWN)
        coordinator = await self.bot.is_coordinator(interaction)
        async with self.bot.db.transaction() as session:
            item = await watch_items.removable_item(
                session,
                interactions.guild_id(interaction),
                item_id,
                discord_id=interaction.user.id,
                coordinator=coordinator,
            )
        title = shorten(item.title or item.url, 150)
        await confirm.ask(
            interaction, "watch-remove", item_id, T.CONFIRM_REMOVE.format(title=title), T.CONFIRM_REMOVE_YES
        )

    async def remove_confirmed(self, interaction: Interaction, item_id: int, _typed: dict) -> None:
        """« Oui, retirer » of /veille retirer (the same checks as the command)."""
        coordinator = await self.bot.is_coordinator(interaction)
        async with self.bot.db.transaction(lock=True) as session:
            item = await watch_items.remove_item(
                session,
                interactions.guild_id(interaction),
                item_id,
                discord_id=interaction.user.id,
                coordinator=coordinator,
            )
        await reply(interaction, T.REMOVED.format(title=shorten(item.title or item.url, 150)))

    @veille_retirer.autocomplete("lien")
    async def _item_autocomplete(self, interaction: Interaction, current: str):
        async with self.bot.db.transaction() as session:
            items = await watch_items.search_pending(session, interactions.guild_id(interaction), current)
        return [
            app_commands.Choice(name=shorten(f"{i.title or i.url} · {i.category}", 100), value=str(i.id)) for i in items
        ][:25]

    @app_commands.command(name="publier")
    @app_commands.guild_only()
    @coordination_only()
    async def veille_publier(self, interaction: Interaction) -> None:
        """Publier la veille maintenant, sans attendre le planning (coordination)."""
        guild_id = interactions.guild_id(interaction)
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            settings = await guilds_service.get_settings(session, guild_id)
            if not settings.digest_channel_id:
                raise NotConfiguredError(T.ERR_NO_CHANNEL)
            period = await watch_digests.publish_now(session, guild_id, now, channel_id=settings.digest_channel_id)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.bot.outbox.dispatch_due(now)
        async with self.bot.db.transaction() as session:
            post = await outbox_service.get(session, guild_id, watch_digests.KIND, period)
            digest = await watch_digests.digest_by_period(session, guild_id, period)
        assert post is not None
        channel = post.channel_id or settings.digest_channel_id
        if post.state == SENT and digest is not None:
            await reply(
                interaction,
                T.PUBLISHED.format(number=digest.number, channel=channel, links=plural(len(digest.accepted), *T.LINKS)),
            )
        elif post.state == SENT:
            await reply(interaction, T.PUBLISHED_NOTE.format(channel=channel))
        elif post.state == SENDING:
            await reply(interaction, T.PUBLISH_IN_PROGRESS.format(channel=channel))
        else:
            await reply(
                interaction,
                T.PUBLISH_FAILED.format(
                    error=shorten(post.last_error or "", 200), when=format_when(post.due_at), channel=channel
                ),
            )

    # -- archives and export --------------------------------------------------------------

    @app_commands.command(name="archives")
    @app_commands.guild_only()
    @app_commands.describe(recherche="Des mots du titre, du lien, du commentaire ou de la rubrique")
    async def veille_archives(
        self, interaction: Interaction, recherche: app_commands.Range[str, 1, 60] | None = None
    ) -> None:
        """Retrouver les veilles publiées et leurs liens."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            if recherche:
                found = await watch_digests.search_archives(session, guild_id, recherche)
            else:
                past = await watch_digests.digests(session, guild_id)
        if recherche:
            lines = [
                T.ARCHIVES_ITEM_LINE.format(
                    number=digest.number,
                    link=f"[{escape(shorten(item.title, 120))}]({markdown_target(item.url)})"
                    if item.title
                    else f"<{shorten(item.url, 300)}>",
                    category=item.category,
                )
                for item, digest in found
            ]
            title = T.ARCHIVES_SEARCH_TITLE.format(query=quote(recherche))
            pager = Pager(title, lines, empty=T.ARCHIVES_SEARCH_EMPTY, colour=COLOUR)
        else:
            lines = [
                T.ARCHIVES_DIGEST_LINE.format(
                    number=digest.number,
                    period=period_label(digest.period, digest.period_start, digest.period_end),
                    links=plural(count, *T.LINKS),
                    published=T.ARCHIVES_PUBLISHED.format(day=format_day(digest.published_at))
                    if digest.published_at
                    else T.ARCHIVES_PENDING,
                )
                for digest, count in past
            ]
            pager = Pager(T.ARCHIVES_TITLE, lines, empty=T.ARCHIVES_EMPTY, colour=COLOUR)
        await pager.send(interaction)

    @app_commands.command(name="export")
    @app_commands.guild_only()
    @app_commands.describe(numero="Le numéro de la veille (par exemple 34)")
    @coordination_only()
    async def veille_export(self, interaction: Interaction, numero: app_commands.Range[int, 1, 100000]) -> None:
        """Télécharger une veille en Markdown et HTML pour la lettre d'information (coordination)."""
        async with self.bot.db.transaction() as session:
            content = await watch_digests.digest_by_number(session, interactions.guild_id(interaction), numero)
        files = [
            discord.File(
                io.BytesIO(to_markdown(content).encode("utf-8")),
                filename=T.EXPORT_MD.format(number=numero),
            ),
            discord.File(io.BytesIO(to_html(content).encode("utf-8")), filename=T.EXPORT_HTML.format(number=numero)),
        ]
        await reply(interaction, T.EXPORT_DONE.format(number=numero), files=files)

    @veille_export.autocomplete("numero")
    async def _number_autocomplete(self, interaction: Interaction, current: str):
        async with self.bot.db.transaction() as session:
            past = await watch_digests.digests(session, interactions.guild_id(interaction), limit=200)
        return [
            app_commands.Choice(
                name=shorten(f"Veille n°{d.number} — {period_label(d.period, d.period_start, d.period_end)}", 100),
                value=d.number,
            )
            for d, _count in past
            if str(current or "").strip() in str(d.number)
        ][:25]

    # -- feeds (coordination) ---------------------------------------------------------------

    @app_commands.command(name="flux-ajouter")
    @app_commands.guild_only()
    @app_commands.describe(url="L'adresse du flux RSS ou Atom", categorie="La rubrique de ses liens")
    @coordination_only()
    async def veille_flux_ajouter(self, interaction: Interaction, url: str, categorie: str | None = None) -> None:
        """Suivre un flux RSS/Atom : ses nouveaux liens sont proposés dans le brouillon."""
        guild_id = interactions.guild_id(interaction)
        url = await sharing.check_link(self.bot, guild_id, url, categorie)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            result = await self.bot.watch_fetcher.feed(url)
        except FetchError as error:
            raise ValidationError(T.FEED_UNREADABLE.format(reason=error.reason)) from None
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            feed = await watch_feeds.add_feed(session, guild_id, url, category=categorie, now=now)
            added = await watch_feeds.record_feed_result(session, feed.id, result, now)
        await reply(
            interaction,
            T.FEED_ADDED.format(
                title=feed.title or feed.url,
                category=feed.category,
                entries=plural(len(added), *T.RECENT_ENTRIES),
            ),
        )

    @veille_flux_ajouter.autocomplete("categorie")
    async def _feed_category_autocomplete(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await self._categories(interaction, current)

    @app_commands.command(name="flux-liste")
    @app_commands.guild_only()
    @coordination_only()
    async def veille_flux_liste(self, interaction: Interaction) -> None:
        """Voir les flux suivis et leur état (coordination)."""
        async with self.bot.db.transaction() as session:
            rows = await watch_feeds.feeds(session, interactions.guild_id(interaction))
        lines = []
        for feed in rows:
            if feed.last_error:
                checked = format_when(feed.last_checked_at) if feed.last_checked_at else ""
                state = T.FEED_STATE_ERROR.format(when=checked, error=feed.last_error)
            elif feed.last_checked_at:
                state = T.FEED_STATE_OK.format(when=format_when(feed.last_checked_at))
            else:
                state = T.FEED_STATE_NEVER
            lines.append(
                T.FEED_LINE.format(
                    title=shorten(feed.title or feed.url, 100),
                    category=feed.category,
                    url=shorten(feed.url, 300),
                    state=state,
                )
            )
        pager = Pager(T.FEEDS_TITLE, lines, empty=T.FEEDS_EMPTY, colour=COLOUR)
        await pager.send(interaction)

    @app_commands.command(name="flux-retirer")
    @app_commands.guild_only()
    @app_commands.describe(flux="Le flux à ne plus suivre")
    @coordination_only()
    async def veille_flux_retirer(self, interaction: Interaction, flux: str) -> None:
        """Ne plus suivre un flux (coordination)."""
        feed_id = parse_id(flux, unknown=watch_feeds.ERR_FEED_UNKNOWN)
        async with self.bot.db.transaction() as session:
            feed = await watch_feeds.remove_feed(session, interactions.guild_id(interaction), feed_id)
        await reply(interaction, T.FEED_REMOVED.format(title=shorten(feed.title or feed.url, 150)))

    @veille_flux_retirer.autocomplete("flux")
    async def _feed_autocomplete(self, interaction: Interaction, current: str):
        async with self.bot.db.transaction() as session:
            rows = await watch_feeds.feeds(session, interactions.guild_id(interaction))
        wanted = current.casefold().strip()
        return [
            app_commands.Choice(name=shorten(f.title or f.url, 100), value=str(f.id))
            for f in rows
            if wanted in (f.title or "").casefold() or wanted in f.url.casefold()
        ][:25]

    # -- jobs -------------------------------------------------------------------------------

    async def poll_feeds(self) -> int:
        """Read every feed (timeouts and size cap in the fetcher); new entries are proposed in
        the drafts. Returns how many. Each feed is isolated: one that cannot be read, or
        whose data the database refuses, is recorded as failed and the others are read."""
        async with self.bot.db.transaction() as session:
            rows = [(f.id, f.url, f.etag, f.last_modified) for f in await watch_feeds.feeds(session)]
        total = 0
        for feed_id, url, etag, last_modified in rows:
            total += await self._poll_feed(feed_id, url, etag, last_modified)
        return total

    async def _poll_feed(self, feed_id: int, url: str, etag: str | None, last_modified: str | None) -> int:
        now = self.bot.now()
        try:
            result = await self.bot.watch_fetcher.feed(url, etag=etag, last_modified=last_modified)
        except FetchError as error:
            reason = error.reason
        except Exception:
            log.exception("Feed %s could not be read", feed_id)
            reason = T.FEED_READ_FAILED
        else:
            try:
                async with self.bot.db.transaction(lock=True) as session:
                    return len(await watch_feeds.record_feed_result(session, feed_id, result, now))
            except Exception:
                log.exception("Feed %s: its entries could not be stored", feed_id)
                reason = T.FEED_STORE_FAILED
        try:
            async with self.bot.db.transaction() as session:
                await watch_feeds.record_feed_failure(session, feed_id, reason, now)
        except Exception:
            log.exception("Feed %s: its failure could not be recorded", feed_id)
        return 0
