from bot.app import PdnBot
from bot.services.events import registrations as events_registrations
from bot.services.privacy import PrivacyHook, register_hook
from bot.ui import confirm
from cogs.events._cog import Events
from cogs.events._create import DraftButton, DraftSelect, EventFormModal, OptionsModal
from cogs.events._views import AttendancePageButton, AttendanceSelect, RegisterButton, WithdrawButton


async def setup(bot: PdnBot) -> None:
    register_hook(
        PrivacyHook(
            name="evenements",
            export=events_registrations.export_member,
            anonymise=events_registrations.anonymise_member,
            columns=("event_drafts.author_id", "event_drafts.payload"),
        )
    )
    bot.add_dynamic_items(
        RegisterButton, WithdrawButton, AttendanceSelect, AttendancePageButton, DraftSelect, DraftButton
    )
    bot.add_persistent_modals(EventFormModal, OptionsModal)
    cog = Events(bot)
    confirm.register("event-cancel", cog.cancel_confirmed)
    await bot.add_cog(cog)
