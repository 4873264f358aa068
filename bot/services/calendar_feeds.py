"""Calendar subscription feeds (iCalendar over HTTP): the links and their contents.

Two kinds of feed: the server's (every event of the last `PAST_WINDOW` and every upcoming
one, cancelled ones included with STATUS:CANCELLED so that calendars remove them) and a
member's (the events they are registered for and their scheduled accompaniment sessions).

Each event's VEVENT comes from `bot.services.events.ics.vevent`, the builder of the `.ics` attachments:
same UID, SEQUENCE and STATUS. Times are in UTC (no VTIMEZONE needed). DTSTAMP is the last
change of each item, so an unchanged feed is byte for byte the same and its ETag holds.

`build_feed` takes a list of events (occurrences), not a query: whoever computes the items
(a recurring series expanded into occurrences, later) hands them over.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import insert_ignore
from bot.db.models import Member
from bot.db.models.calendar import GUILD_FEED, MEMBER_FEED, CalendarFeed
from bot.db.models.events import REGISTERED, WALK_IN, Event, EventRegistration
from bot.db.models.requests import CANCELLED, AccompanimentRequest, RequestEvent
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services.events import ics as events_ics

if TYPE_CHECKING:
    from icalendar import Event as IcsEvent

PAST_WINDOW = timedelta(days=92)  # about three months of past events stay in a feed
SESSION_LENGTH = timedelta(hours=1)  # an accompaniment session without a recorded duration
REFRESH = "PT1H"  # how often calendars are asked to fetch the feed again
TOKEN_BYTES = 32
_DUMMY = secrets.token_urlsafe(TOKEN_BYTES)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def feed_path(feed: CalendarFeed) -> str:
    """The path of the feed's URL (after PUBLIC_URL)."""
    return f"/agenda/{feed.id}/{feed.token}.ics"


async def _get_or_create(
    session: AsyncSession, guild_id: int, scope: str, member_id: int | None, *, rotate: bool
) -> CalendarFeed:
    await guilds_service.ensure_guild(session, guild_id)
    query = (
        select(CalendarFeed)
        .where(
            CalendarFeed.guild_id == guild_id,
            CalendarFeed.scope == scope,
            CalendarFeed.member_id.is_(None) if member_id is None else CalendarFeed.member_id == member_id,
        )
        .order_by(CalendarFeed.id)
        .limit(1)
    )
    feed = await session.scalar(query)
    if feed is None:  # two first clicks at once: one row (the unique key), the same link
        values = {"guild_id": guild_id, "scope": scope, "member_id": member_id, "token": new_token()}
        await insert_ignore(session, CalendarFeed, values, ("guild_id", "scope", "member_id"))
        feed = await session.scalar(query)
        assert feed is not None
    elif rotate:
        feed.token = new_token()
    await session.flush()
    return feed


async def guild_feed(session: AsyncSession, guild_id: int, *, rotate: bool = False) -> CalendarFeed:
    """The server's feed; `rotate` gives it a new token (the old link stops working)."""
    return await _get_or_create(session, guild_id, GUILD_FEED, None, rotate=rotate)


async def member_feed(session: AsyncSession, guild_id: int, discord_id: int) -> CalendarFeed:
    """The member's feed (they need a profile: registrations hang off it)."""
    member = await members_service.require_profile(session, guild_id, discord_id)
    return await _get_or_create(session, guild_id, MEMBER_FEED, member.id, rotate=False)


async def resolve(session: AsyncSession, feed_id: int, token: str) -> CalendarFeed | None:
    """The feed for this id and token, or None. The token is compared in constant time (an
    unknown id is compared against a random token, so both refusals cost the same)."""
    feed = await session.get(CalendarFeed, feed_id)
    expected = feed.token if feed is not None else _DUMMY
    matches = hmac.compare_digest(expected.encode(), token.encode())
    return feed if feed is not None and matches else None


# -- contents ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionItem:
    """An accompaniment session as a calendar item (plain values; texts come from the caller)."""

    request_id: int
    guild_id: int
    number: int
    kind: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool
    sequence: int
    changed_at: datetime

    @property
    def uid(self) -> str:
        return f"pdn-request-{self.guild_id}-{self.request_id}@promeneurs-du-net"


@dataclass(frozen=True)
class FeedContent:
    feed: CalendarFeed
    events: list[Event]
    sessions: list[SessionItem]
    member: Member | None


async def _guild_events(session: AsyncSession, guild_id: int, since: datetime) -> list[Event]:
    return list(
        await session.scalars(
            select(Event).where(Event.guild_id == guild_id, Event.ends_at >= since).order_by(Event.starts_at, Event.id)
        )
    )


