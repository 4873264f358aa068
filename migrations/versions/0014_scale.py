"""indexes for the directory list paged in SQL (issue 18)

- members (guild_id, lower(display_name), id): the directory's order, so a page is read
  in order and cut at its 20 rows instead of sorting every member;
- members (guild_id, left_on, joined_on, anonymised_at) and member_periods (member_id,
  valid_from, valid_to, territory_code, strand): the directory's count reads the indexes
  only (covering), not the tables.

Revision ID: 0014_scale
Revises: 0013_report
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_scale"
down_revision: str | Sequence[str] | None = "0013_report"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_members_guild_name", "members", ["guild_id", sa.text("lower(display_name)"), "id"], unique=False
    )
    op.create_index(
        "ix_members_guild_presence", "members", ["guild_id", "left_on", "joined_on", "anonymised_at"], unique=False
    )
    op.create_index(
        "ix_member_periods_member_span", "member_periods",
        ["member_id", "valid_from", "valid_to", "territory_code", "strand"], unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_member_periods_member_span", table_name="member_periods")
    op.drop_index("ix_members_guild_presence", table_name="members")
    op.drop_index("ix_members_guild_name", table_name="members")
