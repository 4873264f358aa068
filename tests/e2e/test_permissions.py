"""Permission matrix, built from the shipped bot's command tree and registered persistent
components: every entry that changes shared state or shows other people's data declares
its gate (`@coordination_only()`), or is listed in MEMBER_OPEN with the reason a plain
member may use it. A new command or component fails `test_every_entry_declares_its_gate`
until it does one or the other.

Then, through SimCord, a plain member (Bob, a Promeneur with a profile) tries every gated
command, every autocomplete of one, every gated button (reached through a forged message:
the handler must hold whoever reaches it) and the member-open entries on someone else's
objects: each gets a French answer, ephemerally, and the database is unchanged (every row
of every table compared)."""

from __future__ import annotations

import inspect
import re
import sys

import discord
import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models import Member
from bot.db.models.activity import Activity
from bot.db.models.events import Event
from bot.db.models.requests import AccompanimentRequest
from bot.db.models.watch import WatchItem
from bot.interactions import MSG_UNEXPECTED
from bot.permissions import COORDINATION, ERR_COORDINATION_ONLY, gate_of
from bot.ui.confirm import ConfirmButton
from bot.ui.drafts import CorrectButton
from bot.ui.pager import PageButton
from cogs.directory._views import ConfirmErasureButton
from cogs.events._views import RegisterButton, WithdrawButton
from cogs.indicators._modals import ThemesButton
from cogs.indicators._views import OfferOffButton, OpenFormButton
from cogs.panel._views import PanelButton
from cogs.requests._views import RequestButton
from cogs.survey._views import AnswerButton, SurveySelect, SurveySubmit
from cogs.watch._draft import DraftButton
from cogs.watch._views import CategorySelect
from tests.conftest import shown_anyway, slash_anyway
from tests.e2e._state import forged_button, options_for, snapshot, tree
from tests.e2e.test_watch import StaticFetcher

COMMANDS, MENUS, COMPONENTS = tree()

# What a plain member may run, and why. Everything else must be gated.
MEMBER_OPEN: dict[str, str] = {
    "profil modifier": "the member's own profile",
    "profil voir": "the directory is shared in the network: work details (territory, strand, "
    "structure) of a colleague are meant to be seen",
    "mes-donnees exporter": "the member's own data",
    "mes-donnees supprimer": "the member's own data, after a confirmation only they can give",
    "activite ajouter": "logs the member's own activity (coordination kinds are refused by the service)",
    "activite mes-activites": "the member's own entries",
    "activite annuler": "the member's own entries only (checked below on someone else's)",
    "activite mois": "the member's own monthly counts (the form, or turning its DM offer on or off)",
    "permanences ajouter": "declares the member's own weekly slot",
    "permanences retirer": "removes the member's own slot only (checked by the service)",
    "permanences voir": "who is online when: shared in the network, like the directory",
    "evenement inscrire": "registers the member themself",
    "evenement desinscrire": "withdraws the member themself",
    "evenement mes-inscriptions": "the member's own registrations",
    "evenement liste": "the public programme of network sessions",
    "evenement calendrier": "the member's own calendar link (their registrations and sessions)",
    "evenement attestation": "the member's own certificate, for a session they were marked present "
    "at; someone else's or everyone's is the coordination's (checked below)",
    "profil bilan": "the member's own year summary; another member's is the coordination's (checked below)",
    "accompagnement demander": "asks for help for oneself",
    "accompagnement liste": "a member sees their own requests only (checked below)",
    "accompagnement voir": "a member sees their own request only (checked below)",
    "questionnaire repondre": "answers for oneself",
    "veille ajouter": "any member shares links for the digest",
    "veille retirer": "removes a link the member alone shared (checked below)",
    "veille archives": "published digests, public in the network",
    "Ajouter à la veille": "the message menu of /veille ajouter",
    "aide": "lists what the person who asks may do (coordination commands for the coordination only)",
}
MEMBER_OPEN_COMPONENTS: dict[type, str] = {
    PageButton: "turns the page of a list by running its command again, with the command's own gate",
    ConfirmErasureButton: "confirms the erasure of the member named in it, only by them (checked below)",
    RegisterButton: "registers the member who clicks",
    OpenFormButton: "opens the monthly form of the member who clicks (their own counts)",
    ThemesButton: "opens step 2 of the monthly form of the member who clicks",
    OfferOffButton: "turns the monthly DM offer off for the member who clicks",
    WithdrawButton: "withdraws the member who clicks",
    AnswerButton: "opens the survey form for the member who clicks",
    SurveySelect: "a choice in the survey form of the member who clicks (nothing is saved)",
    SurveySubmit: "sends the answers of the member who clicks, once per campaign",
    CategorySelect: "moves a link to another category, for its contributors only (checked by the service)",
    PanelButton: "the members' panel: each button acts for the member who clicks, as the member-open "
    "command it stands for (/accompagnement demander, /veille ajouter, /evenement mes-inscriptions)",
    CorrectButton: "reopens a refused form with the clicker's own draft only (checked below)",
    ConfirmButton: "per action, the handler checks like its command: event cancel is the "
    "coordination's, a link's removal its sole contributor's (checked below)",
    RequestButton: "per action: claim, schedule and close are the coordination's; cancel and "
    "reopen the requester's or the coordination's; rate the requester's (checked below)",
}

