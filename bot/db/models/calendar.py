"""Calendar subscription links: one secret token per server feed and per member feed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import now
from bot.db.base import Base

# Feed scopes
GUILD_FEED = "guild"
MEMBER_FEED = "member"


class CalendarFeed(Base):
    """A subscription link. `member_id` empty = the server's feed (all its events).

    The token is stored as is (not hashed) so that `/evenement calendrier` and
    `/config calendrier` can show the same link again without breaking the subscriptions
    already made with it; the feed's contents are in the same database, so a hash would
    protect nothing a database leak does not already expose. The URL carries the row id and
    the token; the token is compared in constant time."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("guild_id", "scope", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(10))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)
