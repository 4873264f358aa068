"""bot messages still showing erased data, to redact (and retry)

Revision ID: 0010_perms
Revises: 0009_notify
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0010_perms"
down_revision: str | Sequence[str] | None = "0009_notify"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "message_redactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("due_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_message_redactions_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_redactions")),
        sa.UniqueConstraint(
            "kind",
            "target_id",
            "message_id",
            name=op.f("uq_message_redactions_kind_target_id_message_id"),
        ),
    )
    op.create_index("ix_message_redactions_due", "message_redactions", ["due_at"])


def downgrade() -> None:
    op.drop_index("ix_message_redactions_due", table_name="message_redactions")
    op.drop_table("message_redactions")
