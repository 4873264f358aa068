"""Server configuration: roles, channels, territories, per-server counters."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import insert_ignore
from bot.db.models import Counter, GuildSettings, MemberPeriod, Territory
from bot.db.session import requires_lock
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.text import folded, has_visible, one_line, quote, shorten

CHANNEL_FIELDS = {
    "announcements": "announcements_channel_id",
    "digest": "digest_channel_id",
    "requests": "requests_channel_id",
    "recaps": "recaps_channel_id",
}

ERR_CODE = "Le code «\u00a0{code}\u00a0» n'est pas valide\u00a0: 1 à 10 lettres ou chiffres, par exemple 63 ou 2A."
ERR_NAME = "Le nom du territoire doit faire entre 1 et 100 caractères."
ERR_TERRITORY_EXISTS = "Le territoire {code} existe déjà ({name})."
ERR_TERRITORY_UNKNOWN = (
    "Le territoire «\u00a0{code}\u00a0» n'est pas configuré sur ce serveur. Territoires disponibles\u00a0: {known}."
)
ERR_NO_TERRITORY = (
    "Aucun territoire n'est configuré. La coordination doit d'abord en ajouter avec /config territoire-ajouter."
)
ERR_ROLE_EVERYONE = (
    "@everyone ne peut pas être le rôle de la coordination : tous les membres du serveur "
    "auraient accès aux commandes de gestion et aux exports. Créez un rôle réservé à la "
    "coordination et choisissez-le."
)
ERR_ROLE_MANAGED = (
    "Le rôle « {name} » est géré par Discord ou par une intégration (bot, abonnement, "
    "boost) : il ne se donne pas à la main. Choisissez un rôle créé pour le serveur."
)
_CODE_RE = re.compile(r"^[0-9A-Za-z]{1,10}$")


async def ensure_guild(session: AsyncSession, guild_id: int) -> None:
    """Create the server's settings row if it is missing (safe under concurrency)."""
    await insert_ignore(session, GuildSettings, {"guild_id": guild_id}, ["guild_id"])


async def all_guild_ids(session: AsyncSession) -> list[int]:
    """Every server the bot has settings for."""
    return list((await session.scalars(select(GuildSettings.guild_id))).all())


async def get_settings(session: AsyncSession, guild_id: int) -> GuildSettings:
    settings = await session.get(GuildSettings, guild_id)
    if settings is None:
        await ensure_guild(session, guild_id)
        settings = await session.get(GuildSettings, guild_id)
        assert settings is not None
    return settings


def is_coordinator(settings: GuildSettings | None, role_ids: Iterable[int], *, manages_server: bool) -> bool:
    """Coordination = the configured coordination role, or the Manage Server permission.
    A coordination role equal to the server id (@everyone, stored before it was refused)
    grants nothing."""
    if manages_server:
        return True
    return bool(
        settings
        and settings.coordination_role_id
        and settings.coordination_role_id != settings.guild_id
        and settings.coordination_role_id in role_ids
    )


@dataclass(frozen=True)
class RoleFacts:
    """What the bot knows of a Discord role (services never see discord objects)."""

    id: int
    name: str
    is_default: bool  # @everyone: every member holds it
    managed: bool  # a bot, integration or booster role: Discord gives it, not people
    holders: int  # members known to hold it (0 when unknown: no members intent)


# Why a chosen coordination role deserves a warning (see `coordination_role_risk`).
SAME_AS_PROMENEURS, HELD_BY_MOST = "promeneurs", "most"


def check_role(role: RoleFacts, *, coordination: bool) -> None:
    """Refuse a role that cannot serve: @everyone as the coordination role (every member
    would pass the coordination checks), and any managed role (nobody can be given it)."""
    if coordination and role.is_default:
        raise ValidationError(ERR_ROLE_EVERYONE)
    if role.managed:
        raise ValidationError(ERR_ROLE_MANAGED.format(name=role.name[:80]))


def coordination_role_risk(role: RoleFacts, *, promeneur_role_id: int | None, member_count: int | None) -> str | None:
    """A reason to warn (the role is still accepted) when the coordination role looks held
    by most members. With only the `guilds` intent the bot does not see who holds a role,
    so two signals are used: the role is also the Promeneurs role (then every Promeneur
    would be coordination), or Discord's cache does know holders and they are more than
    half of the server's members (`member_count` comes with the guild, without the
    members intent)."""
    if promeneur_role_id is not None and role.id == promeneur_role_id:
        return SAME_AS_PROMENEURS
    if member_count and member_count >= 3 and role.holders * 2 > member_count:
        return HELD_BY_MOST
    return None


