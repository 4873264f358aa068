"""Models of the activity log, survey, imported figures feature.

- `Activity`: one logged activity (a presentation, a workshop, hours of online presence,
  coordination hours…), dated, in a territory or "commun" (no territory);
- `SurveyCampaign` / `SurveyAnswer` / `SurveyAnswerNetwork`: the twice-yearly evaluation
  survey, one campaign per launch, one answer per member and campaign;
- `ImportedFigure`: a yearly figure of a year before the bot (CSV import), shown in the
  recap instead of the computed value.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, now

# Activity kinds (code → French label lives in bot.services.activity).
PRESENTATION = "presentation"
PUBLIC_WORKSHOP = "public_workshop"
SCHOOL = "school_intervention"
ONLINE_PRESENCE = "online_presence"
COORDINATION = "coordination"
OTHER = "other"
# The coordination's own path and the governance meetings (the annual report lists them).
COORDINATOR_TRAINING = "coordinator_training"
TECHNICAL_COMMITTEE = "technical_committee"
STEERING_COMMITTEE = "steering_committee"
ACTIVITY_KINDS = (
    PRESENTATION,
    PUBLIC_WORKSHOP,
    SCHOOL,
    ONLINE_PRESENCE,
    COORDINATION,
    OTHER,
    COORDINATOR_TRAINING,
    TECHNICAL_COMMITTEE,
    STEERING_COMMITTEE,
)


class Activity(Base):
    """A logged activity. `territory_code` empty = "commun" (all territories).
    `quantity` is a count, or hours for online presence and coordination time."""

    __tablename__ = "activities"
    __table_args__ = (
        # Covering indexes: the recap's sums read them without touching the table.
        Index(
            "ix_activities_guild_kind_day",
            "guild_id",
            "kind",
            "occurred_on",
            "territory_code",
            "quantity",
        ),
        Index(
            "ix_activities_guild_day",
            "guild_id",
            "occurred_on",
            "territory_code",
            "kind",
            "quantity",
        ),
        # A member's own entries (/activite mes-activites): without it, SQLite's planner may
        # pick a guild-first index and scan the whole server's activities.
        Index("ix_activities_guild_author_day", "guild_id", "author_discord_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    author_discord_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    quantity: Mapped[float] = mapped_column(Float)
    occurred_on: Mapped[date] = mapped_column(Date)
    territory_code: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=now)


class SurveyCampaign(Base):
    """One launch of the evaluation survey. `eligible_count` = Promeneurs active at launch
    (the response rate's denominator); closed once `closes_at` has passed."""

    __tablename__ = "survey_campaigns"
    __table_args__ = (UniqueConstraint("guild_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    launched_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    eligible_count: Mapped[int] = mapped_column(Integer)
    launched_by: Mapped[int | None] = mapped_column(BigInteger)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)

    def is_open(self, at: datetime) -> bool:
        return self.launched_at <= at < self.closes_at


class SurveyAnswer(Base):
    """A member's answer to a campaign (statistical answers only; kept, unlinked, after an
    anonymisation)."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("campaign_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    strand: Mapped[str | None] = mapped_column(String(20))
    territory_code: Mapped[str | None] = mapped_column(String(10))
    audience: Mapped[str] = mapped_column(String(60))
    structure_type: Mapped[str] = mapped_column(String(100))
    weekly_hours: Mapped[str] = mapped_column(String(20))
    answered_at: Mapped[datetime] = mapped_column(default=now)

    networks: Mapped[list[SurveyAnswerNetwork]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class SurveyAnswerNetwork(Base):
    """One social network ticked in an answer (multi-select)."""

    __tablename__ = "survey_answer_networks"
    __table_args__ = (UniqueConstraint("answer_id", "network"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("survey_answers.id", ondelete="CASCADE"))
    network: Mapped[str] = mapped_column(String(30))


class ImportedFigure(Base):
    """A yearly figure typed in from the past (CSV import). `territory_code` "" = all
    territories; `value` empty = unknown."""

    __tablename__ = "imported_figures"
    __table_args__ = (UniqueConstraint("guild_id", "year", "territory_code", "indicator"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    territory_code: Mapped[str] = mapped_column(String(10), default="")
    indicator: Mapped[str] = mapped_column(String(40))
    value: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(default=now)
