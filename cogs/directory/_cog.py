"""/profil, /membres (coordination) and /mes-donnees."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot import interactions
from bot.app import PdnBot
from bot.dates import PAST, format_day, parse_date
from bot.db.models.member import PARENTING, YOUTH
from bot.errors import NotFoundError, ValidationError
from bot.interactions import Interaction, reply
from bot.permissions import COORDINATION_DEFAULT, coordination_only
from bot.services import directory as directory_service
from bot.services import guilds as guilds_service
from bot.services import lists as lists_service
from bot.services import members as members_service
from bot.services import privacy
from bot.services.members import ProfileChanges, strand_label
from bot.ui.choices import choices, member_choices, territory_choices
from bot.ui.pager import Pager, fetch_page
from bot.ui.views import RoutedView
from cogs.directory import _summary as year_summary
from cogs.directory import _texts as T
from cogs.directory._render import directory_file, my_data_files, profile_embed
from cogs.directory._views import ConfirmErasureButton

STRAND_CHOICES = [app_commands.Choice(name=strand_label(strand), value=strand) for strand in (YOUTH, PARENTING)]
EXPORT_FORMATS = [
    app_commands.Choice(name="CSV (Excel, LibreOffice en français)", value="csv"),
    app_commands.Choice(name="Tableur (XLSX)", value="xlsx"),
]


class Directory(commands.Cog):
    profil = app_commands.Group(name="profil", description="Votre profil de Promeneur du Net", guild_only=True)
    membres = app_commands.Group(
        name="membres",
        description="L'annuaire des Promeneurs (coordination)",
        guild_only=True,
        default_permissions=COORDINATION_DEFAULT,
    )
    donnees = app_commands.Group(name="mes-donnees", description="Vos données personnelles", guild_only=True)

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot

    async def _territory_names(self, guild_id: int) -> dict[str, str]:
        async with self.bot.db.transaction() as session:
            return await guilds_service.territory_names(session, guild_id)

    # -- /profil --------------------------------------------------------------------

    @profil.command(name="modifier")
    @app_commands.describe(
        territoire="Votre département",
        volet="Jeunesse ou Parentalité",
        structure="Le nom de votre structure",
        type_structure="Le type de votre structure",
        metier="Votre métier",
        arrivee="Votre date d'arrivée dans le réseau (JJ/MM/AAAA)",
        depuis="Le jour où le changement de territoire ou de volet a eu lieu (aujourd'hui par défaut)",
        quartier_prioritaire="Votre structure est-elle en quartier prioritaire (QPV) ?",
        zone_rurale="Votre structure est-elle en zone rurale ?",
    )
    @app_commands.choices(volet=STRAND_CHOICES)
    async def profil_modifier(
        self,
        interaction: Interaction,
        territoire: str | None = None,
        volet: app_commands.Choice[str] | None = None,
        structure: app_commands.Range[str, 1, 150] | None = None,
        type_structure: str | None = None,
        metier: str | None = None,
        arrivee: str | None = None,
        depuis: str | None = None,
        quartier_prioritaire: bool | None = None,
        zone_rurale: bool | None = None,
    ) -> None:
        """Créer ou mettre à jour votre profil dans l'annuaire."""
        changes = ProfileChanges(
            territory=territoire,
            strand=volet.value if volet else None,
            structure_name=structure,
            structure_type=type_structure,
            profession=metier,
            joined_on=parse_date(arrivee, today=self.bot.today(), prefer=PAST) if arrivee else None,
            since=parse_date(depuis, today=self.bot.today(), prefer=PAST) if depuis else None,
            priority_district=quartier_prioritaire,
            rural_area=zone_rurale,
        )
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction(lock=True) as session:
            existing = await members_service.find_by_discord(session, guild_id, interaction.user.id)
            if existing is not None and changes == ProfileChanges():
                raise NotFoundError(T.PROFILE_NOTHING)
            member, created = await members_service.update_profile(
                session,
                guild_id,
                interaction.user.id,
                interaction.user.display_name,
                changes,
                today=self.bot.today(),
            )
        embed = profile_embed(member, await self._territory_names(guild_id))
        await reply(interaction, T.PROFILE_CREATED if created else T.PROFILE_UPDATED, embed=embed)

    @profil.command(name="voir")
    @app_commands.describe(membre="Le membre dont voir le profil (vous par défaut)")
    async def profil_voir(self, interaction: Interaction, membre: discord.Member | None = None) -> None:
        """Voir votre profil ou celui d'un autre membre."""
        guild_id = interactions.guild_id(interaction)
        target = membre or interaction.user
        async with self.bot.db.transaction() as session:
            member = await members_service.find_by_discord(session, guild_id, target.id)
        if member is None:
            if target.id == interaction.user.id:
                raise NotFoundError(members_service.ERR_NO_PROFILE)
            raise NotFoundError(members_service.ERR_MEMBER_NO_PROFILE.format(name=target.display_name))
        await reply(interaction, embed=profile_embed(member, await self._territory_names(guild_id)))

    @profil_modifier.autocomplete("territoire")
    async def _territory_autocomplete(self, interaction: Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current)

    @profil_modifier.autocomplete("type_structure")
    async def _structure_type_autocomplete(self, interaction: Interaction, current: str):
        return await self._list_choices(interaction, lists_service.STRUCTURE_TYPES, current)

    @profil_modifier.autocomplete("metier")
    async def _profession_autocomplete(self, interaction: Interaction, current: str):
        return await self._list_choices(interaction, lists_service.PROFESSIONS, current)

    async def _list_choices(
        self, interaction: Interaction, list_name: str, current: str
    ) -> list[app_commands.Choice[str]]:
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            values = await lists_service.values(session, guild_id, list_name)
        return choices(values, current)

    # -- /membres (coordination) ------------------------------------------------------

    @membres.command(name="liste")
    @app_commands.describe(territoire="Seulement ce territoire", volet="Seulement ce volet")
    @app_commands.choices(volet=STRAND_CHOICES)
    @coordination_only()
    async def membres_liste(
        self,
        interaction: Interaction,
        territoire: str | None = None,
        volet: app_commands.Choice[str] | None = None,
    ) -> None:
        """Lister les Promeneurs actifs, par territoire et volet."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            code = (await guilds_service.require_territory(session, guild_id, territoire)).code if territoire else None
            page, rows, total = await fetch_page(
                lambda offset, limit: directory_service.directory_page(
                    session,
                    guild_id,
                    on=self.bot.today(),
                    territory=code,
                    strand=volet.value if volet else None,
                    offset=offset,
                    limit=limit,
                )
            )
        filters = "".join(f" · {f}" for f in (code, volet.name if volet else None) if f)
        lines = [
            T.LIST_LINE.format(
                name=row.name,
                territory=row.territory_code or T.EMPTY,
                strand=strand_label(row.strand),
                structure=f" · {row.structure}" if row.structure else "",
            )
            for row in rows
        ]
        pager = Pager(
            T.LIST_TITLE.format(filters=filters) + f" ({total})", lines, empty=T.LIST_EMPTY, total=total, page=page
        )
        await pager.send(interaction)

    @membres.command(name="ajouter")
    @app_commands.describe(
        nom="Prénom et nom",
        territoire="Son département",
        volet="Jeunesse ou Parentalité",
        structure="Le nom de sa structure",
        type_structure="Le type de sa structure",
        metier="Son métier",
        arrivee="Sa date d'arrivée dans le réseau (JJ/MM/AAAA, aujourd'hui par défaut)",
        quartier_prioritaire="Sa structure est-elle en quartier prioritaire (QPV) ?",
        zone_rurale="Sa structure est-elle en zone rurale ?",
    )
    @app_commands.choices(volet=STRAND_CHOICES)
    @coordination_only()
    async def membres_ajouter(
        self,
        interaction: Interaction,
        nom: app_commands.Range[str, 1, 100],
        territoire: str,
        volet: app_commands.Choice[str],
        structure: app_commands.Range[str, 1, 150] | None = None,
        type_structure: str | None = None,
        metier: str | None = None,
        arrivee: str | None = None,
        quartier_prioritaire: bool | None = None,
        zone_rurale: bool | None = None,
    ) -> None:
        """Ajouter à l'annuaire un Promeneur qui n'est pas sur Discord."""
        guild_id = interactions.guild_id(interaction)
        changes = ProfileChanges(
            territory=territoire,
            strand=volet.value,
            structure_name=structure,
            structure_type=type_structure,
            profession=metier,
            joined_on=parse_date(arrivee, today=self.bot.today(), prefer=PAST) if arrivee else None,
            priority_district=quartier_prioritaire,
            rural_area=zone_rurale,
        )
        async with self.bot.db.transaction(lock=True) as session:
            member = await members_service.add_offline_member(
                session,
                guild_id,
                nom,
                changes,
                today=self.bot.today(),
            )
        period = member.current_period
        await reply(
            interaction,
            T.MEMBER_ADDED.format(
                name=member.display_name,
                territory=period.territory_code if period else T.EMPTY,
                strand=strand_label(period.strand if period else None),
            ),
        )

    @membres.command(name="modifier")
    @app_commands.describe(
        membre="Le Promeneur à modifier (choisissez-le dans la liste)",
        depuis="Le jour du changement de territoire ou de volet (JJ/MM/AAAA, aujourd'hui par défaut)",
        territoire="Son nouveau département",
        volet="Son nouveau volet",
        structure="Le nom de sa structure",
        type_structure="Le type de sa structure",
        metier="Son métier",
        arrivee="Sa date d'arrivée dans le réseau (JJ/MM/AAAA)",
    )
    @app_commands.choices(volet=STRAND_CHOICES)
    @coordination_only()
    async def membres_modifier(
        self,
        interaction: Interaction,
        membre: str,
        depuis: str | None = None,
        territoire: str | None = None,
        volet: app_commands.Choice[str] | None = None,
        structure: app_commands.Range[str, 1, 150] | None = None,
        type_structure: str | None = None,
        metier: str | None = None,
        arrivee: str | None = None,
    ) -> None:
        """Modifier le profil d'un Promeneur, avec la date d'un changement de territoire ou de volet."""
        today = self.bot.today()
        changes = ProfileChanges(
            territory=territoire,
            strand=volet.value if volet else None,
            structure_name=structure,
            structure_type=type_structure,
            profession=metier,
            joined_on=parse_date(arrivee, today=today) if arrivee else None,
            since=parse_date(depuis, today=today) if depuis else None,
        )
        guild_id = interactions.guild_id(interaction)
        if changes == ProfileChanges():
            raise ValidationError(T.MEMBER_NOTHING)
        async with self.bot.db.transaction(lock=True) as session:
            member_id = await members_service.resolve_member_id(session, guild_id, membre)
            member = await members_service.update_member(session, guild_id, member_id, changes, today=today)
        embed = profile_embed(member, await self._territory_names(guild_id))
        await reply(interaction, T.MEMBER_UPDATED.format(name=member.display_name), embed=embed)

    @membres.command(name="depart")
    @app_commands.describe(membre="Le membre qui quitte le réseau", date="Son dernier jour (JJ/MM/AAAA)")
    @coordination_only()
    async def membres_depart(self, interaction: Interaction, membre: str, date: str) -> None:
        """Enregistrer le départ d'un Promeneur (son historique reste dans les bilans)."""
        guild_id = interactions.guild_id(interaction)
        left_on = parse_date(date, today=self.bot.today(), prefer=PAST)
        async with self.bot.db.transaction(lock=True) as session:
            member_id = await members_service.resolve_member_id(session, guild_id, membre)
            member = await members_service.record_departure(
                session,
                guild_id,
                member_id,
                left_on,
                today=self.bot.today(),
            )
        await reply(interaction, T.DEPARTURE_DONE.format(name=member.display_name, day=format_day(left_on)))

    @membres_depart.autocomplete("membre")
    async def _member_autocomplete(self, interaction: Interaction, current: str):
        return await member_choices(self.bot, interaction, current, active_only=True)

    @membres_modifier.autocomplete("membre")
    async def _any_member_autocomplete(self, interaction: Interaction, current: str):
        return await member_choices(self.bot, interaction, current)

    @membres_ajouter.autocomplete("territoire")
    @membres_modifier.autocomplete("territoire")
    async def _coordination_territory_autocomplete(self, interaction: Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current)

    @membres_ajouter.autocomplete("type_structure")
    @membres_modifier.autocomplete("type_structure")
    async def _coordination_structure_type_autocomplete(self, interaction: Interaction, current: str):
        return await self._list_choices(interaction, lists_service.STRUCTURE_TYPES, current)

    @membres_ajouter.autocomplete("metier")
    @membres_modifier.autocomplete("metier")
    async def _coordination_profession_autocomplete(self, interaction: Interaction, current: str):
        return await self._list_choices(interaction, lists_service.PROFESSIONS, current)

    @membres.command(name="export")
    @coordination_only()
    @app_commands.describe(format="CSV (par défaut) ou tableur XLSX")
    @app_commands.choices(format=EXPORT_FORMATS)
    async def membres_export(self, interaction: Interaction, format: app_commands.Choice[str] | None = None) -> None:
        """Télécharger l'annuaire complet (CSV ou XLSX, pour un tableur)."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            header, rows = await directory_service.export_table(session, guild_id)
        xlsx = format is not None and format.value == "xlsx"
        file, label = await asyncio.to_thread(directory_file, header, rows, xlsx=xlsx, day=self.bot.today())
        text = T.EXPORT_DONE_ONE if len(rows) == 1 else T.EXPORT_DONE
        await reply(interaction, text.format(count=len(rows), format=label), file=file)

    # -- /mes-donnees ---------------------------------------------------------------

    @donnees.command(name="exporter")
    async def donnees_exporter(self, interaction: Interaction) -> None:
        """Recevoir toutes vos données (fichier JSON visible par vous seul)."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            data = await privacy.export_member(
                session, guild_id, interaction.user.id, self.bot.features.privacy_hooks()
            )
        await reply(interaction, T.MY_DATA_EXPORT, files=my_data_files(data))

    @donnees.command(name="supprimer")
    async def donnees_supprimer(self, interaction: Interaction) -> None:
        """Supprimer vos données personnelles (une confirmation vous est demandée)."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            await members_service.require_profile(session, guild_id, interaction.user.id)
        view = RoutedView()
        view.add_item(ConfirmErasureButton(interaction.user.id))
        await reply(interaction, T.ERASE_CONFIRM, view=view)

    # -- /profil bilan ------------------------------------------------------------------

    @profil.command(name="bilan")
    @app_commands.describe(
        annee="L'année (l'année en cours par défaut)",
        membre="Coordination\u00a0: le bilan d'un autre membre (vous par défaut)",
    )
    async def profil_bilan(self, interaction: Interaction, annee: int | None = None, membre: str | None = None) -> None:
        """Recevoir le bilan d'une année au réseau (PDF d'une page, pour votre employeur)."""
        await year_summary.send(self.bot, interaction, annee, membre)

    @profil_bilan.autocomplete("membre")
    async def _summary_member_autocomplete(self, interaction: Interaction, current: str):
        return await member_choices(self.bot, interaction, current)
