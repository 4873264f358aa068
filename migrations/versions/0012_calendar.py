"""calendar: Discord Events tab mirror and calendar subscription links

Revision ID: 0012_calendar
Revises: 0011_outbox

`events` gets the id of its mirror in Discord's Events tab (a guild scheduled event) and a
flag saying the mirror still has to be brought up to date (Discord refused or was down).
`calendar_feeds` holds the secret tokens of the subscription links: one per server feed
(`member_id` empty) and one per member feed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0012_calendar"
down_revision: str | Sequence[str] | None = "0011_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheduled_event_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("mirror_pending", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("mirror_pending", existing_type=sa.Boolean(), server_default=None)

    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_calendar_feeds_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_calendar_feeds_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("guild_id", "scope", "member_id", name=op.f("uq_calendar_feeds_guild_id_scope_member_id")),
    )
    op.create_index(op.f("ix_calendar_feeds_member_id"), "calendar_feeds", ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_calendar_feeds_member_id"), table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("mirror_pending")
        batch_op.drop_column("scheduled_event_id")
