"""Cross-guild matrix: the same bot serves server A and server B. Ids of A (request number
and id, event, digest number, watch item, feed, survey campaign, member, activity) used in
B, by B's coordinator or by Alice (a member of both servers), through every command,
autocomplete and button that takes such an id, read nothing of A (no A text in the answer,
no A choice offered) and change nothing of A (every row of A compared)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import discord
import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models import Member, OutboxPost
from bot.db.models.activity import Activity, SurveyCampaign
from bot.db.models.events import Event
from bot.db.models.requests import AccompanimentRequest
from bot.db.models.watch import WatchFeed, WatchItem
from bot.interactions import MSG_UNEXPECTED
from bot.services.watch.fetch import FeedEntry, FeedResult
from tests.conftest import grant_coordination
from tests.e2e._state import forged_button, snapshot
from tests.e2e.test_permissions import DRAFT_ACTIONS, REQUEST_ACTIONS
from tests.e2e.test_watch import StaticFetcher

FEED = "https://blog.example.org/rss"
LINK = "https://example.org/a-link"
# Texts that only server A holds: none may appear in an answer given in B.
A_TEXTS = ("Sujet A", "Besoin A", "Formation A", "Lien de A", "Note A", "MJC Riom", "Blog de A", "Billet A")
MONDAY_21_9H = datetime(2027, 6, 21, 7, 0, tzinfo=UTC)


@dataclass
class Ids:
    request_id: int
    event_id: int
    item_id: int
    feed_id: int
    campaign_id: int
    alice_member_id: int
    bob_member_id: int
    activity_id: int


@pytest.fixture
def simcord_bot(make_bot):
    fetcher = StaticFetcher()
    fetcher.titles[LINK] = "Lien de A"
    fetcher.feeds[FEED] = FeedResult(title="Blog de A", entries=[FeedEntry("https://blog.example.org/1", "Billet A")])
    return make_bot(watch_fetcher=fetcher)


@pytest.fixture
async def two(profiles, simcord_bot, clock, db: Database):
    """Server A with a request, an event Alice registered to, a published digest, a feed, a
    survey, an activity; server B configured by its own admin, where Alice also is (with a
    profile) and Dan is the coordination."""
    w = profiles
    env = w.env
    w.requests = w.guild.create_text_channel(
        "demandes-accompagnement",
        overwrites={w.coordination_role: discord.PermissionOverwrite(manage_threads=True)},
    )
    await w.admin.slash(w.general, "config salons", demandes=w.requests)
    shown = await w.alice.slash(w.general, "accompagnement demander")
    await w.alice.submit_modal(
        shown,
        {
            "kind": ["individual"],
            "mode": ["visio"],
            "subject": "Sujet A",
            "details": "Besoin A",
            "availability": "Lundi",
        },
    )
    await w.alice.slash(w.general, "activite ajouter", type="presentation", note="Note A")
    await w.alice.slash(w.general, "veille ajouter", lien=LINK)
    await w.coordinator.slash(w.general, "veille flux-ajouter", url=FEED)
    await w.coordinator.slash(
        w.general,
        "evenement creer",
        titre="Formation A",
        type="thematic_training",
        debut="22/06/2027 9h30",
        fin="16h30",
        format="remote",
        lien="https://visio.example.org",
        territoire="63",
    )
    await w.coordinator.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    async with db.transaction() as session:
        event_id = await session.scalar(select(Event.id))
    await w.alice.slash(w.general, "evenement inscrire", evenement=str(event_id))
    # The digest of the week, published: A's digest n°1.
    clock.set(MONDAY_21_9H)
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())
    await env.settle()
    async with db.transaction() as session:
        assert (await session.scalar(select(OutboxPost.state).where(OutboxPost.guild_id == w.guild.id))) == "sent"
        members = {m.display_name: m.id for m in (await session.scalars(select(Member))).all()}
        w.ids = Ids(
            request_id=await session.scalar(select(AccompanimentRequest.id)),
            event_id=event_id,
            item_id=await session.scalar(select(WatchItem.id).where(WatchItem.url == LINK)),
            feed_id=await session.scalar(select(WatchFeed.id)),
            campaign_id=await session.scalar(select(SurveyCampaign.id)),
            alice_member_id=members["Alice Martin"],
            bob_member_id=members["Bob Durand"],
            activity_id=await session.scalar(select(Activity.id)),
        )

    b = env.create_guild(name="Autre réseau")
    b_coordination = b.create_role("Coordination B")
    grant_coordination(env, b, b_coordination)
    b_promeneurs = b.create_role("Promeneurs B")
    b_admin_role = b.create_role("Admin B", permissions=discord.Permissions(manage_guild=True))
    w.b = b
    w.b_general = b.create_text_channel("general")
    w.b_admin = b.add_member(env.create_user("admin-b", global_name="Admin B"), roles=[b_admin_role])
    w.dan = b.add_member(env.create_user("dan", global_name="Dan Coordination B"), roles=[b_coordination])
    w.alice_b = b.add_member(w.alice.user, roles=[b_promeneurs])
    await w.b_admin.slash(w.b_general, "config roles", coordination=b_coordination, promeneurs=b_promeneurs)
    await w.b_admin.slash(w.b_general, "config territoire-ajouter", code="63", nom="Puy-de-Dôme")
    await w.alice_b.slash(w.b_general, "profil modifier", territoire="63", volet="youth", arrivee="01/01/2026")
    return w


async def state_of_a(db: Database, guild_id: int) -> dict:
    state = await snapshot(db)
    return {
        table: [row for row in rows if guild_id in row[:2]]  # guild_id is the 1st or 2nd column
        for table, rows in state.items()
    }


def _said(result) -> tuple[str, bool]:
    message = result.followups[-1] if result.followups else None
    if message is not None:
        text = (message.content or "") + str([e.to_dict() for e in message.embeds])
        return text, message.flags.ephemeral
    response = result.response
    text = (response.content or "") + str([e.to_dict() for e in response.embeds])
    return text, result.ephemeral


def assert_reads_nothing_of_a(result) -> None:
    text, ephemeral = _said(result)
    assert ephemeral, text
    assert text and MSG_UNEXPECTED.split("(")[0] not in text
    assert not any(t in text for t in A_TEXTS), text
    assert result.modal is None or not any(t in str(result.modal) for t in A_TEXTS)


# (who acts in B, command, options from A's ids)
COMMANDS = [
    ("dan", "accompagnement voir", lambda i: {"numero": "1"}),
    ("alice_b", "accompagnement voir", lambda i: {"numero": "1"}),
    ("dan", "evenement modifier", lambda i: {"evenement": str(i.event_id), "titre": "Piraté"}),
    ("dan", "evenement annuler", lambda i: {"evenement": str(i.event_id)}),
    ("dan", "evenement presences", lambda i: {"evenement": str(i.event_id)}),
    ("dan", "evenement presences", lambda i: {"evenement": str(i.event_id), "sans_inscription": str(i.bob_member_id)}),
    ("alice_b", "evenement inscrire", lambda i: {"evenement": str(i.event_id)}),
    ("alice_b", "evenement desinscrire", lambda i: {"evenement": str(i.event_id)}),
    ("dan", "veille export", lambda i: {"numero": 1}),
    ("dan", "veille retirer", lambda i: {"lien": str(i.item_id)}),
    ("alice_b", "veille retirer", lambda i: {"lien": str(i.item_id)}),
    ("dan", "veille flux-retirer", lambda i: {"flux": str(i.feed_id)}),
    ("dan", "questionnaire resultats", lambda i: {"questionnaire": str(i.campaign_id)}),
    ("dan", "membres depart", lambda i: {"membre": str(i.alice_member_id), "date": "01/06/2027"}),
    (
        "dan",
        "accompagnement enregistrer",
        lambda i: {"membre": str(i.alice_member_id), "type": "team", "date": "01/06/2027", "resultat": "x"},
    ),
    ("alice_b", "activite annuler", lambda i: {"saisie": str(i.activity_id)}),
    ("alice_b", "profil voir", lambda i: {}),
    ("alice_b", "mes-donnees exporter", lambda i: {}),
]


@pytest.mark.parametrize(("who", "name", "options"), COMMANDS, ids=[f"{c[0]}:{c[1]}" for c in COMMANDS])
async def test_a_command_in_b_with_ids_of_a(two, db: Database, who, name, options) -> None:
    w = two
    before = await state_of_a(db, w.guild.id)
    result = await getattr(w, who).slash(w.b_general, name, **options(w.ids))
    assert_reads_nothing_of_a(result)
    for attachment in result.response.attachments + [a for m in result.followups for a in m.attachments]:
        data = await attachment.read()
        assert not any(t.encode() in data for t in A_TEXTS)
    assert await state_of_a(db, w.guild.id) == before


# (who types in B, command, option, the A ids a choice must not carry)
AUTOCOMPLETES = [
    ("dan", "evenement modifier", "evenement", ("event_id",)),
    ("dan", "evenement annuler", "evenement", ("event_id",)),
    ("dan", "evenement presences", "evenement", ("event_id",)),
    ("dan", "evenement presences", "sans_inscription", ("alice_member_id", "bob_member_id")),
    ("alice_b", "evenement inscrire", "evenement", ("event_id",)),
    ("alice_b", "evenement desinscrire", "evenement", ("event_id",)),
    ("dan", "veille export", "numero", ()),
    ("dan", "veille retirer", "lien", ("item_id",)),
    ("dan", "veille flux-retirer", "flux", ("feed_id",)),
    ("dan", "questionnaire resultats", "questionnaire", ("campaign_id",)),
    ("dan", "membres depart", "membre", ("alice_member_id", "bob_member_id")),
    ("dan", "accompagnement enregistrer", "membre", ("alice_member_id", "bob_member_id")),
    ("dan", "accompagnement voir", "numero", ()),
    ("alice_b", "accompagnement voir", "numero", ()),
    ("alice_b", "activite annuler", "saisie", ("activity_id",)),
]


@pytest.mark.parametrize(
    ("who", "name", "option", "leaks"), AUTOCOMPLETES, ids=[f"{a[0]}:{a[1]}:{a[2]}" for a in AUTOCOMPLETES]
)
async def test_autocomplete_in_b_offers_nothing_of_a(two, db: Database, who, name, option, leaks) -> None:
    w = two
    before = await state_of_a(db, w.guild.id)
    choices = await getattr(w, who).autocomplete(w.b_general, name, option, "")
    # Alice has her own profile in B (no structure there); Bob is only in A.
    assert not any(t in str(choices) for t in (*A_TEXTS, "Bob")), choices
    assert not {str(c["value"]) for c in choices} & {str(getattr(w.ids, k)) for k in leaks}, choices
    assert await state_of_a(db, w.guild.id) == before


BUTTONS = (
    [
        ("alice_b", lambda i, n: f"events:register:{i.event_id}"),
        ("alice_b", lambda i, n: f"events:withdraw:{i.event_id}"),
        ("alice_b", lambda i, n: f"questionnaire:repondre:{i.campaign_id}"),
    ]
    + [("dan", lambda i, a=a: f"requests:{a}:{i.request_id}") for a in REQUEST_ACTIONS]
    + [("alice_b", lambda i, a=a: f"requests:{a}:{i.request_id}") for a in ("cancel", "reopen", "rate5")]
    + [("dan", lambda i, a=a: f"veille:{a}:{i.item_id}:0") for a in DRAFT_ACTIONS]
)
BUTTON_IDS = (
    ["alice_b:events:register", "alice_b:events:withdraw", "alice_b:questionnaire:repondre"]
    + [f"dan:requests:{a}" for a in REQUEST_ACTIONS]
    + [f"alice_b:requests:{a}" for a in ("cancel", "reopen", "rate5")]
    + [f"dan:veille:{a}" for a in DRAFT_ACTIONS]
)


def _custom_id(make, ids: Ids) -> str:
    try:
        return make(ids)
    except TypeError:
        return make(ids, None)


@pytest.mark.parametrize(("who", "make"), BUTTONS, ids=BUTTON_IDS)
async def test_a_button_in_b_with_ids_of_a(two, db: Database, who, make) -> None:
    w = two
    custom_id = _custom_id(make, w.ids)
    message = await forged_button(w, w.b_general, custom_id)
    before = await state_of_a(db, w.guild.id)
    result = await getattr(w, who).click(message, custom_id=custom_id)
    if result.modal is not None:  # a form may open only empty, and its submission must fail
        assert not any(t in str(result.modal) for t in A_TEXTS)
    elif result.response is not None and result.response.id == message.id:
        # A draft control that does not use the item (page, empty note) updates the
        # message in place with B's own draft.
        text, _ = _said(result)
        assert not any(t in text for t in A_TEXTS), text
        assert "Brouillon" in text
    else:
        assert_reads_nothing_of_a(result)
    assert await state_of_a(db, w.guild.id) == before


async def test_erasure_in_b_leaves_a_untouched(two, db: Database) -> None:
    w = two
    before = await state_of_a(db, w.guild.id)
    asked = await w.alice_b.slash(w.b_general, "mes-donnees supprimer")
    done = await w.alice_b.click(asked.response.message, label="Oui, supprimer mes données")
    assert done.response.content == "C'est fait\u00a0: vos données personnelles ont été supprimées."
    await w.env.settle()
    assert await state_of_a(db, w.guild.id) == before
    async with db.transaction() as session:
        alice_a = await session.get(Member, w.ids.alice_member_id)
    assert (alice_a.discord_id, alice_a.display_name) == (w.alice.id, "Alice Martin")
