"""What an event owes its registrants: reminders, waitlist promotions, changes and
cancellations, queued as durable notifications (see `bot.services.notifications` for the
guarantee: at least once, deduplicated by reference; DM, then a mention in the event's
announcement channel, then the coordination is told).

Each builder is called inside the transaction that causes the notification (the reminder
recorded as sent, the seat given), so both are committed together; the cog then hands the
ids to `bot.notifier` for an immediate first attempt.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import discord

from bot.dates import format_when
from bot.db.models import Member
from bot.db.models.events import Event
from bot.db.models.notifications import CHANNEL, COORDINATION, DM
from bot.services.events import seats
from bot.services.notifications import NewNotification
from cogs.events import _texts as T

REMINDER, PROMOTED, CHANGED, CANCELLED = "event_reminder", "event_promoted", "event_changed", "event_cancelled"


def _mention(discord_id: int) -> str:
    return f"<@{discord_id}>"


def when(event: Event) -> str:
    return T.WHEN_IN.format(when=format_when(event.starts_at))


def channel_of(event: Event, announcements_channel_id: int | None) -> int | None:
    """Where a person is mentioned when their DMs are closed: the event's announcement
    channel, else the server's announcements channel."""
    return event.announcement_channel_id or announcements_channel_id


def _one(
    kind: str,
    ref: str,
    event: Event,
    discord_id: int,
    channel_id: int | None,
    *,
    dm: str,
    fallback: str,
    alert: str,
    embed: discord.Embed | None = None,
    values: dict[str, str],
) -> NewNotification:
    mention = _mention(discord_id)
    return NewNotification(
        kind=kind,
        ref=ref,
        recipient_id=discord_id,
        dm_text=dm.format(**values),
        embed_json=json.dumps(embed.to_dict()) if embed is not None else None,
        channel_id=channel_id,
        channel_text=fallback.format(mentions=mention, **values),
        alert_text=alert.format(mention=mention, **values),
        expires_at=event.starts_at,
    )


def reminders(event: Event, hours: int, people: Iterable[Member], channel_id: int | None) -> list[NewNotification]:
    where = ""
    if event.place:
        where += T.REMINDER_PLACE.format(place=event.place)
    if event.link:
        where += T.REMINDER_LINK.format(link=event.link)
    values = {"title": event.title, "when": when(event)}
    return [
        _one(
            REMINDER,
            f"{REMINDER}:{event.id}:{hours}:{m.discord_id}",
            event,
            m.discord_id,
            channel_id,
            dm=T.DM_REMINDER.format(where=where, **values),
            fallback=T.FALLBACK_REMINDER,
            alert=T.ALERT_REMINDER,
            values=values,
        )
        for m in people
        if m.discord_id
    ]


def promotions(event: Event, seats: Iterable[seats.Seat], channel_id: int | None) -> list[NewNotification]:
    values = {"title": event.title, "when": when(event)}
    return [
        _one(
            PROMOTED,
            f"{PROMOTED}:{event.id}:{s.member_id}:{s.position}",
            event,
            s.discord_id,
            channel_id,
            dm=T.DM_PROMOTED,
            fallback=T.FALLBACK_PROMOTED,
            alert=T.ALERT_PROMOTED,
            values=values,
        )
        for s in seats
        if s.discord_id
    ]


def changes(
    event: Event,
    fields: str,
    people: Iterable[Member],
    channel_id: int | None,
    *,
    embed: discord.Embed,
    now: datetime,
) -> list[NewNotification]:
    stamp = int(now.timestamp() * 1_000_000)
    values = {"title": event.title, "fields": fields, "when": when(event)}
    return [
        _one(
            CHANGED,
            f"{CHANGED}:{event.id}:{stamp}:{m.discord_id}",
            event,
            m.discord_id,
            channel_id,
            dm=T.DM_CHANGED,
            fallback=T.FALLBACK_CHANGED,
            alert=T.ALERT_CHANGED,
            embed=embed,
            values=values,
        )
        for m in people
        if m.discord_id
    ]


def cancellations(event: Event, reason: str, people: Iterable[Member], channel_id: int | None) -> list[NewNotification]:
    values = {"title": event.title, "when": when(event), "reason": reason}
    return [
        _one(
            CANCELLED,
            f"{CANCELLED}:{event.id}:{m.discord_id}",
            event,
            m.discord_id,
            channel_id,
            dm=T.DM_CANCELLED,
            fallback=T.FALLBACK_CANCELLED,
            alert=T.ALERT_CANCELLED,
            values=values,
        )
        for m in people
        if m.discord_id
    ]


def _plural(count: int, one: str, many: str) -> str:
    return (one if count == 1 else many).format(count=count)


def outcome_text(outcomes: list[str | None]) -> str:
    """For the coordinator: how many were told (by DM or by a mention), how many messages
    are retried automatically, how many the coordination must tell itself."""
    if not outcomes:
        return T.NOTIFIED_NONE
    parts = []
    by_channel = outcomes.count(CHANNEL)
    delivered = outcomes.count(DM) + by_channel
    if delivered:
        parts.append(_plural(delivered, T.NOTIFIED_ONE, T.NOTIFIED_MANY))
    if by_channel:
        parts.append(_plural(by_channel, T.NOTIFIED_FALLBACK_ONE, T.NOTIFIED_FALLBACK_MANY))
    later = sum(1 for o in outcomes if o not in (DM, CHANNEL, COORDINATION))
    if later:
        parts.append(_plural(later, T.NOTIFIED_LATER_ONE, T.NOTIFIED_LATER_MANY))
    told = outcomes.count(COORDINATION)
    if told:
        parts.append(_plural(told, T.NOTIFIED_ALERTED_ONE, T.NOTIFIED_ALERTED_MANY))
    return "".join(parts).strip()
