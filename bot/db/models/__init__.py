"""Every model, imported here so that `Base.metadata` knows the whole schema."""

# Feature modules: importing them registers their tables on Base.metadata.
from bot.db.models import (  # noqa: F401  (imported for their tables)
    activity,
    calendar,
    drafts,
    events,
    indicators,
    notifications,
    privacy,
    report,
    requests,
    watch,
)
from bot.db.models.guild import Counter, GuildSettings, ListEntry, Schedule, Territory
from bot.db.models.member import Member, MemberPeriod
from bot.db.models.outbox import OutboxPost

__all__ = [
    "Counter",
    "GuildSettings",
    "ListEntry",
    "Member",
    "MemberPeriod",
    "OutboxPost",
    "Schedule",
    "Territory",
]
