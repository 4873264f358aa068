"""The watch services on the real migrated database: de-duplication on the links' canonical
key (the URL tables of tests/services/url_cases.py, also under concurrency), digest numbering and freezing, splitting within Discord's limits,
feeds' proposals, figures for the recap, personal data."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.db.models.watch import ACCEPTED, PROPOSED, WatchContribution, WatchDigest, WatchItem
from bot.errors import ConflictError, PermissionDeniedError, ValidationError
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services import outbox as outbox_service
from bot.services import privacy
from bot.services.members import ProfileChanges
from bot.services.periods import Window
from bot.services.recap import month as recap_month
from bot.services.recap import year as recap_year
from bot.services.schedules import MONTHLY, WEEKLY, ScheduleValue
from bot.services.watch import digests as watch_digests
from bot.services.watch import draft as watch_draft
from bot.services.watch import feeds as watch_feeds
from bot.services.watch import figures as watch_figures
from bot.services.watch import items as watch_items
from bot.services.watch import privacy as watch_privacy
from bot.services.watch.fetch import FeedEntry, FeedResult
from cogs.watch import _render as watch_layout
from tests.services import url_cases

GUILD = 111
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)
TODAY = date(2027, 6, 21)


async def _add(db: Database, url: str, who: int = 1, name: str = "Alice", **kwargs):
    async with db.transaction(lock=True) as session:
        return await watch_items.add_link(session, GUILD, url=url, discord_id=who, display_name=name, now=NOW, **kwargs)


async def test_same_article_twice_is_one_item_with_two_contributors(db: Database) -> None:
    first = await _add(db, "https://example.org/a?utm_source=x", comment="À lire", title="Article A")
    second = await _add(db, "https://EXAMPLE.org/a#top", who=2, name="Bob")
    assert first.created and not second.created
    assert second.item.id == first.item.id
    assert second.others == ["Alice"]
    with pytest.raises(ConflictError, match="déjà partagé"):
        await _add(db, "https://example.org/a", who=2, name="Bob")
    async with db.transaction() as session:
        items = (await session.scalars(select(WatchItem))).all()
        names = (await session.scalars(select(WatchContribution.display_name))).all()
    assert [(i.url, i.title, i.comment, i.status) for i in items] == [
        ("https://example.org/a", "Article A", "À lire", ACCEPTED)
    ]
    assert sorted(names) == ["Alice", "Bob"]


async def test_same_page_pairs_make_one_item_with_both_contributors(db: Database) -> None:
    """Every pair of url_cases.SAME, each in its own server: the second share joins the
    first item, whose published link stays the first member's (minus trackers)."""
    for n, (first_url, second_url) in enumerate(url_cases.SAME):
        guild = 10_000 + n
        async with db.transaction(lock=True) as session:
            first = await watch_items.add_link(
                session, guild, url=first_url, discord_id=1, display_name="Alice", now=NOW
            )
        async with db.transaction(lock=True) as session:
            second = await watch_items.add_link(
                session, guild, url=second_url, discord_id=2, display_name="Bob", now=NOW
            )
        assert (second.created, second.item.id, second.others) == (False, first.item.id, ["Alice"]), first_url
    async with db.transaction() as session:
        items = (await session.scalars(select(WatchItem).where(WatchItem.guild_id >= 10_000))).all()
        contributions = await session.scalar(
            select(func.count(WatchContribution.id)).where(WatchContribution.guild_id >= 10_000)
        )
    assert len(items) == len(url_cases.SAME) and contributions == 2 * len(url_cases.SAME)
    published = {i.guild_id - 10_000: i.url for i in items}
    assert published[0] == url_cases.SAME[0][0]


async def test_different_page_pairs_are_never_merged(db: Database) -> None:
    for n, (first_url, second_url) in enumerate(url_cases.DIFFERENT):
        guild = 20_000 + n
        for who, url in ((1, first_url), (2, second_url)):
            async with db.transaction(lock=True) as session:
                result = await watch_items.add_link(
                    session, guild, url=url, discord_id=who, display_name=f"M{who}", now=NOW
                )
            assert result.created, (first_url, second_url)
    async with db.transaction() as session:
        count = await session.scalar(select(func.count(WatchItem.id)).where(WatchItem.guild_id >= 20_000))
    assert count == 2 * len(url_cases.DIFFERENT)


