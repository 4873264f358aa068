"""Activity logging on the real database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models.activity import Activity
from bot.errors import NotFoundError, PermissionDeniedError, ValidationError
from bot.services import activity as activity_service
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services import privacy
from bot.services.members import ProfileChanges

GUILD, ALICE, BOB = 1, 11, 12
TODAY = date(2027, 6, 14)


@pytest.fixture
async def network(db: Database) -> Database:
    async with db.transaction(lock=True) as session:
        await guilds_service.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        await guilds_service.add_territory(session, GUILD, "03", "Allier")
        await members_service.update_profile(
            session, GUILD, ALICE, "Alice", ProfileChanges(territory="63", strand="youth"), today=TODAY
        )
        await members_service.update_profile(
            session, GUILD, BOB, "Bob", ProfileChanges(territory="03", strand="parenting"), today=TODAY
        )
    return db


async def _log(db: Database, who: int, kind: str, **kw) -> Activity:
    async with db.transaction() as session:
        return await activity_service.log_activity(session, GUILD, who, kind, today=TODAY, **kw)


async def test_defaults_profile_territory_today_and_one(network: Database) -> None:
    a = await _log(network, ALICE, "school_intervention")
    assert (a.quantity, a.occurred_on, a.territory_code, a.member_id is not None) == (1.0, TODAY, "63", True)
    shared = await _log(network, BOB, "presentation", territory="commun", day=date(2027, 1, 5), quantity=3)
    assert (shared.territory_code, shared.quantity) == (None, 3.0)
    hours = await _log(network, ALICE, "online_presence", quantity=1.3)
    assert hours.quantity == 1.25  # quarter hours


@pytest.mark.parametrize(
    ("kind", "kw", "message"),
    [
        ("dance", {}, activity_service.ERR_KIND),
        (
            "presentation",
            {"quantity": 0},
            "La quantité doit être un nombre entier entre 1 et 50 (vous avez indiqué 0). Pour davantage, faites plusieurs saisies.",
        ),
        (
            "presentation",
            {"quantity": 1.5},
            "La quantité doit être un nombre entier entre 1 et 50 (vous avez indiqué 1,5). Pour davantage, faites plusieurs saisies.",
        ),
        (
            "online_presence",
            {"quantity": 0.1},
            "Le nombre d'heures doit être compris entre 0,25 et 300 (vous avez indiqué 0,1).",
        ),
        (
            "presentation",
            {"day": date(2027, 6, 15)},
            "La date 15/06/2027 est dans le futur\u00a0: une activité se saisit une fois réalisée.",
        ),
        (
            "presentation",
            {"day": date(1999, 12, 31)},
            "La date 31/12/1999 est trop ancienne\u00a0: indiquez une date à partir de 2000.",
        ),
        ("presentation", {"note": "x" * 301}, "La note dépasse 300 caractères (301). Raccourcissez-le."),
    ],
)
async def test_bad_input_refused_nothing_written(network: Database, kind: str, kw: dict, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        await _log(network, ALICE, kind, **kw)
    assert error.value.message == message
    async with network.transaction() as session:
        assert (await session.scalars(select(Activity))).all() == []


async def test_coordination_time_is_for_the_coordination(network: Database) -> None:
    with pytest.raises(PermissionDeniedError):
        await _log(network, ALICE, "coordination", quantity=2)
    a = await _log(network, 999, "coordination", quantity=2, is_coordinator=True)
    assert (a.member_id, a.territory_code, a.author_discord_id) == (None, None, 999)
    with pytest.raises(NotFoundError):  # a member needs a profile for the other kinds
        await _log(network, 998, "presentation")
    with pytest.raises(ValidationError):  # the coordination does not, but names the territory
        await _log(network, 999, "presentation", is_coordinator=True)
    p = await _log(network, 999, "presentation", quantity=3, territory="commun", is_coordinator=True)
    assert (p.member_id, p.territory_code, p.quantity) == (None, None, 3.0)
    year = await _log(network, 999, "coordination", quantity=1600, is_coordinator=True)
    assert year.quantity == 1600.0
    with pytest.raises(ValidationError):  # coordination hours: up to 2,000 h per entry
        await _log(network, 999, "coordination", quantity=2000.5, is_coordinator=True)
    with pytest.raises(ValidationError):  # online presence keeps its 300 h cap
        await _log(network, ALICE, "online_presence", quantity=301)


async def test_only_own_entries_can_be_cancelled(network: Database) -> None:
    a = await _log(network, ALICE, "presentation")
    async with network.transaction() as session:
        with pytest.raises(PermissionDeniedError):
            await activity_service.cancel(session, GUILD, BOB, a.id)
        with pytest.raises(NotFoundError):
            await activity_service.cancel(session, GUILD + 1, ALICE, a.id)  # another server
    async with network.transaction() as session:
        await activity_service.cancel(session, GUILD, ALICE, a.id)
    async with network.transaction() as session:
        assert (await session.scalars(select(Activity))).all() == []
        with pytest.raises(NotFoundError):
            await activity_service.cancel(session, GUILD, ALICE, a.id)


async def test_export_and_anonymise_keep_the_statistics(network: Database) -> None:
    await _log(network, ALICE, "presentation", note="Collège Jean Zay")
    async with network.transaction() as session:
        data = await privacy.export_member(session, GUILD, ALICE, [activity_service.PRIVACY_HOOK])
    assert data["activites"][0]["note"] == "Collège Jean Zay"
    async with network.transaction(lock=True) as session:
        await privacy.anonymise_member(
            session, GUILD, ALICE, [activity_service.PRIVACY_HOOK], now=datetime(2027, 6, 14, tzinfo=UTC)
        )
    async with network.transaction() as session:
        row = (await session.scalars(select(Activity))).one()
    assert (row.note, row.author_discord_id, row.kind, row.territory_code) == (None, None, "presentation", "63")
