"""Every notification kind × every Discord fault, end to end through SimCord with the real
bot: inject the fault, let the notification be queued by the real feature (a button, a
command, the reminder job, the requests sweep), drive the retries, and check what people
see: each person got their notification exactly once (a DM or a mention), or the
coordination was told in French. Restarts between creation and delivery lose nothing.

SimCord's `inject_error` gives the HTTP statuses (403 closed DMs or missing permission,
5xx before the message exists). A connection reset, a 5xx after the message was created
and a process killed in flight cannot be produced by SimCord: `FlakyHTTP` wraps discord.py's
`HTTPClient.request` (the HTTP boundary) for those.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import discord
import pytest
from discord.http import Route
from sqlalchemy import select

from bot.dates import parse_datetime
from bot.db import Database
from bot.db.models.notifications import PENDING, Notification
from bot.services import notifications as notifications_service
from tests.conftest import cancel_event

# -- the HTTP test double ------------------------------------------------------------------


class _Response:
    status = 503
    reason = "Service Unavailable"


def server_error() -> Exception:
    return discord.DiscordServerError(_Response(), {"message": "Service Unavailable", "code": 0})  # type: ignore[arg-type]


def connection_reset() -> Exception:
    return aiohttp.ClientOSError(104, "Connection reset by peer")


def killed() -> Exception:
    return RuntimeError("the process is killed here")  # nothing catches it: like a kill -9


class FlakyHTTP:
    """Wraps `HTTPClient.request`: a matching call fails before reaching Discord, or after
    Discord has done it (the message exists, the answer is lost)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, http_class: type) -> None:
        self.rules: list[dict[str, Any]] = []
        original = http_class.request
        rules = self.rules

        async def request(http: Any, route: Route, **kwargs: Any) -> Any:
            path = route.url.removeprefix(Route.BASE)
            for rule in rules:
                if rule["times"] and rule["method"] == route.method and fnmatch.fnmatch(path, rule["path"]):
                    rule["times"] -= 1
                    if rule["after"]:
                        await original(http, route, **kwargs)
                    raise rule["error"]()
            return await original(http, route, **kwargs)

        monkeypatch.setattr(http_class, "request", request)

    def fail(self, path: str, error: Any, *, after: bool, times: int = 1, method: str = "POST") -> None:
        self.rules.append({"method": method, "path": path, "error": error, "after": after, "times": times})


# -- the kinds of notification -------------------------------------------------------------

EVENT = dict(
    titre="Atelier Instagram",
    type="thematic_training",
    debut="22/06/2027 9h30",
    fin="16h30",
    format="in_person",
    lieu="Centre social, Riom",
    territoire="63",
    capacite=2,
)
FORM = {
    "kind": ["individual"],
    "mode": ["visio"],
    "subject": "Compte Instagram pro",
    "details": "Je voudrais ouvrir un compte Instagram pour la MJC.",
    "availability": "Mardis",
}


