"""The year-end message's files (bot/ui/recap_files.py): the child process unpickles the recap
(and the sheets laid out in the bot's process), draws the charts and writes the spreadsheet
without importing the database layer nor discord.py (its start is part of the message's
time: issue 18)."""

from __future__ import annotations

import pickle
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from bot.services.periods import ALL
from bot.services.recap.data import Q_HOURS, Q_NETWORKS, SurveyResults, YearRecap
from bot.services.recap.indicators import PARENTING_COUNT, PROMENEURS, YOUTH_COUNT, Figure
from bot.ui import recap_exports
from tests.fresh_python import last_json, last_line

CHILD = textwrap.dedent(
    """
    import json, pickle, sys

    from bot.ui import recap_files

    recap, laid_out = pickle.loads(open(sys.argv[1], "rb").read())
    files = recap_files.render(recap, laid_out)
    loaded = sorted(m for m in ("sqlalchemy", "discord", "aiohttp", "pydantic", "bot.db") if m in sys.modules)
    print(json.dumps({"files": [name for name, _ in files], "campaign": repr(recap.survey.campaign), "loaded": loaded}))
    """
)


def _recap() -> YearRecap:
    figures = {PROMENEURS: Figure(12), YOUTH_COUNT: Figure(7), PARENTING_COUNT: Figure(5)}
    survey = SurveyResults(
        campaign=object(),  # type: ignore[arg-type]  # a database row in the bot: not pickled
        respondents=3,
        eligible=10,
        distributions={Q_HOURS: [("2 h", 2), ("Plus de 4 h", 1)], Q_NETWORKS: [("Instagram", 3)]},
    )
    return YearRecap(
        guild_id=1,
        year=2026,
        territories={"63": "Puy-de-Dôme"},
        synthesis={ALL: figures},
        evolution_years=[2026],
        evolution={2026: {ALL: figures, "63": figures}},
        activities={},
        coordination_split=[],
        structure_types=[("Association", 12)],
        survey=survey,
        generated_at=datetime(2026, 12, 31, tzinfo=UTC),
    )


def test_the_files_child_imports_neither_the_database_layer_nor_discord(tmp_path: Path) -> None:
    recap = _recap()
    payload = tmp_path / "recap.pickle"
    payload.write_bytes(pickle.dumps((recap, recap_exports.lay_out(recap))))
    outcome = last_json(tmp_path, CHILD, str(payload), name="child.py", timeout=120)
    assert outcome["files"] == [
        "promeneurs_par_annee.png",
        "types_de_structures.png",
        "heures_en_ligne.png",
        "reseaux_sociaux.png",
        "bilan-2026.xlsx",
    ]
    assert outcome["campaign"] == "None"  # the campaign (a row) is not pickled; the figures are
    assert outcome["loaded"] == []


CONSOLE_SCRIPT = textwrap.dedent(
    """
    import sys
    from bot.__main__ import main  # as the `promeneurs-bot` console script starts

    if __name__ == "__main__":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        probe = "sorted(m for m in ('discord', 'pydantic', 'sqlalchemy') if m in __import__('sys').modules)"
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            print(pool.submit(eval, probe).result())
    """
)


def test_a_child_of_the_console_script_does_not_import_the_bots_libraries(tmp_path: Path) -> None:
    """A `spawn` child re-runs a main script given by its path (the console script), so it
    imports `bot.__main__`: that import loads no library."""
    assert last_line(tmp_path, CONSOLE_SCRIPT, name="promeneurs-bot", timeout=120) == "[]"
