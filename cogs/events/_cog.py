"""/evenement: network sessions, registrations, waitlist, reminders and attendance."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import datetime, time

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import PdnBot
from bot.clock import PARIS
from bot.dates import format_when, localize, parse_date, parse_datetime
from bot.db.models.events import (
    ALL, EVENT_TYPES, HYBRID, IN_PERSON, NEWCOMERS, PARENTING, REGISTERED, REMOTE, WAITLISTED,
    YOUTH, Event,
)
from bot.errors import ValidationError
from bot.interactions import NO_MENTIONS, reply
from bot.services import events as events_service
from bot.services import events_registrations as regs
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services.events import (
    CHANGE_LABELS, FORMAT_LABELS, TYPE_LABELS, EventChanges, EventDraft, parse_event_id,
)
from bot.ui.choices import member_choices, territory_choices
from bot.ui.pager import Pager
from cogs.events import _texts as T
from cogs.events._announcer import Announcer
from cogs.events._render import choice_name, count_line, registrants_embed, territory_text
from cogs.events._views import AttendanceView

log = logging.getLogger(__name__)

TYPE_CHOICES = [app_commands.Choice(name=TYPE_LABELS[t], value=t) for t in EVENT_TYPES]
FORMAT_CHOICES = [
    app_commands.Choice(name="Présentiel", value=IN_PERSON),
    app_commands.Choice(name="Visio", value=REMOTE),
    app_commands.Choice(name="Hybride (présentiel et visio)", value=HYBRID),
]
AUDIENCE_CHOICES = [
    app_commands.Choice(name="Tous les Promeneurs", value=ALL),
    app_commands.Choice(name="Nouveaux Promeneurs (moins de 12 mois)", value=NEWCOMERS),
    app_commands.Choice(name="Volet Jeunesse", value=YOUTH),
    app_commands.Choice(name="Volet Parentalité", value=PARENTING),
]
SHARED_CHOICE = "commun"
REMINDER_JOB = "events:reminders"
_TIME_ONLY = re.compile(r"^\s*(?P<h>\d{1,2})\s*(?:h|H|:)\s*(?P<m>\d{2})?\s*$")
ERR_END_TIME = "« {value} » n'est pas une heure valide. Écrivez par exemple 16h30 ou 22/06/2027 16h30."


def parse_end(value: str, start: datetime) -> datetime:
    """The end: a full date and time, or only a time on the start's day ("16h30")."""
    match = _TIME_ONLY.match(value or "")
    if not match:
        return parse_datetime(value)
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if hour > 23 or minute > 59:
        raise ValidationError(ERR_END_TIME.format(value=value))
    day = start.astimezone(PARIS).date()
    return localize(datetime.combine(day, time(hour, minute)), original=value)


def parse_deadline(value: str) -> datetime:
    """A deadline: a date and time, or a day alone (until 23 h 59 that day, Paris time)."""
    try:
        return parse_datetime(value)
    except ValidationError:
        day = parse_date(value)
        return localize(datetime.combine(day, time(23, 59)), original=value)


def _when(event: Event) -> str:
    return T.WHEN_IN.format(when=format_when(event.starts_at))


