"""Safe writers for the files people open in Excel or LibreOffice (pure: services use it too).

CSV, French dialect: `;` separator, decimal comma, UTF-8 with a BOM (so Excel reads the
accents), CRLF line ends. Excel in a French locale splits on `;` and reads `12,5` as a number;
LibreOffice proposes `;` and UTF-8 in its import dialog. Any text that a spreadsheet could
take for a formula is neutralised the OWASP way (a leading apostrophe).

Codes such as `03` are written as they are. A CSV carries no types: Excel opened by a
double-click turns `03` into 3 (Microsoft documents it; the cure it documents is the text
import wizard / Power Query with the column set to Text), LibreOffice's import dialog has a
"Text" column type. The alternative people use, `="03"`, is a formula — exactly what this
module refuses to write — so the XLSX (typed cells) is the format for double-click users,
and the import of the bot tolerates a code that lost its zero (`bot.services.recap.history`).
Checked by hand with LibreOffice 7.4 (headless, French locale, `;` and UTF-8 chosen): `12,5`
and ISO dates become numbers and dates, `'=…` stays text with its apostrophe, `03` becomes 3;
and the XLSX formats below display as "33 %", "812 h", "12*".

XLSX: user text is always a string cell (never a formula, even when it starts with `=`),
with Excel's "quote prefix" on risky text so that editing the cell does not turn it into a
formula either; numbers stay numbers and carry a display format (hours, percentages, the
imported marker) so that a funder can sum and chart them.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# openpyxl (which imports numpy when present: ~20 MB, ~0.1 s) is imported by the XLSX
# writers on first use, not when the bot starts.

# OWASP "CSV injection": cells starting with these are formulas (or DDE) in Excel,
# LibreOffice or Google Sheets. The fullwidth forms are included: some Excel builds (East
# Asian input) normalise them to ASCII when a cell is edited; an apostrophe costs nothing.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Leading blanks some importers trim ("Trim spaces" in LibreOffice) before evaluating.
_BLANKS = " \u00a0\u202f\n\t\r"
XLSX_CELL_MAX = 32_767
# The control characters an XLSX cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# The texts openpyxl types as an error cell (its ERROR_CODES): written as string cells. Not
# French text (a lower-case name: the typography check reads the capitalised constants).
_excel_errors = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))

# Number formats (stored in Excel's locale-independent syntax; shown as "1 234 h",
# "33 %" in a French Excel or LibreOffice).
INTEGER = "#,##0"
DECIMAL = "#,##0.0"
HOURS = '#,##0" h"'
HOURS_DECIMAL = '#,##0.0" h"'
DAYS_DECIMAL = "#,##0.0"
PERCENT = '0"\u00a0"%'
IMPORTED_SUFFIX = '"*"'  # appended to a format: the value shows "12*" and stays a number
DATE = "DD/MM/YYYY"


@dataclass(frozen=True)
class Num:
    """A number with its display format (None: General)."""

    value: float | int | None
    number_format: str | None = None


def neutralise(text: str) -> str:
    """The OWASP rule: text a spreadsheet would evaluate gets a leading apostrophe."""
    if text.startswith(FORMULA_TRIGGERS) or text.lstrip(_BLANKS).startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """Undo `neutralise` (used when the bot reads its own CSV back)."""
    if text.startswith("'") and neutralise(text[1:]) == text:
        return text[1:]
    return text


def french_number(value: float | int) -> str:
    """12 → "12", 12.5 → "12,5", 0.333333333 → "0,333333" (no grouping: machine-readable)."""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Num):
        return "" if value.value is None else french_number(value.value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float)):
        return french_number(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return neutralise(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The French dialect: `;`, decimal comma, CRLF, UTF-8 with BOM, neutralised text."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([csv_text(h) for h in header])
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


# -- XLSX ---------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """What an XLSX cell can hold: no control characters (openpyxl refuses them), line ends
    as LF (XML reads a bare CR as LF anyway), at most 32,767 characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:XLSX_CELL_MAX]


def text_cell(ws, text: str) -> Any:
    """A string cell, whatever the text looks like."""
    from openpyxl.cell import WriteOnlyCell

    text = clean_text(text)
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # openpyxl infers "f" (formula) for text starting with "="
    if neutralise(text) != text:
        cell.quotePrefix = True
    return cell


def number_cell(ws, value: float | int | None, number_format: str | None = None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if not number_format:
        return value  # written like a cell without a format
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


def xlsx_cell(ws, value: object) -> object:
    """A value for `ws.append` in write-only mode: text as string cells, numbers as numbers.

    The common cells are handed to openpyxl as plain values, which it writes through one
    reused cell (a national recap has 350,000 cells: a cell object each costs ~3× more): a
    number without a display format, and a text that needs no quote prefix and that openpyxl
    types as a string anyway (not a formula, not an error code such as "#N/A"). The XML
    written is the same as with a cell object."""
    if value is None:
        return None
    if isinstance(value, str):
        text = clean_text(value)
        return text if text not in _excel_errors and neutralise(text) == text else text_cell(ws, text)
    if isinstance(value, Num):
        return number_cell(ws, value.value, value.number_format)
    if isinstance(value, bool):
        return text_cell(ws, "oui" if value else "non")
    if isinstance(value, (int, float)):
        return number_cell(ws, value)
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell

    if isinstance(value, Cell):
        return value
    if isinstance(value, (date, datetime)):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE
        return cell
    return text_cell(ws, str(value))


def xlsx_row(ws, values: Iterable[object]) -> list[object]:
    return [xlsx_cell(ws, v) for v in values]


def display_width(value: object) -> int:
    """Rough column width of a value (for the column sizes)."""
    if value is None:
        return 0
    if isinstance(value, Num):
        return 0 if value.value is None else len(french_number(value.value)) + 2
    return len(str(value))


def xlsx_bytes(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A one-sheet workbook: bold header, frozen first row, columns sized to their content;
    text as string cells, numbers and dates typed (codes such as "03" stay "03")."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(clean_text(title)[:31] or "Feuille")
    for i, column in enumerate(zip(header, *rows, strict=False) if rows else ([h] for h in header), start=1):
        width = max((display_width(v) for v in column), default=10)
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2))
    ws.freeze_panes = "A2"
    cells = []
    for value in header:
        cell = text_cell(ws, str(value))
        cell.font = Font(bold=True)
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append(xlsx_row(ws, row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
