"""The statistics of the monthly summary and the year-end recap (DESIGN.md §3).

Definitions, for a calendar year Y (Europe/Paris) and a territory T (or all):

- Promeneurs of Y: members whose membership (joined_on … left_on, left_on being their last
  day) intersects Y. Each counts once, in the territory and strand of the period they had
  on the last day of their active part of Y (31 December, or their last day if they left
  during Y). Also: at 31 December, arrivals (joined in Y), departures (left in Y).
- Structure types / professions: distinct non-empty values among the Promeneurs of Y;
  "all territories" is distinct over all of them (not a sum).
- Project presentations: sum of the quantities of "presentation" activities dated in Y, by
  territory; "commun" has no territory; the all-territories total includes "commun".
- Network sessions: events not cancelled that start in Y; in person = in_person + hybrid
  (hybrid also shown apart), remote; days = sum of durations (half day = 0.5). A territory's
  own sessions carry its code, "commun" ones none; the total counts each event once.
  Attendance = registrations marked present; registration rate = registered / capacity and
  fill rate = present / capacity, over the events that have a capacity; unique Promeneurs
  reached = distinct members marked present.
- Accompaniments: requests closed as done in Y, in the territory they were made from;
  individual and team shown apart, the total counts every kind (computed by
  `bot.services.requests.figures`, the one implementation of the requests figures).
- Coordination time split: hours of "coordination" activities by territory and "commun",
  as percentages of their total.
- Watch: digests published in Y, and the accepted links they hold.
- Imported figures replace the computed value of the same (year, territory, indicator).

Every figure is one SQL aggregation (grouped by territory when it is per territory); no
Python loop over rows. Features not installed yet (no table) give unknown (None) figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Table, and_, case, distinct, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db import Base
from bot.db.models import Member, MemberPeriod, Territory
from bot.db.models.activity import COORDINATION, PRESENTATION, Activity
from bot.db.models.member import PARENTING, YOUTH
from bot.db.models.requests import INDIVIDUAL, TEAM
from bot.errors import ValidationError
from bot.parsing import refuse_foreign_digits
from bot.services import indicators as indicators_service
from bot.services import indicators_recap, recap_import
from bot.services import survey as survey_service
from bot.services.events import figures as event_figures
from bot.services.periods import ALL, SHARED, Window
from bot.services.requests import figures as request_figures
from bot.services.requests.figures import ScopeFigures
from bot.services.text import quote
from bot.services.watch import figures as watch_figures

FIRST_YEAR_SPAN = 10  # the evolution table covers at most this many years

# Indicators of a (year, scope). The first nine are the import format's.
PROMENEURS = "promeneurs"
STRUCTURE_TYPES = "types_structures"
PROFESSIONS = "types_professions"
PRESENTATIONS = "presentations"
SESSIONS = "reunions"
SESSIONS_IN_PERSON = "reunions_presentiel"
SESSIONS_REMOTE = "reunions_distanciel"
SESSION_DAYS = "reunions_jours"
ACCOMPANIMENTS = "accompagnements"
YOUTH_COUNT = "promeneurs_jeunesse"
PARENTING_COUNT = "promeneurs_parentalite"
AT_YEAR_END = "promeneurs_31_decembre"
ARRIVALS = "arrivees"
DEPARTURES = "departs"
SESSIONS_HYBRID = "reunions_hybrides"
ATTENDANCE = "presences"
REGISTERED = "inscrits"
CAPACITY = "places"
REGISTRATION_RATE = "taux_inscription"
FILL_RATE = "taux_remplissage"
REACHED = "promeneurs_touches"
ACCOMP_INDIVIDUAL = "accompagnements_individuels"
ACCOMP_TEAM = "accompagnements_equipe"
COORDINATION_HOURS = "heures_coordination"

LABELS = {
    PROMENEURS: "Promeneurs",
    YOUTH_COUNT: "dont Jeunesse",
    PARENTING_COUNT: "dont Parentalité",
    AT_YEAR_END: "au 31 décembre",
    ARRIVALS: "arrivées",
    DEPARTURES: "départs",
    PROFESSIONS: "Types de métiers",
    STRUCTURE_TYPES: "Types de structures",
    PRESENTATIONS: "Présentations du projet",
    SESSIONS: "Temps de réseau",
    SESSIONS_IN_PERSON: "en présentiel",
    SESSIONS_REMOTE: "à distance",
    SESSIONS_HYBRID: "dont hybrides",
    SESSION_DAYS: "Journées",
    ATTENDANCE: "Présences",
    REGISTERED: "Inscrits",
    CAPACITY: "Places",
    REGISTRATION_RATE: "Taux d'inscription",
    FILL_RATE: "Taux de remplissage",
    REACHED: "Promeneurs touchés",
    ACCOMP_INDIVIDUAL: "Accompagnements individuels",
    ACCOMP_TEAM: "Accompagnements d'équipe",
    ACCOMPANIMENTS: "Accompagnements (tous)",
    COORDINATION_HOURS: "Heures de coordination",
}
EVOLUTION_ROWS = (
    PROMENEURS,
    STRUCTURE_TYPES,
    PROFESSIONS,
    PRESENTATIONS,
    SESSIONS,
    SESSIONS_IN_PERSON,
    SESSIONS_REMOTE,
    SESSION_DAYS,
    ACCOMPANIMENTS,
)
MEMBER_INDICATORS = (
    PROMENEURS,
    YOUTH_COUNT,
    PARENTING_COUNT,
    AT_YEAR_END,
    ARRIVALS,
    DEPARTURES,
    STRUCTURE_TYPES,
    PROFESSIONS,
)


@dataclass(frozen=True)
class Figure:
    """A value (None = unknown), and whether it was imported (with its note)."""

    value: float | None
    imported: bool = False
    note: str | None = None


Figures = dict[str, Figure]  # indicator -> figure


def _table(name: str) -> Table | None:
    """Another feature's table, if that feature is installed (contract names)."""
    return Base.metadata.tables.get(name)


