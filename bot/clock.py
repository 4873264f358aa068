"""Business time. The one place that reads the wall clock.

Services take `now` as a parameter; cogs and scheduled jobs call `now()` here. Never use
`discord.utils.utcnow()` or `interaction.created_at` for business time (SimCord pins both).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def today(at: datetime | None = None) -> date:
    """The calendar day in Europe/Paris at `at` (default: now)."""
    return (at or now()).astimezone(PARIS).date()
