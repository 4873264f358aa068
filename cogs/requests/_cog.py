"""/accompagnement: the help desk. Requests, their private threads, buttons, the sweep."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot import alerts
from bot.app import PdnBot
from bot.clock import PARIS
from bot.dates import PAST, format_short_day, format_when, parse_date, parse_datetime
from bot.db.models.requests import ACTIVE, CANCELLED, CLAIMED, DONE, OPEN, SCHEDULED, AccompanimentRequest
from bot.interactions import reply
from bot.parsing import parse_id
from bot.permissions import coordination_only
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services import notifications
from bot.services.requests import jobs, lifecycle, retention
from bot.services.requests import parsing as request_parsing
from bot.services.requests import queries as request_queries
from bot.services.requests import settings as request_settings
from bot.services.requests.labels import KIND_LABELS, MODE_LABELS, kind_label, status_label
from bot.services.requests.queries import RequestView
from bot.services.requests.rules import Actor
from bot.ui.choices import member_choices, territory_choices
from bot.ui.pager import Pager, fetch_page
from cogs.requests import _notify as N
from cogs.requests import _texts as T
from cogs.requests._modals import CloseModal, RequestModal, ScheduleModal
from cogs.requests._render import confirm_cancel_view, rating_view, request_embed, request_view

log = logging.getLogger(__name__)

KIND_CHOICES = [app_commands.Choice(name=label, value=value) for value, label in KIND_LABELS.items()]
MODE_CHOICES = [app_commands.Choice(name=label, value=value) for value, label in MODE_LABELS.items()]
ACTIVE_CHOICE = app_commands.Choice(name=T.STATUS_ACTIVE_NAME, value=T.ANY_STATUS_ACTIVE)
STATUS_CHOICES = [ACTIVE_CHOICE, app_commands.Choice(name=T.STATUS_ALL_NAME, value=T.ANY_STATUS_ALL)] + [
    app_commands.Choice(name=status_label(s), value=s) for s in (OPEN, CLAIMED, SCHEDULED, DONE, CANCELLED)
]
DISCORD_FAILURES = (discord.HTTPException, aiohttp.ClientError, OSError, asyncio.TimeoutError)
ERR_NUMBER = "Indiquez le numéro de la demande, par exemple 12."
SWEEP_MINUTES = 1


def _mention(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id else ""


def _users(*ids: int | None) -> discord.AllowedMentions:
    return discord.AllowedMentions(everyone=False, roles=False, users=[discord.Object(i) for i in ids if i])


def parse_number(value: str) -> int:
    return parse_id(value, unknown=ERR_NUMBER)


class Requests(commands.Cog):
    accompagnement = app_commands.Group(
        name="accompagnement",
        description="Demander de l'aide à la coordination et suivre les demandes",
        guild_only=True,
    )

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self._purged_on: date | None = None

    async def cog_load(self) -> None:
        self.bot.scheduler.every(self.sweep, minutes=SWEEP_MINUTES, job_id="requests:sweep")

    async def _actor(self, interaction: discord.Interaction) -> Actor:
        return Actor(interaction.user.id, interaction.user.display_name, await self.bot.is_coordinator(interaction))

    # -- /accompagnement demander -------------------------------------------------------------

    @accompagnement.command(name="demander")
    async def accompagnement_demander(self, interaction: discord.Interaction) -> None:
        """Demander un accompagnement à la coordination (formulaire en une étape)."""
        async with self.bot.db.transaction() as session:
            await members_service.require_profile(session, interaction.guild_id, interaction.user.id)  # type: ignore[arg-type]
        await interaction.response.send_modal(RequestModal(self))

    async def submit_request(
        self,
        interaction: discord.Interaction,
        *,
        kind: str,
        mode: str | None,
        subject: str,
        details: str,
        availability: str,
    ) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        async with self.bot.db.transaction(lock=True) as session:
            request = await lifecycle.create_request(
                session,
                guild_id,
                interaction.user.id,
                kind=kind,
                mode=mode,
                subject=subject,
                details=details,
                availability=availability,
                actor_name=interaction.user.display_name,
                now=self.bot.now(),
            )
            item = await request_queries.view(session, request)
        await interaction.response.defer(ephemeral=True, thinking=True)
        thread_id = await self.ensure_thread(item)
        if thread_id:
            text = T.CREATED.format(number=request.number, thread=f"<#{thread_id}>")
        else:
            text = T.CREATED_NO_THREAD.format(number=request.number)
            await self._warn_coordination(request)
        await reply(interaction, text, embed=request_embed(item))

    async def _warn_coordination(self, request: AccompanimentRequest) -> None:
        """The thread could not be made: tell the coordination in the recaps channel (no
        free text there), so the request is not missed. Best effort."""
        async with self.bot.db.transaction() as session:
            settings = await guilds_service.get_settings(session, request.guild_id)
        channel_id, role_id = settings.recaps_channel_id, settings.coordination_role_id
        if channel_id is None or channel_id == settings.requests_channel_id:
            return
        try:
            await self.bot.get_partial_messageable(channel_id, guild_id=request.guild_id).send(
                T.NO_THREAD_WARNING.format(
                    role=f"<@&{role_id}> " if role_id else "",
                    number=request.number,
                    kind=kind_label(request.kind),
                    territory=request.territory_code or T.EMPTY,
                ),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False, users=False, roles=[discord.Object(role_id)] if role_id else False
                ),
            )
        except discord.HTTPException:
            log.warning("Could not warn the coordination about request %s", request.id, exc_info=True)

    # -- the private thread ----------------------------------------------------------------------

    async def ensure_thread(self, item: RequestView) -> int | None:
        """Create the request's private thread (requester added, coordination role mentioned
        once) and its message with the buttons. Returns the thread id, or None if the
        requests channel is missing or Discord refused: the sweep tries again."""
        request = item.request
        async with self.bot.db.transaction() as session:
            settings = await guilds_service.get_settings(session, request.guild_id)
        channel_id, role_id = settings.requests_channel_id, settings.coordination_role_id
        thread_id = request.thread_id
        if channel_id is None and thread_id is None:
            return None
        try:
            if thread_id is None:
                channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)  # type: ignore[arg-type]
                if not isinstance(channel, discord.TextChannel):
                    raise discord.InvalidData("requests channel is not a text channel")
                thread = await channel.create_thread(
                    name=T.THREAD_NAME.format(number=request.number, kind=kind_label(request.kind))[:100],
                    type=discord.ChannelType.private_thread,
                    invitable=False,
                    auto_archive_duration=10080,
                )
                thread_id = thread.id
                async with self.bot.db.transaction() as session:
                    await lifecycle.set_thread(session, request.id, thread_id=thread_id, message_id=None)
            target = self.bot.get_partial_messageable(thread_id, guild_id=request.guild_id)
            if item.requester_discord_id:
                await self.bot.http.add_user_to_thread(thread_id, item.requester_discord_id)
            role = T.THREAD_OPENING_ROLE.format(role=f"<@&{role_id}>") if role_id else ""
            message = await target.send(
                T.THREAD_OPENING.format(
                    role=role, requester=_mention(item.requester_discord_id) or item.requester_name
                ),
                embed=request_embed(item),
                view=request_view(request),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False,
                    users=[discord.Object(item.requester_discord_id)] if item.requester_discord_id else False,
                    roles=[discord.Object(role_id)] if role_id else False,
                ),
            )
        except (discord.HTTPException, discord.InvalidData):
            log.warning("Could not create the thread of request %s", request.id, exc_info=True)
            async with self.bot.db.transaction() as session:
                await lifecycle.set_thread(session, request.id, thread_id=None, message_id=None, failed=True)
            return None
        async with self.bot.db.transaction() as session:
            await lifecycle.set_thread(session, request.id, thread_id=thread_id, message_id=message.id)
        request.thread_id, request.message_id = thread_id, message.id
        return thread_id

    async def _set_archived(self, request: AccompanimentRequest, archived: bool) -> None:
        try:
            await self.bot.http.edit_channel(request.thread_id, archived=archived)  # type: ignore[arg-type]
        except DISCORD_FAILURES:
            log.warning("Thread of request %s not (un)archived", request.id, exc_info=True)

    async def _unarchive(self, request: AccompanimentRequest) -> None:
        if request.thread_id is not None:
            await self._set_archived(request, False)

    async def publish(
        self,
        item: RequestView,
        line: str | None,
        *,
        add_user: int | None = None,
        rating: bool = False,
        unarchive: bool = False,
    ) -> None:
        """Bring the thread up to date: the request message, a line saying what happened.
        A closed or cancelled request's thread is archived (reopened with the request).
        Best effort: the change is already saved; a Discord failure is only logged."""
        request = item.request
        if request.thread_id is None:
            return
        if unarchive:
            await self._unarchive(request)
        try:
            await self._publish(item, line, add_user=add_user, rating=rating)
        finally:
            if request.status in (DONE, CANCELLED):
                await self._set_archived(request, True)

    async def _publish(self, item: RequestView, line: str | None, *, add_user: int | None, rating: bool) -> None:
        request = item.request
        target = self.bot.get_partial_messageable(request.thread_id, guild_id=request.guild_id)  # type: ignore[arg-type]
        if add_user:
            try:
                await self.bot.http.add_user_to_thread(request.thread_id, add_user)
            except DISCORD_FAILURES:
                log.warning("Could not add a member to the thread of request %s", request.id, exc_info=True)
        if request.message_id:
            await self.render_card(item)
        try:
            if line:
                await target.send(line, allowed_mentions=discord.AllowedMentions.none())
            if rating and item.requester_discord_id:
                await target.send(
                    T.RATE_PROMPT.format(requester=_mention(item.requester_discord_id)),
                    view=rating_view(request),
                    allowed_mentions=_users(item.requester_discord_id),
                )
        except DISCORD_FAILURES:
            log.warning("Could not post in the thread of request %s", request.id, exc_info=True)

    async def render_card(self, item: RequestView) -> bool:
        """Edit the request message to show the current state. A failure marks the card
        stale (the sweep renders it again); a deleted message is forgotten (the sweep posts
        a new one for an active request). True when the card is up to date."""
        request = item.request
        target = self.bot.get_partial_messageable(request.thread_id, guild_id=request.guild_id)  # type: ignore[arg-type]
        gone = False
        try:
            await target.get_partial_message(request.message_id).edit(  # type: ignore[arg-type]
                embed=request_embed(item), view=request_view(request)
            )
        except discord.NotFound:
            gone = True
        except DISCORD_FAILURES as error:
            log.warning("Card of request %s not updated: %s; marked stale", request.id, error)
            async with self.bot.db.transaction(lock=True) as session:
                await jobs.mark_card(session, request.id, stale=True)
            if isinstance(error, discord.Forbidden) and not request.card_stale:  # once
                await alerts.alert_coordination(
                    self.bot,
                    request.guild_id,
                    T.ALERT_CARD.format(number=request.number),
                    key=f"request_card:{request.id}",
                )
            return False
        if request.card_stale or gone:  # otherwise nothing to write
            async with self.bot.db.transaction(lock=True) as session:
                await jobs.mark_card(session, request.id, stale=False, forget_message=gone)
        request.card_stale = False
        if gone:
            request.message_id = None
        return not gone

    # -- buttons and their modals -----------------------------------------------------------------

    async def on_button(self, interaction: discord.Interaction, action: str, request_id: int) -> None:
        actor = await self._actor(interaction)
        guild_id = interaction.guild_id
        assert guild_id is not None
        now = self.bot.now()
        if action in ("schedule", "close"):
            async with self.bot.db.transaction() as session:
                request = await lifecycle.check_action(session, guild_id, request_id, action, actor)
            modal = ScheduleModal(self, request) if action == "schedule" else CloseModal(self, request)
            await interaction.response.send_modal(modal)
            return
        if action in ("cancel", "keep"):  # a confirmation first; nothing is written yet
            async with self.bot.db.transaction() as session:
                request = await lifecycle.check_action(session, guild_id, request_id, "cancel", actor)
            if action == "keep":
                await reply(interaction, T.KEPT.format(number=request.number))
            else:
                await reply(
                    interaction, T.CONFIRM_CANCEL.format(number=request.number), view=confirm_cancel_view(request)
                )
            return
        add_user = None
        async with self.bot.db.transaction(lock=True) as session:
            if action == "claim":
                request = await lifecycle.claim(session, guild_id, request_id, actor, now=now)
                text, line, add_user = T.DONE_CLAIM, T.LINE_CLAIM, actor.discord_id
            elif action == "cancelok":
                request = await lifecycle.cancel(session, guild_id, request_id, actor, now=now)
                text, line = T.DONE_CANCEL, T.LINE_CANCEL
            elif action == "reopen":
                request = await lifecycle.reopen(session, guild_id, request_id, actor, now=now)
                text, line = T.DONE_REOPEN, T.LINE_REOPEN
            else:
                rating = int(action[4:])
                request = await lifecycle.rate(session, guild_id, request_id, actor, rating, now=now)
                text, line = T.DONE_RATE.format(rating=rating), None
            item = await request_queries.view(session, request)
        await reply(interaction, text.format(number=request.number))
        if action.startswith("rate"):
            await self._disable_rating(interaction, request)
        await self.publish(
            item,
            line.format(actor=actor.name) if line else None,
            add_user=add_user,
            unarchive=action in ("reopen",) or action.startswith("rate"),
        )

    async def _disable_rating(self, interaction: discord.Interaction, request: AccompanimentRequest) -> None:
        """The rating prompt in the thread: its buttons disabled, the chosen one shown. (A
        prompt in an ephemeral message cannot be edited from here; a new click there only
        changes the rating.)"""
        message = interaction.message
        if message is None or message.flags.ephemeral or request.rating is None:
            return
        buttons = [c for row in message.components for c in getattr(row, "children", [])]
        if not any(str(getattr(b, "custom_id", "")).startswith("requests:rate") for b in buttons):
            return
        try:
            await self._unarchive(request)
            await message.edit(view=rating_view(request, rated=request.rating))
        except DISCORD_FAILURES:
            log.warning("Rating buttons of request %s not disabled", request.id, exc_info=True)

    async def submit_schedule(self, interaction: discord.Interaction, request_id: int, when_text: str) -> None:
        actor = await self._actor(interaction)
        when = parse_datetime(when_text, now=self.bot.now())
        async with self.bot.db.transaction(lock=True) as session:
            request = await lifecycle.schedule(
                session,
                interaction.guild_id,
                request_id,
                actor,
                when,
                now=self.bot.now(),  # type: ignore[arg-type]
            )
            item = await request_queries.view(session, request)
        await reply(interaction, T.DONE_SCHEDULE.format(number=request.number, when=format_when(when)))
        await self.publish(item, T.LINE_SCHEDULE.format(actor=actor.name, when=format_when(when)))

    async def submit_close(
        self,
        interaction: discord.Interaction,
        request_id: int,
        *,
        outcome: str,
        duration: str,
        people: str | None,
        day: str | None = None,
    ) -> None:
        actor = await self._actor(interaction)
        minutes = request_parsing.parse_duration(duration)
        reached = request_parsing.parse_people(people)
        given_on = parse_date(day, today=self.bot.today()) if day and day.strip() else None
        async with self.bot.db.transaction(lock=True) as session:
            request = await lifecycle.close(
                session,
                interaction.guild_id,
                request_id,
                actor,  # type: ignore[arg-type]
                outcome=outcome,
                duration_minutes=minutes,
                people_reached=reached,
                now=self.bot.now(),
                day=given_on,
            )
            item = await request_queries.view(session, request)
        await reply(interaction, T.DONE_CLOSE.format(number=request.number))
        await self.publish(
            item,
            T.LINE_CLOSE.format(actor=actor.name),
            rating=item.requester_discord_id is not None and item.requester_discord_id != actor.discord_id,
        )
        if item.requester_discord_id == actor.discord_id:
            await reply(interaction, T.RATE_PROMPT.format(requester=""), view=rating_view(request))

    # -- /accompagnement liste, voir ------------------------------------------------------------------

    @accompagnement.command(name="liste")
    @app_commands.describe(
        statut="Seulement ce statut (par défaut\u00a0: en cours, non closes\u00a0; «\u00a0Toutes\u00a0» pour tout voir)",
        territoire="Seulement ce territoire (coordination)",
    )
    @app_commands.choices(statut=STATUS_CHOICES)
    async def accompagnement_liste(
        self,
        interaction: discord.Interaction,
        statut: app_commands.Choice[str] | None = None,
        territoire: str | None = None,
    ) -> None:
        """Lister les demandes : toutes pour la coordination, les vôtres sinon."""
        actor = await self._actor(interaction)
        guild_id = interaction.guild_id
        assert guild_id is not None
        statut = statut or ACTIVE_CHOICE  # open requests by default
        statuses: tuple[str, ...] | None = (statut.value,)
        if statut.value == T.ANY_STATUS_ACTIVE:
            statuses = ACTIVE
        elif statut.value == T.ANY_STATUS_ALL:
            statuses = None
        async with self.bot.db.transaction() as session:
            code = (await guilds_service.require_territory(session, guild_id, territoire)).code if territoire else None
            page, rows, total = await fetch_page(
                lambda offset, limit: request_queries.list_requests_page(
                    session, guild_id, actor, statuses=statuses, territory=code, offset=offset, limit=limit
                )
            )
        filters = "".join(f" · {f}" for f in (statut.name, code) if f)
        lines = [
            T.LIST_LINE.format(
                emoji=T.STATUS_EMOJI.get(v.status, ""),
                number=v.number,
                status=status_label(v.status),
                kind=kind_label(v.kind),
                territory=v.territory_code or T.EMPTY,
                who=f" · {v.requester_name}" if actor.coordinator and v.requester_name else "",
                day=format_short_day(v.created_at.astimezone(PARIS).date()),
                extra=(
                    T.LIST_NO_THREAD
                    if v.thread_id is None and v.status in ACTIVE and v.source == "discord"
                    else (f" · <#{v.thread_id}>" if v.thread_id else "")
                ),
            )
            for v in rows
        ]
        title = (T.LIST_TITLE if actor.coordinator else T.LIST_TITLE_MINE).format(filters=filters)
        pager = Pager(f"{title} ({total})", lines, empty=T.LIST_EMPTY, total=total, page=page)
        await pager.send(interaction)

    @accompagnement.command(name="voir")
    @app_commands.describe(numero="Le numéro de la demande")
    async def accompagnement_voir(self, interaction: discord.Interaction, numero: str) -> None:
        """Voir une demande et son historique (qui a fait quoi, quand)."""
        actor = await self._actor(interaction)
        async with self.bot.db.transaction() as session:
            item = await request_queries.visible_view(session, interaction.guild_id, parse_number(numero), actor)  # type: ignore[arg-type]
            events = await request_queries.history(session, item.request)
        request = item.request
        actions = request_view(request).children
        if not actor.coordinator:  # the requester's own buttons only
            keep = {"close", "cancel", "reopen"} if request.status != OPEN else {"cancel"}
            actions = [a for a in actions if a.action in keep]  # type: ignore[attr-defined]
        view = discord.ui.View(timeout=None)
        for button in actions:
            view.add_item(button)
        if request.status == DONE and not request.rating and item.requester_discord_id == actor.discord_id:
            for button in rating_view(request).children:
                button.row = 1  # type: ignore[union-attr]
                view.add_item(button)
        await reply(interaction, embed=request_embed(item, events=events), view=view)

    @accompagnement_voir.autocomplete("numero")
    async def _number_autocomplete(self, interaction: discord.Interaction, current: str):
        actor = await self._actor(interaction)
        async with self.bot.db.transaction() as session:
            found = await request_queries.search_visible(session, interaction.guild_id, actor, current)  # type: ignore[arg-type]
        return [
            app_commands.Choice(
                name=(
                    f"n°{v.request.number} · {status_label(v.request.status)} · "
                    f"{v.request.subject or kind_label(v.request.kind)}"
                    + (f" · {v.requester_name}" if actor.coordinator and v.requester_name else "")
                )[:100],
                value=str(v.request.number),
            )
            for v in found
        ]

    @accompagnement_liste.autocomplete("territoire")
    async def _territory_autocomplete(self, interaction: discord.Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current)

    # -- /accompagnement enregistrer, relances (coordination) ------------------------------------------

    @accompagnement.command(name="enregistrer")
    @app_commands.describe(
        membre="Le Promeneur aidé (annuaire)",
        type="Le type d'accompagnement",
        date="Le jour de l'aide (JJ/MM/AAAA)",
        resultat="Ce qui a été fait (note de résultat)",
        modalite="Téléphone, visio ou sur place",
        duree="La durée, par exemple 45 min ou 1h30",
        personnes="Personnes touchées (accompagnement d'équipe)",
    )
    @app_commands.choices(type=KIND_CHOICES, modalite=MODE_CHOICES)
    @coordination_only()
    async def accompagnement_enregistrer(
        self,
        interaction: discord.Interaction,
        membre: str,
        type: app_commands.Choice[str],
        date: str,
        resultat: app_commands.Range[str, 1, 1000],
        modalite: app_commands.Choice[str] | None = None,
        duree: str | None = None,
        personnes: app_commands.Range[int, 1, 500] | None = None,
    ) -> None:
        """Enregistrer une aide donnée hors Discord (téléphone, sur place) : coordination."""
        actor = await self._actor(interaction)
        day = parse_date(date, today=self.bot.today(), prefer=PAST)
        minutes = request_parsing.parse_duration(duree)
        guild_id = interaction.guild_id
        assert guild_id is not None
        async with self.bot.db.transaction(lock=True) as session:
            member_id = await members_service.resolve_member_id(session, guild_id, membre)
            request = await lifecycle.record_offline(
                session,
                guild_id,
                member_id,
                kind=type.value,
                mode=modalite.value if modalite else None,
                day=day,
                outcome=resultat,
                duration_minutes=minutes,
                people_reached=personnes,
                actor=actor,
                today=self.bot.today(),
                now=self.bot.now(),
            )
            member = await members_service.get(session, guild_id, member_id)
        await reply(
            interaction,
            T.RECORDED.format(
                number=request.number,
                kind=kind_label(request.kind),
                member=member.display_name,
                territory=request.territory_code or T.EMPTY,
                day=format_short_day(day),
            ),
        )

    @accompagnement_enregistrer.autocomplete("membre")
    async def _member_autocomplete(self, interaction: discord.Interaction, current: str):
        return await member_choices(self.bot, interaction, current)

    @accompagnement.command(name="relances")
    @app_commands.describe(jours="Après combien de jours sans prise en charge relancer (3 par défaut)")
    @coordination_only()
    async def accompagnement_relances(
        self, interaction: discord.Interaction, jours: app_commands.Range[int, 1, 30]
    ) -> None:
        """Régler le délai de relance des demandes non prises en charge : coordination."""
        async with self.bot.db.transaction() as session:
            days = await request_settings.set_nudge_after_days(session, interaction.guild_id, jours)  # type: ignore[arg-type]
        await reply(interaction, T.NUDGE_SET.format(days=days))

    # -- the sweep: threads, reminders, nudges, passed sessions, retention ------------------------------

    async def sweep(self) -> None:
        """Every minute. Each effect is recorded in the database with the notification it
        queues (bot.services.notifications), so a repeated or late run does nothing twice
        and a failed Discord call is retried by the notifier."""
        now = self.bot.now()
        steps = (
            self._retry_threads,
            self._refresh_cards,
            self._send_reminders,
            self._send_nudges,
            self._prompt_passed,
            self._purge,
        )
        for step in steps:
            try:
                await step(now)
            except Exception:
                log.exception("Requests sweep step %s failed", step.__name__)

    async def _retry_threads(self, now) -> None:
        async with self.bot.db.transaction() as session:
            due = await jobs.threads_to_create(session)
            items = [await request_queries.view(session, d.request) for d in due]
        for item in items:
            await self.ensure_thread(item)

    async def _refresh_cards(self, now) -> None:
        async with self.bot.db.transaction() as session:
            items = [await request_queries.view(session, d.request) for d in await jobs.stale_cards(session)]
        for item in items:
            closed = item.request.status in (DONE, CANCELLED)
            if closed:  # its thread is archived: reopened for the edit only
                await self._unarchive(item.request)
            await self.render_card(item)
            if closed:
                await self._set_archived(item.request, True)

    async def _requests_channel(self, session, guild_id: int) -> int | None:
        settings = await guilds_service.get_settings(session, guild_id)
        return settings.requests_channel_id or settings.recaps_channel_id

    async def _send_reminders(self, now) -> None:
        ids: list[int] = []
        async with self.bot.db.transaction(lock=True) as session:
            for due in await jobs.due_reminders(session, now):
                request = due.request
                channel_id = await self._requests_channel(session, request.guild_id)
                ids += await notifications.enqueue(session, request.guild_id, N.reminders(due, channel_id), now=now)
                await jobs.mark_reminded(session, request.id, due.which)
        await self.bot.notifier.deliver(ids)

    async def _send_nudges(self, now) -> None:
        local = now.astimezone(PARIS)
        ids: list[int] = []
        async with self.bot.db.transaction(lock=True) as session:
            for found in await jobs.nudges(session, now, local.date(), local.hour):
                item = N.nudge(found, now=now, day=local.date().isoformat())
                if item is None:
                    continue  # no channel: nothing recorded, tried again once configured
                ids += await notifications.enqueue(session, found.settings.guild_id, [item], now=now)
                await jobs.mark_nudged(session, [r.id for r in found.requests], local.date())
        await self.bot.notifier.deliver(ids)

    async def _prompt_passed(self, now) -> None:
        ids: list[int] = []
        async with self.bot.db.transaction(lock=True) as session:
            for due in await jobs.passed_sessions(session, now):
                request = due.request
                channel_id = await self._requests_channel(session, request.guild_id)
                ids += await notifications.enqueue(session, request.guild_id, [N.passed(request, channel_id)], now=now)
                await jobs.mark_prompted(session, request.id)
        await self.bot.notifier.deliver(ids)

    async def _purge(self, now) -> None:
        day = now.astimezone(PARIS).date()
        if self._purged_on == day:
            return
        async with self.bot.db.transaction() as session:
            purged = await retention.purge_expired(session, now)
        self._purged_on = day
        if purged:
            log.info("Purged the free text of %d closed requests (retention)", len(purged))
            await self.bot.redactor.job()  # their cards in the threads
