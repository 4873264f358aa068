"""Meta-test: spreadsheets are written only through bot/spreadsheets.py (which neutralises
formulas and types cells), so that a new export cannot write user text raw again."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The one module that writes CSV and cells; recap_exports only lays out sheets (styles,
# widths) and hands every value to it (`S.xlsx_row`, `S.text_cell`).
CSV_WRITERS = {"bot/spreadsheets.py"}
XLSX_WRITERS = {"bot/spreadsheets.py", "bot/ui/recap_exports.py"}


def _modules() -> list[tuple[str, ast.AST]]:
    out = []
    for folder in ("bot", "cogs"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            out.append((path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))))
    return out


def test_csv_is_written_by_the_shared_writer_only() -> None:
    offenders = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("writer", "DictWriter"):
                if isinstance(node.value, ast.Name) and node.value.id == "csv" and name not in CSV_WRITERS:
                    offenders.append(name)
            if isinstance(node, ast.ImportFrom) and node.module == "csv" and name not in CSV_WRITERS:
                if any(a.name in ("writer", "DictWriter") for a in node.names):
                    offenders.append(name)
    assert offenders == []


def test_xlsx_cells_are_written_by_the_shared_writer_only() -> None:
    offenders = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            if any(m == "openpyxl" or m.startswith("openpyxl.") for m in modules) and name not in XLSX_WRITERS:
                offenders.append(name)
    assert offenders == []


def test_recap_sheets_append_only_converted_rows() -> None:
    """In recap_exports, every `ws.append(...)` goes through the shared converters."""
    tree = ast.parse((ROOT / "bot/ui/recap_exports.py").read_text(encoding="utf-8"))
    appends = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "append"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "ws"
    ]
    assert appends
    for call in appends:
        source = ast.unparse(call.args[0])
        assert source in ("cells", "S.xlsx_row(ws, row)", "[S.text_cell(ws, line)]"), source
