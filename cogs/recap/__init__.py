from bot.app import PdnBot
from cogs.recap._cog import MONTHLY_KIND, YEARLY_KIND, Recaps
from cogs.recap._modals import ReportTextModal


async def setup(bot: PdnBot) -> None:
    bot.outbox.register(MONTHLY_KIND)
    bot.outbox.register(YEARLY_KIND)
    bot.add_persistent_modals(ReportTextModal)
    await bot.add_cog(Recaps(bot))
