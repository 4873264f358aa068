"""The French typography of everything the bot sent during an end-to-end test.

`bot_texts(env)` reads SimCord's record of the bot's REST calls (messages, edits, interaction
replies, modals, threads, embeds, buttons and selects); `user_texts(env)` what the test's users
typed (command options, form fields, messages). What people typed is theirs: it is cut out of
the bot's texts before they are checked with `bot.french.violations`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bot.french import violations

# Keys whose string values a member reads (content, embeds, components, modals, threads).
_TEXT_KEYS = {"content", "title", "description", "value", "name", "text", "label", "placeholder"}
# Subtrees that are not text: ids, emoji, mentions, files, command registrations.
_SKIP_KEYS = {"emoji", "allowed_mentions", "attachments", "custom_id", "url", "icon_url", "options"}
_SENDING = {"POST", "PATCH", "PUT"}
_MIN_TYPED = 3  # shorter inputs ("63", "1") are left in: cutting them would hide nothing wrong


def _strings(node: Any, key: str | None = None) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in _SKIP_KEYS:
                yield from _strings(v, k)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item, key)
    elif isinstance(node, str) and key in _TEXT_KEYS:
        yield node


def bot_texts(env: Any) -> list[str]:
    texts: list[str] = []
    for request in env.http_requests:
        if request.method not in _SENDING or not isinstance(request.json, (dict, list)):
            continue
        if "/commands" in request.path:  # the command tree sync (descriptions are in English code)
            continue
        texts.extend(_strings(request.json))
    return texts


def _typed(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("value", "content") and isinstance(v, str):
                yield v
            else:
                yield from _typed(v)
    elif isinstance(node, list):
        for item in node:
            yield from _typed(item)


def user_texts(env: Any) -> list[str]:
    typed: set[str] = set()
    for kind, name, payload in env.backend.transcript:
        if kind != "GATEWAY" or not isinstance(payload, dict):
            continue
        if name == "INTERACTION_CREATE":
            typed.update(_typed(payload.get("data", {})))
        elif name == "MESSAGE_CREATE" and not payload.get("author", {}).get("bot"):
            typed.update(_typed({"content": payload.get("content")}))
    return sorted((t for t in typed if len(t.strip()) >= _MIN_TYPED), key=len, reverse=True)


_SPACES = r"[\s\u00a0\u202f]+"
_CUT_AFTER = 12  # a typed text shown cut ("Échange de prat…") is still theirs


def _loose(piece: str) -> re.Pattern[str]:
    """`piece` as the bot may show it: spaces folded, or cut with "…" (quote(), shorten())."""
    whole = _SPACES.join(re.escape(w) for w in piece.split())
    start = _SPACES.join(re.escape(w) for w in piece[:_CUT_AFTER].split())
    return re.compile(f"{whole}|{start}[^\n…]*…" if len(piece) > _CUT_AFTER else whole)


def typography_faults(env: Any) -> list[str]:
    """Excerpts of the bot's texts whose French typography is wrong (what people typed cut
    out: their text is theirs)."""
    typed = [_loose(t) for t in user_texts(env)]
    faults: list[str] = []
    seen: set[str] = set()
    for text in bot_texts(env):
        if text in seen:
            continue
        seen.add(text)
        for pattern in typed:
            text = pattern.sub("\u2026", text)
        faults.extend(violations(text))
    return list(dict.fromkeys(faults))
