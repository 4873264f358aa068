"""Erasure meta-test: every column that can hold a Discord id, a name or free text is either
cleared by an erasure (a privacy hook, the profile itself, or the "who did it" columns) or
listed below as exempt, with the reason. A new column fails this test until it is one or
the other.

The rule, read from the SQLAlchemy metadata: a column is a candidate when it is a
`BigInteger` (Discord ids are 64-bit; `Mapped[int]` maps to BigInteger here) that is neither
a primary key nor a foreign key (those are the bot's own row ids and the server id), or a
`String`/`Text` column.
"""

from __future__ import annotations

import pytest
from sqlalchemy import BigInteger, String, Text

from bot.app import create_bot, extensions
from bot.config import Settings
from bot.db import Base
from bot.services import privacy

_ENUM = "a code from a fixed list (no person in it)"
_CONFIG = "server configuration chosen by the coordination, not about a member"
_DISCORD_OBJECT = "the id of a Discord channel, message or role, not of a person"
_STATISTIC = "a statistical attribute kept, unlinkable, after an erasure (DESIGN §6)"

EXEMPT: dict[str, str] = {
    # Server configuration
    "guilds.coordination_role_id": _DISCORD_OBJECT,
    "guilds.promeneur_role_id": _DISCORD_OBJECT,
    "guilds.announcements_channel_id": _DISCORD_OBJECT,
    "guilds.digest_channel_id": _DISCORD_OBJECT,
    "guilds.requests_channel_id": _DISCORD_OBJECT,
    "guilds.recaps_channel_id": _DISCORD_OBJECT,
    "counters.name": "the name of a per-server sequence",
    "territories.code": _CONFIG,
    "territories.name": _CONFIG,
    "list_entries.list_name": _ENUM,
    "list_entries.value": _CONFIG,
    "schedules.kind": _ENUM,
    "schedules.frequency": _ENUM,
    # Directory
    "members.structure_type": _STATISTIC,
    "members.profession": _STATISTIC,
    "member_periods.territory_code": _STATISTIC,
    "member_periods.strand": _STATISTIC,
    # Outbox
    "outbox_posts.kind": _ENUM,
    "outbox_posts.period": "a period key such as 2027-W24",
    "outbox_posts.channel_id": _DISCORD_OBJECT,
    "outbox_posts.state": _ENUM,
    "outbox_posts.last_error": "the error Discord returned for a scheduled post (no user text)",
    "outbox_posts.message_ids": "ids of the bot's own posted messages",
    # Evaluation indicators (counts only, never a young person)
    "monthly_counts.indicator": _ENUM,
    "monthly_counts.territory_code": _STATISTIC,
    "presence_slots.network": _ENUM,
    "report_texts.section": _ENUM,
    "report_texts.body": "the coordination's text for the annual report (no author is stored)",
    "calendar_feeds.scope": _ENUM,
    "events.scheduled_event_id": "the id of the event's mirror in Discord's Events tab",
    "coordination_alerts.key": "a reference such as outbox:12 (the alert's text is not stored)",
    "coordination_alerts.channel_id": _DISCORD_OBJECT,
    "coordination_alerts.message_id": "the id of the bot's own alert message",
    # Events: written by the coordination about a network session, not about a member
    "events.title": "an event's public title, written by the coordination",
    "events.type": _ENUM,
    "events.format": _ENUM,
    "events.place": "an event's public place, written by the coordination",
    "events.link": "an event's public link, written by the coordination",
    "events.territory_code": _STATISTIC,
    "events.audience": _ENUM,
    "events.description": "an event's public description, written by the coordination",
    "events.reminder_hours": "a list of hours (configuration)",
    "events.announcement_channel_id": _DISCORD_OBJECT,
    "events.announcement_message_id": _DISCORD_OBJECT,
    "event_registrations.status": _ENUM,
    # A recurring series: the same details as its events, written by the coordination
    "event_series.title": "a series' public title, written by the coordination",
    "event_series.rule": "a recurrence rule (RRULE text)",
    "event_series.type": _ENUM,
    "event_series.format": _ENUM,
    "event_series.place": "a series' public place, written by the coordination",
    "event_series.link": "a series' public link, written by the coordination",
    "event_series.territory_code": _STATISTIC,
    "event_series.audience": _ENUM,
    "event_series.description": "a series' public description, written by the coordination",
    "event_series.reminder_hours": "a list of hours (configuration)",
    # Requests: the free text and the names are covered; the rest is statistics
    "accompaniment_requests.kind": _ENUM,
    "accompaniment_requests.mode": _ENUM,
    "accompaniment_requests.territory_code": _STATISTIC,
    "accompaniment_requests.strand": _STATISTIC,
    "accompaniment_requests.status": _ENUM,
    "accompaniment_requests.source": _ENUM,
    "accompaniment_requests.thread_id": _DISCORD_OBJECT + " (its card is redacted)",
    "accompaniment_requests.message_id": _DISCORD_OBJECT + " (its card is redacted)",
    "accompaniment_request_events.action": _ENUM,
    # Activity log, survey, imported figures
    "activities.kind": _ENUM,
    "activities.territory_code": _STATISTIC,
    "survey_campaigns.channel_id": _DISCORD_OBJECT,
    "survey_campaigns.message_id": _DISCORD_OBJECT,
    "survey_answers.strand": _STATISTIC,
    "survey_answers.territory_code": _STATISTIC,
    "survey_answers.audience": _STATISTIC,
    "survey_answers.structure_type": _STATISTIC,
    "survey_answers.weekly_hours": _STATISTIC,
    "survey_answer_networks.network": _STATISTIC,
    "imported_figures.territory_code": _STATISTIC,
    "imported_figures.indicator": _ENUM,
    "imported_figures.note": "the coordination's note on a yearly figure of the past",
    # Watch: public web pages and the coordination's editorials
    "watch_settings.editorial": "the coordination's editorial, published to the network",
    "watch_digests.period": "a period key such as 2027-W24",
    "watch_digests.editorial": "the coordination's editorial, published to the network",
    "watch_feeds.url": "a public feed's address (configuration)",
    "watch_feeds.title": "a public feed's title",
    "watch_feeds.category": _CONFIG,
    "watch_feeds.etag": "an HTTP cache header of a public feed",
    "watch_feeds.last_modified": "an HTTP cache header of a public feed",
    "watch_feeds.last_error": "why a public feed could not be read (no user text)",
    "watch_items.url": "a public web page's address; who shared it is a contribution",
    "watch_items.url_key": "a hash of a public web page's canonical address",
    "watch_feeds.url_key": "a hash of a public feed's canonical address",
    "watch_feed_entries.key_hash": "a hash of a public feed entry's address",
    "watch_items.title": "a public web page's title",
    "watch_items.category": _CONFIG,
    "watch_items.status": _ENUM,
    "watch_items.source_channel_id": _DISCORD_OBJECT,
    "watch_items.source_message_id": _DISCORD_OBJECT + "; the message is its author's to delete",
    # Redaction queue: holds no personal data by design
    "message_redactions.kind": _ENUM,
    "message_redactions.message_id": _DISCORD_OBJECT + " (a line of the bot to mask)",
}


