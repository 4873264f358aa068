"""/activite: log an activity in one command, list and cancel your own entries."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot import interactions
from bot.app import PdnBot
from bot.dates import PAST, format_short_day, parse_date
from bot.db.models.activity import ACTIVITY_KINDS, Activity
from bot.interactions import Interaction, reply
from bot.parsing import parse_id
from bot.services import activity as activity_service
from bot.services.activity import format_quantity, kind_label
from bot.ui.choices import territory_choices
from bot.ui.pager import Pager, fetch_page
from cogs.activity import _texts as T
from cogs.indicators.month import month_form

KIND_CHOICES = [app_commands.Choice(name=kind_label(k), value=k) for k in ACTIVITY_KINDS]


def _territory(activity: Activity) -> str:
    return activity.territory_code or T.SHARED


def _quantity(activity: Activity) -> str:
    text = format_quantity(activity.kind, activity.quantity)
    return text if activity.kind in activity_service.HOURS_KINDS else f"×{text}"


class Activities(commands.Cog):
    activite = app_commands.Group(name="activite", description=T.GROUP, guild_only=True)

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot

    @activite.command(name="ajouter")
    @app_commands.describe(
        type="Le type d'activité",
        quantite="Combien (un nombre), ou combien d'heures (coordination\u00a0: jusqu'à 2 000 h par saisie)",
        date="Le jour de l'activité (JJ/MM/AAAA, aujourd'hui par défaut)",
        territoire="Le territoire (celui de votre profil par défaut) ou «\u00a0commun\u00a0»",
        note="Un mot pour vous en souvenir (facultatif)",
    )
    @app_commands.choices(type=KIND_CHOICES)
    async def activite_ajouter(
        self,
        interaction: Interaction,
        type: app_commands.Choice[str],
        quantite: float | None = None,
        date: str | None = None,
        territoire: str | None = None,
        note: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        """Saisir une activité en une commande."""
        guild_id = interactions.guild_id(interaction)
        today = self.bot.today()
        day = parse_date(date, today=today, prefer=PAST) if date else None
        coordinator = await self.bot.is_coordinator(interaction)
        async with self.bot.db.transaction() as session:
            activity = await activity_service.log_activity(
                session,
                guild_id,
                interaction.user.id,
                type.value,
                quantity=quantite,
                day=day,
                territory=territoire,
                note=note,
                today=today,
                is_coordinator=coordinator,
            )
        await reply(
            interaction,
            T.LOGGED.format(
                kind=kind_label(activity.kind),
                quantity=_quantity(activity),
                day=format_short_day(activity.occurred_on),
                territory=_territory(activity),
                note=T.LOGGED_NOTE.format(note=activity.note) if activity.note else "",
            ),
        )

    @activite_ajouter.autocomplete("territoire")
    async def _territory_autocomplete(self, interaction: Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current, shared=T.SHARED)

    @activite.command(name="mes-activites")
    async def activite_mes_activites(self, interaction: Interaction) -> None:
        """Voir vos activités saisies et vos totaux de l'année."""
        guild_id = interactions.guild_id(interaction)
        year = self.bot.today().year
        async with self.bot.db.transaction() as session:
            page, entries, total = await fetch_page(
                lambda offset, limit: activity_service.mine_page(
                    session,
                    guild_id,
                    interaction.user.id,
                    offset=offset,
                    limit=limit,
                )
            )
            totals = await activity_service.my_totals(
                session,
                guild_id,
                interaction.user.id,
                year=year,
            )
        lines = [
            T.MINE_LINE.format(
                id=a.id,
                day=format_short_day(a.occurred_on),
                kind=kind_label(a.kind),
                quantity=_quantity(a),
                territory=_territory(a),
                note=f" · {a.note}" if a.note else "",
            )
            for a in entries
        ]
        if totals and page == 0:
            summary = ", ".join(
                T.MINE_TOTAL_ITEM.format(
                    label=activity_service.SHORT_LABELS[t.kind].lower(),
                    quantity=format_quantity(t.kind, t.quantity)
                    if t.kind in activity_service.HOURS_KINDS
                    else f"{t.quantity:g}",
                )
                for t in totals
            )
            lines.insert(0, T.MINE_TOTALS.format(year=year, totals=summary) + "\n")
        pager = Pager(T.MINE_TITLE + f" ({total})", lines, empty=T.MINE_EMPTY, total=total, page=page)
        await pager.send(interaction)

    @activite.command(name="mois")
    @app_commands.describe(
        mois="Le mois à remplir (MM/AAAA\u00a0; par défaut le mois écoulé, jusqu'au 15, puis le mois en cours)",
        rappel="Recevoir (oui) ou non le formulaire en message privé le 1er du mois",
    )
    @app_commands.choices(
        rappel=[app_commands.Choice(name="oui", value="oui"), app_commands.Choice(name="non", value="non")]
    )
    async def activite_mois(
        self,
        interaction: Interaction,
        mois: app_commands.Range[str, 1, 40] | None = None,
        rappel: app_commands.Choice[str] | None = None,
    ) -> None:
        """Votre mois en quelques chiffres : contacts et thèmes des demandes (moins d'une minute)."""
        await month_form(self.bot, interaction, mois, rappel.value if rappel else None)

    @activite.command(name="annuler")
    @app_commands.describe(saisie="La saisie à annuler (choisissez-la dans la liste)")
    async def activite_annuler(self, interaction: Interaction, saisie: str) -> None:
        """Annuler une de vos saisies."""
        guild_id = interactions.guild_id(interaction)
        activity_id = parse_id(saisie, unknown=activity_service.ERR_UNKNOWN)
        async with self.bot.db.transaction() as session:
            activity = await activity_service.cancel(
                session,
                guild_id,
                interaction.user.id,
                activity_id,
            )
        await reply(
            interaction,
            T.CANCELLED.format(
                kind=kind_label(activity.kind),
                day=format_short_day(activity.occurred_on),
                quantity=_quantity(activity),
                territory=_territory(activity),
            ),
        )

    @activite_annuler.autocomplete("saisie")
    async def _entry_autocomplete(self, interaction: Interaction, current: str):
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            entries = await activity_service.mine(
                session,
                guild_id,
                interaction.user.id,
                limit=100,
            )
        wanted = current.casefold().strip().lstrip("#")
        out = []
        for a in entries:
            name = T.ENTRY_CHOICE.format(
                id=a.id,
                day=format_short_day(a.occurred_on),
                kind=kind_label(a.kind),
                quantity=_quantity(a),
                territory=_territory(a),
            )
            if wanted in name.casefold():
                out.append(app_commands.Choice(name=name[:100], value=str(a.id)))
        return out[:25]
