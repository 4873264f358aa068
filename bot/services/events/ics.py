"""The calendar file (.ics, RFC 5545) of an event, built with `icalendar`.

No METHOD property: METHOD makes the file an iTIP message (RFC 5546), and iTIP's PUBLISH and
CANCEL require an ORGANIZER, a calendar address (mailto:) that replies and updates would go
to. The bot has none, and inventing one would send people's calendar replies nowhere. A file
without METHOD is a plain iCalendar object that calendars import (RFC 5545 §3.7.2); the
event's state travels in the event itself: STATUS (CONFIRMED / CANCELLED) and a SEQUENCE that
grows with every change, under a stable UID, so that an import replaces the older copy.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.db.models.events import Event
from bot.services.events.rules import TYPE_LABELS

if TYPE_CHECKING:
    from icalendar import Event as IcsEvent

# icalendar (~8 MB) is imported by the first .ics built, not at start (issue 18).

PRODID = "-//Promeneurs du Net//Bot Discord//FR"


def filename(event: Event) -> str:
    return f"evenement-{event.id}.ics"


def ics_bytes(event: Event, *, now: datetime, guild_name: str | None = None) -> bytes:
    """One VEVENT; times in UTC; a cancelled event is marked CANCELLED; SEQUENCE follows
    the last change (seconds since creation) so calendars replace the old copy."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(vevent(event, stamp=now, guild_name=guild_name))
    return calendar.to_ical()


def uid(event: Event) -> str:
    return f"pdn-event-{event.guild_id}-{event.id}@promeneurs-du-net"


def vevent(event: Event, *, stamp: datetime, guild_name: str | None = None) -> IcsEvent:
    """The event's VEVENT, shared by the attachment and the subscription feeds (same UID,
    SEQUENCE and STATUS). `stamp` is the DTSTAMP: the file's creation for an attachment, the
    last change for a feed (so that an unchanged feed stays byte for byte the same)."""
    from icalendar import Event as IcsEvent

    item = IcsEvent()
    item.add("uid", uid(event))
    item.add("dtstamp", stamp)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    changed = (event.updated_at - event.created_at) if event.updated_at and event.created_at else None
    item.add("sequence", max(0, int(changed.total_seconds())) if changed else 0)
    description = [TYPE_LABELS.get(event.type, "")]
    if event.description:
        description.append(event.description)
    if event.link:
        description.append(event.link)
    item.add("description", "\n\n".join(d for d in description if d))
    location = event.place or event.link
    if location:
        item.add("location", location)
    if event.link:
        item.add("url", event.link)
    if guild_name:
        item.add("categories", [guild_name])
    item.add("status", "CANCELLED" if event.cancelled_at else "CONFIRMED")
    return item
