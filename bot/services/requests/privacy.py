"""The privacy hook of the accompaniment requests (/mes-donnees): export, anonymisation,
the columns holding personal data, the thread messages showing a member."""

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member
from bot.db.models.privacy import REQUEST_CARD
from bot.db.models.requests import (
    AccompanimentRequest,
    RequestEvent,
)
from bot.services.members import ANONYMOUS_NAME
from bot.services.privacy import PrivacyHook
from bot.services.requests.labels import kind_label, mode_label, status_label


async def export_member(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    requests = (
        await session.scalars(
            select(AccompanimentRequest)
            .where(AccompanimentRequest.requester_member_id == member.id)
            .order_by(AccompanimentRequest.number)
        )
    ).all()
    return [
        {
            "numero": r.number,
            "type": kind_label(r.kind),
            "modalite": mode_label(r.mode) if r.mode else None,
            "statut": status_label(r.status),
            "territoire": r.territory_code,
            "creee_le": r.created_at.isoformat(),
            "close_le": r.closed_at.isoformat() if r.closed_at else None,
            "sujet": r.subject,
            "besoin": r.details,
            "disponibilites": r.availability,
            "resultat": r.outcome,
            "duree_minutes": r.duration_minutes,
            "personnes_touchees": r.people_reached,
            "note": r.rating,
        }
        for r in requests
    ]


async def anonymise_member(session: AsyncSession, member: Member, now: datetime) -> None:
    """Remove the member's free text from their requests and their name/id from histories
    (theirs and the ones they acted on); kind, territory, dates and figures stay."""
    for request in (
        await session.scalars(select(AccompanimentRequest).where(AccompanimentRequest.requester_member_id == member.id))
    ).all():
        request.subject = request.details = request.availability = request.outcome = None
        for event in (await session.scalars(select(RequestEvent).where(RequestEvent.request_id == request.id))).all():
            event.detail = None
    if member.discord_id is not None:
        for event in (
            await session.scalars(
                select(RequestEvent).where(
                    RequestEvent.guild_id == member.guild_id,
                    RequestEvent.actor_discord_id == member.discord_id,
                )
            )
        ).all():
            event.actor_discord_id = None
            event.actor_name = ANONYMOUS_NAME
        for request in (
            await session.scalars(
                select(AccompanimentRequest).where(
                    AccompanimentRequest.guild_id == member.guild_id,
                    AccompanimentRequest.claimed_by_discord_id == member.discord_id,
                )
            )
        ).all():
            request.claimed_by_discord_id = None
            request.claimed_by_name = ANONYMOUS_NAME
    await session.flush()


async def cards_of(session: AsyncSession, member: Member) -> list[tuple[str, int]]:
    """The request cards (thread messages) showing the member: as requester (name, free
    text) or as the coordinator who follows the request (name)."""
    mine = AccompanimentRequest.requester_member_id == member.id
    if member.discord_id is not None:
        mine = or_(mine, AccompanimentRequest.claimed_by_discord_id == member.discord_id)
    ids = (
        await session.scalars(
            select(AccompanimentRequest.id).where(
                AccompanimentRequest.guild_id == member.guild_id,
                AccompanimentRequest.message_id.is_not(None),
                mine,
            )
        )
    ).all()
    return [(REQUEST_CARD, request_id) for request_id in ids]


PRIVACY_COLUMNS = (
    "accompaniment_requests.subject",
    "accompaniment_requests.details",
    "accompaniment_requests.availability",
    "accompaniment_requests.outcome",
    "accompaniment_requests.claimed_by_discord_id",
    "accompaniment_requests.claimed_by_name",
    "accompaniment_request_events.actor_discord_id",
    "accompaniment_request_events.actor_name",
    "accompaniment_request_events.detail",
)


PRIVACY_HOOK = PrivacyHook(
    name="demandes_accompagnement",
    export=export_member,
    anonymise=anonymise_member,
    columns=PRIVACY_COLUMNS,
    messages=cards_of,
)
