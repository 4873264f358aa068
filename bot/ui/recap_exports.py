"""The recap as a spreadsheet (XLSX, openpyxl), CSV and Markdown. Blocking for XLSX: run
`to_xlsx` with `asyncio.to_thread` (or in the year-end files' child process,
`bot.ui.recap_files`: this module imports neither discord.py nor the database layer at
import; the few labels that live there are laid out by `lay_out`, in the bot's process)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, NamedTuple

from bot import spreadsheets as S
from bot.markup import md_escape, md_table
from bot.services.periods import ALL, SHARED
from bot.services.recap import indicators as R
from bot.services.recap.data import YearRecap
from bot.services.recap.indicators import Figure
from bot.spreadsheets import Num
from bot.ui import recap_cells as C
from bot.ui import recap_text as T

XLSX, CSV, MARKDOWN = "xlsx", "csv", "md"
FORMATS = {XLSX: "Tableur (XLSX)", CSV: "CSV", MARKDOWN: "Markdown"}
HEADER_COLOUR = "1B7F79"  # openpyxl is imported by `to_xlsx` on first use, not at start

DEFINITIONS = (
    (
        "Promeneurs de l'année",
        "Profils dont la période d'adhésion recoupe l'année ; chacun compté une fois, dans le territoire et le volet qu'il avait à la fin de sa présence dans l'année (31 décembre, ou dernier jour s'il est parti).",
    ),
    (
        "Types de structures / de métiers",
        "Valeurs distinctes parmi les Promeneurs de l'année ; pour l'ensemble, distinctes sur tous les territoires (pas une somme).",
    ),
    (
        "Présentations du projet",
        "Activités « présentation du dispositif » datées de l'année (quantités), par territoire ; l'ensemble inclut les présentations « commun ».",
    ),
    (
        "Temps de réseau",
        "Événements non annulés commençant dans l'année ; un hybride compte en présentiel (et est signalé) ; journées = somme des durées (demi-journée = 0,5). Un territoire compte ses propres sessions, « commun » celles sans territoire, l'ensemble chaque événement une fois.",
    ),
    (
        "Présences, taux",
        "Présences = personnes pointées présentes ; taux d'inscription = inscrits / places ; taux de remplissage = présents / places (événements avec une jauge seulement) ; Promeneurs touchés = personnes distinctes présentes.",
    ),
    (
        "Accompagnements",
        "Demandes closes comme réalisées dans l'année, dans le territoire d'où elles ont été faites ; la synthèse distingue l'aide technique individuelle et l'accompagnement d'équipe, l'évolution compte tous les types.",
    ),
    (
        "Temps de coordination",
        "Heures saisies par la coordination, par territoire et « commun », en pourcentage du total.",
    ),
    (
        "Questionnaire",
        "Dernière campagne close de l'année ; taux de réponse = répondants / Promeneurs actifs au lancement.",
    ),
    (
        "Valeurs importées (*)",
        "Chiffres des années avant le bot (/bilan importer) : ils remplacent la valeur calculée ; « — » ou case vide = inconnu. Dans le tableur, ce sont des nombres (l'astérisque est un format d'affichage) : ils s'additionnent.",
    ),
)


def filename(year: int, fmt: str) -> str:
    return f"bilan-{year}.{fmt}"


FLAT_HEADER = ["annee", "territoire", "indicateur", "valeur", "source", "note"]
IMPORTED_SOURCE, COMPUTED_SOURCE = "importé", "calculé"
LEGEND = "* valeur importée · case vide : inconnue"
SURVEY_ONE = "{count} réponse sur {eligible} ({rate})."
SURVEY_MANY = "{count} réponses sur {eligible} ({rate})."


def _plain(value: float | None) -> float | int | None:
    """12.0 → 12 (an integer cell), 12.5 stays."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


class FlatRow(NamedTuple):
    year: int
    scope: str
    key: str
    value: float | int | None
    source: str
    note: str


def _rows_flat(recap: YearRecap) -> list[FlatRow]:
    """annee, territoire, indicateur, valeur, source, note — every year and scope; the
    values as numbers (the CSV writes them with a decimal comma)."""
    rows: list[FlatRow] = []
    for year in recap.evolution_years:
        for scope, figures in recap.evolution[year].items():
            for key, fig in figures.items():
                if scope == SHARED and key in T.MEMBER_ONLY:
                    continue
                rows.append(
                    FlatRow(
                        year,
                        scope,
                        key,
                        _plain(fig.value),
                        IMPORTED_SOURCE if fig.imported else COMPUTED_SOURCE,
                        fig.note or "",
                    )
                )
    return rows


def to_csv(recap: YearRecap) -> bytes:
    """Every figure, one line each (French dialect); `/bilan importer` reads it back."""
    return S.csv_bytes(FLAT_HEADER, _rows_flat(recap))


