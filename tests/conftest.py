"""Shared fixtures: a real database migrated with Alembic (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), the real bot built by `create_bot`, and a SimCord world."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import discord
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import PdnBot, create_bot
from bot.config import Settings
from bot.db import Database
from bot.interactions import user_message
from bot.migrations import alembic_config
from tests.french_check import typography_faults

PG_URL = os.environ.get("TEST_DATABASE_URL")


class FrozenClock:
    """Business time for tests: starts at a chosen instant, moved by hand."""

    def __init__(self, start: datetime) -> None:
        self.value = start

    def __call__(self) -> datetime:
        return self.value

    def set(self, value: datetime) -> None:
        self.value = value


def _pg_admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


async def _pg_exec(url: str, sql: str) -> None:
    engine = create_async_engine(_pg_admin_url(url), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrate once per run; each test gets a copy (a file, or a PostgreSQL template)."""
    if PG_URL:
        import asyncio

        template = f"pdn_tpl_{uuid.uuid4().hex[:8]}"
        asyncio.run(_pg_exec(PG_URL, f'CREATE DATABASE "{template}"'))
        url = PG_URL.rsplit("/", 1)[0] + f"/{template}"
        command.upgrade(alembic_config(url), "head")
        yield template
        asyncio.run(_pg_exec(PG_URL, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
    else:
        path = tmp_path_factory.mktemp("template") / "template.db"
        command.upgrade(alembic_config(f"sqlite+aiosqlite:///{path}"), "head")
        yield str(path)


@pytest.fixture
async def database_url(migrated_template: str, tmp_path: Path) -> AsyncIterator[str]:
    if PG_URL:
        name = f"pdn_test_{uuid.uuid4().hex[:10]}"
        await _pg_exec(PG_URL, f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"')
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
        await _pg_exec(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "bot.db"
        shutil.copy(migrated_template, path)
        yield f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2027, 6, 14, 8, 0, tzinfo=UTC))  # Monday 10:00 Paris


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(discord_token="test-token", database_url=database_url, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def make_bot(settings: Settings, clock: FrozenClock):
    """A new bot on the same database, as after a process restart. SimCord detaches bots
    without closing them: their scheduler and database pool are released at the end."""
    bots: list[PdnBot] = []

    def make(**options: Any) -> PdnBot:
        """`options`: more of `create_bot`'s arguments (a test's own `watch_fetcher`)."""
        bots.append(create_bot(settings, now=clock, **options))
        return bots[-1]

    yield make
    for bot in bots:
        await bot.release_resources()


@pytest.fixture
def simcord_bot(make_bot) -> PdnBot:
    return make_bot()


@pytest.fixture
async def env(simcord_env):
    """SimCord's env. User errors (refusals, invalid values) are the product answering as
    designed; any other error the bot met fails the test."""
    yield simcord_env
    unexpected = [e for e in simcord_env.errors if user_message(e) is None]
    if unexpected:
        raise unexpected[0]
    # Every message, embed, button and form the bot sent: French typography (tests/french_check.py).
    faults = typography_faults(simcord_env)
    if faults:
        shown = "\n".join(f"  {f!r}" for f in faults[:20])
        pytest.fail(
            "The bot sent French without its no-break spaces (before\u00a0:\u00a0;\u00a0!\u00a0? and inside «\u00a0»): "
            f"fix the text, or run `python -m tools.french_typography --fix`:\n{shown}",
            pytrace=False,
        )


@dataclass
class World:
    """A network server: channels, roles, a coordinator and two Promeneurs."""

    env: object
    guild: object
    general: object
    announcements: object
    digest: object
    requests: object
    recaps: object
    coordination_role: object
    promeneur_role: object
    admin: object
    coordinator: object
    alice: object
    bob: object


def grant_coordination(env, guild, role) -> None:
    """What the admin does once in Server Settings → Intégrations (docs/configuration.md):
    every command hidden from members by its default permission (Gérer le serveur) is
    allowed to the coordination role."""
    for scope in (None, guild.id):
        for registered in env.backend.commands.get(scope, {}).values():
            if registered.get("default_member_permissions") is not None:
                guild.set_command_permissions(int(registered["id"]), {role: True})


async def cancel_event(actor, channel, **options):
    """/evenement annuler, then « Oui, annuler l'événement » on the confirmation."""
    asked = await actor.slash(channel, "evenement annuler", **options)
    return await actor.click(asked.response.message, label="Oui, annuler l'événement")


@contextmanager
def shown_anyway(actor, channel, root: str) -> Iterator[None]:
    """A command hidden from a member (checked absent from their picker), allowed to them
    alone for the block, as a misconfigured server would: the bot's own gate must answer."""
    assert not any(c.split()[0] == root for c in actor.available_commands(channel)), root
    backend = actor._env.backend
    guild_id = backend.get_channel(channel.id).guild_id
    command_id = int(backend.find_command(root, guild_id)["id"])
    before = list(backend.get_command_permissions(guild_id, command_id) or [])
    allow = {"id": str(actor.id), "type": 2, "permission": True}
    backend.set_command_permissions(guild_id, command_id, [*before, allow])
    try:
        yield
    finally:
        backend.set_command_permissions(guild_id, command_id, before)


async def slash_anyway(actor, channel, name: str, **options):
    """`actor.slash` on a command hidden from them (see `shown_anyway`)."""
    with shown_anyway(actor, channel, name.split()[0]):
        return await actor.slash(channel, name, **options)


@pytest.fixture
def world(env) -> World:
    guild = env.create_guild(name="Promeneurs du Net 03-63")
    coordination_role = guild.create_role("Coordination")
    grant_coordination(env, guild, coordination_role)
    promeneur_role = guild.create_role("Promeneurs")
    admin_role = guild.create_role("Admin", permissions=discord.Permissions(manage_guild=True))
    return World(
        env=env,
        guild=guild,
        general=guild.create_text_channel("general"),
        announcements=guild.create_text_channel("annonces"),
        digest=guild.create_text_channel("veille"),
        requests=guild.create_text_channel("demandes"),
        recaps=guild.create_text_channel("bilans"),
        coordination_role=coordination_role,
        promeneur_role=promeneur_role,
        admin=guild.add_member(env.create_user("admin", global_name="Admin"), roles=[admin_role]),
        coordinator=guild.add_member(
            env.create_user("claire", global_name="Claire Coordination"), roles=[coordination_role]
        ),
        alice=guild.add_member(env.create_user("alice", global_name="Alice Martin"), roles=[promeneur_role]),
        bob=guild.add_member(env.create_user("bob", global_name="Bob Durand"), roles=[promeneur_role]),
    )


@pytest.fixture
async def configured(world: World) -> World:
    """The world after the admin set up roles, channels and two territories."""
    w = world
    await w.admin.slash(w.general, "config roles", coordination=w.coordination_role, promeneurs=w.promeneur_role)
    await w.admin.slash(
        w.general,
        "config salons",
        annonces=w.announcements,
        veille=w.digest,
        demandes=w.requests,
        bilans=w.recaps,
    )
    await w.coordinator.slash(w.general, "config territoire-ajouter", code="63", nom="Puy-de-Dôme")
    await w.coordinator.slash(w.general, "config territoire-ajouter", code="03", nom="Allier")
    return w


@pytest.fixture
async def profiles(configured: World) -> World:
    """The configured world where Alice (63, Jeunesse) and Bob (03, Parentalité) have profiles."""
    w = configured
    await w.alice.slash(
        w.general,
        "profil modifier",
        territoire="63",
        volet="youth",
        structure="MJC Riom",
        type_structure="Centre social",
        arrivee="01/09/2020",
    )
    await w.bob.slash(
        w.general,
        "profil modifier",
        territoire="03",
        volet="parenting",
        structure="Mairie de Vichy",
        arrivee="01/03/2021",
    )
    return w


# SimCord waits at most `settle_timeout` seconds for the bot to finish what an event started.
# Its default (5 s) is for an idle machine; CI shares two cores between the suite and a
# PostgreSQL server: a slower machine gets more time, a stuck bot still fails.
SETTLE_TIMEOUT = float(os.environ.get("SIMCORD_SETTLE_TIMEOUT", "20"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("simcord") is None:
            item.add_marker(pytest.mark.simcord(settle_timeout=SETTLE_TIMEOUT))
