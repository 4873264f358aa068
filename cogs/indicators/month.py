"""/activite mois: the month's form (contacts, then themes), or the monthly offer switched on
or off. The command lives in the /activite group (cogs/activity): this public function is
what it calls."""

from __future__ import annotations

from datetime import date

from bot import interactions
from bot.app import PdnBot
from bot.interactions import Interaction, reply
from bot.services import indicators as svc
from bot.services.recap.asked import parse_month
from cogs.indicators import _texts as T
from cogs.indicators._modals import open_contacts


async def month_form(bot: PdnBot, interaction: Interaction, month_text: str | None, offer: str | None) -> None:
    """Answer /activite mois: `offer` "oui"/"non" switches the monthly DM; otherwise the
    form of `month_text` (MM/AAAA; the default month when None) opens."""
    guild_id = interactions.guild_id(interaction)
    if offer is not None:
        async with bot.db.transaction() as session:
            await svc.set_offer(session, guild_id, interaction.user.id, on=offer == T.CHOICE_YES)
        await reply(interaction, T.OFFER_ON if offer == T.CHOICE_YES else T.OFFER_OFF)
        return
    today = bot.today()
    if month_text:
        year, number = parse_month(month_text, today)
        month = date(year, number, 1)
    else:
        month = svc.default_month(today)
    await open_contacts(interaction, guild_id, month)
