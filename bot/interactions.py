"""Answering interactions: one reply helper and the one error reporter every command,
button and modal goes through."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.errors import UserError
from bot.limits import fit_message

if TYPE_CHECKING:
    from bot.app import PdnBot

    # An interaction of this bot: `interaction.client` is the PdnBot (its db, features, now()).
    Interaction = discord.Interaction[PdnBot]
else:
    Interaction = discord.Interaction

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()

MSG_UNEXPECTED = (
    "Une erreur inattendue est survenue (réf. {ref}). Réessayez dans un instant\u00a0; si cela "
    "persiste, transmettez cette référence à la coordination."
)
MSG_NOT_IN_GUILD = "Cette commande s'utilise sur le serveur du réseau, pas en message privé."
MSG_COOLDOWN = "Doucement\u00a0! Réessayez dans {seconds} s."


def guild_id(interaction: discord.Interaction[Any]) -> int:
    """The server of an interaction; a server-only command or component used in a direct
    message gets the French "use it on the server" answer (`MSG_NOT_IN_GUILD`)."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    ephemeral: bool = True,
    **kwargs: Any,
) -> None:
    """Answer once: the initial response if still possible, else a follow-up message.
    User text never pings anyone (mentions are disabled); the message is made to fit
    Discord's limits (`bot.limits`), so that it is never refused."""
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    kwargs = fit_message({"content": content, **kwargs})
    content = kwargs.pop("content")
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, **kwargs)


class RefusedCheck(app_commands.CheckFailure):
    """A check that refused the user, with the French reason to show them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def unwrap(error: BaseException) -> BaseException:
    while (
        isinstance(error, (app_commands.CommandInvokeError, app_commands.TransformerError))
        and error.__cause__ is not None
    ):
        error = error.__cause__
    original = getattr(error, "original", None)
    return original if isinstance(original, BaseException) else error


def user_message(error: BaseException) -> str | None:
    """The French message for an error the user can act on, or None for a bug."""
    error = unwrap(error)
    if isinstance(error, (UserError, RefusedCheck)):
        return error.message
    if isinstance(error, app_commands.NoPrivateMessage):
        return MSG_NOT_IN_GUILD
    if isinstance(error, app_commands.CommandOnCooldown):
        return MSG_COOLDOWN.format(seconds=round(error.retry_after))
    return None


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Show a user error as is; log anything else with a reference the user can quote."""
    message = user_message(error)
    if message is None:
        ref = secrets.token_hex(2).upper()
        name = interaction.command.qualified_name if interaction.command else interaction.data
        log.error("Unexpected error (ref. %s) in %s", ref, name, exc_info=unwrap(error))
        message = MSG_UNEXPECTED.format(ref=ref)
    try:
        await reply(interaction, message)
    except discord.HTTPException:
        log.warning("Could not tell the user about an error", exc_info=True)


class GuardedModal(discord.ui.Modal):
    """A modal whose errors go through `report_error` like commands do."""

    # discord.py's Modal.on_error drops BaseView's `item` argument: mypy sees the override of
    # a 3-argument method by a 2-argument one, which is discord.py's own signature.
    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        await report_error(interaction, error)


async def run_guarded(interaction: discord.Interaction, handler: Any) -> None:
    """Run a component handler; user errors are shown, bugs are shown with a reference and
    re-raised so discord.py logs them too (persistent `DynamicItem`s have no view of ours)."""
    try:
        await handler(interaction)
    except Exception as error:
        await report_error(interaction, error)
        if user_message(error) is None:
            raise
