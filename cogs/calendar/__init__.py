from bot.app import PdnBot
from bot.features import Feature
from bot.services import calendar_feeds
from bot.services.privacy import PrivacyHook
from cogs.calendar._cog import Calendar

PRIVACY_HOOK = PrivacyHook(
    name="agenda",
    export=calendar_feeds.export_member,
    anonymise=calendar_feeds.anonymise_member,
    columns=("calendar_feeds.token",),  # the member's feed row is deleted
)


async def setup(bot: PdnBot) -> None:
    await bot.features.add(Feature(name="calendar", cog=Calendar(bot), privacy_hooks=(PRIVACY_HOOK,)))
