from bot.app import PdnBot
from bot.features import Feature
from cogs.directory._cog import Directory
from cogs.directory._views import ConfirmErasureButton


async def setup(bot: PdnBot) -> None:
    await bot.features.add(Feature(name="directory", cog=Directory(bot), dynamic_items=(ConfirmErasureButton,)))
