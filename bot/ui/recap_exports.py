"""The recap as a spreadsheet (XLSX, openpyxl), CSV and Markdown. Blocking for XLSX: run
`to_xlsx` with `asyncio.to_thread`."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.services import recap as R
from bot.services.recap import ALL, SHARED
from bot.ui import recap_tables as T

XLSX, CSV, MARKDOWN = "xlsx", "csv", "md"
FORMATS = {XLSX: "Tableur (XLSX)", CSV: "CSV", MARKDOWN: "Markdown"}
HEADER_FILL = PatternFill("solid", fgColor="1B7F79")
HEADER_FONT = Font(bold=True, color="FFFFFF")

DEFINITIONS = (
    ("Promeneurs de l'année", "Profils dont la période d'adhésion recoupe l'année ; chacun compté une fois, dans le territoire et le volet qu'il avait à la fin de sa présence dans l'année (31 décembre, ou dernier jour s'il est parti)."),
    ("Types de structures / de métiers", "Valeurs distinctes parmi les Promeneurs de l'année ; pour l'ensemble, distinctes sur tous les territoires (pas une somme)."),
    ("Présentations du projet", "Activités « présentation du dispositif » datées de l'année (quantités), par territoire ; l'ensemble inclut les présentations « commun »."),
    ("Temps de réseau", "Événements non annulés commençant dans l'année ; un hybride compte en présentiel (et est signalé) ; journées = somme des durées (demi-journée = 0,5). Un territoire compte ses propres sessions, « commun » celles sans territoire, l'ensemble chaque événement une fois."),
    ("Présences, taux", "Présences = personnes pointées présentes ; taux d'inscription = inscrits / places ; taux de remplissage = présents / places (événements avec une jauge seulement) ; Promeneurs touchés = personnes distinctes présentes."),
    ("Accompagnements", "Demandes closes comme réalisées dans l'année, dans le territoire d'où elles ont été faites ; la synthèse distingue l'aide technique individuelle et l'accompagnement d'équipe, l'évolution compte tous les types."),
    ("Temps de coordination", "Heures saisies par la coordination, par territoire et « commun », en pourcentage du total."),
    ("Questionnaire", "Dernière campagne close de l'année ; taux de réponse = répondants / Promeneurs actifs au lancement."),
    ("Valeurs importées (*)", "Chiffres des années avant le bot (/bilan importer) : ils remplacent la valeur calculée ; « — » = inconnu."),
)


def filename(year: int, fmt: str) -> str:
    return f"bilan-{year}.{fmt}"


def _rows_flat(recap: R.YearRecap) -> list[list[str]]:
    """annee, territoire, indicateur, valeur, source, note — every year and scope."""
    rows = []
    for year in recap.evolution_years:
        for scope, figures in recap.evolution[year].items():
            for key, fig in figures.items():
                if scope == SHARED and key in T.MEMBER_ONLY:
                    continue
                value = "" if fig.value is None else (f"{fig.value:g}")
                rows.append([
                    str(year), scope, key, value, "importé" if fig.imported else "calculé", fig.note or "",
                ])
    return rows


def to_csv(recap: R.YearRecap) -> bytes:
    """Every figure, one line each; the import format plus a `source` column."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["annee", "territoire", "indicateur", "valeur", "source", "note"])
    writer.writerows(_rows_flat(recap))
    return out.getvalue().encode("utf-8-sig")


def to_markdown(recap: R.YearRecap) -> bytes:
    parts = [f"# Bilan {recap.year}", "", "## Synthèse des données", ""]
    parts.append(T.markdown_table(*T.synthesis_table(recap)))
    parts += ["", "## Déploiement et évolution du projet", ""]
    for scope in [ALL, *recap.codes]:
        parts += [f"### {T.scope_name(recap.territories, scope)}", "", T.markdown_table(*T.evolution_table(recap, scope)), ""]
        parts += [f"- {n}" for n in T.imported_notes(recap, scope)]
        parts.append("")
    parts.append("\\* valeur importée · — inconnue")
    header, rows = T.activity_rows(recap.territories, recap.activities)
    if rows:
        parts += ["", "## Activités saisies", "", T.markdown_table(header, rows)]
    if recap.coordination_split:
        parts += ["", "## Répartition du temps de coordination", ""]
        parts += [
            f"- {T.scope_name(recap.territories, s)} : {T.number(h)} h ({T.percent(p)})"
            for s, h, p in recap.coordination_split
        ]
    if recap.survey is not None:
        s = recap.survey
        parts += ["", "## Questionnaire d'évaluation", "",
                  f"{s.respondents} réponse(s) sur {s.eligible} ({T.percent(s.rate)})."]
        for question, counts in s.distributions.items():
            parts += ["", f"### {question}", "", T.markdown_table(["Réponse", "Nombre"], [[v, str(c)] for v, c in counts])]
    parts += ["", "## Définitions", ""] + [f"- **{k}** : {v}" for k, v in DEFINITIONS]
    return ("\n".join(parts) + "\n").encode("utf-8")


