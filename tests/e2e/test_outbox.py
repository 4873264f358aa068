"""The outbox delivers each scheduled post exactly once: on time, after a Discord failure,
and after a crash in the middle of a multi-part post (SimCord, real bot)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models import OutboxPost
from bot.db.models.outbox import FAILED, SENT
from bot.features import Feature
from bot.posts import OutgoingMessage, PostKind
from bot.services import outbox as outbox_service
from bot.services import schedules as schedules_service
from bot.services.schedules import WEEKLY, ScheduleKind, ScheduleValue

PARTS = 2


async def _render(bot, post):
    return [OutgoingMessage(embeds=[discord.Embed(title=f"Essai {post.period} ({i + 1})")]) for i in range(PARTS)]


TEST_KIND = PostKind(
    schedule=ScheduleKind(
        name="essai",
        label="Publication d'essai",
        default=ScheduleValue(frequency=WEEKLY, weekday=0, hour=9),
        frequencies=(WEEKLY,),
    ),
    channel_id=lambda settings: settings.recaps_channel_id,
    period=lambda when: when.strftime("%G-W%V"),
    render=_render,
)


def _posts_in(channel, title_prefix: str) -> list[discord.Message]:
    return [m for m in channel.history() if m.embeds and (m.embeds[0].title or "").startswith(title_prefix)]


async def test_a_post_is_sent_once_with_its_reference(configured, simcord_bot, clock) -> None:
    w, bot = configured, simcord_bot
    await bot.features.add(Feature(name=TEST_KIND.name, post_kinds=(TEST_KIND,)))
    monday_9 = datetime(2027, 6, 14, 7, 0, tzinfo=UTC)

    await bot.outbox.fire(w.guild.id, "essai", monday_9)
    await bot.outbox.fire(w.guild.id, "essai", monday_9 + timedelta(minutes=1))  # fired twice
    await w.env.settle()

    posted = _posts_in(w.recaps, "Essai 2027-W24")
    assert [m.embeds[0].title for m in posted] == ["Essai 2027-W24 (1)", "Essai 2027-W24 (2)"]
    # The footer members read: the kind's label, the period in words, the part; nothing internal.
    assert [m.embeds[0].footer.text for m in posted] == [
        "Publication d'essai · semaine du 14 juin 2027 · 1/2",
        "Publication d'essai · semaine du 14 juin 2027 · 2/2",
    ]


async def test_a_failed_post_is_retried_later_and_sent_once(configured, simcord_bot, clock, db: Database) -> None:
    w, bot = configured, simcord_bot
    await bot.features.add(Feature(name=TEST_KIND.name, post_kinds=(TEST_KIND,)))
    w.env.inject_error("POST", "/channels/*/messages", status=500, times=None)  # Discord is down

    await bot.outbox.fire(w.guild.id, "essai", clock())
    async with db.transaction() as session:
        post = await outbox_service.get(session, w.guild.id, "essai", "2027-W24")
    assert post.state == FAILED
    assert post.attempts == 1
    assert post.due_at == clock() + timedelta(minutes=1)
    assert _posts_in(w.recaps, "Essai") == []

    await bot.outbox.dispatch_due(clock())  # too early: nothing
    assert _posts_in(w.recaps, "Essai") == []
    w.env.backend.faults.clear()  # Discord is back
    clock.set(clock() + timedelta(minutes=2))
    await bot.outbox.dispatch_due(clock())
    await bot.outbox.dispatch_due(clock())

    assert len(_posts_in(w.recaps, "Essai 2027-W24")) == PARTS
    async with db.transaction() as session:
        post = await outbox_service.get(session, w.guild.id, "essai", "2027-W24")
    assert post.state == SENT
    assert len(outbox_service.parts(post)) == PARTS


@pytest.mark.parametrize(
    "footer",
    [
        "Publication d'essai · semaine du 14 juin 2027 · 1/2",
        "réf. essai-2027-W24 · 1/2",  # posted by an earlier version: still recognised
    ],
)
async def test_a_post_left_sending_is_completed_at_start_without_duplicates(
    configured, simcord_bot, make_bot, clock, db: Database, footer: str
) -> None:
    """The process died after posting part 1 and before recording it."""
    w, bot = configured, simcord_bot
    await bot.features.add(Feature(name=TEST_KIND.name, post_kinds=(TEST_KIND,)))
    async with db.transaction(lock=True) as session:
        post = await outbox_service.enqueue(
            session, w.guild.id, "essai", "2027-W24", channel_id=w.recaps.id, due_at=clock()
        )
        assert await outbox_service.claim(session, post.id, clock())
    # Part 1 reached the channel (as the bot sends it), then the process stopped.
    channel = bot.get_channel(w.recaps.id)
    first = (await _render(bot, post))[0].embeds[0]
    first.set_footer(text=footer)
    await channel.send(embed=first)

    new_bot = make_bot()
    await new_bot.features.add(Feature(name=TEST_KIND.name, post_kinds=(TEST_KIND,)))
    await w.env.restart_bot(new_bot)
    await w.env.settle()

    posted = _posts_in(w.recaps, "Essai 2027-W24")
    assert [m.embeds[0].title for m in posted] == ["Essai 2027-W24 (1)", "Essai 2027-W24 (2)"]
    async with db.transaction() as session:
        post = await outbox_service.get(session, w.guild.id, "essai", "2027-W24")
        assert post.state == SENT
        states = (await session.scalars(select(OutboxPost.state).where(OutboxPost.kind == "essai"))).all()
    assert states == [SENT]


async def test_missed_occurrence_is_caught_up_at_start_once(
    configured, simcord_bot, make_bot, clock, db: Database
) -> None:
    """The bot was down on Monday 9:00; it posts that week's post when it starts."""
    w = configured
    # The schedule was configured the week before.
    async with db.transaction(lock=True) as session:
        await schedules_service.set_schedule(
            session, w.guild.id, TEST_KIND.schedule, now=clock() - timedelta(days=7), weekday=0, hour=9
        )
    clock.set(datetime(2027, 6, 14, 15, 0, tzinfo=UTC))  # Monday 17:00 Paris

    for _ in range(2):  # two restarts: still one post
        new_bot = make_bot()
        await new_bot.features.add(Feature(name=TEST_KIND.name, post_kinds=(TEST_KIND,)))
        await w.env.restart_bot(new_bot)
        await w.env.settle()

    assert len(_posts_in(w.recaps, "Essai 2027-W24")) == PARTS
    async with db.transaction() as session:
        post = await outbox_service.get(session, w.guild.id, "essai", "2027-W24")
    assert post.state == SENT
    assert post.due_at == datetime(2027, 6, 14, 7, 0, tzinfo=UTC)
    # The job is rebuilt from the database (APScheduler reads the wall clock: next Monday 9:00).
    next_time = new_bot.scheduler.next_fire_time(w.guild.id, "essai")
    assert (next_time.weekday(), next_time.hour, next_time.minute) == (0, 9, 0)
    assert str(next_time.tzinfo) == "Europe/Paris"


async def test_config_planning_reschedules_and_says_when(configured, simcord_bot) -> None:
    w, bot = configured, simcord_bot
    await bot.features.add(Feature(name=TEST_KIND.name, post_kinds=(TEST_KIND,)))
    result = await w.coordinator.slash(w.general, "config planning", publication="essai", heure="8h30", jour=2)
    assert result.response.content.startswith(
        "Planning mis à jour\u00a0: **Publication d'essai**, chaque mercredi à 8 h 30."
    )
    assert "Prochaine publication\u00a0: mercredi" in result.response.content
    bad = await w.coordinator.slash(w.general, "config planning", publication="essai", heure="25h")
    assert (
        bad.response.content == "«\u00a025h\u00a0» n'est pas une heure valide. Écrivez par exemple 9h, 9h30 ou 14:00."
    )
    monthly = await w.coordinator.slash(w.general, "config planning", publication="essai", frequence="monthly")
    assert monthly.response.content == "«\u00a0Publication d'essai\u00a0» peut être publiée\u00a0: chaque semaine."
