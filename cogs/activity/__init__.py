from bot.app import PdnBot
from bot.features import Feature
from bot.services import activity as activity_service
from cogs.activity._cog import Activities


async def setup(bot: PdnBot) -> None:
    await bot.features.add(
        Feature(name="activity", cog=Activities(bot), privacy_hooks=(activity_service.PRIVACY_HOOK,))
    )
