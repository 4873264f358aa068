"""Activity logging: one command to record a presentation, a workshop, hours of online
presence or coordination time, dated and placed in a territory or "commun"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member
from bot.db.models.activity import (
    ACTIVITY_KINDS,
    COORDINATION,
    COORDINATOR_TRAINING,
    ONLINE_PRESENCE,
    OTHER,
    PRESENTATION,
    PUBLIC_WORKSHOP,
    SCHOOL,
    STEERING_COMMITTEE,
    TECHNICAL_COMMITTEE,
    Activity,
)
from bot.errors import NotFoundError, PermissionDeniedError, ValidationError
from bot.services import members as members_service
from bot.services.guilds import ensure_guild, require_territory
from bot.services.privacy import PrivacyHook
from bot.text import clean_text

SHARED = "commun"
KIND_LABELS = {
    PRESENTATION: "Présentation du dispositif",
    PUBLIC_WORKSHOP: "Animation ou atelier avec le public",
    SCHOOL: "Intervention en établissement scolaire",
    ONLINE_PRESENCE: "Temps de présence éducative en ligne (heures)",
    COORDINATION: "Temps de coordination (heures)",
    OTHER: "Autre",
    COORDINATOR_TRAINING: "Formation ou temps d'échange suivi par la coordination",
    TECHNICAL_COMMITTEE: "Comité technique",
    STEERING_COMMITTEE: "Comité de pilotage",
}
SHORT_LABELS = {
    PRESENTATION: "Présentations",
    PUBLIC_WORKSHOP: "Animations / ateliers",
    SCHOOL: "Interventions scolaires",
    ONLINE_PRESENCE: "Présence en ligne (h)",
    COORDINATION: "Coordination (h)",
    OTHER: "Autres",
    COORDINATOR_TRAINING: "Formations de la coordination",
    TECHNICAL_COMMITTEE: "Comités techniques",
    STEERING_COMMITTEE: "Comités de pilotage",
}
HOURS_KINDS = frozenset({ONLINE_PRESENCE, COORDINATION})
GOVERNANCE_KINDS = (TECHNICAL_COMMITTEE, STEERING_COMMITTEE)
# Logged by the coordination only (and needing no Promeneur profile).
COORDINATION_ONLY = frozenset({COORDINATION, COORDINATOR_TRAINING, *GOVERNANCE_KINDS})
MAX_COUNT = 50
MAX_HOURS = 300.0
# Coordination time is often entered for a whole period at once (a coordinator catching up
# on last year): up to 2,000 h per entry (a full-time year is about 1,600 h), dated on the
# period's last day.
MAX_COORDINATION_HOURS = 2000.0
EARLIEST = date(2000, 1, 1)
MAX_NOTE = 300

ERR_KIND = "Type d'activité inconnu\u00a0: choisissez-en un dans la liste proposée."
ERR_COORDINATION_KIND = "Le temps de coordination est saisi par la coordination uniquement."
ERR_COORDINATION_PATH_KIND = (
    "Les formations de la coordination et les comités sont saisis par la coordination uniquement."
)
ERR_TRAINING_TITLE = (
    "Indiquez l'intitulé de la formation dans «\u00a0note\u00a0» (par exemple «\u00a0Valeurs de la République "
    "et Laïcité, FCS de l'Allier\u00a0»)\u00a0: il figure dans le rapport annuel."
)
ERR_COUNT = (
    "La quantité doit être un nombre entier entre 1 et {max} (vous avez indiqué {value}). "
    "Pour davantage, faites plusieurs saisies."
)
ERR_HOURS = "Le nombre d'heures doit être compris entre 0,25 et {max} (vous avez indiqué {value})."
ERR_FUTURE = "La date {value} est dans le futur\u00a0: une activité se saisit une fois réalisée."
ERR_TOO_OLD = "La date {value} est trop ancienne\u00a0: indiquez une date à partir de 2000."
ERR_UNKNOWN = "Cette saisie est introuvable (déjà annulée\u00a0?). Choisissez-la dans la liste proposée."
ERR_NOT_YOURS = "Vous ne pouvez annuler que vos propres saisies."
ERR_NEED_TERRITORY = "Indiquez le territoire de cette activité (ou «\u00a0commun\u00a0»)."
ERR_NO_TERRITORY = "Indiquez le territoire de cette activité (ou «\u00a0commun\u00a0»)\u00a0: votre profil n'en a pas."


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def format_quantity(kind: str, quantity: float) -> str:
    """ "3", "1,5 h"."""
    text = f"{quantity:g}".replace(".", ",")
    return f"{text} h" if kind in HOURS_KINDS else text


def validate_quantity(kind: str, quantity: float | None) -> float:
    if quantity is None:
        return 1.0
    shown = f"{quantity:g}".replace(".", ",")
    if kind in HOURS_KINDS:
        limit = MAX_COORDINATION_HOURS if kind == COORDINATION else MAX_HOURS
        if not 0.25 <= quantity <= limit:
            raise ValidationError(ERR_HOURS.format(max=f"{limit:,.0f}".replace(",", "\u202f"), value=shown))
        return round(quantity * 4) / 4  # quarter hours
    if quantity != int(quantity) or not 1 <= quantity <= MAX_COUNT:
        raise ValidationError(ERR_COUNT.format(max=MAX_COUNT, value=shown))
    return float(quantity)


def validate_day(day: date, today: date) -> date:
    if day > today:
        raise ValidationError(ERR_FUTURE.format(value=day.strftime("%d/%m/%Y")))
    if day < EARLIEST:
        raise ValidationError(ERR_TOO_OLD.format(value=day.strftime("%d/%m/%Y")))
    return day


async def log_activity(
    session: AsyncSession,
    guild_id: int,
    discord_id: int,
    kind: str,
    *,
    quantity: float | None = None,
    day: date | None = None,
    territory: str | None = None,
    note: str | None = None,
    today: date,
    is_coordinator: bool = False,
) -> Activity:
    """Record an activity. Date defaults to today, territory to the member's profile;
    "commun" means all territories. Coordination time is for the coordination only. The
    coordination needs no Promeneur profile for any kind (it does most presentations): it
    then names the territory or « commun »."""
    if kind not in ACTIVITY_KINDS:
        raise ValidationError(ERR_KIND)
    if kind in COORDINATION_ONLY and not is_coordinator:
        raise PermissionDeniedError(ERR_COORDINATION_KIND if kind == COORDINATION else ERR_COORDINATION_PATH_KIND)
    quantity = validate_quantity(kind, quantity)
    day = validate_day(day or today, today)
    note = clean_text(note, "La note", MAX_NOTE)
    if kind == COORDINATOR_TRAINING and not note:
        raise ValidationError(ERR_TRAINING_TITLE)
    await ensure_guild(session, guild_id)
    member = await members_service.find_by_discord(session, guild_id, discord_id)
    if member is None and kind not in COORDINATION_ONLY and not is_coordinator:
        member = await members_service.require_profile(session, guild_id, discord_id)
    code: str | None
    if territory is not None and territory.strip().casefold() in (SHARED, ""):
        code = None
    elif territory is not None:
        code = (await require_territory(session, guild_id, territory)).code
    elif kind in COORDINATION_ONLY:
        code = None
    else:
        if member is None:  # the coordination, without a Promeneur profile
            raise ValidationError(ERR_NEED_TERRITORY)
        period = member.current_period
        if period is None or period.territory_code is None:
            raise ValidationError(ERR_NO_TERRITORY)
        code = period.territory_code
    activity = Activity(
        guild_id=guild_id,
        member_id=member.id if member else None,
        author_discord_id=discord_id,
        kind=kind,
        quantity=quantity,
        occurred_on=day,
        territory_code=code,
        note=note,
    )
    session.add(activity)
    await session.flush()
    return activity


async def mine(session: AsyncSession, guild_id: int, discord_id: int, *, limit: int = 200) -> list[Activity]:
    """The caller's entries, newest first."""
    stmt = (
        select(Activity)
        .where(Activity.guild_id == guild_id, Activity.author_discord_id == discord_id)
        .order_by(Activity.occurred_on.desc(), Activity.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(stmt)).all())