# -- members ---------------------------------------------------------------------------


def _members_of(guild_id: int, w: Window):
    """Members of the window joined to the period they had at the end of their active part."""
    end_day = case(
        (and_(Member.left_on.is_not(None), Member.left_on < w.last), Member.left_on),
        else_=literal(w.last),
    )
    return (
        Member.guild_id == guild_id,
        Member.joined_on <= w.last,
        or_(Member.left_on.is_(None), Member.left_on >= w.first),
        MemberPeriod.member_id == Member.id,
        MemberPeriod.valid_from <= end_day,
        or_(MemberPeriod.valid_to.is_(None), MemberPeriod.valid_to > end_day),
    )


async def member_counts(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, int]]:
    """scope -> {promeneurs, jeunesse, parentalité, au 31/12, arrivées, départs}."""
    one = literal(1)
    stmt = (
        select(
            MemberPeriod.territory_code,
            MemberPeriod.strand,
            func.count(),
            func.sum(case((Member.joined_on >= w.first, one), else_=0)),
            func.sum(case((Member.left_on <= w.last, one), else_=0)),
            func.sum(case((or_(Member.left_on.is_(None), Member.left_on >= w.last), one), else_=0)),
        )
        .select_from(Member)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .where(*_members_of(guild_id, w))
        .group_by(MemberPeriod.territory_code, MemberPeriod.strand)
    )
    out: dict[str, dict[str, int]] = {}
    for territory, strand, count, arrivals, departures, at_end in await session.execute(stmt):
        for scope in (territory or SHARED, ALL):
            s = out.setdefault(
                scope, dict.fromkeys((PROMENEURS, YOUTH_COUNT, PARENTING_COUNT, AT_YEAR_END, ARRIVALS, DEPARTURES), 0)
            )
            s[PROMENEURS] += count
            s[YOUTH_COUNT if strand == YOUTH else PARENTING_COUNT] += count if strand in (YOUTH, PARENTING) else 0
            s[ARRIVALS] += int(arrivals or 0)
            s[DEPARTURES] += int(departures or 0)
            s[AT_YEAR_END] += int(at_end or 0)
    return out


async def distinct_counts(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, int]]:
    """scope -> {distinct structure types, distinct professions}; ALL is distinct overall."""
    cols = (
        func.count(distinct(Member.structure_type)),
        func.count(distinct(Member.profession)),
    )
    base = select(*cols).select_from(Member).join(MemberPeriod, MemberPeriod.member_id == Member.id)
    base = base.where(*_members_of(guild_id, w))
    out: dict[str, dict[str, int]] = {}
    per = base.add_columns(MemberPeriod.territory_code).group_by(MemberPeriod.territory_code)
    for structures, professions, territory in await session.execute(per):
        out[territory or SHARED] = {STRUCTURE_TYPES: structures, PROFESSIONS: professions}
    structures, professions = (await session.execute(base)).one()
    out[ALL] = {STRUCTURE_TYPES: structures, PROFESSIONS: professions}
    return out