class Events(commands.Cog):
    evenement = app_commands.Group(
        name="evenement",
        description="Temps de réseau : formations, échanges de pratiques, réunions",
        guild_only=True,
    )

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self.announcer = Announcer(bot)

    async def cog_load(self) -> None:
        self.bot.scheduler.every(self.reminder_job, minutes=1, job_id=REMINDER_JOB)

    async def cog_unload(self) -> None:
        await self.announcer.close()

    # -- shared steps ------------------------------------------------------------------------

    async def _territory_names(self, guild_id: int) -> dict[str, str]:
        async with self.bot.db.transaction() as session:
            return await guilds_service.territory_names(session, guild_id)

    async def _announcements_channel(self, guild_id: int) -> discord.abc.Messageable | None:
        async with self.bot.db.transaction() as session:
            settings = await guilds_service.get_settings(session, guild_id)
        channel = self.bot.get_channel(settings.announcements_channel_id or 0)
        return channel if isinstance(channel, discord.abc.Messageable) else None

    async def notify(
        self,
        guild_id: int,
        discord_ids: Iterable[int | None],
        dm_text: str,
        fallback_template: str,
        *,
        embed: discord.Embed | None = None,
        **values: str,
    ) -> tuple[int, int]:
        """DM each member; those who cannot be reached (DMs closed, unknown user) are
        mentioned in one message of the announcements channel. Returns (sent, fallback)."""
        sent, failed = 0, []
        for discord_id in dict.fromkeys(i for i in discord_ids if i):
            try:
                channel = await self.bot.create_dm(discord.Object(id=discord_id))
                await channel.send(dm_text, embed=embed, allowed_mentions=NO_MENTIONS)
                sent += 1
            except discord.HTTPException:
                failed.append(discord_id)
        if failed:
            channel = await self._announcements_channel(guild_id)
            if channel is not None:
                mentions = " ".join(f"<@{i}>" for i in failed)
                try:
                    await channel.send(
                        fallback_template.format(mentions=mentions, **values),
                        allowed_mentions=discord.AllowedMentions(
                            users=[discord.Object(i) for i in failed], everyone=False, roles=False
                        ),
                    )
                except discord.HTTPException:
                    log.warning("Could not reach %s members of guild %s", len(failed), guild_id)
        return sent, len(failed)

    def _notified_text(self, sent: int, fallback: int) -> str:
        if sent + fallback == 0:
            return T.NOTIFIED_NONE
        text = T.NOTIFIED.format(count=sent + fallback)
        if fallback:
            text += T.NOTIFIED_FALLBACK.format(count=fallback)
        return text

    async def _notify_promoted(self, event: Event, promoted: list[regs.Seat]) -> None:
        if not promoted:
            return
        values = {"title": event.title, "when": _when(event)}
        await self.notify(
            event.guild_id,
            [s.discord_id for s in promoted],
            T.DM_PROMOTED.format(**values),
            T.FALLBACK_PROMOTED,
            **values,
        )

    async def register_member(self, interaction: discord.Interaction, event_id: int) -> None:
        """Register the user (button or command)."""
        async with self.bot.db.transaction(lock=True) as session:
            result = await regs.register(
                session, interaction.guild_id, event_id, interaction.user.id, now=self.bot.now()  # type: ignore[arg-type]
            )
        self.announcer.mark_dirty(event_id)
        event = result.event
        if result.status == REGISTERED:
            await reply(interaction, T.REGISTERED.format(title=event.title, when=format_when(event.starts_at)))
        else:
            await reply(interaction, T.WAITLISTED.format(title=event.title, rank=result.rank))

    async def withdraw_member(self, interaction: discord.Interaction, event_id: int) -> None:
        """Withdraw the user (button or command); a freed seat is offered to the waitlist."""
        async with self.bot.db.transaction(lock=True) as session:
            result = await regs.withdraw(
                session, interaction.guild_id, event_id, interaction.user.id, now=self.bot.now()  # type: ignore[arg-type]
            )
        self.announcer.mark_dirty(event_id)
        template = T.WITHDRAWN if result.previous_status == REGISTERED else T.WITHDRAWN_WAITLIST
        await reply(interaction, template.format(title=result.event.title))
        await self._notify_promoted(result.event, result.promoted)

    # -- /evenement creer ----------------------------------------------------------------------

    @evenement.command(name="creer")
    @app_commands.describe(
        titre="Le titre (100 caractères au plus)",
        type="Le type de temps de réseau",
        debut="Début, heure de Paris : 15/06/2027 9h30",
        fin="Fin : 15/06/2027 16h30, ou seulement 16h30 le même jour",
        format="Présentiel, visio ou hybride",
        lieu="L'adresse (présentiel ou hybride)",
        lien="Le lien de visio (visio ou hybride)",
        territoire="Le département, ou « commun » (par défaut)",
        capacite="Nombre de places (vide : sans limite)",
        liste_attente="Liste d'attente quand c'est complet (oui par défaut)",
        date_limite="Date limite d'inscription : 10/06/2027 18h (ou 10/06/2027 : jusqu'au soir)",
        public="Qui peut s'inscrire (tous par défaut)",
        description="Le programme, ce qu'il faut apporter…",
        duree="Durée en jours : 0,5, 1, 1,5… (calculée sinon)",
        rappels="Rappels aux inscrits, en heures avant : 24,1 par défaut ; « aucun »",
    )
    @app_commands.choices(type=TYPE_CHOICES, format=FORMAT_CHOICES, public=AUDIENCE_CHOICES)
    async def evenement_creer(
        self,
        interaction: discord.Interaction,
        titre: app_commands.Range[str, 1, 100],
        type: app_commands.Choice[str],
        debut: str,
        fin: str,
        format: app_commands.Choice[str],
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
    ) -> None:
        """Créer un temps de réseau et l'annoncer (coordination)."""
        await self.bot.require_coordinator(interaction)
        starts_at = parse_datetime(debut)
        draft = EventDraft(
            title=titre,
            type=type.value,
            starts_at=starts_at,
            ends_at=parse_end(fin, starts_at),
            format=format.value,
            duration_days=events_service.parse_duration(duree),
            place=lieu,
            link=lien,
            territory=territoire,
            capacity=capacite,
            waitlist_enabled=liste_attente,
            registration_deadline=parse_deadline(date_limite) if date_limite else None,
            audience=public.value if public else ALL,
            description=description,
            reminders=rappels,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.transaction() as session:
            event = await events_service.create_event(
                session, interaction.guild_id, draft, now=self.bot.now(), created_by=interaction.user.id  # type: ignore[arg-type]
            )
        text = T.CREATED.format(title=event.title)
        try:
            channel = await self.announcer.publish(event)
            text += (
                T.CREATED_ANNOUNCED.format(channel=channel.mention)  # type: ignore[union-attr]
                if channel is not None
                else T.CREATED_NO_CHANNEL
            )
        except discord.HTTPException:
            log.warning("Could not announce event %s", event.id, exc_info=True)
            channel = await self._announcements_channel(event.guild_id)
            text += T.CREATED_ANNOUNCE_FAILED.format(
                channel=getattr(channel, "mention", "le salon d'annonces")
            )
        embed = await self.announcer.render(event)
        await reply(interaction, text, embed=embed)

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
                session, interaction.guild_id, interaction.user.id, now=self.bot.now()  # type: ignore[arg-type]
            )
        lines = []
        for item in mine:
            event = item.event
            if item.status == WAITLISTED:
                lines.append(T.MINE_WAITLISTED.format(
                    title=event.title, when=format_when(event.starts_at), rank=item.rank
                ))
            else:
                lines.append(T.MINE_REGISTERED.format(
                    title=event.title,
                    when=format_when(event.starts_at),
                    format=FORMAT_LABELS[event.format],
                    link=f" · {event.link}" if event.link else "",
                ))
        pager = Pager(T.MINE_TITLE, lines, empty=T.MINE_EMPTY)
        await pager.send(interaction)

    @evenement.command(name="liste")
    @app_commands.describe(territoire="Seulement ce territoire (ou « commun »)", type="Seulement ce type")
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
            events = await events_service.list_events(
                session, guild_id, now=self.bot.now(), territory=territoire,
                type=type.value if type else None,
            )
            counted = await regs.counts(session, [e.id for e in events])
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
            f" · {f}" for f in (
                territoire and ("commun" if territoire.casefold() in events_service.SHARED_WORDS else territoire),
                type.name if type else None,
            ) if f
        )
        pager = Pager(T.LIST_TITLE.format(filters=filters), lines, empty=T.LIST_EMPTY)
        await pager.send(interaction)

    # -- coordination: modifier, annuler, presences ---------------------------------------

    @evenement.command(name="modifier")
    @app_commands.describe(
        evenement="L'événement à modifier",
        titre="Nouveau titre",
        type="Nouveau type",
        debut="Nouveau début : 15/06/2027 9h30",
        fin="Nouvelle fin : 15/06/2027 16h30 ou 16h30",
        format="Nouveau format",
        lieu="Nouveau lieu",
        lien="Nouveau lien de visio",
        territoire="Nouveau territoire, ou « commun »",
        capacite="Nouveau nombre de places (0 : sans limite)",
        liste_attente="Liste d'attente quand c'est complet",
        date_limite="Nouvelle date limite (« aucune » pour la retirer)",
        public="Nouveau public",
        description="Nouvelle description",
        duree="Nouvelle durée en jours : 0,5, 1, 1,5…",
        rappels="Rappels en heures avant le début : 24,1 ; « aucun »",
    )
    @app_commands.choices(type=TYPE_CHOICES, format=FORMAT_CHOICES, public=AUDIENCE_CHOICES)
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
        await self.bot.require_coordinator(interaction)
        event_id = parse_event_id(evenement)
        guild_id = interaction.guild_id
        assert guild_id is not None
        async with self.bot.db.transaction() as session:
            current = await events_service.get_event(session, guild_id, event_id)
        starts_at = parse_datetime(debut) if debut else None
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
            duration_days=events_service.parse_duration(duree),
            place=lieu,
            link=lien,
            territory=territoire,
            capacity=capacite,
            waitlist_enabled=liste_attente,
            registration_deadline=parse_deadline(date_limite) if date_limite and not clear_deadline else None,
            clear_deadline=clear_deadline,
            audience=public.value if public else None,
            description=description,
            reminders=rappels,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.transaction(lock=True) as session:
            result = await events_service.update_event(session, guild_id, event_id, changes, now=self.bot.now())
            people = await regs.recipients(session, event_id)
        event = result.event
        if not result.changed:
            await reply(interaction, T.UPDATED_NOTHING)
            return
        fields = ", ".join(CHANGE_LABELS[name] for name in result.changed)
        await self.announcer.refresh(event.id, with_file=True)
        promoted_ids = {s.discord_id for s in result.promoted}
        to_tell = [m.discord_id for m in people if m.discord_id not in promoted_ids]
        embed = await self.announcer.render(event)
        sent, fallback = await self.notify(
            event.guild_id, to_tell, T.DM_CHANGED.format(title=event.title, fields=fields),
            T.FALLBACK_CHANGED, embed=embed, title=event.title, fields=fields,
        )
        await self._notify_promoted(event, result.promoted)
        await reply(
            interaction,
            T.UPDATED.format(title=event.title, fields=fields, notified=self._notified_text(sent, fallback)),
            embed=embed,
        )

    @evenement.command(name="annuler")
    @app_commands.describe(evenement="L'événement à annuler", raison="Le motif, dit aux inscrits")
    async def evenement_annuler(
        self,
        interaction: discord.Interaction,
        evenement: str,
        raison: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        """Annuler un événement ; les inscrits sont prévenus (coordination)."""
        await self.bot.require_coordinator(interaction)
        event_id = parse_event_id(evenement)
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.transaction(lock=True) as session:
            event = await events_service.cancel_event(session, interaction.guild_id, event_id, now=self.bot.now())  # type: ignore[arg-type]
            people = await regs.recipients(session, event_id)
        await self.announcer.refresh(event.id, with_file=True)
        reason = T.REASON.format(reason=" ".join(raison.split())) if raison else ""
        values = {"title": event.title, "when": _when(event), "reason": reason}
        sent, fallback = await self.notify(
            event.guild_id, [m.discord_id for m in people], T.DM_CANCELLED.format(**values),
            T.FALLBACK_CANCELLED, **values,
        )
        await reply(interaction, T.CANCELLED.format(title=event.title, notified=self._notified_text(sent, fallback)))

    @evenement.command(name="presences")
    @app_commands.describe(
        evenement="L'événement (avant : la liste des inscrits ; après : la saisie des présences)",
        sans_inscription="Une personne venue sans être inscrite (à noter présente)",
    )
    async def evenement_presences(
        self, interaction: discord.Interaction, evenement: str, sans_inscription: str | None = None
    ) -> None:
        """Voir les inscrits d'un événement, puis saisir ses présences (coordination)."""
        await self.bot.require_coordinator(interaction)
        event_id = parse_event_id(evenement)
        guild_id = interaction.guild_id
        assert guild_id is not None
        content = None
        if sans_inscription:
            async with self.bot.db.transaction(lock=True) as session:
                member_id = await members_service.resolve_member_id(session, guild_id, sans_inscription)
                sheet, member = await regs.add_walk_in(session, guild_id, event_id, member_id, now=self.bot.now())
            content = T.ATTENDANCE_WALK_IN_ADDED.format(name=member.display_name)
        else:
            async with self.bot.db.transaction() as session:
                event = await events_service.get_event(session, guild_id, event_id)
                if event.cancelled_at is None and event.starts_at > self.bot.now():
                    people = await regs.registrants(session, guild_id, event_id)
                    await reply(interaction, embed=registrants_embed(event, people.registered, people.waitlisted))
                    return
                sheet = await regs.attendance_sheet(session, guild_id, event_id, now=self.bot.now())
        view = AttendanceView(self, guild_id, interaction.user.id, sheet)
        await reply(interaction, content, **view.send_kwargs())

    # -- autocomplete ----------------------------------------------------------------------------

    async def _event_choices(
        self, interaction: discord.Interaction, current: str, scope: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        async with self.bot.db.transaction() as session:
            events = await events_service.list_events(
                session, interaction.guild_id, now=self.bot.now(), scope=scope, text=current, limit=25
            )
        return [app_commands.Choice(name=choice_name(e), value=str(e.id)) for e in events]

    @evenement_inscrire.autocomplete("evenement")
    async def _upcoming_autocomplete(self, interaction: discord.Interaction, current: str):  # noqa: ANN202
        return await self._event_choices(interaction, current, events_service.UPCOMING)

    @evenement_modifier.autocomplete("evenement")
    @evenement_annuler.autocomplete("evenement")
    async def _coordination_upcoming_autocomplete(self, interaction: discord.Interaction, current: str):  # noqa: ANN202
        if not await self.bot.is_coordinator(interaction):
            return []
        return await self._event_choices(interaction, current, events_service.UPCOMING)

    @evenement_presences.autocomplete("evenement")
    async def _started_autocomplete(self, interaction: discord.Interaction, current: str):  # noqa: ANN202
        """Started events first (latest first), then upcoming ones (their registrants)."""
        if not await self.bot.is_coordinator(interaction):
            return []
        started = await self._event_choices(interaction, current, events_service.STARTED)
        upcoming = await self._event_choices(interaction, current, events_service.UPCOMING)
        return (started + upcoming)[:25]

    @evenement_desinscrire.autocomplete("evenement")
    async def _mine_autocomplete(self, interaction: discord.Interaction, current: str):  # noqa: ANN202
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
    async def _member_autocomplete(self, interaction: discord.Interaction, current: str):  # noqa: ANN202
        return await member_choices(self.bot, interaction, current)

    @evenement_creer.autocomplete("territoire")
    @evenement_modifier.autocomplete("territoire")
    @evenement_liste.autocomplete("territoire")
    async def _territory_autocomplete(self, interaction: discord.Interaction, current: str):  # noqa: ANN202
        return await territory_choices(self.bot, interaction.guild_id, current, shared=SHARED_CHOICE)

    # -- reminders ---------------------------------------------------------------------------

    async def reminder_job(self) -> None:
        """Every minute: send the reminders that are due (each once, see the service)."""
        if not self.bot.is_ready():
            return  # the servers are not known yet: the next run sends them
        now = self.bot.now()
        guild_ids = [guild.id for guild in self.bot.guilds]
        async with self.bot.db.transaction(lock=True) as session:
            due = await regs.take_due_reminders(session, now=now, guild_ids=guild_ids)
        for item in due:
            event = item.event
            where = ""
            if event.place:
                where += T.REMINDER_PLACE.format(place=event.place)
            if event.link:
                where += T.REMINDER_LINK.format(link=event.link)
            values = {"title": event.title, "when": _when(event)}
            try:
                await self.notify(
                    event.guild_id, [m.discord_id for m in item.recipients],
                    T.DM_REMINDER.format(where=where, **values), T.FALLBACK_REMINDER, **values,
                )
            except Exception:
                log.exception("Reminders of event %s failed", event.id)
