"""What went wrong with a Discord call, in French, and whether the message may exist anyway.

`explain(error, channel=...)` is the one place that turns an exception met while posting into
a sentence for the coordination: what happened and what to do. Nothing internal (exception
text, repr, error codes) ever reaches a person. `maybe_delivered(error)` says whether Discord
may have created the message although the call failed (a 5xx answer, a lost connection): the
next attempt must then look for it in the channel before posting again.
"""

from __future__ import annotations

import asyncio

import aiohttp
import discord

NBSP = "\u00a0"


class ChannelNotConfiguredError(Exception):
    """The server has not chosen the channel a post goes to (/config salons)."""


# Discord JSON error codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
_UNKNOWN_CHANNEL = 10003
_MISSING_ACCESS = 50001
_MISSING_PERMISSIONS = 50013

# The permissions a post needs, with their French names in the server settings.
PERMISSION_LABELS = {
    "view_channel": "Voir le salon",
    "send_messages": "Envoyer des messages",
    "embed_links": "Intégrer des liens",
    "attach_files": "Joindre des fichiers",
    "read_message_history": "Voir les anciens messages",
}

NO_CHANNEL = f"aucun salon n'est configuré pour cette publication{NBSP}: choisissez-le avec /config salons"
CHANNEL_GONE = (
    f"le salon {{channel}} n'existe plus (ou le bot ne peut plus le voir){NBSP}: choisissez-en "
    "un autre avec /config salons"
)
MISSING_PERMISSION = (
    f"le bot n'a pas la permission {{permissions}} dans {{channel}}{NBSP}: donnez-la-lui dans les paramètres du salon"
)
MISSING_PERMISSIONS = (
    f"le bot n'a pas les permissions {{permissions}} dans {{channel}}{NBSP}: donnez-les-lui "
    "dans les paramètres du salon"
)
MISSING_SOME_PERMISSION = (
    f"le bot n'a pas les permissions nécessaires dans {{channel}}{NBSP}: vérifiez qu'il a "
    "«\u00a0Voir le salon\u00a0», «\u00a0Envoyer des messages\u00a0», «\u00a0Intégrer des liens\u00a0» et «\u00a0Joindre des fichiers\u00a0»"
)
DISCORD_DOWN = (
    "Discord a rencontré une erreur de son côté (service momentanément indisponible)"
    f"{NBSP}; le bot réessaiera automatiquement"
)
CONNECTION_LOST = f"la connexion avec Discord a été interrompue{NBSP}; le bot réessaiera automatiquement"
DISCORD_REFUSED = f"Discord a refusé le message{NBSP}; vérifiez le salon {{channel}} et les permissions du bot"
INTERNAL = (
    "une erreur interne du bot a empêché la publication (le détail est dans le journal du "
    f"bot){NBSP}; le bot réessaiera automatiquement"
)
A_CHANNEL = "le salon choisi"

# A request cut off on the way (reset, timeout): Discord may or may not have acted on it.
_CONNECTION_ERRORS = (aiohttp.ClientError, ConnectionError, asyncio.TimeoutError)


def quoted(label: str) -> str:
    return f"«{NBSP}{label}{NBSP}»"


def _channel_text(channel: object | None, channel_id: int | None) -> str:
    mention = getattr(channel, "mention", None)
    if channel is not None and mention:
        return str(mention)
    return f"<#{channel_id}>" if channel_id else A_CHANNEL


def missing_permissions(channel: object | None, needed: tuple[str, ...]) -> list[str]:
    """The French names of the permissions in `needed` the bot lacks in `channel` (as far as
    its cache knows; [] when it cannot tell)."""
    guild = getattr(channel, "guild", None)
    me = getattr(guild, "me", None)
    if guild is None or me is None or not hasattr(channel, "permissions_for"):
        return []
    perms = channel.permissions_for(me)
    missing = [name for name in needed if not getattr(perms, name, True)]
    # Without "view", nothing else counts; without "send", Discord drops embeds and files too.
    for first in ("view_channel", "send_messages"):
        if first in missing:
            missing = [first]
            break
    return [PERMISSION_LABELS[name] for name in missing]


def explain(
    error: BaseException,
    *,
    channel: object | None = None,
    channel_id: int | None = None,
    needed: tuple[str, ...] = ("view_channel", "send_messages", "embed_links", "attach_files"),
) -> str:
    """A French sentence (no capital, no final dot: it is inserted in a message) saying what
    went wrong and what to do."""
    where = _channel_text(channel, channel_id)
    if isinstance(error, ChannelNotConfiguredError):
        return NO_CHANNEL
    if isinstance(error, discord.NotFound) or (
        isinstance(error, discord.HTTPException) and error.code == _UNKNOWN_CHANNEL
    ):
        return CHANNEL_GONE.format(channel=where)
    if isinstance(error, discord.Forbidden):
        if error.code == _MISSING_ACCESS:
            missing = [PERMISSION_LABELS["view_channel"]]
        else:
            missing = missing_permissions(channel, needed)
        if missing:
            names = ", ".join(quoted(name) for name in missing[:-1])
            names = f"{names} et {quoted(missing[-1])}" if names else quoted(missing[-1])
            text = MISSING_PERMISSION if len(missing) == 1 else MISSING_PERMISSIONS
            return text.format(permissions=names, channel=where)
        return MISSING_SOME_PERMISSION.format(channel=where)
    if isinstance(error, discord.DiscordServerError) or (
        isinstance(error, discord.HTTPException) and error.status >= 500
    ):
        return DISCORD_DOWN
    if isinstance(error, discord.HTTPException):
        return DISCORD_REFUSED.format(channel=where)
    if isinstance(error, _CONNECTION_ERRORS):
        return CONNECTION_LOST
    return INTERNAL


def maybe_delivered(error: BaseException) -> bool:
    """Whether Discord may have created the message although the call raised `error`: a
    4xx answer says it did not; a 5xx answer, a lost connection or a timeout say nothing."""
    if isinstance(error, discord.HTTPException):
        return error.status >= 500
    return isinstance(error, _CONNECTION_ERRORS)
