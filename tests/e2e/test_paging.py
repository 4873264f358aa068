"""Long lists through SimCord: the title and the footer give the true total (not the old
caps of 500 requests and 200 events), ◀ / ▶ walk pages fetched in SQL, and a button drawn
before the list shrank shows the last page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, insert

from bot.db import Database
from bot.db.models.events import Event
from bot.db.models.requests import OFFLINE, OPEN, AccompanimentRequest


async def _add_requests(db: Database, guild_id: int, count: int, now) -> None:
    async with db.transaction(lock=True) as session:
        await session.execute(
            insert(AccompanimentRequest),
            [
                {
                    "guild_id": guild_id,
                    "number": n,
                    "kind": "individual",
                    "territory_code": "63",
                    "status": OPEN,
                    "source": OFFLINE,
                    "created_at": now - timedelta(hours=n),
                    "updated_at": now,
                }
                for n in range(1, count + 1)
            ],
        )


async def test_request_list_tells_the_true_total_and_pages(configured, db: Database, clock) -> None:
    w = configured
    await _add_requests(db, w.guild.id, 530, clock())
    listing = await w.coordinator.slash(w.general, "accompagnement liste")
    embed = listing.response.embeds[0]
    assert embed.title == "Demandes d'accompagnement · En cours (non closes) (530)"
    assert embed.footer.text == "Page 1/27 · 530 au total"
    assert "**n°530**" in embed.description.splitlines()[0]
    assert len(embed.description.splitlines()) == 20
    page2 = await w.coordinator.click(listing.response.message, label="Suivante ▶")
    embed2 = page2.response.embeds[0]
    assert embed2.footer.text == "Page 2/27 · 530 au total"
    assert "**n°510**" in embed2.description.splitlines()[0]
    back = await w.coordinator.click(page2.response.message, label="◀ Précédente")
    assert back.response.embeds[0].footer.text == "Page 1/27 · 530 au total"


async def test_a_page_past_the_end_shows_the_last_page(configured, db: Database, clock) -> None:
    w = configured
    await _add_requests(db, w.guild.id, 65, clock())
    listing = await w.coordinator.slash(w.general, "accompagnement liste")
    message = listing.response.message
    for page in (2, 3):
        clicked = await w.coordinator.click(message, label="Suivante ▶")
        message = clicked.response.message
        assert clicked.response.embeds[0].footer.text == f"Page {page}/4 · 65 au total"
    async with db.transaction(lock=True) as session:  # 35 left: two pages
        await session.execute(delete(AccompanimentRequest).where(AccompanimentRequest.number > 35))
    clicked = await w.coordinator.click(message, label="Suivante ▶")  # asks page 4 of 4
    embed = clicked.response.embeds[0]
    assert embed.title == "Demandes d'accompagnement · En cours (non closes) (35)"
    assert embed.footer.text == "Page 2/2 · 35 au total"
    assert "**n°15**" in embed.description.splitlines()[0]


async def test_event_list_counts_every_upcoming_event(configured, db: Database, clock) -> None:
    w = configured
    now = clock()
    async with db.transaction(lock=True) as session:
        await session.execute(
            insert(Event),
            [
                {
                    "guild_id": w.guild.id,
                    "title": f"Atelier {i:03d}",
                    "type": "practice_exchange",
                    "starts_at": now + timedelta(hours=i),
                    "ends_at": now + timedelta(hours=i, minutes=30),
                    "duration_days": 0.5,
                    "format": "remote",
                    "territory_code": "63",
                }
                for i in range(1, 231)
            ],
        )
    listing = await w.alice.slash(w.general, "evenement liste")
    embed = listing.response.embeds[0]
    assert embed.footer.text == "Page 1/12 · 230 au total"
    assert embed.description.splitlines()[0].startswith("**Atelier 001**")
    message = listing.response.message
    for _ in range(11):
        message = (await w.alice.click(message, label="Suivante ▶")).response.message
    last = message.embeds[0]
    assert last.footer.text == "Page 12/12 · 230 au total"
    assert [line.split("**")[1] for line in last.description.splitlines()] == [
        f"Atelier {i:03d}" for i in range(221, 231)
    ]