async def structure_type_distribution(session: AsyncSession, guild_id: int, w: Window) -> list[tuple[str, int]]:
    """How many Promeneurs of the period per structure type (for the chart)."""
    stmt = (
        select(Member.structure_type, func.count())
        .select_from(Member)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .where(*_members_of(guild_id, w))
        .group_by(Member.structure_type)
        .order_by(func.count().desc(), Member.structure_type)
    )
    return [(name or "Non renseigné", count) for name, count in await session.execute(stmt)]


async def profession_distribution(session: AsyncSession, guild_id: int, w: Window) -> list[tuple[str, int]]:
    """How many Promeneurs of the period per profession (the report's list)."""
    stmt = (
        select(Member.profession, func.count())
        .select_from(Member)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .where(*_members_of(guild_id, w))
        .group_by(Member.profession)
        .order_by(func.count().desc(), Member.profession)
    )
    return [(name or "Non renseigné", count) for name, count in await session.execute(stmt)]


async def member_moves(session: AsyncSession, guild_id: int, w: Window) -> tuple[int, int]:
    """(arrivals, departures) dated in the window."""
    one = literal(1)
    row = (
        await session.execute(
            select(
                func.coalesce(
                    func.sum(case((and_(Member.joined_on >= w.first, Member.joined_on <= w.last), one), else_=0)), 0
                ),
                func.coalesce(
                    func.sum(case((and_(Member.left_on >= w.first, Member.left_on <= w.last), one), else_=0)), 0
                ),
            ).where(Member.guild_id == guild_id)
        )
    ).one()
    return int(row[0]), int(row[1])


# -- activities ------------------------------------------------------------------------


async def activity_totals(
    session: AsyncSession, guild_id: int, w: Window, *, kinds: tuple[str, ...] | None = None
) -> dict[tuple[str, str], tuple[int, float]]:
    """(scope, kind) -> (entries, sum of quantities); scope is a code or "commun".
    Reads a covering index only (by day, or by kind when `kinds` is given)."""
    stmt = (
        select(Activity.territory_code, Activity.kind, func.count(), func.sum(Activity.quantity))
        .where(
            Activity.guild_id == guild_id,
            Activity.occurred_on >= w.first,
            Activity.occurred_on <= w.last,
        )
        .group_by(Activity.territory_code, Activity.kind)
    )
    if kinds is not None:
        stmt = stmt.where(Activity.kind.in_(kinds))
    return {
        (territory or SHARED, kind): (count, float(total or 0))
        for territory, kind, count, total in await session.execute(stmt)
    }


# -- events ----------------------------------------------------------------------------


async def session_counts(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, float]]:
    """scope -> the sessions held, in person, remote, hybrid, days and places (`bot.services.events.figures`)."""
    return {
        scope: {
            SESSIONS: f.sessions,
            SESSIONS_IN_PERSON: f.in_person,
            SESSIONS_REMOTE: f.remote,
            SESSIONS_HYBRID: f.hybrid,
            SESSION_DAYS: f.days,
            CAPACITY: f.capacity,
        }
        for scope, f in (await event_figures.figures(session, guild_id, w)).items()
        if f.sessions
    }


async def attendance_counts(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, float]]:
    """scope -> attendance, registered (« inscrits », see `bot.services.events.figures`), the
    present at the sessions with a capacity and the Promeneurs reached."""
    return {
        scope: {
            ATTENDANCE: f.attendance,
            REGISTERED: f.registered,
            "present_cap": f.present_with_capacity,
            REACHED: f.reached,
        }
        for scope, f in (await event_figures.figures(session, guild_id, w)).items()
    }


# -- accompaniments --------------------------------------------------------------------


async def accompaniment_counts(session: AsyncSession, guild_id: int, w: Window) -> dict[str, dict[str, int]]:
    """scope -> the accompaniments done in the window (`bot.services.requests.figures`)."""
    return {
        scope: {
            ACCOMPANIMENTS: f.done,
            ACCOMP_INDIVIDUAL: f.done_by_kind.get(INDIVIDUAL, 0),
            ACCOMP_TEAM: f.done_by_kind.get(TEAM, 0),
        }
        for scope, f in (await request_figures.figures(session, guild_id, w)).items()
        if f.done
    }


# -- watch -----------------------------------------------------------------------------


async def watch_counts(session: AsyncSession, guild_id: int, w: Window) -> tuple[int, int]:
    """(digests published in the window, accepted links they hold): see `watch.figures`."""
    figures = await watch_figures.figures(session, guild_id, w)
    return figures.digests, figures.items


