"""The members' /evenement commands: inscrire, desinscrire, mes-inscriptions, liste,
calendrier; mixed into the `Events` cog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands

from bot import interactions
from bot.dates import format_when
from bot.db.models.events import WAITLISTED
from bot.interactions import Interaction, reply
from bot.services import calendar_feeds
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import rules as event_rules
from bot.services.events import seats
from bot.services.events.lifecycle import parse_event_id
from bot.services.events.rules import FORMAT_LABELS
from bot.ui.choices import territory_choices
from bot.ui.pager import Pager, fetch_page
from cogs.events import _calendar_texts as CT
from cogs.events import _texts as T
from cogs.events import mine
from cogs.events._actions import SHARED_CHOICE, event_choices, register_member, withdraw_member
from cogs.events._group import CommandsMixin, evenement
from cogs.events._inputs import TYPE_CHOICES
from cogs.events._render import choice_name, count_line, territory_text

if TYPE_CHECKING:
    from bot.app import PdnBot


class MemberCommands(CommandsMixin):
    """What every member does with events."""

    bot: PdnBot

    @evenement.command(name="inscrire")
    @app_commands.describe(evenement="L'événement (tapez quelques lettres du titre)")
    async def evenement_inscrire(self, interaction: Interaction, evenement: str) -> None:
        """Vous inscrire à un événement à venir."""
        await register_member(interaction, parse_event_id(evenement))

    @evenement.command(name="desinscrire")
    @app_commands.describe(evenement="L'événement dont vous vous désinscrivez")
    async def evenement_desinscrire(self, interaction: Interaction, evenement: str) -> None:
        """Vous désinscrire d'un événement (ou quitter sa liste d'attente)."""
        await withdraw_member(interaction, parse_event_id(evenement))

    @evenement.command(name="mes-inscriptions")
    async def evenement_mes_inscriptions(self, interaction: Interaction) -> None:
        """Voir vos inscriptions aux événements à venir."""
        lines = await mine.registration_lines(self.bot, interactions.guild_id(interaction), interaction.user.id)
        pager = Pager(T.MINE_TITLE, lines, empty=T.MINE_EMPTY)
        await pager.send(interaction)

    @evenement.command(name="liste")
    @app_commands.describe(territoire="Seulement ce territoire (ou «\u00a0commun\u00a0»)", type="Seulement ce type")
    @app_commands.choices(type=TYPE_CHOICES)
    async def evenement_liste(
        self,
        interaction: Interaction,
        territoire: str | None = None,
        type: app_commands.Choice[str] | None = None,
    ) -> None:
        """Voir les événements à venir."""
        guild_id = interactions.guild_id(interaction)
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
        async with self.bot.db.transaction() as session:
            names = await guilds_service.territory_names(session, guild_id)
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
    async def evenement_calendrier(self, interaction: Interaction) -> None:
        """Le lien de votre agenda : vos inscriptions et vos accompagnements, à jour."""
        if not self.bot.web.enabled:
            await reply(interaction, CT.CALENDAR_OFF)
            return
        async with self.bot.db.transaction(lock=True) as session:
            feed = await calendar_feeds.member_feed(session, interactions.guild_id(interaction), interaction.user.id)
        await reply(interaction, CT.CALENDAR_LINK.format(url=self.bot.web.url(calendar_feeds.feed_path(feed))))

    @evenement_inscrire.autocomplete("evenement")
    async def _upcoming_autocomplete(self, interaction: Interaction, current: str):
        return await event_choices(self.bot, interaction, current, events_service.UPCOMING)

    @evenement_desinscrire.autocomplete("evenement")
    async def _mine_autocomplete(self, interaction: Interaction, current: str):
        if interaction.guild_id is None:
            return []
        async with self.bot.db.transaction() as session:
            member = await members_service.find_by_discord(
                session, interactions.guild_id(interaction), interaction.user.id
            )
            if member is None:
                return []
            mine = await regs.my_registrations(
                session, interactions.guild_id(interaction), interaction.user.id, now=self.bot.now()
            )
        wanted = current.casefold().strip()
        return [
            app_commands.Choice(name=choice_name(m.event, waitlist=m.status == WAITLISTED), value=str(m.event.id))
            for m in mine
            if wanted in m.event.title.casefold()
        ][:25]

    @evenement_liste.autocomplete("territoire")
    async def _list_territory_autocomplete(self, interaction: Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current, shared=SHARED_CHOICE)
