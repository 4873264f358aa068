"""What the request forms do once submitted: a new request, a session planned, a request
closed with its outcome (the services decide, the thread is brought up to date)."""

from __future__ import annotations

from bot import interactions
from bot.app import PdnBot
from bot.dates import format_when, parse_date, parse_datetime
from bot.interactions import Interaction, reply
from bot.services.requests import lifecycle, parsing
from bot.services.requests import queries as request_queries
from bot.services.requests.rules import Actor
from cogs.requests import _texts as T
from cogs.requests import threads
from cogs.requests._render import rating_view, request_embed


async def actor_of(bot: PdnBot, interaction: Interaction) -> Actor:
    """Who clicks or submits: their id, name, and whether they are the coordination."""
    return Actor(interaction.user.id, interaction.user.display_name, await bot.is_coordinator(interaction))


async def submit_request(
    interaction: Interaction,
    *,
    kind: str,
    mode: str | None,
    subject: str,
    details: str,
    availability: str,
) -> None:
    bot = interaction.client
    async with bot.db.transaction(lock=True) as session:
        request = await lifecycle.create_request(
            session,
            interactions.guild_id(interaction),
            interaction.user.id,
            kind=kind,
            mode=mode,
            subject=subject,
            details=details,
            availability=availability,
            actor_name=interaction.user.display_name,
            now=bot.now(),
        )
        item = await request_queries.view(session, request)
    await interaction.response.defer(ephemeral=True, thinking=True)
    thread_id = await threads.ensure_thread(bot, item)
    if thread_id:
        text = T.CREATED.format(number=request.number, thread=f"<#{thread_id}>")
    else:
        text = T.CREATED_NO_THREAD.format(number=request.number)
        await threads.warn_coordination(bot, request)
    await reply(interaction, text, embed=request_embed(item))


async def submit_schedule(interaction: Interaction, request_id: int, when_text: str) -> None:
    bot = interaction.client
    actor = await actor_of(bot, interaction)
    when = parse_datetime(when_text, now=bot.now())
    async with bot.db.transaction(lock=True) as session:
        request = await lifecycle.schedule(
            session,
            interactions.guild_id(interaction),
            request_id,
            actor,
            when,
            now=bot.now(),
        )
        item = await request_queries.view(session, request)
    await reply(interaction, T.DONE_SCHEDULE.format(number=request.number, when=format_when(when)))
    await threads.publish(bot, item, threads.action_line("schedule", actor.name, when))


async def submit_close(
    interaction: Interaction,
    request_id: int,
    *,
    outcome: str,
    duration: str,
    people: str | None,
    day: str | None = None,
) -> None:
    bot = interaction.client
    actor = await actor_of(bot, interaction)
    minutes = parsing.parse_duration(duration)
    reached = parsing.parse_people(people)
    given_on = parse_date(day, today=bot.today()) if day and day.strip() else None
    async with bot.db.transaction(lock=True) as session:
        request = await lifecycle.close(
            session,
            interactions.guild_id(interaction),
            request_id,
            actor,
            outcome=outcome,
            duration_minutes=minutes,
            people_reached=reached,
            now=bot.now(),
            day=given_on,
        )
        item = await request_queries.view(session, request)
    await reply(interaction, T.DONE_CLOSE.format(number=request.number))
    await threads.publish(
        bot,
        item,
        threads.action_line("close", actor.name),
        rating=item.requester_discord_id is not None and item.requester_discord_id != actor.discord_id,
    )
    if item.requester_discord_id == actor.discord_id:
        await reply(interaction, T.RATE_PROMPT.format(requester=""), view=rating_view(request))
