from bot.app import PdnBot
from bot.services import activity as activity_service
from bot.services.privacy import register_hook
from cogs.activity._cog import Activities


async def setup(bot: PdnBot) -> None:
    register_hook(activity_service.PRIVACY_HOOK)
    await bot.add_cog(Activities(bot))
