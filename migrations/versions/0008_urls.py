"""watch links: a canonical key beside the published link

Revision ID: 0008_urls
Revises: 0007_fetch

`watch_items.url` and `watch_feeds.url` become the published link (as given, trackers
removed) and a new `url_key` (SHA-256 of the canonical form, 64 characters) is what
de-duplication matches. Existing rows get their key computed here, in Python, with the
bot's own function, so that the first link shared after the upgrade finds them (a lazy
computation would leave the draft's items unmatched and the index useless until then).
A stored link the function refuses (none should: they were validated when added) gets the
hash of its text, which matches nothing else.

Feeds that turn out to be the same (`…/feed` and `…/feed/`) are merged into the oldest
one (their proposals follow it) so that the key can be unique per server.

The former indexes on `url` go: lookups use the key, and a B-tree entry of a 2,000
character non-ASCII link can exceed PostgreSQL's limit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_urls"
down_revision: str | Sequence[str] | None = "0007_fetch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_items = sa.table(
    "watch_items",
    sa.column("id", sa.Integer),
    sa.column("url", sa.String),
    sa.column("url_key", sa.String),
    sa.column("feed_id", sa.Integer),
)
_feeds = sa.table(
    "watch_feeds",
    sa.column("id", sa.Integer),
    sa.column("guild_id", sa.BigInteger),
    sa.column("url", sa.String),
    sa.column("url_key", sa.String),
)


def _key(url: str) -> str:
    from bot.errors import ValidationError
    from bot.services.watch.urls import parse_link

    try:
        return parse_link(url).key
    except ValidationError:
        return hashlib.sha256(url.encode()).hexdigest()


def _fill_keys(conn: sa.Connection) -> None:
    keys = [
        {"row_id": row_id, "key": _key(url)} for row_id, url in conn.execute(sa.select(_items.c.id, _items.c.url)).all()
    ]
    if keys:
        conn.execute(
            _items.update().where(_items.c.id == sa.bindparam("row_id")).values(url_key=sa.bindparam("key")),
            keys,
        )
    kept: dict[tuple[int, str], int] = {}
    rows = conn.execute(sa.select(_feeds.c.id, _feeds.c.guild_id, _feeds.c.url).order_by(_feeds.c.id)).all()
    for row_id, guild_id, url in rows:
        key = _key(url)
        first = kept.setdefault((guild_id, key), row_id)
        if first == row_id:
            conn.execute(_feeds.update().where(_feeds.c.id == row_id).values(url_key=key))
        else:  # the same feed twice: its proposals follow the oldest
            conn.execute(_items.update().where(_items.c.feed_id == row_id).values(feed_id=first))
            conn.execute(_feeds.delete().where(_feeds.c.id == row_id))


def upgrade() -> None:
    with op.batch_alter_table("watch_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("url_key", sa.String(length=64), nullable=True))
    with op.batch_alter_table("watch_feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("url_key", sa.String(length=64), nullable=True))

    _fill_keys(op.get_bind())

    with op.batch_alter_table("watch_items", schema=None) as batch_op:
        batch_op.alter_column("url_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_index("ix_watch_items_guild_url")
        batch_op.create_index("ix_watch_items_guild_url_key", ["guild_id", "url_key"], unique=False)
    with op.batch_alter_table("watch_feeds", schema=None) as batch_op:
        batch_op.alter_column("url_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(batch_op.f("uq_watch_feeds_guild_id_url"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_watch_feeds_guild_id_url_key"), ["guild_id", "url_key"])


def downgrade() -> None:
    with op.batch_alter_table("watch_feeds", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_watch_feeds_guild_id_url_key"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_watch_feeds_guild_id_url"), ["guild_id", "url"])
        batch_op.drop_column("url_key")
    with op.batch_alter_table("watch_items", schema=None) as batch_op:
        batch_op.drop_index("ix_watch_items_guild_url_key")
        batch_op.create_index("ix_watch_items_guild_url", ["guild_id", "url"], unique=False)
        batch_op.drop_column("url_key")