def to_markdown(recap: YearRecap) -> bytes:
    """Every text that comes from people (territory names, notes, survey questions and
    answers) is escaped: nothing in it becomes a link or markup."""
    from bot.ui import recap_indicators, recap_tables

    esc = md_escape
    parts = [f"# Bilan {recap.year}", "", "## Synthèse des données", ""]
    parts.append(md_table(*T.synthesis_table(recap)))
    parts += ["", "## Déploiement et évolution du projet", ""]
    for scope in [ALL, *recap.codes]:
        parts += [
            f"### {esc(C.scope_name(recap.territories, scope))}",
            "",
            md_table(*T.evolution_table(recap, scope)),
            "",
        ]
        parts += [f"- {esc(n)}" for n in T.imported_notes(recap, scope)]
        parts.append("")
    parts.append("\\* valeur importée · — inconnue")
    header, rows = recap_tables.activity_rows(recap.territories, recap.activities)
    if rows:
        parts += ["", "## Activités saisies", "", md_table(header, rows)]
    if recap.coordination_split:
        parts += ["", "## Répartition du temps de coordination", ""]
        parts += [
            f"- {esc(C.scope_name(recap.territories, s))} : {C.number(h)} h ({C.percent(p)})"
            for s, h, p in recap.coordination_split
        ]
    if recap.survey is not None:
        s = recap.survey
        answers = SURVEY_ONE if s.respondents == 1 else SURVEY_MANY
        parts += [
            "",
            "## Questionnaire d'évaluation",
            "",
            answers.format(count=s.respondents, eligible=s.eligible, rate=C.percent(s.rate)),
        ]
        for question, counts in s.distributions.items():
            parts += ["", f"### {esc(question)}", "", md_table(["Réponse", "Nombre"], [[v, str(c)] for v, c in counts])]
    parts += recap_indicators.markdown(recap)
    parts += ["", "## Définitions", ""] + [
        f"- **{esc(k)}** : {esc(v)}" for k, v in DEFINITIONS + recap_indicators.DEFINITIONS
    ]
    return ("\n".join(parts) + "\n").encode("utf-8")


# -- XLSX: numbers are numbers ------------------------------------------------------------


def _format(key: str, value: float) -> str:
    if key in T.RATES:
        return S.PERCENT
    if key == R.COORDINATION_HOURS:
        return S.HOURS if float(value).is_integer() else S.HOURS_DECIMAL
    return S.INTEGER if float(value).is_integer() else S.DECIMAL


def figure_cell(fig: Figure | None, key: str) -> Num | None:
    """A figure as a number cell: rates in %, hours in h, imported values marked "*" by
    the display format (the value stays a number); unknown → empty."""
    if fig is None or fig.value is None:
        return None
    fmt = _format(key, fig.value)
    if fig.imported:
        fmt += S.IMPORTED_SUFFIX
    value = fig.value if key in T.RATES else _plain(fig.value)
    return Num(value, fmt)


def _synthesis_rows(recap: YearRecap) -> list[list[object]]:
    scopes = T.synthesis_scopes(recap)

    def line(label: str, key: str) -> list[object]:
        cells: list[object] = [label]
        for scope in scopes:
            fig = recap.synthesis.get(scope, {}).get(key)
            cells.append(None if scope == SHARED and key in T.NOT_SHARED else figure_cell(fig, key))
        return cells

    rows = []
    for key, label in T.SYNTHESIS_ROWS:
        if key == R.PROMENEURS:
            rows.append(line("Promeneurs", key))
            imported = {s for s in scopes if (f := recap.synthesis.get(s, {}).get(key)) and f.imported}
            for part, part_label in ((R.YOUTH_COUNT, "dont Jeunesse"), (R.PARENTING_COUNT, "dont Parentalité")):
                row = line(part_label, part)
                rows.append([c if i == 0 or scopes[i - 1] not in imported else None for i, c in enumerate(row)])
        else:
            rows.append(line(label, key))
    return rows


def _evolution_rows(recap: YearRecap, scope: str) -> list[list[object]]:
    return [
        [
            T.EVOLUTION_LABELS[key],
            *(figure_cell(recap.evolution[y].get(scope, {}).get(key), key) for y in recap.evolution_years),
        ]
        for key in R.EVOLUTION_ROWS
    ]


def _activity_sheet(recap: YearRecap) -> tuple[list[str], list[list[object]]]:
    from bot.db.models.activity import ACTIVITY_KINDS
    from bot.services.activity import HOURS_KINDS, SHORT_LABELS

    activities = recap.activities
    scopes = [c for c in recap.territories if any(s == c for s, _ in activities)]
    if any(s == SHARED for s, _ in activities):
        scopes.append(SHARED)
    header = ["Activité", *scopes, "Total"]
    rows: list[list[object]] = []
    for kind in ACTIVITY_KINDS:
        values = [activities.get((s, kind), (0, 0.0))[1] for s in scopes]
        total = sum(q for (s, k), (_, q) in activities.items() if k == kind)
        if not total:
            continue

        def num(v: float, kind: str = kind) -> Num:
            if kind in HOURS_KINDS:
                return Num(_plain(v), S.HOURS if float(v).is_integer() else S.HOURS_DECIMAL)
            return Num(_plain(v), S.INTEGER if float(v).is_integer() else S.DECIMAL)

        rows.append([SHORT_LABELS[kind], *(num(v) for v in values), num(total)])
    return header, rows


