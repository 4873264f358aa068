"""Embeds and button rows of a request."""

from __future__ import annotations

import discord

from bot.dates import format_day, format_short_day, format_when
from bot.db.models.requests import (
    CANCELLED,
    CLAIMED,
    DONE,
    OFFLINE,
    OPEN,
    SCHEDULED,
    TEAM,
    AccompanimentRequest,
    RequestEvent,
)
from bot.services.members import strand_label
from bot.services.requests.labels import kind_label, mode_label, status_label
from bot.services.requests.queries import RequestView
from bot.ui.views import RoutedView
from cogs.requests import _texts as T
from cogs.requests._views import RequestButton

COLOURS = {
    OPEN: discord.Colour.gold(),
    CLAIMED: discord.Colour.blue(),
    SCHEDULED: discord.Colour.purple(),
    DONE: discord.Colour.green(),
    CANCELLED: discord.Colour.light_grey(),
}
MAX_HISTORY = 15


def format_duration(minutes: int | None) -> str:
    """45 → « 45 min », 90 → « 1 h 30 »."""
    if not minutes:
        return "—"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest:02d}" if rest else "")


def status_text(status: str) -> str:
    return f"{T.STATUS_EMOJI.get(status, '')} {status_label(status)}".strip()


def request_embed(item: RequestView, *, events: list[RequestEvent] | None = None) -> discord.Embed:
    request = item.request
    title = (
        T.EMBED_TITLE.format(number=request.number, subject=request.subject)
        if request.subject
        else T.EMBED_TITLE_NO_SUBJECT.format(number=request.number)
    )
    embed = discord.Embed(title=title[:256], colour=COLOURS.get(request.status))
    if request.purged_at is not None:
        embed.description = T.PURGED
    elif request.details:
        embed.description = request.details[:4000]
    embed.add_field(name=T.FIELD_STATUS, value=status_text(request.status))
    embed.add_field(name=T.FIELD_KIND, value=kind_label(request.kind))
    embed.add_field(name=T.FIELD_MODE, value=mode_label(request.mode))
    embed.add_field(name=T.FIELD_REQUESTER, value=item.requester_name or T.EMPTY)
    embed.add_field(
        name=T.FIELD_TERRITORY,
        value=f"{request.territory_code or T.EMPTY} · {strand_label(request.strand)}",
    )
    if request.availability:
        embed.add_field(name=T.FIELD_AVAILABILITY, value=request.availability[:1024])
    if request.claimed_by_name:
        embed.add_field(name=T.FIELD_CLAIMED, value=request.claimed_by_name)
    if request.scheduled_at and request.status in (SCHEDULED, DONE):
        embed.add_field(name=T.FIELD_SCHEDULED, value=format_when(request.scheduled_at))
    if request.source == OFFLINE:
        embed.add_field(name=T.FIELD_SOURCE, value=T.SOURCE_OFFLINE, inline=False)
    if request.outcome:
        embed.add_field(name=T.FIELD_OUTCOME, value=request.outcome[:1024], inline=False)
    if request.duration_minutes:
        embed.add_field(name=T.FIELD_DURATION, value=format_duration(request.duration_minutes))
    if request.people_reached:
        embed.add_field(name=T.FIELD_PEOPLE, value=str(request.people_reached))
    if request.rating:
        embed.add_field(name=T.FIELD_RATING, value="★" * request.rating + "☆" * (5 - request.rating))
    if events:
        lines = [history_line(e) for e in events[-MAX_HISTORY:]]
        value = "\n".join(lines)
        while len(value) > 1024 and lines:
            lines.pop(0)
            value = "\n".join(lines)
        embed.add_field(name=T.FIELD_HISTORY, value=value or T.EMPTY, inline=False)
    embed.set_footer(text=T.FOOTER.format(day=format_day(request.created_at)))
    return embed


def history_line(event: RequestEvent) -> str:
    return T.HISTORY_LINE.format(
        day=format_short_day(event.at.date()) + " " + format_when(event.at).rsplit(" à ", 1)[1],
        actor=event.actor_name or T.SYSTEM_ACTOR,
        action=T.HISTORY_ACTIONS.get(event.action, event.action),
        detail=f" ({event.detail})" if event.detail else "",
    )


def actions_for(request: AccompanimentRequest) -> list[str]:
    if request.status == OPEN:
        return ["claim", "cancel"]
    if request.status in (CLAIMED, SCHEDULED):
        return ["schedule", "close", "cancel"]
    if request.source == OFFLINE:
        return []
    return ["reopen"]


def request_view(request: AccompanimentRequest, actions: list[str] | None = None) -> discord.ui.View:
    view = RoutedView()
    for action in actions if actions is not None else actions_for(request):
        view.add_item(RequestButton(action, request.id))
    return view


def rating_view(request: AccompanimentRequest, *, rated: int | None = None) -> discord.ui.View:
    """The five rating buttons; once rated, disabled with the chosen one highlighted."""
    view = RoutedView()
    for n in range(1, 6):
        view.add_item(RequestButton(f"rate{n}", request.id, chosen=n == rated, disabled=rated is not None))
    return view


def confirm_cancel_view(request: AccompanimentRequest) -> discord.ui.View:
    view = RoutedView()
    view.add_item(RequestButton("cancelok", request.id))
    view.add_item(RequestButton("keep", request.id))
    return view


def wants_people(request: AccompanimentRequest) -> bool:
    return request.kind == TEAM
