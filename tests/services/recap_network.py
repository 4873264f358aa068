"""The small network the recap's service tests build: two territories and members added
through the members service (the way the bot adds them)."""

from __future__ import annotations

from datetime import date

from bot.db import Database
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services.members import ProfileChanges


async def add_territories(db: Database, guild_id: int) -> Database:
    async with db.transaction(lock=True) as session:
        await guilds_service.add_territory(session, guild_id, "63", "Puy-de-Dôme")
        await guilds_service.add_territory(session, guild_id, "03", "Allier")
    return db


async def add_member(
    db: Database, guild_id: int, discord_id: int, territory: str, strand: str, joined: date, **kw
) -> int:
    async with db.transaction(lock=True) as session:
        member, _ = await members_service.update_profile(
            session,
            guild_id,
            discord_id,
            f"M{discord_id}",
            ProfileChanges(territory=territory, strand=strand, joined_on=joined, **kw),
            today=joined,
        )
        return member.id
