from bot.app import PdnBot
from cogs.config._cog import Config


async def setup(bot: PdnBot) -> None:
    await bot.add_cog(Config(bot))
