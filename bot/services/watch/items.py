"""The links of the draft (items): adding one (or one more contributor), removing,
commenting, featuring, accepting a feed's proposal, changing the category, ordering.

An *item* is a link (published as the member gave it, minus trackers; matched on its
canonical key, see `bot.services.watch.urls`) with a category, an optional comment and its
contributors; it is *pending* (in the draft) while it belongs to no digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models.watch import ACCEPTED, PROPOSED, REMOVED, WatchContribution, WatchItem
from bot.db.session import requires_lock
from bot.errors import ConflictError, NotFoundError, PermissionDeniedError
from bot.services import members as members_service
from bot.services.watch import draft as watch_draft
from bot.services.watch.urls import parse_link
from bot.text import clean_text

MAX_COMMENT = 500

ERR_NO_LINK = "Ce message ne contient pas de lien web (http ou https). Utilisez /veille ajouter pour proposer un lien."
ERR_ALREADY_YOURS = "Vous avez déjà partagé ce lien pour la prochaine veille\u00a0: il y figure bien."
ERR_REMOVED = (
    "Ce lien a été écarté de la prochaine veille par la coordination. Parlez-en avec elle "
    "si vous pensez qu'il y a sa place."
)
ERR_ITEM_UNKNOWN = "Ce lien n'est pas (ou plus) dans le brouillon de la veille."
ERR_NOT_YOUR_ITEM = (
    "Vous ne pouvez retirer que les liens que vous êtes seul·e à avoir partagés. "
    "Demandez à la coordination pour les autres."
)
ERR_NOT_CONTRIBUTOR = "Seule la personne qui a partagé ce lien peut changer sa catégorie."


# -- items ------------------------------------------------------------------------------


@dataclass
class AddResult:
    item: WatchItem
    created: bool  # a new item (False: joined an item already in the draft)
    others: list[str] = field(default_factory=list)  # who had shared it before


async def pending_by_url(session: AsyncSession, guild_id: int, url: str) -> WatchItem | None:
    """The draft's item for the same page as `url` (same canonical key), if any."""
    return await pending_by_key(session, guild_id, parse_link(url).key)


async def pending_by_key(session: AsyncSession, guild_id: int, key: str) -> WatchItem | None:
    return await session.scalar(
        select(WatchItem)
        .where(
            WatchItem.guild_id == guild_id,
            WatchItem.url_key == key,
            WatchItem.digest_id.is_(None),
        )
        .order_by(WatchItem.id)
        .limit(1)
    )


async def next_position(session: AsyncSession, guild_id: int) -> int:
    top = await session.scalar(
        select(func.max(WatchItem.position)).where(WatchItem.guild_id == guild_id, WatchItem.digest_id.is_(None))
    )
    return (top or 0) + 1


@requires_lock
async def add_link(
    session: AsyncSession,
    guild_id: int,
    *,
    url: str,
    discord_id: int,
    display_name: str,
    now: datetime,
    category: str | None = None,
    comment: str | None = None,
    title: str | None = None,
    source_channel_id: int | None = None,
    source_message_id: int | None = None,
) -> AddResult:
    """Add a member's link to the draft. The same page already in the draft (same canonical
    key: `…/parents` and `…/parents/#top`) gets one more contributor instead of a second
    item; its published link stays the first one."""
    link = parse_link(url)
    comment = clean_text(comment, "Le commentaire", MAX_COMMENT, multiline=True)
    await watch_draft.watch_settings(session, guild_id, lock=True)
    chosen = await watch_draft.category(session, guild_id, category) if category else None
    member = await members_service.find_by_discord(session, guild_id, discord_id)
    item = await pending_by_key(session, guild_id, link.key)
    created = item is None
    others: list[str] = []
    if item is None:
        item = WatchItem(
            guild_id=guild_id,
            url=link.url,
            url_key=link.key,
            title=title,
            category=chosen or await watch_draft.category(session, guild_id, None),
            comment=comment,
            status=ACCEPTED,
            featured=False,
            position=await next_position(session, guild_id),
            source_channel_id=source_channel_id,
            source_message_id=source_message_id,
            created_at=now,
        )
        session.add(item)
        await session.flush()
    else:
        shared = await watch_draft.contributions(session, [item.id])
        if any(c.discord_id == discord_id for c in shared.get(item.id, [])):
            raise ConflictError(ERR_ALREADY_YOURS)
        if item.status == REMOVED:
            raise ConflictError(ERR_REMOVED)
        others = [c.display_name or "un membre" for c in shared.get(item.id, [])]
        if item.status == PROPOSED:  # a member vouches for a feed's proposal
            item.status = ACCEPTED
            if chosen:
                item.category = chosen
        item.title = item.title or title
        if comment and not item.comment:
            item.comment = comment
        if item.source_message_id is None and source_message_id is not None:
            item.source_channel_id, item.source_message_id = source_channel_id, source_message_id
    session.add(
        WatchContribution(
            guild_id=guild_id,
            item_id=item.id,
            member_id=member.id if member else None,
            discord_id=discord_id,
            display_name=(member.display_name if member else display_name)[:100],
            comment=comment,
            created_at=now,
        )
    )
    await session.flush()
    return AddResult(item=item, created=created, others=others)