async def set_roles(
    session: AsyncSession,
    guild_id: int,
    *,
    coordination_role_id: int | None,
    promeneur_role_id: int | None,
) -> GuildSettings:
    settings = await get_settings(session, guild_id)
    if coordination_role_id is not None:
        settings.coordination_role_id = coordination_role_id
    if promeneur_role_id is not None:
        settings.promeneur_role_id = promeneur_role_id
    return settings


async def set_channels(session: AsyncSession, guild_id: int, channels: dict[str, int | None]) -> GuildSettings:
    """Set the channels given (keys of CHANNEL_FIELDS); the others are left as they are."""
    settings = await get_settings(session, guild_id)
    for key, channel_id in channels.items():
        if channel_id is not None:
            setattr(settings, CHANNEL_FIELDS[key], channel_id)
    return settings


def clean_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not _CODE_RE.match(code):
        raise ValidationError(ERR_CODE.format(code=quote(code)))
    return code


async def territories(session: AsyncSession, guild_id: int, *, include_inactive: bool = False) -> list[Territory]:
    stmt = select(Territory).where(Territory.guild_id == guild_id).order_by(Territory.code)
    if not include_inactive:
        stmt = stmt.where(Territory.active.is_(True))
    return list((await session.scalars(stmt)).all())


async def territory_names(session: AsyncSession, guild_id: int) -> dict[str, str]:
    """Code → name of every territory the server has had (retired ones too, for history)."""
    return {t.code: t.name for t in await territories(session, guild_id, include_inactive=True)}


async def add_territory(session: AsyncSession, guild_id: int, code: str, name: str) -> Territory:
    code, name = clean_code(code), one_line(name)
    if not (has_visible(name) and len(name) <= 100):
        raise ValidationError(ERR_NAME)
    await ensure_guild(session, guild_id)
    existing = await session.scalar(select(Territory).where(Territory.guild_id == guild_id, Territory.code == code))
    if existing is not None and existing.active:
        raise ConflictError(ERR_TERRITORY_EXISTS.format(code=code, name=existing.name))
    if existing is not None:  # a retired territory comes back, with its history
        existing.active, existing.name = True, name
        return existing
    territory = Territory(guild_id=guild_id, code=code, name=name)
    session.add(territory)
    await session.flush()
    return territory


async def remove_territory(session: AsyncSession, guild_id: int, code: str) -> Territory:
    """Retire a territory from the choices. Past periods keep their code (history stays)."""
    territory = await require_territory(session, guild_id, code)
    used = await session.scalar(
        select(MemberPeriod.id)
        .where(MemberPeriod.guild_id == guild_id, MemberPeriod.territory_code == territory.code)
        .limit(1)
    )
    if used is None:
        await session.delete(territory)
    else:
        territory.active = False
    return territory


def _territory_key(value: str) -> str:
    """A territory name without accents, case, hyphens nor apostrophes."""
    return " ".join(folded(value).replace("-", " ").replace("'", " ").replace("’", " ").split())


async def require_territory(session: AsyncSession, guild_id: int, code: str) -> Territory:
    """The active territory with this code (or this name), else a clear error."""
    wanted = one_line(code)
    known = await territories(session, guild_id)
    # Natural spellings: « 63 », « puy de dome », « Puy-de-Dôme », « 63 Puy-de-Dôme ».
    typed = _territory_key(wanted)
    for territory in known:
        if territory.code == wanted.upper() or typed in (
            _territory_key(territory.name),
            _territory_key(f"{territory.code} {territory.name}"),
        ):
            return territory
    if not known:
        raise NotFoundError(ERR_NO_TERRITORY)
    listing = ", ".join(f"{t.code} {t.name}" for t in known)
    raise NotFoundError(ERR_TERRITORY_UNKNOWN.format(code=quote(wanted), known=shorten(listing, 1000)))


@requires_lock
async def next_number(session: AsyncSession, guild_id: int, name: str) -> int:
    """The next value of a per-server sequence: 1, 2, 3… never twice the same."""
    await ensure_guild(session, guild_id)
    await insert_ignore(session, Counter, {"guild_id": guild_id, "name": name, "value": 0}, ["guild_id", "name"])
    counter = await session.scalar(
        select(Counter)
        .where(Counter.guild_id == guild_id, Counter.name == name)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert counter is not None
    counter.value += 1
    await session.flush()
    return counter.value
