"""The outbox: one row per scheduled post, so that each is sent exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, now

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"


class OutboxPost(Base):
    """A post owed to a channel. The idempotency key is (guild, kind, period): the weekly
    digest of week 2027-W24 exists once. States: pending → sending → sent, or failed (retried
    later). `message_ids` lists the parts already posted, in order, as JSON. `maybe_sent` is
    set when a send failed in a way that does not tell whether Discord created the message
    (5xx, connection lost): the next attempt first looks for it in the channel."""

    __tablename__ = "outbox_posts"
    __table_args__ = (
        UniqueConstraint("guild_id", "kind", "period"),
        Index("ix_outbox_posts_state_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(40))
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    message_ids: Mapped[str] = mapped_column(Text, default="[]")
    maybe_sent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    sent_at: Mapped[datetime | None]

    @property
    def marker(self) -> str:
        """The reference printed on each part, used to find parts already posted."""
        return f"{self.kind}-{self.period}"


class CoordinationAlert(Base):
    """A message the coordination was (or is being) told, by key: told once, even across a
    restart (see `bot.alerts`)."""

    __tablename__ = "coordination_alerts"
    __table_args__ = (UniqueConstraint("guild_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]
