"""Demo activity log, evaluation surveys and scheduled recaps.

- activities since January of the past year: presentations of the programme (by the
  coordination and by Promeneurs), workshops, school interventions, monthly hours of
  online presence, and the coordination's weekly hours split by territory and "commun";
- the past year's two survey campaigns (closed, with answers), and one open now,
  announced in #annonces with its "Répondre" button;
- in #bilans, last month's summary and the past year's recap (tables, charts, spreadsheet),
  posted by the outbox as on their scheduled day (`seed_recaps`, run after every seeder).

A year of entries is a few hundred rows: the latest ones go through `log_activity` (what
`/activite ajouter` calls); the older ones are inserted in bulk, shaped exactly as that
service writes them, so that the demo starts in a few seconds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import discord

from bot.db.models.activity import (
    COORDINATION,
    ONLINE_PRESENCE,
    PRESENTATION,
    PUBLIC_WORKSHOP,
    SCHOOL,
    Activity,
)
from bot.demo.timeline import at, members, past_year, rng, workday
from bot.interactions import NO_MENTIONS
from bot.services import activity as activity_service
from bot.services import guilds as guilds_service
from bot.services import survey as survey_service
from bot.services.recap import history
from bot.services.survey import NETWORKS, WEEKLY_HOURS, AnswerInput

if TYPE_CHECKING:
    from bot.demo.world import DemoWorld

NOTES = {
    PRESENTATION: (
        "Présentation au conseil d'administration",
        "Présentation aux partenaires du territoire",
        "Réunion des directeurs de centres sociaux",
        None,
    ),
    PUBLIC_WORKSHOP: ("Atelier «\u00a0mes réseaux, mes traces\u00a0»", "Soirée jeux en ligne", None),
    SCHOOL: ("Intervention en classe de 5e", "Forum santé du lycée", None),
}
FAVOURITE_NETWORKS = (
    "Instagram",
    "Snapchat",
    "TikTok",
    "Facebook",
    "Discord",
    "YouTube",
    "WhatsApp",
)


async def seed_activity(world: DemoWorld) -> None:
    bot, guild_id = world.bot, world.guild.id
    today = bot.today()
    people = await members(world)
    promeneurs = {h: m for h, m in people.items() if m.discord_id is not None}
    random = rng("activity")
    first = date(past_year(today), 1, 1)
    recent = today - timedelta(days=10)  # from here on, through the service

    rows: list[Activity] = []
    live: list[tuple[int, str, float, date, str | None, str | None]] = []

    def add(
        member,
        discord_id: int,
        kind: str,
        quantity: float,
        day: date,
        territory: str | None,
        note: str | None = None,
    ) -> None:
        if day > today:
            return
        if day >= recent:
            live.append((discord_id, kind, quantity, day, territory or activity_service.SHARED, note))
            return
        rows.append(
            Activity(
                guild_id=guild_id,
                member_id=member.id if member else None,
                author_discord_id=discord_id,
                kind=kind,
                quantity=quantity,
                occurred_on=day,
                territory_code=territory,
                note=note,
                created_at=at(day, 18),
            )
        )

    # Promeneurs: monthly online presence, and from time to time a presentation, a workshop,
    # a school intervention.
    for handle, member in promeneurs.items():
        territory = world.people[handle].territory
        month = max(first, member.joined_on).replace(day=1)
        while month <= today:
            day = min(month + timedelta(days=27), today)
            if day >= member.joined_on:
                add(
                    member,
                    member.discord_id,
                    ONLINE_PRESENCE,
                    float(random.choice((6, 8, 10, 12, 16))),
                    day,
                    territory,
                    None,
                )
            for kind, chance in ((PRESENTATION, 0.2), (PUBLIC_WORKSHOP, 0.25), (SCHOOL, 0.1)):
                if random.random() < chance:
                    when = workday(month + timedelta(days=random.randint(2, 24)))
                    if when >= member.joined_on:
                        add(
                            member,
                            member.discord_id,
                            kind,
                            float(random.randint(1, 2)) if kind != PRESENTATION else 1.0,
                            when,
                            territory,
                            random.choice(NOTES[kind]),
                        )
            month = (month + timedelta(days=32)).replace(day=1)

    # The coordination: weekly hours by territory and "commun" (its presentations are
    # logged by the Promeneurs who organise them: the coordination has no profile).
    coordinator = world.coordinator.id
    week = first - timedelta(days=first.weekday()) + timedelta(days=4)  # Fridays
    while week <= today:
        if week.isocalendar()[1] not in (1, 32, 33, 52):  # holidays
            for scope, hours in (
                ("63", random.choice((9, 10, 12))),
                ("03", random.choice((6, 7, 8))),
                (None, random.choice((4, 5, 6))),
            ):
                add(None, coordinator, COORDINATION, float(hours), week, scope, None)
        week += timedelta(days=7)

    async with bot.db.transaction() as session:
        session.add_all(rows)
    async with bot.db.transaction() as session:
        for discord_id, kind, quantity, day, where, remark in sorted(live, key=lambda r: r[3]):
            await activity_service.log_activity(
                session,
                guild_id,
                discord_id,
                kind,
                quantity=quantity,
                day=day,
                territory=where,
                note=remark,
                today=today,
                is_coordinator=discord_id == coordinator,
            )

    await _seed_surveys(world, promeneurs, random)
    await _seed_history(world, random)


async def _seed_history(world: DemoWorld, random) -> None:
    """The years before the bot, as the coordination would import them with /bilan
    importer (CSV `annee,territoire,indicateur,valeur,note`): the evolution table then
    covers every year. Head counts are left to the directory (joined dates)."""
    bot = world.bot
    year = past_year(bot.today())
    lines = ["annee,territoire,indicateur,valeur,note"]
    for offset, scale in ((5, 0.4), (4, 0.55), (3, 0.7), (2, 0.8), (1, 0.9)):
        totals: dict[str, float] = {}
        for territory in ("63", "03"):
            base = 1.0 if territory == "63" else 0.7
            remote = round(random.randint(2, 4) * scale * base)
            in_person = round(random.randint(5, 8) * scale * base)
            figures = {
                "presentations": round(random.randint(14, 22) * scale * base),
                "reunions": in_person + remote,
                "reunions_presentiel": in_person,
                "reunions_distanciel": remote,
                "reunions_jours": (in_person + remote) * 0.5 + round(in_person * 0.3),
                "accompagnements": round(random.randint(18, 30) * scale * base),
            }
            for indicator, value in figures.items():
                lines.append(f"{year - offset},{territory},{indicator},{value:g},")
                totals[indicator] = totals.get(indicator, 0) + value
        for indicator, value in totals.items():
            note = "d'après le bilan papier" if indicator == "presentations" and offset == 5 else ""
            lines.append(f"{year - offset},,{indicator},{value:g},{note}")
    async with bot.db.transaction(lock=True) as session:
        await history.import_csv(session, world.guild.id, "\n".join(lines).encode(), now=bot.now())


async def _seed_surveys(world: DemoWorld, promeneurs: dict, random) -> None:
    """Two closed campaigns in the past year (spring and autumn), one open now."""
    bot, guild_id = world.bot, world.guild.id
    today = bot.today()
    year = past_year(today)
    for launched_on, closes_on, share in (
        (date(year, 5, 12), date(year, 6, 13), 0.7),
        (date(year, 11, 3), date(year, 12, 5), 0.8),
    ):
        launched = at(launched_on, 9)
        async with bot.db.transaction(lock=True) as session:
            campaign = await survey_service.launch(
                session, guild_id, closes_on, now=launched, launched_by=world.coordinator.id
            )
            structures = await survey_service.structure_choices(session, guild_id)
            for handle, member in promeneurs.items():
                if member.joined_on > launched_on or random.random() > share:
                    continue
                person = world.people[handle]
                networks = random.sample(FAVOURITE_NETWORKS, random.randint(1, 4))
                await survey_service.answer(
                    session,
                    guild_id,
                    member.discord_id,
                    campaign.id,
                    AnswerInput(
                        audience=random.choice(survey_service.audience_choices(person.strand)[:4]),
                        structure_type=person.structure_type if person.structure_type in structures else "Autre",
                        weekly_hours=random.choice(WEEKLY_HOURS),
                        networks=tuple(n for n in NETWORKS if n in networks),
                    ),
                    now=launched + timedelta(days=random.randint(0, 25), hours=random.randint(1, 9)),
                )

    # The campaign open now, announced as /questionnaire lancer does.
    from cogs.survey.announcement import announcement_message

    launched = bot.now() - timedelta(days=3)
    async with bot.db.transaction(lock=True) as session:
        campaign = await survey_service.launch(
            session,
            guild_id,
            today + timedelta(days=21),
            now=launched,
            launched_by=world.coordinator.id,
        )
        settings = await guilds_service.get_settings(session, guild_id)
        for handle in ("emma", "theo", "chloe"):
            person = world.people[handle]
            await survey_service.answer(
                session,
                guild_id,
                promeneurs[handle].discord_id,
                campaign.id,
                AnswerInput(
                    audience=survey_service.audience_choices(person.strand)[1],
                    structure_type=person.structure_type,
                    weekly_hours=WEEKLY_HOURS[2],
                    networks=("Instagram", "Snapchat"),
                ),
                now=launched + timedelta(days=1),
            )
    announcement = announcement_message(campaign)
    channel = bot.get_channel(settings.announcements_channel_id or 0)
    assert isinstance(channel, discord.abc.Messageable) and announcement.view is not None
    message = await channel.send(embeds=announcement.embeds, view=announcement.view, allowed_mentions=NO_MENTIONS)
    async with bot.db.transaction() as session:
        row = await survey_service.get(session, guild_id, campaign.id)
        row.channel_id, row.message_id = message.channel.id, message.id


async def seed_recaps(world: DemoWorld) -> None:
    """#bilans: the past year's recap (sent in January) and last month's summary (sent on
    the 1st), by the outbox as on their scheduled day; run after every other seeder."""
    bot, guild_id = world.bot, world.guild.id
    today = bot.today()
    for kind, fire in (
        ("year_recap", at(date(today.year, 1, 2), 10)),
        ("monthly_summary", at(today.replace(day=1), 9)),
    ):
        if kind in bot.outbox.kinds and fire <= bot.now():
            await bot.outbox.enqueue(guild_id, kind, fire)
            await bot.outbox.dispatch_due(fire)
