"""Asking less of people: the members' panel and /aide; the « Corriger » button of refused
forms and the confirmation buttons of destructive actions (shared by every cog) are
plugged in here as well, with the privacy hook of the form drafts they use."""

from bot.app import PdnBot
from bot.features import Feature
from bot.services import form_drafts
from bot.ui.confirm import ConfirmButton
from bot.ui.drafts import CorrectButton
from cogs.panel._cog import Panel
from cogs.panel._views import LinkModal, PanelButton


async def setup(bot: PdnBot) -> None:
    await bot.features.add(
        Feature(
            name="panel",
            cog=Panel(bot),
            privacy_hooks=(form_drafts.PRIVACY_HOOK,),
            dynamic_items=(PanelButton, CorrectButton, ConfirmButton),
            modals=(LinkModal,),
        )
    )
