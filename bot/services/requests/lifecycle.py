"""Accompaniment requests: a Promeneur asks for help, the coordination follows it to its end.

The status machine (an impossible transition is refused with a French message, never
silently applied):

    open ──claim──▶ claimed ──schedule──▶ scheduled (schedule again = reschedule)
    claimed | scheduled ──close──▶ done
    open | claimed | scheduled ──cancel──▶ cancelled
    done | cancelled ──reopen (within 30 days)──▶ open

Who may act: the coordination may do everything; the requester may close, cancel and
reopen their own request and rate it once it is done; nobody else may see or touch it.

Every change writes a `RequestEvent` (who, what, when) for `/accompagnement voir`.
Functions that read then write are marked `@requires_lock`; the claim is one
conditional UPDATE (`... WHERE status = 'open'`), so two coordinators clicking together
get exactly one winner, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import today as paris_day
from bot.dates import format_short_day, format_when, localize
from bot.db.models import Member, MemberPeriod
from bot.db.models.requests import (
    CANCELLED,
    CLAIMED,
    DISCORD,
    DONE,
    OFFLINE,
    OPEN,
    SCHEDULED,
    AccompanimentRequest,
    RequestEvent,
)
from bot.db.session import requires_lock
from bot.errors import ConflictError, ValidationError
from bot.services import members as members_service
from bot.services.guilds import next_number
from bot.services.requests.parsing import MAX_AVAILABILITY, MAX_DETAILS, MAX_OUTCOME, MAX_SUBJECT, check_kind_mode
from bot.services.requests.queries import by_id, requester_of
from bot.services.requests.rules import ERR_ALREADY_CLAIMED, Actor, check, require_coordination
from bot.text import clean_text

SEQUENCE = "request"
REOPEN_WITHIN = timedelta(days=30)

# Event actions (history)
EV_CREATED, EV_RECORDED, EV_CLAIMED, EV_SCHEDULED = "created", "recorded", "claimed", "scheduled"
EV_DONE, EV_CANCELLED, EV_REOPENED, EV_RATED = "done", "cancelled", "reopened", "rated"
EV_PURGED = "purged"

ERR_REOPEN_LATE = (
    "La demande n°{number} est close depuis plus de 30 jours\u00a0: faites une nouvelle demande "
    "avec /accompagnement demander."
)
ERR_REOPEN_OFFLINE = "Une aide enregistrée hors Discord ne se rouvre pas\u00a0: enregistrez-en une nouvelle."
ERR_PAST = "Le {when} est déjà passé\u00a0: choisissez une date et une heure à venir."
ERR_FUTURE_DAY = "La date {day} est dans le futur\u00a0: enregistrez une aide déjà donnée."
ERR_CLOSE_BEFORE_REQUEST = (
    "La date de l'accompagnement ({day}) précède la demande (faite le {created}) : indiquez "
    "le jour où l'aide a été donnée."
)
ERR_RATING = "La note va de 1 à 5."


def period_at(member: Member, day: date) -> MemberPeriod | None:
    for period in member.periods:
        if period.valid_from <= day and (period.valid_to is None or period.valid_to > day):
            return period
    return member.current_period


def _event(
    request: AccompanimentRequest, action: str, actor: Actor | None, at: datetime, detail: str | None = None
) -> RequestEvent:
    return RequestEvent(
        guild_id=request.guild_id,
        request_id=request.id,
        at=at,
        action=action,
        actor_discord_id=actor.discord_id if actor else None,
        actor_name=actor.name[:100] if actor else None,
        detail=detail[:200] if detail else None,
    )


# -- creation -----------------------------------------------------------------------------


@requires_lock
async def create_request(
    session: AsyncSession,
    guild_id: int,
    requester_discord_id: int,
    *,
    kind: str,
    mode: str | None,
    subject: str | None,
    details: str | None,
    availability: str | None,
    actor_name: str,
    now: datetime,
) -> AccompanimentRequest:
    """A Promeneur's request (it takes the server's next request number)."""
    member = await members_service.require_profile(session, guild_id, requester_discord_id)
    check_kind_mode(kind, mode)
    subject = clean_text(subject, "Le sujet", MAX_SUBJECT, required=True)
    details = clean_text(details, "La description du besoin", MAX_DETAILS, required=True, multiline=True)
    availability = clean_text(availability, "Les disponibilités", MAX_AVAILABILITY)
    period = member.current_period
    request = AccompanimentRequest(
        guild_id=guild_id,
        number=await next_number(session, guild_id, SEQUENCE),
        requester_member_id=member.id,
        kind=kind,
        mode=mode,
        territory_code=period.territory_code if period else None,
        strand=period.strand if period else None,
        status=OPEN,
        source=DISCORD,
        subject=subject,
        details=details,
        availability=availability,
        created_at=now,
        reminded_day_before=False,
        reminded_hour_before=False,
        overdue_prompted=False,
        thread_attempts=0,
    )
    session.add(request)
    await session.flush()
    session.add(_event(request, EV_CREATED, Actor(requester_discord_id, actor_name, False), now))
    await session.flush()
    return request


@requires_lock
async def record_offline(
    session: AsyncSession,
    guild_id: int,
    member_id: int,
    *,
    kind: str,
    mode: str | None,
    day: date,
    outcome: str | None,
    duration_minutes: int | None,
    people_reached: int | None,
    actor: Actor,
    today: date,
    now: datetime,
) -> AccompanimentRequest:
    """Help given outside Discord (phone, on site), recorded by the coordination as done on
    `day`, so that it counts like the others."""
    require_coordination(actor, "enregistrer")
    member = await members_service.get(session, guild_id, member_id)
    check_kind_mode(kind, mode)
    if day > today:
        raise ValidationError(ERR_FUTURE_DAY.format(day=format_short_day(day)))
    outcome = clean_text(outcome, "La note de résultat", MAX_OUTCOME, required=True, multiline=True)
    at = localize(datetime.combine(day, time(12, 0)))
    period = period_at(member, day)
    request = AccompanimentRequest(
        guild_id=guild_id,
        number=await next_number(session, guild_id, SEQUENCE),
        requester_member_id=member.id,
        kind=kind,
        mode=mode,
        territory_code=period.territory_code if period else None,
        strand=period.strand if period else None,
        status=DONE,
        source=OFFLINE,
        outcome=outcome,
        claimed_by_discord_id=actor.discord_id,
        claimed_by_name=actor.name[:100],
        created_at=at,
        first_response_at=at,
        closed_at=at,
        duration_minutes=duration_minutes,
        people_reached=people_reached,
        reminded_day_before=False,
        reminded_hour_before=False,
        overdue_prompted=False,
        thread_attempts=0,
    )
    session.add(request)
    await session.flush()
    session.add(_event(request, EV_RECORDED, actor, now, format_short_day(day)))
    await session.flush()
    return request


# -- transitions -------------------------------------------------------------------------------


async def _locked(
    session: AsyncSession, guild_id: int, request_id: int, action: str, actor: Actor
) -> tuple[AccompanimentRequest, int | None]:
    request = await by_id(session, guild_id, request_id, for_update=True)
    requester = await requester_of(session, request)
    requester_id = requester.discord_id if requester else None
    check(request, action, actor, requester_id)
    return request, requester_id


async def check_action(
    session: AsyncSession, guild_id: int, request_id: int, action: str, actor: Actor
) -> AccompanimentRequest:
    """Refuse early (before a modal is shown) what would be refused on submit."""
    request = await by_id(session, guild_id, request_id)
    requester = await requester_of(session, request)
    check(request, action, actor, requester.discord_id if requester else None)
    return request


@requires_lock
async def claim(
    session: AsyncSession, guild_id: int, request_id: int, actor: Actor, *, now: datetime
) -> AccompanimentRequest:
    """Take a request in charge. One conditional UPDATE: of two coordinators clicking
    together, exactly one wins; the other gets a ConflictError naming the winner."""
    request = await by_id(session, guild_id, request_id)
    requester = await requester_of(session, request)
    if request.status == OPEN:  # checks permissions only; the UPDATE decides the race
        check(request, "claim", actor, requester.discord_id if requester else None)
    result = cast(
        "CursorResult[Any]",
        await session.execute(
            update(AccompanimentRequest)
            .where(
                AccompanimentRequest.id == request_id,
                AccompanimentRequest.guild_id == guild_id,
                AccompanimentRequest.status == OPEN,
            )
            .values(
                status=CLAIMED,
                claimed_by_discord_id=actor.discord_id,
                claimed_by_name=actor.name[:100],
                first_response_at=func.coalesce(AccompanimentRequest.first_response_at, now),
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        ),
    )
    request = await by_id(session, guild_id, request_id, for_update=True)
    if result.rowcount != 1:
        check(request, "claim", actor, requester.discord_id if requester else None)
        raise ConflictError(ERR_ALREADY_CLAIMED.format(number=request.number, name=request.claimed_by_name))
    session.add(_event(request, EV_CLAIMED, actor, now))
    await session.flush()
    return request


@requires_lock
async def schedule(
    session: AsyncSession,
    guild_id: int,
    request_id: int,
    actor: Actor,
    when: datetime,
    *,
    now: datetime,
) -> AccompanimentRequest:
    """Set (or move) the session. Reminders already due are marked sent: a session set for
    tomorrow morning gets the hour-before reminder only."""
    request, _ = await _locked(session, guild_id, request_id, "schedule", actor)
    if when <= now:
        raise ValidationError(ERR_PAST.format(when=format_when(when)))
    request.status = SCHEDULED
    request.scheduled_at = when
    request.reminded_day_before = when - now <= timedelta(days=1)
    request.reminded_hour_before = when - now <= timedelta(hours=1)
    request.overdue_prompted = False
    if request.first_response_at is None:
        request.first_response_at = now
    session.add(_event(request, EV_SCHEDULED, actor, now, format_when(when)))
    await session.flush()
    return request


@requires_lock
async def close(
    session: AsyncSession,
    guild_id: int,
    request_id: int,
    actor: Actor,
    *,
    outcome: str | None,
    duration_minutes: int | None,
    people_reached: int | None,
    now: datetime,
    day: date | None = None,
) -> AccompanimentRequest:
    """Close as done, with a required outcome note. `day` is the day the help was given
    (today if None): the recap counts a request in the year of its closing date."""
    request, _ = await _locked(session, guild_id, request_id, "close", actor)
    request.outcome = clean_text(outcome, "La note de résultat", MAX_OUTCOME, required=True, multiline=True)
    closed_at = now
    if day is not None and day != paris_day(now):
        if day > paris_day(now):
            raise ValidationError(ERR_FUTURE_DAY.format(day=format_short_day(day)))
        if day < paris_day(request.created_at):
            raise ValidationError(
                ERR_CLOSE_BEFORE_REQUEST.format(
                    day=format_short_day(day), created=format_short_day(paris_day(request.created_at))
                )
            )
        # Noon that day, never before the request itself was made.
        closed_at = max(localize(datetime.combine(day, time(12, 0))), request.created_at)
    request.duration_minutes = duration_minutes
    request.people_reached = people_reached
    request.status = DONE
    request.closed_at = closed_at
    session.add(_event(request, EV_DONE, actor, now))
    await session.flush()
    return request


@requires_lock
async def cancel(
    session: AsyncSession, guild_id: int, request_id: int, actor: Actor, *, now: datetime
) -> AccompanimentRequest:
    request, _ = await _locked(session, guild_id, request_id, "cancel", actor)
    request.status = CANCELLED
    request.closed_at = now
    session.add(_event(request, EV_CANCELLED, actor, now))
    await session.flush()
    return request


@requires_lock
async def reopen(
    session: AsyncSession, guild_id: int, request_id: int, actor: Actor, *, now: datetime
) -> AccompanimentRequest:
    """Back to open within 30 days of closing; the closing figures are cleared."""
    request, _ = await _locked(session, guild_id, request_id, "reopen", actor)
    if request.source == OFFLINE:
        raise ConflictError(ERR_REOPEN_OFFLINE)
    if request.closed_at is not None and now - request.closed_at > REOPEN_WITHIN:
        raise ConflictError(ERR_REOPEN_LATE.format(number=request.number))
    request.status = OPEN
    request.closed_at = None
    request.claimed_by_discord_id = None
    request.claimed_by_name = None
    request.scheduled_at = None
    request.outcome = None
    request.duration_minutes = None
    request.people_reached = None
    request.rating = None
    request.reminded_day_before = request.reminded_hour_before = False
    request.overdue_prompted = False
    request.last_nudge_on = None
    session.add(_event(request, EV_REOPENED, actor, now))
    await session.flush()
    return request


@requires_lock
async def rate(
    session: AsyncSession, guild_id: int, request_id: int, actor: Actor, rating: int, *, now: datetime
) -> AccompanimentRequest:
    if not 1 <= rating <= 5:
        raise ValidationError(ERR_RATING)
    request, _ = await _locked(session, guild_id, request_id, "rate", actor)
    request.rating = rating
    session.add(_event(request, EV_RATED, actor, now, f"{rating}/5"))
    await session.flush()
    return request


@requires_lock
async def set_thread(
    session: AsyncSession, request_id: int, *, thread_id: int | None, message_id: int | None, failed: bool = False
) -> None:
    """Remember the request's thread and message (or one more failed attempt)."""
    request = await session.get(AccompanimentRequest, request_id)
    if request is None:
        return
    if failed:
        request.thread_attempts += 1
    else:
        request.thread_id, request.message_id = thread_id, message_id
    await session.flush()