# -- a year's figures ------------------------------------------------------------------


async def territory_names(session: AsyncSession, guild_id: int) -> dict[str, str]:
    rows = await session.execute(
        select(Territory.code, Territory.name).where(Territory.guild_id == guild_id).order_by(Territory.code)
    )
    return {code: name for code, name in rows}


def _scopes(codes: list[str]) -> list[str]:
    return [ALL, *codes, SHARED]


async def computed_year(
    session: AsyncSession, guild_id: int, year: int, codes: list[str]
) -> dict[str, dict[str, float | None]]:
    """scope -> indicator -> computed value (None = unknown: feature not installed)."""
    w = Window.year(year)
    members = await member_counts(session, guild_id, w)
    distincts = await distinct_counts(session, guild_id, w)
    activities = await activity_totals(session, guild_id, w, kinds=(PRESENTATION, COORDINATION))
    sessions = await session_counts(session, guild_id, w)
    attendance = await attendance_counts(session, guild_id, w)
    accompaniments = await accompaniment_counts(session, guild_id, w)
    extra = await indicators_recap.year_figures(
        session, guild_id, w.first, w.last, _members_of(guild_id, w), shared=SHARED, all_=ALL
    )
    out: dict[str, dict[str, float | None]] = {}
    for scope in _scopes(codes):
        f: dict[str, float | None] = {}
        if scope != SHARED:
            m = members.get(scope, {})
            for key in (PROMENEURS, YOUTH_COUNT, PARENTING_COUNT, AT_YEAR_END, ARRIVALS, DEPARTURES):
                f[key] = m.get(key, 0)
            d = distincts.get(scope, {})
            f[STRUCTURE_TYPES] = d.get(STRUCTURE_TYPES, 0)
            f[PROFESSIONS] = d.get(PROFESSIONS, 0)
        if scope == ALL:
            f[PRESENTATIONS] = sum(q for (s, k), (_, q) in activities.items() if k == PRESENTATION)
            f[COORDINATION_HOURS] = sum(q for (s, k), (_, q) in activities.items() if k == COORDINATION)
        else:
            f[PRESENTATIONS] = activities.get((scope, PRESENTATION), (0, 0.0))[1]
            f[COORDINATION_HOURS] = activities.get((scope, COORDINATION), (0, 0.0))[1]
        for key in (SESSIONS, SESSIONS_IN_PERSON, SESSIONS_REMOTE, SESSIONS_HYBRID, SESSION_DAYS):
            f[key] = None if sessions is None else sessions.get(scope, {}).get(key, 0)
        if attendance is None or sessions is None:
            for key in (ATTENDANCE, REGISTERED, REGISTRATION_RATE, FILL_RATE, REACHED):
                f[key] = None
        else:
            a = attendance.get(scope, {})
            capacity = sessions.get(scope, {}).get(CAPACITY, 0)
            f[ATTENDANCE] = a.get(ATTENDANCE, 0)
            f[REGISTERED] = a.get(REGISTERED, 0)
            f[REACHED] = a.get(REACHED, 0)
            f[REGISTRATION_RATE] = a.get(REGISTERED, 0) / capacity if capacity else None
            f[FILL_RATE] = a.get("present_cap", 0) / capacity if capacity else None
        for key in (ACCOMPANIMENTS, ACCOMP_INDIVIDUAL, ACCOMP_TEAM):
            f[key] = None if accompaniments is None else accompaniments.get(scope, {}).get(key, 0)
        f.update({key: extra.get(scope, {}).get(key, 0) for key in indicators_service.CODES})
        out[scope] = f
    return out


def _overlay(
    computed: dict[str, dict[str, float | None]],
    imported: dict[tuple[str, str], tuple[float | None, str | None]],
) -> dict[str, Figures]:
    """Imported values replace computed ones; "reunions" imported as a split is summed."""
    out: dict[str, Figures] = {}
    imported_scopes = {scope for scope, _ in imported}
    for scope, values in computed.items():
        figures = {key: Figure(value) for key, value in values.items()}
        if scope in imported_scopes:
            # A year imported for this scope: what the file does not give and the bot has
            # no data for is unknown, not zero.
            for key in recap_import.INDICATORS:
                if not figures.get(key, Figure(None)).value:
                    figures[key] = Figure(None)
        for key in recap_import.INDICATORS:
            if (scope, key) in imported:
                value, note = imported[(scope, key)]
                figures[key] = Figure(value, True, note)
        split = [imported.get((scope, k)) for k in (SESSIONS_IN_PERSON, SESSIONS_REMOTE)]
        if (scope, SESSIONS) not in imported and all(s is not None for s in split):
            total = sum(s[0] or 0 for s in split)  # type: ignore[index]
            figures[SESSIONS] = Figure(total, True, None)
        if (scope, SESSIONS) in imported and (scope, SESSIONS_IN_PERSON) not in imported:
            figures[SESSIONS_IN_PERSON] = Figure(None, True)
            figures[SESSIONS_REMOTE] = Figure(None, True)
        out[scope] = figures
    return out


