"""The year-end recap's data (`YearRecap`, `SurveyResults`): plain dataclasses that import
neither SQLAlchemy nor discord.py, so that the child process drawing the year-end message's
files (`bot.ui.recap_files`) unpickles a recap without loading the database layer.
Built by `bot.services.recap.year.year_recap` and `bot.services.survey.results`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from bot.services.periods import ALL
from bot.services.recap.indicators import FILL_RATE, REGISTRATION_RATE, Figures

if TYPE_CHECKING:
    from bot.db.models.activity import SurveyCampaign

# The survey's questions the recap draws (their answers: `bot.services.survey`).
WEEKLY_HOURS = ("Moins de 2 h", "2 h", "Entre 2 et 4 h", "Plus de 4 h")
Q_HOURS = "Temps de présence en ligne par semaine"
Q_NETWORKS = "Réseaux sociaux utilisés"


@dataclass
class SurveyResults:
    campaign: SurveyCampaign
    respondents: int
    eligible: int
    distributions: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        return self.respondents / self.eligible if self.eligible else None

    def __getstate__(self) -> dict[str, object]:
        """Pickled without its campaign, a database row (unpickling it would import the
        database layer): the year-end files' child process reads only the figures. (`copy`
        goes through this too: a copy has no campaign.)"""
        return {**self.__dict__, "campaign": None}


@dataclass
class YearRecap:
    guild_id: int
    year: int
    territories: dict[str, str]  # code -> name
    synthesis: dict[str, Figures]  # scope -> figures of the year
    evolution_years: list[int]
    evolution: dict[int, dict[str, Figures]]  # year -> scope -> figures
    activities: dict[tuple[str, str], tuple[int, float]]
    coordination_split: list[tuple[str, float, float]]  # (scope, hours, share)
    structure_types: list[tuple[str, int]]
    survey: SurveyResults | None
    generated_at: datetime
    professions: list[tuple[str, int]] = field(default_factory=list)
    digests: int = 0  # watch digests published in the year
    digest_links: int = 0  # links in those digests
    indicator_months: dict[int, dict[str, int]] = field(default_factory=dict)  # month -> code -> total

    @property
    def codes(self) -> list[str]:
        return list(self.territories)

    @property
    def is_empty(self) -> bool:
        f = self.synthesis.get(ALL, {})
        return (
            not any((fig.value or 0) for key, fig in f.items() if key not in (REGISTRATION_RATE, FILL_RATE))
            and self.survey is None
        )
