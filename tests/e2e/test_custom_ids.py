"""Buttons of messages posted before the custom_id scheme (`<feature>:<action>…`) still
route to their feature: Discord cannot change a posted message."""

from __future__ import annotations

from tests.e2e._state import forged_button


async def test_a_page_button_posted_with_the_old_prefix_still_turns_the_page(configured) -> None:
    w = configured
    listing = await w.coordinator.slash(w.general, "accompagnement liste")
    title = listing.response.embeds[0].title
    old = await forged_button(w, w.general, "pg:0:accompagnement.liste")
    clicked = await w.coordinator.click(old, label="Bouton")
    assert clicked.response.embeds[0].title == title  # the list, run again by the pager


async def test_a_page_button_of_the_scheme_turns_the_page(configured) -> None:
    w = configured
    listing = await w.coordinator.slash(w.general, "accompagnement liste")
    new = await forged_button(w, w.general, "pager:0:accompagnement.liste")
    clicked = await w.coordinator.click(new, label="Bouton")
    assert clicked.response.embeds[0].title == listing.response.embeds[0].title