def _sheet(
    wb: Workbook,
    title: str,
    header: list[str],
    rows: list[list[object]],
    *,
    formats: dict[int, str] | None = None,
    footer: list[str] = (),
) -> None:
    """One sheet in write-only mode (streamed: a national recap stays light in memory).
    `formats` maps a column index to a number format; `footer` lines come after the rows."""
    ws = wb.create_sheet(title[:31])
    for i, col in enumerate(zip(*([header] + rows)), start=1):
        width = max(len(str(v)) for v in col if v is not None) if col else 10
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2))
    ws.freeze_panes = "B2"
    cells = []
    for value in header:
        cell = WriteOnlyCell(ws, value=value)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        if formats:
            row = [_formatted(ws, value, formats.get(i)) for i, value in enumerate(row)]
        ws.append(row)
    for line in footer:
        ws.append([line])


def _formatted(ws, value: object, number_format: str | None) -> object:  # noqa: ANN001
    if number_format is None:
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


def _numeric(text: str) -> object:
    """Numbers as numbers in the spreadsheet ("12,5" → 12.5), marks kept as text."""
    try:
        return float(text.replace(",", ".").replace(" ", "")) if text and text[-1].isdigit() else text
    except ValueError:
        return text


def to_xlsx(recap: R.YearRecap) -> bytes:
    wb = Workbook(write_only=True)
    header, rows = T.synthesis_table(recap)
    _sheet(wb, f"Synthèse {recap.year}", header, [[r[0], *(_numeric(c) for c in r[1:])] for r in rows])
    legend = "* valeur importée · — inconnue"
    if len(recap.codes) <= T.MAX_TERRITORIES_IN_EMBEDS:
        for scope in [ALL, *recap.codes]:  # one sheet per territory
            header, rows = T.evolution_table(recap, scope)
            _sheet(
                wb, f"Évolution {'ensemble' if scope == ALL else scope}", header,
                [[r[0], *(_numeric(c) for c in r[1:])] for r in rows],
                footer=[*T.imported_notes(recap, scope), legend],
            )
    else:  # national scale: one sheet, a block of rows per territory
        header, _ = T.evolution_table(recap, ALL)
        rows: list[list[object]] = []
        for scope in [ALL, *recap.codes]:
            rows += [[T.scope_name(recap.territories, scope), *([""] * (len(header) - 1))]]
            rows += [[r[0], *(_numeric(c) for c in r[1:])] for r in T.evolution_table(recap, scope)[1]]
        _sheet(wb, "Évolution", header, rows, footer=[legend])
    header, rows = T.activity_rows(recap.territories, recap.activities)
    _sheet(wb, "Activités", header, rows or [["Aucune activité saisie"]])
    coordination = [[T.scope_name(recap.territories, s), h, round(p, 4)] for s, h, p in recap.coordination_split]
    _sheet(wb, "Coordination", ["Territoire", "Heures", "Part"], coordination, formats={2: "0%"})
    _sheet(wb, "Structures", ["Type de structure", "Promeneurs"], [list(x) for x in recap.structure_types])
    if recap.survey is not None:
        s = recap.survey
        rows = [["Taux de réponse", f"{s.respondents}/{s.eligible}", T.percent(s.rate)]]
        for question, counts in s.distributions.items():
            rows += [[question, value, count] for value, count in counts]
        _sheet(wb, "Questionnaire", ["Question", "Réponse", "Nombre"], rows)
    _sheet(wb, "Données", ["annee", "territoire", "indicateur", "valeur", "source", "note"],
           [[int(r[0]), r[1], r[2], float(r[3]) if r[3] else None, r[4], r[5]] for r in _rows_flat(recap)])
    _sheet(wb, "Définitions", ["Indicateur", "Définition"], [list(d) for d in DEFINITIONS])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export(recap: R.YearRecap, fmt: str) -> bytes:
    return {XLSX: to_xlsx, CSV: to_csv, MARKDOWN: to_markdown}[fmt](recap)
