"""The data sections at the end of the report, as in the seed: the synthesis per territory
and the deployment and evolution tables over the years."""

from __future__ import annotations

from collections import Counter
from functools import partial

from bot.services.periods import ALL
from bot.services.recap import indicators as R
from bot.services.report import ReportData
from bot.ui import recap_charts
from bot.ui.recap_cells import IMPORTED_MARK
from bot.ui.recap_text import EVOLUTION_LABELS
from bot.ui.report.blocks import Bullets, Heading, Image, Para, Section, Table
from bot.ui.report.common import territory_name, value
from bot.ui.report.typography import num, plural


def synthesis(data: ReportData) -> Section:
    r = data.recap
    blocks: list = []
    for code in r.codes:
        v = partial(value, data, code)
        blocks.append(Heading(f"{code} / {territory_name(data, code)}"))
        blocks.append(
            Bullets.of(
                [
                    f"**{plural(v(R.PROMENEURS), 'Promeneur du Net', 'Promeneurs du Net')}** dont {num(v(R.YOUTH_COUNT))} Jeunesse "
                    f"et {num(v(R.PARENTING_COUNT))} Parentalité",
                    f"{plural(v(R.PROFESSIONS), 'type de métier', 'types de métiers')}, "
                    f"{plural(v(R.STRUCTURE_TYPES), 'type de structure', 'types de structures')}",
                    f"{plural(v(R.PRESENTATIONS), 'présentation du projet', 'présentations du projet')}, "
                    f"{plural(v(R.ACCOMP_INDIVIDUAL), 'accompagnement individuel', 'accompagnements individuels')}, "
                    + plural(v(R.ACCOMP_TEAM), "accompagnement d'équipe", "accompagnements d'équipes"),
                ]
            )
        )
    a = partial(value, data, ALL)
    blocks.append(
        Para.of(
            f"→ Soit **{plural(a(R.PROMENEURS), 'Promeneur', 'Promeneurs')}** répartis sur "
            f"{plural(len(r.codes), 'territoire', 'territoires')}, {plural(a(R.PRESENTATIONS), 'présentation du projet', 'présentations du projet')}, "
            f"{plural(a(R.ACCOMP_INDIVIDUAL), 'accompagnement individuel', 'accompagnements individuels')} et "
            + plural(a(R.ACCOMP_TEAM), "accompagnement d'équipe", "accompagnements d'équipes")
            + "\u00a0; "
            f"{plural(a(R.PROFESSIONS), 'type de métier', 'types de métiers')} et "
            f"{plural(a(R.STRUCTURE_TYPES), 'type de structure', 'types de structures')} en tout.",
            key=True,
        )
    )
    if data.sessions:
        blocks.append(Heading("En commun"))
        blocks.append(
            Para.of(
                f"→ Soit **{plural(a(R.SESSIONS), 'temps collectif', 'temps collectifs')}** d'animation de réseau",
                key=True,
            )
        )
        titles = Counter(s.title for s in data.sessions)
        blocks.append(Bullets.of([f"{n} × {title}" for title, n in titles.items()]))
    if r.structure_types:
        blocks.append(Heading("Types de structures"))
        chart = recap_charts.structure_types(r)
        if chart is not None:
            blocks.append(Image(chart.png, chart.title, 13))
    if r.professions:
        blocks.append(Heading("Métiers"))
        blocks.append(Table(["Métier", "Promeneurs"], [[name, num(n)] for name, n in r.professions]))
    return Section("synthese", f"Synthèse des données – {r.year}", blocks)


def _evolution_table(data: ReportData, scope: str) -> Table:
    r = data.recap
    rows, notes = [], []
    for key in R.EVOLUTION_ROWS:
        cells = []
        for y in r.evolution_years:
            fig = r.evolution[y].get(scope, {}).get(key)
            text = num(fig.value if fig else None)
            if fig is not None and fig.imported and fig.value is not None:
                text += IMPORTED_MARK
                if fig.note:
                    notes.append(f"{y}, {EVOLUTION_LABELS[key].strip().lower()}\u00a0: {fig.note}")
            cells.append(text)
        rows.append(
            [
                EVOLUTION_LABELS[key].strip()
                if not EVOLUTION_LABELS[key].startswith(" ")
                else "dont " + EVOLUTION_LABELS[key].strip(),
                *cells,
            ]
        )
    span = f"{r.evolution_years[0]}–{r.evolution_years[-1]}"
    caption = (
        f"Ensemble des territoires, {span}"
        if scope == ALL
        else f"Détail {territory_name(data, scope)} ({scope}), {span}"
    )
    note = (
        f"{IMPORTED_MARK} chiffre importé des bilans précédents"
        + ("\u00a0; " + "\u00a0; ".join(notes) if notes else "")
        + "."
    )
    has_imported = any(c.endswith(IMPORTED_MARK) for row in rows for c in row)
    return Table(
        ["Indicateur", *(str(y) for y in r.evolution_years)], rows, caption, note=note if has_imported else None
    )


def evolution(data: ReportData) -> Section:
    blocks: list = [_evolution_table(data, ALL)]
    chart = recap_charts.promeneurs_per_year(data.recap)
    blocks.append(Image(chart.png, chart.title, 14))
    for code in data.recap.codes:
        blocks.append(_evolution_table(data, code))
    return Section("evolution", "Déploiement et évolution du projet", blocks)


# The seed's order (p. 1–20). The time split is inside "Instances", as in the seed.
