"""Retention of the accompaniment requests: the free text of a request closed more than 24
months ago is removed (the figures stay), and its card in the thread is owed a redaction."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.privacy import REQUEST_CARD
from bot.db.models.requests import (
    CLOSED,
    AccompanimentRequest,
    RequestEvent,
)
from bot.db.session import requires_lock
from bot.services import redactions

RETENTION_MONTHS = 24


def months_before(moment: datetime, months: int) -> datetime:
    """The same instant `months` calendar months earlier (day clamped to the month's end)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


@requires_lock
async def purge_expired(
    session: AsyncSession, now: datetime, *, months: int = RETENTION_MONTHS, guild_id: int | None = None
) -> list[AccompanimentRequest]:
    """Remove the free text (subject, need, availability, outcome, history details) of
    requests closed more than `months` months ago. Figures stay. Returns the purged ones;
    their cards in the threads are owed a redaction (recorded here, same transaction)."""
    limit = months_before(now, months)
    stmt = select(AccompanimentRequest).where(
        AccompanimentRequest.status.in_(CLOSED),
        AccompanimentRequest.closed_at <= limit,
        AccompanimentRequest.purged_at.is_(None),
    )
    if guild_id is not None:
        stmt = stmt.where(AccompanimentRequest.guild_id == guild_id)
    purged = list((await session.scalars(stmt)).all())
    for request in purged:
        request.subject = request.details = request.availability = request.outcome = None
        request.purged_at = now
        for event in (await session.scalars(select(RequestEvent).where(RequestEvent.request_id == request.id))).all():
            event.detail = None
    with_cards: dict[int, list[int]] = {}
    for request in purged:
        if request.message_id is not None:
            with_cards.setdefault(request.guild_id, []).append(request.id)
    for owner, request_ids in with_cards.items():
        await redactions.record(session, owner, REQUEST_CARD, request_ids, now=now)
    await session.flush()
    return purged
