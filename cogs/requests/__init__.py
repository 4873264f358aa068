from functools import partial

from bot.app import PdnBot
from bot.db.models.privacy import REQUEST_CARD, THREAD_LINE
from bot.services.requests.privacy import register_privacy_hook
from cogs.requests._cog import Requests
from cogs.requests._modals import CloseModal, RequestModal, ScheduleModal
from cogs.requests._privacy import mask_line, redact_card, scrub_thread
from cogs.requests._views import RequestButton


async def setup(bot: PdnBot) -> None:
    register_privacy_hook()
    bot.redactor.register(REQUEST_CARD, partial(redact_card, bot), scrub=partial(scrub_thread, bot))
    bot.redactor.register(THREAD_LINE, partial(mask_line, bot))
    bot.add_dynamic_items(RequestButton)
    bot.add_persistent_modals(RequestModal, ScheduleModal, CloseModal)
    await bot.add_cog(Requests(bot))
