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
Functions that read then write expect `Database.transaction(lock=True)`; the claim is one
conditional UPDATE (`... WHERE status = 'open'`), so two coordinators clicking together
get exactly one winner, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import today as paris_day
from bot.dates import format_short_day, format_when, localize
from bot.db import changes
from bot.db.models import Member, MemberPeriod
from bot.db.models.requests import (
    ACTIVE,
    CANCELLED,
    CLAIMED,
    CLOSED,
    COANIMATION,
    DISCORD,
    DONE,
    INDIVIDUAL,
    KINDS,
    MODES,
    OFFLINE,
    ON_SITE,
    OPEN,
    PHONE,
    PROJECT,
    SCHEDULED,
    STATUSES,
    TEAM,
    VISIO,
    AccompanimentRequest,
    RequestEvent,
    RequestSettings,
)
from bot.durations import parse_minutes
from bot.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from bot.parsing import parse_int
from bot.services import members as members_service
from bot.services.guilds import ensure_guild, next_number
from bot.services.text import clean_text

KIND_LABELS = {
    INDIVIDUAL: "Aide technique individuelle",
    TEAM: "Accompagnement d'équipe",
    PROJECT: "Soutien à un projet",
    COANIMATION: "Co-animation d'une action",
}
MODE_LABELS = {PHONE: "Téléphone", VISIO: "Visio", ON_SITE: "Sur place"}
STATUS_LABELS = {
    OPEN: "Ouverte",
    CLAIMED: "Prise en charge",
    SCHEDULED: "Planifiée",
    DONE: "Terminée",
    CANCELLED: "Annulée",
}
SEQUENCE = "request"
REOPEN_WITHIN = timedelta(days=30)
DEFAULT_NUDGE_DAYS = 3
MAX_SUBJECT, MAX_DETAILS, MAX_AVAILABILITY, MAX_OUTCOME = 100, 1500, 200, 1000
MAX_DURATION_MINUTES = 24 * 60
MAX_PEOPLE = 500

# Event actions (history)
EV_CREATED, EV_RECORDED, EV_CLAIMED, EV_SCHEDULED = "created", "recorded", "claimed", "scheduled"
EV_DONE, EV_CANCELLED, EV_REOPENED, EV_RATED = "done", "cancelled", "reopened", "rated"
EV_PURGED = "purged"

ERR_KIND = "Type d'accompagnement inconnu\u00a0: choisissez parmi {labels}."
ERR_MODE = "Modalité inconnue\u00a0: choisissez téléphone, visio ou sur place."
ERR_UNKNOWN = "Aucune demande n°{number} sur ce serveur. Vérifiez le numéro avec /accompagnement liste."
ERR_NOT_YOURS = (
    "Cette demande n'est pas la vôtre\u00a0: seuls son auteur·rice et la coordination peuvent la "
    "consulter ou agir dessus."
)
ERR_COORDINATION = "Seule la coordination peut {action} une demande."
ERR_ALREADY_CLAIMED = "Trop tard\u00a0: la demande n°{number} a déjà été prise en charge par {name}."
ERR_TRANSITION = "La demande n°{number} est «\u00a0{status}\u00a0»\u00a0: impossible de {action}."
ERR_CLAIM_FIRST = (
    "La demande n°{number} n'est encore prise en charge par personne\u00a0: cliquez d'abord sur "
    "«\u00a0Prendre en charge\u00a0»."
)
ERR_REQUESTER_CLOSE_OPEN = (
    "Personne n'a encore pris en charge la demande n°{number}\u00a0: si vous n'en avez plus besoin, annulez-la plutôt."
)
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
ERR_DURATION = (
    "«\u00a0{value}\u00a0» n'est pas une durée valide\u00a0: écrivez par exemple 45 min, 1 h 30, "
    "une heure ou 90 minutes."
)
ERR_DURATION_RANGE = "La durée doit être comprise entre 1 minute et 24 heures."
ERR_PEOPLE = "Le nombre de personnes touchées doit être un nombre entier entre 1 et {max}."
ERR_RATING = "La note va de 1 à 5."
ERR_RATE_NOT_REQUESTER = "Seul·e l'auteur·rice de la demande peut noter l'accompagnement."
ERR_NUDGE_DAYS = "Le délai de relance doit être compris entre 1 et 30 jours."

