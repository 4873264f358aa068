"""Links of the watch without the database: which links are one page (the canonical key),
what is published (the member's link minus trackers, byte-exact otherwise), what is refused.
The tables are in url_cases.py (modeled on w3lib's and url-normalize's suites, plus French
trackers); the de-duplication in the database is tested in test_watch.py."""

from __future__ import annotations

import pytest

from bot.errors import ValidationError
from bot.services.watch import trackers as watch_trackers
from bot.services.watch.urls import MAX_URL, extract_url, markdown_target, parse_link
from tests.services import url_cases as cases


@pytest.mark.parametrize(("first", "second"), cases.SAME)
def test_same_page_same_key(first: str, second: str) -> None:
    assert parse_link(first).key == parse_link(second).key


@pytest.mark.parametrize(("first", "second"), cases.DIFFERENT)
def test_different_pages_different_keys(first: str, second: str) -> None:
    assert parse_link(first).key != parse_link(second).key


@pytest.mark.parametrize(("given", "published"), cases.FR_PUBLISHED)
def test_published_link_is_the_given_one_minus_trackers(given: str, published: str) -> None:
    link = parse_link(given)
    assert link.url == published
    assert parse_link(published).key == link.key  # publishing it again is the same page


_SUITES = (
    cases.W3LIB_SAME,
    cases.W3LIB_DIFFERENT,
    cases.URL_NORMALIZE_SAME,
    cases.URL_NORMALIZE_DIFFERENT,
    cases.OWN_DIFFERENT,
)
_UNTRACKED = {url for table in _SUITES for pair in table for url in pair}
_UNTRACKED |= {published for _given, published in cases.FR_PUBLISHED}


@pytest.mark.parametrize("url", sorted(_UNTRACKED))
def test_links_without_trackers_are_published_byte_exact(url: str) -> None:
    link = parse_link(f"  <{url}>  ")
    assert link.url == url
    again = parse_link(link.url)
    assert (again.url, again.key) == (link.url, link.key)


def test_the_canonical_form() -> None:
    link = parse_link("HTTP://WWW.Exemple.FR:80/a/./b/../c/%7euser/?z=%e9&b=2&a=1&utm_source=x#top")
    assert link.url == "HTTP://WWW.Exemple.FR:80/a/./b/../c/%7euser/?z=%e9&b=2&a=1#top"
    assert link.canonical == "http://www.exemple.fr/a/c/~user?a=1&b=2&z=%E9"
    assert len(link.key) == 64
    assert parse_link("https://app.exemple.fr/#!/agenda").canonical == "https://app.exemple.fr/#!/agenda"
    assert parse_link("https://d.exemple.fr/edit#gid=12").canonical == "https://d.exemple.fr/edit#gid=12"


def test_trackers_come_from_the_maintained_list_and_the_local_one() -> None:
    names = {p.name for p in watch_trackers.providers()}
    assert {"globalRules", "youtube", "instagram"} <= names  # ClearURLs' rules (unalix-rev)
    assert {"pdnGlobal", "pdnInstagram"} <= names  # trackers.json
    assert watch_trackers.tracker_test("https://www.youtube.com/watch")("si")
    assert not watch_trackers.tracker_test("https://www.insee.fr/fr")("si")
    assert watch_trackers.tracker_test("https://www.insee.fr/fr")("XTOR")


def test_tracker_only_query_or_fragment_disappears() -> None:
    assert parse_link("https://www.exemple.fr/p?utm_source=a&fbclid=b").url == "https://www.exemple.fr/p"
    assert parse_link("https://www.exemple.fr/p?utm_source=a#x").url == "https://www.exemple.fr/p#x"
    assert parse_link("https://www.exemple.fr/p?&a=1&utm_medium=m").url == "https://www.exemple.fr/p?&a=1"
    assert parse_link("https://www.exemple.fr/p?utm%5Fsource=a&b=1").url == "https://www.exemple.fr/p?b=1"


@pytest.mark.parametrize(
    "raw",
    [
        "ftp://example.org/f",
        "javascript:alert(1)",
        "example.org/page",
        "https://",
        "https://exa mple.org",
        "https://localhost:99999/",
        "mailto:a@b.fr",
        "https://nodot/",
        "https://exa\tmple.org/",
        "https://exemple.fr/a\u200bb",
        "https://bad_xn--.é/",
        "http:exemple.fr/page",
        "",
    ],
)
def test_bad_links_are_refused_in_french(raw: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_link(raw)
    assert "n'est pas un lien valide" in error.value.message


def test_idn_hosts_are_accepted_and_published_as_given() -> None:
    link = parse_link("https://www.élysée.fr/emmanuel-macron")
    assert link.url == "https://www.élysée.fr/emmanuel-macron"
    assert link.canonical == "https://www.xn--lyse-9oad.fr/emmanuel-macron"


def test_length_is_checked_on_what_is_stored() -> None:
    # 1,994 characters with escapes and accents: stored as given (it used to grow to 3,300)
    long_link = "https://www.exemple.fr/recherche?q=" + "%E9té" * 391 + "abcd"
    assert len(long_link) == 1994
    assert parse_link(long_link).url == long_link
    # over the limit only because of its trackers: accepted once they are removed
    tracked = "https://www.exemple.fr/p?id=1&utm_content=" + "x" * 2100
    assert parse_link(tracked).url == "https://www.exemple.fr/p?id=1"
    with pytest.raises(ValidationError) as error:
        parse_link("https://www.exemple.fr/" + "a" * MAX_URL)
    assert error.value.message == (
        "Ce lien dépasse 2000 caractères, même sans ses paramètres de suivi\u00a0: "
        "utilisez l'adresse courte de la page."
    )
    with pytest.raises(ValidationError, match="dépasse 2000"):
        parse_link("https://www.exemple.fr/" + "a" * 100_000)


def test_extract_url_from_a_message() -> None:
    assert extract_url("Regardez (https://example.org/a). Super\u00a0!") == "https://example.org/a"
    assert extract_url("voir https://example.org/b, et aussi") == "https://example.org/b"
    assert extract_url("voir https://www.élysée.fr/x#top\u00a0!") == "https://www.élysée.fr/x#top"
    assert extract_url("pas de lien ici") is None
    wiki = "https://fr.wikipedia.org/wiki/Caisse_d'allocations_familiales_(France)"
    assert extract_url(f"Lu sur {wiki}.") == wiki
    assert extract_url(f"(voir {wiki})") == wiki
    assert extract_url(f"[la CAF]({wiki})") == wiki
    assert extract_url("'https://example.org/c' et «\u00a0https://example.org/d\u00a0»") == "https://example.org/c"


def test_markdown_target_keeps_discord_links_whole() -> None:
    wiki = "https://fr.wikipedia.org/wiki/Caisse_d'allocations_familiales_(France)"
    target = markdown_target(wiki)
    assert target == "https://fr.wikipedia.org/wiki/Caisse_d'allocations_familiales_%28France%29"
    assert markdown_target("https://exemple.fr/a b") == "https://exemple.fr/a%20b"