@dataclass
class Kind:
    name: str
    dm: str | None  # what the DM contains (None: a post only, for the coordination)
    post: str  # what the mention (or the post) contains
    alert: str  # what the coordination's alert contains
    person: str | None = "alice"  # who is notified (None: the coordination role)
    context: dict[str, Any] = field(default_factory=dict)

    def recipient(self, w):
        return getattr(w, self.person) if self.person else None

    def channel(self, w):
        return self.context["channel"]

    async def prepare(self, w, clock) -> None:
        if self.name.startswith("event"):
            capacity = 1 if self.name == "event_promoted" else 2
            await w.coordinator.slash(w.general, "evenement creer", **{**EVENT, "capacite": capacity})
            if self.name == "event_promoted":
                await w.bob.slash(w.general, "evenement inscrire", evenement="1")
            await w.alice.slash(w.general, "evenement inscrire", evenement="1")
            self.context["channel"] = w.announcements
            return
        w.requests = w.guild.create_text_channel(
            "demandes-accompagnement",
            overwrites={w.coordination_role: discord.PermissionOverwrite(manage_threads=True)},
        )
        await w.admin.slash(w.general, "config salons", demandes=w.requests)
        shown = await w.alice.slash(w.general, "accompagnement demander")
        await w.alice.submit_modal(shown, FORM)
        thread = w.requests.threads[0]
        self.context["channel"] = w.requests if self.name == "request_nudge" else thread
        if self.name == "request_nudge":
            return
        card = next(m for m in thread.history() if m.embeds and m.components)
        await w.coordinator.click(card, label="Prendre en charge")
        shown = await w.coordinator.click(card, label="Planifier")
        when = "16/06/2027 9h30" if self.name == "request_passed" else "18/06/2027 14h00"
        await w.coordinator.submit_modal(shown, {"when": when})

    async def trigger(self, w, clock) -> None:
        bot = w.env.bot
        if self.name == "event_reminder":
            clock.set(parse_datetime("21/06/2027 9h31"))
            await bot.get_cog("Events").reminder_job()
        elif self.name == "event_promoted":
            await w.bob.slash(w.general, "evenement desinscrire", evenement="1")
        elif self.name == "event_changed":
            await w.coordinator.slash(w.general, "evenement modifier", evenement="1", lieu="Salle des fêtes, Riom")
        elif self.name == "event_cancelled":
            await cancel_event(w.coordinator, w.general, evenement="1")
        else:
            clock.set(
                {
                    "request_reminder": datetime(2027, 6, 17, 13, 0, tzinfo=UTC),  # 23 h before
                    "request_passed": datetime(2027, 6, 16, 10, 0, tzinfo=UTC),  # 2 h 30 after
                    "request_nudge": datetime(2027, 6, 17, 9, 0, tzinfo=UTC),  # 3 days, 11 h Paris
                }[self.name]
            )
            await bot.get_cog("Requests").sweep()
        await w.env.settle()

    def seen(self, w) -> tuple[int, int, list[str]]:
        """(DMs received, mentions or posts in the channel, alerts to the coordination)."""
        person = self.recipient(w)
        dms = 0
        if person is not None and self.dm:
            dms = sum(1 for m in person.user.dm_channel.history() if self.dm in m.content)
        posts = sum(
            1
            for m in self.channel(w).history()
            if self.post in m.content and (person is None or f"<@{person.id}>" in m.content)
        )
        alerts = [m.content for m in w.recaps.history() if self.alert in m.content]
        return dms, posts, alerts


KINDS = [
    Kind(
        "event_reminder",
        dm="Rappel\u00a0: **Atelier Instagram**",
        post="rappel, **Atelier Instagram**",
        alert="Le rappel de **Atelier Instagram**",
    ),
    Kind(
        "event_promoted",
        dm="Bonne nouvelle\u00a0: une place s'est libérée",
        post="une place s'est libérée pour **Atelier Instagram**",
        alert="Une place s'est libérée pour",
    ),
    Kind("event_changed", dm="a changé (lieu)", post="a changé (lieu)", alert="que **Atelier Instagram** a changé"),
    Kind("event_cancelled", dm="est annulé", post="est annulé", alert="de l'annulation de **Atelier Instagram**"),
    Kind(
        "request_reminder",
        dm="⏰ Rappel\u00a0: la séance de la demande d'accompagnement n°1",
        post="Rappel\u00a0: la séance de la demande n°1",
        alert="Le rappel de la séance de la demande n°1",
    ),
    Kind("request_passed", dm=None, post="est passée", alert="la demande n'est pas close", person="coordinator"),
    Kind(
        "request_nudge", dm=None, post="⏳ Demandes sans prise en charge", alert="La relance des demandes", person=None
    ),
]

# -- the faults ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    name: str
    expected: str  # "dm", "mention" (or the post itself), "coordination"
    dm_closed: bool = False
    dm: tuple[Any, bool] | None = None  # (error, after creation) once on the DM
    channel: tuple[Any, bool] | None = None  # once on the channel
    channel_status: int | None = None  # injected on the channel for good
    dm_down: bool = False
    delete_channel: bool = False
    restart: bool = False


