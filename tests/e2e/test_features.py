"""The feature registry (`bot.features`): a feature unloaded takes everything it plugged in
with it, and loaded again comes back once (its commands, jobs, post kinds, privacy hooks,
confirmation actions and persistent components)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.app import PdnBot
from cogs.events._cog import Events
from cogs.watch._cog import Watch
from tests.e2e.test_watch import StaticFetcher

LINK = "https://example.org/alice"


@pytest.fixture
def simcord_bot(make_bot) -> PdnBot:
    fetcher = StaticFetcher()
    fetcher.titles[LINK] = "Le lien d'Alice"
    return make_bot(watch_fetcher=fetcher)


def _feeds_job_fires(bot: PdnBot) -> bool:
    start = datetime.now(UTC)
    return bot.scheduler.fire_times("watch:feeds", start, start + timedelta(hours=1)) != []


def _plugged(bot: PdnBot) -> dict[str, object]:
    return {
        "features": sorted(f.name for f in bot.features),
        "hooks": sorted(h.name for h in bot.features.privacy_hooks()),
        "kinds": sorted(bot.outbox.kinds),
        "modals": sorted(cls.__name__ for _, cls in bot.rescue.modals),
        "commands": sorted(c.qualified_name for c in bot.tree.walk_commands()),
        "menus": sorted(m.name for m in bot.tree.get_commands(type=discord.AppCommandType.message)),
    }


async def test_a_feature_unloaded_and_reloaded_is_plugged_in_once(configured, simcord_bot) -> None:
    w, bot = configured, simcord_bot
    before = _plugged(bot)
    assert before["hooks"].count("veille") == 1 and "digest" in before["kinds"] and _feeds_job_fires(bot)
    await w.alice.slash(w.general, "veille ajouter", lien=LINK)
    [choice] = await w.alice.autocomplete(w.general, "veille retirer", "lien", "alice")
    asked = await w.alice.slash(w.general, "veille retirer", lien=choice["value"])  # answered before the reload

    await bot.unload_extension("cogs.watch")
    gone = _plugged(bot)
    assert "watch" not in gone["features"] and "veille" not in gone["hooks"] and "digest" not in gone["kinds"]
    assert not any(name.startswith("veille") for name in gone["commands"]) and gone["menus"] == []
    assert not _feeds_job_fires(bot)
    with pytest.raises(LookupError):
        bot.features.get(Watch)
    # No feature answers the confirmation any more: nothing is removed.
    unanswered = await w.alice.click(asked.response.message, label="Oui, retirer le lien")
    assert unanswered.response.content == "Rien n'a changé."

    await bot.load_extension("cogs.watch")
    await bot.reload_extension("cogs.watch")
    assert _plugged(bot) == before  # every piece back, none twice
    assert _feeds_job_fires(bot)
    assert bot.features.get(Watch) in bot.cogs.values()
    # The message posted before the reload still works, answered by the reloaded feature.
    done = await w.alice.click(asked.response.message, label="Oui, retirer le lien")
    assert done.response.content == "**Le lien d'Alice** est retiré de la prochaine veille."


async def test_cogs_are_found_by_their_class(configured, simcord_bot) -> None:
    bot = simcord_bot
    events = bot.features.get(Events)
    assert isinstance(events, Events) and events in bot.cogs.values()
