"""Models of the evaluation indicators (counts only, never a young person).

- `MonthlyCount`: one figure of a Promeneur's « Votre mois en quelques chiffres » form (the
  contacts of the month by depth, age band and social network, the themes of the requests
  young people brought), one row per (member, month, indicator code);
- `PresenceSlot`: a weekly online-presence slot (a « permanence ») a Promeneur declares: day,
  hours, network. A removed slot keeps its row (`removed_on`) so that past years' weekly
  hours do not change.

The structure flags (priority district, rural area) and the opt-out of the monthly offer
are columns of `Member`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import now
from bot.db.base import Base


class MonthlyCount(Base):
    """`month` is the first day of the month counted; `territory_code` the member's
    territory when they answered (None: "commun"). A count, never a person."""

    __tablename__ = "monthly_counts"
    __table_args__ = (
        UniqueConstraint("guild_id", "member_id", "month", "indicator"),
        Index("ix_monthly_counts_guild_month", "guild_id", "month", "indicator", "territory_code", "value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    month: Mapped[date] = mapped_column(Date)
    territory_code: Mapped[str | None] = mapped_column(String(10))
    indicator: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class PresenceSlot(Base):
    """Weekly slot: `weekday` 0 = Monday; minutes from midnight, Europe/Paris, start < end."""

    __tablename__ = "presence_slots"
    __table_args__ = (Index("ix_presence_slots_guild_member", "guild_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(SmallInteger)
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)
    network: Mapped[str] = mapped_column(String(30))
    created_on: Mapped[date] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
