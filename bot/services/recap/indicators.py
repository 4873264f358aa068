"""The recap's indicators: their names (the import format's and the recap's own), their
labels, and a figure of the recap (a value, imported or computed)."""

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
CAPACITY = "places"
REGISTRATION_RATE = "taux_inscription"
FILL_RATE = "taux_remplissage"
REACHED = "promeneurs_touches"
ACCOMP_INDIVIDUAL = "accompagnements_individuels"
ACCOMP_TEAM = "accompagnements_equipe"
COORDINATION_HOURS = "heures_coordination"

LABELS = {
    PROMENEURS: "Promeneurs",
    YOUTH_COUNT: "dont Jeunesse",
    PARENTING_COUNT: "dont Parentalité",
    AT_YEAR_END: "au 31 décembre",
    ARRIVALS: "arrivées",
    DEPARTURES: "départs",
    PROFESSIONS: "Types de métiers",
    STRUCTURE_TYPES: "Types de structures",
    PRESENTATIONS: "Présentations du projet",
    SESSIONS: "Temps de réseau",
    SESSIONS_IN_PERSON: "en présentiel",
    SESSIONS_REMOTE: "à distance",
    SESSIONS_HYBRID: "dont hybrides",
    SESSION_DAYS: "Journées",
    ATTENDANCE: "Présences",
    REGISTERED: "Inscrits",
    CAPACITY: "Places",
    REGISTRATION_RATE: "Taux d'inscription",
    FILL_RATE: "Taux de remplissage",
    REACHED: "Promeneurs touchés",
    ACCOMP_INDIVIDUAL: "Accompagnements individuels",
    ACCOMP_TEAM: "Accompagnements d'équipe",
    ACCOMPANIMENTS: "Accompagnements (tous)",
    COORDINATION_HOURS: "Heures de coordination",
}
EVOLUTION_ROWS = (
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
