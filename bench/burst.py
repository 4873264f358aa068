"""Benchmark 3: a burst of 500 registrations for 50 seats from 500 members at once, through
the service (`events_registrations.register`), each in its own
`db.transaction(lock=True)`, all started together with `asyncio.gather`, on a working copy
of the national database. Checks: exactly 50 registered, 450 waitlisted with ranks 1…450
each given once, positions in the same order as the ranks, after every registered seat."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from bench.generate import DEFAULT_URL, GUILD_ID, NOW
from bench.world import working_copy
from bot.db import Database
from bot.db.models import Member
from bot.db.models.events import REGISTERED, WAITLISTED, EventRegistration
from bot.services.events import lifecycle as events_service
from bot.services.events import registrations as regs
from bot.services.events import rules as event_rules

SEATS = 50
PEOPLE = 500


@dataclass
class BurstResult:
    backend: str
    seconds: float
    registered: int
    waitlisted: int
    errors: int
    in_order: bool

    @property
    def per_second(self) -> float:
        return PEOPLE / self.seconds

    @property
    def ok(self) -> bool:
        return self.registered == SEATS and self.waitlisted == PEOPLE - SEATS and self.errors == 0 and self.in_order


async def run(url: str = DEFAULT_URL) -> BurstResult:
    async with working_copy(url) as work:
        db = Database(work)
        try:
            async with db.transaction() as session:
                event = await events_service.create_event(
                    session,
                    GUILD_ID,
                    event_rules.EventDraft(
                        title="Rencontre nationale (rafale)",
                        type="conference",
                        starts_at=NOW + timedelta(days=20),
                        ends_at=NOW + timedelta(days=20, hours=7),
                        format="in_person",
                        place="Paris",
                        capacity=SEATS,
                    ),
                    now=NOW,
                )
                people = list(
                    (
                        await session.scalars(
                            select(Member.discord_id)
                            .where(
                                Member.guild_id == GUILD_ID, Member.discord_id.is_not(None), Member.left_on.is_(None)
                            )
                            .order_by(Member.id)
                            .limit(PEOPLE)
                        )
                    ).all()
                )
            assert len(people) == PEOPLE, len(people)

            async def one(discord_id: int) -> regs.RegistrationResult:
                async with db.transaction(lock=True) as session:
                    return await regs.register(session, GUILD_ID, event.id, discord_id, now=NOW)

            t0 = time.perf_counter()
            results = await asyncio.gather(*(one(d) for d in people), return_exceptions=True)
            seconds = time.perf_counter() - t0
            errors = [r for r in results if isinstance(r, BaseException)]
            done = [r for r in results if not isinstance(r, BaseException)]
            ranks = sorted(r.rank for r in done if r.status == WAITLISTED)
            async with db.transaction() as session:
                stored = (
                    await session.execute(
                        select(EventRegistration.status, EventRegistration.position)
                        .where(EventRegistration.event_id == event.id)
                        .order_by(EventRegistration.position)
                    )
                ).all()
            statuses = [s for s, _ in stored]
            positions = [p for _, p in stored]
            in_order = (
                ranks == list(range(1, PEOPLE - SEATS + 1))
                and statuses == [REGISTERED] * SEATS + [WAITLISTED] * (PEOPLE - SEATS)
                and positions == sorted(set(positions))
            )
            return BurstResult(
                backend=db.engine.dialect.name,
                seconds=seconds,
                registered=sum(1 for s in statuses if s == REGISTERED),
                waitlisted=sum(1 for s in statuses if s == WAITLISTED),
                errors=len(errors),
                in_order=in_order,
            )
        finally:
            await db.dispose()


def table(results: list[BurstResult]) -> str:
    lines = [
        f"{'burst (500 for 50 seats)':<28} {'time':>8} {'regs/s':>8} {'registered':>11} {'waitlisted':>11} {'errors':>7} {'order':>6} {'':>4}",
        "-" * 92,
    ]
    for r in results:
        lines.append(
            f"{r.backend:<28} {r.seconds:>6.2f} s {r.per_second:>8.0f} {r.registered:>11} {r.waitlisted:>11} "
            f"{r.errors:>7} {'yes' if r.in_order else 'NO':>6} {'ok' if r.ok else 'FAIL':>4}"
        )
    return "\n".join(lines)
