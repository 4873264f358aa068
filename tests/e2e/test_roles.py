"""/config roles refuses roles that would open the coordination to everyone or that nobody
can be given, and warns when the coordination role looks held by most members."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models import GuildSettings
from bot.services import guilds as guilds_service
from tests.conftest import slash_anyway


async def stored_roles(db: Database, guild_id: int) -> tuple[int | None, int | None]:
    async with db.transaction() as session:
        row = await session.scalar(select(GuildSettings).where(GuildSettings.guild_id == guild_id))
        return (row.coordination_role_id, row.promeneur_role_id) if row else (None, None)


async def test_everyone_is_refused_as_coordination_and_grants_nothing(configured, db: Database) -> None:
    w = configured
    before = await stored_roles(db, w.guild.id)
    refused = await w.admin.slash(w.general, "config roles", coordination=w.guild.default_role)
    assert refused.ephemeral
    assert refused.response.content.startswith("@everyone ne peut pas être le rôle de la coordination\u00a0:")
    assert await stored_roles(db, w.guild.id) == before
    # Both options given, one refused: nothing is written.
    mixed = await w.admin.slash(
        w.general, "config roles", coordination=w.guild.default_role, promeneurs=w.coordination_role
    )
    assert "@everyone" in mixed.response.content
    assert await stored_roles(db, w.guild.id) == before
    # A plain member still gets no member export.
    export = await slash_anyway(w.alice, w.general, "membres export")
    assert export.ephemeral and "réservée à la coordination" in export.response.content
    assert not export.response.attachments


async def test_everyone_stored_before_the_fix_grants_nothing(configured, db: Database) -> None:
    w = configured
    async with db.transaction() as session:
        row = await session.get(GuildSettings, w.guild.id)
        row.coordination_role_id = w.guild.id  # what the old bot accepted
    export = await slash_anyway(w.alice, w.general, "membres export")
    assert "réservée à la coordination" in export.response.content


@pytest.mark.parametrize("option", ["coordination", "promeneurs"])
async def test_managed_roles_are_refused(configured, db: Database, option: str) -> None:
    w = configured
    booster = w.guild.create_role("Server Booster", managed=True)
    before = await stored_roles(db, w.guild.id)
    refused = await w.admin.slash(w.general, "config roles", **{option: booster})
    assert refused.ephemeral
    assert refused.response.content == (
        "Le rôle «\u00a0Server Booster\u00a0» est géré par Discord ou par une intégration (bot, "
        "abonnement, boost)\u00a0: il ne se donne pas à la main. Choisissez un rôle créé pour le serveur."
    )
    assert await stored_roles(db, w.guild.id) == before


async def test_coordination_role_equal_to_promeneurs_is_accepted_with_a_warning(configured, db: Database) -> None:
    w = configured
    done = await w.admin.slash(w.general, "config roles", coordination=w.promeneur_role)
    assert done.ephemeral
    assert done.response.content.startswith("Rôles enregistrés.")
    assert "⚠️ Le rôle de la coordination est aussi celui des Promeneurs" in done.response.content
    assert await stored_roles(db, w.guild.id) == (w.promeneur_role.id, w.promeneur_role.id)
    # The same warning when the Promeneurs role is set to the coordination role afterwards.
    await w.admin.slash(w.general, "config roles", coordination=w.coordination_role)
    again = await w.admin.slash(w.general, "config roles", promeneurs=w.coordination_role)
    assert "⚠️ Le rôle de la coordination est aussi celui des Promeneurs" in again.response.content


async def test_a_dedicated_role_gets_no_warning(configured) -> None:
    w = configured
    done = await w.admin.slash(w.general, "config roles", coordination=w.coordination_role)
    assert "⚠️" not in done.response.content


def test_held_by_most_rule() -> None:
    """When discord.py's cache knows the holders (members intent), more than half warns."""
    facts = lambda holders: guilds_service.RoleFacts(  # noqa: E731
        id=5, name="Équipe", is_default=False, managed=False, holders=holders
    )
    risk = guilds_service.coordination_role_risk
    assert risk(facts(61), promeneur_role_id=7, member_count=120) == guilds_service.HELD_BY_MOST
    assert risk(facts(60), promeneur_role_id=7, member_count=120) is None
    assert risk(facts(0), promeneur_role_id=7, member_count=120) is None  # unknown holders
    assert risk(facts(2), promeneur_role_id=7, member_count=2) is None  # tiny test server
    assert risk(facts(0), promeneur_role_id=5, member_count=None) == guilds_service.SAME_AS_PROMENEURS