ACTION_VERBS = {
    "claim": "la prendre en charge",
    "schedule": "la planifier",
    "close": "la clore",
    "cancel": "l'annuler",
    "reopen": "la rouvrir",
    "rate": "la noter",
}
COORDINATION_VERBS = {"claim": "prendre en charge", "schedule": "planifier"}
ALLOWED_FROM = {
    "claim": (OPEN,),
    "schedule": (CLAIMED, SCHEDULED),
    "close": (CLAIMED, SCHEDULED),
    "cancel": ACTIVE,
    "reopen": CLOSED,
    "rate": (DONE,),
}
COORDINATION_ONLY = {"claim", "schedule"}


@dataclass(frozen=True)
class Actor:
    """Who acts: their Discord id, display name, and whether they are the coordination."""

    discord_id: int
    name: str
    coordinator: bool


@dataclass(frozen=True)
class RequestView:
    """A request with what a reader needs around it."""

    request: AccompanimentRequest
    requester_name: str | None
    requester_discord_id: int | None


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", "—")


def mode_label(mode: str | None) -> str:
    return MODE_LABELS.get(mode or "", "—")


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def parse_duration(value: str | None) -> int | None:
    """ "90", "45 min", "1h30", "1 h 30", "1,5 h", "une heure" → minutes; empty → None."""
    if not (value or "").strip():
        return None
    minutes = parse_minutes(value or "", error=ERR_DURATION)
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(ERR_DURATION_RANGE)
    return minutes


def format_duration(minutes: int | None) -> str:
    if not minutes:
        return "—"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest:02d}" if rest else "")


def parse_people(value: str | int | None) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_int(value, minimum=1, maximum=MAX_PEOPLE, error=ERR_PEOPLE)


def _check_kind_mode(kind: str, mode: str | None) -> None:
    if kind not in KINDS:
        raise ValidationError(ERR_KIND.format(labels=", ".join(KIND_LABELS.values())))
    if mode is not None and mode not in MODES:
        raise ValidationError(ERR_MODE)


def _period_at(member: Member, day: date) -> MemberPeriod | None:
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


# -- settings ---------------------------------------------------------------------------


async def nudge_after_days(session: AsyncSession, guild_id: int) -> int:
    row = await session.get(RequestSettings, guild_id)
    return row.nudge_after_days if row else DEFAULT_NUDGE_DAYS


async def set_nudge_after_days(session: AsyncSession, guild_id: int, days: int) -> int:
    if not 1 <= days <= 30:
        raise ValidationError(ERR_NUDGE_DAYS)
    await ensure_guild(session, guild_id)
    row = await session.get(RequestSettings, guild_id)
    if row is None:
        session.add(RequestSettings(guild_id=guild_id, nudge_after_days=days))
    else:
        row.nudge_after_days = days
    await session.flush()
    return days


