"""The scheduled posts' sending budget: well below Discord's rate limits, whatever the
number of servers due at the same minute.

Discord allows a bot 50 requests per second in all (the global limit) and about 5 messages
per 5 seconds in one channel; past them it answers 429 and discord.py waits. A burst of
100 servers' digests would hit both. The outbox takes a token before each request it makes
to post (a message, a look at the channel's history):

- a global token bucket: `rate` requests per second on average, bursts of `burst`;
- per channel, at most `channel_burst` posts in any `channel_window` seconds (5 in 5 s,
  Discord's documented limit for messages in a channel).

Interactions (the answers to commands and buttons) do not go through it: they have their
own limits at Discord and must answer within 3 seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

GLOBAL_RATE = 10.0  # requests/s (Discord: 50/s for the whole bot)
GLOBAL_BURST = 10
CHANNEL_BURST, CHANNEL_WINDOW = 5, 5.5  # posts per seconds in one channel (Discord: 5 per 5 s)


class TokenBucket:
    """`rate` tokens per second, at most `burst` saved. `take()` waits for one."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rate, self.burst = rate, burst
        self._clock, self._sleep = clock, sleep
        self._tokens = float(burst)
        self._stamp = clock()
        self._lock = asyncio.Lock()  # first come, first served

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def take(self) -> float:
        """Wait for a token; returns how long this caller waited (in the bucket's clock)."""
        async with self._lock:
            started = self._clock()
            self._refill()
            while self._tokens < 1 - 1e-9:  # (float rounding: 0.9999999… is a token)
                await self._sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens = max(self._tokens - 1, 0.0)
            return self._clock() - started


class SendBudget:
    """The global bucket and the per-channel spacing, shared by every server's posts."""

    def __init__(
        self,
        rate: float = GLOBAL_RATE,
        burst: int = GLOBAL_BURST,
        channel_burst: int = CHANNEL_BURST,
        channel_window: float = CHANNEL_WINDOW,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bucket = TokenBucket(rate, burst, clock=clock, sleep=sleep)
        self.channel_burst, self.channel_window = channel_burst, channel_window
        self._clock, self._sleep = clock, sleep
        self._slots: dict[int, deque[float]] = {}  # channel → its last reserved slots
        self.waited = 0.0  # total seconds spent waiting (for the benchmarks and the logs)

    def _reserve(self, channel_id: int, now: float) -> float:
        """The channel's next free slot (now, or when its oldest of the last `burst` posts
        leaves the window), reserved at once so that concurrent callers queue up."""
        slots = self._slots.setdefault(channel_id, deque(maxlen=self.channel_burst))
        slot = now if len(slots) < self.channel_burst else max(now, slots[0] + self.channel_window)
        slots.append(slot)
        if len(self._slots) > 10_000:  # forget channels idle for a window
            self._slots = {c: d for c, d in self._slots.items() if d[-1] > now - self.channel_window}
        return slot

    async def take(self, channel_id: int | None) -> None:
        """Before one request that posts in (or reads) `channel_id`."""
        started = self._clock()
        if channel_id is not None:
            slot = self._reserve(channel_id, started)
            if slot > started:
                await self._sleep(slot - started)
        await self.bucket.take()
        self.waited += self._clock() - started
