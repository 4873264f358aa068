"""The coordination's /evenement commands after (or before) the day: presences (the
registrants, then the attendance sheet), enregistrer (a session already held), and the
attestation of presence; mixed into the `Events` cog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands

from bot import interactions
from bot.dates import PAST, format_when, parse_datetime
from bot.interactions import Interaction, reply
from bot.permissions import coordination_only
from bot.services import members as members_service
from bot.services.events import attendance as attendance_service
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import rules as event_rules
from bot.services.events.lifecycle import parse_event_id
from bot.services.events.rules import EventDraft
from bot.ui.choices import member_choices, territory_choices
from cogs.events import _certificates as certificates
from cogs.events import _texts as T
from cogs.events._actions import SHARED_CHOICE, event_choices
from cogs.events._group import CommandsMixin, evenement
from cogs.events._inputs import FORMAT_CHOICES, TYPE_CHOICES, parse_end
from cogs.events._render import registrants_embed
from cogs.events._views import attendance_message

if TYPE_CHECKING:
    from bot.app import PdnBot


class AttendanceCommands(CommandsMixin):
    """Presences, past sessions and attestations."""

    bot: PdnBot

    @evenement.command(name="presences")
    @app_commands.describe(
        evenement="L'événement (avant\u00a0: la liste des inscrits\u00a0; après\u00a0: la saisie des présences)",
        sans_inscription="Une personne venue sans être inscrite (à noter présente)",
    )
    @coordination_only()
    async def evenement_presences(
        self, interaction: Interaction, evenement: str, sans_inscription: str | None = None
    ) -> None:
        """Voir les inscrits d'un événement, puis saisir ses présences (coordination)."""
        event_id = parse_event_id(evenement)
        guild_id = interactions.guild_id(interaction)
        content = None
        if sans_inscription:
            async with self.bot.db.transaction(lock=True) as session:
                member_id = await members_service.resolve_member_id(session, guild_id, sans_inscription)
                sheet, member = await attendance_service.add_walk_in(
                    session, guild_id, event_id, member_id, now=self.bot.now()
                )
            content = T.ATTENDANCE_WALK_IN_ADDED.format(name=member.display_name)
        else:
            async with self.bot.db.transaction() as session:
                event = await events_service.get_event(session, guild_id, event_id)
                if event.cancelled_at is None and event.starts_at > self.bot.now():
                    people = await regs.registrants(session, guild_id, event_id)
                    await reply(interaction, embed=registrants_embed(event, people.registered, people.waitlisted))
                    return
                sheet = await attendance_service.attendance_sheet(session, guild_id, event_id, now=self.bot.now())
        await reply(interaction, content, **attendance_message(sheet, 0))

    @evenement.command(name="enregistrer")
    @app_commands.describe(
        titre="Le titre (100 caractères au plus)",
        type="Le type de temps de réseau",
        debut="Début, heure de Paris\u00a0: 15/10/2026 9h30",
        fin="Fin\u00a0: 15/10/2026 16h30, ou seulement 16h30 le même jour",
        format="Présentiel, visio ou hybride",
        presents="Les présents, séparés par des virgules, comme dans l'annuaire (facultatif)",
        territoire="Le département, ou «\u00a0commun\u00a0» (par défaut)",
        lieu="Le lieu (facultatif)",
        capacite="Nombre de places qu'il y avait (facultatif)",
        duree="Durée en jours\u00a0: 0,5, 1, 1,5… (calculée sinon)",
    )
    @app_commands.choices(type=TYPE_CHOICES, format=FORMAT_CHOICES)
    @coordination_only()
    async def evenement_enregistrer(
        self,
        interaction: Interaction,
        titre: app_commands.Range[str, 1, 100],
        type: app_commands.Choice[str],
        debut: str,
        fin: str,
        format: app_commands.Choice[str],
        presents: app_commands.Range[str, 1, 4000] | None = None,
        territoire: str | None = None,
        lieu: app_commands.Range[str, 1, 200] | None = None,
        capacite: app_commands.Range[int, 1, 10000] | None = None,
        duree: str | None = None,
    ) -> None:
        """Enregistrer un temps de réseau déjà tenu, avec ses présents (coordination)."""
        starts_at = parse_datetime(debut, now=self.bot.now(), prefer=PAST)
        draft = EventDraft(
            title=titre,
            type=type.value,
            starts_at=starts_at,
            ends_at=parse_end(fin, starts_at),
            format=format.value,
            duration_days=event_rules.parse_duration(duree),
            place=lieu,
            territory=territoire,
            capacity=capacite,
        )
        guild_id = interactions.guild_id(interaction)
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            people = await members_service.resolve_names(session, guild_id, presents)
            event = await events_service.create_event(
                session, guild_id, draft, now=now, created_by=interaction.user.id, allow_past=True
            )
            for member in people:
                await attendance_service.add_walk_in(session, guild_id, event.id, member.id, now=now)
            sheet = await attendance_service.attendance_sheet(session, guild_id, event.id, now=now)
        content = T.RECORDED_PAST.format(title=event.title, when=format_when(event.starts_at))
        await reply(interaction, content, **attendance_message(sheet, 0))

    @evenement.command(name="attestation")
    @app_commands.describe(
        evenement="Un temps de réseau où vous étiez présent·e (la coordination\u00a0: tout événement passé)",
        membre="Coordination\u00a0: une seule personne (par défaut, toutes les personnes présentes)",
    )
    async def evenement_attestation(self, interaction: Interaction, evenement: str, membre: str | None = None) -> None:
        """Recevoir une attestation de présence (PDF) à une formation ou un temps de réseau."""
        await certificates.send(self.bot, interaction, evenement, membre)

    @evenement_presences.autocomplete("evenement")
    async def _started_autocomplete(self, interaction: Interaction, current: str):
        """Started events first (latest first), then upcoming ones (their registrants)."""
        if not await self.bot.is_coordinator(interaction):
            return []
        started = await event_choices(self.bot, interaction, current, events_service.STARTED, mark_attendance=True)
        upcoming = await event_choices(self.bot, interaction, current, events_service.UPCOMING)
        return (started + upcoming)[:25]

    @evenement_presences.autocomplete("sans_inscription")
    async def _member_autocomplete(self, interaction: Interaction, current: str):
        return await member_choices(self.bot, interaction, current)

    @evenement_enregistrer.autocomplete("territoire")
    async def _recorded_territory_autocomplete(self, interaction: Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current, shared=SHARED_CHOICE)

    @evenement_attestation.autocomplete("evenement")
    async def _attended_autocomplete(self, interaction: Interaction, current: str):
        return await certificates.event_choices(self.bot, interaction, current)

    @evenement_attestation.autocomplete("membre")
    async def _certificate_member_autocomplete(self, interaction: Interaction, current: str):
        return await member_choices(self.bot, interaction, current)
