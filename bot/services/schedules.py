"""When scheduled posts go out. Each feature offers its kinds of post with a default
schedule (the bot's feature registry passes them here); `/config planning` changes them per
server. Times are Europe/Paris wall-clock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Schedule
from bot.db.session import requires_lock
from bot.errors import NotFoundError, ValidationError
from bot.services.guilds import ensure_guild

DAILY, WEEKLY, MONTHLY, YEARLY = "daily", "weekly", "monthly", "yearly"
FREQUENCY_LABELS = {
    DAILY: "chaque jour",
    WEEKLY: "chaque semaine",
    MONTHLY: "chaque mois",
    YEARLY: "chaque année",
}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

ERR_UNKNOWN_KIND = "Publication inconnue. Choisissez parmi\u00a0: {labels}."
ERR_NO_KIND = "Aucune publication programmée n'est disponible sur ce bot pour l'instant."
ERR_FREQUENCY = "«\u00a0{label}\u00a0» peut être publiée\u00a0: {allowed}."
ERR_HOUR = "L'heure doit être comprise entre 0 et 23, et les minutes entre 0 et 59."
ERR_DAY = "Le jour du mois doit être compris entre 1 et 28 (pour exister chaque mois)."
ERR_WEEKDAY = "Indiquez un jour de la semaine (lundi à dimanche)."


@dataclass(frozen=True)
class ScheduleValue:
    frequency: str
    hour: int
    minute: int = 0
    weekday: int | None = None  # 0 = Monday
    day_of_month: int | None = None
    enabled: bool = True
    updated_at: datetime | None = None

    def describe(self) -> str:
        """ "chaque lundi à 9 h", "chaque mois le 1er à 9 h 30"."""
        at = f"{self.hour} h" + (f" {self.minute:02d}" if self.minute else "")
        if not self.enabled:
            return "désactivée"
        if self.frequency == WEEKLY and self.weekday is not None:
            return f"chaque {WEEKDAYS[self.weekday]} à {at}"
        if self.frequency == MONTHLY and self.day_of_month:
            day = "1er" if self.day_of_month == 1 else str(self.day_of_month)
            return f"chaque mois le {day} à {at}"
        return f"{FREQUENCY_LABELS[self.frequency]} à {at}"


@dataclass(frozen=True)
class ScheduleKind:
    """A kind of scheduled post a feature offers (the weekly digest, the monthly summary…)."""

    name: str
    label: str
    default: ScheduleValue
    frequencies: tuple[str, ...]


def find_kind(kinds: Mapping[str, ScheduleKind], name: str) -> ScheduleKind:
    """The kind `name` among those the bot's features offer (a French error otherwise)."""
    if not kinds:
        raise NotFoundError(ERR_NO_KIND)
    try:
        return kinds[name]
    except KeyError:
        labels = ", ".join(k.label for k in kinds.values())
        raise NotFoundError(ERR_UNKNOWN_KIND.format(labels=labels)) from None


def _value(row: Schedule) -> ScheduleValue:
    return ScheduleValue(
        frequency=row.frequency,
        hour=row.hour,
        minute=row.minute,
        weekday=row.weekday,
        day_of_month=row.day_of_month,
        enabled=row.enabled,
        updated_at=row.updated_at,
    )


async def get_schedule(session: AsyncSession, guild_id: int, kind: ScheduleKind) -> ScheduleValue:
    row = await session.get(Schedule, (guild_id, kind.name))
    return _value(row) if row else kind.default


async def all_schedules(
    session: AsyncSession, guild_id: int, kinds: Mapping[str, ScheduleKind]
) -> dict[str, ScheduleValue]:
    """The schedule of each of `kinds` in this server (its default when never changed)."""
    rows = (await session.scalars(select(Schedule).where(Schedule.guild_id == guild_id))).all()
    stored = {row.kind: _value(row) for row in rows}
    return {name: stored.get(name, k.default) for name, k in kinds.items()}


@requires_lock
async def set_schedule(
    session: AsyncSession,
    guild_id: int,
    spec: ScheduleKind,
    *,
    now: datetime,
    frequency: str | None = None,
    hour: int | None = None,
    minute: int | None = None,
    weekday: int | None = None,
    day_of_month: int | None = None,
    enabled: bool | None = None,
) -> ScheduleValue:
    """Change a schedule; what is not given keeps its current value."""
    name = spec.name
    current = await get_schedule(session, guild_id, spec)
    value = replace(
        current,
        frequency=frequency or current.frequency,
        hour=current.hour if hour is None else hour,
        minute=current.minute if minute is None else minute,
        weekday=current.weekday if weekday is None else weekday,
        day_of_month=current.day_of_month if day_of_month is None else day_of_month,
        enabled=current.enabled if enabled is None else enabled,
        updated_at=now,
    )
    if value.frequency not in spec.frequencies:
        allowed = ", ".join(FREQUENCY_LABELS[f] for f in spec.frequencies)
        raise ValidationError(ERR_FREQUENCY.format(label=spec.label, allowed=allowed))
    if not (0 <= value.hour <= 23 and 0 <= value.minute <= 59):
        raise ValidationError(ERR_HOUR)
    if value.frequency == WEEKLY and (value.weekday is None or not 0 <= value.weekday <= 6):
        raise ValidationError(ERR_WEEKDAY)
    if value.frequency == MONTHLY:
        if value.day_of_month is None:
            value = replace(value, day_of_month=1)
        if not 1 <= (value.day_of_month or 0) <= 28:
            raise ValidationError(ERR_DAY)
    await ensure_guild(session, guild_id)
    row = await session.get(Schedule, (guild_id, name))
    if row is None:
        row = Schedule(guild_id=guild_id, kind=name)
        session.add(row)
    row.frequency, row.hour, row.minute = value.frequency, value.hour, value.minute
    row.weekday, row.day_of_month, row.enabled = value.weekday, value.day_of_month, value.enabled
    row.updated_at = now
    return value