async def test_the_cnil_page_with_and_without_anchor_is_one_published_item(db: Database) -> None:
    await _add(db, "https://www.cnil.fr/fr/parents?utm_source=lettre", title="Parents")
    await _add(db, "https://www.cnil.fr/fr/parents/#top", who=2, name="Bob")
    await _add(db, "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0", who=3, name="Chloé")
    await _add(db, "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=1234", who=3, name="Chloé")
    async with db.transaction(lock=True) as session:
        content = await watch_digests.prepare_digest(session, GUILD, "2027-W24", today=TODAY)
    assert sorted(i.url for i in content.items) == [
        "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0",
        "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=1234",
        "https://www.cnil.fr/fr/parents",
    ]
    cnil = next(i for i in content.items if "cnil" in i.url)
    assert [c.display_name for c in content.contributors[cnil.id]] == ["Alice", "Bob"]


async def test_long_links_are_checked_as_stored(db: Database) -> None:
    long_link = "https://www.exemple.fr/recherche?q=" + "%E9té" * 391 + "abcd"  # 1,994 characters
    added = await _add(db, long_link)
    tracked = await _add(db, "https://www.exemple.fr/p?id=1&utm_content=" + "x" * 2100)
    with pytest.raises(ValidationError, match="dépasse 2000 caractères"):
        await _add(db, "https://www.exemple.fr/" + "é" * 2000)
    async with db.transaction() as session:
        stored = (await session.scalars(select(WatchItem.url).order_by(WatchItem.id))).all()
    assert stored == [long_link, "https://www.exemple.fr/p?id=1"]
    assert added.item.url_key != tracked.item.url_key


async def test_bad_category_and_long_comment_write_nothing(db: Database) -> None:
    with pytest.raises(ValidationError, match="Catégories de veille"):
        await _add(db, "https://example.org/a", category="Piscine")
    with pytest.raises(ValidationError, match="Le commentaire dépasse 500"):
        await _add(db, "https://example.org/a", comment="x" * 501)
    async with db.transaction() as session:
        assert await session.scalar(select(func.count(WatchItem.id))) == 0


async def test_concurrent_shares_of_one_article_make_one_item(db: Database) -> None:
    results = await asyncio.gather(
        *[_add(db, f"https://example.org/same?utm_campaign={n}", who=n, name=f"M{n}") for n in range(1, 11)]
    )
    assert sum(r.created for r in results) == 1
    async with db.transaction() as session:
        assert await session.scalar(select(func.count(WatchItem.id))) == 1
        assert await session.scalar(select(func.count(WatchContribution.id))) == 10


async def test_removal_by_the_only_contributor_or_the_coordination(db: Database) -> None:
    mine = await _add(db, "https://example.org/mine")
    shared = await _add(db, "https://example.org/shared")
    await _add(db, "https://example.org/shared", who=2, name="Bob")
    async with db.transaction(lock=True) as session:
        with pytest.raises(PermissionDeniedError):
            await watch_items.remove_item(session, GUILD, shared.item.id, discord_id=1, coordinator=False)
    async with db.transaction(lock=True) as session:
        with pytest.raises(PermissionDeniedError):
            await watch_items.remove_item(session, GUILD, mine.item.id, discord_id=2, coordinator=False)
        await watch_items.remove_item(session, GUILD, mine.item.id, discord_id=1, coordinator=False)
        await watch_items.remove_item(session, GUILD, shared.item.id, discord_id=9, coordinator=True)
    with pytest.raises(ConflictError, match="écarté"):
        await _add(db, "https://example.org/mine", who=3, name="Chloé")