def candidate_columns() -> set[str]:
    found = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, BigInteger) and not (column.primary_key or column.foreign_keys):
                found.add(f"{table.name}.{column.name}")
            elif isinstance(column.type, (String, Text)):
                found.add(f"{table.name}.{column.name}")
    return found


@pytest.fixture
async def hooks(settings: Settings):
    """Privacy hooks are registered by the features when they load."""
    bot = create_bot(settings)
    for extension in extensions():
        await bot.load_extension(extension)
    yield privacy.covered_columns(bot.features.privacy_hooks())
    await bot.release_resources()


async def test_every_personal_column_is_covered_or_exempt(hooks: dict[str, str]) -> None:
    candidates = candidate_columns()
    uncovered = sorted(candidates - set(hooks) - set(EXEMPT))
    assert uncovered == [], (
        "Columns that may hold a Discord id, a name or free text, cleared by no privacy hook: "
        f"{uncovered}. Clear them in the feature's PrivacyHook (and list them in its "
        "`columns`), or add them to EXEMPT with the reason."
    )


async def test_the_lists_name_real_columns_and_do_not_overlap(hooks: dict[str, str]) -> None:
    candidates = candidate_columns()
    assert sorted(set(hooks) - candidates) == []
    assert sorted(set(EXEMPT) - candidates) == []
    assert sorted(set(hooks) & set(EXEMPT)) == []
