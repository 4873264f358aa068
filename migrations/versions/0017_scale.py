"""members in French order in SQL, and indexes for the directory paged in SQL (issue 18)

- members.sort_name: the name's French collation key (accents and case ignored, see
  bot.french.collation_key), filled here for the members already recorded;
- members (guild_id, sort_name, display_name, id): the directory's order, so a page is read
  in order and cut at its 20 rows instead of sorting every member;
- members (guild_id, left_on, joined_on, anonymised_at) and member_periods (member_id,
  valid_from, valid_to, territory_code, strand): the directory's count reads the indexes
  only (covering), not the tables.

Revision ID: 0017_scale
Revises: 0016_ux_ask
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.french import collation_key

revision: str = "0017_scale"
down_revision: str | Sequence[str] | None = "0016_ux_ask"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

members = sa.table(
    "members", sa.column("id", sa.Integer), sa.column("display_name", sa.String), sa.column("sort_name", sa.String)
)


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("sort_name", sa.String(length=100), nullable=False, server_default=""))
    bind = op.get_bind()
    rows = bind.execute(sa.select(members.c.id, members.c.display_name)).all()
    if rows:
        bind.execute(
            members.update().where(members.c.id == sa.bindparam("member_id")).values(sort_name=sa.bindparam("key")),
            [{"member_id": member_id, "key": collation_key(name)[:100]} for member_id, name in rows],
        )
    op.create_index("ix_members_guild_name", "members", ["guild_id", "sort_name", "display_name", "id"], unique=False)
    op.create_index(
        "ix_members_guild_presence", "members", ["guild_id", "left_on", "joined_on", "anonymised_at"], unique=False
    )
    op.create_index(
        "ix_member_periods_member_span",
        "member_periods",
        ["member_id", "valid_from", "valid_to", "territory_code", "strand"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_member_periods_member_span", table_name="member_periods")
    op.drop_index("ix_members_guild_presence", table_name="members")
    op.drop_index("ix_members_guild_name", table_name="members")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("sort_name")
