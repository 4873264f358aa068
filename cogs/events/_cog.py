"""/evenement: network sessions, registrations, waitlist, reminders and attendance."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PdnBot
from bot.dates import PAST, format_when, parse_datetime
from bot.db.models.events import ALL, REGISTERED, WAITLISTED, Event
from bot.errors import ValidationError
from bot.interactions import reply
from bot.permissions import coordination_only
from bot.services import calendar_feeds, notifications
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services.events import attendance as attendance_service
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import reminders, seats
from bot.services.events import rules as event_rules
from bot.services.events.lifecycle import CHANGE_LABELS, parse_event_id
from bot.services.events.rules import FORMAT_LABELS, EventChanges, EventDraft
from bot.services.text import clean_text
from bot.ui import confirm
from bot.ui.choices import member_choices, territory_choices
from bot.ui.pager import Pager, fetch_page
from cogs.events import _calendar_texts as CT
from cogs.events import _certificates as certificates
from cogs.events import _create_texts as CR
from cogs.events import _notify as N
from cogs.events import _texts as T
from cogs.events._announcer import Announcer
from cogs.events._create import TEMPLATE_CHOICES, CreateCommands
from cogs.events._group import evenement as EVENEMENT
from cogs.events._inputs import AUDIENCE_CHOICES, FORMAT_CHOICES, TYPE_CHOICES, parse_deadline, parse_end
from cogs.events._mirror import RETRY_JOB as MIRROR_JOB
from cogs.events._mirror import RETRY_MINUTES as MIRROR_MINUTES
from cogs.events._mirror import Mirror
from cogs.events._render import choice_name, count_line, event_embed, registrants_embed, territory_text
from cogs.events._series import SERIES_JOB, SERIES_MINUTES, SeriesCommands
from cogs.events._views import AttendanceView

log = logging.getLogger(__name__)

REMINDER_JOB = "events:reminders"
REMINDER_AT_JOB = "events:reminder-at"
REMINDER_MINUTES = 1  # the sweep; a reminder due before the next one gets a precise wake-up
SHARED_CHOICE = "commun"


class Events(CreateCommands, SeriesCommands, commands.Cog):
    evenement = EVENEMENT

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self.announcer = Announcer(bot)
        self.mirror = Mirror(bot)  # the event in Discord's Events tab

    async def cog_load(self) -> None:
        # Reminders on time: a sweep every minute plans a wake-up at the exact due time of the
        # next reminder before the following sweep; one sweep as soon as the bot is ready after
        # a start (a reminder due while it was down). See bench/reminders.py.
        self.bot.scheduler.every(self.reminder_job, minutes=REMINDER_MINUTES, job_id=REMINDER_JOB)
        self._first_sweep = asyncio.create_task(self._sweep_when_ready(), name="events:first-sweep")
        self.bot.scheduler.every(self.mirror.retry_pending, minutes=MIRROR_MINUTES, job_id=MIRROR_JOB)
        self.bot.scheduler.every(self.series_job, minutes=SERIES_MINUTES, job_id=SERIES_JOB)

    async def cog_unload(self) -> None:
        self._first_sweep.cancel()
        await self.announcer.close()

    async def _sweep_when_ready(self) -> None:
        await self.bot.wait_until_ready()
        try:
            await self.reminder_job()
        except Exception:
            log.exception("The first reminder sweep failed; the next one runs within a minute")

    # -- shared steps ------------------------------------------------------------------------

    async def _territory_names(self, guild_id: int) -> dict[str, str]:
        async with self.bot.db.transaction() as session:
            return await guilds_service.territory_names(session, guild_id)

    async def _announcements_channel(self, guild_id: int) -> discord.abc.Messageable | None:
        async with self.bot.db.transaction() as session:
            settings = await guilds_service.get_settings(session, guild_id)
        channel = self.bot.get_channel(settings.announcements_channel_id or 0)
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def _fallback_channel(self, session, event: Event) -> int | None:
        settings = await guilds_service.get_settings(session, event.guild_id)
        return N.channel_of(event, settings.announcements_channel_id)

    async def register_member(self, interaction: discord.Interaction, event_id: int) -> None:
        """Register the user (button or command)."""
        async with self.bot.db.transaction(lock=True) as session:
            result = await regs.register(
                session,
                interaction.guild_id,
                event_id,
                interaction.user.id,
                now=self.bot.now(),  # type: ignore[arg-type]
            )
        self.announcer.mark_dirty(event_id)
        event = result.event
        if result.status == REGISTERED:
            await reply(interaction, T.REGISTERED.format(title=event.title, when=format_when(event.starts_at)))
        else:
            await reply(interaction, T.WAITLISTED.format(title=event.title, rank=result.rank))

    async def withdraw_member(self, interaction: discord.Interaction, event_id: int) -> None:
        """Withdraw the user (button or command); a freed seat is offered to the waitlist."""
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            result = await regs.withdraw(
                session,
                interaction.guild_id,
                event_id,
                interaction.user.id,
                now=now,  # type: ignore[arg-type]
            )
            channel_id = await self._fallback_channel(session, result.event)
            ids = await notifications.enqueue(
                session, result.event.guild_id, N.promotions(result.event, result.promoted, channel_id), now=now
            )
        self.announcer.mark_dirty(event_id)
        template = T.WITHDRAWN if result.previous_status == REGISTERED else T.WITHDRAWN_WAITLIST
        await reply(interaction, template.format(title=result.event.title))
        await self.bot.notifier.deliver(ids)

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
        interaction: discord.Interaction,
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
                interaction.guild_id,
                draft,
                now=self.bot.now(),
                created_by=interaction.user.id,  # type: ignore[arg-type]
            )
        text = T.CREATED.format(title=event.title) + await self.announce_new(event)
        embed = await self.announcer.render(event)
        await reply(interaction, text, embed=embed)
        await self.mirror.sync(event.id, interaction)

    async def announce_new(self, event: Event) -> str:
        """Post a new event's announcement; returns what to tell the coordinator about it."""
        try:
            channel = await self.announcer.publish(event)
        except discord.HTTPException:
            log.warning("Could not announce event %s", event.id, exc_info=True)
            channel = await self._announcements_channel(event.guild_id)
            return T.CREATED_ANNOUNCE_FAILED.format(channel=getattr(channel, "mention", "le salon d'annonces"))
        if channel is None:
            return T.CREATED_NO_CHANNEL
        return T.CREATED_ANNOUNCED.format(channel=channel.mention)  # type: ignore[union-attr]

    # -- registration commands -----------------------------------------------------------------

    @evenement.command(name="inscrire")
    @app_commands.describe(evenement="L'événement (tapez quelques lettres du titre)")
    async def evenement_inscrire(self, interaction: discord.Interaction, evenement: str) -> None:
        """Vous inscrire à un événement à venir."""
        await self.register_member(interaction, parse_event_id(evenement))

    @evenement.command(name="desinscrire")
    @app_commands.describe(evenement="L'événement dont vous vous désinscrivez")
    async def evenement_desinscrire(self, interaction: discord.Interaction, evenement: str) -> None:
        """Vous désinscrire d'un événement (ou quitter sa liste d'attente)."""
        await self.withdraw_member(interaction, parse_event_id(evenement))

    @evenement.command(name="mes-inscriptions")
    async def evenement_mes_inscriptions(self, interaction: discord.Interaction) -> None:
        """Voir vos inscriptions aux événements à venir."""
        async with self.bot.db.transaction() as session:
            mine = await regs.my_registrations(
                session,
                interaction.guild_id,
                interaction.user.id,
                now=self.bot.now(),  # type: ignore[arg-type]
            )
        lines = []
        for item in mine:
            event = item.event
            if item.status == WAITLISTED:
                lines.append(
                    T.MINE_WAITLISTED.format(title=event.title, when=format_when(event.starts_at), rank=item.rank)
                )
            else:
                lines.append(
                    T.MINE_REGISTERED.format(
                        title=event.title,
                        when=format_when(event.starts_at),
                        format=FORMAT_LABELS[event.format],
                        link=f" · {event.link}" if event.link else "",
                    )
                )
        pager = Pager(T.MINE_TITLE, lines, empty=T.MINE_EMPTY)
        await pager.send(interaction)

    @evenement.command(name="liste")
    @app_commands.describe(territoire="Seulement ce territoire (ou «\u00a0commun\u00a0»)", type="Seulement ce type")
    @app_commands.choices(type=TYPE_CHOICES)
    async def evenement_liste(
        self,
        interaction: discord.Interaction,
        territoire: str | None = None,
        type: app_commands.Choice[str] | None = None,
    ) -> None:
        """Voir les événements à venir."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        async with self.bot.db.transaction() as session:
            page, events, total = await fetch_page(
                lambda offset, limit: events_service.list_events_page(
                    session,
                    guild_id,
                    now=self.bot.now(),
                    territory=territoire,
                    type=type.value if type else None,
                    offset=offset,
                    limit=limit,
                )
            )
            counted = await seats.counts(session, [e.id for e in events])
        names = await self._territory_names(guild_id)
        lines = [
            T.LIST_LINE.format(
                title=e.title,
                when=format_when(e.starts_at),
                format=FORMAT_LABELS[e.format],
                territory=territory_text(e, names),
                count=count_line(e, *counted[e.id]),
            )
            for e in events
        ]
        filters = "".join(
            f" · {f}"
            for f in (
                territoire and ("commun" if territoire.casefold() in event_rules.SHARED_WORDS else territoire),
                type.name if type else None,
            )
            if f
        )
        pager = Pager(T.LIST_TITLE.format(filters=filters), lines, empty=T.LIST_EMPTY, total=total, page=page)
        await pager.send(interaction)

    @evenement.command(name="calendrier")
    async def evenement_calendrier(self, interaction: discord.Interaction) -> None:
        """Le lien de votre agenda : vos inscriptions et vos accompagnements, à jour."""
        if not self.bot.web.enabled:
            await reply(interaction, CT.CALENDAR_OFF)
            return
        async with self.bot.db.transaction(lock=True) as session:
            feed = await calendar_feeds.member_feed(session, interaction.guild_id, interaction.user.id)  # type: ignore[arg-type]
        await reply(interaction, CT.CALENDAR_LINK.format(url=self.bot.web.url(calendar_feeds.feed_path(feed))))

    # -- coordination: modifier, annuler, presences ---------------------------------------

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
        interaction: discord.Interaction,
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
        guild_id = interaction.guild_id
        assert guild_id is not None
        async with self.bot.db.transaction() as session:
            current = await events_service.get_event(session, guild_id, event_id)
        starts_at = parse_datetime(debut, now=self.bot.now()) if debut else None
        if fin:
            ends_at = parse_end(fin, starts_at or current.starts_at)
        elif starts_at is not None:  # moving the start keeps the length of the session
            ends_at = starts_at + (current.ends_at - current.starts_at)
        else:
            ends_at = None
        clear_deadline = bool(date_limite) and date_limite.strip().casefold() in {"aucune", "aucun", "non"}
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
                channel_id = await self._fallback_channel(session, event)
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
        interaction: discord.Interaction,
        evenement: str,
        raison: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        """Annuler un événement ; les inscrits sont prévenus (coordination)."""
        event_id = parse_event_id(evenement)
        motive = clean_text(raison, "Le motif", 300)
        async with self.bot.db.transaction() as session:
            event = await events_service.get_event(session, interaction.guild_id, event_id)  # type: ignore[arg-type]
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

    async def cancel_confirmed(self, interaction: discord.Interaction, event_id: int, typed: dict) -> None:
        """« Oui, annuler » of /evenement annuler: the event is cancelled, its people told."""
        await self.bot.require_coordinator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        motive = str(typed.get("raison") or "")
        reason = T.REASON.format(reason=motive) if motive else ""
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            event = await events_service.cancel_event(session, interaction.guild_id, event_id, now=now)  # type: ignore[arg-type]
            people = await regs.recipients(session, event_id)
            channel_id = await self._fallback_channel(session, event)
            ids = await notifications.enqueue(
                session, event.guild_id, N.cancellations(event, reason, people, channel_id), now=now
            )
        await self.announcer.refresh(event.id, with_file=True)
        outcomes = await self.bot.notifier.deliver(ids)
        await reply(interaction, T.CANCELLED.format(title=event.title, notified=N.outcome_text(outcomes)))
        await self.mirror.sync(event.id, interaction)

    @evenement.command(name="presences")
    @app_commands.describe(
        evenement="L'événement (avant\u00a0: la liste des inscrits\u00a0; après\u00a0: la saisie des présences)",
        sans_inscription="Une personne venue sans être inscrite (à noter présente)",
    )
    @coordination_only()
    async def evenement_presences(
        self, interaction: discord.Interaction, evenement: str, sans_inscription: str | None = None
    ) -> None:
        """Voir les inscrits d'un événement, puis saisir ses présences (coordination)."""
        event_id = parse_event_id(evenement)
        guild_id = interaction.guild_id
        assert guild_id is not None
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
        view = AttendanceView(self, guild_id, interaction.user.id, sheet)
        await reply(interaction, content, **view.send_kwargs())

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
        interaction: discord.Interaction,
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
        guild_id = interaction.guild_id
        assert guild_id is not None
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
        view = AttendanceView(self, guild_id, interaction.user.id, sheet)
        await reply(interaction, content, **view.send_kwargs())

    @evenement.command(name="attestation")
    @app_commands.describe(
        evenement="Un temps de réseau où vous étiez présent·e (la coordination\u00a0: tout événement passé)",
        membre="Coordination\u00a0: une seule personne (par défaut, toutes les personnes présentes)",
    )
    async def evenement_attestation(
        self, interaction: discord.Interaction, evenement: str, membre: str | None = None
    ) -> None:
        """Recevoir une attestation de présence (PDF) à une formation ou un temps de réseau."""
        await certificates.send(self.bot, interaction, evenement, membre)

    # -- autocomplete ----------------------------------------------------------------------------

    async def _event_choices(
        self, interaction: discord.Interaction, current: str, scope: str, *, mark_attendance: bool = False
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        async with self.bot.db.transaction() as session:
            events = await events_service.list_events(
                session, interaction.guild_id, now=self.bot.now(), scope=scope, text=current, limit=25
            )
            taken = (
                await attendance_service.attendance_taken(session, [e.id for e in events]) if mark_attendance else set()
            )
        return [
            app_commands.Choice(name=choice_name(e, attendance_taken=e.id in taken), value=str(e.id)) for e in events
        ]

    @evenement_inscrire.autocomplete("evenement")
    async def _upcoming_autocomplete(self, interaction: discord.Interaction, current: str):
        return await self._event_choices(interaction, current, events_service.UPCOMING)

    @evenement_modifier.autocomplete("evenement")
    @evenement_annuler.autocomplete("evenement")
    async def _coordination_upcoming_autocomplete(self, interaction: discord.Interaction, current: str):
        if not await self.bot.is_coordinator(interaction):
            return []
        return await self._event_choices(interaction, current, events_service.UPCOMING)

    @evenement_presences.autocomplete("evenement")
    async def _started_autocomplete(self, interaction: discord.Interaction, current: str):
        """Started events first (latest first), then upcoming ones (their registrants)."""
        if not await self.bot.is_coordinator(interaction):
            return []
        started = await self._event_choices(interaction, current, events_service.STARTED, mark_attendance=True)
        upcoming = await self._event_choices(interaction, current, events_service.UPCOMING)
        return (started + upcoming)[:25]

    @evenement_desinscrire.autocomplete("evenement")
    async def _mine_autocomplete(self, interaction: discord.Interaction, current: str):
        if interaction.guild_id is None:
            return []
        async with self.bot.db.transaction() as session:
            member = await members_service.find_by_discord(session, interaction.guild_id, interaction.user.id)
            if member is None:
                return []
            mine = await regs.my_registrations(session, interaction.guild_id, interaction.user.id, now=self.bot.now())
        wanted = current.casefold().strip()
        return [
            app_commands.Choice(name=choice_name(m.event, waitlist=m.status == WAITLISTED), value=str(m.event.id))
            for m in mine
            if wanted in m.event.title.casefold()
        ][:25]

    @evenement_presences.autocomplete("sans_inscription")
    async def _member_autocomplete(self, interaction: discord.Interaction, current: str):
        return await member_choices(self.bot, interaction, current)

    @evenement_creer.autocomplete("territoire")
    @evenement_enregistrer.autocomplete("territoire")
    @evenement_modifier.autocomplete("territoire")
    @evenement_liste.autocomplete("territoire")
    async def _territory_autocomplete(self, interaction: discord.Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current, shared=SHARED_CHOICE)

    @evenement_attestation.autocomplete("evenement")
    async def _attended_autocomplete(self, interaction: discord.Interaction, current: str):
        return await certificates.event_choices(self.bot, interaction, current)

    @evenement_attestation.autocomplete("membre")
    async def _certificate_member_autocomplete(self, interaction: discord.Interaction, current: str):
        return await member_choices(self.bot, interaction, current)

    # -- reminders ---------------------------------------------------------------------------

    async def reminder_job(self) -> None:
        """Every minute: queue the reminders that are due, in the transaction that records
        them as sent (each once, see the service), then deliver them (see bot.notifier)."""
        if not self.bot.is_ready():
            return  # the servers are not known yet: the next run sends them
        now = self.bot.now()
        guild_ids = [guild.id for guild in self.bot.guilds]
        ids: list[int] = []
        async with self.bot.db.transaction() as session:  # most sweeps find nothing: no write lock
            due = await reminders.has_due_reminders(session, now=now, guild_ids=guild_ids)
            upcoming = await reminders.next_reminder_due(
                session, now=now, within=timedelta(minutes=REMINDER_MINUTES, seconds=5), guild_ids=guild_ids
            )
        if upcoming is not None:
            self.bot.scheduler.at(self.reminder_job, upcoming, job_id=REMINDER_AT_JOB)
        if not due:
            return
        async with self.bot.db.transaction(lock=True) as session:
            for item in await reminders.take_due_reminders(session, now=now, guild_ids=guild_ids):
                event = item.event
                channel_id = await self._fallback_channel(session, event)
                ids += await notifications.enqueue(
                    session,
                    event.guild_id,
                    N.reminders(event, item.hours_before, item.recipients, channel_id),
                    now=now,
                )
        await self.bot.notifier.deliver(ids)
