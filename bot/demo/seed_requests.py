"""Demo accompaniment requests: a past year of requests followed to their end (claimed,
sometimes scheduled, closed with an outcome and rated, a few cancelled), help recorded
outside Discord, and this week's requests in their private threads of #demandes: open,
taken in charge, scheduled, closed, cancelled.

Each step goes through the requests service at the instant it would have happened; the
recent requests' threads are made and updated by the requests feature (`cogs.requests.threads`),
as after a click."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.db.models.requests import COANIMATION, INDIVIDUAL, ON_SITE, PHONE, PROJECT, TEAM, VISIO
from bot.demo.people import COORDINATOR
from bot.demo.timeline import at, members, past_year, rng, workday
from bot.services.requests import lifecycle
from bot.services.requests import queries as request_queries
from bot.services.requests.rules import Actor
from cogs.requests import threads

if TYPE_CHECKING:
    from bot.demo.world import DemoWorld


@dataclass(frozen=True)
class Need:
    kind: str
    mode: str | None
    subject: str
    details: str
    outcome: str
    minutes: int
    people: int | None = None


NEEDS = (
    Need(
        INDIVIDUAL,
        VISIO,
        "Créer une page Instagram pour la structure",
        "Je voudrais ouvrir un compte professionnel Instagram pour le service\u00a0: par où commencer\u00a0?",
        "Compte professionnel créé ensemble, paramètres de confidentialité revus, charte d'usage envoyée.",
        60,
    ),
    Need(
        INDIVIDUAL,
        PHONE,
        "Paramétrer un compte TikTok professionnel",
        "Les jeunes de l'accueil sont surtout sur TikTok. Comment y être présent sans compte perso\u00a0?",
        "Compte créé, réglages des messages et des duos expliqués, idées de premiers contenus.",
        45,
    ),
    Need(
        TEAM,
        ON_SITE,
        "Présenter la présence éducative en ligne à l'équipe",
        "Toute l'équipe d'animation voudrait comprendre la démarche avant de se lancer.",
        "Séance de deux heures avec l'équipe\u00a0: cadre, posture, exemples de situations.",
        120,
        6,
    ),
    Need(
        PROJECT,
        VISIO,
        "Projet de websérie avec des jeunes",
        "Un groupe de jeunes veut tourner une websérie sur le harcèlement\u00a0: besoin d'un regard.",
        "Points juridiques (droit à l'image, autorisations parentales) et calendrier revus.",
        90,
    ),
    Need(
        COANIMATION,
        ON_SITE,
        "Co-animer un atelier parents sur les écrans",
        "Atelier prévu pour les parents de l'école\u00a0: pouvez-vous co-animer la soirée\u00a0?",
        "Atelier co-animé, 18 parents présents, support partagé avec le centre social.",
        150,
        18,
    ),
    Need(
        INDIVIDUAL,
        VISIO,
        "Gérer un commentaire inquiétant sous une publication",
        "Un jeune a laissé un commentaire qui m'inquiète. Comment réagir et à qui en parler\u00a0?",
        "Conduite à tenir revue, contact avec l'infirmière scolaire, trace écrite conseillée.",
        30,
    ),
    Need(
        TEAM,
        VISIO,
        "Mettre en place un serveur Discord pour l'accueil jeunes",
        "L'équipe hésite entre Discord et un groupe WhatsApp pour garder le lien l'été.",
        "Comparatif fait, serveur Discord créé avec des salons modérés, rôles expliqués.",
        90,
        4,
    ),
)
CANCEL_NOTE = "Finalement réglé en interne."


async def seed_requests(world: DemoWorld) -> None:
    bot, guild_id = world.bot, world.guild.id
    now, today = bot.now(), bot.today()
    people = await members(world)
    requesters = [h for h, m in people.items() if m.discord_id is not None]
    coordinator = Actor(world.coordinator.id, COORDINATOR[1], True)
    random = rng("requests")

    def actor(handle: str) -> Actor:
        return Actor(people[handle].discord_id, people[handle].display_name, False)

    # -- the past: from January of the past year to two weeks ago ---------------------------
    day = workday(date(past_year(today), 1, 8))
    async with bot.db.transaction(lock=True) as session:
        while day < today - timedelta(days=14):
            handle = random.choice([h for h in requesters if people[h].joined_on <= day])
            need = random.choice(NEEDS)
            asked = at(day, random.randint(9, 17), random.choice((0, 15, 30, 45)))
            request = await lifecycle.create_request(
                session,
                guild_id,
                people[handle].discord_id,
                kind=need.kind,
                mode=need.mode,
                subject=need.subject,
                details=need.details,
                availability="En semaine, plutôt l'après-midi",
                actor_name=people[handle].display_name,
                now=asked,
            )
            if random.random() < 0.1:
                await lifecycle.cancel(session, guild_id, request.id, actor(handle), now=asked + timedelta(days=1))
            else:
                claimed = asked + timedelta(hours=random.randint(2, 40))
                await lifecycle.claim(session, guild_id, request.id, coordinator, now=claimed)
                done = claimed + timedelta(days=random.randint(1, 6))
                if need.mode != PHONE:
                    await lifecycle.schedule(session, guild_id, request.id, coordinator, done, now=claimed)
                await lifecycle.close(
                    session,
                    guild_id,
                    request.id,
                    coordinator,
                    outcome=need.outcome,
                    duration_minutes=need.minutes,
                    people_reached=need.people,
                    now=done + timedelta(hours=2),
                )
                if random.random() < 0.6:
                    await lifecycle.rate(
                        session,
                        guild_id,
                        request.id,
                        actor(handle),
                        random.choice((4, 5, 5)),
                        now=done + timedelta(hours=5),
                    )
            day = workday(day + timedelta(days=random.randint(10, 20)))

        # help given outside Discord, recorded by the coordination (offline people included)
        day = workday(date(past_year(today), 2, 3))
        while day < today - timedelta(days=7):
            handle = random.choice([h for h, m in people.items() if m.joined_on <= day])
            team = random.random() < 0.4
            await lifecycle.record_offline(
                session,
                guild_id,
                people[handle].id,
                kind=TEAM if team else INDIVIDUAL,
                mode=ON_SITE if team else PHONE,
                day=day,
                outcome="Aide donnée par téléphone\u00a0: réglages de confidentialité et modération."
                if not team
                else "Intervention sur place auprès de l'équipe\u00a0: charte et premiers pas.",
                duration_minutes=90 if team else 30,
                people_reached=random.randint(3, 8) if team else None,
                actor=coordinator,
                today=day,
                now=at(day, 17),
            )
            day = workday(day + timedelta(days=random.randint(20, 40)))

    # -- this week, in their private threads of #demandes -----------------------------------
    recent = (
        # (requester, need, days ago, what happened since)
        ("emma", NEEDS[4], 6, "done"),
        ("adam", NEEDS[1], 5, "cancelled"),
        ("ines", NEEDS[2], 4, "claimed"),
        ("camille", NEEDS[1], 2, "scheduled"),
        ("theo", NEEDS[0], 1, "open"),
    )
    for handle, need, days_ago, state in recent:
        asked = now - timedelta(days=days_ago, hours=2)
        async with bot.db.transaction(lock=True) as session:
            request = await lifecycle.create_request(
                session,
                guild_id,
                people[handle].discord_id,
                kind=need.kind,
                mode=need.mode,
                subject=need.subject,
                details=need.details,
                availability="Mardi ou jeudi après-midi",
                actor_name=people[handle].display_name,
                now=asked,
            )
            item = await request_queries.view(session, request)
        await threads.ensure_thread(bot, item)
        if state == "cancelled":
            async with bot.db.transaction(lock=True) as session:
                request = await lifecycle.cancel(
                    session, guild_id, request.id, actor(handle), now=asked + timedelta(hours=20)
                )
                item = await request_queries.view(session, request)
            await threads.publish(bot, item, threads.action_line("cancel", people[handle].display_name))
            continue
        if state == "open":
            continue
        async with bot.db.transaction(lock=True) as session:
            request = await lifecycle.claim(session, guild_id, request.id, coordinator, now=asked + timedelta(hours=3))
            item = await request_queries.view(session, request)
        await threads.publish(
            bot, item, threads.action_line("claim", coordinator.name), add_user=coordinator.discord_id
        )
        if state in ("scheduled", "done"):
            when = (
                at(workday((now + timedelta(days=2)).date()), 14) if state == "scheduled" else asked + timedelta(days=3)
            )
            async with bot.db.transaction(lock=True) as session:
                request = await lifecycle.schedule(
                    session, guild_id, request.id, coordinator, when, now=asked + timedelta(hours=4)
                )
                item = await request_queries.view(session, request)
            await threads.publish(bot, item, threads.action_line("schedule", coordinator.name, when))
        if state == "done":
            async with bot.db.transaction(lock=True) as session:
                request = await lifecycle.close(
                    session,
                    guild_id,
                    request.id,
                    coordinator,
                    outcome=need.outcome,
                    duration_minutes=need.minutes,
                    people_reached=need.people,
                    now=asked + timedelta(days=3, hours=3),
                )
                item = await request_queries.view(session, request)
            await threads.publish(bot, item, threads.action_line("close", coordinator.name), rating=True)
