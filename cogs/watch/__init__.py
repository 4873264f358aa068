from functools import partial

from bot.app import PdnBot
from bot.db.models.privacy import DIGEST
from bot.services import privacy
from bot.services.watch import privacy as watch_privacy
from bot.services.watch.fetch import Fetcher
from bot.ui import confirm
from cogs.watch._cog import Watch
from cogs.watch._draft import CommentModal, DraftButton, EditorialModal
from cogs.watch._modals import AddFromMessageModal
from cogs.watch._privacy import redact_digest
from cogs.watch._views import CategorySelect


async def setup(bot: PdnBot) -> None:
    if getattr(bot, "watch_fetcher", None) is None:  # tests put their own (never the internet)
        bot.watch_fetcher = Fetcher()  # type: ignore[attr-defined]
    privacy.register_hook(
        privacy.PrivacyHook(
            name="veille",
            export=watch_privacy.export_member,
            anonymise=watch_privacy.anonymise_member,
            columns=watch_privacy.PRIVACY_COLUMNS,
            messages=watch_privacy.digests_showing,
        )
    )
    bot.redactor.register(DIGEST, partial(redact_digest, bot))
    bot.add_dynamic_items(DraftButton, CategorySelect)
    bot.add_persistent_modals(CommentModal, EditorialModal, AddFromMessageModal)
    cog = Watch(bot)
    confirm.register("watch-remove", cog.remove_confirmed)
    await bot.add_cog(cog)
