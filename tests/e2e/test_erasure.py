"""/mes-donnees supprimer really erases: the database holds no trace of the member's Discord
id, name or free text, and the bot's own messages that showed them (the request card in
the private thread, a published digest) are edited, now or, when Discord refuses, by the
retry job. The retention purge redacts the card too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest
from sqlalchemy import BigInteger, Integer, String, Text, select

from bot.db import Base, Database
from bot.db.models.privacy import MessageRedaction
from tests.e2e.test_watch import StaticFetcher

NAME = "Zoé Marchand"
SUBJECT = "Sujet-trace-7Q"
DETAILS = "Besoin-trace-8R\u00a0: ouvrir un compte pour la structure."
AVAILABILITY = "Dispo-trace-9S"
OUTCOME = "Resultat-trace-1T"
STRUCTURE = "Structure-trace-2U"
NOTE = "Note-trace-3V"
COMMENT = "Commentaire-trace-4W"
LINK = "https://www.example.org/zoe-article"
TEXTS = (NAME, "Zoé", "Marchand", SUBJECT, DETAILS, AVAILABILITY, OUTCOME, STRUCTURE, NOTE, COMMENT)
EVENT = dict(
    titre="Atelier réseaux sociaux",
    type="thematic_training",
    debut="22/06/2027 9h30",
    fin="16h30",
    format="in_person",
    lieu="Riom",
    territoire="63",
)
MONDAY_21_9H = datetime(2027, 6, 21, 7, 0, tzinfo=UTC)


@pytest.fixture
def simcord_bot(make_bot):
    fetcher = StaticFetcher()
    fetcher.titles[LINK] = "Un article"
    return make_bot(watch_fetcher=fetcher)


@pytest.fixture
async def zoe_world(profiles):
    """Zoé is a Promeneur of the coordination team: she asks for help in a private thread
    (the coordinator follows and closes it), creates an event, launches the survey,
    shares a link that is published, and logs an activity with a note."""
    w = profiles
    w.requests = w.guild.create_text_channel(
        "demandes-accompagnement",
        overwrites={w.coordination_role: discord.PermissionOverwrite(manage_threads=True)},
    )
    await w.admin.slash(w.general, "config salons", demandes=w.requests)
    w.zoe = w.guild.add_member(
        w.env.create_user("zoe", global_name=NAME), roles=[w.promeneur_role, w.coordination_role]
    )
    await w.zoe.slash(
        w.general,
        "profil modifier",
        territoire="63",
        volet="youth",
        structure=STRUCTURE,
        arrivee="01/09/2020",
    )
    shown = await w.zoe.slash(w.general, "accompagnement demander")
    await w.zoe.submit_modal(
        shown,
        {
            "kind": ["individual"],
            "mode": ["visio"],
            "subject": SUBJECT,
            "details": DETAILS,
            "availability": AVAILABILITY,
        },
    )
    card = request_card(w)
    await w.coordinator.click(card, label="Prendre en charge")
    closing = await w.coordinator.click(request_card(w), label="Clore")
    await w.coordinator.submit_modal(closing, {"outcome": OUTCOME, "duration": "1h"})
    await w.zoe.click(request_card(w), label="Rouvrir")  # a thread line with her name
    await w.coordinator.click(request_card(w), label="Prendre en charge")  # reopened = open
    closing = await w.coordinator.click(request_card(w), label="Clore")
    await w.coordinator.submit_modal(closing, {"outcome": OUTCOME, "duration": "1h"})
    assert any(NAME in m.content for m in w.requests.threads[0].history())
    assert any(f"<@{w.zoe.id}>" in m.content for m in w.requests.threads[0].history() if m.id != request_card(w).id)
    assert NAME in str(request_card(w).embeds[0].to_dict())
    assert OUTCOME in str(request_card(w).embeds[0].to_dict())

    created = await w.zoe.slash(w.general, "evenement creer", **EVENT)
    assert "créé" in (created.followups[-1].content if created.followups else created.response.content)
    launched = await w.zoe.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    assert launched.ephemeral
    await w.zoe.slash(w.general, "veille ajouter", lien=LINK, commentaire=COMMENT)
    await w.zoe.slash(w.general, "activite ajouter", type="presentation", note=NOTE)
    return w


def request_card(w):
    [thread] = w.requests.threads
    return next(m for m in thread.history() if m.embeds and m.embeds[0].title.startswith("Demande n°"))


def card_text(message) -> str:
    return message.content + str([e.to_dict() for e in message.embeds])


async def publish_digest(w, bot, clock) -> None:
    clock.set(MONDAY_21_9H)
    await bot.outbox.fire(w.guild.id, "digest", clock())
    await w.env.settle()


def digest_text(w) -> str:
    return str([e.to_dict() for m in w.digest.history() for e in m.embeds])


async def erase(w, who):
    asked = await who.slash(w.general, "mes-donnees supprimer")
    done = await who.click(asked.response.message, label="Oui, supprimer mes données")
    assert done.response.content == "C'est fait\u00a0: vos données personnelles ont été supprimées."
    await w.env.settle()
    return done


async def traces(db: Database, discord_id: int, texts: tuple[str, ...]) -> list[str]:
    """Every cell of every table that holds the id or one of the texts."""
    found = []
    async with db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (BigInteger, Integer, String, Text))]
            for row in (await session.execute(select(*columns))).all():
                for column, value in zip(columns, row, strict=True):
                    if value == discord_id or (
                        isinstance(value, str) and (str(discord_id) in value or any(t in value for t in texts))
                    ):
                        found.append(f"{table.name}.{column.name}={value!r}")
    return found


async def pending(db: Database) -> list[MessageRedaction]:
    async with db.transaction() as session:
        return list((await session.scalars(select(MessageRedaction))).all())


async def test_erasure_leaves_no_trace_in_the_database_or_the_bot_messages(
    zoe_world, simcord_bot, clock, db: Database
) -> None:
    w = zoe_world
    await publish_digest(w, simcord_bot, clock)
    assert NAME in digest_text(w) and COMMENT in digest_text(w)
    assert await traces(db, w.zoe.id, TEXTS)  # the check sees them before

    await erase(w, w.zoe)

    assert await traces(db, w.zoe.id, TEXTS) == []
    card = request_card(w)
    assert str(w.zoe.id) not in card_text(card)
    assert not any(t in card_text(card) for t in TEXTS)
    embed = card.embeds[0]
    assert embed.title == "Demande n°1"
    assert embed.description is None
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Demandé par"] == "Membre anonymisé"
    assert fields["Suivie par"] == "Claire Coordination"  # the coordinator is not erased
    assert "Résultat" not in fields and "Disponibilités" not in fields
    assert card.content == f"<@&{w.coordination_role.id}> · Nouvelle demande de Membre anonymisé."
    assert [c.custom_id for row in card.components for c in row.children] == ["requests:reopen:1"]

    thread = w.requests.threads[0]
    bot_lines = [m for m in thread.history() if m.author.id == simcord_bot.user.id]
    assert len(bot_lines) >= 5
    for line in bot_lines:
        assert str(w.zoe.id) not in line.content and NAME not in line.content, line.content
    assert any(m.content == "🟡 **Membre anonymisé** a rouvert la demande." for m in bot_lines)
    assert any("🔵 **Claire Coordination** a pris en charge" in m.content for m in bot_lines)

    assert not any(t in digest_text(w) for t in TEXTS)
    assert "Un article" in digest_text(w)  # the digest itself stays
    assert await pending(db) == []


async def test_a_refused_edit_is_recorded_and_retried(zoe_world, simcord_bot, clock, db: Database) -> None:
    w = zoe_world
    card = request_card(w)
    thread = w.requests.threads[0]
    w.env.inject_error("PATCH", f"/channels/{thread.id}/messages/{card.id}", status=403, code=50001, times=2)

    await erase(w, w.zoe)
    assert await traces(db, w.zoe.id, TEXTS) == []  # the database is erased anyway
    assert NAME in card_text(request_card(w))  # Discord refused the edit
    [row] = await pending(db)
    assert (row.kind, row.attempts, row.last_status) == ("request", 1, 403)
    assert row.due_at == clock() + timedelta(minutes=5)

    shown = await w.coordinator.slash(w.general, "config voir")
    problems = {f.name: f.value for f in shown.response.embeds[0].fields}
    assert problems["⚠️ Messages du bot à corriger (données effacées)"].startswith(
        "1 message que Discord refuse de modifier pour l'instant\u00a0; prochain essai "
    )

    job = simcord_bot.scheduler._aps.get_job("privacy:redactions")  # the periodic retry
    assert job.func == simcord_bot.redactor.job
    assert job.trigger.interval == timedelta(minutes=5)
    await simcord_bot.redactor.job()  # not due yet: nothing tried
    assert (await pending(db))[0].attempts == 1
    clock.set(clock() + timedelta(minutes=5))
    await simcord_bot.redactor.job()  # refused again: the delay doubles
    [row] = await pending(db)
    assert (row.attempts, row.due_at) == (2, clock() + timedelta(minutes=10))

    clock.set(clock() + timedelta(minutes=10))
    await simcord_bot.redactor.job()
    assert await pending(db) == []
    assert not any(t in card_text(request_card(w)) for t in TEXTS)
    shown = await w.coordinator.slash(w.general, "config voir")
    assert "⚠️ Messages du bot à corriger (données effacées)" not in {f.name for f in shown.response.embeds[0].fields}


async def test_a_retry_survives_a_restart_and_a_server_error(zoe_world, make_bot, clock, db: Database) -> None:
    w = zoe_world
    card = request_card(w)
    w.env.inject_error("PATCH", f"/channels/*/messages/{card.id}", status=503, times=1)
    await erase(w, w.zoe)
    [row] = await pending(db)
    assert (row.attempts, row.last_status) == (1, 503)

    bot = make_bot()
    await w.env.restart_bot(bot)
    clock.set(clock() + timedelta(minutes=5))
    await bot.redactor.job()
    assert await pending(db) == []
    assert NAME not in card_text(request_card(w))


async def test_a_deleted_message_is_done(zoe_world, simcord_bot, db: Database) -> None:
    w = zoe_world
    card = request_card(w)
    w.env.inject_error("PATCH", f"/channels/*/messages/{card.id}", status=404, code=10008, message="Unknown Message")
    await erase(w, w.zoe)
    assert await pending(db) == []


async def test_retention_purge_redacts_the_card(desk_world, simcord_bot, clock, db: Database) -> None:
    w = desk_world
    shown = await w.alice.slash(w.general, "accompagnement demander")
    await w.alice.submit_modal(
        shown,
        {
            "kind": ["individual"],
            "mode": ["visio"],
            "subject": SUBJECT,
            "details": DETAILS,
            "availability": AVAILABILITY,
        },
    )
    await w.coordinator.click(request_card(w), label="Prendre en charge")
    closing = await w.coordinator.click(request_card(w), label="Clore")
    await w.coordinator.submit_modal(closing, {"outcome": OUTCOME, "duration": "1h"})
    assert OUTCOME in card_text(request_card(w))

    clock.set(clock() + timedelta(days=731))  # 24 months and a day
    await simcord_bot.get_cog("Requests").sweep()
    await w.env.settle()

    card = request_card(w)
    assert not any(t in card_text(card) for t in (SUBJECT, DETAILS, AVAILABILITY, OUTCOME))
    assert card.embeds[0].description == "*Texte effacé (durée de conservation dépassée).*"
    assert {f.name: f.value for f in card.embeds[0].fields}["Demandé par"] == "Alice Martin"
    assert await pending(db) == []


@pytest.fixture
async def desk_world(profiles):
    w = profiles
    w.requests = w.guild.create_text_channel(
        "demandes-accompagnement",
        overwrites={w.coordination_role: discord.PermissionOverwrite(manage_threads=True)},
    )
    await w.admin.slash(w.general, "config salons", demandes=w.requests)
    return w


async def test_a_coordinator_erasing_leaves_the_cards_they_followed_nameless(
    desk_world, simcord_bot, db: Database
) -> None:
    w = desk_world
    await w.coordinator.slash(w.general, "profil modifier", territoire="63", volet="youth", arrivee="01/01/2020")
    shown = await w.alice.slash(w.general, "accompagnement demander")
    await w.alice.submit_modal(
        shown, {"kind": ["individual"], "mode": ["visio"], "subject": "Un sujet", "details": "Un besoin"}
    )
    await w.coordinator.click(request_card(w), label="Prendre en charge")
    assert {f.name: f.value for f in request_card(w).embeds[0].fields}["Suivie par"] == "Claire Coordination"

    await erase(w, w.coordinator)

    card = request_card(w)
    fields = {f.name: f.value for f in card.embeds[0].fields}
    assert fields["Suivie par"] == "Membre anonymisé"
    assert fields["Demandé par"] == "Alice Martin"  # Alice is not erased
    assert card.embeds[0].description == "Un besoin"
    lines = [m.content for m in w.requests.threads[0].history() if m.id != card.id]
    assert "🔵 **Membre anonymisé** a pris en charge la demande." in lines
    assert not any("Claire" in line for line in lines)
    assert await traces(db, w.coordinator.id, ("Claire",)) == []
    assert await pending(db) == []


async def test_a_thread_line_that_cannot_be_scrubbed_is_masked_later(
    zoe_world, simcord_bot, clock, db: Database
) -> None:
    w = zoe_world
    thread = w.requests.threads[0]
    [line] = [m for m in thread.history() if m.content == f"🟡 **{NAME}** a rouvert la demande."]
    # Refused twice: the precise scrub, then the immediate masking.
    w.env.inject_error("PATCH", f"/channels/{thread.id}/messages/{line.id}", status=403, code=50001, times=2)

    await erase(w, w.zoe)
    assert next(m for m in thread.history() if m.id == line.id).content == line.content
    [row] = await pending(db)
    assert (row.kind, row.message_id, row.attempts) == ("line", line.id, 1)
    assert not any(t in card_text(request_card(w)) for t in TEXTS)  # the card was done

    clock.set(clock() + timedelta(minutes=5))
    await simcord_bot.redactor.job()
    masked = next(m for m in thread.history() if m.id == line.id)
    assert masked.content == "⋯ *Ligne masquée\u00a0: données personnelles effacées.*"
    assert await pending(db) == []


async def test_a_card_in_an_archived_thread_is_reopened_for_the_edit(zoe_world, simcord_bot, db: Database) -> None:
    w = zoe_world
    card = request_card(w)
    thread = w.requests.threads[0]
    w.env.inject_error(
        "PATCH",
        f"/channels/{thread.id}/messages/{card.id}",
        status=400,
        code=50083,
        message="Thread is archived",
    )
    archiving = []
    original = simcord_bot.http.edit_channel

    async def watch(channel_id, **options):
        archiving.append((channel_id, options.get("archived")))
        return await original(channel_id, **options)

    simcord_bot.http.edit_channel = watch
    await erase(w, w.zoe)
    assert archiving == [(thread.id, False), (thread.id, True)]
    assert NAME not in card_text(request_card(w))
    assert await pending(db) == []
