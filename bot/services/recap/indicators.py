"""The recap's indicators: their names (the import format's and the recap's own; their
French labels are the recap's tables', in `bot.ui`), and a figure of the recap (a value,
imported or computed)."""

from __future__ import annotations

from dataclasses import dataclass

# Indicators of a (year, scope). The first nine are the import format's.
PROMENEURS = "promeneurs"
STRUCTURE_TYPES = "types_structures"
PROFESSIONS = "types_professions"
PRESENTATIONS = "presentations"
SESSIONS = "reunions"
SESSIONS_IN_PERSON = "reunions_presentiel"
SESSIONS_REMOTE = "reunions_distanciel"
SESSION_DAYS = "reunions_jours"
ACCOMPANIMENTS = "accompagnements"
YOUTH_COUNT = "promeneurs_jeunesse"
PARENTING_COUNT = "promeneurs_parentalite"
AT_YEAR_END = "promeneurs_31_decembre"
ARRIVALS = "arrivees"
DEPARTURES = "departs"
SESSIONS_HYBRID = "reunions_hybrides"
ATTENDANCE = "presences"
REGISTERED = "inscrits"
REGISTRATION_RATE = "taux_inscription"
FILL_RATE = "taux_remplissage"
REACHED = "promeneurs_touches"
ACCOMP_INDIVIDUAL = "accompagnements_individuels"
ACCOMP_TEAM = "accompagnements_equipe"
COORDINATION_HOURS = "heures_coordination"

# The indicators of the import format (before the evaluation indicators'), also the rows of
# the evolution table.
IMPORTED = (
    PROMENEURS,
    STRUCTURE_TYPES,
    PROFESSIONS,
    PRESENTATIONS,
    SESSIONS,
    SESSIONS_IN_PERSON,
    SESSIONS_REMOTE,
    SESSION_DAYS,
    ACCOMPANIMENTS,
)
EVOLUTION_ROWS = IMPORTED
MEMBER_INDICATORS = (
    PROMENEURS,
    YOUTH_COUNT,
    PARENTING_COUNT,
    AT_YEAR_END,
    ARRIVALS,
    DEPARTURES,
    STRUCTURE_TYPES,
    PROFESSIONS,
)


@dataclass(frozen=True)
class Figure:
    """A value (None = unknown), and whether it was imported (with its note)."""

    value: float | None
    imported: bool = False
    note: str | None = None


Figures = dict[str, Figure]  # indicator -> figure
