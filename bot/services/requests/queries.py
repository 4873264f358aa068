"""Reading requests: by number or id, with their requester, their history, the paged list
(the coordination sees every request, a member only their own), the autocomplete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import changes
from bot.db.models import Member
from bot.db.models.requests import (
    AccompanimentRequest,
    RequestEvent,
)
from bot.errors import NotFoundError, PermissionDeniedError
from bot.services.requests.rules import ERR_NOT_YOURS, Actor

ERR_UNKNOWN = "Aucune demande n°{number} sur ce serveur. Vérifiez le numéro avec /accompagnement liste."


@dataclass(frozen=True)
class RequestView:
    """A request with what a reader needs around it."""

    request: AccompanimentRequest
    requester_name: str | None
    requester_discord_id: int | None


async def requester_of(session: AsyncSession, request: AccompanimentRequest) -> Member | None:
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


async def find(session: AsyncSession, request_id: int) -> AccompanimentRequest | None:
    """The request with this id, whatever its server (None if it was deleted)."""
    return await session.get(AccompanimentRequest, request_id)


async def view(session: AsyncSession, request: AccompanimentRequest) -> RequestView:
    member = await requester_of(session, request)
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
    key = (str(session.get_bind().engine.url), guild_id, actor.coordinator or actor.discord_id, statuses, territory)
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