@dataclass
class YearRecap:
    guild_id: int
    year: int
    territories: dict[str, str]  # code -> name
    synthesis: dict[str, Figures]  # scope -> figures of the year
    evolution_years: list[int]
    evolution: dict[int, dict[str, Figures]]  # year -> scope -> figures
    activities: dict[tuple[str, str], tuple[int, float]]
    coordination_split: list[tuple[str, float, float]]  # (scope, hours, share)
    structure_types: list[tuple[str, int]]
    survey: survey_service.SurveyResults | None
    generated_at: datetime
    notes: list[str] = field(default_factory=list)
    professions: list[tuple[str, int]] = field(default_factory=list)
    digests: int | None = None  # watch digests published in the year (None: no watch)
    digest_links: int | None = None  # links in those digests
    indicator_months: dict[int, dict[str, int]] = field(default_factory=dict)  # month -> code -> total

    @property
    def codes(self) -> list[str]:
        return list(self.territories)

    @property
    def is_empty(self) -> bool:
        f = self.synthesis.get(ALL, {})
        return (
            not any((fig.value or 0) for key, fig in f.items() if key not in (REGISTRATION_RATE, FILL_RATE))
            and self.survey is None
        )


async def first_year(session: AsyncSession, guild_id: int, year: int) -> int:
    """The evolution table starts at the first imported year or the first member's year."""
    candidates = [year]
    imported_years = await recap_import.years(session, guild_id)
    if imported_years:
        candidates.append(imported_years[0])
    joined = await session.scalar(select(func.min(Member.joined_on)).where(Member.guild_id == guild_id))
    if joined is not None:
        candidates.append(joined.year)
    return max(min(candidates), year - FIRST_YEAR_SPAN + 1)


async def year_recap(session: AsyncSession, guild_id: int, year: int, *, now: datetime) -> YearRecap:
    """The whole year-end recap: synthesis, evolution, charts' data, survey."""
    names = await territory_names(session, guild_id)
    used = await session.scalars(
        select(MemberPeriod.territory_code).where(MemberPeriod.guild_id == guild_id).distinct()
    )
    for code in used:
        if code and code not in names:
            names[code] = code
    codes = sorted(names)
    start = await first_year(session, guild_id, year)
    years = list(range(start, year + 1))
    imported_rows = await recap_import.figures(session, guild_id, years)
    imported: dict[int, dict[tuple[str, str], tuple[float | None, str | None]]] = {}
    for row in imported_rows:
        imported.setdefault(row.year, {})[(row.territory_code, row.indicator)] = (row.value, row.note)
    evolution = {}
    for y in years:
        evolution[y] = _overlay(await computed_year(session, guild_id, y, codes), imported.get(y, {}))
    w = Window.year(year)
    activities = await activity_totals(session, guild_id, w)
    coordination = [(s, q) for (s, k), (_, q) in activities.items() if k == COORDINATION]
    total_hours = sum(q for _, q in coordination)
    split = sorted(
        ((s, q, q / total_hours if total_hours else 0.0) for s, q in coordination),
        key=lambda x: (x[0] == SHARED, x[0]),
    )
    campaign = await survey_service.last_closed_of_year(session, guild_id, year, now=now)
    results = await survey_service.results(session, campaign) if campaign else None
    watch = await watch_counts(session, guild_id, w)
    notes = []
    for feature, table in (
        ("temps de réseau", "events"),
        ("accompagnements", "accompaniment_requests"),
    ):
        if _table(table) is None:
            notes.append(f"Les {feature} ne sont pas encore suivis par le bot (valeurs importées ou inconnues).")
    return YearRecap(
        guild_id=guild_id,
        year=year,
        territories=names,
        synthesis=evolution[year],
        evolution_years=years,
        evolution=evolution,
        activities=activities,
        coordination_split=split,
        structure_types=await structure_type_distribution(session, guild_id, w),
        survey=results,
        generated_at=now,
        notes=notes,
        professions=await profession_distribution(session, guild_id, w),
        digests=watch[0] if watch else None,
        digest_links=watch[1] if watch else None,
        indicator_months=await indicators_recap.months_of_year(session, guild_id, year),
    )


