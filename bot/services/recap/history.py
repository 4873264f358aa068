"""Importing the yearly figures of years before the bot (DESIGN.md §3).

CSV `annee,territoire,indicateur,valeur,note` as spreadsheets really save it: separator `;`,
`,` or tab (sniffed from the header), UTF-8 with or without BOM, Windows-1252 (French Excel's
"CSV (séparateur : point-virgule)"), UTF-16 (Excel's "Texte Unicode"), line ends CRLF, LF or
CR (Excel for Mac). Numbers in French forms: `1 234` with a space, a no-break or a narrow
no-break space, `4,5` or `4.5` days. Counts must be whole numbers (the first problem is
reported with its line and column). `territoire` empty = all territories, `valeur` empty =
unknown. An imported value for a (year, territory, indicator) is shown in the recap instead
of the computed one, marked as imported, with its note. Importing the same key again
replaces it.

The bot's own `/bilan export` CSV reads back: its `source` column is accepted, its
"calculé" lines (the bot's own figures) are skipped — importing them would freeze a computed
figure — and the apostrophe it puts before text a spreadsheet would take for a formula is
removed.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db.models.activity import ImportedFigure
from bot.db.session import requires_lock
from bot.errors import ValidationError
from bot.services import indicators
from bot.services.guilds import ensure_guild, territories
from bot.services.recap.indicators import IMPORTED, SESSION_DAYS
from bot.spreadsheets import unneutralise

BASE_INDICATORS = IMPORTED
# And the evaluation indicators (definitions: bot.services.indicators, docs/indicators.md).
INDICATORS = (*BASE_INDICATORS, *indicators.CODES)
DECIMAL_INDICATORS = frozenset({SESSION_DAYS, *indicators.DECIMAL_CODES})  # half days; everything else is a count
COLUMNS = ("annee", "territoire", "indicateur", "valeur", "note")
SOURCE = "source"  # the extra column of the bot's own export
COMPUTED = "calculé"
MAX_BYTES = 200_000
MAX_ROWS = 5_000
MIN_YEAR = 2000
MAX_VALUE = 1_000_000
MAX_NOTE = 200
MAX_ECHO = 80  # characters of a cell quoted back in an error message

ERR_TOO_BIG = "Le fichier est trop gros ({size} Ko) : {max} Ko au plus. Découpez-le par années."
ERR_TOO_MANY = "Le fichier a plus de {max} lignes : découpez-le par années."
ERR_ENCODING = (
    "Le fichier n'est pas un texte lisible. Enregistrez-le depuis votre tableur en « CSV UTF-8 » "
    "ou « CSV (séparateur : point-virgule) »."
)
ERR_WORKBOOK = (
    "Ce fichier est un classeur (Excel ou LibreOffice), pas un CSV : dans votre tableur, "
    "« Enregistrer sous » puis choisissez « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »."
)
ERR_EMPTY = "Le fichier est vide : la première ligne doit être « annee,territoire,indicateur,valeur,note »."
ERR_HEADER = "Ligne 1 : en-tête attendu « annee,territoire,indicateur,valeur,note » (trouvé « {found} »)."
ERR_COLUMNS = "Ligne {line} : {count} au lieu de {expected} ({names})."
COLUMNS_ONE, COLUMNS_MANY = "{count} colonne", "{count} colonnes"
ERR_YEAR = "Ligne {line}, colonne « annee » : « {value} » n'est pas une année entre {min} et {max}."
ERR_TERRITORY = (
    "Ligne {line}, colonne « territoire » : « {value} » n'est pas un territoire du serveur "
    "(connus : {known} ; laissez vide pour l'ensemble)."
)
ERR_INDICATOR = "Ligne {line}, colonne « indicateur » : « {value} » est inconnu (attendus : {known})."
ERR_INDICATOR_MORE = " ou un indicateur d'évaluation\u00a0: contacts_…, reseau_…, theme_…, voir le guide"
ERR_VALUE = (
    "Ligne {line}, colonne « valeur » : « {value} » n'est pas un nombre positif "
    "(laissez vide si la valeur est inconnue)."
)
ERR_FRACTION = (
    "Ligne {line}, colonne « valeur » : « {value} » n'est pas un nombre entier (« {indicator} » se compte en unités)."
)
ERR_THOUSANDS = (
    "Ligne {line}, colonne « valeur » : « {value} » est ambigu (milliers ou décimales ?) : "
    "écrivez les milliers sans séparateur ou avec une espace (1234 ou 1 234)."
)
ERR_DECIMALS = (
    "Ligne {line}, colonne « valeur » : « {value} » a trop de décimales (des journées : deux au plus, par exemple 4,5)."
)
ERR_NOTE = "Ligne {line}, colonne « note » : {max} caractères au plus."
ERR_UNREADABLE = (
    "Ligne {line} : une cellule est trop longue ou mal délimitée (un guillemet non fermé ?). "
    "Vérifiez cette ligne dans votre tableur."
)
ERR_DUPLICATE = "Ligne {line} : {year} / {territory} / {indicator} figure déjà ligne {first}."
ERR_NO_ROWS = "Le fichier ne contient aucune ligne de données après l'en-tête."
ERR_ONLY_COMPUTED = (
    "Ce fichier ne contient que des chiffres calculés par le bot (colonne source « calculé ») : "
    "rien à importer. Pour remplacer un chiffre, écrivez « importé » dans sa colonne source."
)

# Digits grouped by thousands with a space, a no-break space, a narrow no-break space, a
# thin space or a figure space (what French spreadsheets write "as displayed").
_SPACES = " \u00a0\u202f\u2009\u2007"
_GROUPED = re.compile(rf"^\d{{1,3}}(?:[{_SPACES}]\d{{3}})+$", re.ASCII)
_PLAIN = re.compile(r"^\d+$", re.ASCII)
_DECIMAL = re.compile(r"^(\d+|\d{1,3}(?:[" + _SPACES + r"]\d{3})+)[.,](\d+)$", re.ASCII)


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
    skipped_computed: int = 0


def _echo(text: str) -> str:
    return text if len(text) <= MAX_ECHO else text[: MAX_ECHO - 1] + "…"


def _decode(data: bytes) -> str:
    """UTF-16 (BOM), UTF-8 (with or without BOM), else Windows-1252 or Mac Roman."""
    if len(data) > MAX_BYTES:
        raise ValidationError(ERR_TOO_BIG.format(size=round(len(data) / 1000), max=MAX_BYTES // 1000))
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # XLSX / ODS zip, old XLS
        raise ValidationError(ERR_WORKBOOK)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(ERR_ENCODING) from None
    if b"\x00" in data:
        raise ValidationError(ERR_ENCODING)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: an 8-bit Excel file. CR-only line ends are Excel for Mac's "CSV
    # (Macintosh)", written in Mac Roman; otherwise Windows' "CSV (séparateur : point-virgule)".
    encoding = "mac_roman" if b"\r" in data and b"\n" not in data else "cp1252"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ValidationError(ERR_ENCODING) from None


def parse_value(text: str, indicator: str, line: int) -> float | None:
    """French and English number forms; counts must be whole numbers."""
    text = text.strip(_SPACES)
    if not text:
        return None
    echo = _echo(text)
    if _PLAIN.match(text) or _GROUPED.match(text):
        value = float(re.sub(f"[{_SPACES}]", "", text))
    elif match := _DECIMAL.match(text):
        whole, decimals = re.sub(f"[{_SPACES}]", "", match[1]), match[2]
        value = float(f"{whole}.{decimals}")
        if indicator in DECIMAL_INDICATORS:
            if len(decimals) > 2:
                raise ValidationError(ERR_DECIMALS.format(line=line, value=echo))
        elif not value.is_integer():
            if len(decimals) == 3 and match[1] == whole:  # "1.234", "1,234": thousands?
                raise ValidationError(ERR_THOUSANDS.format(line=line, value=echo))
            raise ValidationError(ERR_FRACTION.format(line=line, value=echo, indicator=indicator))
        elif len(decimals) == 3 and set(decimals) == {"0"}:  # "1.000": one, or a thousand?
            raise ValidationError(ERR_THOUSANDS.format(line=line, value=echo))
    else:
        raise ValidationError(ERR_VALUE.format(line=line, value=echo))
    if value > MAX_VALUE:
        raise ValidationError(ERR_VALUE.format(line=line, value=echo))
    return value


def _header(text: str) -> tuple[str, str]:
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    return delimiter, first


def _plain_name(name: str) -> str:
    """A column name without case or accents ("Année" → "annee")."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _territory(value: str, known: set[str]) -> str:
    """Upper case; a code a spreadsheet turned into a number ("3" for "03") is found back."""
    value = value.upper()
    if value and value not in known and value.isdigit() and value.zfill(2) in known:
        return value.zfill(2)
    return value


