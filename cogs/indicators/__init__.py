from bot.app import PdnBot
from bot.features import Feature, Job
from bot.services import indicators as indicators_service
from cogs.indicators._cog import OFFER_JOB, OFFER_MINUTES, Indicators
from cogs.indicators._modals import ContactsModal, ThemesButton, ThemesModal
from cogs.indicators._views import OfferOffButton, OpenFormButton


async def setup(bot: PdnBot) -> None:
    cog = Indicators(bot)
    await bot.features.add(
        Feature(
            name="indicators",
            cog=cog,
            privacy_hooks=(indicators_service.PRIVACY_HOOK,),
            jobs=(Job(cog.offer_job, OFFER_JOB, minutes=OFFER_MINUTES),),
            dynamic_items=(OpenFormButton, ThemesButton, OfferOffButton),
            modals=(ContactsModal, ThemesModal),
        )
    )
