"""Links of the watch: what is published, and the key that tells two links apart.

A member's link is published as they gave it, minus its trackers, byte for byte otherwise
(case, percent-escapes in any charset, `;` in a query, the fragment, an IDN host all stay).
Two links are the same page when their *canonical key* is equal. The key is built from the
published link (RFC 3986 §6.2.2 syntax-based normalisation plus the usual web ones):

- scheme and host in lowercase, host in IDNA (`www.élysée.fr` → `www.xn--lyse-9oad.fr`),
  no trailing dot, no empty user information, no default or empty port, no leading zero;
- percent-escapes: hexadecimal in uppercase, unreserved characters (`A-Z a-z 0-9 - . _ ~`)
  decoded; reserved ones (`%2F`, `%3F`, `%26`…) and bytes of any charset (`%E9`) are never
  decoded, so never re-encoded; characters a URI cannot hold (non-ASCII, space…) are
  encoded in UTF-8, as a browser sends them;
- dot segments removed, an empty path is `/`, a trailing `/` does not count;
- query: empty items dropped, `%20` read as `+`, `a` as `a=`, parameters sorted by name
  (the order of repeated names is kept: `a=1&a=2` ≠ `a=2&a=1`), trackers removed (see
  `bot.services.watch.trackers`);
- fragment: dropped when it is a plain anchor (`#top`, `#section-2`) or a text highlight
  (`#:~:text=`); kept when it routes or selects a state: `#!/…`, `#/…`, `name=value`
  (`#gid=1234` of a spreadsheet tab, `#page=3`).

Not merged on purpose: `http` and `https`, `www.` and the bare domain, `//` and `/`, and
reserved characters escaped or not: such pairs are usually the same page, but not always,
and two different pages must never become one item.

The key is stored as its SHA-256 (64 hexadecimal characters): a fixed size that fits an
index on PostgreSQL whatever the link's length.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

import idna

from bot.errors import ValidationError
from bot.services.watch.trackers import tracker_test
from bot.text import quote

MAX_URL = 2000  # the published link, as stored (watch_items.url, watch_feeds.url)
MAX_INPUT = 8 * MAX_URL  # beyond this no tracker removal can bring a link under MAX_URL

ERR_URL = (
    "«\u00a0{url}\u00a0» n'est pas un lien valide. Collez l'adresse complète de la page, "
    "commençant par https:// (ou http://)."
)
ERR_URL_TOO_LONG = (
    "Ce lien dépasse {max} caractères, même sans ses paramètres de suivi\u00a0: utilisez l'adresse courte de la page."
)

# RFC 3986, appendix B.
_URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)
_AUTHORITY = re.compile(r"^(?:(?P<userinfo>[^@]*)@)?(?P<host>\[[^\]]*\]|[^:]*)(?::(?P<port>[^:]*))?$")
_ASCII_HOST = re.compile(r"^[a-z0-9_\-]+(?:\.[a-z0-9_\-]+)*$")
_IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$")
_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
_URL_IN_TEXT = re.compile(r"https?://[^\s<>\[\]\"`|]+", re.IGNORECASE)
_TRAILING = ".,;:!?»'’"

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
_PATH_SAFE = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_DEFAULT_PORTS = {"http": "80", "https": "443"}


@dataclass(frozen=True)
class Link:
    url: str  # published: as given, minus trackers
    canonical: str  # the canonical form that identifies the page
    key: str  # SHA-256 of `canonical`, stored and indexed


def _invalid(value: str) -> ValidationError:
    return ValidationError(ERR_URL.format(url=quote(value)))


def _split(value: str) -> tuple[str, str, str, str | None, str | None]:
    """(scheme, authority, path, query, fragment) or ValueError; None = absent."""
    match = _URI.match(value)
    if match is None or match.group(2) is None:
        raise ValueError(value)
    return match.group(1), match.group(2), match.group(3), match.group(4), match.group(5)


def _host(raw: str) -> str:
    """The host in lowercase ASCII (IDNA for a Unicode name), or ValueError."""
    host = raw.rstrip(".") if not raw.startswith("[") else raw
    if _IPV6.match(host.lower()):
        return host.lower()
    if host.isascii():
        host = host.lower()
    else:
        try:
            host = idna.encode(unquote(host), uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            raise ValueError(raw) from None
    if not _ASCII_HOST.match(host) or len(host) > 253:
        raise ValueError(raw)
    if "." not in host and host != "localhost":
        raise ValueError(raw)
    return host


def _authority(scheme: str, raw: str) -> tuple[str, str]:
    """(canonical host, canonical authority) or ValueError."""
    match = _AUTHORITY.match(raw)
    if match is None or not match["host"]:
        raise ValueError(raw)
    host = _host(match["host"])
    port = match["port"]
    if port is not None and port != "":
        if not port.isdigit() or not 0 < int(port) <= 65535:
            raise ValueError(raw)
        port = str(int(port))
    canonical = host
    if port and port != _DEFAULT_PORTS.get(scheme):
        canonical = f"{canonical}:{port}"
    userinfo = match["userinfo"]
    if userinfo and userinfo != ":":
        canonical = f"{_escapes(userinfo, _UNRESERVED | _SUB_DELIMS | {':'})}@{canonical}"
    return host, canonical


def _escapes(text: str, safe: frozenset[str]) -> str:
    """Percent-escapes normalised: unreserved characters decoded, other escapes kept with
    uppercase hexadecimal (whatever byte they hold), characters outside `safe` encoded in
    UTF-8, a stray `%` encoded."""
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%":
            match = _PCT.match(text, i)
            if match:
                decoded = chr(int(match.group(1), 16))
                out.append(decoded if decoded in _UNRESERVED else "%" + match.group(1).upper())
                i += 3
                continue
            out.append("%25")
        elif char in safe:
            out.append(char)
        else:
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass")))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4."""
    output: list[str] = []
    segments = path.split("/")
    for n, segment in enumerate(segments):
        last = n == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") else "/" + result


