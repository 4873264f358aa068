"""/config: server setup by the coordination (or anyone who can manage the server)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import interactions
from bot.app import PdnBot
from bot.dates import format_when, parse_clock
from bot.errors import ValidationError
from bot.interactions import Interaction, reply
from bot.permissions import coordination_only
from bot.services import calendar_feeds
from bot.services import guilds as guilds_service
from bot.services import lists as lists_service
from bot.services import outbox as outbox_service
from bot.services import redactions as redactions_service
from bot.services import schedules as schedules_service
from bot.ui.choices import choices, territory_choices
from cogs.config import _texts as T
from cogs.config._render import mention, problem_line, role_facts
from cogs.panel.message import panel_message

LIST_CHOICES = [app_commands.Choice(name=s.label, value=s.name) for s in lists_service.LISTS.values()]
FREQUENCY_CHOICES = [
    app_commands.Choice(name=label, value=value) for value, label in schedules_service.FREQUENCY_LABELS.items()
]
WEEKDAY_CHOICES = [app_commands.Choice(name=day, value=index) for index, day in enumerate(schedules_service.WEEKDAYS)]


def parse_hour(value: str) -> tuple[int, int]:
    return parse_clock(value, T.ERR_TIME)


@coordination_only()
@app_commands.default_permissions(manage_guild=True)  # = COORDINATION_DEFAULT (hidden from members)
class Config(commands.GroupCog, group_name="config", group_description="Configurer le bot sur ce serveur"):
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        super().__init__()

    # -- voir -------------------------------------------------------------------------

    @app_commands.command(name="voir")
    @app_commands.guild_only()
    async def config_voir(self, interaction: Interaction) -> None:
        """Afficher la configuration du bot sur ce serveur."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            settings = await guilds_service.get_settings(session, guild_id)
            territories = await guilds_service.territories(session, guild_id)
            schedules = await schedules_service.all_schedules(session, guild_id, self.bot.features.schedule_kinds())
            list_sizes = {
                name: len(await lists_service.values(session, guild_id, name)) for name in lists_service.LISTS
            }
            redactions = [r for r in await redactions_service.pending(session, guild_id) if r.attempts]
            failing = await outbox_service.failing(session, guild_id, self.bot.now())

        embed = discord.Embed(title=T.TITLE, colour=discord.Colour.blurple())
        embed.add_field(
            name=T.FIELD_ROLES,
            value=T.ROLE_LINES.format(
                coordination=mention("role", settings.coordination_role_id),
                promeneurs=mention("role", settings.promeneur_role_id),
            ),
            inline=False,
        )
        embed.add_field(
            name=T.FIELD_CHANNELS,
            value="\n".join(
                f"{label}\u00a0: {mention('channel', getattr(settings, guilds_service.CHANNEL_FIELDS[key]))}"
                for key, label in T.CHANNEL_LABELS.items()
            ),
            inline=False,
        )
        embed.add_field(
            name=T.FIELD_TERRITORIES,
            value="\n".join(f"**{t.code}** {t.name}" for t in territories) or T.NO_TERRITORY,
            inline=False,
        )
        embed.add_field(
            name=T.FIELD_SCHEDULES,
            value="\n".join(
                f"{self.bot.features.schedule_kinds()[name].label}\u00a0: {value.describe()}"
                for name, value in schedules.items()
            )
            or T.NO_SCHEDULE,
            inline=False,
        )
        embed.add_field(
            name=T.FIELD_LISTS,
            value="\n".join(
                T.LIST_LINE.format(label=lists_service.LISTS[name].label, count=count)
                for name, count in list_sizes.items()
            ),
            inline=False,
        )
        if failing:
            embed.add_field(
                name=T.FIELD_PROBLEMS,
                value="\n".join(problem_line(post, self.bot.outbox.default_title(post)) for post in failing[:10])[
                    :1024
                ],
                inline=False,
            )
        if redactions:
            template = T.REDACTIONS_ONE if len(redactions) == 1 else T.REDACTIONS_MANY
            embed.add_field(
                name=T.FIELD_REDACTIONS,
                value=template.format(count=len(redactions), when=format_when(min(r.due_at for r in redactions))),
                inline=False,
            )
        embed.set_footer(text=T.FOOTER)
        await reply(interaction, embed=embed)

    # -- roles and channels -----------------------------------------------------------

    @app_commands.command(name="roles")
    @app_commands.guild_only()
    @app_commands.describe(
        coordination="Le rôle de la coordination (accès à toutes les commandes de gestion)",
        promeneurs="Le rôle donné aux Promeneurs du Net",
    )
    async def config_roles(
        self,
        interaction: Interaction,
        coordination: discord.Role | None = None,
        promeneurs: discord.Role | None = None,
    ) -> None:
        """Choisir le rôle de la coordination et celui des Promeneurs."""
        guild_id = interactions.guild_id(interaction)
        if coordination is None and promeneurs is None:
            raise ValidationError(T.ROLES_NONE)
        if coordination is not None:
            guilds_service.check_role(role_facts(coordination), coordination=True)
        if promeneurs is not None:
            guilds_service.check_role(role_facts(promeneurs), coordination=False)
        async with self.bot.db.transaction() as session:
            settings = await guilds_service.set_roles(
                session,
                guild_id,
                coordination_role_id=coordination.id if coordination else None,
                promeneur_role_id=promeneurs.id if promeneurs else None,
            )
        summary = T.ROLE_LINES.format(
            coordination=mention("role", settings.coordination_role_id),
            promeneurs=mention("role", settings.promeneur_role_id),
        )
        message = T.ROLES_DONE.format(summary=summary)
        guild = interaction.guild
        chosen = coordination or (
            guild.get_role(settings.coordination_role_id) if guild and settings.coordination_role_id else None
        )
        if chosen is not None:
            risk = guilds_service.coordination_role_risk(
                role_facts(chosen),
                promeneur_role_id=settings.promeneur_role_id,
                member_count=guild.member_count if guild else None,
            )
            if risk == guilds_service.SAME_AS_PROMENEURS:
                message += "\n" + T.ROLES_WARN_SAME
            elif risk == guilds_service.HELD_BY_MOST:
                message += "\n" + T.ROLES_WARN_MOST.format(
                    holders=len(chosen.members), total=guild.member_count if guild else 0
                )
        await reply(interaction, message)

    @app_commands.command(name="salons")
    @app_commands.guild_only()
    @app_commands.describe(
        annonces="Où annoncer les événements",
        veille="Où publier la lettre de veille",
        demandes="Où ouvrir les fils privés des demandes d'accompagnement",
        bilans="Où publier les bilans mensuels et annuels",
    )
    async def config_salons(
        self,
        interaction: Interaction,
        annonces: discord.TextChannel | None = None,
        veille: discord.TextChannel | None = None,
        demandes: discord.TextChannel | None = None,
        bilans: discord.TextChannel | None = None,
    ) -> None:
        """Choisir les salons où le bot publie."""
        guild_id = interactions.guild_id(interaction)
        chosen = {"announcements": annonces, "digest": veille, "requests": demandes, "recaps": bilans}
        if not any(chosen.values()):
            raise ValidationError(T.CHANNELS_NONE)
        async with self.bot.db.transaction() as session:
            settings = await guilds_service.set_channels(
                session,
                guild_id,
                {key: channel.id if channel else None for key, channel in chosen.items()},
            )
        lines = [
            f"{label}\u00a0: {mention('channel', getattr(settings, guilds_service.CHANNEL_FIELDS[key]))}"
            for key, label in T.CHANNEL_LABELS.items()
        ]
        me = interaction.guild.me if interaction.guild else None
        for channel in filter(None, chosen.values()):
            perms = channel.permissions_for(me) if me else None
            if perms is not None and not (perms.send_messages and perms.embed_links):
                lines.append(T.CHANNEL_CANNOT_SEND.format(channel=channel.mention))
        await reply(interaction, T.CHANNELS_DONE.format(summary="\n".join(lines)))
        # Scheduled posts start now (not at the next restart); owed posts go to these channels.
        await self.bot.outbox.reconfigured(guild_id)

    # -- territories ------------------------------------------------------------------

    @app_commands.command(name="territoire-ajouter")
    @app_commands.guild_only()
    @app_commands.describe(code="Le code du département, par exemple 63", nom="Son nom, par exemple Puy-de-Dôme")
    async def config_territoire_ajouter(
        self,
        interaction: Interaction,
        code: app_commands.Range[str, 1, 10],
        nom: app_commands.Range[str, 1, 100],
    ) -> None:
        """Ajouter un territoire (département) couvert par le réseau."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            territory = await guilds_service.add_territory(session, guild_id, code, nom)
        await reply(interaction, T.TERRITORY_ADDED.format(code=territory.code, name=territory.name))

    @app_commands.command(name="territoire-retirer")
    @app_commands.guild_only()
    @app_commands.describe(territoire="Le territoire à retirer")
    async def config_territoire_retirer(self, interaction: Interaction, territoire: str) -> None:
        """Retirer un territoire des choix proposés (l'historique est conservé)."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            territory = await guilds_service.remove_territory(session, guild_id, territoire)
        await reply(interaction, T.TERRITORY_REMOVED.format(code=territory.code, name=territory.name))

    @config_territoire_retirer.autocomplete("territoire")
    async def _territory_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await territory_choices(self.bot, interaction.guild_id, current)

    # -- lists ------------------------------------------------------------------------

    @app_commands.command(name="liste-ajouter")
    @app_commands.guild_only()
    @app_commands.describe(liste="La liste à compléter", valeur="La valeur à ajouter")
    @app_commands.choices(liste=LIST_CHOICES)
    async def config_liste_ajouter(
        self, interaction: Interaction, liste: app_commands.Choice[str], valeur: str
    ) -> None:
        """Ajouter une valeur à une liste (types de structure, métiers, catégories de veille)."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            value = await lists_service.add_value(session, guild_id, liste.value, valeur)
        await reply(interaction, T.LIST_ADDED.format(value=value, label=liste.name))

    @app_commands.command(name="liste-retirer")
    @app_commands.guild_only()
    @app_commands.describe(liste="La liste à modifier", valeur="La valeur à retirer")
    @app_commands.choices(liste=LIST_CHOICES)
    async def config_liste_retirer(
        self, interaction: Interaction, liste: app_commands.Choice[str], valeur: str
    ) -> None:
        """Retirer une valeur d'une liste."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            value = await lists_service.remove_value(session, guild_id, liste.value, valeur)
        await reply(interaction, T.LIST_REMOVED.format(value=value, label=liste.name))

    @config_liste_retirer.autocomplete("valeur")
    async def _list_value_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        guild_id = interactions.guild_id(interaction)
        list_name = getattr(interaction.namespace, "liste", None)
        if list_name not in lists_service.LISTS:
            return []
        async with self.bot.db.transaction() as session:
            values = await lists_service.values(session, guild_id, list_name)
        return choices(values, current)

    # -- schedules --------------------------------------------------------------------

    @app_commands.command(name="planning")
    @app_commands.guild_only()
    @app_commands.describe(
        publication="La publication programmée à régler",
        heure="L'heure de publication (heure de Paris), par exemple 9h ou 9h30",
        frequence="Chaque semaine, chaque mois…",
        jour="Le jour de la semaine (publications hebdomadaires)",
        jour_du_mois="Le jour du mois, de 1 à 28 (publications mensuelles)",
        active="Activer ou suspendre cette publication",
    )
    @app_commands.choices(frequence=FREQUENCY_CHOICES)
    @app_commands.choices(jour=WEEKDAY_CHOICES)
    async def config_planning(
        self,
        interaction: Interaction,
        publication: str,
        heure: str | None = None,
        frequence: app_commands.Choice[str] | None = None,
        jour: app_commands.Choice[int] | None = None,
        jour_du_mois: app_commands.Range[int, 1, 28] | None = None,
        active: bool | None = None,
    ) -> None:
        """Régler le jour et l'heure des publications programmées."""
        hour, minute = parse_hour(heure) if heure else (None, None)
        guild_id = interactions.guild_id(interaction)
        kind = schedules_service.find_kind(self.bot.features.schedule_kinds(), publication)
        async with self.bot.db.transaction(lock=True) as session:
            value = await schedules_service.set_schedule(
                session,
                guild_id,
                kind,
                now=self.bot.now(),
                frequency=frequence.value if frequence else None,
                hour=hour,
                minute=minute,
                weekday=jour.value if jour else None,
                day_of_month=jour_du_mois,
                enabled=active,
            )
        await self.bot.outbox.schedule_guild(guild_id)
        next_time = self.bot.scheduler.next_fire_time(guild_id, publication)
        next_line = T.SCHEDULE_NEXT.format(when=format_when(next_time)) if next_time else ""
        await reply(interaction, T.SCHEDULE_DONE.format(label=kind.label, when=value.describe(), next=next_line))

    @config_planning.autocomplete("publication")
    async def _kind_autocomplete(self, interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=k.label, value=k.name)
            for k in self.bot.features.schedule_kinds().values()
            if current.casefold() in k.label.casefold()
        ][:25]

    # -- calendrier ----------------------------------------------------------------------

    @app_commands.command(name="calendrier")
    @app_commands.guild_only()
    @app_commands.describe(renouveler="Remplacer le lien par un nouveau (l'ancien cesse de fonctionner)")
    async def config_calendrier(self, interaction: Interaction, renouveler: bool = False) -> None:
        """Le lien de l'agenda du serveur (à partager avec le réseau) ; le renouveler."""
        guild_id = interactions.guild_id(interaction)
        if not self.bot.web.enabled:
            await reply(interaction, T.CALENDAR_OFF)
            return
        async with self.bot.db.transaction(lock=True) as session:
            feed = await calendar_feeds.guild_feed(session, guild_id, rotate=renouveler)
        url = self.bot.web.url(calendar_feeds.feed_path(feed))
        rotate = T.CALENDAR_ROTATED if renouveler else T.CALENDAR_ROTATE_HINT
        await reply(interaction, T.CALENDAR_LINK.format(url=url, rotate=rotate))

    # -- panneau -------------------------------------------------------------------------

    @app_commands.command(name="panneau")
    @app_commands.guild_only()
    @app_commands.describe(salon="Le salon où publier le panneau (par défaut\u00a0: celui-ci)")
    async def config_panneau(self, interaction: Interaction, salon: discord.TextChannel | None = None) -> None:
        """Publier le panneau des Promeneurs : demander de l'aide, proposer un lien, inscriptions."""
        channel: Any = salon or interaction.channel
        try:
            await channel.send(**panel_message())
        except (discord.Forbidden, AttributeError):
            await reply(interaction, T.ERR_PANEL_CHANNEL)
            return
        await reply(interaction, T.PANEL_POSTED.format(channel=channel.mention))
