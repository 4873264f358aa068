"""Text out of HTML for the watch: titles of feed entries and of web pages.

Everything goes through the standard library's HTML parser (never regular expressions), so
apostrophes in attributes, attributes in any order, entities and stray tags are read as a
browser would. Pure and blocking: the fetcher calls the page functions off the event loop.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from html.parser import HTMLParser

MAX_TITLE = 300
_SKIPPED = {"script", "style", "template", "noscript"}
# WHATWG: these labels mean windows-1252 on the web (0x80-0x9F are € ’ œ …, not controls)
_AS_WINDOWS_1252 = {"latin_1", "iso8859-1", "ascii"}
_PRESCAN_BYTES = 4096
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_SPACES = re.compile(r"[^\S\u00a0\u202f]+")  # any whitespace run but no-break spaces


def clean_text(value: str | None) -> str | None:
    """Whitespace collapsed (no-break spaces kept: French typography), control characters
    dropped (PostgreSQL refuses NUL), capped."""
    if not value:
        return None
    kept = "".join(c for c in value if unicodedata.category(c) not in ("Cc", "Cs") or c in "\t\n\r")
    kept = _SPACES.sub(" ", kept).strip()
    return kept[:MAX_TITLE] or None


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in ("br", "p", "div", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(value: str | None) -> str | None:
    """An HTML fragment (a feed title of type text/html) as plain text: tags removed,
    entities decoded, script and style content dropped."""
    if not value:
        return None
    parser = _TextParser()
    parser.feed(value)
    parser.close()
    return clean_text("".join(parser.parts))


# -- pages -------------------------------------------------------------------------------


def _charset_label(value: str | None) -> str | None:
    """A Python codec name for a charset label, None when unknown."""
    if not value:
        return None
    try:
        name = codecs.lookup(value.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def charset_from_content_type(value: str | None) -> str | None:
    """The charset parameter of a Content-Type header value."""
    for param in (value or "").split(";")[1:]:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            return _charset_label(val)
    return None


class _PageParser(HTMLParser):
    """Collects <meta charset>, og:title and the first <title>; stops at <body>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset: str | None = None
        self.og_title: str | None = None
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "body":
            self.done = True
        elif tag == "meta":
            values = {k.lower(): (v or "") for k, v in attrs}
            if "charset" in values and self.charset is None:
                self.charset = _charset_label(values["charset"])
            elif values.get("http-equiv", "").lower() == "content-type" and self.charset is None:
                self.charset = charset_from_content_type(values.get("content", ""))
            key = (values.get("property") or values.get("name") or "").lower()
            if key == "og:title" and self.og_title is None and values.get("content"):
                self.og_title = values["content"]
        elif tag == "title" and self.title is None and self.title_parts is None:
            self.title_parts = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title_parts is not None and self.title is None:
            self.title = "".join(self.title_parts)
            self.title_parts = None
        elif tag == "head":
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.title_parts is not None:
            self.title_parts.append(data)


def page_encoding(body: bytes, content_type: str | None) -> str:
    """The byte order mark, then the HTTP charset, then <meta charset>/http-equiv, then UTF-8
    when the bytes are valid UTF-8, else windows-1252 (what browsers do for Western pages)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    declared = charset_from_content_type(content_type)
    if declared:
        return declared
    prescan = _PageParser()
    prescan.feed(body[:_PRESCAN_BYTES].decode("ascii", errors="replace"))
    if prescan.charset and not prescan.charset.startswith("utf-16"):  # a byte scan cannot mean UTF-16
        return prescan.charset
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(body) - 3:  # not just a multibyte character cut by the size cap
            return "cp1252"
    return "utf-8"


def page_title(body: bytes, content_type: str | None) -> str | None:
    """og:title, else <title>, decoded with the page's charset; None when there is none."""
    text = body.decode(page_encoding(body, content_type), errors="replace")
    parser = _PageParser()
    for start in range(0, len(text), 16_384):
        parser.feed(text[start : start + 16_384])
        if parser.done:
            break
    if parser.title is None and parser.title_parts:
        parser.title = "".join(parser.title_parts)  # unclosed <title>
    return clean_text(parser.og_title) or clean_text(parser.title)
