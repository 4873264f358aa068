"""The national network generator: a deterministic (seeded) database the size of a national
coordination, filled with bulk Core inserts shaped like the rows the services write.

    python -m bench generate                       # SQLite, bench/data/national.db
    python -m bench generate --url postgresql+asyncpg://postgres@127.0.0.1:54335/pdn_bench

Sizes (DESIGN.md §6): 100 territories, 3,000 members over 5 years (arrivals, departures,
territory/strand changes), 300,000 activities, 5,000 events with 50,000 registrations,
10,000 requests (with their history), 25,000 watch items in 250 digests (+ a small draft),
3,000 survey answers in 10 campaigns. The schema comes from Alembic (`upgrade_to_head`).

Business "now" of the national network: `NOW` (mid-January 2027), so that 2026 is the
year-end recap's year and 2022–2026 are the five years of history; about a hundred events
are still to come (the ones the benchmarks register to).
"""

from __future__ import annotations

import asyncio
import random
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import PARIS
from bot.db.models import Member, MemberPeriod, Territory
from bot.db.models.activity import (
    ACTIVITY_KINDS,
    COORDINATION,
    ONLINE_PRESENCE,
    Activity,
    SurveyAnswer,
    SurveyAnswerNetwork,
    SurveyCampaign,
)
from bot.db.models.events import (
    ALL,
    AUDIENCES,
    EVENT_TYPES,
    HYBRID,
    IN_PERSON,
    REGISTERED,
    REMOTE,
    WAITLISTED,
    WALK_IN,
    WITHDRAWN,
    Event,
    EventRegistration,
)
from bot.db.models.guild import Counter, GuildSettings
from bot.db.models.member import PARENTING, YOUTH
from bot.db.models.requests import (
    ACTIVE,
    CANCELLED,
    DONE,
    KINDS,
    MODES,
    OFFLINE,
    AccompanimentRequest,
    RequestEvent,
)
from bot.db.models.requests import DISCORD as SOURCE_DISCORD
from bot.db.models.watch import ACCEPTED, WatchContribution, WatchDigest, WatchItem
from bot.db.session import make_engine
from bot.migrations import upgrade_to_head
from bot.services import lists
from bot.services import survey as survey_service
from bot.services.watch.urls import link_key

DEFAULT_URL = "sqlite+aiosqlite:///bench/data/national.db"
SEED = 2027
GUILD_ID = 900_000_000_000_000_001
COORDINATOR_DISCORD_ID = 800_000_000_000_000_001
DISCORD_BASE = 700_000_000_000_000_000  # member i on Discord: DISCORD_BASE + i
NOW = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)  # Friday 10:00 in Paris
TODAY = NOW.astimezone(PARIS).date()
FIRST_DAY = date(2022, 1, 1)
RECAP_YEAR = 2026

SIZES = {
    "territories": 100,
    "members": 3_000,
    "activities": 300_000,
    "events": 5_000,
    "future_events": 100,  # among the 5,000
    "registrations": 50_000,
    "requests": 10_000,
    "digests": 250,
    "watch_items": 25_000,  # in the digests
    "draft_items": 20,  # the pending draft (on top)
    "campaigns": 10,
    "survey_answers": 3_000,
}
BATCH = 5_000
# Sizes that stay fixed when the network grows (`--scale`): the map and the calendar of
# the survey; everything people do scales.
FIXED = ("territories", "campaigns", "draft_items", "digests")  # digests: one a week
NATIONAL = dict(SIZES)


def set_scale(scale: float) -> None:
    """Scale the generator's sizes (1 = the national network, 4 = four times it)."""
    for name, size in NATIONAL.items():
        SIZES[name] = size if name in FIXED else max(1, round(size * scale))


def url_for_scale(scale: float) -> str:
    """The default SQLite file of a size: national.db at 1×, national-x4.db at 4×."""
    return DEFAULT_URL if scale == 1 else DEFAULT_URL.replace("national.db", f"national-x{scale:g}.db")


