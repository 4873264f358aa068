from bot.app import PdnBot
from bot.services import events_registrations
from bot.services.privacy import PrivacyHook, register_hook
from bot.ui import confirm
from cogs.events._cog import Events
from cogs.events._views import AttendancePageButton, AttendanceSelect, RegisterButton, WithdrawButton


async def setup(bot: PdnBot) -> None:
    register_hook(
        PrivacyHook(
            name="evenements",
            export=events_registrations.export_member,
            anonymise=events_registrations.anonymise_member,
        )
    )
    bot.add_dynamic_items(RegisterButton, WithdrawButton, AttendanceSelect, AttendancePageButton)
    cog = Events(bot)
    confirm.register("event-cancel", cog.cancel_confirmed)
    await bot.add_cog(cog)
