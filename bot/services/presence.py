"""Weekly online-presence slots (« permanences »): each Promeneur declares theirs (day, hours,
network); /permanences shows who is online when, by territory. Times are Europe/Paris wall
clock times, a slot lies within one day (start < end, 00:00–24:00). A removed slot keeps its
row with `removed_on`, so that a past year's weekly hours (bot.services.indicators) do not
change."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member, MemberPeriod
from bot.db.models.indicators import PresenceSlot
from bot.errors import NotFoundError, ValidationError
from bot.parsing import refuse_foreign_digits
from bot.services import members as members_service
from bot.services.survey import NETWORKS
from bot.text import quote

DAYS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
MAX_SLOTS = 20  # per Promeneur
_TIME = re.compile(r"^(?P<h>\d{1,2})\s*(?:[h:.]\s*(?P<m>\d{2})?)?$", re.IGNORECASE)

ERR_TIME = "« {value} » n'est pas une heure : écrivez-la comme « 18h », « 18h30 » ou « 18:30 »."
ERR_ORDER = "La fin ({end}) doit être après le début ({start}), le même jour."
ERR_NETWORK = "Réseau inconnu : choisissez-le dans la liste."
ERR_DAY = "Jour inconnu : choisissez-le dans la liste."
ERR_TOO_MANY = "Vous avez déjà {max} permanences : retirez-en une avant d'en ajouter."
ERR_OVERLAP = "Ce créneau chevauche votre permanence du {day} {start}–{end} sur {network}."
ERR_UNKNOWN = "Cette permanence est introuvable (choisissez-la dans la liste)."


def parse_time(text: str, *, end: bool = False) -> int:
    """ "18h", "18h30", "18:30", "9" → minutes after midnight; "24h" only as an end."""
    raw = (text or "").strip()
    refuse_foreign_digits(raw)
    match = _TIME.fullmatch(raw)
    if match is None or not raw.isascii():
        raise ValidationError(ERR_TIME.format(value=quote(raw)))
    hours, minutes = int(match["h"]), int(match["m"] or 0)
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not end)):
        raise ValidationError(ERR_TIME.format(value=quote(raw)))
    return hours * 60 + minutes


def format_time(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


@dataclass(frozen=True)
class SlotView:
    id: int
    member_name: str
    territory: str | None
    weekday: int
    start: int
    end: int
    network: str

    @property
    def hours(self) -> str:
        return f"{format_time(self.start)}–{format_time(self.end)}"


async def add_slot(
    session: AsyncSession,
    guild_id: int,
    discord_id: int,
    weekday: int,
    start: str,
    end: str,
    network: str,
    *,
    today: date,
) -> PresenceSlot:
    if not 0 <= weekday < 7:
        raise ValidationError(ERR_DAY)
    if network not in NETWORKS:
        raise ValidationError(ERR_NETWORK)
    first, last = parse_time(start), parse_time(end, end=True)
    if last <= first:
        raise ValidationError(ERR_ORDER.format(start=format_time(first), end=format_time(last)))
    member = await members_service.require_profile(session, guild_id, discord_id)
    mine = await _open_slots(session, guild_id, member.id)
    if len(mine) >= MAX_SLOTS:
        raise ValidationError(ERR_TOO_MANY.format(max=MAX_SLOTS))
    for slot in mine:
        if slot.weekday == weekday and slot.start_minute < last and first < slot.end_minute:
            raise ValidationError(
                ERR_OVERLAP.format(
                    day=DAYS[slot.weekday].lower(),
                    start=format_time(slot.start_minute),
                    end=format_time(slot.end_minute),
                    network=slot.network,
                )
            )
    slot = PresenceSlot(
        guild_id=guild_id,
        member_id=member.id,
        weekday=weekday,
        start_minute=first,
        end_minute=last,
        network=network,
        created_on=today,
    )
    session.add(slot)
    await session.flush()
    return slot


async def _open_slots(session: AsyncSession, guild_id: int, member_id: int) -> list[PresenceSlot]:
    return list(
        (
            await session.scalars(
                select(PresenceSlot)
                .where(
                    PresenceSlot.guild_id == guild_id,
                    PresenceSlot.member_id == member_id,
                    PresenceSlot.removed_on.is_(None),
                )
                .order_by(PresenceSlot.weekday, PresenceSlot.start_minute)
            )
        ).all()
    )


async def my_slots(session: AsyncSession, guild_id: int, discord_id: int) -> list[PresenceSlot]:
    member = await members_service.find_by_discord(session, guild_id, discord_id)
    return [] if member is None else await _open_slots(session, guild_id, member.id)


async def remove_slot(
    session: AsyncSession, guild_id: int, discord_id: int, slot_id: int, *, today: date
) -> PresenceSlot:
    """Only the member's own open slot; the row stays for past years (removed_on)."""
    member = await members_service.require_profile(session, guild_id, discord_id)
    slot = await session.get(PresenceSlot, slot_id)
    if slot is None or slot.guild_id != guild_id or slot.member_id != member.id or slot.removed_on is not None:
        raise NotFoundError(ERR_UNKNOWN)
    if slot.created_on >= today:  # declared by mistake today: gone, it never counted
        await session.delete(slot)
    else:
        slot.removed_on = today
    await session.flush()
    return slot


async def grid(session: AsyncSession, guild_id: int, territory: str | None, *, today: date) -> list[SlotView]:
    """The open slots of the active Promeneurs (of `territory` if given), by day and hour."""
    stmt = (
        select(PresenceSlot, Member.display_name, MemberPeriod.territory_code)
        .join(Member, Member.id == PresenceSlot.member_id)
        .join(MemberPeriod, MemberPeriod.member_id == Member.id)
        .where(
            PresenceSlot.guild_id == guild_id,
            PresenceSlot.removed_on.is_(None),
            Member.anonymised_at.is_(None),
            or_(Member.left_on.is_(None), Member.left_on >= today),
            MemberPeriod.valid_to.is_(None),
        )
        .order_by(PresenceSlot.weekday, PresenceSlot.start_minute, Member.display_name)
    )
    if territory:
        stmt = stmt.where(MemberPeriod.territory_code == territory)
    return [
        SlotView(s.id, name, code, s.weekday, s.start_minute, s.end_minute, s.network)
        for s, name, code in await session.execute(stmt)
    ]


async def export_member(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(PresenceSlot).where(PresenceSlot.member_id == member.id).order_by(PresenceSlot.id)
    )
    return [
        {
            "jour": DAYS[s.weekday],
            "debut": format_time(s.start_minute),
            "fin": format_time(s.end_minute),
            "reseau": s.network,
            "declaree_le": s.created_on.isoformat(),
            "retiree_le": s.removed_on.isoformat() if s.removed_on else None,
        }
        for s in rows
    ]
