"""Autocomplete under hostile typing (issue 11): every autocompleted option of the tree, typed
an overlong, invisible or wildcard text, answers a list Discord accepts (at most 25 choices,
names of 1 to 100 characters) and nothing breaks; and every autocomplete callback of the tree
goes through the tree's fitting, so a new command cannot send an oversized list."""

from __future__ import annotations

from typing import Any

import pytest
from discord import app_commands

from bot.interactions import user_message
from tests.conftest import shown_anyway
from tests.e2e.test_bad_input import LETTERS_10K, ZERO_WIDTH, QuietFetcher

AUTOCOMPLETED = [
    ("activite ajouter", "territoire", {"type": "presentation"}),
    ("activite annuler", "saisie", {}),
    ("config territoire-retirer", "territoire", {}),
    ("config liste-retirer", "valeur", {"liste": "professions"}),
    ("config planning", "publication", {}),
    ("profil modifier", "territoire", {}),
    ("profil modifier", "type_structure", {}),
    ("profil modifier", "metier", {}),
    ("membres depart", "membre", {}),
    ("evenement creer", "territoire", {}),
    ("evenement inscrire", "evenement", {}),
    ("evenement desinscrire", "evenement", {}),
    ("evenement modifier", "evenement", {}),
    ("evenement annuler", "evenement", {}),
    ("evenement presences", "evenement", {}),
    ("evenement presences", "sans_inscription", {}),
    ("evenement liste", "territoire", {}),
    ("evenement dupliquer", "evenement", {}),
    ("evenement serie", "territoire", {}),
    ("evenement serie-modifier", "serie", {}),
    ("evenement serie-annuler", "serie", {}),
    ("accompagnement liste", "territoire", {}),
    ("accompagnement voir", "numero", {}),
    ("accompagnement enregistrer", "membre", {}),
    ("questionnaire resultats", "questionnaire", {}),
    ("veille ajouter", "categorie", {}),
    ("veille retirer", "lien", {}),
    ("veille flux-ajouter", "categorie", {}),
    ("veille flux-retirer", "flux", {}),
]
TYPED = {"10k": LETTERS_10K, "zw": ZERO_WIDTH, "wildcards": "%_\\'\""}


@pytest.fixture
def simcord_bot(make_bot):
    return make_bot(watch_fetcher=QuietFetcher())


@pytest.fixture
async def crowded(profiles):
    """30 territories and 30 members with long names: more than a list can show."""
    w = profiles
    for n in range(30):
        await w.coordinator.slash(
            w.general, "config territoire-ajouter", code=f"T{n}", nom=f"Territoire {n} " + "n" * 80
        )
        await w.coordinator.slash(
            w.general,
            "membres ajouter",
            nom=f"Camille {n} " + "c" * 85,
            territoire="63",
            volet="youth",
            structure="S" * 150,
        )
    return w


@pytest.mark.parametrize("typed", TYPED.values(), ids=TYPED.keys())
@pytest.mark.parametrize(("command", "option", "filled"), AUTOCOMPLETED, ids=[f"{c}:{o}" for c, o, _ in AUTOCOMPLETED])
async def test_autocomplete_answers_within_limits(
    profiles, env, command: str, option: str, filled: dict[str, Any], typed: str
) -> None:
    w = profiles
    for who in (w.coordinator, w.alice):
        root = command.split()[0]
        if who is w.alice and root in ("config", "membres", "bilan"):  # hidden from members
            with shown_anyway(who, w.general, root):
                offered = await who.autocomplete(w.general, command, option, typed, **filled)
        else:
            offered = await who.autocomplete(w.general, command, option, typed, **filled)
        assert isinstance(offered, list)
        assert len(offered) <= 25
        assert all(1 <= len(c["name"]) <= 100 for c in offered), offered
        assert all(len(str(c["value"])) <= 100 for c in offered)
    assert not [e for e in env.errors if user_message(e) is None]


async def test_long_lists_are_cut_to_25_choices(crowded) -> None:
    w = crowded
    offered = await w.coordinator.autocomplete(w.general, "membres depart", "membre", "Camille")
    assert len(offered) == 25
    assert all(len(c["name"]) <= 100 for c in offered)
    territories = await w.alice.autocomplete(w.general, "profil modifier", "territoire", "Territoire")
    assert len(territories) == 25


async def test_every_autocomplete_of_the_tree_is_fitted(env, simcord_bot) -> None:
    """The tree wraps each autocomplete callback when a cog adds its commands."""
    found = 0
    for command in simcord_bot.tree.walk_commands():
        if not isinstance(command, app_commands.Command):
            continue
        for param in command._params.values():
            if param.autocomplete is not None:
                found += 1
                assert getattr(param.autocomplete, "__pdn_fitted__", False), (command.qualified_name, param.name)
    assert found >= len(AUTOCOMPLETED)
