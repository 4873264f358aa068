"""Demo watch (veille): last week's links, published as a numbered digest in #veille by the
outbox (as on Monday morning), and this week's links waiting in the draft with an
editorial, for `/veille brouillon`. Links point to reserved example domains."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.demo.timeline import at, members, rng
from bot.services.watch import digests as watch_digests
from bot.services.watch import draft as watch_draft
from bot.services.watch import items as watch_items

if TYPE_CHECKING:
    from bot.demo.world import DemoWorld

NEWS, EVENT, STUDY, PROJECT, TOOL = (
    "Actualité du numérique",
    "Événement sur le territoire",
    "Étude / synthèse",
    "Projet de Promeneur",
    "Ressource / outil",
)

# (who, url, title, category, comment)
Link = tuple[str, str, str | None, str | None, str | None]
LAST_WEEK: tuple[Link, ...] = (
    (
        "theo",
        "https://info-jeunes.example.org/actus/snapchat-nouvelle-carte",
        "Snapchat\u00a0: ce qui change avec la nouvelle carte",
        NEWS,
        "À expliquer aux 11-14 ans.",
    ),
    (
        "ines",
        "https://parents.example.org/guides/ecrans-0-6-ans",
        "Écrans et tout-petits\u00a0: le guide pour les parents",
        TOOL,
        None,
    ),
    (
        "emma",
        "https://vichy-jeunesse.example.org/agenda/semaine-numerique",
        "Semaine du numérique à Vichy\u00a0: le programme",
        EVENT,
        "Stand des Promeneurs le samedi.",
    ),
    (
        "claire",
        "https://observatoire.example.net/etudes/ados-et-reseaux-2026",
        "Ados et réseaux sociaux\u00a0: les chiffres de l'année",
        STUDY,
        None,
    ),
    (
        "hugo",
        "https://mediatheque-ambert.example.org/projets/podcast-jeunes",
        "Le podcast des jeunes de la médiathèque d'Ambert",
        PROJECT,
        "Premier épisode en ligne\u00a0!",
    ),
)
THIS_WEEK: tuple[Link, ...] = (
    (
        "camille",
        "https://outils.example.com/canva-pour-les-assos",
        "Réaliser ses visuels avec un outil gratuit\u00a0: tutoriel pas à pas",
        TOOL,
        None,
    ),
    (
        "lucas",
        "https://cnil-jeunes.example.org/fiches/droit-a-l-image",
        "Droit à l'image des mineurs\u00a0: la fiche pratique",
        TOOL,
        "Utile avant chaque publication photo.",
    ),
    (
        "jade",
        "https://montlucon.example.org/actus/tournoi-esport-solidaire",
        "Tournoi e-sport solidaire au BIJ de Montluçon",
        EVENT,
        None,
    ),
    (
        "chloe",
        "https://famille.example.net/etudes/parents-et-reseaux",
        "Parents et réseaux sociaux\u00a0: synthèse d'une enquête nationale",
        STUDY,
        None,
    ),
    (
        "manon",
        "https://actu-numerique.example.com/2026/tiktok-limite-temps",
        "TikTok généralise la limite de temps pour les mineurs",
        NEWS,
        None,
    ),
    (
        "arthur",
        "https://actu-numerique.example.com/2026/discord-controle-parental",
        "Discord\u00a0: un nouveau centre famille pour les parents",
        NEWS,
        "À relayer aux familles.",
    ),
    (
        "louise",
        "https://rpe-cusset.example.org/projets/blog-des-assistantes-maternelles",
        "Le blog des assistantes maternelles de Cusset",
        PROJECT,
        None,
    ),
    (
        "lea",
        "https://famille.example.net/etudes/parents-et-reseaux",
        None,
        None,
        "Je le partage aussi\u00a0!",
    ),
)
# Earlier digests (archives, monthly figures): (category, title, site)
EARLIER = (
    (
        NEWS,
        "Instagram change ses règles pour les comptes adolescents",
        "actu-numerique.example.com",
    ),
    (NEWS, "Ce que les jeunes regardent vraiment sur YouTube", "actu-numerique.example.com"),
    (TOOL, "Un kit pour animer un atelier sur les fausses informations", "outils.example.com"),
    (TOOL, "Modérer un serveur Discord\u00a0: la check-list", "outils.example.com"),
    (
        STUDY,
        "Le baromètre annuel des pratiques numériques des 12-17 ans",
        "observatoire.example.net",
    ),
    (STUDY, "Parentalité et numérique\u00a0: ce que disent les familles", "famille.example.net"),
    (EVENT, "Forum des métiers du numérique à Clermont-Ferrand", "clermont.example.org"),
    (EVENT, "Journée «\u00a0Parents, écrans et sommeil\u00a0» à Moulins", "moulins.example.org"),
    (
        PROJECT,
        "Un escape game sur le cyberharcèlement créé par des collégiens",
        "projets.example.org",
    ),
    (PROJECT, "La radio web de l'espace jeunes de Gannat", "projets.example.org"),
)
EDITORIAL = (
    "Bonjour à toutes et à tous\u00a0! Cette semaine, beaucoup de liens autour des parents et des "
    "écrans\u00a0: de quoi préparer les ateliers de l'hiver. Merci à chacun pour vos partages."
)


async def seed_watch(world: DemoWorld) -> None:
    bot, guild_id = world.bot, world.guild.id
    now = bot.now()
    people = await members(world)
    random = rng("watch")

    def who(handle: str) -> tuple[int, str]:
        if handle == "claire":
            return world.coordinator.id, "Claire (coordination)"
        return people[handle].discord_id, people[handle].display_name

    # Last Monday 9:00 (Paris), when the weekly digest goes out by default.
    today = bot.today()
    monday = today - timedelta(days=today.weekday())
    fire = at(monday, 9)
    if fire > now:
        monday -= timedelta(days=7)
        fire = at(monday, 9)

    # Ten weeks of earlier digests, made and dated as the Monday posts made them (their
    # messages are not replayed in #veille: only the last one is).
    handles = [h for h, m in people.items() if m.discord_id is not None]
    async with bot.db.transaction(lock=True) as session:
        for weeks in range(11, 1, -1):
            monday_k = monday - timedelta(days=7 * weeks)
            for n, (earlier_category, earlier_title, site) in enumerate(random.sample(EARLIER, random.randint(3, 5))):
                handle = random.choice(handles)
                await watch_items.add_link(
                    session,
                    guild_id,
                    url=f"https://{site}/{monday_k:%Y/%m/%d}/article-{n + 1}",
                    discord_id=people[handle].discord_id,
                    display_name=people[handle].display_name,
                    now=at(monday_k - timedelta(days=random.randint(1, 6)), random.randint(9, 18)),
                    category=earlier_category,
                    title=earlier_title,
                )
            period = watch_digests.schedule_period(at(monday_k, 9), watch_digests.DEFAULT_SCHEDULE)
            await watch_digests.prepare_digest(session, guild_id, period, today=monday_k)
            await watch_digests.mark_published(session, guild_id, period, at(monday_k, 9))

    async with bot.db.transaction(lock=True) as session:
        for handle, url, title, category, comment in LAST_WEEK:
            discord_id, name = who(handle)
            when = fire - timedelta(days=random.randint(1, 6), hours=random.randint(0, 8))
            await watch_items.add_link(
                session,
                guild_id,
                url=url,
                discord_id=discord_id,
                display_name=name,
                now=when,
                category=category,
                comment=comment,
                title=title,
            )
    await bot.outbox.enqueue(guild_id, watch_digests.KIND, fire)
    await bot.outbox.dispatch_due(fire)  # the digest kind marks it published when sent

    span = max((now - fire).total_seconds(), 3600.0)
    async with bot.db.transaction(lock=True) as session:
        for index, (handle, url, title, category, comment) in enumerate(THIS_WEEK):
            discord_id, name = who(handle)
            when = fire + timedelta(seconds=span * (index + 1) / (len(THIS_WEEK) + 1))
            await watch_items.add_link(
                session,
                guild_id,
                url=url,
                discord_id=discord_id,
                display_name=name,
                now=min(when, now),
                category=category,
                comment=comment,
                title=title,
            )
        draft = await watch_draft.draft_items(session, guild_id)
        featured = next(i for i in draft.items if "Droit à l'image" in (i.title or ""))
        await watch_items.toggle_featured(session, guild_id, featured.id)
        await watch_draft.set_editorial(session, guild_id, EDITORIAL)
