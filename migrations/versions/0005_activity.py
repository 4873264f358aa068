"""activity log, survey, imported figures

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("author_discord_id", sa.BigInteger(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("territory_code", sa.String(length=10), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_activities_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_activities_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    op.create_index(
        "ix_activities_guild_kind_day",
        "activities",
        ["guild_id", "kind", "occurred_on", "territory_code", "quantity"],
    )
    op.create_index(
        "ix_activities_guild_day",
        "activities",
        ["guild_id", "occurred_on", "territory_code", "kind", "quantity"],
    )
    op.create_index(op.f("ix_activities_member_id"), "activities", ["member_id"])
    op.create_index(op.f("ix_activities_author_discord_id"), "activities", ["author_discord_id"])

    op.create_table(
        "survey_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("launched_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("eligible_count", sa.Integer(), nullable=False),
        sa.Column("launched_by", sa.BigInteger(), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_survey_campaigns_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_campaigns")),
        sa.UniqueConstraint("guild_id", "number", name=op.f("uq_survey_campaigns_guild_id_number")),
    )

    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("strand", sa.String(length=20), nullable=True),
        sa.Column("territory_code", sa.String(length=10), nullable=True),
        sa.Column("audience", sa.String(length=60), nullable=False),
        sa.Column("structure_type", sa.String(length=100), nullable=False),
        sa.Column("weekly_hours", sa.String(length=20), nullable=False),
        sa.Column("answered_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_survey_answers_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["survey_campaigns.id"],
            name=op.f("fk_survey_answers_campaign_id_survey_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_survey_answers_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
        sa.UniqueConstraint("campaign_id", "member_id", name=op.f("uq_survey_answers_campaign_id_member_id")),
    )
    op.create_index(op.f("ix_survey_answers_campaign_id"), "survey_answers", ["campaign_id"])
    op.create_index(op.f("ix_survey_answers_member_id"), "survey_answers", ["member_id"])

    op.create_table(
        "survey_answer_networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("network", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_survey_answer_networks_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["survey_answers.id"],
            name=op.f("fk_survey_answer_networks_answer_id_survey_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answer_networks")),
        sa.UniqueConstraint("answer_id", "network", name=op.f("uq_survey_answer_networks_answer_id_network")),
    )

    op.create_table(
        "imported_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("territory_code", sa.String(length=10), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("imported_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_imported_figures_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_figures")),
        sa.UniqueConstraint(
            "guild_id",
            "year",
            "territory_code",
            "indicator",
            name=op.f("uq_imported_figures_guild_id_year_territory_code_indicator"),
        ),
    )


def downgrade() -> None:
    op.drop_table("imported_figures")
    op.drop_table("survey_answer_networks")
    op.drop_index(op.f("ix_survey_answers_member_id"), table_name="survey_answers")
    op.drop_index(op.f("ix_survey_answers_campaign_id"), table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_table("survey_campaigns")
    op.drop_index(op.f("ix_activities_author_discord_id"), table_name="activities")
    op.drop_index(op.f("ix_activities_member_id"), table_name="activities")
    op.drop_index("ix_activities_guild_day", table_name="activities")
    op.drop_index("ix_activities_guild_kind_day", table_name="activities")
    op.drop_table("activities")
