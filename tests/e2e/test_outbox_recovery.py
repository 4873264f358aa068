"""The outbox recovers by itself: a renderer bug, an abandoned delivery, a missed occurrence,
a manual publication repeated, a server configured while the bot runs; and the coordination
alert is told once, where it can be read."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import discord
import pytest
from simcord.backend.models.channel import Overwrite

from bot.alerts import alert_coordination
from bot.db import Database
from bot.db.models.outbox import FAILED, SENDING, SENT
from bot.failures import INTERNAL, NO_CHANNEL
from bot.features import Feature
from bot.posts import OutgoingMessage, PostKind
from bot.services import outbox as outbox_service
from bot.services import survey as survey_service
from bot.services.schedules import WEEKLY, ScheduleKind, ScheduleValue
from tests.e2e.test_outbox_faults import NBSP, HttpFault, _refs, text_of
from tests.e2e.test_watch import ARTICLE, StaticFetcher

MONDAY_21_9H = datetime(2027, 6, 21, 7, 0, tzinfo=UTC)
WEDNESDAY_10H30 = datetime(2027, 6, 16, 8, 30, tzinfo=UTC)
# The references members read under a digest published by hand at 10:30, twice that minute.
BY_HAND = f"Lettre de veille · 16 juin 2027 à 10{NBSP}h{NBSP}30"
BY_HAND_AGAIN = f"{BY_HAND} (2)"


@pytest.fixture
def simcord_bot(make_bot):
    fetcher = StaticFetcher()
    fetcher.titles[ARTICLE] = "Les ados et TikTok"
    fetcher.titles["https://example.org/b"] = "Un second article"
    return make_bot(watch_fetcher=fetcher)


def _kind(name: str, render) -> PostKind:
    return PostKind(
        schedule=ScheduleKind(
            name=name,
            label=f"Essai {name}",
            default=ScheduleValue(frequency=WEEKLY, weekday=0, hour=9),
            frequencies=(WEEKLY,),
        ),
        channel_id=lambda settings: settings.recaps_channel_id,
        period=lambda when: when.strftime("%G-W%V"),
        render=render,
    )


async def _two_parts(bot, post):
    return [OutgoingMessage(embeds=[discord.Embed(title=f"{post.kind} ({i + 1})")]) for i in range(2)]


async def _broken(bot, post):
    return {}["a bug"]  # a KeyError: a bug, not a missing channel


async def _get(db: Database, guild_id: int, kind: str, period: str):
    async with db.transaction() as session:
        return await outbox_service.get(session, guild_id, kind, period)


async def test_publier_twice_in_one_minute_publishes_twice_or_says_nothing_is_left(
    configured, simcord_bot, clock, db: Database
) -> None:
    w = configured
    clock.set(WEDNESDAY_10H30)
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    first = await w.coordinator.slash(w.general, "veille publier")
    assert text_of(first).startswith("La **Veille n°1** est publiée")
    await w.bob.slash(w.general, "veille ajouter", lien="https://example.org/b")
    clock.set(WEDNESDAY_10H30 + timedelta(seconds=40))  # same minute
    second = await w.coordinator.slash(w.general, "veille publier")
    assert text_of(second).startswith("La **Veille n°2** est publiée")
    third = await w.coordinator.slash(w.general, "veille publier")
    assert text_of(third).startswith("Rien à publier")
    assert set(_refs(w.digest, BY_HAND)) == {BY_HAND}
    assert set(_refs(w.digest, BY_HAND_AGAIN)) == {BY_HAND_AGAIN}


async def test_publier_again_after_an_ambiguous_5xx_does_not_double(
    configured, simcord_bot, clock, db: Database
) -> None:
    w, bot = configured, simcord_bot
    clock.set(WEDNESDAY_10H30)
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    HttpFault(bot, w.digest.id, "5xx-after")
    failed = await w.coordinator.slash(w.general, "veille publier")
    assert text_of(failed).startswith("⚠️ La publication a échoué\u00a0: Discord a rencontré une erreur de son côté")
    again = await w.coordinator.slash(w.general, "veille publier")
    assert text_of(again).startswith("La **Veille n°1** est publiée")
    assert list(_refs(w.digest, BY_HAND).values()) == [1]


async def test_a_renderer_bug_fails_that_post_only_in_french(
    configured, simcord_bot, clock, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    w, bot = configured, simcord_bot
    await bot.features.add(Feature(name="casse", post_kinds=(_kind("casse", _broken),)))
    await bot.features.add(Feature(name="essai", post_kinds=(_kind("essai", _two_parts),)))
    for kind in ("casse", "essai"):  # due at the same time; the broken one first
        await bot.outbox.enqueue(w.guild.id, kind, clock())
    with caplog.at_level(logging.WARNING, logger="bot.outbox"):
        await bot.outbox.dispatch_due(clock())

    broken = await _get(db, w.guild.id, "casse", "2027-W24")
    assert broken.state == FAILED and broken.last_error == INTERNAL
    assert (await _get(db, w.guild.id, "essai", "2027-W24")).state == SENT
    assert any("KeyError" in (r.exc_text or "") for r in caplog.records)  # logged with traceback
    shown = await w.coordinator.slash(w.general, "config voir")
    problems = next(f for f in shown.response.embeds[0].fields if "échec" in f.name)
    assert problems.value.startswith(f"**Essai casse · semaine du 14 juin 2027**{NBSP}: une erreur interne du bot")
    assert "KeyError" not in problems.value and "1 essai," in problems.value


async def test_a_post_abandoned_in_sending_is_taken_back_and_reconciled(
    configured, simcord_bot, clock, db: Database
) -> None:
    """Delivery stopped after part 1 (no restart): the sweep takes it back a few minutes
    later, finds part 1 in the channel, records it and posts only part 2."""
    w, bot = configured, simcord_bot
    await bot.features.add(Feature(name="essai", post_kinds=(_kind("essai", _two_parts),)))
    post = await bot.outbox.enqueue(w.guild.id, "essai", clock())
    async with db.transaction() as session:
        assert await outbox_service.claim(session, post.id, clock())
    part1 = discord.Embed(title="essai (1)").set_footer(text="réf. essai-2027-W24 · 1/2")
    posted = await bot.get_channel(w.recaps.id).send(embed=part1)

    await bot.outbox.sweep(clock() + timedelta(minutes=2))  # still fresh: left alone
    assert (await _get(db, w.guild.id, "essai", "2027-W24")).state == SENDING
    stuck = await w.coordinator.slash(w.general, "config voir")
    assert not any("échec" in f.name for f in stuck.response.embeds[0].fields)

    clock.set(clock() + timedelta(minutes=6))
    shown = await w.coordinator.slash(w.general, "config voir")  # listed while abandoned
    assert "publication interrompue" in next(f for f in shown.response.embeds[0].fields if "échec" in f.name).value
    await bot.outbox.sweep(clock())
    post = await _get(db, w.guild.id, "essai", "2027-W24")
    assert post.state == SENT
    # part 1 (posted by an earlier version, old reference) found, part 2 posted once
    footers = sorted(m.embeds[0].footer.text for m in w.recaps.history() if m.embeds)
    assert footers == ["Essai essai · semaine du 14 juin 2027 · 2/2", "réf. essai-2027-W24 · 1/2"]
    assert outbox_service.parts(post)[0] == posted.id  # the part found is recorded


async def test_the_sweep_owes_a_missed_occurrence_without_a_restart(
    configured, simcord_bot, clock, db: Database
) -> None:
    w, bot = configured, simcord_bot
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    clock.set(MONDAY_21_9H + timedelta(minutes=7))  # the 9:00 job never created its post
    assert await _get(db, w.guild.id, "digest", "2027-W24") is None
    await bot.outbox.sweep(clock())
    post = await _get(db, w.guild.id, "digest", "2027-W24")
    assert post.state == SENT and post.due_at == MONDAY_21_9H
    await bot.outbox.sweep(clock() + timedelta(minutes=2))
    assert list(_refs(w.digest, "Lettre de veille · semaine du 14 juin 2027").values()) == [1]


async def test_channels_configured_while_running_schedule_posts_and_send_owed_ones(
    world, simcord_bot, clock, db: Database
) -> None:
    w, bot = world, simcord_bot
    await w.admin.slash(w.general, "config roles", coordination=w.coordination_role, promeneurs=w.promeneur_role)
    assert bot.scheduler.next_fire_time(w.guild.id, "digest") is None
    post = await bot.outbox.enqueue(w.guild.id, "monthly_summary", clock())
    await bot.outbox.dispatch_due(clock())
    post = await _get(db, w.guild.id, "monthly_summary", post.period)
    assert post.state == FAILED and post.last_error == NO_CHANNEL

    await w.admin.slash(w.general, "config salons", veille=w.digest, bilans=w.recaps)
    await w.env.settle()
    for kind in ("digest", "monthly_summary", "year_recap"):  # no restart needed
        assert bot.scheduler.next_fire_time(w.guild.id, kind) is not None
    post = await _get(db, w.guild.id, "monthly_summary", post.period)
    assert post.state == SENT and post.channel_id == w.recaps.id
    assert list(_refs(w.recaps, bot.outbox.default_title(post)).values()) == [1]


async def test_a_survey_refused_by_the_channel_is_launched_and_announced_once_fixed(
    profiles, simcord_bot, clock, db: Database
) -> None:
    w, bot = profiles, simcord_bot
    bot_role = w.guild.roles["TestBot"]
    deny = discord.Permissions(send_messages=True).value
    w.env.backend.set_overwrite(w.announcements.id, Overwrite(target_id=bot_role.id, type=0, deny=deny))
    launched = await w.coordinator.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    assert text_of(launched) == (
        "Questionnaire n°1 lancé jusqu'au mercredi 30 juin 2027 inclus, pour 2 Promeneurs actifs. "
        f"⚠️ L'annonce n'a pas pu être publiée dans <#{w.announcements.id}>{NBSP}: le bot n'a pas "
        f"la permission «{NBSP}Envoyer des messages{NBSP}» dans <#{w.announcements.id}>{NBSP}: "
        "donnez-la-lui dans les paramètres du salon. Le questionnaire est bien ouvert "
        f"(/questionnaire repondre fonctionne){NBSP}; le bot réessaiera de publier l'annonce "
        "lundi 14 juin 2027 à 10 h 01."
    )
    form = await w.alice.slash(w.general, "questionnaire repondre")
    assert form.ephemeral and "Questionnaire n°1" in text_of(form)

    w.env.backend.delete_overwrite(w.announcements.id, bot_role.id)  # the admin fixes it
    await bot.outbox.sweep(clock() + timedelta(minutes=2))
    announced = [m for m in w.announcements.history() if m.components]
    assert len(announced) == 1 and announced[0].embeds[0].title == "Questionnaire d'évaluation n°1"
    async with db.transaction() as session:
        campaign = await survey_service.get(session, w.guild.id, 1)
    assert (campaign.channel_id, campaign.message_id) == (w.announcements.id, announced[0].id)
    answer = await w.alice.click(announced[0], label="Répondre")
    assert answer.ephemeral


async def test_alert_is_told_once_even_after_a_restart_and_only_pings_the_coordination(
    configured, simcord_bot, make_bot, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    w, bot = configured, simcord_bot
    text = "⚠️ Test @everyone\u00a0: quelque chose demande votre attention."
    assert await alert_coordination(bot, w.guild.id, text, key="essai:1")
    assert await alert_coordination(bot, w.guild.id, text, key="essai:1")  # already told
    new_bot = make_bot()
    await w.env.restart_bot(new_bot)
    assert await alert_coordination(new_bot, w.guild.id, text, key="essai:1")
    told = [m for m in w.recaps.history() if text in (m.content or "")]
    assert len(told) == 1
    assert told[0].content == f"<@&{w.coordination_role.id}> {text}"
    assert not told[0].mention_everyone

    # The recaps channel refuses the bot: the requests channel gets it.
    bot_role = w.guild.roles["TestBot"]
    deny = discord.Permissions(send_messages=True).value
    w.env.backend.set_overwrite(w.recaps.id, Overwrite(target_id=bot_role.id, type=0, deny=deny))
    assert await alert_coordination(new_bot, w.guild.id, "Autre alerte.", key="essai:2")
    assert w.requests.last_message.content.endswith("Autre alerte.")


async def test_alert_without_any_channel_is_logged_and_returns_false(
    world, simcord_bot, caplog: pytest.LogCaptureFixture
) -> None:
    w, bot = world, simcord_bot
    with caplog.at_level(logging.WARNING, logger="bot.alerts"):
        assert not await alert_coordination(bot, w.guild.id, "Personne pour lire ceci.", key="k")
    assert "No channel to alert" in caplog.text


async def test_publier_takes_back_a_digest_abandoned_while_sending(
    configured, simcord_bot, clock, db: Database
) -> None:
    """The links are reserved to a digest whose delivery stopped: /veille publier posts it
    (it used to answer "nothing to publish" until a restart)."""
    w, bot = configured, simcord_bot
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    clock.set(MONDAY_21_9H)
    post = await bot.outbox.enqueue(w.guild.id, "digest", clock())
    async with db.transaction() as session:
        assert await outbox_service.claim(session, post.id, clock())
    await bot.outbox.kinds["digest"].render(bot, post)  # numbered, links reserved; then stopped

    clock.set(MONDAY_21_9H + timedelta(minutes=10))
    done = await w.coordinator.slash(w.general, "veille publier")
    assert text_of(done).startswith("La **Veille n°1** est publiée")
    assert list(_refs(w.digest, "Lettre de veille · semaine du 14 juin 2027").values()) == [1]


async def test_an_alert_no_channel_could_take_is_told_at_the_next_start(
    configured, simcord_bot, make_bot, clock, db: Database
) -> None:
    w, bot = configured, simcord_bot
    await w.alice.slash(w.general, "veille ajouter", lien=ARTICLE)
    bot_role = w.guild.roles["TestBot"]
    deny = discord.Permissions(send_messages=True).value
    for channel in (w.recaps, w.requests):  # neither coordination channel takes the alert
        w.env.backend.set_overwrite(channel.id, Overwrite(target_id=bot_role.id, type=0, deny=deny))
    w.env.backend.delete_channel(w.digest.id)
    clock.set(MONDAY_21_9H)
    await bot.outbox.fire(w.guild.id, "digest", clock())
    await _sweep_n(bot, clock, outbox_service.MAX_ATTEMPTS)
    post = await _get(db, w.guild.id, "digest", "2027-W24")
    assert post.attempts == outbox_service.MAX_ATTEMPTS
    assert _told(w, bot.outbox.default_title(post)) == []

    w.env.backend.delete_overwrite(w.recaps.id, bot_role.id)  # the admin fixes the recaps channel
    for _ in range(2):  # two restarts: told once
        await w.env.restart_bot(make_bot())
        await w.env.settle()
    told = _told(w, bot.outbox.default_title(post))
    assert len(told) == 1 and "le salon <#" in told[0] and "n'existe plus (ou le bot" in told[0]


def _told(w, title: str) -> list[str]:
    return [
        m.content
        for ch in (w.recaps, w.requests)
        for m in ch.history()
        if f"«{NBSP}{title}{NBSP}» n'a pas pu être faite" in (m.content or "")
    ]


async def _sweep_n(bot, clock, times: int) -> None:
    for _ in range(times):
        clock.set(clock() + timedelta(minutes=61))
        await bot.outbox.sweep(clock())