GATED = sorted((c for c in [*COMMANDS, *MENUS] if gate_of(c) == COORDINATION), key=lambda c: c.qualified_name)
GATED_AUTOCOMPLETE = [(command, param.name) for command in GATED for param in command.parameters if param.autocomplete]


def _draft_actions() -> list[str]:
    """Every draft control the bot builds (read from the module that builds them)."""
    source = inspect.getsource(sys.modules[DraftButton.__module__])
    return sorted(set(re.findall(r'DraftButton\(\s*"([a-z]+)"', source)))


def _request_actions() -> list[str]:
    """Every action RequestButton's template accepts (its alternation, ranges expanded)."""
    pattern = RequestButton.__discord_ui_compiled_template__.pattern  # type: ignore[attr-defined]
    alternation = re.search(r"\(\?P<action>([^)]*)\)", pattern)[1]  # type: ignore[index]
    actions = []
    for part in alternation.split("|"):
        ranged = re.fullmatch(r"([a-z]+)\[(\d)-(\d)\]", part)
        if ranged:
            actions += [f"{ranged[1]}{n}" for n in range(int(ranged[2]), int(ranged[3]) + 1)]
        else:
            actions.append(part)
    return actions


DRAFT_ACTIONS = _draft_actions()
REQUEST_ACTIONS = _request_actions()


def test_every_entry_declares_its_gate() -> None:
    names = {c.qualified_name for c in [*COMMANDS, *MENUS]}
    undeclared = sorted(
        c.qualified_name for c in [*COMMANDS, *MENUS] if gate_of(c) is None and c.qualified_name not in MEMBER_OPEN
    )
    assert undeclared == [], (
        f"Commands with no declared gate: {undeclared}. Add @coordination_only(), or list the "
        "command in MEMBER_OPEN with the reason a plain member may use it."
    )
    assert sorted(set(MEMBER_OPEN) - names) == []  # no stale entry
    assert (
        sorted(n for n in MEMBER_OPEN if gate_of(next(c for c in [*COMMANDS, *MENUS] if c.qualified_name == n))) == []
    )
    open_items = [i for i in COMPONENTS if gate_of(i) is None and i not in MEMBER_OPEN_COMPONENTS]
    assert open_items == [], f"Persistent components with no declared gate: {open_items}"
    assert sorted(i.__name__ for i in MEMBER_OPEN_COMPONENTS if i not in COMPONENTS) == []
    assert len(DRAFT_ACTIONS) >= 10 and len(REQUEST_ACTIONS) >= 10  # both were read


@pytest.fixture
def simcord_bot(make_bot):
    fetcher = StaticFetcher()
    fetcher.titles["https://example.org/alice"] = "Le lien d'Alice"
    return make_bot(watch_fetcher=fetcher)


@pytest.fixture
async def matrix(profiles, db: Database):
    """Alice's request (in its private thread), activity and shared link; an event and a
    survey campaign of the coordination. Bob is the plain member who tries everything."""
    w = profiles
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
            "subject": "Sujet d'Alice",
            "details": "Le besoin d'Alice",
            "availability": "Lundi",
        },
    )
    await w.alice.slash(w.general, "activite ajouter", type="presentation", note="Note d'Alice")
    await w.alice.slash(w.general, "veille ajouter", lien="https://example.org/alice", commentaire="Mon lien")
    await w.coordinator.slash(
        w.general,
        "evenement creer",
        titre="Formation",
        type="thematic_training",
        debut="22/06/2027 9h30",
        fin="16h30",
        format="remote",
        lien="https://visio.example.org",
        territoire="63",
    )
    await w.coordinator.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    async with db.transaction() as session:
        w.request_id = await session.scalar(select(AccompanimentRequest.id))
        w.activity_id = await session.scalar(select(Activity.id))
        w.item_id = await session.scalar(select(WatchItem.id))
        w.event_id = await session.scalar(select(Event.id))
        w.alice_member_id = await session.scalar(select(Member.id).where(Member.discord_id == w.alice.id))
    return w


def _answer(result) -> tuple[str, bool]:
    if result.followups:
        return result.followups[-1].content or "", result.followups[-1].flags.ephemeral
    return result.response.content or "", result.ephemeral


def assert_french_refusal(result, expected: str | None = None) -> None:
    content, ephemeral = _answer(result)
    assert ephemeral, content
    assert content, "no answer"
    if expected is not None:
        assert content == expected
    assert MSG_UNEXPECTED.split("(")[0] not in content
    assert not (result.response.attachments or result.response.embeds)


