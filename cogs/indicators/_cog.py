"""The monthly offer of the form (DM on the 1st, a reminder on the 8th) and /permanences.

The offer job runs every 30 minutes: from the 1st to the 7th of a month (from 9:00, Paris),
every Promeneur on Discord who has not answered for the month just ended and has not turned
the offer off gets the DM (once: the notification's reference is per server, month and
person; a bot stopped on the 1st catches up the next days); from the 8th until the month's
deadline, those who still have not answered get one reminder. Delivery goes through the
durable notifications (bot.services.notifications): the DM carries the persistent buttons."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import discord
from discord import app_commands
from discord.ext import commands

from bot import interactions
from bot.app import PdnBot
from bot.clock import PARIS
from bot.db.models.notifications import Notification
from bot.interactions import Interaction, reply
from bot.parsing import parse_id
from bot.services import guilds, notifications, presence
from bot.services import indicators as svc
from bot.services.guilds import require_territory
from bot.services.periods import paris_instant
from bot.services.survey import NETWORKS
from bot.ui.choices import territory_choices
from cogs.indicators import _texts as T
from cogs.indicators._views import offer_view

log = logging.getLogger(__name__)

OFFER_JOB = "indicators:offer"
OFFER_MINUTES = 30
OFFER_HOUR = 9  # Paris time: no DM at night
OFFER, REMINDER = "indicators_offer", "indicators_reminder"
DAY_CHOICES = [app_commands.Choice(name=d, value=i) for i, d in enumerate(presence.DAYS)]
NETWORK_CHOICES = [app_commands.Choice(name=n, value=n) for n in NETWORKS]


def _view_of(n: Notification) -> discord.ui.View:
    """The buttons of an offer or reminder DM, from its reference
    (indicators:<kind>:<guild>:<YYYYMM>:<user>)."""
    _, _, guild, key, _ = n.ref.split(":")
    return offer_view(int(guild), svc.parse_month_key(key))


def _hours(minutes: int) -> str:
    hours = minutes / 60
    text = f"{hours:g}".replace(".", ",")
    return f"{text}\u00a0h"


class Indicators(commands.Cog):
    permanences = app_commands.Group(name="permanences", description=T.GROUP, guild_only=True)

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        bot.notifier.views[OFFER] = _view_of
        bot.notifier.views[REMINDER] = _view_of

    # -- the monthly offer ------------------------------------------------------------------

    async def offer_job(self) -> int:
        """Queue (then deliver) the offers or reminders due now. Returns how many were queued."""
        now = self.bot.now()
        local = now.astimezone(PARIS)
        today = local.date()
        if local.hour < OFFER_HOUR:
            return 0
        month = svc.previous_month(today)
        if today.day < svc.REMINDER_DAY:
            kind, text = OFFER, T.OFFER
        elif today <= svc.deadline(month):
            kind, text = REMINDER, T.REMINDER
        else:
            return 0
        queued = 0
        async with self.bot.db.transaction() as session:
            guild_ids = await guilds.all_guild_ids(session)
        for guild_id in guild_ids:
            try:
                queued += await self._offer(guild_id, month, kind, text, now)
            except Exception:
                log.exception("Monthly form offer failed for guild %s", guild_id)
        return queued

    async def _offer(self, guild_id: int, month, kind: str, text: str, now: datetime) -> int:
        deadline = svc.deadline(month)
        label = svc.month_label(month)
        async with self.bot.db.transaction() as session:
            users = await svc.offer_targets(session, guild_id, month, unanswered_only=True)
            items = [
                notifications.NewNotification(
                    kind=kind,
                    ref=f"indicators:{'offer' if kind == OFFER else 'reminder'}:{guild_id}:{svc.month_key(month)}:{user}",
                    alert_text=T.ALERT.format(month=label, user=user),
                    recipient_id=user,
                    dm_text=text.format(month=label, deadline=deadline.strftime("%d/%m/%Y")),
                    expires_at=paris_instant(deadline + timedelta(days=1)),
                )
                for user in users
            ]
            ids = await notifications.enqueue(session, guild_id, items, now=now)
        if ids:
            await self.bot.notifier.deliver(ids)
        return len(ids)

    # -- /permanences -------------------------------------------------------------------------

    @permanences.command(name="ajouter")
    @app_commands.describe(
        jour="Le jour de la semaine",
        debut="L'heure de début (18h, 18h30…)",
        fin="L'heure de fin (20h…)",
        reseau="Le réseau où vous êtes en ligne",
    )
    @app_commands.choices(jour=DAY_CHOICES)
    @app_commands.choices(reseau=NETWORK_CHOICES)
    async def permanences_ajouter(
        self,
        interaction: Interaction,
        jour: app_commands.Choice[int],
        debut: app_commands.Range[str, 1, 10],
        fin: app_commands.Range[str, 1, 10],
        reseau: app_commands.Choice[str],
    ) -> None:
        """Déclarer une de vos permanences en ligne de la semaine."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction(lock=True) as session:
            slot = await presence.add_slot(
                session,
                guild_id,
                interaction.user.id,
                jour.value,
                debut,
                fin,
                reseau.value,
                today=self.bot.today(),
            )
        await reply(
            interaction,
            T.ADDED.format(
                day=presence.DAYS[slot.weekday].lower(),
                hours=f"{presence.format_time(slot.start_minute)}–{presence.format_time(slot.end_minute)}",
                network=slot.network,
            ),
        )

    @permanences.command(name="retirer")
    @app_commands.describe(creneau="La permanence à retirer (choisissez-la dans la liste)")
    async def permanences_retirer(self, interaction: Interaction, creneau: str) -> None:
        """Retirer une de vos permanences."""
        guild_id = interactions.guild_id(interaction)
        slot_id = parse_id(creneau, unknown=presence.ERR_UNKNOWN)
        async with self.bot.db.transaction() as session:
            slot = await presence.remove_slot(
                session,
                guild_id,
                interaction.user.id,
                slot_id,
                today=self.bot.today(),
            )
        await reply(
            interaction,
            T.REMOVED.format(
                day=presence.DAYS[slot.weekday].lower(),
                hours=f"{presence.format_time(slot.start_minute)}–{presence.format_time(slot.end_minute)}",
                network=slot.network,
            ),
        )

    @permanences_retirer.autocomplete("creneau")
    async def _slot_autocomplete(self, interaction: Interaction, current: str):
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            slots = await presence.my_slots(session, guild_id, interaction.user.id)
        wanted = current.casefold().strip()
        out = []
        for s in slots:
            name = T.SLOT_CHOICE.format(
                day=presence.DAYS[s.weekday],
                hours=f"{presence.format_time(s.start_minute)}–{presence.format_time(s.end_minute)}",
                network=s.network,
            )
            if wanted in name.casefold():
                out.append(app_commands.Choice(name=name[:100], value=str(s.id)))
        return out[:25]

    @permanences.command(name="voir")
    @app_commands.describe(territoire="Seulement ce territoire (tous par défaut)")
    async def permanences_voir(self, interaction: Interaction, territoire: str | None = None) -> None:
        """Qui est en ligne quand : la semaine des permanences, par territoire."""
        guild_id = interactions.guild_id(interaction)
        async with self.bot.db.transaction() as session:
            if territoire:
                territoire = (await require_territory(session, guild_id, territoire)).code
            slots = await presence.grid(session, guild_id, territoire, today=self.bot.today())
        embed = discord.Embed(title=T.GRID_TITLE.format(scope=territoire or T.GRID_ALL), colour=discord.Colour.teal())
        if not slots:
            embed.description = T.GRID_EMPTY
        for day, name in enumerate(presence.DAYS):
            lines = [
                T.GRID_LINE.format(
                    hours=s.hours, name=s.member_name, territory=s.territory or T.SHARED, network=s.network
                )
                for s in slots
                if s.weekday == day
            ]
            if lines:
                value = "\n".join(lines)
                embed.add_field(name=name, value=value if len(value) <= 1024 else value[:1020] + "…", inline=False)
        if slots:
            minutes = sum(s.end - s.start for s in slots)
            footer = T.GRID_FOOTER_ONE if len(slots) == 1 else T.GRID_FOOTER_MANY
            embed.set_footer(text=footer.format(count=len(slots), hours=_hours(minutes)))
        await reply(interaction, embed=embed)

    @permanences_voir.autocomplete("territoire")
    async def _territory_autocomplete(self, interaction: Interaction, current: str):
        return await territory_choices(self.bot, interaction.guild_id, current)
