"""Calendar links when the bot's host has not turned the feeds on (no WEB_PORT/PUBLIC_URL)."""

from __future__ import annotations


async def test_links_say_the_feeds_are_off(profiles, simcord_bot) -> None:
    w = profiles
    assert not simcord_bot.web.enabled and simcord_bot.web.port is None  # nothing listens
    member = await w.alice.slash(w.general, "evenement calendrier")
    assert member.ephemeral
    assert member.response.content.startswith("Les agendas en ligne ne sont pas activés sur ce bot.")
    server = await w.coordinator.slash(w.general, "config calendrier")
    assert server.response.content.startswith("Les agendas en ligne ne sont pas activés sur ce bot.")
