"""The annual activity report's data: the year-end recap (the single source of the figures),
the lists the recap only counts (network sessions, the coordination's path, governance
meetings) and the texts only a person can write, kept per year.

The texts are editable at any time; the report always uses the latest ones. An empty text
is deleted (the report then shows its placeholder in the editable document only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, delete, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db.models.activity import COORDINATOR_TRAINING, Activity
from bot.db.models.events import Event, EventRegistration
from bot.db.models.report import ReportText
from bot.errors import ValidationError
from bot.services.activity import GOVERNANCE_KINDS
from bot.services.guilds import ensure_guild
from bot.services.periods import SHARED, Window
from bot.services.recap import year as recap_service
from bot.text import clean_text

# The texts of a year, in the report's order: code -> (French title, what to write).
HIGHLIGHTS = "highlights"
CARRIER = "carrier"
PROMOTION = "promotion"
ACCOMPANIMENT = "accompaniment"
COORDINATOR_PATH = "coordinator_path"
GOVERNANCE = "governance"
PERSPECTIVES = "perspectives"
TEXT_SECTIONS: dict[str, tuple[str, str]] = {
    CARRIER: (
        "Structure porteuse et contact",
        "Le nom de la structure porteuse (en couverture), puis le contact de la coordination.",
    ),
    HIGHLIGHTS: (
        "Faits marquants",
        "Ce qui a marqué l'année\u00a0: le contexte, les évolutions du projet, les réussites.",
    ),
    PROMOTION: (
        "Promotion du dispositif",
        "Le contexte des présentations de l'année (les chiffres sont ajoutés par le bot).",
    ),
    ACCOMPANIMENT: (
        "Accompagnement des Promeneurs",
        "Les besoins exprimés, des exemples d'animations et de projets des Promeneurs.",
    ),
    COORDINATOR_PATH: (
        "Parcours de coordination",
        "Un commentaire sur les formations et les échanges de la coordination (la liste vient des activités saisies).",
    ),
    GOVERNANCE: (
        "Instances et conventionnements",
        "Les financeurs et conventions\u00a0; un mot sur les comités (leurs dates viennent des activités saisies).",
    ),
    PERSPECTIVES: (
        "Perspectives",
        "Les projets et les priorités de l'année qui commence.",
    ),
}
MAX_TEXT = 4000  # a paragraph field of a Discord form

ERR_SECTION = "Section inconnue\u00a0: choisissez-la dans la liste proposée."


@dataclass(frozen=True)
class SessionLine:
    """A network session of the year (not cancelled), as the recap counts it."""

    day: date
    title: str
    type: str
    format: str
    territory: str  # a code, or "commun"
    place: str | None
    days: float
    present: int


@dataclass(frozen=True)
class PathEntry:
    """A logged activity of the coordination's path or a governance meeting."""

    day: date
    kind: str
    title: str | None
    quantity: float
    territory: str


@dataclass
class ReportData:
    """Everything the report shows. Figures come from `recap` only."""

    recap: recap_service.YearRecap
    texts: dict[str, str] = field(default_factory=dict)
    sessions: list[SessionLine] = field(default_factory=list)
    trainings: list[PathEntry] = field(default_factory=list)
    governance: list[PathEntry] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.recap.year


# -- texts -----------------------------------------------------------------------------


def check_section(section: str) -> str:
    if section not in TEXT_SECTIONS:
        raise ValidationError(ERR_SECTION)
    return section


async def texts(session: AsyncSession, guild_id: int, year: int) -> dict[str, str]:
    rows = await session.scalars(select(ReportText).where(ReportText.guild_id == guild_id, ReportText.year == year))
    return {row.section: row.body for row in rows}


async def text(session: AsyncSession, guild_id: int, year: int, section: str) -> str | None:
    return (await texts(session, guild_id, year)).get(check_section(section))


async def save_text(
    session: AsyncSession, guild_id: int, year: int, section: str, body: str | None, *, now: datetime
) -> str | None:
    """Store (or, when empty, delete) a section's text; returns what is stored."""
    check_section(section)
    body = clean_text(body, "Le texte", MAX_TEXT, multiline=True)
    await ensure_guild(session, guild_id)
    where = (ReportText.guild_id == guild_id, ReportText.year == year, ReportText.section == section)
    if not body:
        await session.execute(delete(ReportText).where(*where))
        return None
    row = await session.scalar(select(ReportText).where(*where))
    if row is None:
        session.add(ReportText(guild_id=guild_id, year=year, section=section, body=body, updated_at=now))
    else:
        row.body, row.updated_at = body, now
    await session.flush()
    return body


# -- lists -----------------------------------------------------------------------------


async def session_list(session: AsyncSession, guild_id: int, year: int) -> list[SessionLine]:
    """The year's sessions, with the same filter as the recap's count (not cancelled,
    starting in the year, Paris time), by date."""
    e, r = Event, EventRegistration
    w = Window.year(year)
    present = func.coalesce(func.sum(case((r.attended.is_(True), literal(1)), else_=0)), 0)
    stmt = (
        select(e.starts_at, e.title, e.type, e.format, e.territory_code, e.place, e.duration_days, present)
        .select_from(e)
        .outerjoin(r, r.event_id == e.id)
        .where(e.guild_id == guild_id, e.cancelled_at.is_(None), e.starts_at >= w.start, e.starts_at < w.end)
        .group_by(e.id, e.starts_at, e.title, e.type, e.format, e.territory_code, e.place, e.duration_days)
        .order_by(e.starts_at, e.id)
    )
    out = []
    for starts, title, kind, fmt, territory, place, days, attended in (await session.execute(stmt)).tuples():
        out.append(
            SessionLine(
                day=starts.astimezone(PARIS).date(),
                title=title,
                type=kind,
                format=fmt,
                territory=territory or SHARED,
                place=place,
                days=float(days or 0),
                present=int(attended or 0),
            )
        )
    return out


async def path_entries(session: AsyncSession, guild_id: int, year: int, kinds: tuple[str, ...]) -> list[PathEntry]:
    rows = await session.scalars(
        select(Activity)
        .where(
            Activity.guild_id == guild_id,
            Activity.kind.in_(kinds),
            Activity.occurred_on >= date(year, 1, 1),
            Activity.occurred_on <= date(year, 12, 31),
        )
        .order_by(Activity.occurred_on, Activity.id)
    )
    return [PathEntry(a.occurred_on, a.kind, a.note, a.quantity, a.territory_code or SHARED) for a in rows]


async def report_data(session: AsyncSession, guild_id: int, year: int, *, now: datetime) -> ReportData:
    return ReportData(
        recap=await recap_service.year_recap(session, guild_id, year, now=now),
        texts=await texts(session, guild_id, year),
        sessions=await session_list(session, guild_id, year),
        trainings=await path_entries(session, guild_id, year, (COORDINATOR_TRAINING,)),
        governance=await path_entries(session, guild_id, year, GOVERNANCE_KINDS),
    )
