"""A member's personal data in the watch: export, anonymisation, the digests naming them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member, OutboxPost
from bot.db.models.privacy import DIGEST
from bot.db.models.watch import WatchContribution, WatchDigest, WatchItem
from bot.services.watch.digests import KIND


def _theirs(member: Member) -> ColumnElement[bool]:
    conditions = [WatchContribution.member_id == member.id]
    if member.discord_id is not None:
        conditions.append(WatchContribution.discord_id == member.discord_id)
    return (WatchContribution.guild_id == member.guild_id) & or_(*conditions)


async def export_member(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = (
        await session.execute(
            select(WatchContribution, WatchItem, WatchDigest.number)
            .join(WatchItem, WatchContribution.item_id == WatchItem.id)
            .outerjoin(WatchDigest, WatchItem.digest_id == WatchDigest.id)
            .where(_theirs(member))
            .order_by(WatchContribution.id)
        )
    ).all()
    return [
        {
            "lien": item.url,
            "titre": item.title,
            "categorie": item.category,
            "commentaire": contribution.comment,
            "partage_le": contribution.created_at.isoformat(),
            "veille_numero": number,
        }
        for contribution, item, number in rows
    ]


async def anonymise_member(session: AsyncSession, member: Member, now: datetime) -> None:
    """Remove the member's name, Discord id and comments from their contributions (and
    their comment shown on an item); the contribution stays counted, unlinkable."""
    contributions = (await session.scalars(select(WatchContribution).where(_theirs(member)))).all()
    for contribution in contributions:
        if contribution.comment:
            item = await session.get(WatchItem, contribution.item_id)
            if item is not None and item.comment == contribution.comment:
                item.comment = None
        contribution.discord_id = None
        contribution.display_name = None
        contribution.comment = None
        contribution.member_id = member.id
    await session.flush()


async def digests_showing(session: AsyncSession, member: Member) -> list[tuple[str, int]]:
    """The published digests (their outbox posts) crediting the member by name."""
    post_ids = (
        await session.scalars(
            select(OutboxPost.id)
            .join(
                WatchDigest,
                (WatchDigest.guild_id == OutboxPost.guild_id) & (WatchDigest.period == OutboxPost.period),
            )
            .join(WatchItem, WatchItem.digest_id == WatchDigest.id)
            .join(WatchContribution, WatchContribution.item_id == WatchItem.id)
            .where(OutboxPost.kind == KIND, OutboxPost.message_ids != "[]", _theirs(member))
            .distinct()
        )
    ).all()
    return [(DIGEST, post_id) for post_id in post_ids]


PRIVACY_COLUMNS = (
    "watch_contributions.discord_id",
    "watch_contributions.display_name",
    "watch_contributions.comment",
    "watch_items.comment",
)
