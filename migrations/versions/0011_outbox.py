"""outbox: posts that may have reached Discord; alerts told to the coordination once

Revision ID: 0011_outbox
Revises: 0010_perms
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0011_outbox"
down_revision: str | Sequence[str] | None = "0010_perms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_posts") as batch:
        batch.add_column(sa.Column("maybe_sent", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "coordination_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_coordination_alerts_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coordination_alerts")),
        sa.UniqueConstraint("guild_id", "key", name=op.f("uq_coordination_alerts_guild_id_key")),
    )


def downgrade() -> None:
    op.drop_table("coordination_alerts")
    with op.batch_alter_table("outbox_posts") as batch:
        batch.drop_column("maybe_sent")
