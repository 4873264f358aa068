from bot.app import PdnBot
from cogs.recap._cog import MONTHLY_KIND, YEARLY_KIND, Recaps


async def setup(bot: PdnBot) -> None:
    bot.outbox.register(MONTHLY_KIND)
    bot.outbox.register(YEARLY_KIND)
    await bot.add_cog(Recaps(bot))
