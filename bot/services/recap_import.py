"""Importing the yearly figures of years before the bot (DESIGN.md §3).

CSV `annee,territoire,indicateur,valeur,note` (UTF-8, comma or semicolon): `territoire`
empty = all territories, `valeur` empty = unknown. An imported value for a (year,
territory, indicator) is shown in the recap instead of the computed one, marked as
imported, with its note. Importing the same key again replaces it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db.models.activity import ImportedFigure
from bot.errors import ValidationError
from bot.services.guilds import ensure_guild, territories

INDICATORS = {
    "promeneurs": "Promeneurs",
    "types_structures": "Types de structures",
    "types_professions": "Types de métiers",
    "presentations": "Présentations du projet",
    "reunions": "Temps de réseau",
    "reunions_presentiel": "dont en présentiel",
    "reunions_distanciel": "dont à distance",
    "reunions_jours": "Journées de temps de réseau",
    "accompagnements": "Accompagnements",
}
COLUMNS = ("annee", "territoire", "indicateur", "valeur", "note")
MAX_BYTES = 200_000
MAX_ROWS = 5_000
MIN_YEAR = 2000
MAX_VALUE = 1_000_000
MAX_NOTE = 200
MAX_CELL = 80  # year, territory, indicator, value: far shorter (so an error quotes them whole)

ERR_TOO_BIG = "Le fichier est trop gros ({size} Ko) : {max} Ko au plus. Découpez-le par années."
ERR_TOO_MANY = "Le fichier a plus de {max} lignes : découpez-le par années."
ERR_ENCODING = "Le fichier n'est pas un texte UTF-8. Enregistrez-le en « CSV UTF-8 » depuis votre tableur."
ERR_EMPTY = "Le fichier est vide : la première ligne doit être « annee,territoire,indicateur,valeur,note »."
ERR_HEADER = (
    "Ligne 1 : en-tête attendu « annee,territoire,indicateur,valeur,note » "
    "(trouvé « {found} »)."
)
ERR_COLUMNS = "Ligne {line} : {count} colonne(s) au lieu de 5 (annee, territoire, indicateur, valeur, note)."
ERR_YEAR = "Ligne {line}, colonne « annee » : « {value} » n'est pas une année entre {min} et {max}."
ERR_TERRITORY = (
    "Ligne {line}, colonne « territoire » : « {value} » n'est pas un territoire du serveur "
    "(connus : {known} ; laissez vide pour l'ensemble)."
)
ERR_INDICATOR = "Ligne {line}, colonne « indicateur » : « {value} » est inconnu (attendus : {known})."
ERR_VALUE = (
    "Ligne {line}, colonne « valeur » : « {value} » n'est pas un nombre positif "
    "(laissez vide si la valeur est inconnue)."
)
ERR_NOTE = "Ligne {line}, colonne « note » : {max} caractères au plus."
ERR_DUPLICATE = "Ligne {line} : {year} / {territory} / {indicator} figure déjà ligne {first}."
ERR_NO_ROWS = "Le fichier ne contient aucune ligne de données après l'en-tête."
ERR_CELL = (
    "Ligne {line} : une cellule dépasse {max} caractères (seule la note peut être plus longue). "
    "Vérifiez les séparateurs et les guillemets."
)
ERR_CSV = (
    "Le fichier n'a pas pu être lu comme un CSV (guillemets non refermés, cellule démesurée "
    "ou caractère nul). Enregistrez-le en « CSV UTF-8 » depuis votre tableur."
)


@dataclass(frozen=True)
class ImportRow:
    year: int
    territory_code: str
    indicator: str
    value: float | None
    note: str | None


@dataclass(frozen=True)
class ImportResult:
    rows: int
    years: list[int]
    replaced: int


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError(
            ERR_TOO_BIG.format(size=round(len(data) / 1000), max=MAX_BYTES // 1000)
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(ERR_ENCODING) from None


def parse(data: bytes, known_territories: set[str], *, current_year: int) -> list[ImportRow]:
    """Check every line; the first problem is reported with its line and column."""
    text = _decode(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValidationError(ERR_EMPTY)
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    if tuple(header) != COLUMNS:
        raise ValidationError(ERR_HEADER.format(found=delimiter.join(header)[:100]))
    rows: list[ImportRow] = []
    seen: dict[tuple[int, str, str], int] = {}
    known_list = ", ".join(sorted(known_territories)) or "aucun"
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if any(len(c) > MAX_CELL for c in cells[:4]):
            raise ValidationError(ERR_CELL.format(line=line, max=MAX_CELL))
        if len(rows) >= MAX_ROWS:
            raise ValidationError(ERR_TOO_MANY.format(max=MAX_ROWS))
        if len(cells) != len(COLUMNS):
            raise ValidationError(ERR_COLUMNS.format(line=line, count=len(cells)))
        year_s, territory, indicator, value_s, note = (c.strip() for c in cells)
        if not (year_s.isascii() and year_s.isdigit() and MIN_YEAR <= int(year_s) <= current_year):
            raise ValidationError(
                ERR_YEAR.format(line=line, value=year_s, min=MIN_YEAR, max=current_year)
            )
        territory = territory.upper()
        if territory and territory not in known_territories:
            raise ValidationError(ERR_TERRITORY.format(line=line, value=territory, known=known_list))
        indicator = indicator.lower()
        if indicator not in INDICATORS:
            raise ValidationError(
                ERR_INDICATOR.format(line=line, value=indicator, known=", ".join(INDICATORS))
            )
        value: float | None = None
        if value_s:
            try:
                value = float(value_s.replace(",", ".").replace(" ", ""))
            except ValueError:
                raise ValidationError(ERR_VALUE.format(line=line, value=value_s)) from None
            if not 0 <= value <= MAX_VALUE or value != value:
                raise ValidationError(ERR_VALUE.format(line=line, value=value_s))
        if len(note) > MAX_NOTE:
            raise ValidationError(ERR_NOTE.format(line=line, max=MAX_NOTE))
        key = (int(year_s), territory, indicator)
        if key in seen:
            raise ValidationError(
                ERR_DUPLICATE.format(
                    line=line, year=year_s, territory=territory or "ensemble",
                    indicator=indicator, first=seen[key],
                )
            )
        seen[key] = line
        rows.append(ImportRow(int(year_s), territory, indicator, value, note or None))
    if not rows:
        raise ValidationError(ERR_NO_ROWS)
    return rows


async def import_csv(
    session: AsyncSession, guild_id: int, data: bytes, *, now: datetime
) -> ImportResult:
    """Validate the whole file, then store it in one transaction (all or nothing)."""
    await ensure_guild(session, guild_id)
    known = {t.code for t in await territories(session, guild_id, include_inactive=True)}
    try:
        rows = parse(data, known, current_year=now.astimezone(PARIS).year)
    except csv.Error:  # a field over the csv module's limit, a NUL byte
        raise ValidationError(ERR_CSV) from None
    keys = [
        and_(
            ImportedFigure.year == r.year,
            ImportedFigure.territory_code == r.territory_code,
            ImportedFigure.indicator == r.indicator,
        )
        for r in rows
    ]
    replaced = 0
    for start in range(0, len(keys), 200):
        result = await session.execute(
            delete(ImportedFigure).where(
                ImportedFigure.guild_id == guild_id, or_(*keys[start : start + 200])
            )
        )
        replaced += result.rowcount or 0
    session.add_all(
        ImportedFigure(
            guild_id=guild_id,
            year=r.year,
            territory_code=r.territory_code,
            indicator=r.indicator,
            value=r.value,
            note=r.note,
            imported_at=now,
        )
        for r in rows
    )
    await session.flush()
    return ImportResult(len(rows), sorted({r.year for r in rows}), replaced)


async def figures(
    session: AsyncSession, guild_id: int, years: list[int] | None = None
) -> list[ImportedFigure]:
    stmt = select(ImportedFigure).where(ImportedFigure.guild_id == guild_id)
    if years is not None:
        stmt = stmt.where(ImportedFigure.year.in_(years))
    return list((await session.scalars(stmt)).all())


async def years(session: AsyncSession, guild_id: int) -> list[int]:
    rows = await session.scalars(
        select(ImportedFigure.year).where(ImportedFigure.guild_id == guild_id).distinct()
    )
    return sorted(rows)
