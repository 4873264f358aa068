"""What the requests sweep owes people: session reminders (requester and the person who
follows the request), the passed-session prompt and the daily nudge of the coordination,
queued as durable notifications (guarantee in `bot.services.notifications`: at least once,
deduplicated by reference).

Reminders go by DM first, then as a mention in the request's thread (or the requests
channel when the thread is missing), then the coordination is told. The passed-session
prompt and the nudge are posts for the coordination: they go to the thread or the channel,
then, if that fails for good, to the coordination's alert.
"""

from __future__ import annotations

from datetime import datetime

from bot.dates import format_when
from bot.db.models.requests import AccompanimentRequest
from bot.services.notifications import NewNotification
from bot.services.requests import jobs
from bot.services.requests.labels import kind_label
from cogs.requests import _texts as T

REMINDER, PASSED, NUDGE = "request_reminder", "request_passed", "request_nudge"
NUDGE_MAX = 1900


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def reminders(due: jobs.Due, channel_id: int | None) -> list[NewNotification]:
    """One reminder per person (requester, the coordinator following it)."""
    request = due.request
    scheduled = request.scheduled_at
    assert scheduled is not None
    full = format_when(scheduled)
    if due.which == jobs.DAY_BEFORE:
        when = f"à {full.split(' à ', 1)[1]}" if " à " in full else full
        dm, post = T.REMINDER_DM_DAY, T.REMINDER_DAY
    else:
        when, dm, post = full, T.REMINDER_DM_HOUR, T.REMINDER_HOUR
    thread = T.REMINDER_DM_THREAD.format(thread=request.thread_id) if request.thread_id else ""
    people = dict.fromkeys(p for p in (due.requester_discord_id, request.claimed_by_discord_id) if p)
    return [
        NewNotification(
            kind=REMINDER,
            ref=f"{REMINDER}:{request.id}:{_stamp(scheduled)}:{due.which}:{person}",
            recipient_id=person,
            dm_text=dm.format(number=request.number, when=when, thread=thread),
            channel_id=request.thread_id or channel_id,
            channel_text=post.format(people=f"<@{person}>", number=request.number, when=when),
            alert_text=T.ALERT_REMINDER.format(number=request.number, when=full, mention=f"<@{person}>"),
            expires_at=scheduled,
        )
        for person in people
    ]


def passed(request: AccompanimentRequest, channel_id: int | None) -> NewNotification:
    """The session is over and the request still open: ask the coordinator to close it."""
    scheduled = request.scheduled_at
    assert scheduled is not None  # a passed session was scheduled
    when = format_when(scheduled)
    people = f"<@{request.claimed_by_discord_id}>" if request.claimed_by_discord_id else ""
    template = T.PASSED_PROMPT if request.thread_id else T.PASSED_PROMPT_CHANNEL
    return NewNotification(
        kind=PASSED,
        ref=f"{PASSED}:{request.id}:{_stamp(scheduled)}",
        recipient_id=request.claimed_by_discord_id,
        channel_id=request.thread_id or channel_id,
        channel_text=template.format(people=people, when=when, number=request.number).strip(),
        alert_text=T.ALERT_PASSED.format(number=request.number, when=when),
    )


def nudge(found: jobs.GuildNudge, *, now: datetime, day: str) -> NewNotification | None:
    """The day's nudge of the coordination (one per server and day)."""
    settings = found.settings
    channel_id = settings.requests_channel_id or settings.recaps_channel_id
    if channel_id is None:
        return None
    role_id = settings.coordination_role_id
    lines = [
        T.NUDGE_LINE.format(
            number=r.number,
            kind=kind_label(r.kind),
            territory=r.territory_code or T.EMPTY,
            age=(now - r.created_at).days,
            link=f" · <#{r.thread_id}>" if r.thread_id else "",
        )
        for r in found.requests
    ]
    head = T.NUDGE_TITLE.format(role=f"<@&{role_id}> " if role_id else "", days=found.days)
    body = "\n".join(lines)
    if len(head) + len(body) + len(T.NUDGE_FOOTER) > NUDGE_MAX:
        body = body[: NUDGE_MAX - len(head) - len(T.NUDGE_FOOTER)].rsplit("\n", 1)[0] + "\n…"
    numbers = ", ".join(f"n°{r.number}" for r in found.requests[:20])
    return NewNotification(
        kind=NUDGE,
        ref=f"{NUDGE}:{settings.guild_id}:{day}",
        role_id=role_id,
        channel_id=channel_id,
        channel_text=f"{head}\n{body}\n-# {T.NUDGE_FOOTER}",
        alert_text=T.ALERT_NUDGE.format(numbers=numbers),
    )
