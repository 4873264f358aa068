from bot.app import PdnBot
from bot.services.requests_jobs import register_privacy_hook
from cogs.requests._cog import Requests
from cogs.requests._modals import CloseModal, RequestModal, ScheduleModal
from cogs.requests._views import RequestButton


async def setup(bot: PdnBot) -> None:
    register_privacy_hook()
    bot.add_dynamic_items(RequestButton)
    bot.add_persistent_modals(RequestModal, ScheduleModal, CloseModal)
    await bot.add_cog(Requests(bot))
