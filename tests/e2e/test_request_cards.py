"""The request message (card) in its thread never keeps showing an old status: a failed
edit on claim, schedule or close marks it stale, and the requests sweep renders it again,
also after a restart. A deleted card is posted again; a forbidden thread tells the
coordination once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models.requests import AccompanimentRequest
from tests.e2e.test_notification_faults import FlakyHTTP, connection_reset, server_error
from tests.e2e.test_requests import ask, desk, fields, request_message, sweep_of  # noqa: F401 (fixture)


async def stale(db: Database) -> bool:
    async with db.transaction() as session:
        return (await session.scalars(select(AccompanimentRequest.card_stale))).one()


def card_path(thread, message) -> str:
    return f"/channels/{thread.id}/messages/{message.id}"


async def _schedule(w, message, when: str = "16/06/2027 9h30"):
    shown = await w.coordinator.click(message, label="Planifier")
    return await w.coordinator.submit_modal(shown, {"when": when})


async def _close(w, message):
    shown = await w.coordinator.click(message, label="Clore")
    return await w.coordinator.submit_modal(shown, {"outcome": "Compte créé ensemble", "duration": "1h"})


@pytest.mark.parametrize(
    ("action", "fault", "expected"),
    [
        ("claim", "5xx", "🔵 Prise en charge"),
        ("schedule", "reset", "🗓️ Planifiée"),
        ("close", "5xx_after", "✅ Terminée"),
    ],
)
async def test_a_failed_card_edit_is_rendered_again_by_the_sweep(
    desk,
    db: Database,
    monkeypatch,
    make_bot,
    action: str,
    fault: str,
    expected: str,
) -> None:
    w = desk
    await ask(w)
    thread = w.requests.threads[0]
    message = request_message(thread)
    if action != "claim":
        await w.coordinator.click(message, label="Prendre en charge")
    flaky = FlakyHTTP(monkeypatch, type(w.env.bot.http))
    path = card_path(thread, message)
    if fault == "5xx":
        w.env.inject_error("PATCH", path, status=500, times=1)
    else:
        flaky.fail(
            path, connection_reset if fault == "reset" else server_error, after=fault == "5xx_after", method="PATCH"
        )
    before = fields(request_message(thread))["Statut"]
    if action == "claim":
        done = await w.coordinator.click(message, label="Prendre en charge")
    elif action == "schedule":
        done = await _schedule(w, message)
    else:
        done = await _close(w, message)
    assert "n°1" in done.response.content  # the person's action succeeded and was answered
    if fault != "5xx_after":
        assert fields(request_message(thread))["Statut"] == before  # the old status, for now
    assert await stale(db) is True
    await w.env.restart_bot(make_bot())  # the mark survives a restart
    await sweep_of(w)()
    await w.env.settle()
    assert fields(request_message(thread))["Statut"] == expected
    assert await stale(db) is False
    edits = len([r for r in w.env.http_requests if r.method == "PATCH" and r.path == path])
    await sweep_of(w)()  # up to date: not edited again
    assert len([r for r in w.env.http_requests if r.method == "PATCH" and r.path == path]) == edits


async def test_a_deleted_card_is_posted_again_with_the_current_status(desk, db: Database) -> None:
    w = desk
    await ask(w)
    thread = w.requests.threads[0]
    message = request_message(thread)
    await w.env.bot.http.delete_message(thread.id, message.id)
    claimed = await w.coordinator.slash(w.general, "accompagnement voir", numero="1")
    done = await w.coordinator.click(claimed.response.message, label="Prendre en charge")
    assert done.response.content == "Vous suivez désormais la demande n°1."
    async with db.transaction() as session:
        request = (await session.scalars(select(AccompanimentRequest))).one()
    assert (request.message_id, request.card_stale) == (None, False)  # forgotten, not retried forever
    await sweep_of(w)()
    await w.env.settle()
    cards = [m for m in thread.history() if m.embeds and m.embeds[0].title.startswith("Demande n°1")]
    assert len(cards) == 1 and fields(cards[0])["Statut"] == "🔵 Prise en charge"
    labels = [c.label for row in cards[0].components for c in row.children]
    assert "Planifier" in labels


async def test_a_forbidden_card_tells_the_coordination_once(desk, db: Database) -> None:
    w = desk
    await ask(w)
    thread = w.requests.threads[0]
    message = request_message(thread)
    w.env.inject_error(
        "PATCH", card_path(thread, message), status=403, code=50013, message="Missing Permissions", times=2
    )
    await w.coordinator.click(message, label="Prendre en charge")
    await sweep_of(w)()  # still forbidden
    await w.env.settle()
    alerts = [m.content for m in w.recaps.history() if "Le message de la demande n°1" in m.content]
    assert len(alerts) == 1 and await stale(db) is True
    assert alerts[0].endswith(
        "Le message de la demande n°1 dans son fil n'a pas pu être mis "
        "à jour\u00a0: le bot n'a pas la permission «\u00a0Envoyer des messages\u00a0» dans ce fil ou le "
        "salon des demandes. Vérifiez les permissions du bot\u00a0; l'état à jour est dans /accompagnement voir "
        "numero:1."
    )
    await sweep_of(w)()  # permission given back
    await w.env.settle()
    assert fields(request_message(thread))["Statut"] == "🔵 Prise en charge"
    assert await stale(db) is False