def parse(data: bytes, known_territories: set[str], *, current_year: int) -> list[ImportRow]:
    rows, _ = parse_file(data, known_territories, current_year=current_year)
    return rows


def parse_file(data: bytes, known_territories: set[str], *, current_year: int) -> tuple[list[ImportRow], int]:
    """Check every line; the first problem is reported with its line and column. Returns the
    rows and the number of "calculé" lines of the bot's own export that were skipped."""
    text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip("\n\ufeff"):
        raise ValidationError(ERR_EMPTY)
    delimiter, first = _header(text)
    if not first.strip():
        raise ValidationError(ERR_EMPTY)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _rows(reader, known_territories, current_year)
    except csv.Error:  # a field beyond the csv module's limit (128 KB), a stray NUL
        raise ValidationError(ERR_UNREADABLE.format(line=reader.line_num)) from None


def _rows(reader, known_territories: set[str], current_year: int) -> tuple[list[ImportRow], int]:
    header = [_plain_name(h) for h in next(reader)]
    with_source = tuple(header) == (*COLUMNS[:4], SOURCE, COLUMNS[4])
    if tuple(header) != COLUMNS and not with_source:
        raise ValidationError(ERR_HEADER.format(found=_echo(",".join(header))))
    expected = len(header)
    rows: list[ImportRow] = []
    skipped = 0
    seen: dict[tuple[int, str, str], int] = {}
    known_list = ", ".join(sorted(known_territories)) or "aucun"
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationError(ERR_TOO_MANY.format(max=MAX_ROWS))
        if len(cells) != expected:
            count = (COLUMNS_ONE if len(cells) == 1 else COLUMNS_MANY).format(count=len(cells))
            raise ValidationError(
                ERR_COLUMNS.format(line=line, count=count, expected=expected, names=", ".join(header))
            )
        cells = [unneutralise(c.strip()) for c in cells]
        if with_source:
            source = cells.pop(4)
            if source.lower() == COMPUTED:
                skipped += 1
                continue
        year_s, territory, indicator, value_s, note = cells
        if not (year_s.isascii() and year_s.isdigit() and len(year_s) == 4 and MIN_YEAR <= int(year_s) <= current_year):
            raise ValidationError(ERR_YEAR.format(line=line, value=_echo(year_s), min=MIN_YEAR, max=current_year))
        territory = _territory(territory, known_territories)
        if territory and territory not in known_territories:
            raise ValidationError(ERR_TERRITORY.format(line=line, value=_echo(territory), known=known_list))
        indicator = indicator.lower()
        if indicator not in INDICATORS:
            raise ValidationError(
                ERR_INDICATOR.format(
                    line=line, value=_echo(indicator), known=", ".join(BASE_INDICATORS) + ERR_INDICATOR_MORE
                )
            )
        value = parse_value(value_s, indicator, line)
        if len(note) > MAX_NOTE:
            raise ValidationError(ERR_NOTE.format(line=line, max=MAX_NOTE))
        key = (int(year_s), territory, indicator)
        if key in seen:
            raise ValidationError(
                ERR_DUPLICATE.format(
                    line=line,
                    year=year_s,
                    territory=territory or "ensemble",
                    indicator=indicator,
                    first=seen[key],
                )
            )
        seen[key] = line
        rows.append(ImportRow(int(year_s), territory, indicator, value, note or None))
    if not rows:
        raise ValidationError(ERR_ONLY_COMPUTED if skipped else ERR_NO_ROWS)
    return rows, skipped