def _sheet(
    wb: Any,
    title: str,
    header: list[str],
    rows: list[list[object]],
    *,
    footer: Sequence[str] = (),
) -> None:
    """One sheet in write-only mode (streamed: a national recap stays light in memory).
    Text cells are strings (never formulas), `Num` cells numbers with their format."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title[:31])
    for i, col in enumerate(zip(*([header] + rows), strict=False), start=1):
        width = max((S.display_width(v) for v in col), default=10)
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2))
    ws.freeze_panes = "B2"
    cells = []
    for value in header:
        cell = S.text_cell(ws, value)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append(S.xlsx_row(ws, row))
    for line in footer:
        ws.append([S.text_cell(ws, line)])


Table = tuple[list[str], list[list[object]]]  # header, rows


class LaidOut(NamedTuple):
    """The sheets whose labels live beside the database models (the activity kinds, the
    evaluation indicators' codes): laid out in the bot's process, which has them loaded, and
    pickled with the recap to the child process that writes the workbook."""

    activities: Table
    indicators: Table | None
    definitions: list[list[object]]


def lay_out(recap: YearRecap) -> LaidOut:
    from bot.ui import recap_indicators

    return LaidOut(
        _activity_sheet(recap),
        recap_indicators.sheet(recap) if recap_indicators.has_data(recap) else None,
        [list(d) for d in DEFINITIONS + recap_indicators.DEFINITIONS],
    )


def to_xlsx(recap: YearRecap, laid_out: LaidOut | None = None) -> bytes:
    from openpyxl import Workbook

    laid_out = lay_out(recap) if laid_out is None else laid_out
    wb = Workbook(write_only=True)
    header, _ = T.synthesis_table(recap)
    _sheet(wb, f"Synthèse {recap.year}", header, _synthesis_rows(recap), footer=[LEGEND])
    years = [str(y) for y in recap.evolution_years]
    if len(recap.codes) <= T.MAX_TERRITORIES_IN_EMBEDS:
        for scope in [ALL, *recap.codes]:  # one sheet per territory
            _sheet(
                wb,
                f"Évolution {'ensemble' if scope == ALL else scope}",
                ["Indicateur", *years],
                _evolution_rows(recap, scope),
                footer=[*T.imported_notes(recap, scope), LEGEND],
            )
    else:  # national scale: one sheet, a block of rows per territory
        rows: list[list[object]] = []
        for scope in [ALL, *recap.codes]:
            rows += [[C.scope_name(recap.territories, scope)]]
            rows += _evolution_rows(recap, scope)
        _sheet(wb, "Évolution", ["Indicateur", *years], rows, footer=[LEGEND])
    header, rows = laid_out.activities
    _sheet(wb, "Activités", header, rows or [["Aucune activité saisie"]])
    coordination = [
        [
            C.scope_name(recap.territories, s),
            Num(_plain(h), S.HOURS if float(h).is_integer() else S.HOURS_DECIMAL),
            Num(p, S.PERCENT),
        ]
        for s, h, p in recap.coordination_split
    ]
    _sheet(wb, "Coordination", ["Territoire", "Heures", "Part"], coordination)
    _sheet(
        wb,
        "Structures",
        ["Type de structure", "Promeneurs"],
        [[t, Num(n, S.INTEGER)] for t, n in recap.structure_types],
    )
    if recap.survey is not None:
        s = recap.survey
        rows = [
            ["Répondants", None, Num(s.respondents, S.INTEGER)],
            ["Promeneurs sollicités", None, Num(s.eligible, S.INTEGER)],
            ["Taux de réponse", None, Num(s.rate, S.PERCENT)],
        ]
        for question, counts in s.distributions.items():
            rows += [[question, value, Num(count, S.INTEGER)] for value, count in counts]
        _sheet(wb, "Questionnaire", ["Question", "Réponse", "Nombre"], rows)
    if laid_out.indicators is not None:
        _sheet(wb, "Indicateurs", *laid_out.indicators)
    data_rows: list[list[object]] = [
        [Num(r.year, "0"), r.scope, r.key, figure_cell(Figure(r.value), r.key), r.source, r.note]
        for r in _rows_flat(recap)
    ]
    _sheet(wb, "Données", FLAT_HEADER, data_rows)
    _sheet(wb, "Définitions", ["Indicateur", "Définition"], laid_out.definitions)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export(recap: YearRecap, fmt: str) -> bytes:
    return {XLSX: to_xlsx, CSV: to_csv, MARKDOWN: to_markdown}[fmt](recap)
