"""Attendance certificates and a Promeneur's year summary as A4 PDF, from HTML and CSS laid
out by WeasyPrint, like the annual report (bot.ui.report.pdf) and with its French
typography. Made in memory for one reply, never written to disk. Blocking: run in a thread."""

from __future__ import annotations

import logging
from datetime import date
from html import escape

from bot.clock import PARIS
from bot.dates import format_day, format_time
from bot.services.activity import HOURS_KINDS, KIND_LABELS
from bot.services.certificates import Certificates, YearSummary
from bot.ui.report.pdf import ACCENT
from bot.ui.report.typography import fr, num, plural

log = logging.getLogger(__name__)

# The documents' French texts.
CERT_TITLE = "Attestation de présence"
CERT_NUMBER = "N° {number}"
CERT_INTRO = "La coordination du réseau {network} atteste que"
CERT_ATTENDED = "a participé au temps de réseau suivant\u00a0:"
LABEL_TITLE = "Intitulé"
LABEL_TYPE = "Type"
LABEL_DATES = "Date"
LABEL_DURATION = "Durée"
LABEL_PLACE = "Lieu"
REMOTE = "À distance (visioconférence)"
NO_PLACE = "—"
ONE_DAY = "le {day}, de {start} à {end}"
DAYS = "du {start_day} à {start} au {end_day} à {end}"
HALF_DAY = "une demi-journée"
DURATION = "{days}, soit {hours}"
SHORT_DURATION = "{days} j · {hours}"
ISSUED = "Fait le {day}"
SIGN_FOR = "Pour la coordination du réseau"
SIGN_BLANK = ["Nom et fonction\u00a0:", "Structure porteuse\u00a0:"]
SIGNATURE = "Signature"
SUMMARY_TITLE = "Bilan de l'année {year}"
SUMMARY_SO_FAR = "Année en cours\u00a0: activité enregistrée jusqu'au {day}."
SUMMARY_INTRO = (
    "Participation au réseau {network} en {year}, d'après les présences, activités et "
    "demandes enregistrées par le bot du réseau."
)
KEY_SESSIONS = "temps de réseau"
KEY_SESSIONS_DETAIL = "{days} ({hours})"
KEY_PRESENTATIONS = ("présentation du dispositif", "présentations du dispositif")
KEY_HOURS = "de présence éducative en ligne déclarées"
KEY_REQUESTS = ("demande d'accompagnement", "demandes d'accompagnement")
KEY_REQUESTS_DETAIL = "dont {helped} menée à bien"
KEY_REQUESTS_DETAIL_MANY = "dont {helped} menées à bien"
H_SESSIONS = "Formations et temps de réseau suivis"
H_SESSIONS_HEADER = ("Date", "Intitulé", "Type", "Durée")
H_SESSIONS_NONE = "Aucune présence enregistrée cette année."
H_SESSIONS_MORE = "… et {count} autres (non listés pour tenir sur une page)."
H_SESSIONS_MORE_ONE = "… et 1 autre (non listé pour tenir sur une page)."
H_ACTIVITIES = "Activités déclarées"
H_ACTIVITIES_HEADER = ("Activité", "Total")
H_ACTIVITIES_NONE = "Aucune activité déclarée cette année."
MAX_SUMMARY_ROWS = 9  # with the activities' rows: the summary stays on one page (a test fills every part)
MAX_TITLE = 46  # a session's title in the summary's table
MAX_SIGNATURE_LINE = 60  # one line each in the signature block
MAX_SUB = 100  # the structure and profession line under the name

