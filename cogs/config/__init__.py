from bot.app import PdnBot
from bot.features import Feature
from cogs.config._cog import Config


async def setup(bot: PdnBot) -> None:
    await bot.features.add(Feature(name="config", cog=Config(bot)))