DM_FAULTS = [
    Fault("dm_closed", "mention", dm_closed=True),
    Fault("dm_5xx_before", "dm", dm=(None, False)),
    Fault("dm_5xx_after_created", "dm", dm=(server_error, True)),
    Fault("dm_reset_before", "dm", dm=(connection_reset, False)),
    Fault("dm_reset_after_created", "dm", dm=(connection_reset, True)),
    Fault("dm_closed_mention_5xx_after_created", "mention", dm_closed=True, channel=(server_error, True)),
    Fault("dm_closed_mention_reset_before", "mention", dm_closed=True, channel=(connection_reset, False)),
    Fault("dm_closed_channel_403", "coordination", dm_closed=True, channel_status=403),
    Fault("dm_closed_channel_deleted", "coordination", dm_closed=True, delete_channel=True),
    Fault("discord_down_5xx_every_attempt", "coordination", dm_down=True, channel_status=500),
    Fault("restart_before_delivery", "dm", dm=(None, False), restart=True),
    Fault("killed_in_flight_then_restart", "dm", dm=(killed, True), restart=True),
]
CHANNEL_FAULTS = [
    Fault("channel_5xx_before", "mention", channel=(None, False)),
    Fault("channel_5xx_after_created", "mention", channel=(server_error, True)),
    Fault("channel_reset_before", "mention", channel=(connection_reset, False)),
    Fault("channel_reset_after_created", "mention", channel=(connection_reset, True)),
    Fault("channel_403", "coordination", channel_status=403),
    Fault("channel_deleted", "coordination", delete_channel=True),
    Fault("discord_down_5xx_every_attempt", "coordination", channel_status=500),
    Fault("restart_before_delivery", "mention", channel=(None, False), restart=True),
    Fault("killed_in_flight_then_restart", "mention", channel=(killed, True), restart=True),
]
CASES = [
    pytest.param(kind, fault, id=f"{kind.name}-{fault.name}")
    for kind in KINDS
    for fault in (DM_FAULTS if kind.dm else CHANNEL_FAULTS)
]


async def apply(fault: Fault, kind: Kind, w, flaky: FlakyHTTP) -> None:
    env = w.env
    person = kind.recipient(w)
    channel_path = f"/channels/{kind.channel(w).id}/messages"
    dm_path = f"/channels/{person.user.dm_channel.id}/messages" if person is not None and kind.dm else None
    if fault.dm_closed:
        env.inject_error(
            "POST", dm_path, status=403, code=50007, message="Cannot send messages to this user", times=None
        )
    if fault.dm_down:
        env.inject_error("POST", dm_path, status=500, times=None)
    for path, spec in ((dm_path, fault.dm), (channel_path, fault.channel)):
        if spec is None:
            continue
        error, after = spec
        if error is None:
            env.inject_error("POST", path, status=500, times=1)
        else:
            flaky.fail(path, error, after=after)
    if fault.channel_status == 403:
        env.inject_error("POST", channel_path, status=403, code=50013, message="Missing Permissions", times=None)
    elif fault.channel_status:
        env.inject_error("POST", channel_path, status=fault.channel_status, times=None)
    if fault.delete_channel:
        await env.bot.http.delete_channel(kind.channel(w).id)


async def drive_retries(w, clock) -> None:
    """The periodic job, run by hand an hour apart (past every back-off and lease)."""
    for _ in range(notifications_service.MAX_ATTEMPTS + 2):
        clock.set(clock.value + timedelta(minutes=61))
        await w.env.bot.notifier.deliver_due()
        await w.env.settle()


