"""The annual activity report: sections built from the report's data (`sections`), written
as an editable DOCX (`docx`) and a print-ready A4 PDF (`pdf`)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.report import ReportData


@dataclass(frozen=True)
class ReportFiles:
    docx: bytes
    pdf: bytes


def filename(year: int, ext: str) -> str:
    return f"rapport-activite-{year}.{ext}"


def render(data: ReportData) -> ReportFiles:
    """Both files (blocking: charts and layout; run it with asyncio.to_thread)."""
    from bot.ui.report import docx, pdf, sections

    cover, parts = sections.build(data)
    return ReportFiles(docx=docx.render(cover, parts), pdf=pdf.render(cover, parts))
