"""The values of the event creation form: the templates, and the draft's typed values read
into an `EventDraft` (the service does the one validation)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from discord import app_commands

from bot.dates import parse_datetime
from bot.db.models.events import ALL, IN_PERSON, ONBOARDING_TRAINING, PRACTICE_REVIEW
from bot.errors import ValidationError
from bot.parsing import parse_int
from bot.services.events import lifecycle as events_service
from bot.services.events import rules as event_rules
from bot.services.events.rules import EventDraft
from cogs.events import _create_texts as C
from cogs.events._inputs import parse_deadline, parse_end

if TYPE_CHECKING:
    from bot.app import PdnBot

DEFAULT_MINUTES = 120
SHARED = "commun"
TEMPLATES: dict[str, dict[str, Any]] = {
    "analyse": {
        "title": C.TEMPLATE_PRACTICE_REVIEW,
        "description": C.TEMPLATE_PRACTICE_REVIEW_TEXT,
        "type": PRACTICE_REVIEW,
        "format": IN_PERSON,
        "minutes": 150,
    },
    "formation": {
        "title": C.TEMPLATE_ONBOARDING,
        "description": C.TEMPLATE_ONBOARDING_TEXT,
        "type": ONBOARDING_TRAINING,
        "format": IN_PERSON,
        "minutes": 420,
    },
}
TEMPLATE_CHOICES = [
    app_commands.Choice(name=C.TEMPLATE_PRACTICE_REVIEW, value="analyse"),
    app_commands.Choice(name=C.TEMPLATE_ONBOARDING, value="formation"),
]
_URL = re.compile(r"https?://\S+")


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return (
        C.DURATION_HOURS_MINUTES.format(hours=hours, minutes=f"{rest:02d}")
        if rest
        else C.DURATION_HOURS.format(hours=hours)
    )


def split_where(value: str) -> tuple[str | None, str | None]:
    """ "Centre social, Riom · https://visio…" → (place, link)."""
    link = _URL.search(value or "")
    place = _URL.sub("", value or "").strip(" ·,;-\n") or None
    return place, link.group(0) if link else None


def build_draft(values: dict[str, Any], *, need_choices: bool) -> EventDraft:
    """The service's draft from the stored values (texts parsed as French dates)."""
    if need_choices and not (values.get("type") and values.get("format")):
        raise ValidationError(C.ERR_PICK)
    starts_at = parse_datetime(values.get("start") or "")
    end = (values.get("end") or "").strip()
    ends_at = (
        parse_end(end, starts_at) if end else starts_at + timedelta(minutes=values.get("minutes") or DEFAULT_MINUTES)
    )
    place, link = split_where(values.get("where") or "")
    event_rules.clean_link(link)
    capacity = values.get("capacity") or ""
    return EventDraft(
        title=values.get("title") or "",
        type=values.get("type") or "other",
        starts_at=starts_at,
        ends_at=ends_at,
        format=values.get("format") or IN_PERSON,
        place=place,
        link=link,
        territory=values.get("territory") or None,
        capacity=parse_int(capacity, minimum=1, maximum=10_000, error=C.ERR_CAPACITY) if capacity.strip() else None,
        waitlist_enabled=(values.get("waitlist") or "oui").strip().casefold() not in ("non", "no", "n"),
        registration_deadline=parse_deadline(values["deadline"]) if (values.get("deadline") or "").strip() else None,
        audience=values.get("audience") or ALL,
        description=values.get("description") or None,
        reminders=values.get("reminders") or None,
    )


async def choices_of(bot: PdnBot, guild_id: int, source: str) -> dict[str, Any]:
    """The choices a new draft starts with: a template's, or the copied event's."""
    if source in TEMPLATES:
        return {k: TEMPLATES[source][k] for k in ("type", "format", "minutes")}
    if source.isdigit():
        async with bot.db.transaction() as session:
            event = await events_service.get_event(session, guild_id, int(source))
        return {
            "type": event.type,
            "format": event.format,
            "territory": event.territory_code or SHARED,
            "audience": event.audience,
            "capacity": str(event.capacity or ""),
            "reminders": event.reminder_hours or "aucun",
            "waitlist": "oui" if event.waitlist_enabled else "non",
            "minutes": int((event.ends_at - event.starts_at).total_seconds() // 60),
        }
    return {}
