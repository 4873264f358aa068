"""/evenement through SimCord, with the real bot: create → announce → register by button and
by command → waitlist → withdrawal promotes (DM, or a mention when DMs are closed) →
coalesced count edits → reminders → attendance; restarts, refusals and faults."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.dates import parse_datetime
from bot.db import Database
from bot.db.models.events import Event, EventRegistration
from tests.conftest import cancel_event

CREATE = dict(
    titre="Démarrer et progresser sur les réseaux sociaux",
    type="thematic_training",
    debut="22/06/2027 9h30",
    fin="16h30",
    format="in_person",
    lieu="Centre social, Riom",
    territoire="63",
    capacite=2,
    description="Une journée pour prendre en main Instagram et TikTok.",
)


def text(result) -> str:
    """What the user reads: the response, or the follow-up after a defer."""
    if result.followups:
        return result.followups[-1].content
    return result.response.content


def embeds(result):
    if result.followups:
        return result.followups[-1].embeds
    return result.response.embeds


def announcement(w):
    posted = [m for m in w.announcements.history() if m.embeds and m.components]
    assert posted, "no announcement"
    return posted[-1]


def field(embed, name: str) -> str:
    return {f.name: f.value for f in embed.fields}[name]


async def _event_id(db: Database) -> int:
    async with db.transaction() as session:
        return (await session.scalars(select(Event.id).order_by(Event.id.desc()))).first()


async def test_create_announce_register_waitlist_promote(profiles, db: Database, env) -> None:
    w = profiles
    carol = w.guild.add_member(w.env.create_user("carol", global_name="Carol Petit"), roles=[w.promeneur_role])
    await carol.slash(w.general, "profil modifier", territoire="03", volet="youth", arrivee="01/01/2027")

    created = await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    assert created.ephemeral
    assert text(created).startswith("Événement **Démarrer et progresser sur les réseaux sociaux** créé.")
    assert f"Annonce publiée dans <#{w.announcements.id}>" in text(created)

    message = announcement(w)
    embed = message.embeds[0]
    assert embed.title == "Démarrer et progresser sur les réseaux sociaux"
    assert embed.author.name == "Formation thématique"
    assert field(embed, "Quand") == "Mardi 22 juin 2027\nde 9 h 30 à 16 h 30"
    assert field(embed, "Durée") == "une journée"
    assert field(embed, "Territoire") == "63 Puy-de-Dôme"
    assert field(embed, "Inscriptions") == "0/2 inscrits"
    assert [a.filename for a in message.attachments] == ["evenement-1.ics"]
    ics = (await message.attachments[0].read()).decode()
    assert "SUMMARY:Démarrer et progresser sur les réseaux sociaux" in ics
    assert "DTSTART:20270622T073000Z" in ics

    by_button = await w.alice.click(message, label="S'inscrire")
    assert by_button.ephemeral
    assert text(by_button) == (
        "C'est noté\u00a0: vous êtes inscrit·e à **Démarrer et progresser sur les réseaux sociaux** "
        "(mardi 22 juin 2027 à 9 h 30)."
    )
    await w.env.settle()
    assert field(announcement(w).embeds[0], "Inscriptions") == "1/2 inscrits"

    choices = await w.bob.autocomplete(w.general, "evenement inscrire", "evenement", "réseaux")
    assert choices == [{"name": "Démarrer et progresser sur les réseaux sociaux · 22/06/2027", "value": "1"}]
    by_command = await w.bob.slash(w.general, "evenement inscrire", evenement="1")
    assert "vous êtes inscrit·e" in text(by_command)
    waitlisted = await carol.click(message, label="S'inscrire")
    assert text(waitlisted) == (
        "L'événement **Démarrer et progresser sur les réseaux sociaux** est complet\u00a0: vous êtes "
        "sur la liste d'attente, en position 1. Vous serez prévenu·e si une place se libère."
    )
    twice = await w.alice.click(message, label="S'inscrire")
    assert text(twice) == "Vous êtes déjà inscrit·e à cet événement."

    await w.env.advance_time(5)  # the coalesced edit
    assert field(announcement(w).embeds[0], "Inscriptions") == "2/2 inscrits · 1 en liste d'attente"

    mine = await carol.slash(w.general, "evenement mes-inscriptions")
    assert embeds(mine)[0].description == (
        "⏳ **Démarrer et progresser sur les réseaux sociaux** · mardi 22 juin 2027 à 9 h 30 · "
        "liste d'attente, position 1"
    )

    left = await w.bob.click(message, label="Se désinscrire")
    assert text(left) == "Vous êtes désinscrit·e de **Démarrer et progresser sur les réseaux sociaux**."
    dm = carol.user.dm_channel.last_message
    assert dm.content.startswith("Bonne nouvelle\u00a0: une place s'est libérée pour **Démarrer")
    await w.env.advance_time(5)
    assert field(announcement(w).embeds[0], "Inscriptions") == "2/2 inscrits · complet"
    async with db.transaction() as session:
        rows = (
            (await session.execute(select(EventRegistration.status).order_by(EventRegistration.position)))
            .scalars()
            .all()
        )
    assert rows == ["registered", "withdrawn", "registered"]

    seen = await w.coordinator.slash(w.general, "evenement presences", evenement="1")  # the change
    assert field(embeds(seen)[0], "Inscrits (2)") == "1. Alice Martin\n2. Carol Petit"
    assert field(embeds(seen)[0], "Liste d'attente (0)") == "Personne pour l'instant."


async def _promeneurs(w, count: int, *, start: int = 0):
    people = []
    for i in range(start, start + count):
        member = w.guild.add_member(
            w.env.create_user(f"pdn{i:02d}", global_name=f"Promeneur {i:02d}"), roles=[w.promeneur_role]
        )
        await member.slash(w.general, "profil modifier", territoire="63", volet="youth", arrivee="01/01/2025")
        people.append(member)
    return people


async def test_closed_dms_fall_back_to_a_mention_in_the_channel(profiles) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **{**CREATE, "capacite": 1})
    message = announcement(w)
    await w.alice.click(message, label="S'inscrire")
    await w.bob.click(message, label="S'inscrire")  # waitlisted
    w.env.inject_error(
        "POST",
        f"/channels/{w.bob.user.dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
        times=None,
    )
    left = await w.alice.slash(w.general, "evenement desinscrire", evenement="1")
    assert "désinscrit·e" in text(left)
    fallback = w.announcements.last_message
    assert fallback.content.startswith(f"<@{w.bob.id}>\u00a0: une place s'est libérée pour **Démarrer")
    assert "vos messages privés sont fermés" in fallback.content
    assert w.bob.user.dm_channel.history() == []


async def test_a_burst_of_clicks_is_coalesced_into_few_edits(profiles, env) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **{**CREATE, "capacite": 20})
    message = announcement(w)
    people = await _promeneurs(w, 6)

    def edits() -> int:
        return sum(
            1
            for r in env.http_requests
            if r.method == "PATCH" and r.path == f"/channels/{w.announcements.id}/messages/{message.id}"
        )

    for person in people:
        await person.click(message, label="S'inscrire")
    assert edits() == 1  # the first click at once; the 5 others wait for the cooldown
    assert field(announcement(w).embeds[0], "Inscriptions") == "1/20 inscrits"
    await env.advance_time(5)
    assert edits() == 2
    assert field(announcement(w).embeds[0], "Inscriptions") == "6/20 inscrits"
    await env.advance_time(30)
    assert edits() == 2  # nothing more to say


async def test_buttons_work_after_a_restart_and_a_deleted_announcement_loses_nothing(
    profiles, make_bot, db: Database
) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    message = announcement(w)
    await w.env.restart_bot(make_bot())
    after = await w.alice.click(message, label="S'inscrire")
    assert "vous êtes inscrit·e" in text(after)
    await w.env.settle()
    assert field(announcement(w).embeds[0], "Inscriptions") == "1/2 inscrits"

    bot = w.env.bot
    await bot.get_channel(w.announcements.id).get_partial_message(message.id).delete()
    by_command = await w.bob.slash(w.general, "evenement inscrire", evenement="1")
    assert "vous êtes inscrit·e" in text(by_command)
    await w.env.advance_time(5)  # the coalesced edit meets the deleted message
    async with db.transaction() as session:
        event = await session.get(Event, 1)
        statuses = (await session.scalars(select(EventRegistration.status))).all()
    assert statuses == ["registered", "registered"]
    assert event.announcement_message_id is None  # forgotten, not retried forever
    listing = await w.alice.slash(w.general, "evenement liste")
    assert "2/2 inscrits · complet" in embeds(listing)[0].description


async def test_reminders_24h_and_1h_once_with_the_visio_link(profiles, simcord_bot, clock) -> None:
    w = profiles
    await w.coordinator.slash(
        w.general,
        "evenement creer",
        titre="Réunion d'accueil des nouveaux Promeneurs",
        type="welcome_meeting",
        debut="22/06/2027 14h",
        fin="15h30",
        format="remote",
        lien="https://visio.example.org/accueil",
        territoire="commun",
    )
    await w.alice.slash(w.general, "evenement inscrire", evenement="1")
    await w.bob.slash(w.general, "evenement inscrire", evenement="1")
    await w.bob.slash(w.general, "evenement desinscrire", evenement="1")
    cog = simcord_bot.get_cog("Events")

    def dms(member) -> list[str]:
        return [m.content for m in member.user.dm_channel.history() if m.content.startswith("Rappel")]

    clock.set(parse_datetime("21/06/2027 13h30"))
    await cog.reminder_job()
    assert dms(w.alice) == []
    clock.set(parse_datetime("21/06/2027 14h01"))
    await cog.reminder_job()
    await cog.reminder_job()  # run twice: sent once
    assert dms(w.alice) == [
        "Rappel\u00a0: **Réunion d'accueil des nouveaux Promeneurs** commence le mardi 22 juin 2027 à "
        "14 h.\nLien de visio\u00a0: https://visio.example.org/accueil"
    ]
    clock.set(parse_datetime("22/06/2027 13h05"))
    await cog.reminder_job()
    clock.set(parse_datetime("22/06/2027 13h06"))
    await cog.reminder_job()
    assert len(dms(w.alice)) == 2
    assert dms(w.bob) == []  # withdrawn


async def test_attendance_paged_with_walk_ins(profiles, clock, db: Database) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **{**CREATE, "capacite": 40})
    people = await _promeneurs(w, 30)
    for person in people:
        await person.slash(w.general, "evenement inscrire", evenement="1")
    early = await w.coordinator.slash(w.general, "evenement presences", evenement="1")
    listing = embeds(early)[0]  # before the day: who comes, in order
    assert listing.title == "Inscrits · Démarrer et progresser sur les réseaux sociaux"
    assert listing.description == "30/40 inscrits"
    assert field(listing, "Inscrits (30)").splitlines()[:2] == ["1. Promeneur 00", "2. Promeneur 01"]
    assert field(listing, "Liste d'attente (0)") == "Personne pour l'instant."
    assert listing.footer.text == (
        "Les présences se saisissent ici une fois l'événement commencé (mardi 22 juin 2027 à 9 h 30)."
    )
    assert early.response.components == []

    clock.set(parse_datetime("22/06/2027 17h"))
    assert await w.alice.autocomplete(w.general, "evenement presences", "evenement", "") == []
    choices = await w.coordinator.autocomplete(w.general, "evenement presences", "evenement", "")
    assert [c["value"] for c in choices] == ["1"]
    refused = await w.alice.slash(w.general, "evenement presences", evenement="1")
    assert "réservée à la coordination" in text(refused)

    sheet = await w.coordinator.slash(w.general, "evenement presences", evenement="1")
    embed = embeds(sheet)[0]
    assert embed.title == "Présences · Démarrer et progresser sur les réseaux sociaux"
    assert embed.footer.text.startswith("Cochez les personnes présentes dans la liste (page 1/2)")
    assert len(embed.description.splitlines()) == 25
    message = sheet.response.message
    async with db.transaction() as session:
        from bot.db.models import Member

        ids = {m.display_name: m.id for m in (await session.scalars(select(Member))).all()}
    present_page1 = [str(ids[f"Promeneur {i:02d}"]) for i in range(0, 20)]
    chosen = await w.coordinator.select(message, present_page1, custom_id="events:attendance:1:0")
    summary = field(chosen.response.embeds[0], "Bilan")
    assert summary == (
        "**20** présent·es · **5** absent·es · 5 non pointé·es · 0 sans inscription · "
        "30 inscrit·es · taux de remplissage 50\u00a0%"
    )
    nxt = await w.coordinator.click(chosen.response.message, label="Suivants ▶")
    assert nxt.response.embeds[0].footer.text.startswith("Cochez les personnes présentes dans la liste (page 2/2)")
    present_page2 = [str(ids[f"Promeneur {i:02d}"]) for i in range(25, 30)]
    done = await w.coordinator.select(nxt.response.message, present_page2, custom_id="events:attendance:1:1")
    assert field(done.response.embeds[0], "Bilan") == (
        "**25** présent·es · **5** absent·es · 0 sans inscription · 30 inscrit·es · "
        "taux de remplissage 63\u00a0%"  # 25/40 = 62,5 %: rounded half up, the French convention
    )

    walk = await w.coordinator.autocomplete(w.general, "evenement presences", "sans_inscription", "alice")
    assert walk == [{"name": "Alice Martin · MJC Riom", "value": str(ids["Alice Martin"])}]
    added = await w.coordinator.slash(
        w.general, "evenement presences", evenement="1", sans_inscription=walk[0]["value"]
    )
    assert text(added) == "**Alice Martin** est noté·e présent·e (venu·e sans inscription)."
    assert field(embeds(added)[0], "Bilan").startswith("**26** présent·es · **5** absent·es · 1 sans inscription")


async def test_modify_and_cancel_notify_registrants_and_update_the_announcement(profiles) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    message = announcement(w)
    await w.alice.click(message, label="S'inscrire")
    await w.bob.click(message, label="S'inscrire")
    await w.env.advance_time(5)

    refused = await w.alice.slash(w.general, "evenement modifier", evenement="1", titre="Piraté")
    assert "réservée à la coordination" in text(refused)
    assert await w.alice.autocomplete(w.general, "evenement modifier", "evenement", "") == []

    below = await w.coordinator.slash(w.general, "evenement modifier", evenement="1", capacite=1)
    assert (
        text(below)
        == "Impossible de passer à 1 places\u00a0: 2 personnes sont déjà inscrites. Indiquez au moins 2 places."
    )
    moved = await w.coordinator.slash(
        w.general, "evenement modifier", evenement="1", debut="23/06/2027 9h30", lieu="Salle des fêtes, Riom"
    )
    assert text(moved).startswith(
        "Événement **Démarrer et progresser sur les réseaux sociaux** modifié (début, fin, lieu). "
        "2 personnes inscrites prévenues."
    )
    dm = w.alice.user.dm_channel.last_message
    assert (
        dm.content
        == "L'événement **Démarrer et progresser sur les réseaux sociaux** auquel vous êtes inscrit·e a changé (début, fin, lieu)\u00a0:"
    )
    assert field(dm.embeds[0], "Quand") == "Mercredi 23 juin 2027\nde 9 h 30 à 16 h 30"
    updated = announcement(w)
    assert field(updated.embeds[0], "Lieu") == "Salle des fêtes, Riom"
    ics = (await updated.attachments[0].read()).decode()
    assert "DTSTART:20270623T073000Z" in ics

    cancelled = await cancel_event(w.coordinator, w.general, evenement="1", raison="formateur malade")
    assert (
        text(cancelled)
        == "Événement **Démarrer et progresser sur les réseaux sociaux** annulé. 2 personnes inscrites prévenues."
    )
    assert w.bob.user.dm_channel.last_message.content == (
        "L'événement **Démarrer et progresser sur les réseaux sociaux** prévu le mercredi 23 juin "
        "2027 à 9 h 30 est annulé. Motif\u00a0: formateur malade"
    )
    final = [m for m in w.announcements.history() if m.id == message.id][0]
    assert final.embeds[0].title == "ANNULÉ · Démarrer et progresser sur les réseaux sociaux"
    assert final.components == []
    late = await w.alice.slash(w.general, "evenement desinscrire", evenement="1")
    assert text(late) == "Cet événement a été annulé\u00a0: les inscriptions sont fermées."


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"debut": "01/06/2027 9h30"}, "est déjà passée"),
        ({"debut": "31/06/2027 9h30"}, "n'est pas une date et une heure valides"),
        ({"fin": "8h"}, "doit être après le début"),
        ({"date_limite": "23/06/2027 9h"}, "doit précéder le début"),
        ({"lien": "visio", "format": "remote"}, "n'est pas une adresse web valide"),
        ({"duree": "trois semaines"}, "La durée «\u00a0trois semaines\u00a0» n'est pas valide"),
        ({"debut": "26/03/2028 2h30", "fin": "26/03/2028 12h"}, "n'existe pas à l'heure de Paris"),
        ({"titre": "   "}, "Le titre est obligatoire."),
    ],
)
async def test_bad_input_is_refused_and_nothing_written(profiles, db: Database, options, expected) -> None:
    w = profiles
    result = await w.coordinator.slash(w.general, "evenement creer", **{**CREATE, **options})
    assert expected in text(result)
    async with db.transaction() as session:
        assert (await session.scalars(select(Event))).all() == []
    assert [m for m in w.announcements.history() if m.embeds] == []


async def test_plain_member_cannot_create_and_needs_a_profile_to_register(profiles, configured) -> None:
    w = profiles
    refused = await w.alice.slash(w.general, "evenement creer", **CREATE)
    assert "réservée à la coordination" in text(refused)
    await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    stranger = w.guild.add_member(w.env.create_user("dan", global_name="Dan"), roles=[w.promeneur_role])
    nope = await stranger.click(announcement(w), label="S'inscrire")
    assert text(nope) == "Vous n'avez pas encore de profil. Créez-le avec /profil modifier."
    not_registered = await w.bob.click(announcement(w), label="Se désinscrire")
    assert text(not_registered) == "Vous n'êtes pas inscrit·e à cet événement."


async def test_audience_and_listing_filters(profiles) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **{**CREATE, "public": "parenting"})
    await w.coordinator.slash(
        w.general,
        "evenement creer",
        titre="Analyse de la pratique",
        type="practice_review",
        debut="30/06/2027 14h",
        fin="17h",
        format="remote",
        lien="https://visio.example.org/ap",
        territoire="commun",
    )
    parenting_only = [m for m in w.announcements.history() if m.components][0]
    wrong = await w.alice.click(parenting_only, label="S'inscrire")
    assert text(wrong).startswith("Cet événement est réservé au volet Parentalité.")
    listing = await w.alice.slash(w.general, "evenement liste", territoire="commun")
    embed = embeds(listing)[0]
    assert embed.title == "Événements à venir · commun"
    assert embed.description == (
        "**Analyse de la pratique** · mercredi 30 juin 2027 à 14 h · Visio · Commun (tous les territoires) · 0 inscrits"
    )
    by_type = await w.alice.slash(w.general, "evenement liste", type="thematic_training")
    assert embeds(by_type)[0].description.startswith("**Démarrer et progresser")
    territory_choices = await w.alice.autocomplete(w.general, "evenement liste", "territoire", "")
    assert territory_choices[0] == {"name": "Commun (tous les territoires)", "value": "commun"}


async def test_my_data_export_lists_registrations(profiles) -> None:
    import json

    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    await w.alice.slash(w.general, "evenement inscrire", evenement="1")
    exported = await w.alice.slash(w.general, "mes-donnees exporter")
    data = json.loads(await exported.response.attachments[0].read())
    assert data["evenements"][0]["evenement"] == "Démarrer et progresser sur les réseaux sociaux"
    assert data["evenements"][0]["statut"] == "registered"


async def test_long_titles_fit_choices_and_deadline_by_day(profiles, db: Database) -> None:
    w = profiles
    long_title = "Échange de pratiques\u00a0: " + "présence éducative en ligne " * 3
    long_title = long_title[:100]
    created = await w.coordinator.slash(
        w.general, "evenement creer", **{**CREATE, "titre": long_title, "date_limite": "18/06/2027"}
    )
    assert "créé." in text(created)
    assert field(embeds(created)[0], "Inscriptions jusqu'au") == "vendredi 18 juin 2027 à 23 h 59"
    choices = await w.alice.autocomplete(w.general, "evenement inscrire", "evenement", "échange")
    assert len(choices) == 1 and len(choices[0]["name"]) <= 100
    assert choices[0]["name"].endswith("… · 22/06/2027")

    cleared = await w.coordinator.slash(w.general, "evenement modifier", evenement="1", date_limite="aucune")
    assert "(date limite d'inscription)" in text(cleared)
    assert "Personne n'était inscrit." in text(cleared)
    async with db.transaction() as session:
        assert (await session.get(Event, 1)).registration_deadline is None
    same = await w.coordinator.slash(w.general, "evenement modifier", evenement="1", capacite=2)
    assert text(same) == "Rien n'a changé\u00a0: les valeurs indiquées sont déjà celles de l'événement."
    nothing = await w.coordinator.slash(w.general, "evenement modifier", evenement="1")
    assert text(nothing) == "Indiquez au moins une information à modifier."
    unknown = await w.coordinator.slash(w.general, "evenement modifier", evenement="99", titre="X")
    assert text(unknown).startswith("Cet événement est introuvable sur ce serveur.")


async def test_announcement_refused_by_discord_still_creates_the_event(profiles, db: Database) -> None:
    w = profiles
    w.env.inject_error(
        "POST", f"/channels/{w.announcements.id}/messages", status=403, code=50013, message="Missing Permissions"
    )
    created = await w.coordinator.slash(w.general, "evenement creer", **CREATE)
    assert text(created) == (
        "Événement **Démarrer et progresser sur les réseaux sociaux** créé. L'annonce n'a "
        f"pas pu être publiée dans <#{w.announcements.id}> (vérifiez les permissions du bot). "
        "Les inscriptions par /evenement inscrire fonctionnent."
    )
    registered = await w.alice.slash(w.general, "evenement inscrire", evenement="1")
    assert "vous êtes inscrit·e" in text(registered)
    await w.env.settle()
    async with db.transaction() as session:
        event = await session.get(Event, 1)
    assert event.announcement_message_id is None