# -- the monthly summary -----------------------------------------------------------------


@dataclass
class MonthSummary:
    guild_id: int
    year: int
    month: int
    territories: dict[str, str]
    arrivals: int
    departures: int
    active_at_end: int
    requests_opened: int | None
    requests_done: int | None
    requests_cancelled: int | None
    sessions: dict[str, dict[str, float]] | None
    attendance: dict[str, dict[str, float]] | None
    watch_items: int | None
    digests: int | None
    activities: dict[tuple[str, str], tuple[int, float]]

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


async def _count(session: AsyncSession, table_name: str, guild_id: int, column: str, w: Window, *extra) -> int | None:
    table = _table(table_name)
    if table is None:
        return None
    col = table.c[column]
    return int(
        await session.scalar(
            select(func.count())
            .select_from(table)
            .where(table.c.guild_id == guild_id, col >= w.start, col < w.end, *[e(table.c) for e in extra])
        )
        or 0
    )


async def month_summary(session: AsyncSession, guild_id: int, year: int, month: int) -> MonthSummary:
    w = Window.month(year, month)
    arrivals, departures = await member_moves(session, guild_id, w)
    active = await survey_service.active_count(session, guild_id, w.last)
    requests = (await request_figures.figures(session, guild_id, w)).get(ALL, ScopeFigures())
    return MonthSummary(
        guild_id=guild_id,
        year=year,
        month=month,
        territories=await territory_names(session, guild_id),
        arrivals=arrivals,
        departures=departures,
        active_at_end=active,
        requests_opened=requests.requested,
        requests_done=requests.done,
        requests_cancelled=requests.cancelled,
        sessions=await session_counts(session, guild_id, w),
        attendance=await attendance_counts(session, guild_id, w),
        watch_items=await watch_figures.items_shared(session, guild_id, w),
        digests=(await watch_counts(session, guild_id, w))[0],
        activities=await activity_totals(session, guild_id, w),
    )


# -- periods asked by users ----------------------------------------------------------------

ERR_YEAR = "L'année doit être comprise entre 2000 et {max} (vous avez indiqué {value})."
ERR_MONTH = "«\u00a0{value}\u00a0» n'est pas un mois valide. Écrivez-le sous la forme MM/AAAA, par exemple 06/2027."
ERR_MONTH_FUTURE = "Le mois {value} n'a pas encore commencé\u00a0: choisissez un mois passé ou le mois en cours."
_MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def check_year(year: int, today: date) -> int:
    if not 2000 <= year <= today.year:
        raise ValidationError(ERR_YEAR.format(max=today.year, value=year))
    return year


def parse_month(value: str | None, today: date) -> tuple[int, int]:
    """ "06/2027", "2027-06", "juin 2027"; empty = the month just past."""
    if not value or not value.strip():
        last = today.replace(day=1) - timedelta(days=1)
        return last.year, last.month
    refuse_foreign_digits(value)
    text = (
        value.strip().lower()[:40].replace("fevrier", "février").replace("aout", "août").replace("decembre", "décembre")
    )
    match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{4})|(\d{4})\s*-\s*(\d{1,2})|([a-zéû]+)\s+(\d{4})", text, re.ASCII)
    month = year = 0
    if match:
        if match[1]:
            month, year = int(match[1]), int(match[2])
        elif match[3]:
            year, month = int(match[3]), int(match[4])
        elif match[5] in _MONTH_NAMES:
            month, year = _MONTH_NAMES.index(match[5]) + 1, int(match[6])
    if not (1 <= month <= 12 and 2000 <= year):
        raise ValidationError(ERR_MONTH.format(value=quote(value)))
    if (year, month) > (today.year, today.month):
        raise ValidationError(ERR_MONTH_FUTURE.format(value=f"{month:02d}/{year}"))
    return year, month


def previous_month_period(fire_time: datetime) -> str:
    """The monthly summary fired on 1 July publishes "2027-06" (Paris time)."""
    local = fire_time.astimezone(PARIS).date()
    last = local.replace(day=1) - timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"


def previous_year_period(fire_time: datetime) -> str:
    """The year-end recap fired in January 2028 publishes "2027"."""
    return str(fire_time.astimezone(PARIS).year - 1)
