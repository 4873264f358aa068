"""The lists members choose from (DESIGN.md §8), which each server can extend or trim."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ListEntry
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.services.guilds import ensure_guild
from bot.text import folded, has_visible, one_line, quote

STRUCTURE_TYPES = "structure_types"
PROFESSIONS = "professions"
WATCH_CATEGORIES = "watch_categories"

MAX_VALUE_LENGTH = 100
_INCLUSIVE = re.compile(r"[·.]\w+")


@dataclass(frozen=True)
class ListSpec:
    name: str
    label: str
    defaults: tuple[str, ...]


LISTS: dict[str, ListSpec] = {
    spec.name: spec
    for spec in (
        ListSpec(
            STRUCTURE_TYPES,
            "Types de structure",
            (
                "Service jeunesse (commune ou intercommunalité)",
                "Accueil de loisirs sans hébergement",
                "Service petite enfance / Relais Petite Enfance",
                "Centre social",
                "Espace de vie sociale",
                "Établissement d'enseignement ou de formation (collège, MFR)",
                "Protection de l'enfance",
                "Foyer de jeunes travailleurs",
                "Réseau Information Jeunesse (PIJ, BIJ)",
                "Médiathèque",
                "Espace public numérique",
                "Association de loisirs",
                "Addiction France",
                "Institut médico-éducatif",
                "Service Développement social urbain",
                "Ligue de l'Enseignement",
                "Éducation nationale",
                "Autre",
            ),
        ),
        ListSpec(
            PROFESSIONS,
            "Métiers",
            (
                "Animateur·rice enfance/jeunesse",
                "Référent·e ou coordinateur·rice jeunesse",
                "Éducateur·rice spécialisé·e",
                "Moniteur·rice éducateur·rice",
                "Animateur·rice numérique/multimédia",
                "Référent·e famille",
                "Directeur·rice de structure",
                "Informateur·rice jeunesse",
                "Animateur·rice RPE",
                "Agent de développement",
                "Chargé·e de mission formation",
                "Autre",
            ),
        ),
        ListSpec(
            WATCH_CATEGORIES,
            "Catégories de veille",
            (
                "Actualité du numérique",
                "Événement sur le territoire",
                "Étude / synthèse",
                "Projet de Promeneur",
                "Ressource / outil",
            ),
        ),
    )
}

ERR_UNKNOWN_LIST = "Liste inconnue. Choisissez parmi\u00a0: {names}."
ERR_EMPTY = "La valeur ne peut pas être vide."
ERR_TOO_LONG = "La valeur dépasse {max} caractères ({length}). Raccourcissez-la."
ERR_ALREADY = "«\u00a0{value}\u00a0» figure déjà dans la liste «\u00a0{label}\u00a0»."
ERR_NOT_IN_LIST = "«\u00a0{value}\u00a0» ne figure pas dans la liste «\u00a0{label}\u00a0»."
ERR_NOT_A_CHOICE = (
    "«\u00a0{value}\u00a0» ne fait pas partie de la liste «\u00a0{label}\u00a0». Choisissez une valeur proposée "
    "(la coordination peut en ajouter avec /config liste-ajouter)."
)


def spec(list_name: str) -> ListSpec:
    try:
        return LISTS[list_name]
    except KeyError:
        names = ", ".join(s.label for s in LISTS.values())
        raise NotFoundError(ERR_UNKNOWN_LIST.format(names=names)) from None


async def values(session: AsyncSession, guild_id: int, list_name: str) -> list[str]:
    """The server's list: defaults not hidden, then added values in the order added."""
    entries = (
        await session.scalars(
            select(ListEntry)
            .where(ListEntry.guild_id == guild_id, ListEntry.list_name == list_name)
            .order_by(ListEntry.id)
        )
    ).all()
    hidden = {e.value for e in entries if e.hidden}
    result = [v for v in spec(list_name).defaults if v not in hidden]
    result += [e.value for e in entries if not e.hidden and e.value not in result]
    return result


def _clean(value: str) -> str:
    value = one_line(value)
    if not has_visible(value):
        raise ValidationError(ERR_EMPTY)
    if len(value) > MAX_VALUE_LENGTH:
        raise ValidationError(ERR_TOO_LONG.format(max=MAX_VALUE_LENGTH, length=len(value)))
    return value


async def add_value(session: AsyncSession, guild_id: int, list_name: str, value: str) -> str:
    list_spec, value = spec(list_name), _clean(value)
    await ensure_guild(session, guild_id)
    current = await values(session, guild_id, list_name)
    if value.casefold() in {v.casefold() for v in current}:
        raise ConflictError(ERR_ALREADY.format(value=quote(value), label=list_spec.label))
    if value in list_spec.defaults:  # a hidden default comes back
        await session.execute(
            delete(ListEntry).where(
                ListEntry.guild_id == guild_id,
                ListEntry.list_name == list_name,
                ListEntry.value == value,
            )
        )
    else:
        session.add(ListEntry(guild_id=guild_id, list_name=list_name, value=value))
    return value


async def remove_value(session: AsyncSession, guild_id: int, list_name: str, value: str) -> str:
    """Remove a value from the choices. Members who chose it keep it (history stays true)."""
    list_spec, value = spec(list_name), _clean(value)
    current = await values(session, guild_id, list_name)
    matching = [v for v in current if v.casefold() == value.casefold()]
    if not matching:
        raise NotFoundError(ERR_NOT_IN_LIST.format(value=quote(value), label=list_spec.label))
    value = matching[0]
    await ensure_guild(session, guild_id)
    if value in list_spec.defaults:
        session.add(ListEntry(guild_id=guild_id, list_name=list_name, value=value, hidden=True))
    else:
        await session.execute(
            delete(ListEntry).where(
                ListEntry.guild_id == guild_id,
                ListEntry.list_name == list_name,
                ListEntry.value == value,
            )
        )
    return value


def match_key(value: str) -> str:
    """A list value as people type it: no accents, case, hyphens nor apostrophes, and the
    inclusive endings dropped (« educateur specialise » finds « Éducateur·rice spécialisé·e »)."""
    text = _INCLUSIVE.sub("", folded(value))
    return " ".join(text.replace("-", " ").replace("'", " ").replace("’", " ").split())


async def require_choice(session: AsyncSession, guild_id: int, list_name: str, value: str) -> str:
    """`value` if it is one of the server's choices (case-insensitive), else a clear error."""
    value = one_line(value)
    wanted = match_key(value)
    for choice in await values(session, guild_id, list_name):
        if folded(choice) == folded(value) or match_key(choice) == wanted:
            return choice
    raise ValidationError(ERR_NOT_A_CHOICE.format(value=quote(value), label=spec(list_name).label))