# -- creation -----------------------------------------------------------------------------


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
    """A Promeneur's request. Call inside `transaction(lock=True)` (it takes a number)."""
    member = await members_service.require_profile(session, guild_id, requester_discord_id)
    _check_kind_mode(kind, mode)
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
    `day`, so that it counts like the others. Call inside `transaction(lock=True)`."""
    _require_coordination(actor, "enregistrer")
    member = await members_service.get(session, guild_id, member_id)
    _check_kind_mode(kind, mode)
    if day > today:
        raise ValidationError(ERR_FUTURE_DAY.format(day=format_short_day(day)))
    outcome = clean_text(outcome, "La note de résultat", MAX_OUTCOME, required=True, multiline=True)
    at = localize(datetime.combine(day, time(12, 0)))
    period = _period_at(member, day)
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


# -- reading --------------------------------------------------------------------------------


async def _requester(session: AsyncSession, request: AccompanimentRequest) -> Member | None:
    if request.requester_member_id is None:
        return None
    return await session.get(Member, request.requester_member_id)


async def by_number(
    session: AsyncSession, guild_id: int, number: int, *, for_update: bool = False
) -> AccompanimentRequest:
    stmt = select(AccompanimentRequest).where(
        AccompanimentRequest.guild_id == guild_id, AccompanimentRequest.number == number
    )
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    request = await session.scalar(stmt)
    if request is None:
        raise NotFoundError(ERR_UNKNOWN.format(number=number))
    return request


async def by_id(
    session: AsyncSession, guild_id: int, request_id: int, *, for_update: bool = False
) -> AccompanimentRequest:
    stmt = select(AccompanimentRequest).where(
        AccompanimentRequest.guild_id == guild_id, AccompanimentRequest.id == request_id
    )
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    request = await session.scalar(stmt)
    if request is None:
        raise NotFoundError(ERR_UNKNOWN.format(number=f"#{request_id}"))
    return request


async def view(session: AsyncSession, request: AccompanimentRequest) -> RequestView:
    member = await _requester(session, request)
    return RequestView(
        request,
        member.display_name if member else None,
        member.discord_id if member else None,
    )


async def visible_view(session: AsyncSession, guild_id: int, number: int, actor: Actor) -> RequestView:
    """The request for `/accompagnement voir`: the coordination sees all, a member their own."""
    result = await view(session, await by_number(session, guild_id, number))
    if not actor.coordinator and result.requester_discord_id != actor.discord_id:
        raise PermissionDeniedError(ERR_NOT_YOURS)
    return result


async def history(session: AsyncSession, request: AccompanimentRequest) -> list[RequestEvent]:
    return list(
        (
            await session.scalars(
                select(RequestEvent)
                .where(RequestEvent.request_id == request.id)
                .order_by(RequestEvent.at, RequestEvent.id)
            )
        ).all()
    )


async def list_requests(
    session: AsyncSession,
    guild_id: int,
    actor: Actor,
    *,
    statuses: tuple[str, ...] | None = None,
    territory: str | None = None,
    limit: int = 500,
) -> list[RequestView]:
    """The coordination sees every request; a member only their own. Newest first."""
    stmt = (
        select(AccompanimentRequest, Member)
        .outerjoin(Member, Member.id == AccompanimentRequest.requester_member_id)
        .where(AccompanimentRequest.guild_id == guild_id)
        .order_by(AccompanimentRequest.number.desc())
        .limit(limit)
    )
    if not actor.coordinator:
        stmt = stmt.where(Member.discord_id == actor.discord_id)
    if statuses:
        stmt = stmt.where(AccompanimentRequest.status.in_(statuses))
    if territory:
        stmt = stmt.where(AccompanimentRequest.territory_code == territory)
    rows = (await session.execute(stmt)).all()
    return [RequestView(r, m.display_name if m else None, m.discord_id if m else None) for r, m in rows]


_request_totals: changes.VersionedCache[int] = changes.VersionedCache(("accompaniment_requests", "members", "guilds"))


@dataclass(frozen=True)
class RequestLine:
    """What the request list shows of one request (only these columns are read)."""

    number: int
    status: str
    kind: str | None
    territory_code: str | None
    created_at: datetime
    thread_id: int | None
    source: str
    requester_name: str | None


async def list_requests_page(
    session: AsyncSession,
    guild_id: int,
    actor: Actor,
    *,
    statuses: tuple[str, ...] | None = None,
    territory: str | None = None,
    offset: int = 0,
    limit: int = 20,
) -> tuple[list[RequestLine], int]:
    """One page of `list_requests` (same requests, newest first) and the true total."""

    def visible(stmt):
        stmt = stmt.where(AccompanimentRequest.guild_id == guild_id)
        if not actor.coordinator:
            stmt = stmt.join(Member, Member.id == AccompanimentRequest.requester_member_id).where(
                Member.discord_id == actor.discord_id
            )
        if statuses:
            stmt = stmt.where(AccompanimentRequest.status.in_(statuses))
        if territory:
            stmt = stmt.where(AccompanimentRequest.territory_code == territory)
        return stmt

    R = AccompanimentRequest
    page = (
        visible(
            select(
                R.number, R.status, R.kind, R.territory_code, R.created_at, R.thread_id, R.source, R.requester_member_id
            )
        )
        .order_by(R.number.desc())
        .offset(max(offset, 0))
        .limit(limit)
    )
    rows = (await session.execute(page)).all()
    ids = {row.requester_member_id for row in rows if row.requester_member_id is not None}
    names = (
        dict((await session.execute(select(Member.id, Member.display_name).where(Member.id.in_(ids)))).all())
        if ids
        else {}
    )
    key = (str(session.get_bind().url), guild_id, actor.coordinator or actor.discord_id, statuses, territory)
    total = _request_totals.get(key)
    if total is None:  # a scan of the server's requests (40,000 at 4×): kept until they change
        seen = changes.version(*_request_totals.tables)
        total = int(await session.scalar(visible(select(func.count()).select_from(R))) or 0)
        _request_totals.put(key, total, seen)
    lines = [
        RequestLine(
            row.number,
            row.status,
            row.kind,
            row.territory_code,
            row.created_at,
            row.thread_id,
            row.source,
            names.get(row.requester_member_id),
        )
        for row in rows
    ]
    return lines, total


async def search_visible(
    session: AsyncSession, guild_id: int, actor: Actor, current: str, *, limit: int = 25
) -> list[RequestView]:
    """For autocomplete: requests the actor may see whose number or subject matches."""
    found = await list_requests(session, guild_id, actor, limit=200)
    wanted = current.strip().lstrip("#").casefold().removeprefix("n°")
    return [
        v
        for v in found
        if not wanted
        or str(v.request.number).startswith(wanted)
        or wanted in (v.request.subject or "").casefold()
        or wanted in (v.requester_name or "").casefold()
    ][:limit]


# -- transitions -------------------------------------------------------------------------------


def _require_coordination(actor: Actor, verb: str) -> None:
    if not actor.coordinator:
        raise PermissionDeniedError(ERR_COORDINATION.format(action=verb))


def _check(request: AccompanimentRequest, action: str, actor: Actor, requester_discord_id: int | None) -> None:
    """Refuse, with the reason, what this actor may not do to this request now."""
    is_requester = requester_discord_id is not None and requester_discord_id == actor.discord_id
    if not actor.coordinator and not is_requester:
        raise PermissionDeniedError(ERR_NOT_YOURS)
    if action in COORDINATION_ONLY:
        _require_coordination(actor, COORDINATION_VERBS[action])
    if action == "rate" and not is_requester:
        raise PermissionDeniedError(ERR_RATE_NOT_REQUESTER)
    if request.status in ALLOWED_FROM[action]:
        return
    number = request.number
    if action == "claim" and request.status in (CLAIMED, SCHEDULED):
        raise ConflictError(
            ERR_ALREADY_CLAIMED.format(number=number, name=request.claimed_by_name or "la coordination")
        )
    if action in ("schedule", "close") and request.status == OPEN:
        if action == "close" and not actor.coordinator:
            raise ConflictError(ERR_REQUESTER_CLOSE_OPEN.format(number=number))
        raise ConflictError(ERR_CLAIM_FIRST.format(number=number))
    raise ConflictError(
        ERR_TRANSITION.format(number=number, status=status_label(request.status).lower(), action=ACTION_VERBS[action])
    )


async def _locked(
    session: AsyncSession, guild_id: int, request_id: int, action: str, actor: Actor
) -> tuple[AccompanimentRequest, int | None]:
    request = await by_id(session, guild_id, request_id, for_update=True)
    requester = await _requester(session, request)
    requester_id = requester.discord_id if requester else None
    _check(request, action, actor, requester_id)
    return request, requester_id


async def check_action(
    session: AsyncSession, guild_id: int, request_id: int, action: str, actor: Actor
) -> AccompanimentRequest:
    """Refuse early (before a modal is shown) what would be refused on submit."""
    request = await by_id(session, guild_id, request_id)
    requester = await _requester(session, request)
    _check(request, action, actor, requester.discord_id if requester else None)
    return request


async def claim(
    session: AsyncSession, guild_id: int, request_id: int, actor: Actor, *, now: datetime
) -> AccompanimentRequest:
    """Take a request in charge. One conditional UPDATE: of two coordinators clicking
    together, exactly one wins; the other gets a ConflictError naming the winner."""
    request = await by_id(session, guild_id, request_id)
    requester = await _requester(session, request)
    if request.status == OPEN:  # checks permissions only; the UPDATE decides the race
        _check(request, "claim", actor, requester.discord_id if requester else None)
    result = await session.execute(
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
    )
    request = await by_id(session, guild_id, request_id, for_update=True)
    if result.rowcount != 1:
        _check(request, "claim", actor, requester.discord_id if requester else None)
        raise ConflictError(ERR_ALREADY_CLAIMED.format(number=request.number, name=request.claimed_by_name))
    session.add(_event(request, EV_CLAIMED, actor, now))
    await session.flush()
    return request


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


async def cancel(
    session: AsyncSession, guild_id: int, request_id: int, actor: Actor, *, now: datetime
) -> AccompanimentRequest:
    request, _ = await _locked(session, guild_id, request_id, "cancel", actor)
    request.status = CANCELLED
    request.closed_at = now
    session.add(_event(request, EV_CANCELLED, actor, now))
    await session.flush()
    return request


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


from bot.services.requests_figures import RequestFigures, figures  # noqa: E402

__all__ = [
    "Actor",
    "RequestFigures",
    "RequestView",
    "STATUSES",
    "figures",
]