async def pending_item(session: AsyncSession, guild_id: int, item_id: int) -> WatchItem:
    item = await session.get(WatchItem, item_id, with_for_update=True, populate_existing=True)
    if item is None or item.guild_id != guild_id or item.digest_id is not None or item.status == REMOVED:
        raise NotFoundError(ERR_ITEM_UNKNOWN)
    return item


async def removable_item(
    session: AsyncSession, guild_id: int, item_id: int, *, discord_id: int, coordinator: bool
) -> WatchItem:
    """The item, if this person may take it out of the draft (nothing is changed)."""
    item = await pending_item(session, guild_id, item_id)
    if not coordinator:
        contributors = {c.discord_id for c in (await watch_draft.contributions(session, [item.id])).get(item.id, [])}
        if contributors != {discord_id}:
            raise PermissionDeniedError(ERR_NOT_YOUR_ITEM)
    return item


@requires_lock
async def remove_item(
    session: AsyncSession, guild_id: int, item_id: int, *, discord_id: int, coordinator: bool
) -> WatchItem:
    """Take an item out of the draft: the coordination, or its only contributor."""
    item = await removable_item(session, guild_id, item_id, discord_id=discord_id, coordinator=coordinator)
    item.status = REMOVED
    item.featured = False
    return item


@requires_lock
async def set_comment(session: AsyncSession, guild_id: int, item_id: int, comment: str | None) -> WatchItem:
    item = await pending_item(session, guild_id, item_id)
    item.comment = clean_text(comment, "Le commentaire", MAX_COMMENT, multiline=True)
    return item


@requires_lock
async def toggle_featured(session: AsyncSession, guild_id: int, item_id: int) -> WatchItem:
    item = await pending_item(session, guild_id, item_id)
    item.featured = not item.featured
    if item.featured:
        item.status = ACCEPTED
    return item


@requires_lock
async def accept_item(session: AsyncSession, guild_id: int, item_id: int) -> WatchItem:
    item = await pending_item(session, guild_id, item_id)
    item.status = ACCEPTED
    return item


@requires_lock
async def set_category(
    session: AsyncSession, guild_id: int, item_id: int, category: str, *, discord_id: int | None
) -> WatchItem:
    """Change an item's category: the coordination (`discord_id=None`) or a contributor."""
    item = await pending_item(session, guild_id, item_id)
    if discord_id is not None:
        contributors = {c.discord_id for c in (await watch_draft.contributions(session, [item.id])).get(item.id, [])}
        if discord_id not in contributors:
            raise PermissionDeniedError(ERR_NOT_CONTRIBUTOR)
    item.category = await watch_draft.category(session, guild_id, category)
    return item


@requires_lock
async def move_item(session: AsyncSession, guild_id: int, item_id: int, offset: int) -> WatchItem:
    """Move an item up (-1) or down (+1) among the draft items of its section."""
    await watch_draft.watch_settings(session, guild_id, lock=True)
    item = await pending_item(session, guild_id, item_id)
    pending = await watch_draft.draft_items(session, guild_id)
    section = [i for i in pending.items if section_of(i) == section_of(item)]
    index = next(n for n, i in enumerate(section) if i.id == item.id)
    target = index + offset
    if 0 <= target < len(section):
        section[index], section[target] = section[target], section[index]
        positions = sorted(i.position or 0 for i in section)
        if len(set(positions)) < len(positions):  # repair duplicates first
            positions = list(range(min(positions), min(positions) + len(positions)))
        for new_position, moved in zip(positions, section, strict=True):
            moved.position = new_position
    return item


def section_of(item: WatchItem) -> str:
    return "\0featured" if item.featured else item.category


async def search_pending(session: AsyncSession, guild_id: int, query: str) -> list[WatchItem]:
    pending = await watch_draft.draft_items(session, guild_id)
    wanted = (query or "").casefold().strip()
    return [item for item in pending.items if wanted in (item.title or "").casefold() or wanted in item.url.casefold()]
