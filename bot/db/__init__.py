"""Database layer: models, engine, sessions and the unit of work."""

from bot.db.base import Base
from bot.db.session import Database, insert_ignore

__all__ = ["Base", "Database", "insert_ignore"]