def test_schedule_periods() -> None:
    weekly = ScheduleValue(frequency=WEEKLY, weekday=0, hour=9)
    monthly = ScheduleValue(frequency=MONTHLY, day_of_month=1, hour=9)
    assert watch_digests.schedule_period(datetime(2027, 6, 21, 7, 0, tzinfo=UTC), weekly) == "2027-W24"
    assert watch_digests.schedule_period(datetime(2027, 7, 1, 7, 0, tzinfo=UTC), monthly) == "2027-06"
    assert watch_digests.schedule_period(datetime(2028, 1, 3, 8, 0, tzinfo=UTC), weekly) == "2027-W52"


async def test_digest_is_numbered_once_and_frozen(db: Database) -> None:
    await _add(db, "https://example.org/1", title="Un")
    await _add(db, "https://example.org/2", title="Deux")
    async with db.transaction(lock=True) as session:
        await watch_draft.set_editorial(session, GUILD, "Bonne semaine à toutes et tous.")
    async with db.transaction(lock=True) as session:
        first = await watch_digests.prepare_digest(session, GUILD, "2027-W24", today=TODAY)
    await _add(db, "https://example.org/3", title="Trois")  # arrives after the first render
    async with db.transaction(lock=True) as session:
        again = await watch_digests.prepare_digest(session, GUILD, "2027-W24", today=TODAY)
    assert first.number == again.number == 1
    assert [i.title for i in again.items] == ["Un", "Deux"]
    assert again.editorial == "Bonne semaine à toutes et tous."
    assert (again.period_start, again.period_end) == (date(2027, 6, 14), date(2027, 6, 20))
    assert watch_layout.digest_title(again) == "Veille n°1 — semaine du 14 au 20 juin 2027"

    async with db.transaction(lock=True) as session:
        draft = await watch_draft.draft_items(session, GUILD)
        assert [i.title for i in draft.items] == ["Trois"]
        assert draft.number == 2 and draft.editorial is None
        monthly = await watch_digests.prepare_digest(session, GUILD, "2027-06", today=TODAY)
    assert monthly.number == 2
    assert watch_layout.digest_title(monthly) == "Veille n°2 — juin 2027"
    async with db.transaction(lock=True) as session:
        assert await watch_digests.prepare_digest(session, GUILD, "2027-W25", today=TODAY) is None


async def test_concurrent_renders_of_one_period_make_one_digest(db: Database) -> None:
    await _add(db, "https://example.org/1")

    async def render() -> int:
        async with db.transaction(lock=True) as session:
            return (await watch_digests.prepare_digest(session, GUILD, "2027-W24", today=TODAY)).number

    assert await asyncio.gather(*[render() for _ in range(5)]) == [1] * 5
    async with db.transaction() as session:
        assert await session.scalar(select(func.count(WatchDigest.id))) == 1


async def test_a_long_digest_is_split_within_discord_limits_and_drops_nothing(db: Database) -> None:
    categories = ["Actualité du numérique", "Événement sur le territoire", "Ressource / outil"]
    for n in range(90):
        await _add(
            db,
            f"https://example.org/article-{n}?" + "q=" + "z" * (n * 20 % 900),
            who=n % 7 + 1,
            name=f"Membre {n % 7}",
            title=f"Article numéro {n} " + "t" * 150,
            comment=f"Commentaire {n} " + "c" * 400,
            category=categories[n % 3],
        )
    async with db.transaction(lock=True) as session:
        await watch_draft.set_editorial(session, GUILD, "É" * 1500)
        content = await watch_digests.prepare_digest(session, GUILD, "2027-W24", today=TODAY)
    messages = watch_layout.layout(content)
    assert len(messages) > 3
    seen = []
    for message in messages:
        assert 1 <= len(message.embeds) <= 10
        assert sum(len(e.title or "") + len(e.description) for e in message.embeds) <= 5500
        for embed in message.embeds:
            assert len(embed.description) <= 4096 and len(embed.title or "") <= 256
            seen += [n for n in range(90) if f"(https://example.org/article-{n}?" in embed.description]
    assert sorted(seen) == list(range(90))  # every item exactly once
    titles = [e.title for m in messages for e in m.embeds]
    assert titles[0] == "Veille n°1 — semaine du 14 au 20 juin 2027"
    assert "Actualité du numérique (suite)" in titles