FIRST_NAMES = (
    "Camille Léa Manon Chloé Inès Jade Louise Emma Sarah Lina Hugo Lucas Nathan Louis Jules "
    "Gabriel Arthur Théo Adam Raphaël Paul Nina Zoé Alice Claire Karim Yanis Sofia Maëlys Noé"
).split()
LAST_NAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
    "Dupont Lambert Bonnet François Martinez Legrand"
).split()
TOWNS = "Riom Vichy Moulins Clermont Thiers Issoire Montluçon Ambert Aurillac Le-Puy".split()


def territory_codes() -> list[str]:
    codes = [f"{i:02d}" for i in range(1, 96) if i != 20] + ["2A", "2B", "971", "972", "973", "974"]
    return codes[: SIZES["territories"]]


def paris(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def random_day(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end] (inclusive)."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, max(span, 0)))


@dataclass
class GenMember:
    id: int
    discord_id: int | None
    name: str
    joined_on: date
    left_on: date | None
    periods: list[tuple[date, date | None, str, str]] = field(default_factory=list)  # from, to, code, strand
    structure_type: str | None = None

    def active_on(self, day: date) -> bool:
        return self.joined_on <= day and (self.left_on is None or day <= self.left_on)

    def period_on(self, day: date) -> tuple[date, date | None, str, str]:
        starts = [p[0] for p in self.periods]
        index = max(bisect_right(starts, day) - 1, 0)
        return self.periods[index]


class Generator:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.codes = territory_codes()
        # Bigger and smaller départements: a Zipf-like weight.
        self.code_weights = [1.0 / (1 + (i % 37)) ** 0.6 for i in range(len(self.codes))]
        self.members: list[GenMember] = []
        self.by_code: dict[str, list[GenMember]] = {}
        self.counts: dict[str, int] = {}

    def code(self) -> str:
        return self.rng.choices(self.codes, self.code_weights)[0]

    # -- rows -------------------------------------------------------------------------------

    def guild_rows(self) -> tuple[list[dict], list[dict]]:
        created = paris(date(2021, 12, 1), 10)
        guild = [{"guild_id": GUILD_ID, "created_at": created, "updated_at": created}]
        territories = [
            {
                "id": i + 1,
                "guild_id": GUILD_ID,
                "code": code,
                "name": f"Département {code}",
                "active": True,
                "created_at": created,
            }
            for i, code in enumerate(self.codes)
        ]
        return guild, territories

    def member_rows(self) -> tuple[list[dict], list[dict]]:
        rng = self.rng
        n = SIZES["members"]
        initial = int(n * 0.6)  # already in the network on 1 January 2022
        structure_types = lists.LISTS[lists.STRUCTURE_TYPES].defaults
        professions = lists.LISTS[lists.PROFESSIONS].defaults
        members, periods = [], []
        period_id = 0
        for i in range(1, n + 1):
            if i <= initial:
                joined = random_day(rng, date(2016, 1, 1), date(2021, 12, 31))
            else:
                joined = random_day(rng, FIRST_DAY, TODAY - timedelta(days=5))
            left = None
            if rng.random() < 0.37:  # turnover: about 1,100 departures over the five years
                earliest = max(joined + timedelta(days=60), FIRST_DAY)
                if earliest < TODAY - timedelta(days=2):
                    left = random_day(rng, earliest, TODAY - timedelta(days=2))
            on_discord = rng.random() < 0.85
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            code, strand = self.code(), (YOUTH if rng.random() < 0.75 else PARENTING)
            end = left or TODAY
            spans: list[tuple[date, date | None, str, str]] = []
            start = joined
            changes = 0
            while changes < 2 and rng.random() < (0.22 if changes == 0 else 0.25):
                first_possible = max(start + timedelta(days=30), FIRST_DAY)
                if first_possible >= end:
                    break
                change_on = random_day(rng, first_possible, end - timedelta(days=1))
                spans.append((start, change_on, code, strand))
                if rng.random() < 0.6:
                    code = self.code()
                else:
                    strand = PARENTING if strand == YOUTH else YOUTH
                start = change_on
                changes += 1
            spans.append((start, (left + timedelta(days=1)) if left else None, code, strand))
            member = GenMember(
                id=i,
                discord_id=DISCORD_BASE + i if on_discord else None,
                name=name,
                joined_on=joined,
                left_on=left,
                periods=spans,
                structure_type=rng.choice(structure_types) if rng.random() < 0.92 else None,
            )
            self.members.append(member)
            self.by_code.setdefault(code, []).append(member)
            created = paris(joined, 12)
            members.append(
                {
                    "id": i,
                    "guild_id": GUILD_ID,
                    "discord_id": member.discord_id,
                    "display_name": name,
                    "structure_name": f"{rng.choice(('MJC', 'Centre social', 'Mairie', 'PIJ', 'Médiathèque'))} {rng.choice(TOWNS)}",
                    "structure_type": member.structure_type,
                    "profession": rng.choice(professions) if rng.random() < 0.85 else None,
                    "joined_on": joined,
                    "left_on": left,
                    "anonymised_at": None,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            for valid_from, valid_to, p_code, p_strand in spans:
                period_id += 1
                periods.append(
                    {
                        "id": period_id,
                        "guild_id": GUILD_ID,
                        "member_id": i,
                        "territory_code": p_code,
                        "strand": p_strand,
                        "valid_from": valid_from,
                        "valid_to": valid_to,
                    }
                )
        return members, periods

    def _active_member(self, day: date, code: str | None = None, *, discord: bool = False) -> GenMember | None:
        pool = self.by_code.get(code, self.members) if code else self.members
        for _ in range(60):
            member = self.rng.choice(pool)
            if member.active_on(day) and (not discord or member.discord_id is not None):
                return member
        if code:
            return self._active_member(day, None, discord=discord)
        return None

    def activity_rows(self) -> list[dict]:
        rng = self.rng
        last = TODAY - timedelta(days=1)
        eligible = []
        for m in self.members:
            start, end = max(m.joined_on, FIRST_DAY), min(m.left_on or last, last)
            if start <= end:
                eligible.append((m, start, (end - start).days))
        kinds = [k for k in ACTIVITY_KINDS if k != COORDINATION]
        weights = ([22, 14, 10, 40, 14] + [5] * len(kinds))[: len(kinds)]  # kinds added later: rarer
        rows = []
        for i in range(1, SIZES["activities"] + 1):
            created_day: date
            if rng.random() < 0.04:  # coordination hours, logged by the coordination
                day = random_day(rng, FIRST_DAY, last)
                code = self.code() if rng.random() < 0.7 else None
                rows.append(
                    {
                        "id": i,
                        "guild_id": GUILD_ID,
                        "member_id": None,
                        "author_discord_id": COORDINATOR_DISCORD_ID,
                        "kind": COORDINATION,
                        "quantity": float(rng.choice((1, 1.5, 2, 3, 4, 7))),
                        "occurred_on": day,
                        "territory_code": code,
                        "note": None,
                        "created_at": paris(day, 18),
                    }
                )
                continue
            member, start, span = rng.choice(eligible)
            day = start + timedelta(days=rng.randint(0, span))
            kind = rng.choices(kinds, weights)[0]
            quantity = float(rng.choice((0.5, 1, 1.5, 2, 3))) if kind == ONLINE_PRESENCE else float(rng.randint(1, 3))
            code = None if rng.random() < 0.05 else member.period_on(day)[2]
            created_day = min(day + timedelta(days=rng.randint(0, 6)), last)
            rows.append(
                {
                    "id": i,
                    "guild_id": GUILD_ID,
                    "member_id": member.id,
                    "author_discord_id": member.discord_id or COORDINATOR_DISCORD_ID,
                    "kind": kind,
                    "quantity": quantity,
                    "occurred_on": day,
                    "territory_code": code,
                    "note": "Atelier numérique au collège" if rng.random() < 0.1 else None,
                    "created_at": paris(created_day, 17, rng.randint(0, 59)),
                }
            )
        return rows

    def event_rows(self) -> tuple[list[dict], list[dict]]:
        rng = self.rng
        n, future = SIZES["events"], SIZES["future_events"]
        days = sorted(
            [random_day(rng, FIRST_DAY, date(RECAP_YEAR, 12, 18)) for _ in range(n - future)]
            + [random_day(rng, TODAY + timedelta(days=7), TODAY + timedelta(days=90)) for _ in range(future)]
        )
        events, registrations = [], []
        reg_id = 0
        target = SIZES["registrations"]
        per_event = [rng.randint(2, 18) for _ in range(n)]
        scale = target / sum(per_event)
        per_event = [max(1, round(k * scale)) for k in per_event]
        for index, day in enumerate(days):
            event_id = index + 1
            half = rng.random() < 0.55
            hour = rng.choice((9, 14)) if half else 9
            starts = paris(day, hour, 30 if rng.random() < 0.3 else 0)
            ends = starts + (timedelta(hours=3, minutes=30) if half else timedelta(hours=7))
            fmt = rng.choices((IN_PERSON, REMOTE, HYBRID), (60, 30, 10))[0]
            code = self.code() if rng.random() < 0.7 else None
            is_future = day > TODAY
            capacity = rng.randint(12, 40) if (rng.random() < 0.8 or is_future) else None
            if is_future:
                capacity = 2_000  # the benchmarks register many members to these
            cancelled = None if (is_future or rng.random() > 0.03) else starts - timedelta(days=3)
            audience = rng.choices(AUDIENCES, (85, 5, 5, 5))[0] if not is_future else ALL
            created = starts - timedelta(days=rng.randint(10, 40))
            events.append(
                {
                    "id": event_id,
                    "guild_id": GUILD_ID,
                    "title": f"{rng.choice(('Échange de pratiques', 'Formation', 'Accueil des nouveaux', 'Analyse de pratiques', 'Conférence'))} n°{event_id}",
                    "type": rng.choice(EVENT_TYPES),
                    "starts_at": starts,
                    "ends_at": ends,
                    "duration_days": 0.5 if half else 1.0,
                    "format": fmt,
                    "place": f"Salle municipale, {rng.choice(TOWNS)}" if fmt != REMOTE else None,
                    "link": "https://visio.example.org/pdn" if fmt != IN_PERSON else None,
                    "territory_code": code,
                    "capacity": capacity,
                    "waitlist_enabled": True,
                    "registration_deadline": None,
                    "audience": audience,
                    "description": "Programme : tour de table, atelier, retours d'expérience."
                    if rng.random() < 0.6
                    else None,
                    "reminder_hours": "24,1",
                    "cancelled_at": cancelled,
                    "announcement_channel_id": None,
                    "announcement_message_id": None,
                    "created_by": COORDINATOR_DISCORD_ID,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            wanted = per_event[index] if not is_future else rng.randint(0, 3)
            chosen: dict[int, GenMember] = {}
            sign_up_day = min(day - timedelta(days=5), TODAY)
            for _ in range(wanted * 3):
                if len(chosen) >= wanted:
                    break
                member = self._active_member(sign_up_day, code if rng.random() < 0.7 else None, discord=True)
                if member is not None and member.active_on(day):
                    chosen[member.id] = member
            seats = capacity if capacity is not None else 10**9
            for position, member in enumerate(chosen.values(), start=1):
                reg_id += 1
                if rng.random() < 0.05:
                    status = WITHDRAWN
                else:
                    status = REGISTERED if position <= seats else WAITLISTED
                attended = None
                past = day < TODAY and cancelled is None
                if past and status == REGISTERED:
                    attended = rng.random() < 0.85
                when = created + timedelta(hours=position)
                registrations.append(
                    {
                        "id": reg_id,
                        "guild_id": GUILD_ID,
                        "event_id": event_id,
                        "member_id": member.id,
                        "status": status,
                        "position": position,
                        "attended": attended,
                        "created_at": when,
                        "updated_at": when,
                    }
                )
            if day < TODAY and cancelled is None and rng.random() < 0.1:
                walk_in = self._active_member(day, code, discord=False)
                if walk_in is not None and walk_in.id not in chosen:
                    reg_id += 1
                    registrations.append(
                        {
                            "id": reg_id,
                            "guild_id": GUILD_ID,
                            "event_id": event_id,
                            "member_id": walk_in.id,
                            "status": WALK_IN,
                            "position": len(chosen) + 1,
                            "attended": True,
                            "created_at": ends,
                            "updated_at": ends,
                        }
                    )
        return events, registrations

    def request_rows(self) -> tuple[list[dict], list[dict]]:
        rng = self.rng
        n = SIZES["requests"]
        moments = sorted(
            paris(random_day(rng, FIRST_DAY, TODAY - timedelta(days=1)), rng.randint(8, 19), rng.randint(0, 59))
            for _ in range(n)
        )
        requests, history = [], []
        history_id = 0
        retention = NOW - timedelta(days=730)
        for number, created in enumerate(moments, start=1):
            day = created.astimezone(PARIS).date()
            offline = rng.random() < 0.1
            member = self._active_member(day, discord=not offline)
            period = member.period_on(day) if member else None
            kind = rng.choices(KINDS, (55, 20, 15, 10))[0]
            recent = created > NOW - timedelta(days=30)
            status = (
                rng.choice(ACTIVE) if recent and rng.random() < 0.7 else (DONE if rng.random() < 0.88 else CANCELLED)
            )
            first_response = created + timedelta(hours=rng.randint(1, 72)) if status != "open" else None
            closed = None
            if status in (DONE, CANCELLED):
                closed = min(
                    created + timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 8)), NOW - timedelta(hours=1)
                )
            purged = closed is not None and closed < retention
            requests.append(
                {
                    "id": number,
                    "guild_id": GUILD_ID,
                    "number": number,
                    "requester_member_id": member.id if member else None,
                    "kind": kind,
                    "mode": rng.choice(MODES),
                    "territory_code": period[2] if period else None,
                    "strand": period[3] if period else None,
                    "status": status,
                    "source": OFFLINE if offline else SOURCE_DISCORD,
                    "subject": None if purged else "Créer une page Instagram pour la structure",
                    "details": None
                    if purged
                    else "Nous voudrions ouvrir un compte et savoir comment animer une communauté de jeunes. " * 2,
                    "availability": None if purged else "Les mardis après-midi",
                    "outcome": None if purged or status != DONE else "Compte créé, charte de modération rédigée.",
                    "claimed_by_discord_id": COORDINATOR_DISCORD_ID if first_response else None,
                    "claimed_by_name": "Claire Coordination" if first_response else None,
                    "scheduled_at": None,
                    "reminded_day_before": False,
                    "reminded_hour_before": False,
                    "overdue_prompted": False,
                    "last_nudge_on": None,
                    "thread_id": None if offline else 600_000_000_000_000_000 + number,
                    "message_id": None if offline else 610_000_000_000_000_000 + number,
                    "thread_attempts": 0 if offline else 1,
                    "created_at": created,
                    "first_response_at": first_response,
                    "closed_at": closed,
                    "duration_minutes": rng.choice((30, 45, 60, 90, 120)) if status == DONE else None,
                    "people_reached": rng.randint(2, 12) if status == DONE and kind != "individual" else None,
                    "rating": rng.randint(3, 5) if status == DONE and rng.random() < 0.4 else None,
                    "purged_at": closed + timedelta(days=730) if purged else None,
                    "updated_at": closed or first_response or created,
                }
            )
            actions = [("recorded" if offline else "created", created)]
            if first_response:
                actions.append(("claimed", first_response))
            if closed:
                actions.append((status, closed))
            if purged:
                actions.append(("purged", closed + timedelta(days=730)))
            for action, at in actions:
                history_id += 1
                history.append(
                    {
                        "id": history_id,
                        "guild_id": GUILD_ID,
                        "request_id": number,
                        "at": at,
                        "action": action,
                        "actor_discord_id": COORDINATOR_DISCORD_ID
                        if action != "created"
                        else (member.discord_id if member else None),
                        "actor_name": "Claire Coordination"
                        if action != "created"
                        else (member.name if member else None),
                        "detail": None,
                    }
                )
        return requests, history

    def watch_rows(self) -> tuple[list[dict], list[dict], list[dict]]:
        rng = self.rng
        categories = lists.LISTS[lists.WATCH_CATEGORIES].defaults
        digests, items, contributions = [], [], []
        per_digest = SIZES["watch_items"] // SIZES["digests"]
        monday = date.fromisocalendar(2022, 3, 1)
        item_id = contribution_id = 0

        def add_item(digest_id: int | None, position: int, created: datetime) -> None:
            nonlocal item_id, contribution_id
            item_id += 1
            day = created.astimezone(PARIS).date()
            contributors = [self._active_member(day, discord=True)]
            if rng.random() < 0.1:
                contributors.append(self._active_member(day, discord=True))
            url = f"https://www.exemple-{item_id % 997}.fr/articles/{item_id}-jeunes-et-numerique"
            items.append(
                {
                    "id": item_id,
                    "guild_id": GUILD_ID,
                    "url": url,
                    "url_key": link_key(url),
                    "title": f"Article {item_id} : les jeunes et les écrans",
                    "category": rng.choice(categories),
                    "comment": "À lire avant la prochaine rencontre." if rng.random() < 0.5 else None,
                    "status": ACCEPTED,
                    "featured": rng.random() < 0.05,
                    "position": position,
                    "digest_id": digest_id,
                    "feed_id": None,
                    "source_channel_id": None,
                    "source_message_id": None,
                    "created_at": created,
                }
            )
            seen = set()
            for member in contributors:
                if member is None or member.id in seen:
                    continue
                seen.add(member.id)
                contribution_id += 1
                contributions.append(
                    {
                        "id": contribution_id,
                        "guild_id": GUILD_ID,
                        "item_id": item_id,
                        "member_id": member.id,
                        "discord_id": member.discord_id,
                        "display_name": member.name,
                        "comment": None,
                        "created_at": created,
                    }
                )

        for number in range(1, SIZES["digests"] + 1):
            start = monday + timedelta(weeks=number - 1)
            end = start + timedelta(days=6)
            year, week, _ = start.isocalendar()
            published = paris(end + timedelta(days=1), 9)
            digests.append(
                {
                    "id": number,
                    "guild_id": GUILD_ID,
                    "number": number,
                    "period": f"{year}-W{week:02d}",
                    "period_start": start,
                    "period_end": end,
                    "editorial": None,
                    "published_at": published,
                    "created_at": published,
                }
            )
            for position in range(1, per_digest + 1):
                add_item(number, position, paris(start + timedelta(days=rng.randint(0, 6)), rng.randint(8, 20)))
        for position in range(1, SIZES["draft_items"] + 1):
            add_item(None, position, NOW - timedelta(hours=position * 5))
        return digests, items, contributions

    def survey_rows(self) -> tuple[list[dict], list[dict], list[dict]]:
        rng = self.rng
        campaigns, answers, networks = [], [], []
        per_campaign = SIZES["survey_answers"] // SIZES["campaigns"]
        answer_id = network_id = 0
        launches = [
            paris(date(year, month, 1), 10) for year in range(2022, 2022 + SIZES["campaigns"] // 2) for month in (3, 10)
        ]
        for number, launched in enumerate(launches, start=1):
            day = launched.astimezone(PARIS).date()
            active = [m for m in self.members if m.active_on(day)]
            campaigns.append(
                {
                    "id": number,
                    "guild_id": GUILD_ID,
                    "number": number,
                    "launched_at": launched,
                    "closes_at": survey_service.closing_instant(day + timedelta(days=30)),
                    "eligible_count": len(active),
                    "launched_by": COORDINATOR_DISCORD_ID,
                    "channel_id": None,
                    "message_id": None,
                }
            )
            for member in rng.sample(active, min(per_campaign, len(active))):
                answer_id += 1
                _, _, code, strand = member.period_on(day)
                answers.append(
                    {
                        "id": answer_id,
                        "guild_id": GUILD_ID,
                        "campaign_id": number,
                        "member_id": member.id,
                        "strand": strand,
                        "territory_code": code,
                        "audience": rng.choice(survey_service.AUDIENCES[strand]),
                        "structure_type": member.structure_type or "Autre",
                        "weekly_hours": rng.choice(survey_service.WEEKLY_HOURS),
                        "answered_at": launched + timedelta(days=rng.randint(0, 28), hours=rng.randint(0, 8)),
                    }
                )
                for network in rng.sample(survey_service.NETWORKS, rng.randint(1, 4)):
                    network_id += 1
                    networks.append(
                        {"id": network_id, "guild_id": GUILD_ID, "answer_id": answer_id, "network": network}
                    )
        return campaigns, answers, networks


async def _insert(conn: AsyncConnection, table: Any, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        await conn.execute(table.insert(), rows[start : start + BATCH])


async def generate(
    url: str = DEFAULT_URL, *, seed: int = SEED, quiet: bool = False, scale: float = 1.0
) -> dict[str, Any]:
    """Build the national database at `url` (replaced if it exists), its sizes multiplied by
    `scale`. Returns counts and time."""
    say = (lambda *a: None) if quiet else print
    set_scale(scale)
    started = time.perf_counter()
    await _reset(url)
    await upgrade_to_head(url)
    say(f"migrated in {time.perf_counter() - started:.1f} s")

    gen = Generator(seed)
    guild, territories = gen.guild_rows()
    members, periods = gen.member_rows()
    plan: list[tuple[Any, list[dict]]] = [
        (GuildSettings.__table__, guild),
        (Territory.__table__, territories),
        (Member.__table__, members),
        (MemberPeriod.__table__, periods),
    ]
    events, registrations = gen.event_rows()
    plan += [(Event.__table__, events), (EventRegistration.__table__, registrations)]
    requests, history = gen.request_rows()
    plan += [(AccompanimentRequest.__table__, requests), (RequestEvent.__table__, history)]
    digests, items, contributions = gen.watch_rows()
    plan += [
        (WatchDigest.__table__, digests),
        (WatchItem.__table__, items),
        (WatchContribution.__table__, contributions),
    ]
    campaigns, answers, networks = gen.survey_rows()
    plan += [
        (SurveyCampaign.__table__, campaigns),
        (SurveyAnswer.__table__, answers),
        (SurveyAnswerNetwork.__table__, networks),
    ]
    plan.append((Activity.__table__, gen.activity_rows()))
    counters = [
        {"guild_id": GUILD_ID, "name": "request", "value": len(requests)},
        {"guild_id": GUILD_ID, "name": "digest", "value": len(digests)},
        {"guild_id": GUILD_ID, "name": "survey", "value": len(campaigns)},
    ]
    plan.append((Counter.__table__, counters))
    generated = time.perf_counter()
    say(f"rows generated in {generated - started:.1f} s")

    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            for table, rows in plan:
                t0 = time.perf_counter()
                await _insert(conn, table, rows)
                say(f"  {table.name:<32} {len(rows):>8,} rows  {time.perf_counter() - t0:6.2f} s")
        if engine.dialect.name == "postgresql":
            async with engine.begin() as conn:
                for table, rows in plan:
                    if "id" in table.c and rows:
                        await conn.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"(SELECT max(id) FROM {table.name}))"
                            )
                        )
            async with engine.connect() as conn:
                await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(text("ANALYZE"))
        async with engine.connect() as conn:
            totals = {table.name: await conn.scalar(select(func.count()).select_from(table)) for table, _ in plan}
    finally:
        await engine.dispose()
    elapsed = time.perf_counter() - started
    say(f"national database ready in {elapsed:.1f} s: {url}")
    return {"url": url, "seconds": elapsed, "rows": totals}


def _remove_sqlite(url: str) -> None:
    from pathlib import Path

    path = Path(url.split(":///", 1)[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def _reset(url: str) -> None:
    """Start from nothing: remove the SQLite file, or empty the PostgreSQL database."""
    if url.startswith("sqlite"):
        await asyncio.to_thread(_remove_sqlite, url)
        return
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench generate", description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    asyncio.run(generate(args.url, seed=args.seed, scale=args.scale))
