"""/evenement: network sessions, registrations, waitlist, reminders and attendance.

The `Events` cog holds the state shared by its parts (the announcer's coalesced edits, the
Events tab mirror, the scheduled jobs) and the coordination's creer / modifier / annuler;
the other commands are mixins (`_member_commands`, `_attendance_commands`, `_create`,
`_series`), the reminders' sweep is `_reminders`, what components and commands share is
`_actions` (they never look the cog up)."""

from __future__ import annotations

import asyncio
import logging

from discord import app_commands
from discord.ext import commands

from bot import interactions
from bot.app import PdnBot
from bot.dates import format_when, parse_datetime
from bot.db.models.events import ALL
from bot.errors import ValidationError
from bot.interactions import Interaction, reply
from bot.permissions import coordination_only
from bot.services import guilds as guilds_service
from bot.services import notifications
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import rules as event_rules
from bot.services.events import seats
from bot.services.events.lifecycle import CHANGE_LABELS, parse_event_id
from bot.services.events.rules import EventChanges, EventDraft
from bot.text import clean_text
from bot.ui import confirm
from bot.ui.choices import territory_choices
from cogs.events import _create_texts as CR
from cogs.events import _notify as N
from cogs.events import _texts as T
from cogs.events._actions import COUNT_CHANGED, SHARED_CHOICE, event_choices, fallback_channel
from cogs.events._attendance_commands import AttendanceCommands
from cogs.events._create import CreateCommands
from cogs.events._form_values import TEMPLATE_CHOICES
from cogs.events._group import evenement as EVENEMENT
from cogs.events._inputs import AUDIENCE_CHOICES, FORMAT_CHOICES, TYPE_CHOICES, parse_deadline, parse_end
from cogs.events._member_commands import MemberCommands
from cogs.events._mirror import Mirror
from cogs.events._render import event_embed
from cogs.events._series import SeriesCommands
from cogs.events.announcer import Announcer, announce_new, render
from cogs.events.reminders import first_sweep, sweep

log = logging.getLogger(__name__)