async def test_feed_entries_are_proposed_once(db: Database) -> None:
    await _add(db, "https://example.org/known")
    async with db.transaction(lock=True) as session:
        feed = await watch_feeds.add_feed(session, GUILD, "https://example.org/feed.xml", category=None, now=NOW)
    with pytest.raises(ConflictError, match="déjà suivi"):
        async with db.transaction(lock=True) as session:
            await watch_feeds.add_feed(session, GUILD, "https://EXAMPLE.org/feed.xml#top", category=None, now=NOW)
    entries = [FeedEntry(url=f"https://example.org/e{n}?utm_source=rss", title=f"E{n}") for n in range(8)]
    result = FeedResult(title="Le blog", entries=[FeedEntry("https://example.org/known", "K"), *entries], etag='"v1"')
    async with db.transaction(lock=True) as session:
        first = await watch_feeds.record_feed_result(session, feed.id, result, NOW)
    assert [i.title for i in first] == ["E0", "E1", "E2", "E3", "E4"]  # latest few at first
    async with db.transaction(lock=True) as session:
        second = await watch_feeds.record_feed_result(session, feed.id, result, NOW + timedelta(hours=1))
        stored = await session.get(type(feed), feed.id)
        assert (stored.title, stored.etag) == ("Le blog", '"v1"')
    assert second == []  # entries seen at the first reading never come back (issue 13)
    newer = FeedResult(entries=[FeedEntry(f"https://example.org/e{n}", f"E{n}") for n in range(10)])
    async with db.transaction(lock=True) as session:
        third = await watch_feeds.record_feed_result(session, feed.id, newer, NOW + timedelta(hours=2))
    assert [i.title for i in third] == ["E8", "E9"]
    async with db.transaction() as session:
        draft = await watch_draft.draft_items(session, GUILD)
    assert len(draft.proposed) == 7 and len(draft.accepted) == 1
    assert "https://example.org/e0" in {i.url for i in draft.proposed}  # without its utm_source
    async with db.transaction(lock=True) as session:  # proposals are never published unaccepted
        content = await watch_digests.prepare_digest(session, GUILD, "2027-W24", today=TODAY)
    assert [i.url for i in content.items] == ["https://example.org/known"]
    async with db.transaction() as session:
        statuses = (await session.scalars(select(WatchItem.status).where(WatchItem.digest_id.is_(None)))).all()
    assert set(statuses) == {PROPOSED}


async def test_figures_for_the_recap(db: Database) -> None:
    await _add(db, "https://example.org/1", category="Étude / synthèse")
    await _add(db, "https://example.org/1", who=2, name="Bob")
    await _add(db, "https://example.org/2", who=3, name="Chloé")
    removed = await _add(db, "https://example.org/3", who=4, name="Dan")
    async with db.transaction(lock=True) as session:
        await watch_items.remove_item(session, GUILD, removed.item.id, discord_id=4, coordinator=True)
        await watch_digests.prepare_digest(session, GUILD, "2027-W24", today=TODAY)
        post = await outbox_service.enqueue(session, GUILD, "digest", "2027-W24", channel_id=5, due_at=NOW)
        sent_at = datetime(2027, 6, 21, 7, 1, tzinfo=UTC)
        await outbox_service.mark_sent(session, post.id, sent_at)
        await watch_digests.mark_published(session, GUILD, "2027-W24", sent_at)  # the kind's on_sent
    await _add(db, "https://example.org/4", who=5, name="Eve")  # in the draft: not counted
    async with db.transaction() as session:
        figures = await watch_figures.figures(session, GUILD, Window.month(2027, 6))
    assert figures == watch_figures.WatchFigures(
        digests=1,
        items=2,
        items_by_category={"Étude / synthèse": 1, "Actualité du numérique": 1},
        contributors=3,
    )
    async with db.transaction() as session:
        digest = (await session.scalars(select(WatchDigest))).one()
        assert digest.published_at == datetime(2027, 6, 21, 7, 1, tzinfo=UTC)
        july = await watch_figures.figures(session, GUILD, Window.month(2027, 7))
    assert july.digests == 0