def _routes(fragment: str) -> bool:
    """Whether a fragment selects content (kept in the key) rather than a place in it."""
    if fragment.startswith(":~:"):  # text fragment: a highlight in the same page
        return False
    return fragment.startswith(("!", "/")) or "=" in fragment


def _without_trackers(params: str, is_tracker) -> str | None:
    """`&`-separated parameters without the trackers, kept items untouched; None when
    nothing was removed."""
    items = params.split("&")
    kept = [item for item in items if not _is_tracker_item(item, is_tracker)]
    if len(kept) == len(items):
        return None
    return "&".join(kept)


def _is_tracker_item(item: str, is_tracker) -> bool:
    name = item.split("=", 1)[0]
    if not name:
        return False
    return is_tracker(name) or is_tracker(unquote(name))


def _canonical(scheme: str, authority: str, path: str, query: str | None, fragment: str | None) -> str:
    path = _remove_dot_segments(_escapes(path, _PATH_SAFE))
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    result = f"{scheme}://{authority}{path}"
    if query:
        items = []
        for item in query.split("&"):
            if not item:
                continue
            name, _, value = item.partition("=")
            name = _escapes(name, _QUERY_SAFE - {"="}).replace("%20", "+")
            value = _escapes(value, _QUERY_SAFE).replace("%20", "+")
            items.append((name, value))
        items.sort(key=lambda pair: pair[0])  # stable: repeated names keep their order
        if items:
            result += "?" + "&".join(f"{n}={v}" for n, v in items)
    if fragment and _routes(fragment):
        result += "#" + _escapes(fragment, _QUERY_SAFE | {"#"})
    return result


def parse_link(raw: str | None) -> Link:
    """Validate a member's (or a feed's) link: http(s), a host with a dot (or localhost),
    no space. Returns the link to publish (trackers removed) and its key. Raises a French
    ValidationError: not a link, or longer than MAX_URL once cleaned."""
    value = (raw or "").strip()
    if value.startswith("<") and value.endswith(">"):  # Discord's "no preview" brackets
        value = value[1:-1].strip()
    if len(value) > MAX_INPUT:
        raise ValidationError(ERR_URL_TOO_LONG.format(max=MAX_URL))
    if any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in value):
        raise _invalid(value)
    try:
        scheme, authority, path, query, fragment = _split(value)
        scheme = scheme.lower()
        if scheme not in ("http", "https"):
            raise ValueError(scheme)
        host, canonical_authority = _authority(scheme, authority)
    except ValueError:
        raise _invalid(value) from None
    # the providers' patterns expect a lowercase ASCII host; they may look at the query too
    is_tracker = tracker_test(f"{scheme}://{host}{path}" + ("?" + query if query is not None else ""))
    published_query = query
    if query is not None and (stripped := _without_trackers(query, is_tracker)) is not None:
        published_query = stripped if stripped.strip("&") else None
    published_fragment = fragment
    if fragment and (stripped := _without_trackers(fragment, is_tracker)) is not None:
        published_fragment = stripped if stripped.strip("&") else None
    url = _rebuild(value, query, fragment, published_query, published_fragment)
    if len(url) > MAX_URL:
        raise ValidationError(ERR_URL_TOO_LONG.format(max=MAX_URL))
    canonical = _canonical(scheme, canonical_authority, path, published_query, published_fragment)
    return Link(url=url, canonical=canonical, key=hashlib.sha256(canonical.encode()).hexdigest())


def _rebuild(
    value: str, query: str | None, fragment: str | None, new_query: str | None, new_fragment: str | None
) -> str:
    """The given text with only its query and fragment replaced (byte-exact elsewhere)."""
    if new_query == query and new_fragment == fragment:
        return value
    head = value
    if fragment is not None:
        head = head[: -(len(fragment) + 1)]
    if query is not None:
        head = head[: -(len(query) + 1)]
    return (
        head
        + (f"?{new_query}" if new_query is not None else "")
        + (f"#{new_fragment}" if new_fragment is not None else "")
    )


def link_key(url: str) -> str:
    """The key of a link (see `parse_link`)."""
    return parse_link(url).key


def extract_url(text: str | None) -> str | None:
    """The first web link in a message's text: trailing punctuation and quotes removed, and
    a closing parenthesis that the link does not open (`(https://…)`, Markdown's
    `[texte](https://…)`); `…/wiki/Caisse_d'allocations_familiales_(France)` stays whole."""
    match = _URL_IN_TEXT.search(text or "")
    if not match:
        return None
    url = match.group(0).rstrip(_TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(_TRAILING)
    return url


def markdown_target(url: str) -> str:
    """The link as the target of a Discord Markdown link `[titre](…)`: parentheses and
    spaces escaped (the same address for the site)."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
