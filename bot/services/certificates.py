"""Attendance certificates (one per person present at a network session) and a Promeneur's
year summary, both for an employer. Nothing is stored: they are built on demand from the
registrations, activities and requests, so a member's erasure leaves nothing behind (an
erased member is left out of an event's certificates and gets no document at all).

A certificate's number is derived, not stored: ``<year>-<event id>-<registration id>``
gives the same number every time the same certificate is produced again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db.models import Member
from bot.db.models.activity import ACTIVITY_KINDS, ONLINE_PRESENCE, Activity
from bot.db.models.events import REMOTE, Event, EventRegistration
from bot.db.models.report import ReportText
from bot.db.models.requests import DONE, AccompanimentRequest
from bot.errors import NotFoundError
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services import report as report_service
from bot.services.events import lifecycle as events_service
from bot.services.events import rules as event_rules

NETWORK = "Promeneurs du Net"
MAX_SIGNATURE_LINES = 4  # the carrier and the contact; the rest of the text is the report's
DEFAULT_DAY_HOURS = 7.0  # a training day when a session's clock times cannot tell

ERR_NOT_PRESENT = (
    "Vous n'êtes pas noté·e présent·e à cet événement : l'attestation n'est délivrée qu'aux "
    "personnes présentes. Si c'est une erreur, demandez à la coordination de corriger les présences."
)
ERR_MEMBER_NOT_PRESENT = "{name} n'est pas noté·e présent·e à cet événement : pas d'attestation."
ERR_NOBODY_PRESENT = (
    "Personne n'est noté·e présent·e à cet événement : saisissez d'abord les présences (/evenement presences)."
)
ERR_CANCELLED = "Cet événement a été annulé : il n'y a pas d'attestation de présence."
ERR_ERASED = "Les données de ce membre ont été supprimées : aucun document ne peut être produit."


@dataclass(frozen=True)
class Attendee:
    name: str
    number: str  # the certificate's number


@dataclass(frozen=True)
class Certificates:
    """What an attendance certificate says, for every person it is made for."""

    network: str
    title: str
    type_label: str
    starts_at: datetime
    ends_at: datetime
    days: float
    hours: float
    remote: bool
    place: str | None  # None when remote
    signature: list[str]  # the carrier and the coordination's contact (may be empty)
    attendees: list[Attendee]


@dataclass(frozen=True)
class SessionAttended:
    day: date
    title: str
    type_label: str
    days: float
    hours: float


@dataclass
class YearSummary:
    network: str
    year: int
    name: str
    structure: str | None
    profession: str | None
    sessions: list[SessionAttended] = field(default_factory=list)
    activities: dict[str, float] = field(default_factory=dict)  # kind -> count or hours
    requests_made: int = 0
    requests_helped: int = 0
    signature: list[str] = field(default_factory=list)

    @property
    def session_days(self) -> float:
        return sum(s.days for s in self.sessions)

    @property
    def session_hours(self) -> float:
        return sum(s.hours for s in self.sessions)

    @property
    def online_hours(self) -> float:
        """The hours of online educational presence the member declared."""
        return self.activities.get(ONLINE_PRESENCE, 0.0)


def session_hours(starts_at: datetime, ends_at: datetime) -> float:
    """The hours of a session: its clock span on one day; over several days, the daily
    span (end time minus start time) times the calendar days, or 7 h a day when the
    times do not tell (a session ending earlier in the day than it started)."""
    first, last = starts_at.astimezone(PARIS), ends_at.astimezone(PARIS)
    if first.date() == last.date():
        return round((ends_at - starts_at).total_seconds() / 3600 * 4) / 4
    daily = (last.hour * 60 + last.minute - first.hour * 60 - first.minute) / 60
    if daily <= 0:
        daily = DEFAULT_DAY_HOURS
    return round(daily * ((last.date() - first.date()).days + 1) * 4) / 4


def certificate_number(event: Event, registration_id: int) -> str:
    return f"{event.starts_at.astimezone(PARIS).year}-{event.id:04d}-{registration_id:05d}"


async def network_name(session: AsyncSession, guild_id: int) -> str:
    """ "Promeneurs du Net · Puy-de-Dôme (63) · Allier (03)"."""
    names = await guilds_service.territory_names(session, guild_id)
    return " · ".join([NETWORK, *(f"{name} ({code})" for code, name in names.items())])


async def signature_lines(session: AsyncSession, guild_id: int, year: int) -> list[str]:
    """The report's « structure porteuse et contact » text of that year, else of the
    latest year before (else after) that has one; [] when there is none."""
    rows = (
        await session.execute(
            select(ReportText.year, ReportText.body).where(
                ReportText.guild_id == guild_id, ReportText.section == report_service.CARRIER
            )
        )
    ).all()
    if not rows:
        return []
    _, body = min(rows, key=lambda r: (r[0] > year, abs(r[0] - year)))
    return [line.strip() for line in body.splitlines() if line.strip()][:MAX_SIGNATURE_LINES]


async def attended_events(
    session: AsyncSession, guild_id: int, member_id: int, *, text: str = "", limit: int = 25
) -> list[Event]:
    """The sessions (not cancelled) the member was marked present at, latest first."""
    stmt = (
        select(Event)
        .join(EventRegistration, EventRegistration.event_id == Event.id)
        .where(
            Event.guild_id == guild_id,
            Event.cancelled_at.is_(None),
            EventRegistration.member_id == member_id,
            EventRegistration.attended.is_(True),
        )
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    wanted = text.casefold().strip()
    events = [e for e in await session.scalars(stmt) if wanted in e.title.casefold()]
    return events[:limit]


async def certificates(
    session: AsyncSession, guild_id: int, event_id: int, *, member_id: int | None = None, own: bool = False
) -> Certificates:
    """The certificates of an event: of one member (`member_id`; `own` when they asked
    for theirs, for the refusal's wording) or of everyone present."""
    event = await events_service.get_event(session, guild_id, event_id)
    if event.cancelled_at is not None:
        raise NotFoundError(ERR_CANCELLED)
    stmt = (
        select(EventRegistration.id, Member)
        .join(Member, Member.id == EventRegistration.member_id)
        .where(EventRegistration.event_id == event.id, EventRegistration.attended.is_(True))
        .order_by(func.lower(Member.display_name), Member.id)
    )
    if member_id is not None:
        stmt = stmt.where(EventRegistration.member_id == member_id)
    rows = [(reg_id, m) for reg_id, m in (await session.execute(stmt)).all() if m.anonymised_at is None]
    if not rows:
        if member_id is None:
            raise NotFoundError(ERR_NOBODY_PRESENT)
        if own:
            raise NotFoundError(ERR_NOT_PRESENT)
        member = await session.get(Member, member_id)
        if member is None or member.guild_id != guild_id:
            raise NotFoundError(members_service.ERR_MEMBER_UNKNOWN)
        if member.anonymised_at is not None:
            raise NotFoundError(ERR_ERASED)
        raise NotFoundError(ERR_MEMBER_NOT_PRESENT.format(name=member.display_name))
    remote = event.format == REMOTE
    return Certificates(
        network=await network_name(session, guild_id),
        title=event.title,
        type_label=event_rules.TYPE_LABELS.get(event.type, event.type),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        days=float(event.duration_days or 0),
        hours=session_hours(event.starts_at, event.ends_at),
        remote=remote,
        place=None if remote else event.place,
        signature=await signature_lines(session, guild_id, event.starts_at.astimezone(PARIS).year),
        attendees=[Attendee(m.display_name, certificate_number(event, reg_id)) for reg_id, m in rows],
    )


async def year_summary(session: AsyncSession, guild_id: int, member_id: int, year: int) -> YearSummary:
    """A member's year: sessions attended, activities logged, requests made and helped."""
    member = await session.get(Member, member_id)
    if member is None or member.guild_id != guild_id:
        raise NotFoundError(members_service.ERR_MEMBER_UNKNOWN)
    if member.anonymised_at is not None:
        raise NotFoundError(ERR_ERASED)
    start, end = event_rules.year_bounds(year)
    events = await session.scalars(
        select(Event)
        .join(EventRegistration, EventRegistration.event_id == Event.id)
        .where(
            Event.guild_id == guild_id,
            Event.cancelled_at.is_(None),
            Event.starts_at >= start,
            Event.starts_at < end,
            EventRegistration.member_id == member.id,
            EventRegistration.attended.is_(True),
        )
        .order_by(Event.starts_at, Event.id)
    )
    sessions = [
        SessionAttended(
            day=e.starts_at.astimezone(PARIS).date(),
            title=e.title,
            type_label=event_rules.TYPE_LABELS.get(e.type, e.type),
            days=float(e.duration_days or 0),
            hours=session_hours(e.starts_at, e.ends_at),
        )
        for e in events
    ]
    mine = [Activity.member_id == member.id]
    if member.discord_id is not None:
        mine.append(Activity.author_discord_id == member.discord_id)
    activity_rows = await session.execute(
        select(Activity.kind, func.sum(Activity.quantity))
        .where(
            Activity.guild_id == guild_id,
            or_(*mine),
            Activity.occurred_on >= date(year, 1, 1),
            Activity.occurred_on <= date(year, 12, 31),
        )
        .group_by(Activity.kind)
    )
    activities = {kind: float(total or 0) for kind, total in activity_rows}
    requests = (
        await session.execute(
            select(AccompanimentRequest.status, func.count())
            .where(
                AccompanimentRequest.guild_id == guild_id,
                AccompanimentRequest.requester_member_id == member.id,
                AccompanimentRequest.created_at >= start,
                AccompanimentRequest.created_at < end,
            )
            .group_by(AccompanimentRequest.status)
        )
    ).all()
    return YearSummary(
        network=await network_name(session, guild_id),
        year=year,
        name=member.display_name,
        structure=member.structure_name,
        profession=member.profession,
        sessions=sessions,
        activities={k: activities[k] for k in ACTIVITY_KINDS if activities.get(k)},
        requests_made=sum(n for _, n in requests),
        requests_helped=sum(n for status, n in requests if status == DONE),
        signature=await signature_lines(session, guild_id, year),
    )