async def test_the_recap_shows_the_watch_figures(db: Database) -> None:
    """The monthly summary and the year-end recap take their watch figures from
    `watch.figures`: digests published in the period and the accepted links they hold;
    links shared in the month, whatever became of them."""
    await _add(db, "https://example.org/1")
    await _add(db, "https://example.org/1", who=2, name="Bob")
    await _add(db, "https://example.org/2", who=3, name="Chloé")
    removed = await _add(db, "https://example.org/3", who=4, name="Dan")
    async with db.transaction(lock=True) as session:
        await watch_items.remove_item(session, GUILD, removed.item.id, discord_id=4, coordinator=True)
        await watch_digests.prepare_digest(session, GUILD, "2027-W24", today=TODAY)
        await watch_digests.mark_published(session, GUILD, "2027-W24", datetime(2027, 6, 21, 7, 1, tzinfo=UTC))
    await _add(db, "https://example.org/4", who=5, name="Eve")  # in the draft
    async with db.transaction() as session:
        june = await recap_month.month_summary(session, GUILD, 2027, 6)
        july = await recap_month.month_summary(session, GUILD, 2027, 7)
        year = await recap_year.year_recap(session, GUILD, 2027, now=NOW)
    assert (june.digests, june.watch_items) == (1, 4)
    assert (july.digests, july.watch_items) == (0, 0)
    assert (year.digests, year.digest_links) == (1, 2)


async def test_personal_data_export_and_anonymisation(db: Database) -> None:
    async with db.transaction(lock=True) as session:
        await guilds_service.add_territory(session, GUILD, "63", "Puy-de-Dôme")
    async with db.transaction(lock=True) as session:
        await members_service.update_profile(
            session, GUILD, 1, "Alice", ProfileChanges(territory="63", strand="youth"), today=NOW.date()
        )
    hooks = [privacy.PrivacyHook("veille", watch_privacy.export_member, watch_privacy.anonymise_member)]
    await _add(db, "https://example.org/1", comment="Mon avis perso")
    await _add(db, "https://example.org/1", who=2, name="Bob", comment="Celui de Bob")
    async with db.transaction() as session:
        data = await privacy.export_member(session, GUILD, 1, hooks)
    assert [(c["lien"], c["commentaire"]) for c in data["veille"]] == [("https://example.org/1", "Mon avis perso")]
    async with db.transaction(lock=True) as session:
        await privacy.anonymise_member(session, GUILD, 1, hooks, now=NOW)
    async with db.transaction() as session:
        item = (await session.scalars(select(WatchItem))).one()
        rows = (await session.scalars(select(WatchContribution).order_by(WatchContribution.id))).all()
    assert item.comment is None  # it was Alice's words
    assert [(r.discord_id, r.display_name, r.comment) for r in rows] == [
        (None, None, None),
        (2, "Bob", "Celui de Bob"),
    ]
    assert rows[0].member_id is not None  # still counted as one contributor, unlinkable


async def test_featured_links_lead_and_move_across_categories(db: Database) -> None:
    a = await _add(db, "https://example.org/a", title="A", category="Ressource / outil")
    b = await _add(db, "https://example.org/b", title="B")
    c = await _add(db, "https://example.org/c", title="C")
    async with db.transaction(lock=True) as session:
        await watch_items.toggle_featured(session, GUILD, a.item.id)
        await watch_items.toggle_featured(session, GUILD, c.item.id)
    async with db.transaction() as session:
        assert [i.title for i in (await watch_draft.draft_items(session, GUILD)).items] == ["A", "C", "B"]
    async with db.transaction(lock=True) as session:
        await watch_items.move_item(session, GUILD, c.item.id, -1)
        await watch_items.move_item(session, GUILD, b.item.id, -1)  # first of its section: stays
    async with db.transaction() as session:
        draft = await watch_draft.draft_items(session, GUILD)
    assert [i.title for i in draft.items] == ["C", "A", "B"]
    sections = watch_layout.sections(draft, draft.items)
    assert [(title, [i.title for i in items]) for title, items in sections] == [
        ("⭐ À la une", ["C", "A"]),
        ("Actualité du numérique", ["B"]),
    ]
