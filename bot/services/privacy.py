"""Personal data: a member's export and anonymisation (RGPD).

Anonymisation removes what identifies a person (Discord id, name, structure name, free
text) and keeps the statistical attributes (territory, strand, structure type, profession,
dates), no longer linkable to anyone, so that past years' figures do not change.

Features that store personal data register a `PrivacyHook` so that both operations cover
them too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member
from bot.services import members as members_service
from bot.services.members import ANONYMOUS_NAME, strand_label


@dataclass(frozen=True)
class PrivacyHook:
    """`export(session, member)` returns a JSON-able section; `anonymise(session, member,
    now)` removes the feature's personal data of that member."""

    name: str
    export: Callable[[AsyncSession, Member], Awaitable[Any]]
    anonymise: Callable[[AsyncSession, Member, datetime], Awaitable[None]]


HOOKS: dict[str, PrivacyHook] = {}


def register_hook(hook: PrivacyHook) -> None:
    HOOKS[hook.name] = hook


def _profile(member: Member) -> dict[str, Any]:
    return {
        "nom": member.display_name,
        "identifiant_discord": str(member.discord_id) if member.discord_id else None,
        "structure": member.structure_name,
        "type_structure": member.structure_type,
        "metier": member.profession,
        "arrivee": member.joined_on.isoformat(),
        "depart": member.left_on.isoformat() if member.left_on else None,
        "periodes": [
            {
                "territoire": p.territory_code,
                "volet": strand_label(p.strand),
                "du": p.valid_from.isoformat(),
                "au": p.valid_to.isoformat() if p.valid_to else None,
            }
            for p in member.periods
        ],
    }


async def export_member(session: AsyncSession, guild_id: int, discord_id: int) -> dict[str, Any]:
    member = await members_service.require_profile(session, guild_id, discord_id)
    data: dict[str, Any] = {"profil": _profile(member)}
    for name, hook in HOOKS.items():
        data[name] = await hook.export(session, member)
    return data


EXPORT_COLUMNS = ("rubrique", "champ", "valeur")


def _leaves(value: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, str(key)))]
    if isinstance(value, (list, tuple)):
        return [leaf for i, item in enumerate(value, start=1) for leaf in _leaves(item, (*path, str(i)))]
    return [(path, value)]


def export_rows(data: dict[str, Any]) -> list[list[Any]]:
    """The export as a table for a spreadsheet: rubrique, champ (dotted path, lists numbered
    from 1), valeur — one line per value, nothing left out."""
    return [
        [path[0], ".".join(path[1:]), value]
        for section, content in data.items()
        for path, value in _leaves(content, (section,))
    ]


async def anonymise_member(
    session: AsyncSession, guild_id: int, discord_id: int, *, now: datetime
) -> Member:
    member = await members_service.require_profile(session, guild_id, discord_id)
    for hook in HOOKS.values():
        await hook.anonymise(session, member, now)
    member.discord_id = None
    member.display_name = ANONYMOUS_NAME
    member.structure_name = None
    member.anonymised_at = now
    await session.flush()
    return member
