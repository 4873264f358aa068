"""evaluation indicators: monthly counts, weekly presence slots, structure flags, opt-out

Revision ID: 0014_indicators
Revises: 0013_report
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0014_indicators"
down_revision: str | Sequence[str] | None = "0013_report"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "monthly_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("territory_code", sa.String(length=10), nullable=True),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_monthly_counts_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_monthly_counts_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_counts")),
        sa.UniqueConstraint(
            "guild_id",
            "member_id",
            "month",
            "indicator",
            name=op.f("uq_monthly_counts_guild_id_member_id_month_indicator"),
        ),
    )
    op.create_index(
        "ix_monthly_counts_guild_month",
        "monthly_counts",
        ["guild_id", "month", "indicator", "territory_code", "value"],
    )
    op.create_table(
        "presence_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("end_minute", sa.Integer(), nullable=False),
        sa.Column("network", sa.String(length=30), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.guild_id"],
            name=op.f("fk_presence_slots_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_presence_slots_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presence_slots")),
    )
    op.create_index("ix_presence_slots_guild_member", "presence_slots", ["guild_id", "member_id"])
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("priority_district", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("rural_area", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("monthly_form_off", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("monthly_form_off")
        batch_op.drop_column("rural_area")
        batch_op.drop_column("priority_district")
    op.drop_index("ix_presence_slots_guild_member", table_name="presence_slots")
    op.drop_table("presence_slots")
    op.drop_index("ix_monthly_counts_guild_month", table_name="monthly_counts")
    op.drop_table("monthly_counts")
