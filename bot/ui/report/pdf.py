"""The print-ready report: HTML and CSS (A4, page numbers, table of contents with page
numbers) laid out by WeasyPrint. Placeholders are left out. Blocking: run in a thread."""

from __future__ import annotations

import base64
import logging
from html import escape

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

log = logging.getLogger(__name__)

ACCENT = "#1b7f79"
KEEP_ROWS = 15
CSS = f"""
@page {{
  size: A4; margin: 20mm 18mm 22mm 18mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 8.5pt; color: #666; }}
  @bottom-left {{ content: string(doctitle); font-size: 8.5pt; color: #666; }}
}}
@page cover {{ margin: 0; @bottom-center {{ content: none; }} @bottom-left {{ content: none; }} }}
html {{ font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10pt; line-height: 1.4;
  color: #222; }}
p, li {{ orphans: 3; widows: 3; }}
p {{ text-align: justify; }}
.cover {{ page: cover; height: 297mm; box-sizing: border-box; padding: 50mm 22mm 20mm 22mm;
  background: {ACCENT}; color: white; break-after: page; position: relative; }}
.cover .network {{ font-size: 30pt; font-weight: bold; margin: 0; }}
.cover .codes {{ font-size: 15pt; margin: 4mm 0 0 0; }}
.cover h1 {{ font-size: 32pt; margin: 45mm 0 0 0; string-set: doctitle content(); color: white;
  border: none; break-before: auto; }}
.cover .carrier {{ position: absolute; bottom: 25mm; left: 22mm; right: 22mm; font-size: 13pt; }}
.cover .contact {{ font-size: 10pt; margin: 1mm 0 0 0; }}
.toc {{ break-after: page; }}
.toc h2 {{ font-size: 18pt; color: {ACCENT}; border: none; }}
.toc ul {{ list-style: none; padding: 0; }}
.toc li {{ margin: 3mm 0; font-size: 12pt; text-align: left; }}
.toc a {{ color: #222; text-decoration: none; }}
.toc a::after {{ content: leader(".") " " target-counter(attr(href), page); }}
section.main {{ break-before: page; }}
section.main.follows {{ break-before: auto; margin-top: 9mm; }}
h1 {{ font-size: 17pt; color: {ACCENT}; text-transform: uppercase; border-bottom: 2px solid {ACCENT};
  padding-bottom: 2mm; margin: 0 0 5mm 0; }}
h2 {{ font-size: 12pt; color: {ACCENT}; margin: 6mm 0 2mm 0; break-after: avoid; }}
p.key {{ background: #e8f3f2; border-left: 3px solid {ACCENT}; padding: 2mm 3mm; text-align: left; }}
table {{ border-collapse: collapse; width: 100%; margin: 2mm 0 4mm 0; font-size: 8.8pt; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th {{ background: {ACCENT}; color: white; text-align: left; padding: 1.2mm 2mm; }}
/* No kerning in tables: a PDF reader's search and copy then read "Types", not "T ypes". */
td, th {{ font-kerning: none; }}
td {{ border-bottom: 0.5pt solid #ccc; padding: 1mm 2mm; vertical-align: top; }}
td.n, th.n {{ text-align: right; white-space: nowrap; }}
caption {{ caption-side: top; text-align: left; font-weight: bold; padding-bottom: 1mm; }}
.note {{ font-size: 8pt; color: #555; margin-top: -2mm; }}
figure {{ margin: 3mm 0 5mm 0; text-align: center; break-inside: avoid; }}
figure img {{ max-width: 100%; }}
figcaption {{ font-size: 8.5pt; color: #555; font-style: italic; }}
.keep {{ break-inside: avoid; }}
"""


def _t(text: str) -> str:
    return escape(fr(text))


def _runs(runs: list[Run]) -> str:
    return "".join(f"<strong>{_t(t)}</strong>" if bold else _t(t) for t, bold in runs)


def _table(table: Table) -> str:
    def cls(i: int) -> str:
        return ' class="n"' if i >= table.numeric_from else ""

    head = "".join(f"<th{cls(i)}>{_t(h)}</th>" for i, h in enumerate(table.header))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{_t(c)}</td>" for i, c in enumerate(row)) + "</tr>" for row in table.rows
    )
    caption = f"<caption>{_t(table.caption)}</caption>" if table.caption else ""
    cols = "".join(f'<col style="width:{w}%">' for w in table.widths or [])
    note = f'<p class="note">{_t(table.note)}</p>' if table.note else ""
    out = (
        f"<table>{caption}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"
    )
    # A short table is never split across two pages (a long one repeats its header).
    return f'<div class="keep">{out}</div>' if len(table.rows) <= KEEP_ROWS else out


def _block(block: object) -> str:
    if isinstance(block, Heading):
        return f"<h2>{_t(block.text)}</h2>"
    if isinstance(block, Para):
        cls = ' class="key"' if block.key else ""
        return f"<p{cls}>{_runs(block.runs)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_runs(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode()
        return (
            f'<figure><img src="data:image/png;base64,{data}" style="width:{block.width_cm}cm" '
            f'alt="{_t(block.caption)}"><figcaption>{_t(block.caption)}</figcaption></figure>'
        )
    if isinstance(block, Placeholder):
        return ""
    raise TypeError(type(block))


def _section(section: Section) -> str:
    blocks = [b for b in section.blocks if not isinstance(b, Placeholder)]
    # A heading followed only by placeholders is dropped too.
    kept = [
        b
        for i, b in enumerate(blocks)
        if not (isinstance(b, Heading) and (i + 1 == len(blocks) or isinstance(blocks[i + 1], Heading)))
    ]
    parts: list[str] = []
    i = 0
    while i < len(kept):
        # A subheading stays with its first block (never alone at the foot of a page), and
        # with a figure line that follows that block.
        if isinstance(kept[i], Heading) and i + 1 < len(kept):
            after = kept[i + 2] if i + 2 < len(kept) else None
            size = 3 if isinstance(after, Para) and after.key else 2
            parts.append('<div class="keep">' + "".join(_block(b) for b in kept[i : i + size]) + "</div>")
            i += size
            continue
        parts.append(_block(kept[i]))
        i += 1
    return "".join(parts)


def html(cover: Cover, sections: list[Section]) -> str:
    shown = [s for s in sections if s.printable]
    carrier = "".join(f"<p>{_t(line)}</p>" for line in cover.carrier)
    contact = "".join(f'<p class="contact">{_t(line)}</p>' for line in cover.contact)
    out = [
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">',
        f"<title>{_t(cover.network)} – {_t(cover.title)}</title></head><body>",
        f'<div class="cover"><p class="network">{_t(cover.network)}</p>',
        f'<p class="codes">{_t(" · ".join(cover.territories))}</p>',
        f"<h1>{_t(cover.title)}</h1>",
        f'<div class="carrier">{carrier}{contact}</div></div>',
        '<nav class="toc"><h2>Table des matières</h2><ul>',
        *(f'<li><a href="#{s.key}">{_t(s.title)}</a></li>' for s in shown),
        "</ul></nav>",
    ]
    for s in shown:
        cls = "main" if s.new_page else "main follows"
        out.append(f'<section class="{cls}" id="{s.key}"><h1>{_t(s.title)}</h1>{_section(s)}</section>')
    out.append("</body></html>")
    return "".join(out)


def render(cover: Cover, sections: list[Section]) -> bytes:
    from weasyprint import CSS as WCSS
    from weasyprint import HTML

    # WeasyPrint logs every unsupported CSS property at WARNING; they are ours and known.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=html(cover, sections)).write_pdf(stylesheets=[WCSS(string=CSS)])