async def mine_page(
    session: AsyncSession, guild_id: int, discord_id: int, *, offset: int = 0, limit: int = 20
) -> tuple[list[Activity], int]:
    """One page of `mine` (newest first) and the true number of the caller's entries."""
    where = (Activity.guild_id == guild_id, Activity.author_discord_id == discord_id)
    stmt = (
        select(Activity)
        .where(*where)
        .order_by(Activity.occurred_on.desc(), Activity.id.desc())
        .offset(max(offset, 0))
        .limit(limit)
    )
    entries = list((await session.scalars(stmt)).all())
    total = await session.scalar(select(func.count()).select_from(Activity).where(*where))
    return entries, int(total or 0)


@dataclass(frozen=True)
class MyTotals:
    kind: str
    entries: int
    quantity: float


async def my_totals(session: AsyncSession, guild_id: int, discord_id: int, *, year: int) -> list[MyTotals]:
    rows = await session.execute(
        select(Activity.kind, func.count(), func.sum(Activity.quantity))
        .where(
            Activity.guild_id == guild_id,
            Activity.author_discord_id == discord_id,
            Activity.occurred_on >= date(year, 1, 1),
            Activity.occurred_on <= date(year, 12, 31),
        )
        .group_by(Activity.kind)
    )
    order = {k: i for i, k in enumerate(ACTIVITY_KINDS)}
    return sorted(
        (MyTotals(kind, count, float(total or 0)) for kind, count, total in rows),
        key=lambda t: order.get(t.kind, 99),
    )


async def cancel(session: AsyncSession, guild_id: int, discord_id: int, activity_id: int) -> Activity:
    """Delete one of the caller's own entries."""
    activity = await session.get(Activity, activity_id)
    if activity is None or activity.guild_id != guild_id:
        raise NotFoundError(ERR_UNKNOWN)
    if activity.author_discord_id != discord_id:
        raise PermissionDeniedError(ERR_NOT_YOURS)
    await session.delete(activity)
    await session.flush()
    return activity


# -- personal data ---------------------------------------------------------------------


async def _export(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    conditions = [Activity.member_id == member.id]
    if member.discord_id is not None:
        conditions.append(Activity.author_discord_id == member.discord_id)
    rows = await session.scalars(
        select(Activity)
        .where(Activity.guild_id == member.guild_id, or_(*conditions))
        .order_by(Activity.occurred_on, Activity.id)
    )
    return [
        {
            "type": kind_label(a.kind),
            "quantite": a.quantity,
            "date": a.occurred_on.isoformat(),
            "territoire": a.territory_code or SHARED,
            "note": a.note,
        }
        for a in rows
    ]


async def _anonymise(session: AsyncSession, member: Member, now: datetime) -> None:
    """Notes are free text: removed. The entry itself (kind, date, territory) stays for the
    statistics, no longer linked to the author."""
    conditions = [Activity.member_id == member.id]
    if member.discord_id is not None:
        conditions.append(Activity.author_discord_id == member.discord_id)
    await session.execute(
        update(Activity)
        .where(Activity.guild_id == member.guild_id, or_(*conditions))
        .values(note=None, author_discord_id=None)
    )


PRIVACY_HOOK = PrivacyHook(
    name="activites",
    export=_export,
    anonymise=_anonymise,
    columns=("activities.author_discord_id", "activities.note"),
)
