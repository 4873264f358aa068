from functools import partial

from bot.app import PdnBot
from bot.db.models.privacy import REQUEST_CARD, THREAD_LINE
from bot.features import Feature, Job, Redaction
from bot.services.requests import privacy as requests_privacy
from cogs.requests._cog import Requests
from cogs.requests._modals import CloseModal, RequestModal, ScheduleModal
from cogs.requests._privacy import mask_line, redact_card, scrub_thread
from cogs.requests._sweep import SWEEP_MINUTES
from cogs.requests._views import RequestButton


async def setup(bot: PdnBot) -> None:
    cog = Requests(bot)
    await bot.features.add(
        Feature(
            name="requests",
            cog=cog,
            privacy_hooks=(requests_privacy.PRIVACY_HOOK,),
            jobs=(Job(cog.sweep, "requests:sweep", minutes=SWEEP_MINUTES),),
            dynamic_items=(RequestButton,),
            modals=(RequestModal, ScheduleModal, CloseModal),
            redactions=(
                Redaction(REQUEST_CARD, partial(redact_card, bot), scrub=partial(scrub_thread, bot)),
                Redaction(THREAD_LINE, partial(mask_line, bot)),
            ),
        )
    )
