"""The dates people say, in French: "mardi 15h", "demain 14h30", "15/12 15h",
"15 décembre 9h30", "lundi prochain".

`read()` splits the time of day from the day, reads the relative words and the weekdays
itself (their meaning is a house rule: "mardi" is the next Tuesday after today), and hands
a day and a month, written with digits or a month name ("15 déc.", "1er mars"), to
dateparser in French. A date without a year is the next one to come (or, for something
already done, the last one gone). Anything else (a day alone, "15h" alone, a weekday that
does not match the date) is refused by returning None: the caller answers with an example.

Only called through bot.dates (parse_date, parse_datetime), which checks digits, length and
year bounds and the daylight-saving gap.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

import dateparser

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
RELATIVE = {
    "aujourd'hui": 0,
    "aujourdhui": 0,
    "demain": 1,
    "apres-demain": 2,
    "apres demain": 2,
    "hier": -1,
    "avant-hier": -2,
    "avant hier": -2,
}
_TIME = re.compile(
    r"^(?P<day>.*?)(?:^|\s+|,\s*)(?:(?:a|vers|des)\s+)?"
    r"(?:(?P<h>\d{1,2})\s*(?:h|:)\s*(?P<m>\d{2})?|(?P<noon>midi))$",
    re.ASCII,
)
_DAY_MONTH = re.compile(
    r"^(?:(?P<weekday>[a-z]+)\s+)?(?P<d>\d{1,2}|1er)(?:\s+|/|\.|-)"
    r"(?P<month>\d{1,2}|[a-z]{3,9}\.?)(?:(?:\s+|/|\.|-)(?P<y>\d{4}))?$",
    re.ASCII,
)
_SETTINGS = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month"], "PREFER_DAY_OF_MONTH": "first"}


def _plain(value: str) -> str:
    """Lower case, accents off, one space: "Après-demain  à 9H" → "apres-demain a 9h"."""
    text = unicodedata.normalize("NFKD", value.replace("’", "'").strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text)


def _split_time(text: str) -> tuple[str, tuple[int, int] | None] | None:
    match = _TIME.match(text)
    if not match:
        return text, None
    if match["noon"]:
        return match["day"].strip(" ,"), (12, 0)
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if hour > 23 or minute > 59:
        return None
    return match["day"].strip(" ,"), (hour, minute)


def _weekday(text: str, today: date, prefer: str) -> date | None:
    """ "mardi", "mardi prochain", "ce mardi": the next Tuesday after today; "mardi dernier"
    (or a plain weekday for something already done): the last one before today."""
    words = text.split(" ")
    if "prochain" in words or "prochaine" in words:
        prefer = "future"
    elif "dernier" in words:
        prefer = "past"
    rest = [w for w in words if w not in {"ce", "prochain", "prochaine", "dernier"}]
    if len(rest) != 1 or rest[0] not in WEEKDAYS or len(words) > 2:
        return None
    target = WEEKDAYS.index(rest[0])
    if prefer == "past":
        return today - timedelta(days=(today.weekday() - target - 1) % 7 + 1)
    return today + timedelta(days=(target - today.weekday() - 1) % 7 + 1)


def _day_month(text: str, today: date, prefer: str) -> date | None:
    match = _DAY_MONTH.match(text)
    if not match:
        return None
    weekday = match["weekday"]
    if weekday is not None and weekday not in WEEKDAYS and weekday != "le":
        return None
    day_text = "1" if match["d"] == "1er" else match["d"]
    probe = f"{day_text} {match['month'].rstrip('.')} {match['y'] or '2000'}"
    if match["month"].isdigit():
        probe = f"{day_text}/{match['month']}/{match['y'] or '2000'}"
    read = dateparser.parse(probe, languages=["fr"], settings=_SETTINGS)
    if read is None or read.day != int(day_text):
        return None
    if match["y"]:
        found = _on(int(match["y"]), read.month, read.day)
    else:
        found = _nearest(read.month, read.day, today, prefer)
    if found is None or (weekday in WEEKDAYS and found.weekday() != WEEKDAYS.index(weekday)):
        return None
    return found


def _on(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February of a common year
        return None


def _nearest(month: int, day: int, today: date, prefer: str) -> date | None:
    """This year's, unless it is already gone (prefer future) or still to come (prefer past)."""
    found = _on(today.year, month, day)
    if found is None:
        return None
    if prefer == "past" and found > today:
        return _on(today.year - 1, month, day)
    if prefer != "past" and found < today:
        return _on(today.year + 1, month, day)
    return found


def read(
    value: str, today: date, *, prefer: str = "future", with_time: bool
) -> tuple[date, tuple[int, int] | None] | None:
    """(day, (hour, minute) or None) for a French date said in words, or None if the text
    is not one, or is ambiguous. `with_time`: a time of day is required (else refused)."""
    split = _split_time(_plain(value))
    if split is None:
        return None
    text, clock_time = split
    if with_time != (clock_time is not None) or not text:
        return None
    text = text.removeprefix("le ")
    if text in RELATIVE:
        return today + timedelta(days=RELATIVE[text]), clock_time
    found = _weekday(text, today, prefer) or _day_month(text, today, prefer)
    if found is None:
        return None
    return found, clock_time
