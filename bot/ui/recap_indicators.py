"""The evaluation indicators in the recap: the /bilan annuel embed, the spreadsheet sheet,
the Markdown section and their definitions (codes and computations:
bot.services.indicators)."""

from __future__ import annotations

import discord

from bot import spreadsheets as S
from bot.markup import md_table
from bot.services import indicators as I
from bot.services.periods import ALL
from bot.services.recap.data import YearRecap
from bot.services.recap.indicators import Figure
from bot.spreadsheets import Num
from bot.ui.recap_cells import month_name

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Contacts avec les jeunes et les parents", (*I.CONTACTS, I.FORMS)),
    ("Contacts en privé par âge", tuple(I.AGES)),
    ("Contacts en privé par réseau", tuple(I.NETWORK_CODES)),
    ("Thèmes des demandes", tuple(I.THEMES)),
    ("Structures et permanences en ligne", (I.QPV, I.RURAL, I.SLOT_MEMBERS, I.SLOT_HOURS)),
)
SHORT = {
    **I.CONTACTS,
    **I.AGES,
    **I.NETWORK_CODES,
    **I.THEMES,
    **I.OTHERS,
    I.REACHED: "Touchés (publications, permanences)",
}
MAX_TERRITORY_COLUMNS = 4  # beyond, the embed shows the whole network only
DEFINITIONS = (
    (
        "Contacts (bilan mensuel)",
        "Ce que chaque Promeneur déclare dans « Votre mois en quelques chiffres » : jeunes ou parents touchés (publications, permanences), contactés en privé, accompagnés sur un projet ; somme des mois de l'année, dans le territoire du Promeneur au moment de sa réponse. Des nombres seulement, jamais une personne.",
    ),
    (
        "Par âge, par réseau",
        "Répartition des contacts en privé : par tranche d'âge (elle peut être inférieure au total, un âge n'est pas toujours connu), par réseau social (elle peut le dépasser : une personne rencontrée sur deux réseaux).",
    ),
    (
        "Thèmes des demandes",
        "Nombre de demandes apportées par les jeunes touchant chaque thème (deuxième étape du bilan mensuel).",
    ),
    (
        "Quartier prioritaire, zone rurale",
        "Promeneurs de l'année dont la structure est en quartier prioritaire (QPV) ou en zone rurale, d'après leur profil.",
    ),
    (
        "Permanences en ligne",
        "Heures par semaine des permanences déclarées (/permanences) et non retirées au 31 décembre (ou aujourd'hui pour l'année en cours), et nombre de Promeneurs qui en ont déclaré.",
    ),
)


def value(recap: YearRecap, scope: str, code: str) -> float | None:
    fig = recap.synthesis.get(scope, {}).get(code)
    return None if fig is None else fig.value


def _text(v: float | None, code: str) -> str:
    if v is None:
        return "—"
    if code == I.SLOT_HOURS:
        return f"{v:g}".replace(".", ",") + "\u00a0h"
    return f"{int(v):,}".replace(",", "\u202f") if float(v).is_integer() else f"{v:g}".replace(".", ",")


def has_data(recap: YearRecap) -> bool:
    return any(value(recap, ALL, code) for code in I.CODES)


def embed(recap: YearRecap) -> discord.Embed | None:
    """/bilan annuel: one field per group, the network then each territory."""
    if not has_data(recap):
        return None
    codes = recap.codes if len(recap.codes) <= MAX_TERRITORY_COLUMNS else []
    e = discord.Embed(title=f"Bilan {recap.year} · Indicateurs d'évaluation", colour=discord.Colour.dark_teal())
    if codes:
        e.description = "Ensemble" + "".join(f" · {c}" for c in codes)
    for title, group in GROUPS:
        lines = []
        for code in group:
            total = value(recap, ALL, code)
            if not total and code not in I.CONTACTS:
                continue
            detail = " · ".join(_text(value(recap, c, code), code) for c in codes)
            lines.append(f"{SHORT[code]} : **{_text(total, code)}**" + (f" ({detail})" if detail else ""))
        if lines:
            e.add_field(name=title, value="\n".join(lines)[:1024], inline=False)
    return e


def _num(fig: Figure | None, code: str) -> Num | None:
    if fig is None or fig.value is None:
        return None
    fmt = (S.HOURS if float(fig.value).is_integer() else S.HOURS_DECIMAL) if code == I.SLOT_HOURS else S.INTEGER
    if fig.imported:
        fmt += S.IMPORTED_SUFFIX
    v = fig.value
    return Num(int(v) if float(v).is_integer() else float(v), fmt)


def sheet(recap: YearRecap) -> tuple[list[str], list[list[object]]]:
    """The "Indicateurs" sheet: a row per indicator, a column per scope, then the months."""
    scopes = [ALL, *recap.codes]
    header = ["Indicateur", "Code", *("Ensemble" if s == ALL else s for s in scopes)]
    rows: list[list[object]] = []
    for title, group in GROUPS:
        rows.append([title])
        for code in group:
            rows.append([SHORT[code], code, *(_num(recap.synthesis.get(s, {}).get(code), code) for s in scopes)])
    if recap.indicator_months:  # the whole network, month by month
        rows.append(["Par mois (ensemble)", None, *(SHORT[c] for c in (*I.CONTACTS, I.FORMS))])
        for m, values in sorted(recap.indicator_months.items()):
            rows.append(
                [
                    month_name(recap.year, m).capitalize(),
                    None,
                    *(Num(values.get(c, 0), S.INTEGER) for c in (*I.CONTACTS, I.FORMS)),
                ]
            )
    return header, rows


def month_rows(recap: YearRecap) -> tuple[list[str], list[list[str]]]:
    """Months with answers: contacts and forms (the report's and the Markdown's table)."""

    header = ["Mois", "Touchés", "En privé", "Sur un projet", "Bilans"]
    rows = [
        [month_name(recap.year, m).capitalize(), *(_text(values.get(c, 0), c) for c in (*I.CONTACTS, I.FORMS))]
        for m, values in sorted(recap.indicator_months.items())
    ]
    return header, rows


def markdown(recap: YearRecap) -> list[str]:

    if not has_data(recap):
        return []
    parts = ["", "## Indicateurs d'évaluation", ""]
    for title, group in GROUPS:
        rows = [[SHORT[c], _text(value(recap, ALL, c), c)] for c in group if value(recap, ALL, c) or c in I.CONTACTS]
        if rows:
            parts += [f"### {title}", "", md_table(["Indicateur", "Ensemble"], rows), ""]
    header, rows = month_rows(recap)
    if rows:
        parts += ["### Par mois", "", md_table(header, rows)]
    return parts
