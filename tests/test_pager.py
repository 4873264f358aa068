"""The pager's custom_id: a command, its options and a page, within Discord's 100 characters."""

from __future__ import annotations

import pytest

from bot.ui.pager import MAX_CUSTOM_ID, PageButton, decode, encode


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"territoire": "63", "volet": "youth"},
        {"recherche": "santé\u00a0: écrans = 100 %\u00a0?"},  # the separators in a value
        {"recherche": "%3A déjà encodé %25"},
    ],
)
def test_options_come_back_as_they_were(options: dict[str, str]) -> None:
    custom_id = encode(3, "veille archives", options)
    assert len(custom_id) <= MAX_CUSTOM_ID
    assert PageButton.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert decode(custom_id) == (3, "veille archives", options)


def test_buttons_follow_the_custom_id_scheme_and_old_ones_still_match() -> None:
    custom_id = encode(1, "accompagnement liste", {"statut": "open"})
    assert custom_id == "pager:1:accompagnement.liste:statut=open"
    posted_before = "pg:1:accompagnement.liste:statut=open"  # a message posted by an earlier version
    assert PageButton.__discord_ui_compiled_template__.fullmatch(posted_before)
    assert decode(posted_before) == decode(custom_id)
