"""Demo events: network sessions held since the start of the past year (registrations,
attendance, a few walk-ins) and upcoming ones announced in #annonces with their buttons,
one of them full with a waitlist.

Past sessions go through the same services as the commands, each step at the instant it
would have happened (created a month before, registrations a week before, attendance
taken after the end); upcoming ones are announced by the events cog's announcer, as
`/evenement creer` does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.db.models.events import (
    ALL,
    CONFERENCE,
    HYBRID,
    IN_PERSON,
    NEWCOMERS,
    ONBOARDING_TRAINING,
    PRACTICE_EXCHANGE,
    PRACTICE_REVIEW,
    REGISTERED,
    REMOTE,
    THEMATIC_TRAINING,
    WELCOME_MEETING,
    EventRegistration,
)
from bot.demo.timeline import at, members, past_year, rng, workday
from bot.services.events import attendance as attendance_service
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events.rules import EventDraft
from cogs.events.announcer import publish

if TYPE_CHECKING:
    from bot.demo.world import DemoWorld

VISIO = "https://visio.example.org/pdn-{slug}"
PLACES = {
    "63": (
        "Maison des associations, 2 rue Gaultier-de-Biauzat, Clermont-Ferrand",
        "Centre social de Cournon, salle Allier",
        "Médiathèque d'Issoire, salle du conseil",
    ),
    "03": (
        "Centre social de Moulins, 8 rue des Tanneries",
        "Maison de l'enfance, Vichy",
        "BIJ de Montluçon, espace jeunes",
    ),
    None: ("Caf du Puy-de-Dôme, Clermont-Ferrand", "Espace Jean-Moulin, Vichy"),
}


@dataclass(frozen=True)
class Session:
    title: str
    type: str
    format: str
    hours: tuple[int, int]  # start and end hour, Paris
    territory: str | None
    capacity: int | None = None


# A year of network sessions, in the spirit of the 2021 activity report: welcome meetings
# and initial trainings for newcomers, practice exchanges and reviews, thematic trainings.
YEAR = (
    Session("Réunion d'accueil des nouveaux Promeneurs", WELCOME_MEETING, REMOTE, (10, 12), None),
    Session("Formation initiale Promeneurs du Net", ONBOARDING_TRAINING, IN_PERSON, (9, 17), "63", 12),
    Session(
        "Échange de pratiques\u00a0: Instagram et les 15-17 ans",
        PRACTICE_EXCHANGE,
        REMOTE,
        (14, 16),
        None,
    ),
    Session("Analyse de la pratique", PRACTICE_REVIEW, IN_PERSON, (9, 12), "03", 10),
    Session("Formation\u00a0: le droit à l'image des mineurs", THEMATIC_TRAINING, HYBRID, (9, 17), None, 20),
    Session("Formation initiale Promeneurs du Net", ONBOARDING_TRAINING, IN_PERSON, (9, 17), "03", 12),
    Session(
        "Échange de pratiques\u00a0: parler d'écrans avec les parents",
        PRACTICE_EXCHANGE,
        IN_PERSON,
        (9, 12),
        "63",
        15,
    ),
    Session("Analyse de la pratique", PRACTICE_REVIEW, IN_PERSON, (14, 17), "63", 10),
    Session("Conférence\u00a0: jeunes, jeux vidéo et sociabilités", CONFERENCE, HYBRID, (18, 20), None, 60),
    Session("Formation\u00a0: repérer le cyberharcèlement", THEMATIC_TRAINING, REMOTE, (9, 12), None, 25),
    Session("Échange de pratiques\u00a0: Discord avec les ados", PRACTICE_EXCHANGE, REMOTE, (14, 16), None),
    Session("Analyse de la pratique", PRACTICE_REVIEW, HYBRID, (9, 12), "03", 10),
)


async def seed_events(world: DemoWorld) -> None:
    bot, guild_id = world.bot, world.guild.id
    now, today = bot.now(), bot.today()
    people = await members(world)
    promeneurs = {h: m for h, m in people.items() if m.discord_id is not None}
    random = rng("events")

    # -- past sessions: from January of the past year to last week -----------------------
    first = date(past_year(today), 1, 1)
    day, index = workday(first + timedelta(days=16)), 0
    async with bot.db.transaction(lock=True) as session:
        while day < today - timedelta(days=6):
            spec = YEAR[index % len(YEAR)]
            index += 1
            starts, ends = at(day, spec.hours[0]), at(day, spec.hours[1])
            place = random.choice(PLACES[spec.territory]) if spec.format != REMOTE else None
            event = await events_service.create_event(
                session,
                guild_id,
                EventDraft(
                    title=spec.title,
                    type=spec.type,
                    starts_at=starts,
                    ends_at=ends,
                    format=spec.format,
                    place=place,
                    link=VISIO.format(slug=index) if spec.format != IN_PERSON else None,
                    territory=spec.territory,
                    capacity=spec.capacity,
                    audience=ALL,
                    description="Temps de réseau de la démonstration.",
                ),
                now=starts - timedelta(days=30),
                created_by=world.coordinator.id,
            )
            eligible = [
                m
                for h, m in promeneurs.items()
                if m.joined_on <= day
                and (spec.territory is None or world.people[h].territory == spec.territory)
                and (
                    spec.type not in (ONBOARDING_TRAINING, WELCOME_MEETING) or m.joined_on >= day - timedelta(days=400)
                )
            ]
            wanted = min(len(eligible), spec.capacity or 12, random.randint(4, 11))
            if spec.type in (ONBOARDING_TRAINING, WELCOME_MEETING):
                wanted = min(len(eligible), random.randint(2, 5))
            chosen = random.sample(eligible, wanted)
            after = ends + timedelta(hours=1)
            # Registered a week before, attendance taken after the end: the rows that
            # `regs.register` then `attendance_service.set_attendance` write, inserted at once (a year of
            # them one by one would slow the demo's start).
            session.add_all(
                EventRegistration(
                    guild_id=guild_id,
                    event_id=event.id,
                    member_id=member.id,
                    status=REGISTERED,
                    position=position,
                    attended=random.random() < 0.85,
                    created_at=starts - timedelta(days=7, hours=position),
                    updated_at=after,
                )
                for position, member in enumerate(chosen, start=1)
            )
            await session.flush()
            if spec.territory != "03" and random.random() < 0.3:
                await attendance_service.add_walk_in(session, guild_id, event.id, people["raphael"].id, now=after)
            day = workday(day + timedelta(days=random.choice((12, 14, 17, 19, 21))))

    # -- upcoming sessions, announced in #annonces ----------------------------------------
    soon = [
        (
            EventDraft(
                title="Analyse de la pratique (Allier)",
                type=PRACTICE_REVIEW,
                starts_at=at(workday(today + timedelta(days=30)), 9, 30),
                ends_at=at(workday(today + timedelta(days=30)), 12, 0),
                format=HYBRID,
                place=PLACES["03"][0],
                link=VISIO.format(slug="analyse-03"),
                territory="03",
                capacity=10,
                registration_deadline=at(workday(today + timedelta(days=26)), 18),
                description="Un temps pour relire ensemble des situations vécues en ligne, "
                "avec une psychologue. Confidentialité des échanges.",
            ),
            ("emma", "louis", "chloe", "adam", "arthur"),
        ),
        (
            EventDraft(
                title="Réunion d'accueil des nouveaux Promeneurs",
                type=WELCOME_MEETING,
                starts_at=at(workday(today + timedelta(days=22)), 10),
                ends_at=at(workday(today + timedelta(days=22)), 11, 30),
                format=REMOTE,
                link=VISIO.format(slug="accueil"),
                audience=NEWCOMERS,
                description="Présentation du dispositif, du réseau et du serveur Discord.",
            ),
            ("jules", "gabriel"),
        ),
        (
            EventDraft(
                title="Échange de pratiques\u00a0: TikTok et les 11-14 ans",
                type=PRACTICE_EXCHANGE,
                starts_at=at(workday(today + timedelta(days=15)), 14),
                ends_at=at(workday(today + timedelta(days=15)), 16),
                format=REMOTE,
                link=VISIO.format(slug="tiktok"),
                description="Chacun apporte une situation ou un outil. Ouvert aux deux volets.",
            ),
            ("camille", "hugo", "jade", "emma", "nathan", "sarah", "adam"),
        ),
        (
            EventDraft(
                title="Formation initiale Promeneurs du Net",
                type=ONBOARDING_TRAINING,
                starts_at=at(workday(today + timedelta(days=9)), 9, 30),
                ends_at=at(workday(today + timedelta(days=9)), 16, 30),
                format=IN_PERSON,
                place=PLACES["63"][0],
                territory="63",
                capacity=6,
                description="La journée de formation des nouveaux Promeneurs\u00a0: cadre, posture "
                "éducative en ligne, outils. Repas tiré du sac.",
            ),
            ("jules", "sarah", "nathan", "hugo", "lea", "manon", "gabriel", "louise"),
        ),
    ]
    created = []
    async with bot.db.transaction(lock=True) as session:
        for draft, who in soon:
            event = await events_service.create_event(
                session,
                guild_id,
                draft,
                now=now - timedelta(days=3),
                created_by=world.coordinator.id,
            )
            for handle in who:
                await regs.register(session, guild_id, event.id, promeneurs[handle].discord_id, now=now)
            created.append(event)
    for event in created:
        await publish(bot, event)
