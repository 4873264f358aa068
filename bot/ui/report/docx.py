"""The editable report (Word / LibreOffice): the same sections, built-in heading styles, a
table of contents field (filled with the section titles; Word and LibreOffice update its
page numbers), page numbers in the footer, and the placeholders of the texts still to
write. Blocking: run in a thread."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from bot.ui.report.blocks import (
    Bullets,
    Cover,
    Heading,
    Image,
    Para,
    Placeholder,
    Run,
    Section,
    Table,
)
from bot.ui.report.typography import fr

ACCENT = RGBColor(0x1B, 0x7F, 0x79)
GREY = RGBColor(0x80, 0x80, 0x80)
TEXT_WIDTH_CM = 17.0
KEEP_ROWS = 15


def _field(paragraph, instruction: str, cached: str = "") -> None:
    """A Word field (PAGE, TOC…) with a cached result shown until it is updated."""

    def char(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run = paragraph.add_run()
    run._r.append(instr)
    run = paragraph.add_run()
    run._r.append(char("separate"))
    paragraph.add_run(cached)
    run = paragraph.add_run()
    run._r.append(char("end"))


def _runs(paragraph, runs: list[Run]) -> None:
    for text, bold in runs:
        paragraph.add_run(fr(text)).bold = bold


def _table_look(t) -> None:
    """Header row styled, first column plain (the style's default bolds it)."""
    look = t._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        t._tbl.tblPr.append(look)
    look.set(qn("w:val"), "0420")
    look.set(qn("w:firstRow"), "1")
    look.set(qn("w:firstColumn"), "0")
    look.set(qn("w:noVBand"), "1")


def _row_flag(row, name: str) -> None:
    el = OxmlElement(name)
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _table(doc, table: Table) -> None:
    if table.caption:
        p = doc.add_paragraph()
        p.add_run(fr(table.caption)).bold = True
        p.paragraph_format.keep_with_next = True
    n = len(table.header)
    first = 40 if n <= 3 else 30
    widths: list[float] = [*table.widths] if table.widths else [first, *([(100 - first) / (n - 1)] * (n - 1))]
    t = doc.add_table(rows=1, cols=n)
    t.style = "Light Grid Accent 1"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _table_look(t)
    for i, text in enumerate(table.header):
        cell = t.rows[0].cells[i]
        cell.text = ""
        cell.paragraphs[0].add_run(fr(text)).bold = True
    for row in table.rows:
        cells = t.add_row().cells
        for i, text in enumerate(row):
            cells[i].text = fr(text)
            if i >= table.numeric_from:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, column in enumerate(t.columns):
        column.width = Cm(TEXT_WIDTH_CM * widths[i] / 100)
    keep = len(table.rows) <= KEEP_ROWS  # a short table stays on one page
    _row_flag(t.rows[0], "w:tblHeader")  # a long one repeats its header
    for r, row in enumerate(t.rows):
        _row_flag(row, "w:cantSplit")
        for i, cell in enumerate(row.cells):
            cell.width = Cm(TEXT_WIDTH_CM * widths[i] / 100)
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = keep and r + 1 < len(t.rows)
                for run in p.runs:
                    run.font.size = Pt(9)
    if table.note:
        p = doc.add_paragraph()
        run = p.add_run(fr(table.note))
        run.italic, run.font.size = True, Pt(8)
    doc.add_paragraph()


def _block(doc, block: object) -> None:
    if isinstance(block, Heading):
        doc.add_heading(fr(block.text), level=2)
    elif isinstance(block, Para):
        p = doc.add_paragraph()
        _runs(p, block.runs)
        if block.key:
            for run in p.runs:
                run.font.color.rgb = ACCENT
    elif isinstance(block, Bullets):
        for item in block.items:
            _runs(doc.add_paragraph(style="List Bullet"), item)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Image):
        doc.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap = doc.add_paragraph()
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = cap.add_run(fr(block.caption))
        run.italic, run.font.size = True, Pt(8.5)
    elif isinstance(block, Placeholder):
        p = doc.add_paragraph()
        run = p.add_run(fr(block.text))
        run.italic, run.font.color.rgb = True, GREY
    else:
        raise TypeError(type(block))


def _cover(doc, cover: Cover) -> None:
    for _ in range(4):
        doc.add_paragraph()
    p = doc.add_paragraph()
    run = p.add_run(fr(cover.network))
    run.bold, run.font.size, run.font.color.rgb = True, Pt(30), ACCENT
    p = doc.add_paragraph()
    run = p.add_run(fr(" · ".join(cover.territories)))
    run.font.size = Pt(15)
    for _ in range(5):
        doc.add_paragraph()
    p = doc.add_paragraph()
    run = p.add_run(fr(cover.title))
    run.bold, run.font.size = True, Pt(32)
    for _ in range(8):
        doc.add_paragraph()
    for line in cover.carrier:
        p = doc.add_paragraph()
        run = p.add_run(fr(line))
        run.bold, run.font.size = True, Pt(13)
    for line in cover.contact:
        doc.add_paragraph(fr(line))


def _toc(doc, sections: list[Section]) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    title = doc.add_paragraph()
    run = title.add_run("Table des matières")
    run.bold, run.font.size, run.font.color.rgb = True, Pt(18), ACCENT
    p = doc.add_paragraph()
    _field(p, 'TOC \\o "1-1" \\h \\z \\u', "")
    # The field's cached result: the section titles, until Word or LibreOffice updates it.
    runs = p.runs
    cached = runs[3]
    for i, section in enumerate(sections):
        cached.add_text(fr(section.title))
        if i + 1 < len(sections):
            cached.add_break()
    # Ask Word to refresh the fields (page numbers of the table of contents) on opening.
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _footer(doc) -> None:
    for section in doc.sections:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _field(p, "PAGE", "1")


def render(cover: Cover, sections: list[Section]) -> bytes:
    doc = Document()
    page = doc.sections[0]
    page.page_height, page.page_width = Cm(29.7), Cm(21.0)
    page.left_margin = page.right_margin = Cm(2)
    page.top_margin, page.bottom_margin = Cm(2), Cm(2.2)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Liberation Sans", Pt(10)
    for level in (1, 2):
        doc.styles[f"Heading {level}"].font.color.rgb = ACCENT
    _cover(doc, cover)
    _toc(doc, sections)
    for section in sections:
        heading = doc.add_heading(fr(section.title), level=1)
        heading.paragraph_format.page_break_before = section.new_page
        for i, block in enumerate(section.blocks):
            _block(doc, block)
            following = section.blocks[i + 1] if i + 1 < len(section.blocks) else None
            if isinstance(block, Para) and isinstance(following, Para) and following.key:
                doc.paragraphs[-1].paragraph_format.keep_with_next = True  # with its figure line
    _footer(doc)
    doc.core_properties.title = fr(f"{cover.network} – {cover.title}")
    doc.core_properties.language = "fr-FR"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
