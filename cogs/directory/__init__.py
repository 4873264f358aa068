from bot.app import PdnBot
from cogs.directory._cog import Directory
from cogs.directory._views import ConfirmErasureButton


async def setup(bot: PdnBot) -> None:
    bot.add_dynamic_items(ConfirmErasureButton)
    await bot.add_cog(Directory(bot))
