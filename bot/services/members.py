"""The member directory: profiles, dated territory/strand periods, departures, lookups.

Statistics count a member where they were: a change of territory or strand closes the
current `MemberPeriod` (its `valid_to` is the day of the change) and opens a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GuildSettings, Member, MemberPeriod
from bot.db.models.member import PARENTING, STRANDS, YOUTH
from bot.db.session import requires_lock
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.parsing import is_id, parse_id, refuse_foreign_digits
from bot.services import lists
from bot.services.guilds import ensure_guild, require_territory
from bot.text import clean_text, folded, one_line, quote

STRAND_LABELS = {YOUTH: "Jeunesse", PARENTING: "Parentalité"}
MAX_NAME = 100
MAX_STRUCTURE = 150
ANONYMOUS_NAME = "Membre anonymisé"

ERR_NEED_BASICS = (
    "Pour créer votre profil, indiquez au moins votre territoire et votre volet (Jeunesse ou Parentalité)."
)
ERR_STRAND = "Volet inconnu\u00a0: choisissez Jeunesse ou Parentalité."
ERR_NAME_EMPTY = "Le nom ne peut pas être vide."
ERR_FUTURE = "La date {field} ({value}) est dans le futur\u00a0: indiquez une date passée ou aujourd'hui."
ERR_JOINED_AFTER_CHANGE = (
    "La date d'arrivée ({value}) doit précéder votre premier changement de territoire ou de volet ({change})."
)
ERR_NO_PROFILE = "Vous n'avez pas encore de profil. Créez-le avec /profil modifier."
ERR_MEMBER_NO_PROFILE = "{name} n'a pas encore de profil dans l'annuaire."
ERR_MEMBER_UNKNOWN = "Ce membre est introuvable dans l'annuaire de ce serveur."
ERR_ALREADY_LEFT = "Le départ de {name} est déjà enregistré (le {day})."
ERR_LEFT_BEFORE_JOIN = "La date de départ ({left}) précède la date d'arrivée ({joined})."
ERR_SINCE_ALONE = (
    "L'option « depuis » date un changement de territoire ou de volet : indiquez aussi le "
    "nouveau territoire ou le nouveau volet."
)
ERR_SINCE_BEFORE_PERIOD = (
    "Le changement daté du {value} précède la situation enregistrée depuis le {start} : "
    "indiquez une date à partir du {start}."
)
ERR_SINCE_AFTER_LEFT = "Le changement daté du {value} est postérieur au départ ({left})."
ERR_TOO_MANY_NAMES = "Indiquez au plus {max} noms, séparés par des virgules."
ERR_ANONYMISED = "Ce membre a été anonymisé : son profil ne peut plus être modifié."


@dataclass(frozen=True)
class ProfileChanges:
    """What a member (or the coordination) asks to change; None leaves a field as it is."""

    territory: str | None = None
    strand: str | None = None
    structure_name: str | None = None
    structure_type: str | None = None
    profession: str | None = None
    joined_on: date | None = None
    since: date | None = None  # the day a territory/strand change took effect (today if None)
    priority_district: bool | None = None  # structure in a priority district (QPV)
    rural_area: bool | None = None


def strand_label(strand: str | None) -> str:
    return STRAND_LABELS.get(strand or "", "—")


def _text(value: str | None, field: str, limit: int) -> str | None:
    return clean_text(value, field, limit)


def _not_future(value: date | None, field: str, today: date) -> None:
    if value is not None and value > today:
        raise ValidationError(ERR_FUTURE.format(field=field, value=value.strftime("%d/%m/%Y")))


async def _lock_guild(session: AsyncSession, guild_id: int) -> None:
    """Serialise directory writes of one server (FOR UPDATE on PostgreSQL; on SQLite the
    unit of work's BEGIN IMMEDIATE already does)."""
    await ensure_guild(session, guild_id)
    await session.execute(select(GuildSettings.guild_id).where(GuildSettings.guild_id == guild_id).with_for_update())


async def find_by_discord(session: AsyncSession, guild_id: int, discord_id: int) -> Member | None:
    return await session.scalar(select(Member).where(Member.guild_id == guild_id, Member.discord_id == discord_id))


async def get(session: AsyncSession, guild_id: int, member_id: int) -> Member:
    member = await session.get(Member, member_id)
    if member is None or member.guild_id != guild_id:
        raise NotFoundError(ERR_MEMBER_UNKNOWN)
    return member


async def resolve_member_id(session: AsyncSession, guild_id: int, value: str) -> int:
    """A member picked in an autocomplete (its id) or typed by exact name."""
    value = (value or "").strip()
    if not any(c.isalpha() for c in value):  # a number, not a name
        refuse_foreign_digits(value)
    if is_id(value):
        return parse_id(value, unknown=ERR_MEMBER_UNKNOWN)
    found = [m for m in await search(session, guild_id, value) if m.display_name.casefold() == value.casefold()]
    if len(found) != 1:
        raise NotFoundError(ERR_MEMBER_UNKNOWN)
    return found[0].id


ERR_NAMES_UNKNOWN = (
    "Introuvable dans l'annuaire : {names}. Écrivez les noms comme dans l'annuaire, séparés "
    "par des virgules (ajoutez d'abord les absents avec /membres ajouter)."
)
ERR_NAMES_AMBIGUOUS = "Plusieurs membres s'appellent {names} : ajoutez-les un par un avec /evenement presences."
MAX_NAMES = 100


def _names(names: list[str], shown: int = 5) -> str:
    """Names quoted back in a message: at most `shown`, each cut to 40 characters."""
    text = ", ".join(quote(n, 40) for n in names[:shown])
    return text + (", …" if len(names) > shown else "")


async def resolve_names(session: AsyncSession, guild_id: int, text: str | None) -> list[Member]:
    """Members named in `text` (« Léa Martin, lucas petit ; Chloé ») by their exact name,
    accents and case ignored. Unknown or ambiguous names are all refused at once."""
    names = [n for n in (one_line(part) for part in re.split(r"[,;\n]", text or "")) if n]
    if not names:
        return []
    if len(names) > MAX_NAMES:
        raise ValidationError(ERR_TOO_MANY_NAMES.format(max=MAX_NAMES))
    everyone = (
        await session.scalars(select(Member).where(Member.guild_id == guild_id, Member.anonymised_at.is_(None)))
    ).all()
    by_key: dict[str, list[Member]] = {}
    for member in everyone:
        by_key.setdefault(folded(member.display_name), []).append(member)
    unknown = [n for n in names if folded(n) not in by_key]
    if unknown:
        raise NotFoundError(ERR_NAMES_UNKNOWN.format(names=_names(unknown)))
    ambiguous = [n for n in names if len(by_key[folded(n)]) > 1]
    if ambiguous:
        raise ValidationError(ERR_NAMES_AMBIGUOUS.format(names=_names(ambiguous)))
    found: dict[int, Member] = {}
    for name in names:
        member = by_key[folded(name)][0]
        found[member.id] = member
    return list(found.values())


async def require_profile(session: AsyncSession, guild_id: int, discord_id: int) -> Member:
    member = await find_by_discord(session, guild_id, discord_id)
    if member is None:
        raise NotFoundError(ERR_NO_PROFILE)
    return member


async def _validated(session: AsyncSession, guild_id: int, changes: ProfileChanges, today: date) -> ProfileChanges:
    territory = (
        (await require_territory(session, guild_id, changes.territory)).code if changes.territory is not None else None
    )
    if changes.strand is not None and changes.strand not in STRANDS:
        raise ValidationError(ERR_STRAND)
    structure_type = (
        await lists.require_choice(session, guild_id, lists.STRUCTURE_TYPES, changes.structure_type)
        if changes.structure_type
        else None
    )
    profession = (
        await lists.require_choice(session, guild_id, lists.PROFESSIONS, changes.profession)
        if changes.profession
        else None
    )
    _not_future(changes.joined_on, "d'arrivée", today)
    _not_future(changes.since, "du changement", today)
    if changes.since is not None and territory is None and changes.strand is None:
        raise ValidationError(ERR_SINCE_ALONE)
    return ProfileChanges(
        territory=territory,
        strand=changes.strand,
        structure_name=_text(changes.structure_name, "Le nom de structure", MAX_STRUCTURE),
        structure_type=structure_type,
        profession=profession,
        joined_on=changes.joined_on,
        since=changes.since,
        priority_district=changes.priority_district,
        rural_area=changes.rural_area,
    )


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _apply(member: Member, changes: ProfileChanges, today: date) -> None:
    if changes.structure_name is not None:
        member.structure_name = changes.structure_name
    if changes.structure_type is not None:
        member.structure_type = changes.structure_type
    if changes.profession is not None:
        member.profession = changes.profession
    if changes.priority_district is not None:
        member.priority_district = changes.priority_district
    if changes.rural_area is not None:
        member.rural_area = changes.rural_area
    if changes.joined_on is not None and changes.joined_on != member.joined_on:
        later = [p.valid_from for p in member.periods[1:]]
        if later and changes.joined_on >= later[0]:
            raise ValidationError(
                ERR_JOINED_AFTER_CHANGE.format(
                    value=changes.joined_on.strftime("%d/%m/%Y"),
                    change=later[0].strftime("%d/%m/%Y"),
                )
            )
        member.joined_on = changes.joined_on
        if member.periods:
            member.periods[0].valid_from = changes.joined_on

    current = member.current_period
    territory = changes.territory or (current.territory_code if current else None)
    strand = changes.strand or (current.strand if current else None)
    if current is None:
        member.periods.append(
            MemberPeriod(
                guild_id=member.guild_id,
                territory_code=territory,
                strand=strand,
                valid_from=member.joined_on,
            )
        )
    elif (territory, strand) != (current.territory_code, current.strand):
        # A dated change (« depuis ») splits the current period on that day; history before
        # it stays as it was (DESIGN §2: dated periods, not overwrite).
        assert strand is not None  # the current period's when the change gives none
        day = changes.since or today
        if member.left_on is not None and day > member.left_on:
            raise ValidationError(ERR_SINCE_AFTER_LEFT.format(value=_fmt(day), left=_fmt(member.left_on)))
        if day < current.valid_from:
            raise ValidationError(ERR_SINCE_BEFORE_PERIOD.format(value=_fmt(day), start=_fmt(current.valid_from)))
        if current.valid_from >= day:  # changed again the same day: correct, no new period
            current.territory_code, current.strand = territory, strand
        else:
            end, current.valid_to = current.valid_to, day
            member.periods.append(
                MemberPeriod(
                    guild_id=member.guild_id,
                    territory_code=territory,
                    strand=strand,
                    valid_from=day,
                    valid_to=end,
                )
            )


@requires_lock
async def update_profile(
    session: AsyncSession,
    guild_id: int,
    discord_id: int,
    display_name: str,
    changes: ProfileChanges,
    *,
    today: date,
) -> tuple[Member, bool]:
    """Create or update the caller's profile. Returns (member, created). Locked, so that
    two simultaneous first submissions create one profile, not two."""
    await _lock_guild(session, guild_id)
    changes = await _validated(session, guild_id, changes, today)
    member = await find_by_discord(session, guild_id, discord_id)
    created = member is None
    if member is None:
        if not (changes.territory and changes.strand):
            raise ValidationError(ERR_NEED_BASICS)
        member = Member(
            guild_id=guild_id,
            discord_id=discord_id,
            display_name=display_name[:MAX_NAME],
            joined_on=changes.joined_on or today,
            periods=[],
        )
        session.add(member)
    else:
        member.display_name = display_name[:MAX_NAME]
    _apply(member, changes, today)
    await session.flush()
    return member, created


@requires_lock
async def add_offline_member(
    session: AsyncSession,
    guild_id: int,
    name: str,
    changes: ProfileChanges,
    *,
    today: date,
) -> Member:
    """Record a Promeneur who is not on Discord (coordination only)."""
    name = _text(name, "Le nom", MAX_NAME) or ""
    if not name:
        raise ValidationError(ERR_NAME_EMPTY)
    await _lock_guild(session, guild_id)
    changes = await _validated(session, guild_id, changes, today)
    if not (changes.territory and changes.strand):
        raise ValidationError(ERR_NEED_BASICS)
    member = Member(guild_id=guild_id, display_name=name, joined_on=changes.joined_on or today, periods=[])
    session.add(member)
    _apply(member, changes, today)
    await session.flush()
    return member


@requires_lock
async def update_member(
    session: AsyncSession, guild_id: int, member_id: int, changes: ProfileChanges, *, today: date
) -> Member:
    """The coordination corrects or dates a change of another member's profile
    (/membres modifier)."""
    await _lock_guild(session, guild_id)
    member = await get(session, guild_id, member_id)
    if member.anonymised_at is not None:
        raise ValidationError(ERR_ANONYMISED)
    changes = await _validated(session, guild_id, changes, today)
    _apply(member, changes, today)
    await session.flush()
    return member


async def record_departure(
    session: AsyncSession, guild_id: int, member_id: int, left_on: date, *, today: date
) -> Member:
    """The member leaves the network on `left_on` (their last day). History is kept."""
    member = await get(session, guild_id, member_id)
    if member.left_on is not None:
        raise ConflictError(ERR_ALREADY_LEFT.format(name=member.display_name, day=member.left_on.strftime("%d/%m/%Y")))
    _not_future(left_on, "de départ", today)
    if left_on < member.joined_on:
        raise ValidationError(
            ERR_LEFT_BEFORE_JOIN.format(left=left_on.strftime("%d/%m/%Y"), joined=member.joined_on.strftime("%d/%m/%Y"))
        )
    member.left_on = left_on
    current = member.current_period
    if current is not None and current.valid_to is None:
        current.valid_to = max(left_on + timedelta(days=1), current.valid_from + timedelta(days=1))
    await session.flush()
    return member


# Members in French order (accents and case ignored: Léa before Lucas), in SQL.
FRENCH_ORDER = (Member.sort_name, Member.display_name, Member.id)


async def search(
    session: AsyncSession, guild_id: int, text: str, *, limit: int = 25, active_only: bool = False
) -> list[Member]:
    """Members whose name contains `text` (for autocomplete), anonymised ones excluded:
    filtered in SQL by the typed text, active members first then former ones (or active
    ones only), at most `limit`, each group in French order."""
    former = case((Member.left_on.is_(None), 0), else_=1)
    stmt = (
        select(Member)
        .where(Member.guild_id == guild_id, Member.anonymised_at.is_(None))
        .order_by(former, *FRENCH_ORDER)
        .limit(limit)
    )
    if active_only:
        stmt = stmt.where(Member.left_on.is_(None))
    wanted = folded(text)  # accents and case ignored, like the stored key
    if wanted:
        stmt = stmt.where(Member.sort_name.contains(wanted, autoescape=True))
    return list((await session.scalars(stmt)).all())