CSS = f"""
@page {{ size: A4; margin: 18mm 20mm 18mm 20mm; }}
html {{ font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 10.5pt; line-height: 1.45;
  color: #222; overflow-wrap: anywhere; }}
.page {{ break-after: page; }}
.page:last-child {{ break-after: auto; }}
.band {{ border-bottom: 3px solid {ACCENT}; padding-bottom: 2mm; display: flex; }}
.band .network {{ color: {ACCENT}; font-weight: bold; font-size: 11pt; flex: 1; }}
.band .number {{ color: #555; font-size: 9pt; white-space: nowrap; }}
h1 {{ font-size: 24pt; color: {ACCENT}; text-transform: uppercase; letter-spacing: 1pt;
  text-align: center; margin: 14mm 0 10mm 0; font-weight: bold; }}
.summary h1 {{ margin: 5mm 0 1mm 0; font-size: 19pt; text-align: left; }}
p.lead {{ text-align: center; font-size: 12pt; margin: 0; }}
p.name {{ text-align: center; font-size: 20pt; font-weight: bold; margin: 7mm 0; }}
table.facts {{ margin: 10mm auto 0 auto; border-collapse: collapse; width: 86%; font-size: 11pt; }}
table.facts th {{ text-align: left; color: {ACCENT}; width: 24%; padding: 2.2mm 3mm;
  vertical-align: top; border-bottom: 0.5pt solid #ccc; }}
table.facts td {{ padding: 2.2mm 3mm; border-bottom: 0.5pt solid #ccc; }}
.closing {{ display: table; width: 100%; margin-top: 12mm; break-inside: avoid; }}
.issued, .sign {{ display: table-cell; vertical-align: top; margin: 0; }}
.issued {{ width: 38%; }}
.sign {{ font-size: 9pt; }}
.sign p {{ margin: 0; }}
.sign .box {{ margin-top: 3mm; height: 18mm; border: 0.5pt dashed #999; color: #999; font-size: 8pt;
  padding: 1mm 2mm; }}
.sign .blank {{ border-bottom: 0.5pt solid #666; height: 7mm; margin-bottom: 1mm; }}
.person {{ font-size: 15pt; font-weight: bold; margin: 0 0 1mm 0; }}
.sub {{ color: #555; margin: 0 0 3mm 0; }}
.keys {{ display: flex; gap: 3mm; margin: 4mm 0 2mm 0; }}
.key {{ flex: 1; background: #e8f3f2; border-left: 3px solid {ACCENT}; padding: 2mm 3mm; }}
.key .n {{ font-size: 14pt; font-weight: bold; color: {ACCENT}; display: block; }}
.key .d {{ font-size: 8.5pt; color: #444; }}
h2 {{ font-size: 11.5pt; color: {ACCENT}; margin: 5mm 0 1.5mm 0; }}
table.list {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; }}
table.list th {{ background: {ACCENT}; color: white; text-align: left; padding: 1mm 2mm; }}
table.list td {{ border-bottom: 0.5pt solid #ccc; padding: 0.8mm 2mm; vertical-align: top; }}
td, th {{ font-kerning: none; }}
td.n, th.n, table.list th.n {{ text-align: right; white-space: nowrap; }}
.summary .closing {{ margin-top: 5mm; }}
.summary .sign {{ font-size: 8.5pt; }}
.summary .sign .box {{ height: 12mm; margin-top: 1.5mm; }}
table.list col.date {{ width: 13%; }}
table.list col.title {{ width: 48%; }}
table.list col.type {{ width: 24%; }}
"""


def _t(text: str) -> str:
    return escape(fr(text))


def _day(value: date) -> str:
    """ "15 juin 2027", "1er juin 2027" (format_day without the weekday)."""
    return format_day(value).split(" ", 1)[1]


def days_text(days: float) -> str:
    """0.5 → "une demi-journée", 1 → "1 jour", 1.5 → "1 jour et demi", 3 → "3 jours"."""
    if days == 0.5:
        return HALF_DAY
    whole = int(days)
    text = plural(whole, "jour", "jours")
    return text + " et demi" if days - whole == 0.5 else text


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_hours(hours: float) -> str:
    """7 → "7 h", 3.5 → "3 h 30"."""
    whole, minutes = int(hours), round((hours - int(hours)) * 60)
    return f"{whole} h {minutes:02d}" if minutes else f"{whole} h"


