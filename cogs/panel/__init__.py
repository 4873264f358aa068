"""Asking less of people: the members' panel and /aide; the « Corriger » button of refused
forms and the confirmation buttons of destructive actions (shared by every cog) are
registered here as well, with the privacy hook of the form drafts they use."""

from bot.app import PdnBot
from bot.services import form_drafts
from bot.ui.confirm import ConfirmButton
from bot.ui.drafts import CorrectButton
from cogs.panel._cog import Panel
from cogs.panel._views import LinkModal, PanelButton


async def setup(bot: PdnBot) -> None:
    form_drafts.register_privacy_hook()
    bot.add_dynamic_items(PanelButton, CorrectButton, ConfirmButton)
    bot.add_persistent_modals(LinkModal)
    await bot.add_cog(Panel(bot))
