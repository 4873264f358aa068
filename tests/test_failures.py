"""Every exception met while posting becomes a French sentence saying what to do, never an
exception's text; and whether Discord may have created the message anyway."""

from __future__ import annotations

import errno

import aiohttp
import discord
import pytest

from bot.failures import (
    CONNECTION_LOST,
    DISCORD_DOWN,
    INTERNAL,
    NO_CHANNEL,
    ChannelNotConfiguredError,
    explain,
    maybe_delivered,
)

NBSP = "\u00a0"


class _Response:
    def __init__(self, status: int) -> None:
        self.status, self.reason, self.headers = status, "x", {}


def _http(cls, status: int, code: int = 0):
    return cls(_Response(status), {"code": code, "message": "Internal text that must not leak"})


RESET = aiohttp.ClientOSError(errno.ECONNRESET, "Connection reset by peer")
CASES = [
    # (error, French explanation, may the message exist anyway?)
    (ChannelNotConfiguredError("x"), NO_CHANNEL, False),
    (
        _http(discord.NotFound, 404, 10003),
        f"le salon <#42> n'existe plus (ou le bot ne peut plus le voir){NBSP}: "
        "choisissez-en un autre avec /config salons",
        False,
    ),
    (
        _http(discord.Forbidden, 403, 50001),
        f"le bot n'a pas la permission «{NBSP}Voir le salon{NBSP}» dans <#42>"
        f"{NBSP}: donnez-la-lui dans les paramètres du salon",
        False,
    ),
    (_http(discord.DiscordServerError, 503), DISCORD_DOWN, True),
    (_http(discord.HTTPException, 500), DISCORD_DOWN, True),
    (
        _http(discord.HTTPException, 400, 50035),
        f"Discord a refusé le message{NBSP}; vérifiez le salon <#42> et les permissions du bot",
        False,
    ),
    (RESET, CONNECTION_LOST, True),
    (TimeoutError(), CONNECTION_LOST, True),
    (KeyError("a bug"), INTERNAL, False),
]


@pytest.mark.parametrize(("error", "text", "maybe"), CASES, ids=[type(c[0]).__name__ for c in CASES])
def test_explain_and_maybe_delivered(error: BaseException, text: str, maybe: bool) -> None:
    assert explain(error, channel_id=42) == text
    assert "Internal text" not in text and "Error" not in text
    assert maybe_delivered(error) is maybe


def test_forbidden_without_channel_cache_lists_what_to_check() -> None:
    text = explain(_http(discord.Forbidden, 403, 50013), channel_id=42)
    assert text.startswith("le bot n'a pas les permissions nécessaires dans <#42>")
    assert f"«{NBSP}Envoyer des messages{NBSP}»" in text
