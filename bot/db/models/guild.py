"""Per-server configuration: roles, channels, territories, list extensions, schedules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, now


class GuildSettings(Base):
    """One row per Discord server the bot serves; every other row hangs off it."""

    __tablename__ = "guilds"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    coordination_role_id: Mapped[int | None]
    promeneur_role_id: Mapped[int | None]
    announcements_channel_id: Mapped[int | None]
    digest_channel_id: Mapped[int | None]
    requests_channel_id: Mapped[int | None]
    recaps_channel_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class Territory(Base):
    """A département (or any territory) the network covers, by code: "63" Puy-de-Dôme."""

    __tablename__ = "territories"
    __table_args__ = (UniqueConstraint("guild_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=now)


class ListEntry(Base):
    """A server's change to a default list: an added value, or a hidden default one."""

    __tablename__ = "list_entries"
    __table_args__ = (UniqueConstraint("guild_id", "list_name", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    list_name: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(100))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)


class Schedule(Base):
    """When a kind of scheduled post goes out in a server (Europe/Paris wall-clock time)."""

    __tablename__ = "schedules"

    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(20))
    weekday: Mapped[int | None] = mapped_column(Integer)
    day_of_month: Mapped[int | None] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    minute: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class Counter(Base):
    """A per-server sequence (request numbers, digest numbers), advanced under a lock."""

    __tablename__ = "counters"

    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