@pytest.mark.parametrize("command", GATED, ids=lambda c: c.qualified_name)
async def test_plain_member_is_refused_a_gated_command(matrix, db: Database, command) -> None:
    w = matrix
    before = await snapshot(db)
    if isinstance(command, discord.app_commands.ContextMenu):  # pragma: no cover - none gated today
        message = await w.alice.send(w.general, "un message")
        result = await w.bob.context_menu(w.general, command.name, message)
    elif command.root_parent is not None and command.root_parent.default_permissions is not None:
        # hidden from members by Discord; allowed to Bob alone here so the bot's gate answers
        result = await slash_anyway(w.bob, w.general, command.qualified_name, **options_for(command, w))
    else:
        result = await w.bob.slash(w.general, command.qualified_name, **options_for(command, w))
    assert_french_refusal(result, ERR_COORDINATION_ONLY)
    assert await snapshot(db) == before


@pytest.mark.parametrize(
    ("command", "option"), GATED_AUTOCOMPLETE, ids=lambda v: v if isinstance(v, str) else v.qualified_name
)
async def test_plain_member_gets_no_choice_from_a_gated_autocomplete(matrix, db: Database, command, option) -> None:
    w = matrix
    before = await snapshot(db)
    root = command.root_parent or command
    if root.default_permissions is not None:  # hidden from members by Discord
        with shown_anyway(w.bob, w.general, root.name):
            assert await w.bob.autocomplete(w.general, command.qualified_name, option, "") == []
    else:
        assert await w.bob.autocomplete(w.general, command.qualified_name, option, "") == []
    assert await snapshot(db) == before


async def test_the_coordination_does_get_them(matrix) -> None:
    """The controls of the two tests above: the same calls work for the coordination."""
    w = matrix
    choices = await w.coordinator.autocomplete(w.general, "membres depart", "membre", "")
    assert {c["name"] for c in choices} >= {"Alice Martin · MJC Riom"}
    export = await w.coordinator.slash(w.general, "membres export")
    assert export.response.attachments


@pytest.mark.parametrize("action", DRAFT_ACTIONS)
async def test_plain_member_is_refused_a_draft_button(matrix, db: Database, action: str) -> None:
    w = matrix
    message = await forged_button(w, w.general, f"veille:{action}:{w.item_id}:0")
    before = await snapshot(db)
    result = await w.bob.click(message, custom_id=f"veille:{action}:{w.item_id}:0")
    assert_french_refusal(result, ERR_COORDINATION_ONLY)
    assert result.modal is None
    assert await snapshot(db) == before


@pytest.mark.parametrize("action", REQUEST_ACTIONS)
async def test_plain_member_is_refused_on_someone_elses_request(matrix, db: Database, action: str) -> None:
    w = matrix
    custom_id = f"requests:{action}:{w.request_id}"
    message = await forged_button(w, w.general, custom_id)
    before = await snapshot(db)
    result = await w.bob.click(message, custom_id=custom_id)
    assert_french_refusal(result)
    assert result.modal is None
    assert await snapshot(db) == before


async def test_plain_member_cannot_confirm_someone_elses_erasure(matrix, db: Database) -> None:
    w = matrix
    message = await forged_button(w, w.general, f"donnees:supprimer:{w.alice.id}")
    before = await snapshot(db)
    result = await w.bob.click(message, custom_id=f"donnees:supprimer:{w.alice.id}")
    assert_french_refusal(result)
    assert await snapshot(db) == before


OWNED = [
    ("accompagnement voir", lambda w: {"numero": "1"}),
    ("activite annuler", lambda w: {"saisie": str(w.activity_id)}),
    ("veille retirer", lambda w: {"lien": str(w.item_id)}),
    ("evenement attestation", lambda w: {"evenement": str(w.event_id), "membre": str(w.alice_member_id)}),
    ("profil bilan", lambda w: {"membre": str(w.alice_member_id)}),
]


@pytest.mark.parametrize(("name", "options"), OWNED, ids=[o[0] for o in OWNED])
async def test_member_open_commands_refuse_someone_elses_object(matrix, db: Database, name, options) -> None:
    w = matrix
    before = await snapshot(db)
    result = await w.bob.slash(w.general, name, **options(w))
    assert_french_refusal(result)
    assert "Alice" not in _answer(result)[0]
    assert await snapshot(db) == before


async def test_member_lists_show_only_their_own(matrix, db: Database) -> None:
    w = matrix
    before = await snapshot(db)
    listing = await w.bob.slash(w.general, "accompagnement liste")
    assert "Sujet d'Alice" not in str(listing.response.content) + str([e.to_dict() for e in listing.response.embeds])
    assert await w.bob.autocomplete(w.general, "accompagnement voir", "numero", "") == []
    assert await w.bob.autocomplete(w.general, "activite annuler", "saisie", "") == []
    assert await snapshot(db) == before
