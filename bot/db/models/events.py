"""Models of the events and registrations feature (network sessions: trainings, practice
exchanges, welcome meetings...). The year-end recap reads `events` and
`event_registrations` by these exact names."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, now

# Event types
WELCOME_MEETING = "welcome_meeting"
ONBOARDING_TRAINING = "onboarding_training"
THEMATIC_TRAINING = "thematic_training"
PRACTICE_EXCHANGE = "practice_exchange"
PRACTICE_REVIEW = "practice_review"
CONFERENCE = "conference"
OTHER = "other"
EVENT_TYPES = (
    WELCOME_MEETING,
    ONBOARDING_TRAINING,
    THEMATIC_TRAINING,
    PRACTICE_EXCHANGE,
    PRACTICE_REVIEW,
    CONFERENCE,
    OTHER,
)

# Formats (a hybrid session counts as in person in the figures)
IN_PERSON = "in_person"
REMOTE = "remote"
HYBRID = "hybrid"
FORMATS = (IN_PERSON, REMOTE, HYBRID)

# Audiences
ALL = "all"
NEWCOMERS = "newcomers"  # joined less than 12 months before the event
YOUTH = "youth"
PARENTING = "parenting"
AUDIENCES = (ALL, NEWCOMERS, YOUTH, PARENTING)

# Registration statuses
REGISTERED = "registered"
WAITLISTED = "waitlisted"
WITHDRAWN = "withdrawn"
WALK_IN = "walk_in"  # came without registering (added when attendance is taken)
STATUSES = (REGISTERED, WAITLISTED, WITHDRAWN, WALK_IN)


class EventSeries(Base):
    """A recurring network session: an RRULE (RFC 5545, e.g. "FREQ=MONTHLY;BYDAY=1TU") from
    `first_start` (Europe/Paris wall time kept across daylight saving) to `until`, and the
    details every occurrence copies. Each occurrence is a real `Event` row (`series_id`),
    created `announce_days` before its start by the series job."""

    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(String(200))
    first_start: Mapped[datetime]
    until: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(30))
    format: Mapped[str] = mapped_column(String(20))
    place: Mapped[str | None] = mapped_column(String(200))
    link: Mapped[str | None] = mapped_column(String(500))
    territory_code: Mapped[str | None] = mapped_column(String(10))
    capacity: Mapped[int | None] = mapped_column(Integer)
    waitlist_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    audience: Mapped[str] = mapped_column(String(20), default=ALL)
    description: Mapped[str | None] = mapped_column(Text)
    reminder_hours: Mapped[str] = mapped_column(String(30), default="24,1")
    announce_days: Mapped[int] = mapped_column(Integer, default=14)
    cancelled_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class Event(Base):
    """A network session. `territory_code` empty = "commun" (shared by every territory)."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_guild_starts", "guild_id", "starts_at"),
        UniqueConstraint("series_id", "occurrence_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(30))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    duration_days: Mapped[float] = mapped_column(Float)
    format: Mapped[str] = mapped_column(String(20))
    place: Mapped[str | None] = mapped_column(String(200))
    link: Mapped[str | None] = mapped_column(String(500))
    territory_code: Mapped[str | None] = mapped_column(String(10))
    capacity: Mapped[int | None] = mapped_column(Integer)
    waitlist_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    registration_deadline: Mapped[datetime | None]
    audience: Mapped[str] = mapped_column(String(20), default=ALL)
    description: Mapped[str | None] = mapped_column(Text)
    # Hours before the start when registrants get a reminder, e.g. "24,1" ("" = none).
    reminder_hours: Mapped[str] = mapped_column(String(30), default="24,1")
    cancelled_at: Mapped[datetime | None]
    announcement_channel_id: Mapped[int | None] = mapped_column(BigInteger)
    announcement_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    # The mirror in Discord's Events tab (a guild scheduled event) and whether it still has
    # to be brought up to date (Discord refused or was down: the retry job tries again).
    scheduled_event_id: Mapped[int | None] = mapped_column(BigInteger)
    mirror_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    # An occurrence of a recurring series: the series and the start the rule gave it (kept
    # when this one occurrence is moved, so the series never creates it again).
    series_id: Mapped[int | None] = mapped_column(ForeignKey("event_series.id", ondelete="SET NULL"), index=True)
    occurrence_start: Mapped[datetime | None]


class EventRegistration(Base):
    """A member's registration to an event. `position` orders arrivals (the waitlist is
    served by increasing position); `attended` is None until attendance is taken."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "member_id"),
        Index("ix_event_registrations_event_status", "event_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    attended: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class EventReminder(Base):
    """A reminder already sent (idempotency of the reminder sweep): one row per event and
    number of hours before its start."""

    __tablename__ = "event_reminders"
    __table_args__ = (UniqueConstraint("event_id", "hours_before"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    hours_before: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(default=now)


class EventFormDraft(Base):
    """An event being created with the form (`/evenement creer`): what the coordinator typed
    (JSON: the form's texts and the choices made in the selects since), so that the selects
    and the « Créer » button still work after a restart. Deleted when the event is created;
    a draft left behind is deleted after `DRAFT_DAYS` days by the series job."""

    __tablename__ = "event_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
