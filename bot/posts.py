"""What a feature declares for the outbox (`bot.outbox`): a kind of scheduled post
(`PostKind`), the messages it renders (`OutgoingMessage`), and the reference stamped on each
part, by which the outbox finds in a channel the parts already posted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GuildSettings, OutboxPost
from bot.scheduler import cron_trigger
from bot.services.schedules import ScheduleKind, ScheduleValue

if TYPE_CHECKING:
    from bot.app import PdnBot


@dataclass
class OutgoingMessage:
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[discord.File] = field(default_factory=list)
    view: discord.ui.View | None = None


@dataclass(frozen=True)
class PostKind:
    """A kind of scheduled post.

    - `schedule`: its label and default schedule (`/config planning` changes it);
    - `channel_id(settings)`: where it goes;
    - `period(fire_time)`: the period a fire time publishes, e.g. "2027-W24";
    - `render(bot, post)`: the messages, or [] when there is nothing to post;
    - `lookback`: how far back a missed occurrence is still caught up at start;
    - `yearly_days`: for a yearly post, the January days to try ("2-8" with mon-fri);
    - `scheduled`: False for a post made on demand (a survey announcement): no cron job, no
      line in /config planning; its `schedule` only names and labels it.
    """

    schedule: ScheduleKind
    channel_id: Callable[[GuildSettings], int | None]
    period: Callable[[datetime], str]
    render: Callable[[PdnBot, OutboxPost], Awaitable[list[OutgoingMessage]]]
    lookback: timedelta = timedelta(days=8)
    yearly_days: str | None = None
    # Optional: the period from the fire time AND the server's schedule (a kind that can be
    # weekly or monthly names its periods "2027-W24" or "2027-06"); replaces `period`.
    schedule_period: Callable[[datetime, ScheduleValue], str] | None = None
    # Optional: database work done in the same transaction that marks the post sent
    # (e.g. the digest's publication date), called as on_sent(session, post, now).
    on_sent: Callable[[AsyncSession, OutboxPost, datetime], Awaitable[None]] | None = None
    scheduled: bool = True
    # Optional: the post's title in words when its period key is not readable as it is
    # (a survey's campaign id): "Annonce du questionnaire · n°3". Must be unique per kind.
    title: Callable[[PdnBot, OutboxPost], Awaitable[str]] | None = None

    @property
    def name(self) -> str:
        return self.schedule.name

    def trigger(self, value: ScheduleValue, *, second: int = 0):
        if not self.scheduled or not value.enabled:
            return None
        return cron_trigger(value, yearly_days=self.yearly_days, second=second)

    def period_of(self, fire_time: datetime, value: ScheduleValue) -> str:
        if self.schedule_period is not None:
            return self.schedule_period(fire_time, value)
        return self.period(fire_time)


def _part(index: int, total: int) -> str:
    return f" · {index + 1}/{total}" if total > 1 else ""


def reference(post: OutboxPost, index: int, total: int, title: str) -> str:
    """The small line that marks each part, readable and unique for the outbox:
    "Lettre de veille · semaine du 14 juin 2027 · 1/2"."""
    return title + _part(index, total)


def legacy_reference(post: OutboxPost, index: int, total: int) -> str:
    """The reference of parts posted by earlier versions: "réf. digest-2027-W24 · 1/2"."""
    return f"réf. {post.marker}" + _part(index, total)


def stamp(message: OutgoingMessage, ref: str) -> OutgoingMessage:
    if message.embeds:
        last = message.embeds[-1]
        footer = last.footer.text if last.footer and last.footer.text else None
        last.set_footer(text=f"{footer} · {ref}" if footer else ref)
    else:
        message.content = f"{message.content or ''}\n-# {ref}".strip()
    return message


def has_reference(message: discord.Message, *refs: str) -> bool:
    texts = [message.content or ""] + [e.footer.text or "" for e in message.embeds if e.footer]
    return any(text.endswith(ref) for text in texts for ref in refs)
