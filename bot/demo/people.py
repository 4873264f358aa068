"""The demo network's fictional people (names generated for the demo, not real persons)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DemoPerson:
    handle: str
    name: str
    territory: str
    strand: str
    structure: str
    structure_type: str
    profession: str
    joined: date
    on_discord: bool = True


COORDINATOR = ("claire", "Claire (coordination)")

PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson(
        "camille",
        "Camille Bernard",
        "63",
        "youth",
        "MJC de Riom",
        "Centre social",
        "Animateur·rice enfance/jeunesse",
        date(2019, 9, 2),
    ),
    DemoPerson(
        "lucas",
        "Lucas Moreau",
        "63",
        "youth",
        "Service jeunesse de Thiers",
        "Service jeunesse (commune ou intercommunalité)",
        "Référent·e ou coordinateur·rice jeunesse",
        date(2020, 1, 15),
    ),
    DemoPerson(
        "ines",
        "Inès Garnier",
        "63",
        "parenting",
        "Centre social de Cournon",
        "Centre social",
        "Référent·e famille",
        date(2021, 3, 8),
    ),
    DemoPerson(
        "theo",
        "Théo Lambert",
        "63",
        "youth",
        "PIJ d'Issoire",
        "Réseau Information Jeunesse (PIJ, BIJ)",
        "Informateur·rice jeunesse",
        date(2018, 10, 1),
    ),
    DemoPerson(
        "manon",
        "Manon Rousseau",
        "63",
        "youth",
        "Foyer des jeunes travailleurs de Clermont",
        "Foyer de jeunes travailleurs",
        "Éducateur·rice spécialisé·e",
        date(2022, 2, 1),
    ),
    DemoPerson(
        "hugo",
        "Hugo Fontaine",
        "63",
        "youth",
        "Médiathèque d'Ambert",
        "Médiathèque",
        "Animateur·rice numérique/multimédia",
        date(2023, 5, 10),
    ),
    DemoPerson(
        "lea",
        "Léa Chevalier",
        "63",
        "parenting",
        "Relais Petite Enfance de Billom",
        "Service petite enfance / Relais Petite Enfance",
        "Animateur·rice RPE",
        date(2024, 9, 1),
    ),
    DemoPerson(
        "nathan",
        "Nathan Girard",
        "63",
        "youth",
        "Accueil de loisirs de Volvic",
        "Accueil de loisirs sans hébergement",
        "Animateur·rice enfance/jeunesse",
        date(2025, 1, 6),
    ),
    DemoPerson(
        "sarah",
        "Sarah Mercier",
        "63",
        "youth",
        "Collège Jules-Ferry",
        "Établissement d'enseignement ou de formation (collège, MFR)",
        "Autre",
        date(2025, 11, 3),
    ),
    DemoPerson(
        "jules",
        "Jules Bonnet",
        "63",
        "youth",
        "Espace public numérique de Riom",
        "Espace public numérique",
        "Animateur·rice numérique/multimédia",
        date(2026, 3, 2),
    ),
    DemoPerson(
        "emma",
        "Emma Faure",
        "03",
        "youth",
        "Service jeunesse de Vichy",
        "Service jeunesse (commune ou intercommunalité)",
        "Animateur·rice enfance/jeunesse",
        date(2018, 6, 4),
    ),
    DemoPerson(
        "louis",
        "Louis Andre",
        "03",
        "youth",
        "Centre social de Moulins",
        "Centre social",
        "Directeur·rice de structure",
        date(2019, 2, 11),
    ),
    DemoPerson(
        "chloe",
        "Chloé Roux",
        "03",
        "parenting",
        "Espace de vie sociale de Gannat",
        "Espace de vie sociale",
        "Référent·e famille",
        date(2021, 9, 20),
    ),
    DemoPerson(
        "adam",
        "Adam Blanc",
        "03",
        "youth",
        "MFR de Lapalisse",
        "Établissement d'enseignement ou de formation (collège, MFR)",
        "Moniteur·rice éducateur·rice",
        date(2022, 10, 3),
    ),
    DemoPerson(
        "jade",
        "Jade Guerin",
        "03",
        "youth",
        "Association Loisirs Montluçon",
        "Association de loisirs",
        "Animateur·rice enfance/jeunesse",
        date(2023, 4, 17),
    ),
    DemoPerson(
        "arthur",
        "Arthur Muller",
        "03",
        "youth",
        "BIJ de Montluçon",
        "Réseau Information Jeunesse (PIJ, BIJ)",
        "Informateur·rice jeunesse",
        date(2024, 1, 8),
    ),
    DemoPerson(
        "louise",
        "Louise Henry",
        "03",
        "parenting",
        "Relais Petite Enfance de Cusset",
        "Service petite enfance / Relais Petite Enfance",
        "Animateur·rice RPE",
        date(2025, 6, 2),
    ),
    DemoPerson(
        "gabriel",
        "Gabriel Perrin",
        "03",
        "youth",
        "Protection de l'enfance de l'Allier",
        "Protection de l'enfance",
        "Éducateur·rice spécialisé·e",
        date(2026, 2, 9),
    ),
    DemoPerson(
        "alice",
        "Alice Morel",
        "03",
        "youth",
        "Mairie de Saint-Pourçain",
        "Service jeunesse (commune ou intercommunalité)",
        "Agent de développement",
        date(2020, 11, 16),
        on_discord=False,
    ),
    DemoPerson(
        "raphael",
        "Raphaël Leclerc",
        "63",
        "youth",
        "IME de Chamalières",
        "Institut médico-éducatif",
        "Éducateur·rice spécialisé·e",
        date(2021, 6, 14),
        on_discord=False,
    ),
)
