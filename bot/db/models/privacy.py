"""Messages of the bot that still show erased data and must be redacted.

An erasure (`/mes-donnees supprimer`) or the retention purge records here, in its own
transaction, each bot message to bring up to date (a request card, a published digest);
the Discord side edits them right after, and a periodic job retries the ones Discord
refused (403, 5xx) with a growing delay. A row holds no personal data: only what to
re-render from the (already anonymised) database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import now
from bot.db.base import Base

REQUEST_CARD = "request"  # target: accompaniment_requests.id
DIGEST = "digest"  # target: outbox_posts.id of a published digest
# A line of a request thread whose precise edit failed right after an erasure: the retry
# masks the whole line (the names it should have removed are not kept). Target: the
# request, `message_id`: the line.
THREAD_LINE = "line"


class MessageRedaction(Base):
    """A bot message (found from `kind` + `target_id`) to re-render without erased data."""

    __tablename__ = "message_redactions"
    __table_args__ = (
        UniqueConstraint("kind", "target_id", "message_id"),
        Index("ix_message_redactions_due", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[int] = mapped_column(BigInteger, default=0)  # 0: the target's own message
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status: Mapped[int | None] = mapped_column(Integer)  # HTTP status of the last failure
    due_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=now)