def hours_text(hours: float) -> str:
    """7 → "7 heures", 1 → "1 heure", 3.5 → "3 h 30"."""
    whole, minutes = int(hours), round((hours - int(hours)) * 60)
    if minutes:
        return f"{whole} h {minutes:02d}"
    return plural(whole, "heure", "heures")  # (French: "1 heure", "0 heure")


def dates_text(c: Certificates) -> str:
    start, end = c.starts_at.astimezone(PARIS), c.ends_at.astimezone(PARIS)
    if start.date() == end.date():
        return ONE_DAY.format(day=format_day(start), start=format_time(start), end=format_time(end))
    return DAYS.format(
        start_day=format_day(start), start=format_time(start), end_day=format_day(end), end=format_time(end)
    )


def _signature(lines: list[str]) -> str:
    if lines:
        body = "".join(f"<p>{_t(_cut(line, MAX_SIGNATURE_LINE))}</p>" for line in lines)
    else:
        body = "".join(f'<p>{_t(label)}</p><div class="blank"></div>' for label in SIGN_BLANK)
    return f'<div class="sign"><p><strong>{_t(SIGN_FOR)}</strong></p>{body}<div class="box">{_t(SIGNATURE)}</div></div>'


def _closing(lines: list[str], today: date) -> str:
    return f'<div class="closing"><p class="issued">{_t(ISSUED.format(day=_day(today)))}</p>{_signature(lines)}</div>'


def _certificate_page(c: Certificates, name: str, number: str, today: date) -> str:
    facts = [
        (LABEL_TITLE, c.title),
        (LABEL_TYPE, c.type_label),
        (LABEL_DATES, dates_text(c)),
        (LABEL_DURATION, DURATION.format(days=days_text(c.days), hours=hours_text(c.hours))),
        (LABEL_PLACE, REMOTE if c.remote else (c.place or NO_PLACE)),
    ]
    rows = "".join(f"<tr><th>{_t(k)}</th><td>{_t(v)}</td></tr>" for k, v in facts)
    return (
        '<section class="page cert">'
        f'<div class="band"><span class="network">{_t(c.network)}</span>'
        f'<span class="number">{_t(CERT_NUMBER.format(number=number))}</span></div>'
        f"<h1>{_t(CERT_TITLE)}</h1>"
        f'<p class="lead">{_t(CERT_INTRO.format(network=c.network.split(" · ")[0]))}</p>'
        f'<p class="name">{_t(name)}</p>'
        f'<p class="lead">{_t(CERT_ATTENDED)}</p>'
        f'<table class="facts">{rows}</table>'
        f"{_closing(c.signature, today)}"
        "</section>"
    )


def certificates_html(c: Certificates, today: date) -> str:
    pages = "".join(_certificate_page(c, a.name, a.number, today) for a in c.attendees)
    return _document(f"{CERT_TITLE} – {c.title}", pages)


def _key(number: str, label: str, detail: str = "") -> str:
    extra = f'<br><span class="d">{_t(detail)}</span>' if detail else ""
    return f'<div class="key"><span class="n">{_t(number)}</span><span class="d">{_t(label)}</span>{extra}</div>'


def _keys(s: YearSummary) -> str:
    presentations = s.activities.get("presentation", 0)
    helped = KEY_REQUESTS_DETAIL if s.requests_helped < 2 else KEY_REQUESTS_DETAIL_MANY
    sessions_detail = (
        KEY_SESSIONS_DETAIL.format(days=days_text(s.session_days), hours=hours_text(s.session_hours))
        if s.sessions
        else ""
    )
    return (
        '<div class="keys">'
        + "".join(
            [
                _key(num(len(s.sessions)), KEY_SESSIONS, sessions_detail),
                _key(num(presentations), KEY_PRESENTATIONS[0] if presentations < 2 else KEY_PRESENTATIONS[1]),
                _key(f"{num(s.online_hours)} h", KEY_HOURS),
                _key(
                    num(s.requests_made),
                    KEY_REQUESTS[0] if s.requests_made < 2 else KEY_REQUESTS[1],
                    helped.format(helped=num(s.requests_helped)) if s.requests_made else "",
                ),
            ]
        )
        + "</div>"
    )


