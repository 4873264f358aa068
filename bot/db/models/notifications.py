"""Pending notifications: one row per message owed to one person (or to the coordination),
so that no reminder, promotion or nudge is lost when Discord or the process fails.

See `bot.services.notifications` for the guarantee and `bot.notifier` for delivery.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import now
from bot.db.base import Base

# States
PENDING = "pending"  # to deliver (again) at `next_attempt_at`
SENT = "sent"  # delivered: `delivered_via` says how
GAVE_UP = "gave_up"  # never delivered to the person; the coordination was told

# Routes (where the next attempt goes) and ways of delivery
DM = "dm"
CHANNEL = "channel"  # a mention in the event's channel or the request's thread
COORDINATION = "coordination"  # the coordination was told instead


class Notification(Base):
    """A notification owed to `recipient_id` (a Discord user; None: a post for the role
    `role_id`, e.g. a nudge). `ref` is its unique reference: the same reference is never
    queued twice. `uncertain` = the last attempt may have reached Discord (a 5xx, a reset,
    or a crash in flight): the next one first looks for the message before sending again."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_state_next", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    ref: Mapped[str] = mapped_column(String(160), unique=True)
    recipient_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    role_id: Mapped[int | None] = mapped_column(BigInteger)
    dm_text: Mapped[str | None] = mapped_column(Text)
    embed_json: Mapped[str | None] = mapped_column(Text)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    channel_text: Mapped[str | None] = mapped_column(Text)
    alert_text: Mapped[str] = mapped_column(Text)
    route: Mapped[str] = mapped_column(String(10), default=DM)
    state: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    next_attempt_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    delivered_via: Mapped[str | None] = mapped_column(String(20))
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    finished_at: Mapped[datetime | None]
