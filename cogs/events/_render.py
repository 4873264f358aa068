"""Embeds and files of an event (announcement, listings)."""

from __future__ import annotations

import io
from datetime import datetime

import discord

from bot.dates import format_day, format_short_day, format_time, format_when
from bot.db.models.events import Event
from bot.services.events import ics as events_ics
from bot.services.events.rules import AUDIENCE_LABELS, FORMAT_LABELS, TYPE_LABELS, local_date
from cogs.events import _series_texts as S
from cogs.events import _texts as T

COLOURS = {
    "welcome_meeting": discord.Colour.green(),
    "onboarding_training": discord.Colour.blue(),
    "thematic_training": discord.Colour.blurple(),
    "practice_exchange": discord.Colour.teal(),
    "practice_review": discord.Colour.purple(),
    "conference": discord.Colour.gold(),
    "other": discord.Colour.light_grey(),
}


def count_line(event: Event, registered: int, waitlisted: int) -> str:
    """ "12/20 inscrits · 3 en liste d'attente"."""
    if event.capacity:
        line = T.COUNT_LIMITED.format(registered=registered, capacity=event.capacity)
        if waitlisted:
            line += T.COUNT_WAITLIST.format(waitlisted=waitlisted)
        elif registered >= event.capacity:
            line += T.COUNT_FULL
        return line
    return T.COUNT_UNLIMITED.format(registered=registered)


def duration_text(days: float) -> str:
    if days == 0.5:
        return T.DAYS_HALF
    if days == 1:
        return T.DAYS_ONE
    return T.DAYS_MANY.format(days=f"{days:g}".replace(".", ","))


def when_text(event: Event) -> str:
    if local_date(event.starts_at) == local_date(event.ends_at):
        return T.FIELD_WHEN_SAME_DAY.format(
            day=format_day(event.starts_at).capitalize(),
            start=format_time(event.starts_at),
            end=format_time(event.ends_at),
        )
    return T.FIELD_WHEN_VALUE.format(start=format_when(event.starts_at).capitalize(), end=format_when(event.ends_at))


def territory_text(event: Event, names: dict[str, str]) -> str:
    if event.territory_code is None:
        return T.SHARED
    return f"{event.territory_code} {names.get(event.territory_code, '')}".strip()


def event_embed(
    event: Event,
    registered: int,
    waitlisted: int,
    territory_names: dict[str, str],
    *,
    series: str | None = None,
) -> discord.Embed:
    """The announcement's embed; `series`: the French rule of its series, if it has one."""
    cancelled = event.cancelled_at is not None
    title = T.CANCELLED_TITLE.format(title=event.title) if cancelled else event.title
    embed = discord.Embed(
        title=title[:256],
        description=event.description,
        colour=discord.Colour.dark_grey() if cancelled else COLOURS.get(event.type),
    )
    embed.set_author(name=TYPE_LABELS.get(event.type, event.type))
    if cancelled:
        embed.description = T.CANCELLED_NOTE + ("\n\n" + event.description if event.description else "")
    embed.add_field(name=T.FIELD_WHEN, value=when_text(event), inline=False)
    if series:
        embed.add_field(name=S.SERIES_FIELD, value=series[:1024], inline=False)
    embed.add_field(name=T.FIELD_DURATION, value=duration_text(event.duration_days))
    embed.add_field(name=T.FIELD_FORMAT, value=FORMAT_LABELS.get(event.format, event.format))
    embed.add_field(name=T.FIELD_TERRITORY, value=territory_text(event, territory_names))
    if event.place:
        embed.add_field(name=T.FIELD_PLACE, value=event.place[:1024], inline=False)
    if event.link:
        embed.add_field(name=T.FIELD_LINK, value=event.link[:1024], inline=False)
    embed.add_field(name=T.FIELD_AUDIENCE, value=AUDIENCE_LABELS.get(event.audience, event.audience))
    if event.registration_deadline:
        embed.add_field(name=T.FIELD_DEADLINE, value=format_when(event.registration_deadline))
    count = count_line(event, registered, waitlisted)
    if event.capacity and not event.waitlist_enabled:
        count += f" ({T.NO_WAITLIST})"
    embed.add_field(name=T.FIELD_REGISTRATIONS, value=count, inline=False)
    embed.set_footer(text=T.FOOTER)
    return embed


def ics_file(event: Event, *, now: datetime, guild_name: str | None = None) -> discord.File:
    data = events_ics.ics_bytes(event, now=now, guild_name=guild_name)
    return discord.File(io.BytesIO(data), filename=events_ics.filename(event))


def choice_name(event: Event, *, waitlist: bool = False, attendance_taken: bool = False) -> str:
    """An autocomplete choice: "Title · 22/06/2027", always within 100 characters;
    "✅ Title · 22/06/2027 · présences saisies" once attendance is taken."""
    template = T.CHOICE_WAITLIST if waitlist else T.CHOICE_TAKEN if attendance_taken else T.CHOICE
    day = format_short_day(local_date(event.starts_at))
    room = 100 - len(template.format(title="", day=day))
    title = event.title if len(event.title) <= room else event.title[: room - 1] + "…"
    return template.format(title=title, day=day)


def _names(members: list, limit: int = 1024) -> str:
    if not members:
        return T.REGISTRANTS_NONE
    lines: list[str] = []
    for i, member in enumerate(members, start=1):
        line = f"{i}. {member.display_name}"
        if sum(len(x) + 1 for x in lines) + len(line) + 30 > limit:
            lines.append(T.REGISTRANTS_MORE.format(count=len(members) - i + 1))
            break
        lines.append(line)
    return "\n".join(lines)


def registrants_embed(event: Event, registered: list, waitlisted: list) -> discord.Embed:
    """The coordinator's list before the day: who comes, who waits, in order."""
    embed = discord.Embed(
        title=T.REGISTRANTS_TITLE.format(title=event.title)[:256],
        description=count_line(event, len(registered), len(waitlisted)),
        colour=discord.Colour.teal(),
    )
    embed.add_field(name=T.REGISTRANTS_REGISTERED.format(count=len(registered)), value=_names(registered), inline=False)
    if waitlisted or (event.capacity and event.waitlist_enabled):
        embed.add_field(
            name=T.REGISTRANTS_WAITLIST.format(count=len(waitlisted)), value=_names(waitlisted), inline=False
        )
    embed.set_footer(text=T.REGISTRANTS_FOOTER.format(when=format_when(event.starts_at)))
    return embed
