"""/bilan importer with files as French spreadsheets really save them (tests/data/spreadsheets,
see its README), French number forms, and the round trip of the bot's own CSV export."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models.activity import ImportedFigure
from bot.db.session import UnlockedUnitOfWork
from bot.errors import ValidationError
from bot.services import activity as activity_service
from bot.services import members as members_service
from bot.services.members import ProfileChanges
from bot.services.periods import ALL
from bot.services.recap import history as recap_import
from bot.services.recap import indicators as R
from bot.services.recap import year as recap_year
from bot.ui import recap_exports
from tests.services.recap_network import add_territories

GUILD = 7
NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parents[1] / "data"
FILES = DATA / "spreadsheets"
SAVED = [
    "excel-fr-point-virgule.csv",
    "excel-fr-csv-utf8.csv",
    "excel-mac-macintosh.csv",
    "excel-texte-unicode.txt",
    "libreoffice-point-virgule.csv",
    "libreoffice-virgule.csv",
    "google-sheets.csv",
]
EXPECTED = [
    (2019, "", "promeneurs", 1234.0, None),
    (2019, "63", "reunions", 12.0, "dont 1 visio, réunion à Vichy"),
    (2019, "03", "reunions_jours", 4.5, None),
    (2019, "03", "accompagnements", None, "inconnu"),
]
KNOWN = {"03", "63"}
HEADER = "annee;territoire;indicateur;valeur;note\r\n"


@pytest.fixture
async def network(db: Database) -> Database:
    return await add_territories(db, GUILD)


async def _stored(db: Database) -> list[tuple]:
    async with db.transaction() as session:
        rows = await session.scalars(select(ImportedFigure).order_by(ImportedFigure.id))
        return [(r.year, r.territory_code, r.indicator, r.value, r.note) for r in rows]


@pytest.mark.parametrize("name", SAVED)
async def test_files_saved_by_french_spreadsheets_import_the_same_figures(network: Database, name: str) -> None:
    data = (FILES / name).read_bytes()
    async with network.transaction(lock=True) as session:
        result = await recap_import.import_csv(session, GUILD, data, now=NOW)
    assert (result.rows, result.years, result.replaced) == (4, [2019], 0)
    assert await _stored(network) == EXPECTED


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "excel-fr-fraction.csv",
            "Ligne 3, colonne « valeur » : « 12,5 » n'est pas un nombre entier (« accompagnements » se compte en unités).",
        ),
        (
            "excel-fr-milliers-point.csv",
            "Ligne 2, colonne « valeur » : « 1.234 » est ambigu (milliers ou décimales ?) : écrivez les milliers sans séparateur ou avec une espace (1234 ou 1 234).",
        ),
    ],
)
async def test_fractional_or_ambiguous_counts_are_refused_and_nothing_is_stored(
    network: Database, name: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        async with network.transaction(lock=True) as session:
            await recap_import.import_csv(session, GUILD, (FILES / name).read_bytes(), now=NOW)
    assert error.value.message == message
    assert await _stored(network) == []


@pytest.mark.parametrize(
    ("value", "indicator", "expected"),
    [
        ("1234", "promeneurs", 1234),
        ("1 234", "promeneurs", 1234),
        ("1\u00a0234", "promeneurs", 1234),
        ("1\u202f234", "promeneurs", 1234),
        ("1\u2009000\u00a0000", "promeneurs", 1000000),
        ("12,0", "promeneurs", 12),
        ("12.00", "promeneurs", 12),
        (" 12 ", "promeneurs", 12),
        ("4,5", "reunions_jours", 4.5),
        ("4.5", "reunions_jours", 4.5),
        ("4,25", "reunions_jours", 4.25),
        ("1 234,5", "reunions_jours", 1234.5),
        ("", "promeneurs", None),
    ],
)
def test_french_number_forms(value: str, indicator: str, expected: float | None) -> None:
    assert recap_import.parse_value(value, indicator, 2) == expected


@pytest.mark.parametrize(
    ("value", "indicator", "start"),
    [
        ("12,5", "promeneurs", "Ligne 2, colonne « valeur » : « 12,5 » n'est pas un nombre entier"),
        ("12.5", "accompagnements", "Ligne 2, colonne « valeur » : « 12.5 » n'est pas un nombre entier"),
        ("1.234", "promeneurs", "Ligne 2, colonne « valeur » : « 1.234 » est ambigu"),
        ("1,234", "presentations", "Ligne 2, colonne « valeur » : « 1,234 » est ambigu"),
        ("1.000", "promeneurs", "Ligne 2, colonne « valeur » : « 1.000 » est ambigu"),
        ("1,234", "reunions_jours", "Ligne 2, colonne « valeur » : « 1,234 » a trop de décimales"),
        ("12 34", "promeneurs", "Ligne 2, colonne « valeur » : « 12 34 » n'est pas un nombre positif"),
        ("-3", "promeneurs", "Ligne 2, colonne « valeur » : « -3 » n'est pas un nombre positif"),
        ("1e3", "promeneurs", "Ligne 2, colonne « valeur » : « 1e3 » n'est pas un nombre positif"),
        ("nan", "promeneurs", "Ligne 2, colonne « valeur » : « nan » n'est pas un nombre positif"),
        ("\u0663", "promeneurs", "Ligne 2, colonne « valeur » : « \u0663 » n'est pas un nombre positif"),
        ("²", "promeneurs", "Ligne 2, colonne « valeur » : « ² » n'est pas un nombre positif"),
        ("2000000", "promeneurs", "Ligne 2, colonne « valeur » : « 2000000 » n'est pas un nombre positif"),
        ("9" * 500, "promeneurs", "Ligne 2, colonne « valeur » : « 99999999999"),
    ],
)
def test_bad_numbers_name_the_line_and_column(value: str, indicator: str, start: str) -> None:
    with pytest.raises(ValidationError) as error:
        recap_import.parse_value(value, indicator, 2)
    assert error.value.message.startswith(start)
    assert len(error.value.message) < 300


def test_cr_only_utf8_and_a_lost_leading_zero() -> None:
    data = b"annee,territoire,indicateur,valeur,note\r2019,3,promeneurs,12,\r2019,63,promeneurs,3,\r"
    rows = recap_import.parse(data, KNOWN, current_year=2026)
    assert [(r.territory_code, r.value) for r in rows] == [("03", 12), ("63", 3)]


def test_a_quoted_note_keeps_its_line_break_and_the_next_line_number_is_right() -> None:
    data = (HEADER + '2019;;promeneurs;12;"ligne 1\r\nligne 2"\r\n2019;;reunions;douze;\r\n').encode()
    with pytest.raises(ValidationError) as error:
        recap_import.parse(data, KNOWN, current_year=2026)
    assert error.value.message.startswith("Ligne 4, colonne « valeur » : « douze »")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 40, recap_import.ERR_WORKBOOK),
        (b"annee\x00;territoire", recap_import.ERR_ENCODING),
        (b"\xef\xbb\xbf", recap_import.ERR_EMPTY),
        (b"\r\n\r\n", recap_import.ERR_EMPTY),
    ],
)
def test_files_that_are_not_csv_get_a_french_message(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        recap_import.parse(data, KNOWN, current_year=2026)
    assert error.value.message == message


def test_a_150_kb_cell_is_refused_with_its_line() -> None:
    data = (HEADER + "2019;;promeneurs;1;\r\n2020;;promeneurs;1;" + "x" * 150_000 + "\r\n").encode()
    with pytest.raises(ValidationError) as error:
        recap_import.parse(data, KNOWN, current_year=2026)
    assert error.value.message == recap_import.ERR_UNREADABLE.format(line=3)


@pytest.mark.parametrize("year", ["9" * 10_000, "02019", "²⁰¹⁹", "２０１９"])
def test_a_year_is_four_ascii_digits(year: str) -> None:
    with pytest.raises(ValidationError) as error:
        recap_import.parse((HEADER + f"{year};;promeneurs;1;\r\n").encode(), KNOWN, current_year=2026)
    assert error.value.message.startswith("Ligne 2, colonne «\u00a0annee\u00a0»\u00a0:")
    assert len(error.value.message) < 250


def test_column_names_as_people_type_them() -> None:
    data = "Année;Territoire;Indicateur;Valeur;Note\r\n2019;03;promeneurs;12;\r\n".encode("cp1252")
    assert [(r.year, r.territory_code) for r in recap_import.parse(data, KNOWN, current_year=2026)] == [(2019, "03")]


def test_libreoffice_quoted_text_cells() -> None:
    data = '"annee";"territoire";"indicateur";"valeur";"note"\n2019;"03";"reunions_jours";"4,5";"un\u00a0; deux"\n'.encode()
    rows = recap_import.parse(data, KNOWN, current_year=2026)
    assert [(r.territory_code, r.value, r.note) for r in rows] == [("03", 4.5, "un\u00a0; deux")]


def test_the_header_echo_is_short() -> None:
    data = ("x" * 5000 + "\n2019;;promeneurs;1;\n").encode()
    with pytest.raises(ValidationError) as error:
        recap_import.parse(data, KNOWN, current_year=2026)
    assert error.value.message.startswith("Ligne 1 : en-tête attendu")
    assert len(error.value.message) < 200


def test_a_neutralised_note_is_read_back_as_written() -> None:
    data = (HEADER + "2019;;promeneurs;12;'=SOMME(A1:A2)\r\n2019;;reunions;3;'-1 par rapport à 2018\r\n").encode()
    rows = recap_import.parse(data, KNOWN, current_year=2026)
    assert [r.note for r in rows] == ["=SOMME(A1:A2)", "-1 par rapport à 2018"]


async def test_the_bots_own_csv_export_imports_back(network: Database) -> None:
    """Past years imported, the bot's figures for 2025-2026; the export of 2026 re-imported:
    the imported lines replace themselves, the computed lines are left aside (counted)."""
    history = (DATA / "historique-2018-2020.csv").read_bytes()
    async with network.transaction(lock=True) as session:
        await recap_import.import_csv(session, GUILD, history, now=NOW)
        await members_service.update_profile(
            session,
            GUILD,
            40,
            "Zoé",
            ProfileChanges(territory="03", strand="youth", joined_on=date(2025, 2, 1)),
            today=date(2025, 2, 1),
        )
        await activity_service.log_activity(
            session, GUILD, 40, "presentation", quantity=3, day=date(2026, 3, 1), today=date(2026, 12, 31)
        )
    async with network.transaction() as session:
        before = await recap_year.year_recap(session, GUILD, 2026, now=NOW)
    exported = recap_exports.to_csv(before)
    assert exported.startswith("\ufeffannee;territoire;indicateur;valeur;source;note\r\n".encode())
    assert b"2020;;reunions_jours;" in exported
    imported_lines = exported.count(";importé;".encode())
    computed_lines = exported.count(";calculé;".encode())
    async with network.transaction(lock=True) as session:
        result = await recap_import.import_csv(session, GUILD, exported, now=NOW)
    # The 59 figures of the history file replace themselves; the figures the recap derives
    # from them (a total of in-person + remote sessions) are stored as shown.
    assert (result.rows, result.replaced, result.skipped_computed) == (imported_lines, 59, computed_lines)
    assert result.years == [2018, 2019, 2020]
    async with network.transaction() as session:
        after = await recap_year.year_recap(session, GUILD, 2026, now=NOW)
    assert recap_exports.to_csv(after) == exported
    assert after.synthesis[ALL][R.PRESENTATIONS] == R.Figure(3)
    stored = await _stored(network)
    async with network.transaction(lock=True) as session:
        again = await recap_import.import_csv(session, GUILD, exported, now=NOW)
    assert again.rows == again.replaced == imported_lines
    assert sorted(await _stored(network), key=repr) == sorted(stored, key=repr)


async def test_an_export_with_only_computed_lines_says_so(network: Database) -> None:
    data = "annee;territoire;indicateur;valeur;source;note\r\n2026;;presentations;3;calculé;\r\n".encode("utf-8-sig")
    with pytest.raises(ValidationError) as error:
        async with network.transaction(lock=True) as session:
            await recap_import.import_csv(session, GUILD, data, now=NOW)
    assert error.value.message == recap_import.ERR_ONLY_COMPUTED


async def test_the_import_replaces_rows_only_inside_a_locked_unit_of_work(network: Database) -> None:
    """It reads the figures it replaces: outside `transaction(lock=True)` it is refused and
    nothing is stored."""
    with pytest.raises(UnlockedUnitOfWork):
        async with network.transaction() as session:
            await recap_import.import_csv(session, GUILD, (FILES / "excel-fr-point-virgule.csv").read_bytes(), now=NOW)
    assert await _stored(network) == []
