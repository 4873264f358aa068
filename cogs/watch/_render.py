"""Laying out a digest: Discord messages within Discord's limits (specs turned into embeds),
and its outbox PostKind ("Lettre de veille"). The Markdown / HTML exports are in `_export`.

Splitting rule: one embed per section ("À la une", then each category); a section longer
than an embed continues in "… (suite)" embeds; embeds are packed into messages of at most
10 embeds and MESSAGE_BUDGET characters (Discord allows 6,000 per message; the rest is
kept for the outbox's reference footer). No item is ever dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

import discord
from babel.dates import format_date

from bot.db.models.watch import WatchContribution, WatchItem
from bot.french import plural
from bot.posts import OutgoingMessage, PostKind
from bot.services.schedules import MONTHLY, WEEKLY, ScheduleKind
from bot.services.watch import digests as watch_digests
from bot.services.watch import draft as watch_draft
from bot.services.watch.digests import DEFAULT_SCHEDULE, MANUAL_KEY, MONTH_KEY, WEEK_KEY
from bot.services.watch.draft import DigestContent
from cogs.watch import _texts as T

if TYPE_CHECKING:
    from bot.app import PdnBot
    from bot.db.models import OutboxPost

DESCRIPTION_LIMIT = 4000
MESSAGE_BUDGET = 5500
EMBEDS_PER_MESSAGE = 10
TITLE_LIMIT = 256
MAX_NAMES = 8


@dataclass
class EmbedSpec:
    title: str | None
    description: str
    url: str | None = None

    @property
    def size(self) -> int:
        return len(self.title or "") + len(self.description)


@dataclass
class MessageSpec:
    embeds: list[EmbedSpec] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(e.size for e in self.embeds)


# -- titles ------------------------------------------------------------------------------


def _day(value: date) -> str:
    return "1er" if value.day == 1 else str(value.day)


def _month(value: date) -> str:
    return format_date(value, "MMMM", locale="fr_FR")


def span(start: date, end: date) -> str:
    """ "14 au 20 juin 2027", "28 juin au 4 juillet 2027", across years in full."""
    if start == end:
        return f"{_day(end)} {_month(end)} {end.year}"
    if start.year != end.year:
        return f"{_day(start)} {_month(start)} {start.year} au {_day(end)} {_month(end)} {end.year}"
    if start.month != end.month:
        return f"{_day(start)} {_month(start)} au {_day(end)} {_month(end)} {end.year}"
    return f"{_day(start)} au {_day(end)} {_month(end)} {end.year}"


def period_label(period: str | None, start: date | None, end: date | None) -> str:
    """ "semaine du 14 au 20 juin 2027", "juin 2027", "du 14 au 16 juin 2027"."""
    if start is None or end is None:
        return ""
    if period and WEEK_KEY.match(period):
        return f"semaine du {span(start, end)}"
    if period and MONTH_KEY.match(period):
        return f"{_month(start)} {start.year}"
    if period and MANUAL_KEY.match(period) and start == end:
        return span(start, end)
    return f"du {span(start, end)}"


def digest_title(content: DigestContent) -> str:
    if content.digest is None:
        return T.DIGEST_DRAFT_TITLE.format(number=content.number)
    label = period_label(content.period, content.period_start, content.period_end)
    return T.TITLE.format(number=content.number, period=label)[:TITLE_LIMIT]


# -- Discord layout ---------------------------------------------------------------------


def escape(text: str) -> str:
    for char in ("\\", "*", "_", "~", "`", "|", "[", "]", ">"):
        text = text.replace(char, "\\" + char)
    return text


def names(contributions: list[WatchContribution], *, mentions: bool) -> str | None:
    """Who shared an item: display names (readable everywhere, also in the e-mail export);
    `mentions` gives Discord mentions instead (for views where the user is known)."""
    names = [
        f"<@{c.discord_id}>" if mentions and c.discord_id else escape(c.display_name or T.ANONYMOUS)
        for c in contributions
    ]
    if not names:
        return None
    if len(names) > MAX_NAMES:
        return T.AND_OTHERS.format(names=", ".join(names[:MAX_NAMES]), others=plural(len(names) - MAX_NAMES, *T.OTHERS))
    return ", ".join(names)


def message_link(guild_id: int, item: WatchItem) -> str | None:
    if item.source_channel_id and item.source_message_id:
        return f"https://discord.com/channels/{guild_id}/{item.source_channel_id}/{item.source_message_id}"
    return None


def item_block(content: DigestContent, item: WatchItem) -> str:
    """One item in Discord markdown: linked title, comment, who shared it, original message."""
    url = item.url.replace(")", "%29").replace(" ", "%20")
    heading = f"**[{escape(item.title)}]({url})**" if item.title else f"**<{url}>**"
    lines = [heading]
    if item.comment:
        lines.append(item.comment)
    who = names(content.contributors.get(item.id, []), mentions=False)
    credit = T.SHARED_BY.format(names=who) if who else T.SPOTTED
    link = message_link(content.guild_id, item)
    lines.append(credit + (f" · {T.SOURCE.format(link=link)}" if link else ""))
    return "\n".join(lines)


def sections(content: DigestContent, items: list[WatchItem]) -> list[tuple[str, list[WatchItem]]]:
    result: list[tuple[str, list[WatchItem]]] = []
    featured = [i for i in items if i.featured]
    if featured:
        result.append((T.FEATURED, featured))
    for item in items:
        if item.featured:
            continue
        if not result or result[-1][0] != item.category or result[-1][0] == T.FEATURED:
            result.append((item.category, []))
        result[-1][1].append(item)
    return result


def _section_embeds(title: str, blocks: list[str]) -> list[EmbedSpec]:
    embeds = [EmbedSpec(title=title[:TITLE_LIMIT], description="")]
    for block in blocks:
        block = block[:DESCRIPTION_LIMIT]
        current = embeds[-1]
        joined = f"{current.description}\n\n{block}" if current.description else block
        if len(joined) > DESCRIPTION_LIMIT:
            embeds.append(EmbedSpec(title=T.CONTINUED.format(title=title)[:TITLE_LIMIT], description=block))
        else:
            current.description = joined
    return embeds


def pack(embeds: list[EmbedSpec]) -> list[MessageSpec]:
    messages = [MessageSpec()]
    for embed in embeds:
        current = messages[-1]
        if current.embeds and (len(current.embeds) >= EMBEDS_PER_MESSAGE or current.size + embed.size > MESSAGE_BUDGET):
            messages.append(MessageSpec())
        messages[-1].embeds.append(embed)
    return [m for m in messages if m.embeds]


def layout(content: DigestContent) -> list[MessageSpec]:
    """The published digest (accepted items only) as messages of embeds."""
    items = content.accepted
    people = {
        (c.member_id, c.discord_id, c.display_name) for item in items for c in content.contributors.get(item.id, [])
    }
    who = T.PEOPLE_NONE if not people else T.PEOPLE_ONE if len(people) == 1 else T.PEOPLE.format(count=len(people))
    if len(items) == 1:
        intro = T.SUMMARY_ONE.format(people=who)
    else:
        intro = T.SUMMARY.format(links=T.DIGEST_LINKS.format(count=len(items)), people=who)
    header = f"{content.editorial}\n\n{intro}" if content.editorial else intro
    embeds = [EmbedSpec(title=digest_title(content), description=header[:DESCRIPTION_LIMIT])]
    for title, section_items in sections(content, items):
        embeds += _section_embeds(title, [item_block(content, i) for i in section_items])
    return pack(embeds)


# -- the outbox kind ----------------------------------------------------------------------

COLOUR = discord.Colour.from_rgb(0x2E, 0x86, 0x8C)


def embeds_of(message: MessageSpec) -> list[discord.Embed]:
    return [
        discord.Embed(title=spec.title, description=spec.description or None, colour=COLOUR) for spec in message.embeds
    ]


def outgoing(content: DigestContent) -> list[OutgoingMessage]:
    return [OutgoingMessage(embeds=embeds_of(m)) for m in layout(content)]


async def render_digest(bot: PdnBot, post: OutboxPost) -> list[OutgoingMessage]:
    """Render (and, the first time, create and number) the period's digest. A retry renders
    the same digest; nothing to publish → nothing posted, or the short note if asked."""
    async with bot.db.transaction(lock=True) as session:
        content = await watch_digests.prepare_digest(session, post.guild_id, post.period, today=bot.today())
        empty_note = content is None and await watch_draft.empty_note_wanted(session, post.guild_id)
    if content is None:
        return [OutgoingMessage(content=T.EMPTY_NOTE)] if empty_note else []
    return outgoing(content)


DIGEST_KIND = PostKind(
    schedule=ScheduleKind(
        name=watch_digests.KIND,
        label="Lettre de veille",
        default=DEFAULT_SCHEDULE,
        frequencies=(WEEKLY, MONTHLY),
    ),
    channel_id=lambda settings: settings.digest_channel_id,
    period=lambda when: watch_digests.schedule_period(when, DEFAULT_SCHEDULE),
    schedule_period=watch_digests.schedule_period,
    render=render_digest,
    lookback=timedelta(days=32),
    on_sent=lambda session, post, now: watch_digests.mark_published(session, post.guild_id, post.period, now),
)
