"""index of a member's own activities

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_activities_guild_author_day",
        "activities",
        ["guild_id", "author_discord_id", "occurred_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_activities_guild_author_day", table_name="activities")
