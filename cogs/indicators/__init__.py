from bot.app import PdnBot
from bot.services import indicators as indicators_service
from bot.services.privacy import register_hook
from cogs.indicators._cog import Indicators
from cogs.indicators._modals import ContactsModal, ThemesButton, ThemesModal
from cogs.indicators._views import OfferOffButton, OpenFormButton


async def setup(bot: PdnBot) -> None:
    register_hook(indicators_service.PRIVACY_HOOK)
    bot.add_dynamic_items(OpenFormButton, ThemesButton, OfferOffButton)
    bot.add_persistent_modals(ContactsModal, ThemesModal)
    await bot.add_cog(Indicators(bot))
