"""A published digest as files for the e-mail newsletter: Markdown, and HTML laid out for
e-mail (paste into Brevo or Mailchimp: one 600 px table, inline styles, no stylesheet, no
script, no image).

Everything members typed (titles, comments, names, the editorial) is text, never markup:
HTML-escaped in the HTML; in Markdown every character Markdown or its GitHub extensions
give a meaning to is backslash-escaped, so no text becomes a link, an image, emphasis, HTML
or a list. Names are shown as members wrote them (not Discord's escaped form). A link is
only made for an http(s) address, percent-encoded so that spaces, parentheses, quotes and
angle brackets cannot end it early.
"""

from __future__ import annotations

import html

from bot.db.models.watch import WatchContribution, WatchItem
from bot.french import plural
from bot.markup import md_escape, md_paragraphs, safe_url
from bot.services.watch.draft import DigestContent
from cogs.watch import _texts as T
from cogs.watch._render import MAX_NAMES, digest_title, sections

ACCENT = "#1B7F79"
WIDTH = 600
FONT = "Arial, Helvetica, sans-serif"


def names(contributions: list[WatchContribution]) -> str | None:
    """Who shared an item, as they wrote their names (unescaped: each format escapes)."""
    shown = [c.display_name or T.ANONYMOUS for c in contributions]
    if not shown:
        return None
    if len(shown) > MAX_NAMES:
        return T.AND_OTHERS.format(names=", ".join(shown[:MAX_NAMES]), others=plural(len(shown) - MAX_NAMES, *T.OTHERS))
    return ", ".join(shown)


def summary(content: DigestContent) -> str:
    items = content.accepted
    people = {
        (c.member_id, c.discord_id, c.display_name) for item in items for c in content.contributors.get(item.id, [])
    }
    who = T.PEOPLE_NONE if not people else T.PEOPLE_ONE if len(people) == 1 else T.PEOPLE.format(count=len(people))
    if len(items) == 1:
        return T.SUMMARY_ONE.format(people=who)
    return T.SUMMARY.format(links=T.DIGEST_LINKS.format(count=len(items)), people=who)


# -- Markdown -----------------------------------------------------------------------------


def _md_item(content: DigestContent, item: WatchItem) -> str:
    label = md_escape(item.title or item.url)
    url = safe_url(item.url)
    entry = f"- **[{label}]({url})**" if url else f"- **{label}**"
    if item.comment:
        entry += f" — {md_escape(item.comment)}"
    who = names(content.contributors.get(item.id, []))
    if who:
        entry += f" *({md_escape(T.SHARED_BY_INLINE.format(names=who))})*"
    return entry


def to_markdown(content: DigestContent) -> str:
    lines = [f"# {md_escape(digest_title(content))}", ""]
    if content.editorial:
        for paragraph in md_paragraphs(content.editorial):
            lines += [paragraph, ""]
    for title, items in sections(content, content.accepted):
        lines += [f"## {md_escape(title)}", ""]
        lines += [_md_item(content, item) for item in items]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- HTML for e-mail ----------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in text.split("\n") if line.strip())


def _row(inner: str, padding: str = "8px 24px", extra: str = "") -> str:
    return (
        f'<tr><td style="padding:{padding};font-family:{FONT};font-size:15px;line-height:1.5;'
        f'color:#222222;{extra}">{inner}</td></tr>'
    )


def _html_item(content: DigestContent, item: WatchItem) -> str:
    label = _e(item.title or item.url)
    url = safe_url(item.url)
    if url:
        head = (
            f'<a href="{_e(url)}" target="_blank" style="color:{ACCENT};font-weight:bold;'
            f'text-decoration:underline;">{label}</a>'
        )
    else:
        head = f"<strong>{label}</strong>"
    parts = [head]
    if item.comment:
        parts.append(_lines(item.comment))
    who = names(content.contributors.get(item.id, []))
    if who:
        parts.append(f'<span style="color:#666666;font-size:13px;">{_e(T.SHARED_BY_INLINE.format(names=who))}</span>')
    return _row("<br>".join(parts))


def to_html(content: DigestContent) -> str:
    title = _e(digest_title(content))
    rows = [
        _row(
            f'<h1 style="margin:0;font-family:{FONT};font-size:22px;line-height:1.3;color:#ffffff;">{title}</h1>',
            padding="24px",
            extra=f"background-color:{ACCENT};",
        )
    ]
    if content.editorial:
        paragraphs = [p for p in content.editorial.split("\n") if p.strip()]
        rows += [_row(f'<p style="margin:0;">{_e(p)}</p>', padding="16px 24px 0") for p in paragraphs]
    rows.append(_row(f'<p style="margin:0;">{_e(summary(content))}</p>', padding="16px 24px 0"))
    for section_title, items in sections(content, content.accepted):
        rows.append(
            _row(
                f'<h2 style="margin:0;padding-bottom:4px;font-family:{FONT};font-size:18px;color:{ACCENT};'
                f'border-bottom:2px solid {ACCENT};">{_e(section_title)}</h2>',
                padding="24px 24px 4px",
            )
        )
        rows += [_html_item(content, item) for item in items]
    rows.append(_row(_e(T.FOOTER), padding="24px", extra="font-size:12px;color:#888888;"))
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="fr">',
                '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>{title}</title></head>",
                '<body style="margin:0;padding:0;background-color:#f4f4f4;">',
                '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
                'style="background-color:#f4f4f4;">',
                '<tr><td align="center" style="padding:24px 12px;">',
                f'<table role="presentation" width="{WIDTH}" cellpadding="0" cellspacing="0" border="0" '
                f'style="width:100%;max-width:{WIDTH}px;background-color:#ffffff;border-collapse:collapse;">',
                *rows,
                "</table>",
                "</td></tr>",
                "</table>",
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )
