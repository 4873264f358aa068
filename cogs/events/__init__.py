from bot.app import PdnBot
from bot.features import Feature, Job
from bot.services.events import registrations as events_registrations
from bot.services.privacy import PrivacyHook
from cogs.events._cog import Events
from cogs.events._create import DraftButton, DraftSelect, EventFormModal, OptionsModal
from cogs.events._mirror import RETRY_JOB as MIRROR_JOB
from cogs.events._mirror import RETRY_MINUTES as MIRROR_MINUTES
from cogs.events._series import SERIES_JOB, SERIES_MINUTES
from cogs.events._views import AttendancePageButton, AttendanceSelect, RegisterButton, WithdrawButton
from cogs.events.reminders import REMINDER_JOB, REMINDER_MINUTES

PRIVACY_HOOK = PrivacyHook(
    name="evenements",
    export=events_registrations.export_member,
    anonymise=events_registrations.anonymise_member,
    columns=("event_drafts.author_id", "event_drafts.payload"),
)


async def setup(bot: PdnBot) -> None:
    cog = Events(bot)
    await bot.features.add(
        Feature(
            name="events",
            cog=cog,
            privacy_hooks=(PRIVACY_HOOK,),
            confirm_actions={"event-cancel": cog.cancel_confirmed},
            jobs=(
                # Reminders on time: a sweep every minute plans a wake-up at the exact due time
                # of the next reminder before the following sweep (see bench/reminders.py).
                Job(cog.reminder_job, REMINDER_JOB, minutes=REMINDER_MINUTES),
                Job(cog.mirror.retry_pending, MIRROR_JOB, minutes=MIRROR_MINUTES),
                Job(cog.series_job, SERIES_JOB, minutes=SERIES_MINUTES),
            ),
            dynamic_items=(
                RegisterButton,
                WithdrawButton,
                AttendanceSelect,
                AttendancePageButton,
                DraftSelect,
                DraftButton,
            ),
            modals=(EventFormModal, OptionsModal),
        )
    )
