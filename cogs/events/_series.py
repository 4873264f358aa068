"""/evenement serie, serie-modifier, serie-annuler: recurring network sessions (a mixin of
the `Events` cog), and the series job that creates and announces each occurrence in turn.

Each occurrence is an ordinary event once created: announced, registrable, reminded, in the
Events tab and the calendar feeds. One occurrence is moved or cancelled with
/evenement modifier or annuler; these commands change the whole series."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from discord import app_commands

from bot import interactions
from bot.dates import format_day, parse_clock, parse_date, parse_datetime
from bot.db.models.events import ALL, Event
from bot.interactions import Interaction, reply
from bot.parsing import parse_int
from bot.permissions import coordination_only
from bot.services import guilds as guilds_service
from bot.services import notifications
from bot.services.events import drafts as event_drafts
from bot.services.events import recurrence, seats
from bot.services.events import registrations as regs
from bot.services.events import series as series_service
from bot.services.events.lifecycle import CHANGE_LABELS
from bot.services.events.rules import EventDraft
from bot.services.events.series import SeriesChanges, SeriesDraft
from bot.text import clean_text
from bot.ui.choices import territory_choices
from cogs.events import _notify as N
from cogs.events import _series_texts as S
from cogs.events import _texts as T
from cogs.events._actions import fallback_channel
from cogs.events._group import CommandsMixin, evenement
from cogs.events._inputs import AUDIENCE_CHOICES, FORMAT_CHOICES, TYPE_CHOICES, parse_end
from cogs.events._mirror import Mirror
from cogs.events._render import event_embed
from cogs.events.announcer import Announcer, announce_new

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)

SERIES_JOB = "events:series"
SERIES_MINUTES = 15

SHAPE_CHOICES = [
    app_commands.Choice(name="Chaque mois, même jour de la semaine (ex. 1er mardi)", value=recurrence.MONTHLY_NTH),
    app_commands.Choice(
        name="Chaque mois, le dernier de ce jour (ex. dernier dimanche)", value=recurrence.MONTHLY_LAST
    ),
    app_commands.Choice(name="Chaque mois, même date (ex. le 15)", value=recurrence.MONTHLY_DAY),
    app_commands.Choice(name="Chaque semaine, même jour", value=recurrence.WEEKLY),
    app_commands.Choice(name="Une semaine sur deux, même jour", value=recurrence.FORTNIGHTLY),
]


def _plural(count: int, none: str, one: str, many: str) -> str:
    return none if count == 0 else one if count == 1 else many.format(count=count)


def _days(count: int) -> str:
    return _plural(count, S.SERIES_DAYS_ONE, S.SERIES_DAYS_ONE, S.SERIES_DAYS_MANY)


def _minutes(value: str | None) -> int | None:
    if value is None or not value.strip():
        return None
    return parse_int(value, minimum=15, maximum=720, error=S.ERR_SERIES_DURATION)


class SeriesCommands(CommandsMixin):
    """The series commands; mixed into `Events` (they share its announcer and mirror)."""

    bot: PdnBot
    announcer: Announcer
    mirror: Mirror

    async def _publish_occurrences(self, events: list[Event]) -> None:
        for event in events:
            await announce_new(self.bot, event)
            await self.mirror.sync(event.id)

    async def series_job(self) -> None:
        """Every 15 minutes: create the occurrences now within their announcement delay,
        announce them and mirror them (each once: the series' unique key); forget the
        creation-form drafts abandoned for a week."""
        if not self.bot.is_ready():
            return
        async with self.bot.db.transaction(lock=True) as session:
            created = await series_service.materialise_due(
                session, now=self.bot.now(), guild_ids=[g.id for g in self.bot.guilds]
            )
            await event_drafts.purge_drafts(session, now=self.bot.now())  # abandoned forms
        await self._publish_occurrences(created)

    # -- /evenement serie ------------------------------------------------------------------------

    @evenement.command(name="serie")
    @app_commands.describe(
        titre="Le titre de chaque date (100 caractères au plus)",
        type="Le type de temps de réseau",
        premiere="La première date et l'heure, heure de Paris : 01/09/2026 14h",
        fin="L'heure de fin, le même jour : 16h30",
        jusqu_au="Le dernier jour possible de la série : 30/06/2027",
        frequence="Le rythme ; le jour vient de la première date",
        format="Présentiel, visio ou hybride",
        lieu="L'adresse (présentiel ou hybride)",
        lien="Le lien de visio (visio ou hybride)",
        territoire="Le département, ou « commun » (par défaut)",
        capacite="Nombre de places de chaque date (vide : sans limite)",
        public="Qui peut s'inscrire (tous par défaut)",
        description="Le programme de chaque date",
        annonce="Combien de jours avant chaque date l'annoncer (14 par défaut)",
        rappels="Rappels aux inscrits, en heures avant : 24,1 par défaut ; « aucun »",
        regle="Règle RRULE pour un rythme autre (ex. FREQ=WEEKLY;BYDAY=TU,TH)",
    )
    @app_commands.choices(frequence=SHAPE_CHOICES, type=TYPE_CHOICES, format=FORMAT_CHOICES, public=AUDIENCE_CHOICES)
    @coordination_only()
    async def evenement_serie(
        self,
        interaction: Interaction,
        titre: app_commands.Range[str, 1, 100],
        type: app_commands.Choice[str],
        premiere: str,
        fin: str,
        jusqu_au: str,
        frequence: app_commands.Choice[str],
        format: app_commands.Choice[str],
        lieu: app_commands.Range[str, 1, 200] | None = None,
        lien: app_commands.Range[str, 1, 500] | None = None,
        territoire: str | None = None,
        capacite: app_commands.Range[int, 1, 10000] | None = None,
        public: app_commands.Choice[str] | None = None,
        description: app_commands.Range[str, 1, 2000] | None = None,
        annonce: app_commands.Range[int, 1, 90] = series_service.DEFAULT_ANNOUNCE_DAYS,
        rappels: str | None = None,
        regle: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """Créer une série de temps de réseau (ex. le 1er mardi du mois) (coordination)."""
        starts_at = parse_datetime(premiere)
        until_day = parse_date(jusqu_au)
        until = recurrence.end_of_day(until_day)
        rule = regle.strip() if regle else recurrence.rule_for(frequence.value, starts_at).text()
        draft = SeriesDraft(
            event=EventDraft(
                title=titre,
                type=type.value,
                starts_at=starts_at,
                ends_at=parse_end(fin, starts_at),
                format=format.value,
                place=lieu,
                link=lien,
                territory=territoire,
                capacity=capacite,
                audience=public.value if public else ALL,
                description=description,
                reminders=rappels,
            ),
            rule=rule,
            until=until,
            announce_days=annonce,
        )
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with self.bot.db.transaction(lock=True) as session:
            series, created = await series_service.create_series(
                session,
                interactions.guild_id(interaction),
                draft,
                now=self.bot.now(),
                created_by=interaction.user.id,
            )
            values = series_service.series_values(series)
            upcoming = recurrence.expand(series.rule, series.first_start, series.until, after=self.bot.now())
        text = S.SERIES_CREATED.format(
            title=values["title"],
            rule=values["rule"],
            count=_plural(values["count"], S.SERIES_DATES_ONE, S.SERIES_DATES_ONE, S.SERIES_DATES_MANY),
            days=_days(series.announce_days),
        )
        if created:
            announced = await announce_new(self.bot, created[0])
            for event in created[1:]:
                await announce_new(self.bot, event)
            text += S.SERIES_FIRST_ANNOUNCED.format(
                dates=", ".join(format_day(e.starts_at) for e in created), announced=announced
            )
        pending = [s for s in upcoming if all(s != e.starts_at for e in created)]
        if pending:
            text += S.SERIES_NEXT.format(when=format_day(recurrence.announce_at(pending[0], series.announce_days)))
        await reply(interaction, text)
        for event in created:
            await self.mirror.sync(event.id, interaction)

    # -- the whole series ----------------------------------------------------------------------

    @evenement.command(name="serie-modifier")
    @app_commands.describe(
        serie="La série à modifier",
        heure="Nouvelle heure de début de chaque date : 15h",
        duree="Nouvelle durée en minutes : 150",
        titre="Nouveau titre",
        lieu="Nouveau lieu",
        lien="Nouveau lien de visio",
        description="Nouvelle description",
    )
    @coordination_only()
    async def evenement_serie_modifier(
        self,
        interaction: Interaction,
        serie: str,
        heure: str | None = None,
        duree: str | None = None,
        titre: app_commands.Range[str, 1, 100] | None = None,
        lieu: app_commands.Range[str, 1, 200] | None = None,
        lien: app_commands.Range[str, 1, 500] | None = None,
        description: app_commands.Range[str, 1, 2000] | None = None,
    ) -> None:
        """Modifier toute une série : les dates déjà annoncées et les suivantes (coordination)."""
        series_id = series_service.parse_series_id(serie)
        changes = SeriesChanges(
            clock=parse_clock(heure) if heure else None,
            duration_minutes=_minutes(duree),
            title=titre,
            place=lieu,
            link=lien,
            description=description,
        )
        guild_id = interactions.guild_id(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            update = await series_service.update_series(session, guild_id, series_id, changes, now=now)
            names = await guilds_service.territory_names(session, guild_id)
            ids: list[int] = []
            touched = []
            for result in update.results:
                if not result.changed:
                    continue
                event = result.event
                touched.append(event.id)
                fields = ", ".join(CHANGE_LABELS[name] for name in result.changed)
                registered, waitlisted = (await seats.counts(session, [event.id]))[event.id]
                embed = event_embed(event, registered, waitlisted, names)
                promoted = {s.discord_id for s in result.promoted}
                people = [m for m in await regs.recipients(session, event.id) if m.discord_id not in promoted]
                channel_id = await fallback_channel(session, event)
                ids += await notifications.enqueue(
                    session,
                    guild_id,
                    [
                        *N.changes(event, fields, people, channel_id, embed=embed, now=now),
                        *N.promotions(event, result.promoted, channel_id),
                    ],
                    now=now,
                )
            values = series_service.series_values(update.series)
        for event_id in touched:
            await self.announcer.refresh(event_id, with_file=True)
        outcomes = await self.bot.notifier.deliver(ids)
        count = _plural(
            len(touched), S.SERIES_UPDATED_EVENTS_NONE, S.SERIES_UPDATED_EVENTS_ONE, S.SERIES_UPDATED_EVENTS_MANY
        )
        notified = " " + N.outcome_text(outcomes) if touched else ""
        await reply(
            interaction,
            S.SERIES_UPDATED.format(title=values["title"], rule=values["rule"], count=count, notified=notified),
        )
        for event_id in touched:
            await self.mirror.sync(event_id, interaction)

    @evenement.command(name="serie-annuler")
    @app_commands.describe(serie="La série à arrêter", raison="Le motif, dit aux inscrits")
    @coordination_only()
    async def evenement_serie_annuler(
        self,
        interaction: Interaction,
        serie: str,
        raison: app_commands.Range[str, 1, 300] | None = None,
    ) -> None:
        """Annuler toute une série : ses dates à venir et les suivantes (coordination)."""
        series_id = series_service.parse_series_id(serie)
        guild_id = interactions.guild_id(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        motive = clean_text(raison, "Le motif", 300)
        reason = (T.REASON.format(reason=motive) if motive else "") + S.SERIES_REASON
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            series, cancelled = await series_service.cancel_series(session, guild_id, series_id, now=now)
            ids: list[int] = []
            for event in cancelled:
                people = await regs.recipients(session, event.id)
                channel_id = await fallback_channel(session, event)
                ids += await notifications.enqueue(
                    session, guild_id, N.cancellations(event, reason, people, channel_id), now=now
                )
        for event in cancelled:
            await self.announcer.refresh(event.id, with_file=True)
        outcomes = await self.bot.notifier.deliver(ids)
        count = _plural(
            len(cancelled),
            S.SERIES_CANCELLED_EVENTS_NONE,
            S.SERIES_CANCELLED_EVENTS_ONE,
            S.SERIES_CANCELLED_EVENTS_MANY,
        )
        notified = " " + N.outcome_text(outcomes) if cancelled else ""
        await reply(interaction, S.SERIES_CANCELLED.format(title=series.title, count=count, notified=notified))
        for event in cancelled:
            await self.mirror.sync(event.id, interaction)

    # -- autocomplete ----------------------------------------------------------------------------

    @evenement_serie_modifier.autocomplete("serie")
    @evenement_serie_annuler.autocomplete("serie")
    async def _series_autocomplete(self, interaction: Interaction, current: str):
        if interaction.guild_id is None or not await self.bot.is_coordinator(interaction):
            return []
        async with self.bot.db.transaction() as session:
            found = await series_service.list_series(
                session, interactions.guild_id(interaction), now=self.bot.now(), text=current
            )
        return [
            app_commands.Choice(
                name=S.SERIES_CHOICE.format(title=s.title, rule=recurrence.describe_rule(s.rule, s.first_start))[:100],
                value=str(s.id),
            )
            for s in found
        ]

    @evenement_serie.autocomplete("territoire")
    async def _series_territory_autocomplete(self, interaction: Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current, shared="commun")
