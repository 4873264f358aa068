from bot.app import PdnBot
from bot.services import calendar_feeds
from bot.services.privacy import PrivacyHook, register_hook
from cogs.calendar._cog import Calendar


async def setup(bot: PdnBot) -> None:
    register_hook(
        PrivacyHook(
            name="agenda",
            export=calendar_feeds.export_member,
            anonymise=calendar_feeds.anonymise_member,
            columns=("calendar_feeds.token",),  # the member's feed row is deleted
        )
    )
    await bot.add_cog(Calendar(bot))
