"""Timing inside the bot: interaction received → response sent.

`InteractionClock.install(bot)` wraps discord.py's INTERACTION_CREATE gateway parser (the
moment the payload reaches the bot: "received") and the interaction response methods plus
the follow-up webhook (the moment each HTTP call returned: "sent"). Nothing of SimCord's
actor call (its settling, its 50 ms idle wait) is counted. Keys are interaction tokens (a
follow-up webhook knows only the token).
"""

from __future__ import annotations

import functools
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import discord

RESPONSE_METHODS = ("send_message", "defer", "send_modal", "edit_message", "autocomplete")


@dataclass
class Stamp:
    received: float
    responses: list[float] = field(default_factory=list)

    @property
    def first(self) -> float | None:
        return (self.responses[0] - self.received) * 1000 if self.responses else None

    @property
    def last(self) -> float | None:
        return (self.responses[-1] - self.received) * 1000 if self.responses else None


class InteractionClock:
    def __init__(self) -> None:
        self.stamps: dict[str, Stamp] = {}
        self._undo: list[tuple[Any, str, Any]] = []

    def install(self, bot: discord.Client) -> None:
        state = bot._connection
        original_parser = state.parsers["INTERACTION_CREATE"]

        def parse_interaction(data: dict[str, Any]) -> None:
            self.stamps[data["token"]] = Stamp(time.perf_counter())
            original_parser(data)

        state.parsers["INTERACTION_CREATE"] = parse_interaction
        self._undo.append((state.parsers, "INTERACTION_CREATE", original_parser))

        def stamping(method: Any, token_of: Any) -> Any:
            @functools.wraps(method)
            async def wrapper(obj: Any, *args: Any, **kwargs: Any) -> Any:
                result = await method(obj, *args, **kwargs)
                stamp = self.stamps.get(token_of(obj))
                if stamp is not None:
                    stamp.responses.append(time.perf_counter())
                return result

            return wrapper

        for name in RESPONSE_METHODS:
            method = getattr(discord.InteractionResponse, name)
            self._patch(discord.InteractionResponse, name, stamping(method, lambda r: r._parent.token))
        self._patch(discord.Webhook, "send", stamping(discord.Webhook.send, lambda w: w.token))

    def _patch(self, owner: Any, name: str, value: Any) -> None:
        self._undo.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    def uninstall(self) -> None:
        for owner, name, value in reversed(self._undo):
            if isinstance(owner, dict):
                owner[name] = value
            else:
                setattr(owner, name, value)
        self._undo.clear()

    def last_stamp(self) -> Stamp:
        return next(reversed(self.stamps.values()))


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Summary:
    name: str
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def p99(self) -> float:
        return percentile(self.samples, 99)

    @property
    def max(self) -> float:
        return max(self.samples)