async def _member_events(session: AsyncSession, member: Member, since: datetime) -> list[Event]:
    return list(
        await session.scalars(
            select(Event)
            .join(EventRegistration, EventRegistration.event_id == Event.id)
            .where(
                EventRegistration.member_id == member.id,
                EventRegistration.status.in_((REGISTERED, WALK_IN)),
                Event.ends_at >= since,
            )
            .order_by(Event.starts_at, Event.id)
        )
    )


async def _member_sessions(session: AsyncSession, member: Member, since: datetime) -> list[SessionItem]:
    """Sessions the member asked for, or leads as the coordinator who claimed the request."""
    mine = [AccompanimentRequest.requester_member_id == member.id]
    if member.discord_id is not None:
        mine.append(AccompanimentRequest.claimed_by_discord_id == member.discord_id)
    requests = list(
        await session.scalars(
            select(AccompanimentRequest)
            .where(
                AccompanimentRequest.guild_id == member.guild_id,
                AccompanimentRequest.scheduled_at.is_not(None),
                AccompanimentRequest.scheduled_at >= since,
                or_(*mine),
            )
            .order_by(AccompanimentRequest.scheduled_at, AccompanimentRequest.id)
        )
    )
    history = (
        {
            request_id: (changes, last)
            for request_id, changes, last in await session.execute(
                select(RequestEvent.request_id, func.count(RequestEvent.id), func.max(RequestEvent.at))
                .where(RequestEvent.request_id.in_([r.id for r in requests]))
                .group_by(RequestEvent.request_id)
            )
        }
        if requests
        else {}
    )
    rows = [(r, *history.get(r.id, (0, None))) for r in requests]
    items = []
    for request, changes, last in rows:
        length = timedelta(minutes=request.duration_minutes) if request.duration_minutes else SESSION_LENGTH
        changed = last if isinstance(last, datetime) else request.created_at
        if changed.tzinfo is None:  # an aggregate read back from SQLite is naive UTC
            changed = changed.replace(tzinfo=request.created_at.tzinfo)
        items.append(
            SessionItem(
                request_id=request.id,
                guild_id=request.guild_id,
                number=request.number,
                kind=request.kind,
                starts_at=request.scheduled_at,
                ends_at=request.scheduled_at + length,
                cancelled=request.status == CANCELLED,
                sequence=int(changes or 0),
                changed_at=changed,
            )
        )
    return items


async def feed_content(session: AsyncSession, feed: CalendarFeed, *, now: datetime) -> FeedContent:
    since = now - PAST_WINDOW
    if feed.member_id is None:
        return FeedContent(feed, await _guild_events(session, feed.guild_id, since), [], None)
    member = await session.get(Member, feed.member_id)
    if member is None or member.anonymised_at is not None:
        return FeedContent(feed, [], [], member)
    return FeedContent(
        feed,
        await _member_events(session, member, since),
        await _member_sessions(session, member, since),
        member,
    )


def session_vevent(item: SessionItem, *, summary: str, description: str) -> IcsEvent:
    from icalendar import Event as IcsEvent  # ~8 MB: on the first feed, not at start (issue 18)

    vevent = IcsEvent()
    vevent.add("uid", item.uid)
    vevent.add("dtstamp", item.changed_at)
    vevent.add("dtstart", item.starts_at)
    vevent.add("dtend", item.ends_at)
    vevent.add("summary", summary)
    vevent.add("description", description)
    vevent.add("sequence", item.sequence)
    vevent.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    return vevent


def build_feed(
    name: str,
    events: Iterable[Event],
    *,
    guild_name: str | None = None,
    extra: Iterable[IcsEvent] = (),
) -> bytes:
    """One VCALENDAR holding a VEVENT per event (the attachments' builder) and `extra` items."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", events_ics.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for event in events:
        calendar.add_component(events_ics.vevent(event, stamp=event.updated_at, guild_name=guild_name))
    for item in extra:
        calendar.add_component(item)
    return calendar.to_ical()


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


# -- privacy -----------------------------------------------------------------------------


async def export_member(session: AsyncSession, member: Member) -> dict[str, Any] | None:
    feed = await session.scalar(select(CalendarFeed).where(CalendarFeed.member_id == member.id))
    return {"lien_cree_le": feed.created_at.isoformat()} if feed else None


async def anonymise_member(session: AsyncSession, member: Member, now: datetime) -> None:
    """The member's link stops working: their feed token is deleted."""
    await session.execute(delete(CalendarFeed).where(CalendarFeed.member_id == member.id))
