"""The benchmarks' world: a working copy of the national database (so runs are repeatable)
and the real bot served by SimCord on a server whose id is the national guild's."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from sqlalchemy import select, text, update

from bench.generate import DEFAULT_URL, GUILD_ID, NOW
from bot.app import PdnBot, create_bot
from bot.config import Settings
from bot.db.models import Member
from bot.db.models.activity import Activity
from bot.db.session import make_engine
from bot.services.watch.fetch import NoFetcher


def settings_for(url: str) -> Settings:
    return Settings(discord_token="bench-without-discord", database_url=url, _env_file=None)  # type: ignore[call-arg]


def _copy_sqlite(source: Path) -> Path:
    if not source.exists():
        raise SystemExit(f"No national database at {source}: run `python -m bench generate` first.")
    target = source.with_name(f"work-{uuid.uuid4().hex[:6]}.db")
    shutil.copy(source, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copy(f"{source}{suffix}", f"{target}{suffix}")
    return target


def _remove_sqlite(target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


@asynccontextmanager
async def working_copy(url: str = DEFAULT_URL) -> AsyncIterator[str]:
    """A throwaway copy of the national database (file copy, or PostgreSQL template)."""
    if url.startswith("sqlite"):
        target = await asyncio.to_thread(_copy_sqlite, Path(url.split(":///", 1)[1]))
        try:
            yield f"sqlite+aiosqlite:///{target}"
        finally:
            await asyncio.to_thread(_remove_sqlite, target)
        return
    base, name = url.rsplit("/", 1)
    work = f"{name}_work_{uuid.uuid4().hex[:6]}"
    admin = make_engine(f"{base}/postgres")
    try:
        async with admin.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'CREATE DATABASE "{work}" TEMPLATE "{name}"'))
        try:
            yield f"{base}/{work}"
        finally:
            async with admin.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{work}" WITH (FORCE)'))
    finally:
        await admin.dispose()


def make_bot(url: str) -> PdnBot:
    """The real bot, but its watch fetcher never reaches the network: /veille ajouter would
    otherwise time a remote site and this machine's resolver, in the event loop the other
    commands share. The real fetcher is tested in tests/services/test_watch_fetch.py."""
    return create_bot(
        settings_for(url), now=lambda: NOW, extra_extensions=("bench.cog",), freeze_heap=True, watch_fetcher=NoFetcher()
    )


@dataclass
class BenchWorld:
    env: Any
    bot: PdnBot
    guild: Any
    general: Any
    channels: dict[str, Any]
    admin: Any
    coordinator: Any
    promeneurs: list[Any] = field(default_factory=list)
    member_ids: list[int] = field(default_factory=list)


async def build_world(env: Any, bot: PdnBot, *, promeneurs: int = 60) -> BenchWorld:
    """The national server in SimCord, configured by the admin's own /config commands.
    `promeneurs` SimCord users take over the Discord ids of that many current members.
    Waits first for the start-up work (the outbox catch-up) so that it is not measured."""
    await bot.wait_until_ready()
    await asyncio.gather(*list(bot._background), return_exceptions=True)
    # The minute sweeps (reminders, nudges, outbox retries) run on the real clock: over a
    # run of minutes they would fire inside SimCord's settling (and a paused scheduler keeps
    # a timer SimCord waits for): the scheduler is stopped once the bot is ready.
    bot.scheduler.shutdown()
    guild = env.create_guild(name="Promeneurs du Net — national", id=GUILD_ID, preferred_locale="fr")
    coordination = guild.create_role("Coordination")
    promeneur_role = guild.create_role("Promeneurs")
    admin_role = guild.create_role("Admin", permissions=discord.Permissions(manage_guild=True))
    channels = {name: guild.create_text_channel(name) for name in ("general", "annonces", "veille", "bilans")}
    channels["demandes"] = guild.create_text_channel(
        "demandes", overwrites={coordination: discord.PermissionOverwrite(manage_threads=True)}
    )
    admin = guild.add_member(env.create_user("admin", global_name="Admin"), roles=[admin_role])
    coordinator = guild.add_member(env.create_user("claire", global_name="Claire Coordination"), roles=[coordination])
    world = BenchWorld(env, bot, guild, channels["general"], channels, admin, coordinator)
    async with bot.db.transaction() as session:
        rows = (
            await session.execute(
                select(Member.id, Member.display_name)
                .where(Member.guild_id == GUILD_ID, Member.left_on.is_(None), Member.discord_id.is_not(None))
                .order_by(Member.id)
                .limit(promeneurs)
            )
        ).all()
        for member_id, name in rows:
            user = env.create_user(f"promeneur{member_id}", global_name=name)
            actor = guild.add_member(user, roles=[promeneur_role])
            world.promeneurs.append(actor)
            world.member_ids.append(member_id)
            old = await session.scalar(select(Member.discord_id).where(Member.id == member_id))
            await session.execute(update(Member).where(Member.id == member_id).values(discord_id=user.id))
            # Their history follows them (`/activite mes-activites` is timed on real histories).
            await session.execute(
                update(Activity)
                .where(Activity.guild_id == GUILD_ID, Activity.author_discord_id == old)
                .values(author_discord_id=user.id)
            )
    # What the admin does once in Server Settings → Intégrations: the commands hidden from
    # members by their default permission are allowed to the coordination role.
    for scope in (None, guild.id):
        for command in env.backend.commands.get(scope, {}).values():
            if command.get("default_member_permissions") is not None:
                guild.set_command_permissions(int(command["id"]), {coordination: True})
    general = world.general
    await admin.slash(general, "config roles", coordination=coordination, promeneurs=promeneur_role)
    await admin.slash(
        general,
        "config salons",
        annonces=channels["annonces"],
        veille=channels["veille"],
        demandes=channels["demandes"],
        bilans=channels["bilans"],
    )
    return world
