"""watch items and digests

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _guild_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["guild_id"], ["guilds.guild_id"], name=op.f(f"fk_{table}_guild_id_guilds"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "watch_settings",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("editorial", sa.Text(), nullable=True),
        sa.Column("empty_note", sa.Boolean(), nullable=False),
        sa.Column("updated_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        _guild_fk("watch_settings"),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_watch_settings")),
    )
    op.create_table(
        "watch_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("editorial", sa.Text(), nullable=True),
        sa.Column("published_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        _guild_fk("watch_digests"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_digests")),
        sa.UniqueConstraint("guild_id", "period", name=op.f("uq_watch_digests_guild_id_period")),
        sa.UniqueConstraint("guild_id", "number", name=op.f("uq_watch_digests_guild_id_number")),
    )
    op.create_table(
        "watch_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("etag", sa.String(length=300), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("last_checked_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        _guild_fk("watch_feeds"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_feeds")),
        sa.UniqueConstraint("guild_id", "url", name=op.f("uq_watch_feeds_guild_id_url")),
    )
    op.create_table(
        "watch_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("featured", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("digest_id", sa.Integer(), nullable=True),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("source_channel_id", sa.BigInteger(), nullable=True),
        sa.Column("source_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["digest_id"],
            ["watch_digests.id"],
            name=op.f("fk_watch_items_digest_id_watch_digests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["feed_id"],
            ["watch_feeds.id"],
            name=op.f("fk_watch_items_feed_id_watch_feeds"),
            ondelete="SET NULL",
        ),
        _guild_fk("watch_items"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_items")),
    )
    with op.batch_alter_table("watch_items", schema=None) as batch_op:
        batch_op.create_index("ix_watch_items_guild_url", ["guild_id", "url"], unique=False)
        batch_op.create_index("ix_watch_items_guild_digest", ["guild_id", "digest_id"], unique=False)

    op.create_table(
        "watch_contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("discord_id", sa.BigInteger(), nullable=True),
        sa.Column("display_name", sa.String(length=100), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        _guild_fk("watch_contributions"),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["watch_items.id"],
            name=op.f("fk_watch_contributions_item_id_watch_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_watch_contributions_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_contributions")),
        sa.UniqueConstraint("item_id", "discord_id", name=op.f("uq_watch_contributions_item_id_discord_id")),
    )
    with op.batch_alter_table("watch_contributions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_contributions_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_watch_contributions_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("watch_contributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_contributions_member_id"))
        batch_op.drop_index(batch_op.f("ix_watch_contributions_item_id"))
    op.drop_table("watch_contributions")
    with op.batch_alter_table("watch_items", schema=None) as batch_op:
        batch_op.drop_index("ix_watch_items_guild_digest")
        batch_op.drop_index("ix_watch_items_guild_url")
    op.drop_table("watch_items")
    op.drop_table("watch_feeds")
    op.drop_table("watch_digests")
    op.drop_table("watch_settings")
