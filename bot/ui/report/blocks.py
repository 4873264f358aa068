"""The report as a list of sections made of a few kinds of blocks, written by both the DOCX
and the PDF writers. A section function builds blocks from the report's data only."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Run = tuple[str, bool]  # (text, bold)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def runs(markup: str) -> list[Run]:
    """The bot's own strings mark bold with **…**; user text never goes through here."""
    out: list[Run] = []
    pos = 0
    for match in _BOLD.finditer(markup):
        if match.start() > pos:
            out.append((markup[pos : match.start()], False))
        out.append((match.group(1), True))
        pos = match.end()
    if pos < len(markup):
        out.append((markup[pos:], False))
    return out


@dataclass
class Heading:
    text: str
    level: int = 2  # 1 is the section's own title, written by the writers


@dataclass
class Para:
    runs: list[Run]
    key: bool = False  # a figure line ("→ Soit au total …"), highlighted

    @classmethod
    def of(cls, markup: str, *, key: bool = False) -> Para:
        return cls(runs(markup), key)

    @classmethod
    def plain(cls, text: str) -> Para:
        return cls([(text, False)])

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


@dataclass
class Bullets:
    items: list[list[Run]]

    @classmethod
    def of(cls, items: list[str]) -> Bullets:
        return cls([runs(i) for i in items])


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str | None = None
    numeric_from: int = 1  # columns from this index are right-aligned
    note: str | None = None
    widths: list[int] | None = None  # column widths in % of the text width


@dataclass
class Image:
    png: bytes
    caption: str
    width_cm: float = 15.0


@dataclass
class Placeholder:
    """What the coordinator still has to write: shown in the editable DOCX only."""

    text: str


Block = Heading | Para | Bullets | Table | Image | Placeholder


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    new_page: bool = True  # short sections follow the previous one, as in the seed

    @property
    def printable(self) -> bool:
        """Whether the PDF shows it (a section of placeholders only is left out)."""
        return any(not isinstance(b, (Placeholder, Heading)) for b in self.blocks)


@dataclass
class Cover:
    title: str
    network: str
    territories: list[str]
    year: int
    carrier: list[str]  # the carrier's lines (first text line on the cover)
    contact: list[str]


def user_paragraphs(text: str | None) -> list[Para]:
    """A person's text as paragraphs (one per line), never parsed as markup."""
    if not text:
        return []
    return [Para.plain(line.strip()) for line in text.splitlines() if line.strip()]
