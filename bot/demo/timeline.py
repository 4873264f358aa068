"""Dates of the demo data, relative to the real today (business time is `bot.now()`)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from bot.clock import PARIS


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """An aware UTC instant from a Paris wall-clock time (DST-safe)."""
    return datetime.combine(day, time(hour, minute), PARIS).astimezone(UTC)


def past_year(today: date) -> int:
    """The last full calendar year: what `/bilan annuel` shows by default."""
    return today.year - 1


def workday(day: date) -> date:
    """`day`, or the Monday after it when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def rng(name: str) -> random.Random:
    """A generator of its own per seeder: the demo data is the same at every start."""
    return random.Random(f"pdn-demo-{name}")


async def members(world) -> dict:
    """The demo people's directory rows, by handle (offline people included)."""
    from sqlalchemy import select

    from bot.db.models import Member

    names = {person.name: handle for handle, person in world.people.items()}
    async with world.bot.db.transaction() as session:
        rows = (await session.scalars(select(Member).where(Member.guild_id == world.guild.id))).all()
    return {names[m.display_name]: m for m in rows if m.display_name in names}
