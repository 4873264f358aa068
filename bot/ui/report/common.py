"""What the report's sections share: figures read from the recap, territory names, the
coordinator's texts (or their placeholder), "N things, dont …" sentences."""

from __future__ import annotations

from bot.services import report as report_service
from bot.services.periods import ALL, SHARED
from bot.services.recap import indicators as R
from bot.services.report import ReportData
from bot.ui.report.blocks import Placeholder, user_paragraphs
from bot.ui.report.typography import enumerate_fr, num, plural

TO_WRITE = "À compléter\u00a0: {hint} (/bilan rapport-texte, section «\u00a0{title}\u00a0»)."
NETWORK = "Promeneurs du Net"


def value(data: ReportData, scope: str, key: str) -> float | None:
    fig = data.recap.synthesis.get(scope, {}).get(key)
    return None if fig is None else fig.value


def territory_name(data: ReportData, code: str) -> str:
    return data.recap.territories.get(code, code)


def text_blocks(data: ReportData, section: str) -> list:
    """The coordinator's text for a section, or its placeholder (DOCX only)."""
    paragraphs = user_paragraphs(data.texts.get(section))
    if paragraphs:
        return paragraphs
    title, hint = report_service.TEXT_SECTIONS[section]
    return [Placeholder(TO_WRITE.format(hint=hint[0].lower() + hint[1:].rstrip("."), title=title))]


def per_territory(data: ReportData, key: str, singular: str, plural_form: str) -> str:
    """ "8 présentations, dont 3 sur le territoire Puy-de-Dôme (63) et 5 sur le territoire
    Allier (03)" (a name's own preposition, « dans le », « en », cannot be guessed)."""
    total = value(data, ALL, key)
    parts = [
        f"{num(v)} sur le territoire {territory_name(data, code)} ({code})"
        for code in data.recap.codes
        if (v := value(data, code, key))
    ]
    if key not in (R.ACCOMPANIMENTS, R.ACCOMP_INDIVIDUAL, R.ACCOMP_TEAM):
        shared = value(data, SHARED, key)
        if shared:
            parts.append(f"{num(shared)} en commun")
    head = f"**{plural(total, singular, plural_form)}**"
    return head + (f", dont {enumerate_fr(parts)}" if parts and len(parts) > 1 else "")
