from functools import partial

from bot.app import PdnBot
from bot.db.models.privacy import DIGEST
from bot.features import Feature, Job, Redaction
from bot.services.privacy import PrivacyHook
from bot.services.watch import privacy as watch_privacy
from cogs.watch._cog import Watch
from cogs.watch._draft import REMOVE_ACTION, CommentModal, DraftButton, EditorialModal, remove_confirmed
from cogs.watch._modals import AddFromMessageModal
from cogs.watch._privacy import redact_digest
from cogs.watch._render import DIGEST_KIND
from cogs.watch._views import CategorySelect

PRIVACY_HOOK = PrivacyHook(
    name="veille",
    export=watch_privacy.export_member,
    anonymise=watch_privacy.anonymise_member,
    columns=watch_privacy.PRIVACY_COLUMNS,
    messages=watch_privacy.digests_showing,
)
FEEDS_JOB = "watch:feeds"
FEEDS_MINUTES = 30


async def setup(bot: PdnBot) -> None:
    cog = Watch(bot)
    await bot.features.add(
        Feature(
            name="watch",
            cog=cog,
            post_kinds=(DIGEST_KIND,),
            privacy_hooks=(PRIVACY_HOOK,),
            confirm_actions={"watch-remove": cog.remove_confirmed, REMOVE_ACTION: remove_confirmed},
            jobs=(Job(cog.poll_feeds, FEEDS_JOB, minutes=FEEDS_MINUTES),),
            dynamic_items=(DraftButton, CategorySelect),
            modals=(CommentModal, EditorialModal, AddFromMessageModal),
            redactions=(Redaction(DIGEST, partial(redact_digest, bot)),),
        )
    )
