"""What a person typed in a form that was refused: kept a short while so that the
« Corriger » button reopens the form with it (bot/ui/drafts.py).

A draft expires after `services.form_drafts.DRAFT_TTL` and is deleted with the person's data
on erasure; a newer refusal of the same form replaces it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime


class FormDraft(Base):
    __tablename__ = "form_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)  # the Discord user who typed
    form: Mapped[str] = mapped_column(String(100))  # the form's custom_id
    values_json: Mapped[str] = mapped_column(Text)  # {input custom_id: text or [choices]}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), index=True)
