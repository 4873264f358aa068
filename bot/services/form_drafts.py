"""Drafts of refused forms (see bot/db/models/drafts.py): saved when a value is refused,
read back when the person clicks « Corriger ». No discord import."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member
from bot.db.models.drafts import FormDraft
from bot.errors import NotFoundError
from bot.services.privacy import PrivacyHook

DRAFT_TTL = timedelta(hours=24)
ERR_GONE = (
    "Ce formulaire n'est plus disponible (il date de plus de 24 heures, ou vous l'avez "
    "corrigé depuis)\u00a0: relancez la commande."
)
ERASED_COLUMNS = (  # the rows are deleted whole
    "form_drafts.guild_id",
    "form_drafts.user_id",
    "form_drafts.form",
    "form_drafts.values_json",
)

Values = dict[str, str | list[str]]


def _text(value: str) -> str:
    """What UTF-8 can store: a lone surrogate (pasted from a broken source) becomes "?"."""
    return value.encode("utf-8", "replace").decode("utf-8")


def _encodable(values: Values) -> Values:
    return {
        key: [_text(v) for v in value] if isinstance(value, list) else _text(value) for key, value in values.items()
    }


async def save(session: AsyncSession, guild_id: int, user_id: int, form: str, values: Values, *, now: datetime) -> int:
    """Keep what was typed; the person's older draft of the same form, and every expired
    draft, are deleted."""
    await session.execute(delete(FormDraft).where(FormDraft.created_at < now - DRAFT_TTL))
    await session.execute(
        delete(FormDraft).where(FormDraft.guild_id == guild_id, FormDraft.user_id == user_id, FormDraft.form == form)
    )
    draft = FormDraft(
        guild_id=guild_id,
        user_id=user_id,
        form=form[:100],
        values_json=json.dumps(_encodable(values), ensure_ascii=False),
        created_at=now,
    )
    session.add(draft)
    await session.flush()
    return draft.id


async def load(
    session: AsyncSession, guild_id: int, user_id: int, draft_id: int, *, now: datetime
) -> tuple[str, Values]:
    """(form custom_id, typed values) of the person's own, unexpired draft."""
    draft = await session.get(FormDraft, draft_id)
    if draft is None or draft.guild_id != guild_id or draft.user_id != user_id or draft.created_at < now - DRAFT_TTL:
        raise NotFoundError(ERR_GONE)
    values: Any = json.loads(draft.values_json)
    return draft.form, values


async def export_member(session: AsyncSession, member: Member) -> list[dict[str, Any]]:
    if member.discord_id is None:
        return []
    rows = await session.scalars(
        select(FormDraft).where(FormDraft.guild_id == member.guild_id, FormDraft.user_id == member.discord_id)
    )
    return [{"formulaire": d.form, "saisie": json.loads(d.values_json), "le": d.created_at.isoformat()} for d in rows]


async def anonymise_member(session: AsyncSession, member: Member, now: datetime) -> None:
    """The person's drafts are deleted whole."""
    if member.discord_id is None:
        return
    await session.execute(
        delete(FormDraft).where(FormDraft.guild_id == member.guild_id, FormDraft.user_id == member.discord_id)
    )


PRIVACY_HOOK = PrivacyHook(
    name="formulaires",
    export=export_member,
    anonymise=anonymise_member,
    columns=ERASED_COLUMNS,  # the person's rows are deleted whole
)
