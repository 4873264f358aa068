"""Editing the bot's own messages that still show erased data.

Features offer, per redaction kind, a handler that re-renders the message from the
(already anonymised) database and edits it (`bot.features.Redaction`, looked up in the bot's
feature registry). `run_due` works through the recorded queue
(`bot.services.redactions`): done rows are deleted, a message that no longer exists is
done too (it shows nothing), and a refusal (403, 5xx, archived thread that cannot be
reopened) is retried later by the periodic job, with a growing delay.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.services import redactions as service
from bot.services.members import ANONYMOUS_NAME

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)

JOB_ID = "privacy:redactions"
EVERY_MINUTES = 5
ARCHIVED_THREAD = 50083  # Discord: "Thread is archived"

Handler = Callable[[int, int], Awaitable[None]]  # (target id, message id or 0)
# (target id, erased Discord id, erased names): best effort, right after the erasure only.
Scrubber = Callable[[int, int, tuple[str, ...]], Awaitable[None]]


def redact_text(text: str, discord_id: int, names: tuple[str, ...]) -> str:
    """The text without the erased member's mention or names."""
    for form in (f"<@{discord_id}>", f"<@!{discord_id}>", *sorted(names, key=len, reverse=True)):
        if len(form) >= 3:  # a very short name would also match inside other words
            text = text.replace(form, ANONYMOUS_NAME)
    return text


async def edit_own_message(
    bot: PdnBot, channel_id: int, message_id: int, *, guild_id: int | None = None, **fields: Any
) -> None:
    """Edit a bot message; in an archived thread, reopen it for the edit and close it again."""
    channel = bot.get_partial_messageable(channel_id, guild_id=guild_id)
    message = channel.get_partial_message(message_id)
    try:
        await message.edit(**fields)
    except discord.HTTPException as error:
        if error.code != ARCHIVED_THREAD:
            raise
        await bot.http.edit_channel(channel_id, archived=False)
        await message.edit(**fields)
        await bot.http.edit_channel(channel_id, archived=True)


class Redactor:
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot

    # A feature's redaction: `handler(target_id, message_id)` re-renders the message from the
    # database (retried until done). `scrub(target_id, discord_id, names)` also edits the
    # lines around it that only the erased names identify (a request thread's history): it
    # runs once, right after the erasure, while the names are still known; the database
    # keeps none (a line it cannot edit is recorded, and the retry masks it whole).

    def _handler(self, kind: str) -> Handler | None:
        redaction = self.bot.features.redaction(kind)
        return redaction.handler if redaction else None

    def _scrubber(self, kind: str) -> Scrubber | None:
        redaction = self.bot.features.redaction(kind)
        return redaction.scrub if redaction else None

    async def after_erasure(self, guild_id: int, discord_id: int, names: tuple[str, ...]) -> None:
        """Right after `/mes-donnees supprimer`: scrub, then redact what is due. Never raises
        (the erasure itself is done; what failed here is retried by the job)."""
        try:
            async with self.bot.db.transaction() as session:
                rows = await service.pending(session, guild_id)
            for row in rows:
                scrub = self._scrubber(row.kind)
                if scrub is None:
                    continue
                try:
                    await scrub(row.target_id, discord_id, names)
                except discord.HTTPException:
                    log.warning("Could not scrub around %s %s", row.kind, row.target_id, exc_info=True)
        except Exception:
            log.exception("Scrubbing after an erasure failed")
        await self.job()

    async def run_due(self) -> int:
        """Try every redaction due now; returns how many are done."""
        now = self.bot.now()
        async with self.bot.db.transaction() as session:
            rows = await service.due(session, now)
        done = 0
        for row in rows:
            handler = self._handler(row.kind)
            status: int | None = None
            try:
                if handler is None:
                    raise LookupError(f"no redaction handler for {row.kind!r}")
                await handler(row.target_id, row.message_id)
            except discord.NotFound:
                pass  # the message is gone: nothing shows the data any more
            except (discord.HTTPException, LookupError) as error:
                status = getattr(error, "status", None)
                async with self.bot.db.transaction(lock=True) as session:
                    failed = await service.mark_failed(session, row.id, self.bot.now(), status=status)
                log.warning(
                    "Could not redact %s %s (attempt %s, HTTP %s); retried at %s",
                    row.kind,
                    row.target_id,
                    failed.attempts if failed else "?",
                    status,
                    failed.due_at if failed else "?",
                )
                continue
            async with self.bot.db.transaction() as session:
                await service.mark_done(session, row.id)
            done += 1
        return done

    async def job(self) -> None:
        """The periodic retry (scheduler job): never raises."""
        try:
            await self.run_due()
        except Exception:
            log.exception("Redaction job failed; it runs again in %s minutes", EVERY_MINUTES)
