"""The recap spreadsheet read back with openpyxl: on the seed's 2021 network (2018–2020
imported), every figure is a number cell with a French display format (integers, hours,
percentages, "*" for imported values), so that a funder can sum and chart them."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bot import spreadsheets as S
from bot.db import Database
from bot.services.recap import history as recap_import
from bot.services.recap import year as recap_year
from bot.ui import recap_exports
from tests.services.test_recap_seed import AFTER_2021, GUILD, HISTORY_CSV, build_seed_network


@pytest.fixture
async def workbook(db: Database):
    await build_seed_network(db)
    async with db.transaction(lock=True) as session:
        await recap_import.import_csv(session, GUILD, HISTORY_CSV.read_bytes(), now=AFTER_2021)
    async with db.transaction() as session:
        r = await recap_year.year_recap(session, GUILD, 2021, now=AFTER_2021)
    return load_workbook(io.BytesIO(recap_exports.to_xlsx(r)))


def _table(sheet) -> dict:
    return {row[0].value: row[1:] for row in sheet.iter_rows(min_row=2) if row[0].value}


def _synthesis_cells_are_numbers(workbook) -> None:
    sheet = workbook["Synthèse 2021"]
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Ensemble des territoires"
    table = _table(sheet)
    figures = [c for label, row in table.items() if not label.startswith("*") for c in row]
    assert figures and all(c.value is None or c.data_type == "n" for c in figures)
    everyone = len(header) - 2
    assert (table["Promeneurs"][everyone].value, table["Promeneurs"][everyone].number_format) == (119, S.INTEGER)
    assert table["dont Jeunesse"][everyone].value + table["dont Parentalité"][everyone].value == 119
    for label in ("Taux d'inscription", "Taux de remplissage"):
        cells = [c for c in table[label] if c.value is not None]
        assert all(c.number_format == S.PERCENT and 0 <= c.value <= 1.5 for c in cells)
    hours = [c for c in table["Heures de coordination"] if c.value is not None]
    assert all(c.number_format in (S.HOURS, S.HOURS_DECIMAL) for c in hours)
    assert table["Types de structures (distincts)"][everyone].value == 18


def _evolution_marks_imported_years_by_format_only(workbook) -> None:
    sheet = workbook["Évolution ensemble"]
    years = [c.value for c in sheet[1]][1:]
    assert years == ["2018", "2019", "2020", "2021"]
    promeneurs = _table(sheet)["Promeneurs"]
    assert [(c.value, c.number_format) for c in promeneurs] == [
        (43, '#,##0"*"'),
        (66, '#,##0"*"'),
        (99, '#,##0"*"'),
        (119, "#,##0"),
    ]
    assert sum(c.value for c in promeneurs) == 43 + 66 + 99 + 119  # a funder can sum them
    presentations = _table(sheet)["Présentations"]
    assert presentations[0].value is None  # unknown in 2018: an empty cell, not "—"
    days = _table(sheet)["Journées"]
    assert all(c.data_type == "n" for c in days if c.value is not None)


def _data_sheet_and_text_cells(workbook) -> None:
    sheet = workbook["Données"]
    assert [c.value for c in sheet[1]] == ["annee", "territoire", "indicateur", "valeur", "source", "note"]
    for row in sheet.iter_rows(min_row=2):
        year, _, indicator, value, source, _ = row
        assert year.data_type == "n" and indicator.data_type == "s" and source.value in ("importé", "calculé")
        assert value.value is None or value.data_type == "n"
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type in ("s", "n") or cell.value is None, (ws.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.endswith((" h", " %", "*")) or ws.title == "Définitions", (
                        ws.title,
                        cell.value,
                    )


async def test_the_seed_recap_spreadsheet(workbook) -> None:
    """One build of the seed network (slow) for the three checks."""
    _synthesis_cells_are_numbers(workbook)
    _evolution_marks_imported_years_by_format_only(workbook)
    _data_sheet_and_text_cells(workbook)
