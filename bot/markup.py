"""Text into Markdown safely, and links that cannot carry anything but an http(s) address
(pure: used by the newsletter and the recap exports).

In Markdown, every character Markdown or GitHub's extensions give a meaning to is
backslash-escaped (CommonMark lets any ASCII punctuation be escaped), including what starts
an autolink, so that no text becomes a link, an image, emphasis, HTML, a table or a list.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# ASCII punctuation CommonMark lets a backslash escape and that means something anywhere in
# a line, in Markdown or GitHub's extensions (emphasis, code, links, images, HTML, tables,
# strikethrough, entities). "(", ")" and "!" only matter next to "[" or "]", always escaped.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&])")
# Autolinks (GitHub, linkify): a scheme ("https:", "mailto:"), a dot inside a host name
# ("www.cnil.fr", "cnil.fr"), an e-mail address.
_SCHEME_COLON = re.compile(r"\b([A-Za-z][A-Za-z0-9+.\-]*):(?=\S)")
_HOST_DOT = re.compile(r"(?<=\w)\.(?=[A-Za-z])")
_AT = re.compile(r"@")
# At the start of a line: list items, setext underlines, ordered lists.
_LINE_START = re.compile(r"^(\s*)([-+=])")
_ORDERED = re.compile(r"^(\s*)(\d+)([.)])")
# What may stay as is in a link target: RFC 3986 reserved and unreserved characters, and
# existing percent-escapes; everything else (spaces, parentheses, quotes, <, >, `, \, non
# ASCII) is percent-encoded.
_URL_SAFE = "!#$%&'*+,/:;=?@[]~"


_FOLDED = re.compile(r"[^\S\u00a0\u202f]+")


def md_escape(text: str) -> str:
    """Plain text for Markdown, one line (inline use): nothing in it is markup."""
    text = _FOLDED.sub(" ", text).strip(" ")  # no-break spaces (French typography) kept
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _SCHEME_COLON.sub(r"\1\\:", text)
    text = _HOST_DOT.sub(r"\\.", text)
    text = _AT.sub(r"\\@", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    return _ORDERED.sub(r"\1\2\\\3", text)


def md_paragraphs(text: str) -> list[str]:
    """A multi-line text (the editorial) as escaped Markdown paragraphs."""
    return [md_escape(p) for p in text.split("\n") if p.strip()]


def safe_url(url: str) -> str | None:
    """The link target, or None when it is not an http(s) address."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    netloc = parts.netloc
    if not netloc.isascii():  # an IDN host: its ASCII (punycode) form
        try:
            netloc = netloc.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    rest = url[len(parts.scheme) + 3 + len(parts.netloc) :]
    return f"{parts.scheme}://{quote(netloc, safe=_URL_SAFE)}{quote(rest, safe=_URL_SAFE)}"


def md_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub table whose cells are escaped text."""
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_escape(c) or " " for c in row) + " |" for row in rows]
    return "\n".join(lines)