@requires_lock
async def import_csv(session: AsyncSession, guild_id: int, data: bytes, *, now: datetime) -> ImportResult:
    """Validate the whole file, then store it in one transaction (all or nothing), replacing
    the figures of the same keys."""
    await ensure_guild(session, guild_id)
    known = {t.code for t in await territories(session, guild_id, include_inactive=True)}
    rows, skipped = parse_file(data, known, current_year=now.astimezone(PARIS).year)
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
            delete(ImportedFigure).where(ImportedFigure.guild_id == guild_id, or_(*keys[start : start + 200]))
        )
        replaced += cast(CursorResult[Any], result).rowcount or 0
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
    return ImportResult(len(rows), sorted({r.year for r in rows}), replaced, skipped)


async def figures(session: AsyncSession, guild_id: int, years: list[int] | None = None) -> list[ImportedFigure]:
    stmt = select(ImportedFigure).where(ImportedFigure.guild_id == guild_id)
    if years is not None:
        stmt = stmt.where(ImportedFigure.year.in_(years))
    return list((await session.scalars(stmt)).all())


async def years(session: AsyncSession, guild_id: int) -> list[int]:
    rows = await session.scalars(select(ImportedFigure.year).where(ImportedFigure.guild_id == guild_id).distinct())
    return sorted(rows)
