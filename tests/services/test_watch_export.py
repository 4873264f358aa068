"""The newsletter exports of a digest (cogs/watch/_export.py) rendered as readers see
them: the Markdown through markdown-it-py with GitHub's extensions and linkify (so every
autolink rule applies), the HTML through the standard library's parser. Whatever members
typed, the only links are the items' own http(s) links, and no text becomes markup."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from bot.db.models.watch import ACCEPTED, WatchContribution, WatchDigest, WatchItem
from bot.markup import safe_url
from bot.services.watch.draft import DigestContent
from cogs.watch import _export as watch_export

# Hostile or awkward text as members type it (titles, comments, names): Markdown syntax,
# raw HTML, autolinks, entities, list markers. Written for this project.
HOSTILE_TEXT = [
    "Les *ados* et __TikTok__",
    "Un_titre_avec_des_soulignés",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[clic](javascript:alert(1))",
    "![image](http://evil.example/pixel.png)",
    "[ref]: http://evil.example/",
    "Voir https://evil.example/phish",
    "www.evil.example ou evil.example",
    "écrire à jean@evil.example",
    "<http://evil.example/auto>",
    "`code` ~~barré~~ | table |",
    "&lt;b&gt; et &#106;avascript",
    "- pas une liste",
    "1. pas une liste",
    "# pas un titre",
    "\\[PdN 63\\] déjà échappé",
    "Titre (suite)\u00a0! «\u00a0guillemets\u00a0» 3.5 % — l'été",
]
HOSTILE_URLS = [
    ("javascript:alert(1)", None),
    ("JavaScript:alert(document.cookie)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("https://example.org/a b(c)", "https://example.org/a%20b%28c%29"),
    ('https://example.org/"><script>', "https://example.org/%22%3E%3Cscript%3E"),
    ("https://example.org/page?x=1&y=2#top", "https://example.org/page?x=1&y=2#top"),
    ("https://www.élysée.fr/ça", "https://www.xn--lyse-9oad.fr/%C3%A7a"),
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _content(items: list[tuple[str, str | None, str | None, list[str]]], editorial: str | None = None) -> DigestContent:
    watch_items, contributors = [], {}
    for n, (url, title, comment, names) in enumerate(items, start=1):
        watch_items.append(
            WatchItem(
                id=n,
                guild_id=1,
                url=url,
                title=title,
                comment=comment,
                category="Actualité du numérique",
                status=ACCEPTED,
                featured=False,
            )
        )
        contributors[n] = [
            WatchContribution(item_id=n, member_id=100 + i, discord_id=None, display_name=name)
            for i, name in enumerate(names)
        ]
    return DigestContent(
        guild_id=1,
        number=7,
        period="2027-W24",
        period_start=date(2027, 6, 14),
        period_end=date(2027, 6, 20),
        editorial=editorial,
        items=watch_items,
        contributors=contributors,
        category_order=[],
        digest=WatchDigest(id=3, guild_id=1, number=7),
    )


def _markdown_html(markdown: str) -> str:
    md = MarkdownIt("gfm-like", {"linkify": True})
    return md.render(markdown)


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_markdown_text_never_becomes_markup(text: str) -> None:
    content = _content([("https://example.org/a", text, text, [text, "lucas_moreau"])], editorial=text + "\n" + text)
    rendered = _parse(_markdown_html(watch_export.to_markdown(content)))
    assert [t for t, _ in rendered.tags] == ["h1", "p", "p", "h2", "ul", "li", "strong", "a", "em"]
    assert [a["href"] for t, a in rendered.tags if t == "a"] == ["https://example.org/a"]
    shown = "".join(rendered.text)
    expected = re.sub(r"[^\S\u00a0\u202f]+", " ", text).strip()  # no-break spaces are kept
    assert shown.count(expected) >= 4  # editorial (twice), title, comment, and the name
    assert "lucas_moreau" in shown


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_html_text_never_becomes_markup(text: str) -> None:
    content = _content([("https://example.org/a", text, text, [text])], editorial=text)
    rendered = _parse(watch_export.to_html(content))
    assert {t for t, _ in rendered.tags} <= {
        "html",
        "head",
        "meta",
        "title",
        "body",
        "table",
        "tr",
        "td",
        "h1",
        "h2",
        "p",
        "a",
        "br",
        "span",
    }
    assert [a["href"] for t, a in rendered.tags if t == "a"] == ["https://example.org/a"]
    assert "".join(rendered.text).count(text) >= 4


@pytest.mark.parametrize(("url", "target"), HOSTILE_URLS)
def test_links_are_http_and_cannot_break_out(url: str, target: str | None) -> None:
    content = _content([(url, "Un titre", None, ["Zoé"])])
    assert safe_url(url) == target
    md_links = [a["href"] for t, a in _parse(_markdown_html(watch_export.to_markdown(content))).tags if t == "a"]
    html_links = [a["href"] for t, a in _parse(watch_export.to_html(content)).tags if t == "a"]
    assert md_links == html_links == ([target] if target else [])


def test_names_are_shown_as_written_not_as_discord_escapes() -> None:
    content = _content([("https://example.org/a", "Titre", None, ["lucas_moreau", "[PdN 63] Zoé *", None])])
    html = watch_export.to_html(content)
    assert "partagé par lucas_moreau, [PdN 63] Zoé *, un membre" in "".join(_parse(html).text)
    assert "\\" not in html
    markdown = watch_export.to_markdown(content)
    assert "partagé par lucas\\_moreau, \\[PdN 63\\] Zoé \\*, un membre" in markdown
    shown = "".join(_parse(_markdown_html(markdown)).text)
    assert "partagé par lucas_moreau, [PdN 63] Zoé *, un membre" in shown


def test_the_html_is_an_email_layout() -> None:
    content = _content(
        [("https://example.org/a", "Titre A", "Ligne 1\nLigne 2", ["Zoé"]), ("https://example.org/b", None, None, [])],
        editorial="Bonjour à toutes et à tous.\nBonne lecture.",
    )
    html = watch_export.to_html(content)
    parsed = _parse(html)
    tags = [t for t, _ in parsed.tags]
    assert "style" not in tags and "script" not in tags and "link" not in tags and "img" not in tags
    tables = [a for t, a in parsed.tags if t == "table"]
    assert tables[1]["width"] == "600" and "max-width:600px" in tables[1]["style"]
    assert all(a.get("role") == "presentation" for a in tables)
    for tag, attrs in parsed.tags:
        if tag in ("td", "h1", "h2", "a", "p", "span"):
            assert attrs.get("style"), (tag, attrs)  # inline styles only
    text = "".join(parsed.text)
    assert "Veille n°7 — semaine du 14 au 20 juin 2027" in text
    assert "2 liens partagés par 1 membre du réseau. Bonne lecture\u00a0!" in text
    assert tags.count("br") >= 2  # the comment keeps its line break


def test_markdown_layout_of_a_plain_digest() -> None:
    content = _content(
        [("https://example.org/a", "Les ados et TikTok", "Chiffres clés", ["Alice Martin", "Bob Durand"])],
        editorial="Une semaine riche.",
    )
    assert watch_export.to_markdown(content) == (
        "# Veille n°7 — semaine du 14 au 20 juin 2027\n\n"
        "Une semaine riche.\n\n"
        "## Actualité du numérique\n\n"
        "- **[Les ados et TikTok](https://example.org/a)** — Chiffres clés *(partagé par Alice Martin, Bob Durand)*\n"
    )
