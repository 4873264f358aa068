"""Accompaniment requests (demandes d'accompagnement), their history and per-server settings.

The year-end recap reads `accompaniment_requests` by these exact column names: keep them.
Free text (subject, details, availability, outcome) is personal and purged after the
retention delay; every other column is statistical and stays.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, now

# kind
INDIVIDUAL, TEAM, PROJECT, COANIMATION = "individual", "team", "project", "coanimation"
KINDS = (INDIVIDUAL, TEAM, PROJECT, COANIMATION)
# mode
PHONE, VISIO, ON_SITE = "phone", "visio", "on_site"
MODES = (PHONE, VISIO, ON_SITE)
# status
OPEN, CLAIMED, SCHEDULED, DONE, CANCELLED = "open", "claimed", "scheduled", "done", "cancelled"
STATUSES = (OPEN, CLAIMED, SCHEDULED, DONE, CANCELLED)
ACTIVE = (OPEN, CLAIMED, SCHEDULED)
CLOSED = (DONE, CANCELLED)
# source
DISCORD, OFFLINE = "discord", "offline"


class AccompanimentRequest(Base):
    """One request for help, from a Promeneur on Discord or recorded by the coordination."""

    __tablename__ = "accompaniment_requests"
    __table_args__ = (
        UniqueConstraint("guild_id", "number"),
        Index("ix_accompaniment_requests_guild_status", "guild_id", "status"),
        Index("ix_accompaniment_requests_guild_created", "guild_id", "created_at"),
        Index("ix_accompaniment_requests_guild_closed", "guild_id", "closed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    requester_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str | None] = mapped_column(String(20))
    territory_code: Mapped[str | None] = mapped_column(String(10))
    strand: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    source: Mapped[str] = mapped_column(String(20), default=DISCORD)
    # Free text (personal): purged after the retention delay, or on anonymisation.
    subject: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[str | None] = mapped_column(Text)
    availability: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(Text)
    # Follow-up
    claimed_by_discord_id: Mapped[int | None]
    claimed_by_name: Mapped[str | None] = mapped_column(String(100))
    scheduled_at: Mapped[datetime | None]
    reminded_day_before: Mapped[bool] = mapped_column(default=False)
    reminded_hour_before: Mapped[bool] = mapped_column(default=False)
    overdue_prompted: Mapped[bool] = mapped_column(default=False)
    last_nudge_on: Mapped[date | None] = mapped_column(Date)
    # Discord side: the private thread and the request message holding the buttons.
    thread_id: Mapped[int | None]
    message_id: Mapped[int | None]
    thread_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The request message shows an old state (an edit failed): the sweep renders it again.
    card_stale: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Figures
    created_at: Mapped[datetime] = mapped_column(default=now)
    first_response_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    people_reached: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[int | None] = mapped_column(Integer)
    purged_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class RequestEvent(Base):
    """One line of a request's history: who did what, when (shown by /accompagnement voir)."""

    __tablename__ = "accompaniment_request_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("accompaniment_requests.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(20))
    actor_discord_id: Mapped[int | None]
    actor_name: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(String(200))


class RequestSettings(Base):
    """Per-server settings of the help desk (a row only once the coordination changes one)."""

    __tablename__ = "accompaniment_settings"

    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"), primary_key=True)
    nudge_after_days: Mapped[int] = mapped_column(Integer, default=3)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