def _sessions(s: YearSummary) -> str:
    if not s.sessions:
        return f"<h2>{_t(H_SESSIONS)}</h2><p>{_t(H_SESSIONS_NONE)}</p>"
    numeric = ' class="n"'
    head = "".join(f"<th{numeric if i == 3 else ''}>{_t(h)}</th>" for i, h in enumerate(H_SESSIONS_HEADER))
    shown = s.sessions[: max(3, MAX_SUMMARY_ROWS - len(s.activities))]
    body = "".join(
        f"<tr><td>{e.day.strftime('%d/%m/%Y')}</td><td>{_t(_cut(e.title, MAX_TITLE))}</td><td>{_t(e.type_label)}</td>"
        f'<td class="n">{_t(SHORT_DURATION.format(days=num(e.days), hours=short_hours(e.hours)))}</td></tr>'
        for e in shown
    )
    more = len(s.sessions) - len(shown)
    note = f"<p>{_t(H_SESSIONS_MORE_ONE if more == 1 else H_SESSIONS_MORE.format(count=more))}</p>" if more else ""
    cols = '<colgroup><col class="date"><col class="title"><col class="type"><col></colgroup>'
    return f'<h2>{_t(H_SESSIONS)}</h2><table class="list">{cols}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}'


def _activities(s: YearSummary) -> str:
    if not s.activities:
        return f"<h2>{_t(H_ACTIVITIES)}</h2><p>{_t(H_ACTIVITIES_NONE)}</p>"
    head = f'<th>{_t(H_ACTIVITIES_HEADER[0])}</th><th class="n">{_t(H_ACTIVITIES_HEADER[1])}</th>'
    body = "".join(
        f"<tr><td>{_t(KIND_LABELS.get(kind, kind))}</td>"
        f'<td class="n">{_t(num(value) + (" h" if kind in HOURS_KINDS else ""))}</td></tr>'
        for kind, value in s.activities.items()
    )
    return f'<h2>{_t(H_ACTIVITIES)}</h2><table class="list"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def summary_html(s: YearSummary, today: date) -> str:
    sub = _cut(" · ".join(x for x in (s.structure, s.profession) if x), MAX_SUB)
    so_far = f"<p>{_t(SUMMARY_SO_FAR.format(day=_day(today)))}</p>" if s.year == today.year else ""
    page = (
        '<section class="page summary">'
        f'<div class="band"><span class="network">{_t(s.network)}</span></div>'
        f"<h1>{_t(SUMMARY_TITLE.format(year=s.year))}</h1>"
        f'<p class="person">{_t(s.name)}</p>'
        + (f'<p class="sub">{_t(sub)}</p>' if sub else "")
        + f"<p>{_t(SUMMARY_INTRO.format(name=s.name, network=s.network.split(' · ')[0], year=s.year))}</p>"
        + so_far
        + _keys(s)
        + _sessions(s)
        + _activities(s)
        + f"{_closing(s.signature, today)}</section>"
    )
    return _document(f"{SUMMARY_TITLE.format(year=s.year)} – {s.name}", page)


def _document(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        f"<title>{_t(title)}</title></head><body>{body}</body></html>"
    )


def _pdf(html: str) -> bytes:
    from weasyprint import CSS as WCSS
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return HTML(string=html).write_pdf(stylesheets=[WCSS(string=CSS)])


def certificates_pdf(c: Certificates, today: date) -> bytes:
    """One A4 page per person present (blocking)."""
    return _pdf(certificates_html(c, today))


def summary_pdf(s: YearSummary, today: date) -> bytes:
    """One A4 page (blocking)."""
    return _pdf(summary_html(s, today))
