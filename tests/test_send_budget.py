"""The scheduled posts' sending budget, on a simulated clock (no real waiting): the global
bucket and the per-channel window never let more requests through than Discord allows,
and the servers' jitter is deterministic and spread."""

from __future__ import annotations

import asyncio
import heapq

from bot.outbox import jitter_seconds
from bot.send_budget import SendBudget, TokenBucket


class SimClock:
    """Virtual time: a sleeper wakes when every task is waiting and its time is the
    earliest (`run` drives the tasks)."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = 0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        self._seq += 1
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), self._seq, future))
        await future

    async def run(self, work):
        task = asyncio.ensure_future(work)
        while not task.done():
            for _ in range(20):  # let every runnable task reach its next wait
                await asyncio.sleep(0)
            if self._sleepers and not task.done():
                wake, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, wake)
                future.set_result(None)
        return task.result()


def _max_in_window(stamps: list[float], window: float) -> int:
    return max(sum(1 for t in stamps if start <= t < start + window - 1e-9) for start in stamps)


async def test_bucket_lets_a_burst_through_then_the_rate() -> None:
    clock = SimClock()
    bucket = TokenBucket(10, 5, clock=clock, sleep=clock.sleep)
    stamps = []

    async def work() -> None:
        for _ in range(25):
            await bucket.take()
            stamps.append(clock())

    await clock.run(work())
    assert stamps[:5] == [0.0] * 5  # the burst
    assert abs(stamps[-1] - 2.0) < 1e-6  # then 10 per second: 20 more in 2 s
    assert _max_in_window(stamps, 1.0) <= 15


async def test_concurrent_posts_stay_under_discord_limits() -> None:
    """300 requests from 100 servers at once: ≤ 50/s in all, ≤ 5 per 5 s per channel."""
    clock = SimClock()
    budget = SendBudget(clock=clock, sleep=clock.sleep)
    sent: list[tuple[float, int]] = []

    async def post(channel: int) -> None:
        await budget.take(channel)
        sent.append((clock(), channel))

    await clock.run(asyncio.gather(*(post(c % 100) for c in range(300))))
    stamps = sorted(t for t, _ in sent)
    assert len(sent) == 300
    assert _max_in_window(stamps, 1.0) <= 50
    assert _max_in_window(stamps, 1.0) <= budget.bucket.rate + budget.bucket.burst
    for channel in range(100):
        mine = sorted(t for t, c in sent if c == channel)
        assert _max_in_window(mine, 5.0) <= 5


async def test_one_channel_is_throttled_to_five_per_window() -> None:
    clock = SimClock()
    budget = SendBudget(clock=clock, sleep=clock.sleep)
    stamps = []

    async def work() -> None:
        for _ in range(12):
            await budget.take(42)
            stamps.append(clock())

    await clock.run(work())
    assert stamps[:5] == [0.0] * 5
    assert _max_in_window(stamps, 5.0) <= 5
    assert stamps[5] >= budget.channel_window


def test_jitter_is_stable_and_spread() -> None:
    ids = [1_200_000_000_000_000_000 + 7919 * n for n in range(100)]
    seconds = [jitter_seconds(g) for g in ids]
    assert seconds == [jitter_seconds(g) for g in ids]
    assert all(0 <= s < 60 for s in seconds)
    assert len(set(seconds)) >= 30  # 100 servers spread over the minute