class Events(MemberCommands, AttendanceCommands, CreateCommands, SeriesCommands, commands.Cog):
    evenement = EVENEMENT

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self.announcer = Announcer(bot)
        self.mirror = Mirror(bot)  # the event in Discord's Events tab

    async def cog_load(self) -> None:
        # One reminder sweep as soon as the bot is ready after a start (a reminder due while it
        # was down); the periodic jobs are the feature's (cogs/events/__init__.py).
        self._first_sweep = asyncio.create_task(first_sweep(self.bot, self.reminder_job), name="events:first-sweep")

    async def cog_unload(self) -> None:
        self._first_sweep.cancel()
        await self.announcer.close()

    @commands.Cog.listener(f"on_{COUNT_CHANGED}")
    async def on_count_changed(self, event_id: int) -> None:
        self.announcer.mark_dirty(event_id)

    # -- /evenement creer ----------------------------------------------------------------------

    @evenement.command(name="creer")
    @app_commands.describe(
        modele="Sans autre option : le formulaire prérempli pour ce format récurrent",
        titre="Le titre (100 caractères au plus) ; sans titre, un formulaire s'ouvre",
        type="Le type de temps de réseau",
        debut="Début, heure de Paris\u00a0: 15/06/2027 9h30",
        fin="Fin\u00a0: 15/06/2027 16h30, ou seulement 16h30 le même jour",
        format="Présentiel, visio ou hybride",
        lieu="L'adresse (présentiel ou hybride)",
        lien="Le lien de visio (visio ou hybride)",
        territoire="Le département, ou «\u00a0commun\u00a0» (par défaut)",
        capacite="Nombre de places (vide\u00a0: sans limite)",
        liste_attente="Liste d'attente quand c'est complet (oui par défaut)",
        date_limite="Date limite d'inscription\u00a0: 10/06/2027 18h (ou 10/06/2027\u00a0: jusqu'au soir)",
        public="Qui peut s'inscrire (tous par défaut)",
        description="Le programme, ce qu'il faut apporter…",
        duree="Durée en jours\u00a0: 0,5, 1, 1,5… (calculée sinon)",
        rappels="Rappels aux inscrits, en heures avant\u00a0: 24,1 par défaut\u00a0; «\u00a0aucun\u00a0»",
    )
    @app_commands.choices(type=TYPE_CHOICES, format=FORMAT_CHOICES, public=AUDIENCE_CHOICES, modele=TEMPLATE_CHOICES)
    @coordination_only()
    async def evenement_creer(
        self,
        interaction: Interaction,
        titre: app_commands.Range[str, 1, 100] | None = None,
        type: app_commands.Choice[str] | None = None,
        debut: str | None = None,
        fin: str | None = None,
        format: app_commands.Choice[str] | None = None,
        lieu: app_commands.Range[str, 1, 200] | None = None,
        lien: app_commands.Range[str, 1, 500] | None = None,
        territoire: str | None = None,
        capacite: app_commands.Range[int, 1, 10000] | None = None,
        liste_attente: bool = True,
        date_limite: str | None = None,
        public: app_commands.Choice[str] | None = None,
        description: app_commands.Range[str, 1, 2000] | None = None,
        duree: str | None = None,
        rappels: str | None = None,
        modele: app_commands.Choice[str] | None = None,
    ) -> None:
        """Créer un temps de réseau et l'annoncer (coordination) ; sans option : le formulaire."""
        if titre is None:
            await self.open_form(interaction, modele.value if modele else None)
            return
        if type is None or debut is None or fin is None or format is None:
            raise ValidationError(CR.ERR_OPTIONS_MISSING)
        starts_at = parse_datetime(debut, now=self.bot.now())
        draft = EventDraft(
            title=titre,
            type=type.value,
            starts_at=starts_at,
            ends_at=parse_end(fin, starts_at),
            format=format.value,
            duration_days=event_rules.parse_duration(duree),
            place=lieu,
            link=lien,
            territory=territoire,
            capacity=capacite,
            waitlist_enabled=liste_attente,
            registration_deadline=parse_deadline(date_limite, self.bot.now()) if date_limite else None,
            audience=public.value if public else ALL,
            description=description,
            reminders=rappels,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.transaction() as session:
            event = await events_service.create_event(
                session,
                interactions.guild_id(interaction),
                draft,
                now=self.bot.now(),
                created_by=interaction.user.id,
            )
        text = T.CREATED.format(title=event.title) + await announce_new(self.bot, event)
        embed = await render(self.bot, event)
        await reply(interaction, text, embed=embed)
        await self.mirror.sync(event.id, interaction)

    @evenement.command(name="modifier")
    @app_commands.describe(
        evenement="L'événement à modifier",
        titre="Nouveau titre",
        type="Nouveau type",
        debut="Nouveau début\u00a0: 15/06/2027 9h30",
        fin="Nouvelle fin\u00a0: 15/06/2027 16h30 ou 16h30",
        format="Nouveau format",
        lieu="Nouveau lieu",
        lien="Nouveau lien de visio",
        territoire="Nouveau territoire, ou «\u00a0commun\u00a0»",
        capacite="Nouveau nombre de places (0\u00a0: sans limite)",
        liste_attente="Liste d'attente quand c'est complet",
        date_limite="Nouvelle date limite («\u00a0aucune\u00a0» pour la retirer)",
        public="Nouveau public",
        description="Nouvelle description",
        duree="Nouvelle durée en jours\u00a0: 0,5, 1, 1,5…",
        rappels="Rappels en heures avant le début\u00a0: 24,1\u00a0; «\u00a0aucun\u00a0»",
    )
    @app_commands.choices(type=TYPE_CHOICES, format=FORMAT_CHOICES, public=AUDIENCE_CHOICES)
    @coordination_only()
    async def evenement_modifier(
        self,
        interaction: Interaction,
        evenement: str,
        titre: app_commands.Range[str, 1, 100] | None = None,
        type: app_commands.Choice[str] | None = None,
        debut: str | None = None,
        fin: str | None = None,
        format: app_commands.Choice[str] | None = None,
        lieu: app_commands.Range[str, 1, 200] | None = None,
        lien: app_commands.Range[str, 1, 500] | None = None,
        territoire: str | None = None,
        capacite: app_commands.Range[int, 0, 10000] | None = None,
        liste_attente: bool | None = None,
        date_limite: str | None = None,
        public: app_commands.Choice[str] | None = None,
        description: app_commands.Range[str, 1, 2000] | None = None,
        duree: str | None = None,
        rappels: str | None = None,
    ) -> None:
        """Modifier un événement ; les inscrits sont prévenus (coordination)."""
        event_id = parse_event_id(evenement)
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            current = await events_service.get_event(session, guild_id, event_id)
        starts_at = parse_datetime(debut, now=self.bot.now()) if debut else None
        if fin:
            ends_at = parse_end(fin, starts_at or current.starts_at)
        elif starts_at is not None:  # moving the start keeps the length of the session
            ends_at = starts_at + (current.ends_at - current.starts_at)
        else:
            ends_at = None
        clear_deadline = date_limite is not None and date_limite.strip().casefold() in {"aucune", "aucun", "non"}
        changes = EventChanges(
            title=titre,
            type=type.value if type else None,
            starts_at=starts_at,
            ends_at=ends_at,
            format=format.value if format else None,
            duration_days=event_rules.parse_duration(duree),
            place=lieu,
            link=lien,
            territory=territoire,
            capacity=capacite,
            waitlist_enabled=liste_attente,
            registration_deadline=parse_deadline(date_limite, self.bot.now())
            if date_limite and not clear_deadline
            else None,
            clear_deadline=clear_deadline,
            audience=public.value if public else None,
            description=description,
            reminders=rappels,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            result = await events_service.update_event(session, guild_id, event_id, changes, now=now)
            event = result.event
            if result.changed:
                fields = ", ".join(CHANGE_LABELS[name] for name in result.changed)
                registered, waitlisted = (await seats.counts(session, [event.id]))[event.id]
                names = await guilds_service.territory_names(session, guild_id)
                embed = event_embed(event, registered, waitlisted, names)
                promoted_ids = {s.discord_id for s in result.promoted}
                people = await regs.recipients(session, event_id)
                to_tell = [m for m in people if m.discord_id not in promoted_ids]
                channel_id = await fallback_channel(session, event)
                ids = await notifications.enqueue(
                    session,
                    guild_id,
                    [
                        *N.changes(event, fields, to_tell, channel_id, embed=embed, now=now),
                        *N.promotions(event, result.promoted, channel_id),
                    ],
                    now=now,
                )
        if not result.changed:
            await reply(interaction, T.UPDATED_NOTHING)
            return
        await self.announcer.refresh(event.id, with_file=True)
        outcomes = await self.bot.notifier.deliver(ids)
        await reply(
            interaction,
            T.UPDATED.format(title=event.title, fields=fields, notified=N.outcome_text(outcomes)),
            embed=embed,
        )
        await self.mirror.sync(event.id, interaction)

    @evenement.command(name="annuler")
    @app_commands.describe(evenement="L'événement à annuler", raison="Le motif, dit aux inscrits")
    @coordination_only()
    async def evenement_annuler(
        self,
        interaction: Interaction,
        evenement: str,
        raison: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        """Annuler un événement ; les inscrits sont prévenus (coordination)."""
        event_id = parse_event_id(evenement)
        motive = clean_text(raison, "Le motif", 300)
        async with self.bot.db.transaction() as session:
            event = await events_service.get_event(session, interactions.guild_id(interaction), event_id)
            if event.cancelled_at is not None:
                raise ValidationError(event_rules.ERR_ALREADY_CANCELLED)
            registered = len(await regs.recipients(session, event_id))
        await confirm.ask(
            interaction,
            "event-cancel",
            event_id,
            T.CONFIRM_CANCEL.format(
                title=event.title,
                when=format_when(event.starts_at),
                people=(T.CONFIRM_PEOPLE_NONE, T.CONFIRM_PEOPLE_ONE)[registered]
                if registered < 2
                else T.CONFIRM_PEOPLE_MANY.format(count=registered),
            ),
            T.CONFIRM_CANCEL_YES,
            typed={"raison": motive} if motive else None,
        )

    async def cancel_confirmed(self, interaction: Interaction, event_id: int, typed: dict) -> None:
        """« Oui, annuler » of /evenement annuler: the event is cancelled, its people told."""
        await self.bot.require_coordinator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        motive = str(typed.get("raison") or "")
        reason = T.REASON.format(reason=motive) if motive else ""
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            event = await events_service.cancel_event(session, interactions.guild_id(interaction), event_id, now=now)
            people = await regs.recipients(session, event_id)
            channel_id = await fallback_channel(session, event)
            ids = await notifications.enqueue(
                session, event.guild_id, N.cancellations(event, reason, people, channel_id), now=now
            )
        await self.announcer.refresh(event.id, with_file=True)
        outcomes = await self.bot.notifier.deliver(ids)
        await reply(interaction, T.CANCELLED.format(title=event.title, notified=N.outcome_text(outcomes)))
        await self.mirror.sync(event.id, interaction)

    # -- autocomplete ----------------------------------------------------------------------------

    @evenement_modifier.autocomplete("evenement")
    @evenement_annuler.autocomplete("evenement")
    async def _coordination_upcoming_autocomplete(self, interaction: Interaction, current: str):
        if not await self.bot.is_coordinator(interaction):
            return []
        return await event_choices(self.bot, interaction, current, events_service.UPCOMING)

    @evenement_creer.autocomplete("territoire")
    @evenement_modifier.autocomplete("territoire")
    async def _territory_autocomplete(self, interaction: Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current, shared=SHARED_CHOICE)

    # -- reminders ---------------------------------------------------------------------------

    async def reminder_job(self) -> None:
        """Every minute, and at a reminder's exact due time (see `cogs.events.reminders`)."""
        await sweep(self.bot, self.reminder_job)
