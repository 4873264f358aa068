"""The shared spreadsheet writers (bot/spreadsheets.py): the formula table through the CSV
writer (read back with `csv`) and the XLSX writer (read back with openpyxl); numbers stay
numbers with their format."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from bot import spreadsheets as S
from bot.spreadsheets import Num
from tests.formula_payloads import FORMULA_PAYLOADS, HARMLESS


def _csv_cells(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _xlsx_roundtrip(rows: list[list[object]]):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Feuille")
    for row in rows:
        ws.append(S.xlsx_row(ws, row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))["Feuille"]


def test_the_table_is_big_enough() -> None:
    assert len(FORMULA_PAYLOADS) >= 20


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_a_formula_is_text_in_the_csv(payload: str) -> None:
    cells = _csv_cells(S.csv_bytes(["nom", "n"], [[payload, 3]]))
    assert cells[1] == ["'" + payload, "3"]
    assert S.unneutralise(cells[1][0]) == payload


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_a_formula_is_a_string_cell_in_the_xlsx(payload: str) -> None:
    sheet = _xlsx_roundtrip([[payload, 3, Num(0.25, S.PERCENT)]])
    text, number, rate = sheet[1]
    assert (text.data_type, text.value) == ("s", S.clean_text(payload))
    assert text.quotePrefix  # editing the cell in Excel keeps it text
    assert (number.data_type, number.value) == ("n", 3)
    assert (rate.data_type, rate.value, rate.number_format) == ("n", 0.25, S.PERCENT)


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_left_as_typed(text: str) -> None:
    assert _csv_cells(S.csv_bytes(["nom"], [[text]]))[1] == [text]
    cell = _xlsx_roundtrip([[text]])["A1"]
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", text, False)


def test_french_dialect_numbers_dates_and_codes() -> None:
    data = S.csv_bytes(
        ["code", "quantite", "part", "jour", "inconnu", "negatif", "present"],
        [
            ["03", 1234, 12.5, date(2026, 3, 1), None, -2.5, True],
            ["2A", 0.333333333, 1.0, None, Num(None), Num(4.5, S.DECIMAL), False],
        ],
    )
    assert data.endswith(b"\r\n") and b"\r\n" in data[:-2]
    assert _csv_cells(data) == [
        ["code", "quantite", "part", "jour", "inconnu", "negatif", "present"],
        ["03", "1234", "12,5", "2026-03-01", "", "-2,5", "oui"],
        ["2A", "0,333333", "1", "", "", "4,5", "non"],
    ]


def test_a_cell_with_the_separator_or_quotes_stays_one_cell() -> None:
    cells = _csv_cells(S.csv_bytes(["a", "b"], [["x;=1+1", 'dit "=1"'], ["=1;2", '"=1']]))
    assert cells[1:] == [["x;=1+1", 'dit "=1"'], ["'=1;2", '"=1']]


def test_xlsx_numbers_dates_and_control_characters() -> None:
    sheet = _xlsx_roundtrip(
        [
            [
                Num(812, S.HOURS),
                Num(12, S.INTEGER + S.IMPORTED_SUFFIX),
                date(2026, 3, 1),
                "a\x00b\x1fc",
                Num(None),
                float("nan"),
            ]
        ]
    )
    hours, imported, day, text = sheet[1][:4]
    assert (hours.data_type, hours.value, hours.number_format) == ("n", 812, '#,##0" h"')
    assert (imported.data_type, imported.value, imported.number_format) == ("n", 12, '#,##0"*"')
    assert day.is_date and day.number_format == S.DATE
    assert text.value == "abc"
    assert sheet.max_column == 4  # unknown and NaN are empty cells


def test_a_very_long_text_fits_a_cell() -> None:
    sheet = _xlsx_roundtrip([["=" + "x" * 40_000]])
    assert len(sheet["A1"].value) == S.XLSX_CELL_MAX and sheet["A1"].data_type == "s"


def test_texts_openpyxl_would_type_otherwise_stay_string_cells() -> None:
    """Plain text is handed to openpyxl as a value (the fast path): an error code, an empty
    text, spaces around and plain numbers keep the types the cell objects gave them."""
    sheet = _xlsx_roundtrip([["#N/A", "#DIV/0!", " x ", "", "03", 7, 2.5, "ok"]])
    cells = sheet[1]
    assert [(c.data_type, c.value) for c in cells[:3]] == [("s", "#N/A"), ("s", "#DIV/0!"), ("s", " x ")]
    assert cells[3].value is None
    assert [(c.data_type, c.value, c.number_format) for c in cells[4:]] == [
        ("s", "03", "General"),
        ("n", 7, "General"),
        ("n", 2.5, "General"),
        ("s", "ok", "General"),
    ]
