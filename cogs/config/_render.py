"""What /config shows: mentions of the chosen roles and channels, a role as the service sees
it, and the posts that need attention."""

from __future__ import annotations

import discord

from bot.dates import format_when
from bot.db.models import OutboxPost
from bot.db.models.outbox import SENDING
from bot.services import guilds as guilds_service
from bot.services import outbox as outbox_service
from cogs.config import _texts as T


def mention(kind: str, object_id: int | None) -> str:
    if object_id is None:
        return T.NOT_SET
    return f"<@&{object_id}>" if kind == "role" else f"<#{object_id}>"


def role_facts(role: discord.Role) -> guilds_service.RoleFacts:
    """A role as the service sees it. `role.members` is only filled when Discord's cache
    knows the holders (not with the `guilds` intent alone): 0 then means "unknown"."""
    return guilds_service.RoleFacts(
        id=role.id,
        name=role.name,
        is_default=role.is_default(),
        managed=role.managed,
        holders=len(role.members),
    )


def problem_line(post: OutboxPost, title: str) -> str:
    """A post that needs attention (`title`: the post in words), with the French reason of
    its last failure."""
    if post.state == SENDING:
        return T.PROBLEM_STUCK.format(marker=title)
    attempts = T.ATTEMPTS_ONE if post.attempts == 1 else T.ATTEMPTS_MANY.format(count=post.attempts)
    reason = post.last_error or T.PROBLEM_NO_REASON
    if outbox_service.exhausted(post):
        return T.PROBLEM_GAVE_UP.format(marker=title, reason=reason, attempts=attempts)
    return T.PROBLEM_LINE.format(marker=title, reason=reason, attempts=attempts, when=format_when(post.due_at))
