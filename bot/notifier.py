"""Delivering the durable notifications (Discord side). The guarantee is described in
`bot.services.notifications`: at least once, deduplicated by a reference, through the
`notifications` table.

One attempt of one notification:

1. its route is the DM (when it has a recipient and a DM text): a DM closed or a user
   unknown is refused for good, so the same attempt goes on to the channel; a 5xx, a rate
   limit or a connection reset is retried later on the DM (back-off), and only the last
   attempt goes on to the channel;
2. the channel (the event's announcement channel, the request's thread): a mention of the
   person. A missing or forbidden channel is refused for good;
3. refused everywhere, expired, or failed at the last attempt: the coordination is told, in
   French, who was not reached and why (`bot.alerts.alert_coordination`). If even that
   fails, everything is tried again an hour later.

An attempt whose outcome is unknown (5xx, reset, process killed in flight) is retried after
looking for the message in the last messages of the target. Every exception ends in a
recorded retry or delivery: a bad notification never blocks the others.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot import alerts
from bot.clock import today
from bot.db.models.notifications import CHANNEL, COORDINATION, DM, PENDING, Notification
from bot.services import notifications as svc

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)

JOB_ID = "notifications:retry"
EVERY_MINUTES = 1
HISTORY_LOOKUP = 20  # messages read to find one that may already have arrived

ALERT = "⚠️ {text}\nCause : {why}."
WHY_DM_CLOSED = "ses messages privés sont fermés"
WHY_NO_CHANNEL = "aucun salon n'est configuré pour le mentionner (voyez /config salons)"
WHY_CHANNEL_FORBIDDEN = (
    "le bot n'a pas la permission « Envoyer des messages » dans <#{channel}> (vérifiez les "
    "permissions du salon ou choisissez-en un autre avec /config salons)"
)
WHY_CHANNEL_MISSING = "le salon <#{channel}> n'existe plus (choisissez-en un autre avec /config salons)"
WHY_REFUSED = "Discord a refusé le message"
WHY_DISCORD = "Discord n'a pas répondu après {attempts} essais"
WHY_EXPIRED = "le message n'a pas pu partir à temps (Discord indisponible ou messages privés fermés)"

_TRANSIENT = (aiohttp.ClientError, OSError, asyncio.TimeoutError)


@dataclass(frozen=True)
class _Try:
    delivered: bool = False
    message_id: int | None = None
    refused: bool = False  # for good: trying again will not help
    uncertain: bool = False  # the message may have reached Discord
    why: str = ""
    error: str = ""


class Notifier:
    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self._purged_on: date | None = None
        # kind -> the persistent view a DM of that kind carries (built from the row: its
        # components are DynamicItems, so they work whenever they are clicked).
        self.views: dict[str, Callable[[Notification], discord.ui.View]] = {}

    async def deliver(self, ids: list[int]) -> list[str | None]:
        """Right after the commit that queued them: one attempt each. Returns each outcome:
        `dm`, `channel`, `coordination`, `pending` (retried later), None (taken elsewhere)."""
        return [await self._attempt_safely(i) for i in ids]

    async def deliver_due(self) -> int:
        """The periodic job (and start-up): every due notification, one attempt each."""
        if not self.bot.is_ready():
            return 0
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:
            ids = await svc.due(session, now=now)
            if self._purged_on != today(now):
                self._purged_on = today(now)
                await svc.purge_finished(session, now=now)
        for notification_id in ids:
            await self._attempt_safely(notification_id)
        return len(ids)

    async def _attempt_safely(self, notification_id: int) -> str | None:
        try:
            return await self._attempt(notification_id)
        except Exception:
            # Left leased and uncertain: picked up again after the lease, looking first.
            log.exception("Notification %s: attempt failed unexpectedly", notification_id)
            return PENDING

    async def _attempt(self, notification_id: int) -> str | None:
        now = self.bot.now()
        async with self.bot.db.transaction(lock=True) as session:  # reads, then writes
            attempt = await svc.take(session, notification_id, now=now)
        if attempt is None:
            return None
        n = attempt.notification
        why: list[str] = []
        if n.route == CHANNEL and n.recipient_id and n.dm_text:
            why.append(WHY_DM_CLOSED)
        if attempt.expired(now):
            return await self._give_up(n, [*why, WHY_EXPIRED])
        reconcile = attempt.reconcile
        if n.route == DM:
            result = await self._try(n, DM, reconcile)
            if result.delivered:
                return await self._sent(n, DM, result)
            if not result.refused and not attempt.last:
                return await self._retry(n, DM, result)
            why.append(result.why or WHY_DISCORD.format(attempts=n.attempts))
            if result.refused:
                async with self.bot.db.transaction() as session:
                    await svc.mark_route(session, n.id, CHANNEL, now=now)
                n.route = CHANNEL
            reconcile = False
        if n.channel_id is None or not n.channel_text:
            return await self._give_up(n, [*why, WHY_NO_CHANNEL])
        result = await self._try(n, CHANNEL, reconcile)
        if result.delivered:
            return await self._sent(n, CHANNEL, result)
        if not result.refused and not attempt.last:
            return await self._retry(n, CHANNEL, result)
        return await self._give_up(n, [*why, result.why or WHY_DISCORD.format(attempts=n.attempts)])

    async def _try(self, n: Notification, route: str, reconcile: bool) -> _Try:
        """One send on one route; never raises for a Discord or network failure."""
        try:
            if route == DM:
                assert n.recipient_id is not None  # the DM route is given to a notification with a recipient
                channel: discord.abc.Messageable = await self.bot.create_dm(discord.Object(id=n.recipient_id))
                text = n.dm_text or ""
                mentions = discord.AllowedMentions.none()
            else:
                assert n.channel_id is not None  # checked by _attempt before the channel route
                channel = self.bot.get_partial_messageable(n.channel_id, guild_id=n.guild_id)
                text = n.channel_text or ""
                mentions = discord.AllowedMentions(
                    everyone=False,
                    users=[discord.Object(n.recipient_id)] if n.recipient_id else False,
                    roles=[discord.Object(n.role_id)] if n.role_id else False,
                )
            if reconcile:
                found = await self._find(channel, text)
                if found is not None:
                    log.info("Notification %s was already delivered (message %s)", n.id, found)
                    return _Try(delivered=True, message_id=found)
            kwargs: dict[str, Any] = {}
            if route == DM and n.embed_json:
                kwargs["embed"] = discord.Embed.from_dict(json.loads(n.embed_json))
            if route == DM and n.kind in self.views:
                kwargs["view"] = self.views[n.kind](n)
            message = await channel.send(text, allowed_mentions=mentions, **kwargs)
            return _Try(delivered=True, message_id=message.id)
        except discord.Forbidden as error:
            why = WHY_DM_CLOSED if route == DM else WHY_CHANNEL_FORBIDDEN.format(channel=n.channel_id)
            return _Try(refused=True, why=why, error=_describe(error))
        except discord.NotFound as error:
            why = WHY_DM_CLOSED if route == DM else WHY_CHANNEL_MISSING.format(channel=n.channel_id)
            return _Try(refused=True, why=why, error=_describe(error))
        except discord.HTTPException as error:
            if error.status >= 500 or error.status == 429:
                return _Try(uncertain=error.status >= 500, error=_describe(error))
            log.warning("Notification %s refused by Discord on %s: %s", n.id, route, _describe(error))
            return _Try(refused=True, why=WHY_REFUSED, error=_describe(error))
        except _TRANSIENT as error:
            return _Try(uncertain=True, error=_describe(error))

    async def _find(self, channel: discord.abc.Messageable, text: str) -> int | None:
        """A message of the bot with this text among the last ones (a previous attempt that
        did arrive). Raises like a send when Discord fails."""
        me = self.bot.user.id if self.bot.user else None
        async for message in channel.history(limit=HISTORY_LOOKUP):
            if message.author.id == me and message.content == text:
                return message.id
        return None

    async def _sent(self, n: Notification, via: str, result: _Try) -> str:
        async with self.bot.db.transaction() as session:
            await svc.mark_sent(session, n.id, via=via, message_id=result.message_id, now=self.bot.now())
        return via

    async def _retry(self, n: Notification, route: str, result: _Try) -> str:
        async with self.bot.db.transaction() as session:
            when = await svc.mark_retry(
                session,
                n.id,
                attempts=n.attempts,
                route=route,
                uncertain=result.uncertain,
                error=result.error,
                now=self.bot.now(),
            )
        log.warning(
            "Notification %s (%s) not delivered on %s (%s); next attempt at %s",
            n.id,
            n.kind,
            route,
            result.error,
            when.isoformat(),
        )
        return PENDING

    async def _give_up(self, n: Notification, why: list[str]) -> str:
        text = ALERT.format(text=n.alert_text, why="\u00a0; ".join(dict.fromkeys(why)))
        try:
            told = await alerts.alert_coordination(self.bot, n.guild_id, text, key=n.ref)
        except Exception:
            log.exception("Notification %s: the coordination could not be told", n.id)
            told = False
        async with self.bot.db.transaction() as session:
            if told:
                await svc.mark_gave_up(session, n.id, via=COORDINATION, error="; ".join(why), now=self.bot.now())
            else:
                await svc.mark_retry(
                    session,
                    n.id,
                    attempts=n.attempts,
                    route=n.route,
                    uncertain=False,
                    error="coordination not reachable",
                    now=self.bot.now(),
                    wait=svc.ALERT_RETRY,
                )
        if told:
            log.warning("Notification %s (%s) not delivered; the coordination was told", n.id, n.kind)
            return COORDINATION
        log.error("Notification %s (%s): nobody could be told; trying again later", n.id, n.kind)
        return PENDING


def _describe(error: BaseException) -> str:
    """For the log and `last_error` only (never shown to a person)."""
    if isinstance(error, discord.HTTPException):
        return f"HTTP {error.status} (code {error.code})"
    return type(error).__name__
