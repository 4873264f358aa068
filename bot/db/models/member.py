"""The member directory: Promeneurs (on Discord or not) and their dated periods."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from bot.db.base import Base, now
from bot.french import collation_key

YOUTH = "youth"
PARENTING = "parenting"
STRANDS = (YOUTH, PARENTING)


def _sort_default(context) -> str:
    """`sort_name` of rows inserted without the ORM (the benchmark's generator, imports)."""
    return collation_key(context.get_current_parameters().get("display_name"))[:100]


class Member(Base):
    """A Promeneur. `discord_id` is empty for someone recorded by the coordinator who is not
    on Discord, and after anonymisation. Territory and strand live in `MemberPeriod`."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("guild_id", "discord_id"),
        # The directory list: its order (a page is read in order) and its count (covering).
        Index("ix_members_guild_name", "guild_id", "sort_name", "display_name", "id"),
        Index("ix_members_guild_presence", "guild_id", "left_on", "joined_on", "anonymised_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    discord_id: Mapped[int | None] = mapped_column(BigInteger)
    display_name: Mapped[str] = mapped_column(String(100))
    # The name's French collation key (accents and case ignored): lists sort and search on it.
    sort_name: Mapped[str] = mapped_column(String(100), default=_sort_default, server_default="")
    structure_name: Mapped[str | None] = mapped_column(String(150))
    structure_type: Mapped[str | None] = mapped_column(String(100))
    profession: Mapped[str | None] = mapped_column(String(100))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    anonymised_at: Mapped[datetime | None]
    # Structure flags (evaluation indicators): None = not said.
    priority_district: Mapped[bool | None] = mapped_column(Boolean)  # QPV
    rural_area: Mapped[bool | None] = mapped_column(Boolean)
    # The monthly « Votre mois en quelques chiffres » offer by DM was turned off.
    monthly_form_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    periods: Mapped[list[MemberPeriod]] = relationship(
        back_populates="member",
        order_by="MemberPeriod.valid_from",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @validates("display_name")
    def _keep_sort_name(self, _key: str, value: str) -> str:
        self.sort_name = collation_key(value)[:100]
        return value

    @property
    def current_period(self) -> MemberPeriod | None:
        open_periods = [p for p in self.periods if p.valid_to is None]
        return open_periods[-1] if open_periods else (self.periods[-1] if self.periods else None)

    @property
    def is_on_discord(self) -> bool:
        return self.discord_id is not None


class MemberPeriod(Base):
    """Where a member was, and in which strand, from `valid_from` (inclusive) to `valid_to`
    (exclusive; empty while current). A change of territory or strand closes one period and
    opens another, so that past years are counted where the member was."""

    __tablename__ = "member_periods"
    __table_args__ = (
        Index("ix_member_periods_guild_territory", "guild_id", "territory_code"),
        Index("ix_member_periods_member_span", "member_id", "valid_from", "valid_to", "territory_code", "strand"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    territory_code: Mapped[str | None] = mapped_column(String(10))
    strand: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    member: Mapped[Member] = relationship(back_populates="periods")
