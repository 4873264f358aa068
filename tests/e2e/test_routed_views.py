"""The bot's messages leave nothing behind in the process (issue 18): their buttons and selects
are routed by their custom_id, so discord.py neither stores their views nor times them out
(an ephemeral answer's view would otherwise park a 15-minute task), and every button still
answers."""

from __future__ import annotations

import asyncio

import discord
import pytest

from bot.app import PdnBot
from bot.ui.views import RoutedView
from tests.e2e.test_requests import FORM, request_message
from tests.e2e.test_watch import StaticFetcher


@pytest.fixture
def simcord_bot(make_bot) -> PdnBot:
    return make_bot(watch_fetcher=StaticFetcher())


def kept(bot: PdnBot) -> int:
    """Views discord.py keeps: stored per message (with what they dispatch), or waiting for
    their timeout."""
    store = bot._connection._view_store
    stored = len(store._synced_message_views) + sum(len(items) for items in store._views.values())
    timing_out = [t for t in asyncio.all_tasks() if "timeout_task_impl" in t.get_coro().__qualname__]  # type: ignore[union-attr]
    return stored + len(timing_out)


async def test_messages_with_buttons_leave_no_view_behind(profiles, simcord_bot: PdnBot) -> None:
    w = profiles
    w.requests = w.guild.create_text_channel(
        "demandes-accompagnement",
        overwrites={w.coordination_role: discord.PermissionOverwrite(manage_threads=True)},
    )
    await w.admin.slash(w.general, "config salons", demandes=w.requests)
    before = kept(simcord_bot)

    added = [await w.alice.slash(w.general, "veille ajouter", lien=f"https://example.org/{n}") for n in range(5)]
    [link] = await w.alice.autocomplete(w.general, "veille retirer", "lien", "example.org/4")
    asked = await w.alice.slash(w.general, "veille retirer", lien=link["value"])
    await w.coordinator.slash(w.general, "config panneau")
    shown = await w.alice.slash(w.general, "accompagnement demander")
    await w.alice.submit_modal(shown, FORM)
    [thread] = w.requests.threads
    assert added[0].ephemeral and asked.ephemeral

    assert kept(simcord_bot) == before  # eight messages with components, nothing kept

    changed = await w.alice.select(added[0].response.message, ["Projet de Promeneur"])
    assert changed.response.content == (
        "C'est noté\u00a0: **https://example.org/0** est classé dans «\u00a0Projet de Promeneur\u00a0»."
    )
    removed = await w.alice.click(asked.response.message, label="Oui, retirer le lien")
    assert removed.response.content == "**https://example.org/4** est retiré de la prochaine veille."
    claimed = await w.coordinator.click(request_message(thread), label="Prendre en charge")
    assert claimed.response.content == "Vous suivez désormais la demande n°1."
    assert kept(simcord_bot) == before


async def test_a_view_refuses_a_component_that_would_need_to_be_kept() -> None:
    view = RoutedView(discord.ui.Button(label="Site", url="https://example.org"))
    assert view.is_finished()
    with pytest.raises(TypeError, match="DynamicItem"):
        view.add_item(discord.ui.Button(label="Un bouton", custom_id="x"))
