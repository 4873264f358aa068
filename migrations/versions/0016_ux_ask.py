"""form drafts: what a person typed in a refused form, for the « Corriger » button

Revision ID: 0016_ux_ask
Revises: 0015_events
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0016_ux_ask"
down_revision: str | Sequence[str] | None = "0015_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("form", sa.String(length=100), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_drafts")),
    )
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_drafts_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_drafts_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_drafts_created_at"))
        batch_op.drop_index(batch_op.f("ix_form_drafts_user_id"))
    op.drop_table("form_drafts")
