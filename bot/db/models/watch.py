"""The weekly watch (veille): links shared by members, RSS/Atom feeds, numbered digests.

An item is pending while `digest_id` is empty: it is in the draft of the next digest.
When a digest is first rendered for publication, the accepted pending items are attached to
it (frozen: a retry renders the same items with the same number).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, now

PROPOSED = "proposed"  # from a feed, awaiting the coordinator
ACCEPTED = "accepted"
REMOVED = "removed"


class WatchSettings(Base):
    """Per-server watch state: the draft editorial of the next digest and options."""

    __tablename__ = "watch_settings"

    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"), primary_key=True)
    editorial: Mapped[str | None] = mapped_column(Text)
    empty_note: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class WatchDigest(Base):
    """A numbered issue ("Veille n°34"), created when first rendered for publication.
    `period` is the outbox period key ("2027-W24", "2027-06", or a manual one)."""

    __tablename__ = "watch_digests"
    __table_args__ = (
        UniqueConstraint("guild_id", "period"),
        UniqueConstraint("guild_id", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(40))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    editorial: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)


class WatchFeed(Base):
    """An RSS/Atom feed whose new entries are proposed in the draft. `url` is as given
    (trackers removed); `url_key` identifies the feed (see `bot.services.watch.urls`)."""

    __tablename__ = "watch_feeds"
    __table_args__ = (UniqueConstraint("guild_id", "url_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    url_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(100))
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    last_checked_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)


class WatchItem(Base):
    """A link in the watch. `url` is published: as the first member gave it, trackers
    removed; `url_key` (SHA-256 of the canonical form, see `bot.services.watch.urls`) tells
    whether two links are the same page."""

    __tablename__ = "watch_items"
    __table_args__ = (
        Index("ix_watch_items_guild_url_key", "guild_id", "url_key"),
        Index("ix_watch_items_guild_digest", "guild_id", "digest_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2000))
    url_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ACCEPTED)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int | None] = mapped_column(Integer)
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("watch_digests.id", ondelete="SET NULL"))
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("watch_feeds.id", ondelete="SET NULL"))
    source_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=now)


class WatchContribution(Base):
    """Who shared an item (one row per member and item), with their own comment."""

    __tablename__ = "watch_contributions"
    __table_args__ = (UniqueConstraint("item_id", "discord_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("watch_items.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    discord_id: Mapped[int | None] = mapped_column(BigInteger)
    display_name: Mapped[str | None] = mapped_column(String(100))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)


class WatchFeedEntry(Base):
    """A link a feed has shown, by a digest of its de-duplication key: an entry is weighed
    once, so the entries not proposed at the first reading (or beyond a reading's cap) never
    come back as new."""

    __tablename__ = "watch_feed_entries"

    feed_id: Mapped[int] = mapped_column(ForeignKey("watch_feeds.id", ondelete="CASCADE"), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256, hex
    seen_at: Mapped[datetime] = mapped_column(default=now)
