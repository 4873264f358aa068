from bot.app import PdnBot
from bot.features import Feature
from cogs.recap._cog import MONTHLY_KIND, YEARLY_KIND, Recaps
from cogs.recap._modals import ReportTextModal


async def setup(bot: PdnBot) -> None:
    await bot.features.add(
        Feature(name="recap", cog=Recaps(bot), post_kinds=(MONTHLY_KIND, YEARLY_KIND), modals=(ReportTextModal,))
    )