@pytest.mark.parametrize(("kind", "fault"), CASES)
async def test_each_notification_arrives_once_or_the_coordination_is_told(
    profiles, clock, make_bot, monkeypatch, db: Database, kind: Kind, fault: Fault
) -> None:
    w = profiles
    flaky = FlakyHTTP(monkeypatch, type(w.env.bot.http))
    await kind.prepare(w, clock)
    await apply(fault, kind, w, flaky)
    await kind.trigger(w, clock)
    async with db.transaction() as session:
        queued = (await session.scalars(select(Notification).where(Notification.kind == kind.name))).all()
    assert queued, "nothing was queued"
    if fault.restart:  # a new process, once the first attempt is over (or was cut short)
        clock.set(clock.value + notifications_service.LEASE + timedelta(minutes=1))
        await w.env.restart_bot(make_bot())
        await w.env.settle()
    await drive_retries(w, clock)

    dms, posts, alerts = kind.seen(w)
    expected = {
        "dm": (1, 0, 0),
        "mention": (0, 1, 0),
        "coordination": (0, 0, 1),
    }[fault.expected]
    assert (dms, posts, len(alerts)) == expected
    if kind.name == "event_changed" and fault.expected == "dm":  # the embed survives the queue
        [dm] = [m for m in w.alice.user.dm_channel.history() if kind.dm in m.content]
        assert {f.name: f.value for f in dm.embeds[0].fields}["Lieu"] == "Salle des fêtes, Riom"
    for alert in alerts:  # French, says why and what to do, nothing internal
        assert "⚠️ " in alert and "\nCause\u00a0: " in alert
        assert not any(word in alert for word in ("HTTP", "Error", "Forbidden", "Exception", "code"))
    async with db.transaction() as session:
        pending = (await session.scalars(select(Notification.ref).where(Notification.state == PENDING))).all()
    assert pending == []  # nothing left behind, nothing stuck


async def test_a_notification_queued_while_the_bot_is_down_is_delivered_at_start(
    profiles, clock, make_bot, db: Database
) -> None:
    """Queued, never attempted (the process stopped right after the commit): the next
    start delivers it, once, and a second start sends nothing more."""
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **EVENT)
    await w.alice.slash(w.general, "evenement inscrire", evenement="1")
    clock.set(parse_datetime("21/06/2027 9h31"))
    async with db.transaction(lock=True) as session:
        from bot.services.events import reminders
        from cogs.events import _notify as N

        [due] = await reminders.take_due_reminders(session, now=clock())
        await notifications_service.enqueue(
            session,
            due.event.guild_id,
            N.reminders(due.event, due.hours_before, due.recipients, None),
            now=clock(),
        )
    assert w.alice.user.dm_channel.history() == []
    for _ in range(2):
        await w.env.restart_bot(make_bot())
        await w.env.settle()
    reminders = [m.content for m in w.alice.user.dm_channel.history()]
    assert reminders == [
        "Rappel\u00a0: **Atelier Instagram** commence le mardi 22 juin 2027 à 9 h 30.\nLieu\u00a0: Centre social, Riom"
    ]


async def test_an_expired_reminder_goes_to_the_coordination(profiles, clock, db: Database) -> None:
    """Discord was down until the event started: the reminder is no use any more; the
    coordination is told instead of the person getting it late."""
    w = profiles
    await w.coordinator.slash(w.general, "evenement creer", **EVENT)
    await w.alice.slash(w.general, "evenement inscrire", evenement="1")
    w.env.inject_error("POST", f"/channels/{w.alice.user.dm_channel.id}/messages", status=500, times=None)
    clock.set(parse_datetime("22/06/2027 8h31"))  # the 1 h reminder
    await w.env.bot.get_cog("Events").reminder_job()
    clock.set(parse_datetime("22/06/2027 9h31"))
    await w.env.bot.notifier.deliver_due()
    await w.env.settle()
    [alert] = [m.content for m in w.recaps.history() if "Le rappel de **Atelier Instagram**" in m.content]
    assert alert.endswith(
        "Cause\u00a0: le message n'a pas pu partir à temps (Discord indisponible ou messages privés fermés)."
    )
    assert w.alice.user.dm_channel.history() == []
