"""The recap's tables as text (shared by the embeds, Markdown and the spreadsheet): pure, no
discord.py and no database layer, so that the child process writing the year-end spreadsheet
imports little (`bot.ui.recap_files`). The embeds are in `bot.ui.recap_tables`."""

from __future__ import annotations

from bot.services.periods import ALL, SHARED
from bot.services.recap import indicators as R
from bot.services.recap.data import YearRecap
from bot.ui.recap_cells import cell, number, percent, scope_name

MAX_TERRITORIES_IN_EMBEDS = 8  # beyond (national scale), the detail is in the spreadsheet


# -- text tables (for embeds, Markdown, CSV) -----------------------------------------------

SYNTHESIS_ROWS = (
    (R.PROMENEURS, "Promeneurs (Jeunesse + Parentalité)"),
    (R.AT_YEAR_END, "Promeneurs au 31 décembre"),
    (R.ARRIVALS, "Arrivées dans l'année"),
    (R.DEPARTURES, "Départs dans l'année"),
    (R.PROFESSIONS, "Types de métiers (distincts)"),
    (R.STRUCTURE_TYPES, "Types de structures (distincts)"),
    (R.PRESENTATIONS, "Présentations du projet"),
    (R.ACCOMP_INDIVIDUAL, "Accompagnements individuels"),
    (R.ACCOMP_TEAM, "Accompagnements d'équipe"),
    (R.ACCOMPANIMENTS, "Accompagnements (tous types)"),
    (R.SESSIONS, "Temps de réseau"),
    (R.SESSIONS_IN_PERSON, "dont en présentiel"),
    (R.SESSIONS_REMOTE, "dont à distance"),
    (R.SESSIONS_HYBRID, "dont hybrides (comptés en présentiel)"),
    (R.SESSION_DAYS, "Journées de temps de réseau"),
    (R.ATTENDANCE, "Présences aux temps de réseau"),
    (R.REACHED, "Promeneurs touchés"),
    (R.REGISTRATION_RATE, "Taux d'inscription"),
    (R.FILL_RATE, "Taux de remplissage"),
    (R.COORDINATION_HOURS, "Heures de coordination"),
)
RATES = (R.REGISTRATION_RATE, R.FILL_RATE)
MEMBER_ONLY = set(R.MEMBER_INDICATORS)
# Not meaningful for "commun" (members and requests always have a territory).
NOT_SHARED = MEMBER_ONLY | {R.ACCOMPANIMENTS, R.ACCOMP_INDIVIDUAL, R.ACCOMP_TEAM}

EVOLUTION_LABELS = {
    R.PROMENEURS: "Promeneurs",
    R.STRUCTURE_TYPES: "Types structures",
    R.PROFESSIONS: "Types métiers",
    R.PRESENTATIONS: "Présentations",
    R.SESSIONS: "Temps de réseau",
    R.SESSIONS_IN_PERSON: " présentiel",
    R.SESSIONS_REMOTE: " à distance",
    R.SESSION_DAYS: "Journées",
    R.ACCOMPANIMENTS: "Accompagnements",
}


def synthesis_value(recap: YearRecap, scope: str, key: str, *, mark: bool = True) -> str:
    if scope == SHARED and key in NOT_SHARED:
        return ""
    fig = recap.synthesis.get(scope, {}).get(key)
    if key in RATES:
        return percent(fig.value if fig else None)
    if key == R.PROMENEURS and fig is not None and not fig.imported:
        f = recap.synthesis[scope]
        return f"{number(fig.value)} ({number(f[R.YOUTH_COUNT].value)} + {number(f[R.PARENTING_COUNT].value)})"
    return cell(fig, mark=mark)


def synthesis_scopes(recap: YearRecap) -> list[str]:
    return [*recap.codes, SHARED, ALL]


def embed_codes(recap: YearRecap) -> list[str]:
    """The territories detailed in the embeds (all of them up to 8)."""
    return recap.codes if len(recap.codes) <= MAX_TERRITORIES_IN_EMBEDS else []


def synthesis_table(recap: YearRecap) -> tuple[list[str], list[list[str]]]:
    """Header and rows: indicator × (territories, commun, ensemble)."""
    scopes = synthesis_scopes(recap)
    header = ["Indicateur", *(scope_name(recap.territories, s) for s in scopes)]
    rows = [[label, *(synthesis_value(recap, s, key) for s in scopes)] for key, label in SYNTHESIS_ROWS]
    return header, rows


def evolution_table(recap: YearRecap, scope: str, years: list[int] | None = None) -> tuple[list[str], list[list[str]]]:
    years = years or recap.evolution_years
    header = ["Indicateur", *(str(y) for y in years)]
    rows = [
        [EVOLUTION_LABELS[key], *(cell(recap.evolution[y].get(scope, {}).get(key)) for y in years)]
        for key in R.EVOLUTION_ROWS
    ]
    return header, rows


def imported_notes(recap: YearRecap, scope: str, years: list[int] | None = None) -> list[str]:
    notes = []
    for y in years or recap.evolution_years:
        for key in R.EVOLUTION_ROWS:
            fig = recap.evolution[y].get(scope, {}).get(key)
            if fig is not None and fig.imported and fig.note:
                notes.append(f"{y}, {EVOLUTION_LABELS[key].strip()}\u00a0: {fig.note}")
    return notes


def monospace(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        first = row[0].ljust(widths[0])
        lines.append("  ".join([first, *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=False))]).rstrip())
    return "\n".join(lines)


def bar(share: float, width: int = 12) -> str:
    filled = round(share * width)
    return "█" * filled + "░" * (width - filled)
