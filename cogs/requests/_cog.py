"""/accompagnement: the help desk. Requests, their private threads (`threads`), buttons
(`_buttons`) and forms (`_actions`, `_modals`), the sweep (`_sweep`)."""

from __future__ import annotations

import logging

from discord import app_commands
from discord.ext import commands

from bot import interactions
from bot.app import PdnBot
from bot.clock import PARIS
from bot.dates import PAST, format_short_day, parse_date
from bot.db.models.requests import ACTIVE, CANCELLED, CLAIMED, DISCORD, DONE, OPEN, SCHEDULED
from bot.interactions import Interaction, reply
from bot.parsing import parse_id
from bot.permissions import coordination_only
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services.requests import lifecycle, parsing
from bot.services.requests import queries as request_queries
from bot.services.requests import settings as request_settings
from bot.services.requests.labels import KIND_LABELS, MODE_LABELS, kind_label, status_label
from bot.ui.choices import member_choices, territory_choices
from bot.ui.pager import Pager, fetch_page
from bot.ui.views import RoutedView
from cogs.requests import _buttons, forms
from cogs.requests import _texts as T
from cogs.requests._actions import actor_of
from cogs.requests._render import rating_view, request_embed, request_view
from cogs.requests._sweep import RequestsSweep
from cogs.requests._views import RequestButton

log = logging.getLogger(__name__)

KIND_CHOICES = [app_commands.Choice(name=label, value=value) for value, label in KIND_LABELS.items()]
MODE_CHOICES = [app_commands.Choice(name=label, value=value) for value, label in MODE_LABELS.items()]
ACTIVE_CHOICE = app_commands.Choice(name=T.STATUS_ACTIVE_NAME, value=T.ANY_STATUS_ACTIVE)
STATUS_CHOICES = [ACTIVE_CHOICE, app_commands.Choice(name=T.STATUS_ALL_NAME, value=T.ANY_STATUS_ALL)] + [
    app_commands.Choice(name=status_label(s), value=s) for s in (OPEN, CLAIMED, SCHEDULED, DONE, CANCELLED)
]


def parse_number(value: str) -> int:
    return parse_id(value, unknown=T.ERR_NUMBER)


class Requests(commands.Cog):
    accompagnement = app_commands.Group(
        name="accompagnement",
        description="Demander de l'aide à la coordination et suivre les demandes",
        guild_only=True,
    )

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self.sweeper = RequestsSweep(bot)

    async def sweep(self) -> None:
        """Every minute (see `cogs.requests._sweep`)."""
        await self.sweeper.run()

    async def handle_request_button(self, interaction: Interaction, action: str, request_id: int) -> None:
        """A click on a request's button (`cogs.requests._views.RequestButton`)."""
        await _buttons.on_button(self.bot, interaction, action, request_id)

    # -- /accompagnement demander -------------------------------------------------------------

    @accompagnement.command(name="demander")
    async def accompagnement_demander(self, interaction: Interaction) -> None:
        """Demander un accompagnement à la coordination (formulaire en une étape)."""
        await forms.open_request_form(interaction)

    # -- /accompagnement liste, voir ------------------------------------------------------------------

    @accompagnement.command(name="liste")
    @app_commands.describe(
        statut="Seulement ce statut (par défaut\u00a0: en cours, non closes\u00a0; «\u00a0Toutes\u00a0» pour tout voir)",
        territoire="Seulement ce territoire (coordination)",
    )
    @app_commands.choices(statut=STATUS_CHOICES)
    async def accompagnement_liste(
        self,
        interaction: Interaction,
        statut: app_commands.Choice[str] | None = None,
        territoire: str | None = None,
    ) -> None:
        """Lister les demandes : toutes pour la coordination, les vôtres sinon."""
        actor = await actor_of(self.bot, interaction)
        guild_id = interactions.guild_id(interaction)
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
                    if v.thread_id is None and v.status in ACTIVE and v.source == DISCORD
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
    async def accompagnement_voir(self, interaction: Interaction, numero: str) -> None:
        """Voir une demande et son historique (qui a fait quoi, quand)."""
        actor = await actor_of(self.bot, interaction)
        async with self.bot.db.transaction() as session:
            item = await request_queries.visible_view(
                session, interactions.guild_id(interaction), parse_number(numero), actor
            )
            events = await request_queries.history(session, item.request)
        request = item.request
        actions = [a for a in request_view(request).children if isinstance(a, RequestButton)]
        if not actor.coordinator:  # the requester's own buttons only
            keep = {"close", "cancel", "reopen"} if request.status != OPEN else {"cancel"}
            actions = [a for a in actions if a.action in keep]
        view = RoutedView()
        for button in actions:
            view.add_item(button)
        if request.status == DONE and not request.rating and item.requester_discord_id == actor.discord_id:
            for star in rating_view(request).children:
                star.row = 1
                view.add_item(star)
        await reply(interaction, embed=request_embed(item, events=events), view=view)

    @accompagnement_voir.autocomplete("numero")
    async def _number_autocomplete(self, interaction: Interaction, current: str):
        actor = await actor_of(self.bot, interaction)
        async with self.bot.db.transaction() as session:
            found = await request_queries.search_visible(session, interactions.guild_id(interaction), actor, current)
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
    async def _territory_autocomplete(self, interaction: Interaction, current: str):
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
        interaction: Interaction,
        membre: str,
        type: app_commands.Choice[str],
        date: str,
        resultat: app_commands.Range[str, 1, 1000],
        modalite: app_commands.Choice[str] | None = None,
        duree: str | None = None,
        personnes: app_commands.Range[int, 1, 500] | None = None,
    ) -> None:
        """Enregistrer une aide donnée hors Discord (téléphone, sur place) : coordination."""
        actor = await actor_of(self.bot, interaction)
        day = parse_date(date, today=self.bot.today(), prefer=PAST)
        minutes = parsing.parse_duration(duree)
        guild_id = interactions.guild_id(interaction)
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
    async def _member_autocomplete(self, interaction: Interaction, current: str):
        return await member_choices(self.bot, interaction, current)

    @accompagnement.command(name="relances")
    @app_commands.describe(jours="Après combien de jours sans prise en charge relancer (3 par défaut)")
    @coordination_only()
    async def accompagnement_relances(self, interaction: Interaction, jours: app_commands.Range[int, 1, 30]) -> None:
        """Régler le délai de relance des demandes non prises en charge : coordination."""
        async with self.bot.db.transaction(lock=True) as session:
            days = await request_settings.set_nudge_after_days(session, interactions.guild_id(interaction), jours)
        await reply(interaction, T.NUDGE_SET.format(days=days))
