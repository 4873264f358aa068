"""entries each watch feed has shown (never proposed twice, never back after the first reading)

Revision ID: 0007_fetch
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0007_fetch"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "watch_feed_entries",
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("seen_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["watch_feeds.id"],
            name=op.f("fk_watch_feed_entries_feed_id_watch_feeds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("feed_id", "key_hash", name=op.f("pk_watch_feed_entries")),
    )


def downgrade() -> None:
    op.drop_table("watch_feed_entries")
