"""Personal data: a member's export and anonymisation (RGPD).

Anonymisation removes what identifies a person (Discord id, name, structure name, free
text) and keeps the statistical attributes (territory, strand, structure type, profession,
dates), no longer linkable to anyone, so that past years' figures do not change.

Features that store personal data offer a `PrivacyHook` (a `PRIVACY_HOOK` constant of their
service, plugged in by the feature's `setup`; the bot passes the loaded ones here as `hooks`)
so that both operations cover them too, and declare the columns their anonymisation clears (`columns`); the project's
erasure meta-test fails on any column holding a Discord id, a name or free text that no
hook covers and that is not on its list of exempt columns. Columns that only record who
did something (`ACTOR_COLUMNS`) are emptied here. The bot's own messages that still show
the erased data (`PrivacyHook.messages`) are recorded for redaction in the same
transaction; the Discord side edits them right after and retries what Discord refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member
from bot.db.models.activity import SurveyCampaign
from bot.db.models.events import Event, EventSeries
from bot.db.session import requires_lock
from bot.services import members as members_service
from bot.services import redactions
from bot.services.members import ANONYMOUS_NAME, strand_label


@dataclass(frozen=True)
class PrivacyHook:
    """`export(session, member)` returns a JSON-able section; `anonymise(session, member,
    now)` removes the feature's personal data of that member; `columns` names the
    "table.column"s it clears; `messages(session, member)`, called before `anonymise`,
    lists the bot messages showing that data as (redaction kind, target id)."""

    name: str
    export: Callable[[AsyncSession, Member], Awaitable[Any]]
    anonymise: Callable[[AsyncSession, Member, datetime], Awaitable[None]]
    columns: tuple[str, ...] = ()
    messages: Callable[[AsyncSession, Member], Awaitable[list[tuple[str, int]]]] | None = None


# The profile's own identifying columns, cleared by `anonymise_member` itself.
PROFILE_COLUMNS = ("members.discord_id", "members.display_name", "members.sort_name", "members.structure_name")
# Columns that only say which Discord user did something: emptied for the erased member.
ACTOR_COLUMNS = {
    "events.created_by": Event.created_by,
    "event_series.created_by": EventSeries.created_by,
    "survey_campaigns.launched_by": SurveyCampaign.launched_by,
}


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


async def export_member(
    session: AsyncSession, guild_id: int, discord_id: int, hooks: Iterable[PrivacyHook]
) -> dict[str, Any]:
    member = await members_service.require_profile(session, guild_id, discord_id)
    data: dict[str, Any] = {"profil": _profile(member)}
    for hook in hooks:
        data[hook.name] = await hook.export(session, member)
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


@requires_lock
async def anonymise_member(
    session: AsyncSession, guild_id: int, discord_id: int, hooks: Iterable[PrivacyHook], *, now: datetime
) -> Member:
    hooks = list(hooks)
    member = await members_service.require_profile(session, guild_id, discord_id)
    owed: dict[str, list[int]] = {}
    for hook in hooks:
        if hook.messages is not None:
            for kind, target_id in await hook.messages(session, member):
                owed.setdefault(kind, []).append(target_id)
    for hook in hooks:
        await hook.anonymise(session, member, now)
    for column in ACTOR_COLUMNS.values():
        table = column.class_
        await session.execute(
            update(table).where(table.guild_id == guild_id, column == discord_id).values({column.key: None})
        )
    for kind, target_ids in owed.items():
        await redactions.record(session, guild_id, kind, target_ids, now=now)
    member.discord_id = None
    member.display_name = ANONYMOUS_NAME
    member.structure_name = None
    member.anonymised_at = now
    await session.flush()
    return member


def covered_columns(hooks: Iterable[PrivacyHook]) -> dict[str, str]:
    """Every column an erasure clears → who clears it (a hook's name, "profil", "auteur")."""
    covered = {column: "profil" for column in PROFILE_COLUMNS}
    covered |= {column: "auteur" for column in ACTOR_COLUMNS}
    for hook in hooks:
        covered |= {column: hook.name for column in hook.columns}
    return covered
