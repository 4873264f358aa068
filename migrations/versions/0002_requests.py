"""accompaniment requests

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accompaniment_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("requester_member_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=True),
        sa.Column("territory_code", sa.String(length=10), nullable=True),
        sa.Column("strand", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("availability", sa.String(length=200), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("claimed_by_discord_id", sa.BigInteger(), nullable=True),
        sa.Column("claimed_by_name", sa.String(length=100), nullable=True),
        sa.Column("scheduled_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_day_before", sa.Boolean(), nullable=False),
        sa.Column("reminded_hour_before", sa.Boolean(), nullable=False),
        sa.Column("overdue_prompted", sa.Boolean(), nullable=False),
        sa.Column("last_nudge_on", sa.Date(), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("thread_attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("first_response_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("people_reached", sa.Integer(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("purged_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_accompaniment_requests_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_member_id"],
            ["members.id"],
            name=op.f("fk_accompaniment_requests_requester_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accompaniment_requests")),
        sa.UniqueConstraint("guild_id", "number", name=op.f("uq_accompaniment_requests_guild_id_number")),
    )
    with op.batch_alter_table("accompaniment_requests", schema=None) as batch_op:
        batch_op.create_index("ix_accompaniment_requests_guild_status", ["guild_id", "status"], unique=False)
        batch_op.create_index("ix_accompaniment_requests_guild_created", ["guild_id", "created_at"], unique=False)
        batch_op.create_index("ix_accompaniment_requests_guild_closed", ["guild_id", "closed_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_accompaniment_requests_requester_member_id"),
            ["requester_member_id"],
            unique=False,
        )

    op.create_table(
        "accompaniment_request_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("actor_discord_id", sa.BigInteger(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_accompaniment_request_events_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["accompaniment_requests.id"],
            name=op.f("fk_accompaniment_request_events_request_id_accompaniment_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accompaniment_request_events")),
    )
    with op.batch_alter_table("accompaniment_request_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accompaniment_request_events_request_id"), ["request_id"], unique=False)

    op.create_table(
        "accompaniment_settings",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("nudge_after_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_accompaniment_settings_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_accompaniment_settings")),
    )


def downgrade() -> None:
    op.drop_table("accompaniment_settings")
    with op.batch_alter_table("accompaniment_request_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accompaniment_request_events_request_id"))
    op.drop_table("accompaniment_request_events")
    with op.batch_alter_table("accompaniment_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accompaniment_requests_requester_member_id"))
        batch_op.drop_index("ix_accompaniment_requests_guild_closed")
        batch_op.drop_index("ix_accompaniment_requests_guild_created")
        batch_op.drop_index("ix_accompaniment_requests_guild_status")
    op.drop_table("accompaniment_requests")
