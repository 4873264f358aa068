"""Public entry points of the requests feature for other features (the panel's « Demander
de l'aide » button): they call these functions, never the cog by name."""

from __future__ import annotations

from bot import interactions
from bot.interactions import Interaction
from bot.services import members as members_service
from cogs.requests._modals import RequestModal


async def open_request_form(interaction: Interaction) -> None:
    """The request form (/accompagnement demander), for a member with a profile."""
    async with interaction.client.db.transaction() as session:
        await members_service.require_profile(session, interactions.guild_id(interaction), interaction.user.id)
    await interaction.response.send_modal(RequestModal())
