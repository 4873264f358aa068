"""The report's « Résultats : contacts en ligne » section: the evaluation indicators (the
monthly forms, the themes, the structure flags, the weekly permanences beside the survey's
weekly hours), right after the evaluation, as the seed's « résultats (nombres de contacts en
ligne…) » asks. Left out when nothing was recorded nor imported for the year."""

from __future__ import annotations

from bot.services import indicators as I
from bot.services.periods import ALL
from bot.services.report import ReportData
from bot.services.survey import Q_HOURS
from bot.ui import recap_indicators as RI
from bot.ui.report.blocks import Heading, Para, Section, Table
from bot.ui.report.typography import num, plural


def _v(data: ReportData, code: str) -> float | None:
    return RI.value(data.recap, ALL, code)


def _table(data: ReportData, codes: tuple[str, ...], label: str) -> Table | None:
    rows = [[RI.SHORT[c], num(_v(data, c))] for c in codes if _v(data, c)]
    if not rows:
        return None
    return Table([label, "Nombre"], rows, widths=[70, 30])


def indicators(data: ReportData) -> Section | None:
    r = data.recap
    if not RI.has_data(r):
        return None

    def v(code: str) -> float | None:
        return _v(data, code)

    blocks: list = [
        Para.plain(
            "Chaque mois, les Promeneurs donnent en moins d'une minute leurs chiffres du mois "
            "(« Votre mois en quelques chiffres ») : des nombres seulement, jamais un jeune."
        )
    ]
    if v(I.FORMS):
        blocks.append(
            Para.of(
                f"→ Soit **{plural(v(I.REACHED), 'jeune ou parent touché', 'jeunes ou parents touchés')}** "
                f"(publications, permanences), {plural(v(I.PRIVATE), 'contact en privé', 'contacts en privé')} et "
                f"{plural(v(I.PROJECT), 'accompagnement sur un projet', 'accompagnements sur un projet')}, "
                f"d'après {plural(v(I.FORMS), 'bilan mensuel', 'bilans mensuels')}.",
                key=True,
            )
        )
        header, rows = RI.month_rows(r)
        blocks.append(Heading("Contacts par mois"))
        blocks.append(Table(header, rows, f"Contacts déclarés par mois, {r.year}"))
    for title, codes, label in (
        ("Contacts en privé par âge", tuple(I.AGES), "Âge"),
        ("Contacts en privé par réseau social", tuple(I.NETWORK_CODES), "Réseau"),
        ("Thèmes des demandes des jeunes", tuple(I.THEMES), "Thème"),
    ):
        table = _table(data, codes, label)
        if table is not None:
            blocks += [Heading(title), table]
    lines = []
    if v(I.QPV) or v(I.RURAL):
        lines.append(
            f"{plural(v(I.QPV), 'Promeneur travaille', 'Promeneurs travaillent')} en quartier prioritaire (QPV) et "
            f"{plural(v(I.RURAL), 'en zone rurale', 'en zone rurale')}."
        )
    if v(I.SLOT_MEMBERS):
        sentence = (
            f"{plural(v(I.SLOT_MEMBERS), 'Promeneur a déclaré', 'Promeneurs ont déclaré')} des permanences en ligne : "
            f"**{num(v(I.SLOT_HOURS))} h par semaine** en tout."
        )
        survey = r.survey.distributions.get(Q_HOURS) if r.survey else None
        if survey:
            answers = ", ".join(
                f"{value.lower()} ({plural(count, 'réponse', 'réponses')})" for value, count in survey if count
            )
            sentence += f" Au questionnaire, temps de présence en ligne par semaine : {answers}."
        lines.append(sentence)
    if lines:
        blocks.append(Heading("Où et quand les Promeneurs sont présents"))
        blocks += [Para.of(line) for line in lines]
    return Section("indicateurs", "Résultats : contacts en ligne", blocks, new_page=False)
