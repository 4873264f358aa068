"""Accompaniment figures for the monthly summary and the year-end recap.

Definitions (DESIGN.md §3):
- **requested**: requests created in [start, end), every source and status, by the kind,
  the territory and strand the requester had when asking, and the month (Europe/Paris);
- **done**: requests closed as done in [start, end) (the accompaniments of the recap), in
  the territory the request was made from; help recorded outside Discord counts here too;
- **median time to first response**: requests made on Discord in the window that got a
  first response (claim or schedule), `first_response_at - created_at`;
- **median time to close**: requests made on Discord closed as done in the window,
  `closed_at - created_at`. Help recorded outside Discord has no waiting time and is left
  out of both medians.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db.models.requests import CANCELLED, DISCORD, DONE, AccompanimentRequest

NONE_KEY = ""  # territory or strand unknown


@dataclass
class Breakdown:
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_territory: dict[str, int] = field(default_factory=dict)  # "" = unknown
    by_strand: dict[str, int] = field(default_factory=dict)  # "" = unknown
    by_month: dict[str, int] = field(default_factory=dict)  # "2027-06" (Paris time)
    by_territory_kind: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def of(cls, requests: list[AccompanimentRequest], when: str) -> Breakdown:
        def month(r: AccompanimentRequest) -> str:
            return getattr(r, when).astimezone(PARIS).strftime("%Y-%m")

        return cls(
            total=len(requests),
            by_kind=dict(Counter(r.kind for r in requests)),
            by_territory=dict(Counter(r.territory_code or NONE_KEY for r in requests)),
            by_strand=dict(Counter(r.strand or NONE_KEY for r in requests)),
            by_month=dict(sorted(Counter(month(r) for r in requests).items())),
            by_territory_kind=dict(Counter((r.territory_code or NONE_KEY, r.kind) for r in requests)),
        )


@dataclass
class RequestFigures:
    start: datetime
    end: datetime
    requested: Breakdown
    done: Breakdown
    cancelled: int
    median_first_response: timedelta | None
    median_to_close: timedelta | None
    offline_done: int
    average_rating: float | None
    ratings: int


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    return timedelta(seconds=statistics.median(v.total_seconds() for v in values))


async def figures(session: AsyncSession, guild_id: int, start: datetime, end: datetime) -> RequestFigures:
    """Requests made, and accompaniments done, in [start, end) (aware datetimes)."""
    rows = list(
        (
            await session.scalars(
                select(AccompanimentRequest).where(
                    AccompanimentRequest.guild_id == guild_id,
                    or_(
                        and_(
                            AccompanimentRequest.created_at >= start,
                            AccompanimentRequest.created_at < end,
                        ),
                        and_(
                            AccompanimentRequest.closed_at >= start,
                            AccompanimentRequest.closed_at < end,
                        ),
                    ),
                )
            )
        ).all()
    )
    made = [r for r in rows if start <= r.created_at < end]
    closed = [r for r in rows if r.closed_at is not None and start <= r.closed_at < end]
    done = [r for r in closed if r.status == DONE]
    rated = [r.rating for r in done if r.rating]
    return RequestFigures(
        start=start,
        end=end,
        requested=Breakdown.of(made, "created_at"),
        done=Breakdown.of(done, "closed_at"),
        cancelled=sum(1 for r in closed if r.status == CANCELLED),
        median_first_response=_median(
            [r.first_response_at - r.created_at for r in made if r.source == DISCORD and r.first_response_at]
        ),
        median_to_close=_median([r.closed_at - r.created_at for r in done if r.source == DISCORD]),  # type: ignore[operator]
        offline_done=sum(1 for r in done if r.source != DISCORD),
        average_rating=round(sum(rated) / len(rated), 2) if rated else None,
        ratings=len(rated),
    )
