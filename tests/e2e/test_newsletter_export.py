"""/veille export through SimCord with what members really type: names with underscores and
brackets, titles and comments with Markdown, HTML and links. The attached files are read as
a reader's software would (Markdown rendered with linkify, HTML parsed)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from bot.db import Database
from tests.e2e import test_watch as W

TITLE = "Les *écrans* & les <ados>\u00a0: [guide](javascript:alert(1))"
COMMENT = "Voir aussi www.evil.example et _surtout_ ![x](http://evil.example/x.png)"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@pytest.fixture
def fetcher() -> W.StaticFetcher:
    fetcher = W.StaticFetcher()
    fetcher.titles[W.ARTICLE] = TITLE
    return fetcher


@pytest.fixture
def simcord_bot(make_bot, fetcher):
    return make_bot(watch_fetcher=fetcher)


async def test_newsletter_files_show_raw_names_and_no_injected_markup(
    profiles, simcord_bot, clock, db: Database
) -> None:
    w = profiles
    lucas = w.guild.add_member(w.env.create_user("lucas_moreau", global_name="lucas_moreau"), roles=[w.promeneur_role])
    zoe = w.guild.add_member(w.env.create_user("zoe", global_name="[PdN 63] Zoé *"), roles=[w.promeneur_role])
    for member, territory in ((lucas, "63"), (zoe, "63")):
        await member.slash(w.general, "profil modifier", territoire=territory, volet="youth")
    added = await lucas.slash(w.general, "veille ajouter", lien=W.ARTICLE, commentaire=COMMENT)
    assert added.ephemeral
    await zoe.slash(w.general, "veille ajouter", lien=W.ARTICLE)
    clock.set(W.MONDAY_21_9H)
    await simcord_bot.outbox.fire(w.guild.id, "digest", clock())

    export = await w.coordinator.slash(w.general, "veille export", numero=1)
    files = {a.filename: (await a.read()).decode("utf-8") for a in export.response.attachments}
    assert set(files) == {"veille-1.md", "veille-1.html"}

    html = _parse(files["veille-1.html"])
    shown = "".join(html.text)
    assert "partagé par lucas_moreau, [PdN 63] Zoé *" in shown
    assert TITLE in shown and " ".join(COMMENT.split()) in shown
    assert [a["href"] for t, a in html.tags if t == "a"] == [W.ARTICLE]
    assert not {t for t, _ in html.tags} & {"img", "script", "style", "ados"}
    assert "\\_" not in files["veille-1.html"] and "\\[" not in files["veille-1.html"]

    rendered = _parse(MarkdownIt("gfm-like", {"linkify": True}).render(files["veille-1.md"]))
    assert [a["href"] for t, a in rendered.tags if t == "a"] == [W.ARTICLE]
    assert not {t for t, _ in rendered.tags} & {"img", "script", "ados", "code", "del"}
    md_shown = "".join(rendered.text)
    assert TITLE in md_shown and " ".join(COMMENT.split()) in md_shown
    assert "partagé par lucas_moreau, [PdN 63] Zoé *" in md_shown
