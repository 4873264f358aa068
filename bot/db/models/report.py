"""Model of the annual activity report: the texts only a person can write.

`ReportText`: one section's text (highlights, perspectives…) for a year. The report always
uses the latest text; the coordinator can change it at any time (`/bilan rapport-texte`).
No author is kept: the text is the network's, not a person's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.clock import now
from bot.db.base import Base


class ReportText(Base):
    __tablename__ = "report_texts"
    __table_args__ = (UniqueConstraint("guild_id", "year", "section"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.guild_id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
