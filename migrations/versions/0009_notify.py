"""durable notifications; stale request cards

Revision ID: 0009_notify
Revises: 0008_urls
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0009_notify"
down_revision: str | Sequence[str] | None = "0008_urls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, bot.db.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("ref", sa.String(length=160), nullable=False),
        sa.Column("recipient_id", sa.BigInteger(), nullable=True),
        sa.Column("role_id", sa.BigInteger(), nullable=True),
        sa.Column("dm_text", sa.Text(), nullable=True),
        sa.Column("embed_json", sa.Text(), nullable=True),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("channel_text", sa.Text(), nullable=True),
        sa.Column("alert_text", sa.Text(), nullable=False),
        sa.Column("route", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        _when("next_attempt_at", False),
        _when("expires_at", True),
        sa.Column("delivered_via", sa.String(length=20), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        _when("created_at", False),
        _when("updated_at", False),
        _when("finished_at", True),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_notifications_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("ref", name=op.f("uq_notifications_ref")),
    )
    op.create_index("ix_notifications_state_next", "notifications", ["state", "next_attempt_at"])
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_recipient_id"), ["recipient_id"], unique=False)
    with op.batch_alter_table("accompaniment_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card_stale", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("accompaniment_requests", schema=None) as batch_op:
        batch_op.drop_column("card_stale")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notifications_recipient_id"))
    op.drop_index("ix_notifications_state_next", table_name="notifications")
    op.drop_table("notifications")
